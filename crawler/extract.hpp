// HTML -> PageFacts with gumbo. A pure function of its inputs (no I/O, no shared state), so it
// runs on the parse threads and is tested with string literals. gumbo stays behind this header.
#pragma once

#include <cstddef>
#include <string_view>

#include "crawler/page.hpp"

namespace oit {

struct ExtractLimits {
  size_t max_links = 20000;
  size_t max_excerpt_bytes = 4000;
  size_t max_headings = 40;
};

// `utf8_html` must be UTF-8 (see crawler/charset). `page_url` is the URL the page was fetched
// from; <base href> overrides it for resolving links.
PageFacts extract_page(std::string_view utf8_html, std::string_view page_url,
                       const ExtractLimits& limits = {});

}  // namespace oit
