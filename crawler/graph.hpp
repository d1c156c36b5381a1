// The link graph after a crawl: shortest click depth and one shortest click path from the
// homepage for every URL (computed here, not taken from discovery order), and graph.json.
#pragma once

#include <string>

#include <tl/expected.hpp>

#include "crawler/store.hpp"

namespace oit {

// The end of a crawl: click depths (a 0-1 breadth-first walk from `root`: a click costs 1, an
// HTTP redirect or meta refresh costs 0) into the click_paths table, and graph.json
// with every URL (outcome, final URL after redirects, click depth and path, title, headings,
// excerpt) and every link, written atomically (temporary file, then rename).
tl::expected<void, std::string> finish_graph(Store& store, UrlId root, const std::string& path);

}  // namespace oit
