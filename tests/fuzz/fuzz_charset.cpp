// libFuzzer: every label and every byte sequence decode to valid UTF-8.
#include <cstdint>
#include <string>

#include "crawler/charset.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const char* labels[] = {"", "text/html; charset=utf-8", "text/html; charset=tis-620",
                                 "text/html; charset=windows-874", "text/html; charset=iso-8859-1",
                                 "text/html; charset=x-unknown", "text/html; charset=\"utf-16\""};
  if (size == 0) return 0;
  std::string header = labels[data[0] % (sizeof labels / sizeof *labels)];
  std::string body(reinterpret_cast<const char*>(data) + 1, size - 1);
  auto decoded = oit::charset::to_utf8(body, header);
  if (!oit::charset::is_valid_utf8(decoded.utf8)) __builtin_trap();
  return 0;
}
