// libFuzzer: gzip bodies. The one-call decoder (libdeflate, trusting the trailer's size) must
// give exactly what zlib's stream gives, for any bytes, limit and completeness; and a page
// gzipped here must come back whole, or cut at the limit and marked so.
//
// Input: a flags byte (bit 0: the body arrived whole; bits 1-2: the limit; bit 3: gzip the rest
// first, then bit 4: overwrite one byte of the result, at the position and with the value of
// the next two bytes), then the body (or the page to gzip).
#include <zlib.h>

#include <cstdint>
#include <cstdlib>
#include <string>

#include "crawler/content_coding.hpp"

namespace {

std::string gzip(std::string_view page, int level) {
  z_stream z{};
  deflateInit2(&z, level, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&z, page.size()), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(page.data()));
  z.avail_in = static_cast<uInt>(page.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace oit::content_coding;
  if (size < 3) return 0;
  unsigned flags = data[0];
  bool complete = flags & 1;
  static const size_t kLimits[] = {0, 1, 100, 1 << 20};
  size_t limit = kLimits[(flags >> 1) & 3];
  bool gzip_first = flags & 8, damage = flags & 16;
  std::string_view rest(reinterpret_cast<const char*>(data) + 3, size - 3);
  std::string body(rest);
  if (gzip_first) {
    body = gzip(rest, data[1] % 10);
    if (damage && !body.empty()) body[data[1] % body.size()] = static_cast<char>(data[2]);
  }

  Inflated fast = gunzip(body, limit, complete);
  Inflated stream = gunzip_stream(body, limit, complete);
  if (fast.body != stream.body || fast.truncated != stream.truncated || fast.damaged != stream.damaged) abort();
  if (fast.body.size() > limit) abort();
  if (gzip_first && !damage && complete) {
    bool cut = rest.size() > limit;
    if (fast.damaged || fast.truncated != cut || fast.body != rest.substr(0, limit)) abort();
  }
  return 0;
}
