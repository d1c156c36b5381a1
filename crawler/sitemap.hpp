// Lists of a site's URLs that are not links a visitor clicks: sitemap.xml and sitemap indexes
// (sitemaps.org), RSS and Atom feeds, and the WordPress REST API. Pure parsers. The crawler uses
// them to find pages the homepage does not link, which is exactly the evidence the checklist
// must call "exists but not linked".
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

// RSS <item><link>URL</link> and Atom <entry><link href="URL"/> entries.
std::vector<std::string> parse_feed(std::string_view xml, size_t max_entries = 5000);

// A WordPress REST API answer (wp/v2/pages, posts or media): every "link" and "source_url"
// of the returned objects. Not JSON, or not an array: nothing.
std::vector<std::string> parse_wordpress_listing(std::string_view json_text, size_t max_entries = 5000);

}  // namespace oit
