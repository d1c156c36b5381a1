// sitemap.xml and sitemap indexes (sitemaps.org protocol): the <loc> entries. Pure.
// The crawler uses them to find pages the homepage does not link, which is exactly the
// evidence the checklist must call "exists but not linked".
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace oit {

struct SitemapEntries {
  std::vector<std::string> pages;     // <urlset><url><loc>
  std::vector<std::string> sitemaps;  // <sitemapindex><sitemap><loc>
};

// Reads <loc> elements (entity-decoded, trimmed) up to `max_entries`. Anything that is not a
// sitemap yields nothing rather than an error: real sites serve HTML error pages here.
SitemapEntries parse_sitemap(std::string_view xml, size_t max_entries = 50000);

}  // namespace oit
