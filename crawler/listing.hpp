// Lists of pages that are not links: sitemaps (and their indexes), RSS/Atom feeds and the
// WordPress REST API. Reading one fetched list is pure; the crawl fetches them through the
// frontier (robots.txt, concurrency and rate apply) and crawls what they list.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "crawler/http_client.hpp"

namespace oit {

enum class Listing { sitemap, feed, wordpress };

struct ListingRead {
  std::vector<std::string> pages;     // as written in the list; resolve against its URL
  std::vector<std::string> sitemaps;  // child sitemaps of a sitemap index, resolved
  const char* via = "sitemap";        // how the pages were found, for the state
  nlohmann::json info;                // status, counts or error, for the state's meta
};

ListingRead read_listing(Listing kind, const std::string& list_url, const FetchResult& r);
// The state's meta key for a list ("sitemap:URL", "feed:URL", "wordpress-api:URL").
std::string listing_key(Listing kind, const std::string& list_url);
// The lists a WordPress site's REST API root offers (pages, posts, media).
std::vector<std::string> wordpress_lists(const std::string& api_root);

}  // namespace oit
