// libFuzzer: robots.txt parsing and matching never crash.
#include <cstdint>
#include <string>

#include "crawler/robots.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  auto robots = oit::Robots::parse(text, "oitcheck");
  (void)robots.allowed("/");
  (void)robots.allowed("/ita/o15.html?x=1");
  (void)robots.allowed(text.substr(0, 200));
  return 0;
}
