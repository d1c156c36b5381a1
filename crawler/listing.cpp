#include "crawler/listing.hpp"

#include "crawler/sitemap.hpp"
#include "crawler/url.hpp"

namespace oit {

ListingRead read_listing(Listing kind, const std::string& list_url, const FetchResult& r) {
  ListingRead read;
  read.info = {{"status", r.status}};
  if (!r.ok()) read.info["error"] = r.error;
  if (!r.ok() || r.status < 200 || r.status >= 300) return read;
  if (kind == Listing::sitemap) {
    SitemapEntries entries = parse_sitemap(r.body);
    for (const auto& child : entries.sitemaps)
      if (auto resolved = url::resolve(list_url, child); resolved && resolved->fetchable())
        read.sitemaps.push_back(resolved->url);
    read.info["sitemaps"] = entries.sitemaps.size();
    read.pages = std::move(entries.pages);
  } else if (kind == Listing::feed) {
    read.pages = parse_feed(r.body);
    read.via = "feed";
  } else {
    read.pages = parse_wordpress_listing(r.body);
    read.via = "wordpress-api";
  }
  read.info["pages"] = read.pages.size();
  return read;
}

std::string listing_key(Listing kind, const std::string& list_url) {
  const char* prefix = kind == Listing::sitemap ? "sitemap:" : kind == Listing::feed ? "feed:" : "wordpress-api:";
  return prefix + list_url;
}

std::vector<std::string> wordpress_lists(const std::string& api_root) {
  std::string api = api_root.back() == '/' ? api_root : api_root + "/";
  std::vector<std::string> lists;
  for (const char* route : {"wp/v2/pages", "wp/v2/posts", "wp/v2/media"})
    lists.push_back(api + route + "?per_page=100&_fields=link,source_url");
  return lists;
}

}  // namespace oit
