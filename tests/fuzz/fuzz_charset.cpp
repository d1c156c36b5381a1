// libFuzzer: every label and every byte sequence decode to valid UTF-8, and the validator agrees
// with a plain decoder that computes each code point.
#include <cstdint>
#include <string>

#include "crawler/charset.hpp"

namespace {
// The reference: decode each sequence to its code point, then reject overlong forms,
// surrogates and values past U+10FFFF.
bool decodes_as_utf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (len == 0 || i + len > s.size()) return false;
    uint32_t cp = len == 1 ? c : c & (0x7f >> len);
    for (size_t k = 1; k < len; ++k) {
      auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc >> 6) != 2) return false;
      cp = (cp << 6) | (cc & 0x3f);
    }
    static const uint32_t kSmallest[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kSmallest[len] || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) return false;
    i += len;
  }
  return true;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const char* labels[] = {"", "text/html; charset=utf-8", "text/html; charset=tis-620",
                                 "text/html; charset=windows-874", "text/html; charset=iso-8859-1",
                                 "text/html; charset=x-unknown", "text/html; charset=\"utf-16\""};
  if (size == 0) return 0;
  std::string header = labels[data[0] % (sizeof labels / sizeof *labels)];
  std::string body(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (oit::charset::is_valid_utf8(body) != decodes_as_utf8(body)) __builtin_trap();
  auto decoded = oit::charset::to_utf8(body, header);
  if (!oit::charset::is_valid_utf8(decoded.utf8)) __builtin_trap();
  // The crawl hands its bodies over: the same answer as a body only viewed.
  auto moved = oit::charset::to_utf8_moving(std::string(body), header);
  if (moved.utf8 != decoded.utf8 || moved.charset != decoded.charset || moved.source != decoded.source) __builtin_trap();
  return 0;
}
