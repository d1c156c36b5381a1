// The link graph after a crawl: shortest click depth and one shortest click path from the
// homepage for every URL (computed here, not taken from discovery order), and graph.json.
#pragma once

#include <string>

#include <tl/expected.hpp>

#include "crawler/store.hpp"

namespace oit {

// 0-1 breadth-first walk from `root` over the stored links: a click costs 1, an HTTP redirect
// or meta refresh costs 0 (the visitor does nothing). Writes urls.click_depth and urls.parent;
// URLs the homepage does not reach get NULL.
tl::expected<void, std::string> compute_click_depths(Store& store, UrlId root);

// Writes every URL (outcome, final URL after redirects, click depth and path, title, headings,
// excerpt) and every link to `path` as JSON, atomically (temporary file, then rename). With
// `links_file`, the links part is copied from that file (already written by finish_graph).
tl::expected<void, std::string> export_graph_json(Store& store, const std::string& path,
                                                  const std::string* links_file = nullptr);

// The end of a crawl: click depths, then graph.json, with the links part written on a second
// connection while the depths are computed.
tl::expected<void, std::string> finish_graph(Store& store, UrlId root, const std::string& path);

}  // namespace oit
