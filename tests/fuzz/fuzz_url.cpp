// libFuzzer: link resolution and normalisation never crash, and what they return is stable.
#include <cstdint>
#include <string>

#include "crawler/url.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string href(reinterpret_cast<const char*>(data), size);
  auto r = oit::url::resolve("http://www.example.go.th/a/b/index.html?x=1", href);
  if (r && r->fetchable()) {
    // A normalised URL normalises to itself.
    auto again = oit::url::normalise_absolute(r->url);
    if (!again || *again != r->url) __builtin_trap();
    (void)oit::url::host_of(r->url);
    (void)oit::url::path_and_query(r->url);
  }
  (void)oit::url::normalise_absolute(href);
  return 0;
}
