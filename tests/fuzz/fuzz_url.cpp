// libFuzzer: link resolution and normalisation never crash, what they return is stable, and the
// fast path for links already in normal form (url_canonical) answers exactly as libcurl does.
#include <cstdint>
#include <string>

#include "crawler/url.hpp"
#include "crawler/url_canonical.hpp"

namespace {

void check_fast_path(const std::string& base, const std::string& href) {
  auto parsed = oit::url::canonical::parse_base(base);
  if (!parsed) __builtin_trap();  // the bases below are in normal form
  auto fast = oit::url::canonical::resolve(*parsed, href);
  if (!fast) return;
  auto slow = oit::url::resolve(base, href);
  if (!slow || slow->url != *fast) __builtin_trap();
}

}  // namespace

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
  // What the fast path takes for a base in normal form must be one.
  if (oit::url::canonical::parse_base(href)) {
    auto normal = oit::url::normalise_absolute(href);
    if (!normal || *normal != href) __builtin_trap();
  }
  check_fast_path("http://www.example.go.th/a/b/index.html?x=1", href);
  check_fast_path("https://127.0.0.1:8443/", href);
  check_fast_path("http://x.go.th/a/", href);
  check_fast_path("http://x.go.th/%E0%B8%81/a.html?q=%E0%B8%81&p=(1)", href);
  return 0;
}
