// libFuzzer: any bytes, decoded and parsed as a page, never crash or exceed the link bound.
#include <cstdint>
#include <string>

#include "crawler/charset.hpp"
#include "crawler/extract.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string body(reinterpret_cast<const char*>(data), size);
  auto decoded = oit::charset::to_utf8(body, "text/html");
  oit::ExtractLimits limits;
  limits.max_links = 500;
  auto facts = oit::extract_page(decoded.utf8, "http://www.example.go.th/page.html", limits);
  if (facts.links.size() > limits.max_links) __builtin_trap();
  return 0;
}
