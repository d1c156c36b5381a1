// libFuzzer: sitemaps, feeds and WordPress API answers never crash and respect their bounds.
#include <cstdint>
#include <string>

#include "crawler/sitemap.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  auto sitemap = oit::parse_sitemap(text, 100);
  if (sitemap.pages.size() > 100 || sitemap.sitemaps.size() > 100) __builtin_trap();
  if (oit::parse_feed(text, 100).size() > 100) __builtin_trap();
  (void)oit::parse_wordpress_listing(text, 100);
  return 0;
}
