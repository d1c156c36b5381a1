// Response bodies arrive as the server sent them and gzip is decoded here, not by libcurl:
// libcurl inflates with zlib in 16 KiB steps on the network thread (6% of a crawl's CPU on a
// gzipped site), while libdeflate decodes a whole page in one call about 3.5 times faster.
// zlib's stream stays for what libdeflate cannot do: a body that ends early (cut at
// --max-bytes, or a dropped connection) and a page that decodes to more than the limit, of
// which the first bytes are kept.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace oit::content_coding {

// The Accept-Encoding request header: the one coding decoded here. Every server and CDN
// serves gzip; asking for nothing else means nothing else needs decoding.
inline constexpr const char* kAcceptEncoding = "Accept-Encoding: gzip";

enum class Coding { identity, gzip, unsupported };

// From the Content-Encoding header's value: none or "identity" is identity, "gzip" or
// "x-gzip" is gzip; anything else, a chain of codings included, is unsupported.
Coding coding_of(std::string_view content_encoding);

struct Inflated {
  std::string body;        // at most max_bytes
  bool truncated = false;  // the page goes on past max_bytes
  bool damaged = false;    // not gzip, or broken (a body that arrived whole but ends mid-stream too)
};

// Decodes one gzip member (bytes after it are ignored, as libcurl did). `complete`: the body
// arrived whole; a body that did not may end mid-stream without being damaged.
Inflated gunzip(std::string_view gz, size_t max_bytes, bool complete);

// The same through zlib's stream alone: gunzip's fallback, and its reference in fuzz_gzip.
Inflated gunzip_stream(std::string_view gz, size_t max_bytes, bool complete);

}  // namespace oit::content_coding
