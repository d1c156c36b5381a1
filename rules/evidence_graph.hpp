// A read-only view of one crawl for matching: every URL with its outcome, click depth, title,
// headings and the anchor texts of the links pointing at it, in memory. The body excerpts (the
// bulk: about 1 KB of Thai a page) stay in the crawl state and are read a slice at a time, so
// memory does not grow with a big site's text. The matcher never touches SQLite or the network.
#pragma once

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>
#include <tl/expected.hpp>

#include "crawler/store.hpp"

namespace oit {

struct Inbound {
  std::string anchor_text;
  UrlId from = 0;
};

struct UrlNode {
  UrlId id = 0;
  std::string url, kind, state, skip_reason, error, content_type, redirect_to, via;
  long status = 0;
  std::string title;
  std::vector<std::string> headings;
  std::optional<int> click_depth;
  UrlId parent = 0;
  // Deduplicated by anchor text (a menu link repeats on every page); the shallowest source
  // is kept. Links to a URL that redirects count for the redirect's final target. In anchor
  // text order.
  std::vector<Inbound> inbound;
  bool is_html() const { return content_type.empty() || content_type.find("html") != std::string::npos; }
};

class EvidenceGraph {
 public:
  // The graph reads excerpts from `store` until it is destroyed: the store must outlive it.
  static tl::expected<EvidenceGraph, std::string> load(Store& store);

  const std::vector<UrlNode>& nodes() const { return nodes_; }
  const UrlNode* find(UrlId id) const;
  const UrlNode* find_url(const std::string& url) const;
  // Homepage first; empty when the homepage does not reach the URL.
  std::vector<std::string> path_to(UrlId id) const;
  // The anchor text of the link that brings the click path to `id` (the last hop).
  std::string anchor_on_path(UrlId id) const;
  const nlohmann::json& meta() const { return meta_; }  // homepage, summary, robots, sitemaps...
  // The body excerpts of nodes()[first] .. nodes()[first + count - 1], in that order ("" for
  // none). One range read of the state; not thread-safe (one SQLite connection).
  std::vector<std::string> excerpts(size_t first, size_t count) const;
  std::string excerpt_of(const UrlNode& node) const;

 private:
  sqlite3* db_ = nullptr;
  std::vector<UrlNode> nodes_;
  std::unordered_map<UrlId, size_t> index_;
  std::unordered_map<std::string, UrlId> by_url_;
  nlohmann::json meta_ = nlohmann::json::object();
};

}  // namespace oit
