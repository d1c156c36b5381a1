// What the parser learns from one page: the type exchanged between crawler/extract (which
// makes it) and the crawl loop and store (which use it).
#pragma once

#include <string>
#include <vector>

#include "crawler/url.hpp"

namespace oit {

// Where a link sits on its page. The checklist says "linked from the homepage menu", so the
// region is kept for every link.
enum class Region { menu, sidebar, body, footer };
// Which element carried the link. `redirect` marks an HTTP redirect stored as an edge.
enum class LinkTag { a, area, iframe, frame, embed, object, meta_refresh, redirect };

const char* to_string(Region r);
const char* to_string(LinkTag t);

struct Link {
  url::Resolved target;
  std::string anchor_text;  // visible text, else image alt / title / aria-label
  Region region = Region::body;
  LinkTag tag = LinkTag::a;
};

struct PageFacts {
  std::string title;
  std::vector<std::string> headings;  // h1..h3 in document order
  std::string excerpt;                // visible text outside menus, sidebars and footers; bounded
  std::vector<Link> links;            // in document order, duplicates kept (each is a click)
  bool links_truncated = false;       // more links than the bound; the rest were dropped
  bool nofollow = false;              // <meta name="robots" content="nofollow">
  size_t scripts = 0;                 // <script> elements: with few links, a menu built in the browser
  // <link rel="alternate" type="application/rss+xml|atom+xml"> and WordPress's
  // <link rel="https://api.w.org/">: lists of pages, not links a visitor clicks.
  std::vector<std::string> feeds;
  std::string wordpress_api;
};

}  // namespace oit
