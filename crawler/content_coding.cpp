#include "crawler/content_coding.hpp"

#include <libdeflate.h>
#include <zlib.h>

#include <algorithm>
#include <climits>
#include <cstdint>
#include <memory>

#include "crawler/strings.hpp"

namespace oit::content_coding {

Coding coding_of(std::string_view content_encoding) {
  std::string coding = strings::lower(strings::trim(content_encoding));
  if (coding.empty() || coding == "identity") return Coding::identity;
  if (coding == "gzip" || coding == "x-gzip") return Coding::gzip;
  return Coding::unsupported;
}

Inflated gunzip_stream(std::string_view gz, size_t max_bytes, bool complete) {
  Inflated r;
  z_stream z{};
  if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) {  // 16: the gzip wrapper, not zlib's
    r.damaged = true;
    return r;
  }
  size_t fed = 0;
  unsigned char out[64 * 1024];
  for (;;) {
    if (z.avail_in == 0 && fed < gz.size()) {  // avail_in is 32 bits wide
      size_t piece = std::min<size_t>(gz.size() - fed, UINT_MAX);
      z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(gz.data() + fed));
      z.avail_in = static_cast<uInt>(piece);
      fed += piece;
    }
    // One byte more than the limit allows tells a page that goes on from one that ends there.
    size_t room = max_bytes - r.body.size();
    size_t want = room < sizeof out ? room + 1 : sizeof out;
    z.next_out = out;
    z.avail_out = static_cast<uInt>(want);
    int rc = inflate(&z, Z_NO_FLUSH);
    size_t got = want - z.avail_out;
    if (got > room) {
      r.body.append(reinterpret_cast<const char*>(out), room);
      r.truncated = true;
      break;
    }
    r.body.append(reinterpret_cast<const char*>(out), got);
    if (rc == Z_STREAM_END) break;
    if (rc == Z_BUF_ERROR) {  // no progress possible: the input ended before the stream did
      r.damaged = complete;
      break;
    }
    if (rc != Z_OK) {
      r.damaged = true;
      break;
    }
  }
  inflateEnd(&z);
  return r;
}

Inflated gunzip(std::string_view gz, size_t max_bytes, bool complete) {
  // A gzip member ends with its decoded size (mod 4 GiB). When the body arrived whole and that
  // size is within the limit, one libdeflate call into a buffer of exactly that size decodes
  // it; a size that lies (bytes after the member, a second member, a hostile trailer) fails
  // that call or leaves the buffer short, and zlib's stream gives the answer instead.
  constexpr size_t kSmallestMember = 18;  // 10-byte header, an empty block, 8-byte trailer
  if (complete && gz.size() >= kSmallestMember) {
    const auto* end = reinterpret_cast<const unsigned char*>(gz.data() + gz.size());
    uint32_t size = uint32_t{end[-4]} | uint32_t{end[-3]} << 8 | uint32_t{end[-2]} << 16 | uint32_t{end[-1]} << 24;
    thread_local std::unique_ptr<libdeflate_decompressor, void (*)(libdeflate_decompressor*)> decompressor(
        libdeflate_alloc_decompressor(), libdeflate_free_decompressor);
    if (decompressor && size <= max_bytes) {
      Inflated r;
      r.body.resize(size);
      size_t used_in = 0, used_out = 0;
      auto result = libdeflate_gzip_decompress_ex(decompressor.get(), gz.data(), gz.size(), r.body.data(), size,
                                                  &used_in, &used_out);
      if (result == LIBDEFLATE_SUCCESS && used_out == size) return r;
    }
  }
  return gunzip_stream(gz, max_bytes, complete);
}

}  // namespace oit::content_coding
