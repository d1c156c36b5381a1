#include "rules/evidence_graph.hpp"

#include <map>

namespace oit {
namespace {

std::string column_text(sqlite3_stmt* s, int i) {
  const unsigned char* t = sqlite3_column_text(s, i);
  return t ? reinterpret_cast<const char*>(t) : "";
}

struct Query {
  Query(sqlite3* db, const char* sql) { sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr); }
  ~Query() { sqlite3_finalize(stmt); }
  bool step() { return stmt && sqlite3_step(stmt) == SQLITE_ROW; }
  sqlite3_stmt* stmt = nullptr;
};

}  // namespace

tl::expected<EvidenceGraph, std::string> EvidenceGraph::load(Store& store) {
  sqlite3* db = store.handle();
  EvidenceGraph g;
  {
    Query q(db, "SELECT key, value FROM meta");
    while (q.step()) {
      std::string key = column_text(q.stmt, 0), value = column_text(q.stmt, 1);
      auto parsed = nlohmann::json::parse(value, nullptr, false);
      g.meta_[key] = parsed.is_discarded() ? nlohmann::json(value) : parsed;
    }
  }
  {
    Query q(db,
            "SELECT id, url, kind, state, COALESCE(skip_reason,''), COALESCE(status,0), COALESCE(error,''), "
            "COALESCE(content_type,''), COALESCE(redirect_to,''), via, COALESCE(title,''), COALESCE(headings,''), "
            "COALESCE(excerpt,''), click_depth, COALESCE(parent,0) FROM urls ORDER BY id");
    if (!q.stmt) return tl::unexpected(std::string("the crawl state has no URL table: ") + sqlite3_errmsg(db));
    while (q.step()) {
      UrlNode n;
      n.id = static_cast<UrlId>(sqlite3_column_int64(q.stmt, 0));
      n.url = column_text(q.stmt, 1);
      n.kind = column_text(q.stmt, 2);
      n.state = column_text(q.stmt, 3);
      n.skip_reason = column_text(q.stmt, 4);
      n.status = sqlite3_column_int(q.stmt, 5);
      n.error = column_text(q.stmt, 6);
      n.content_type = column_text(q.stmt, 7);
      n.redirect_to = column_text(q.stmt, 8);
      n.via = column_text(q.stmt, 9);
      n.title = column_text(q.stmt, 10);
      auto headings = nlohmann::json::parse(column_text(q.stmt, 11), nullptr, false);
      if (headings.is_array())
        for (const auto& h : headings)
          if (h.is_string()) n.headings.push_back(h.get<std::string>());
      n.excerpt = column_text(q.stmt, 12);
      if (sqlite3_column_type(q.stmt, 13) != SQLITE_NULL) n.click_depth = sqlite3_column_int(q.stmt, 13);
      n.parent = static_cast<UrlId>(sqlite3_column_int64(q.stmt, 14));
      g.index_[n.id] = g.nodes_.size();
      g.by_url_[n.url] = n.id;
      g.nodes_.push_back(std::move(n));
    }
  }
  // Where a URL ends after its redirects (bounded: loops end).
  auto final_of = [&](UrlId id) {
    for (int hops = 0; hops < 20; ++hops) {
      const UrlNode* n = g.find(id);
      if (!n || n->redirect_to.empty()) break;
      auto it = g.by_url_.find(n->redirect_to);
      if (it == g.by_url_.end()) break;
      id = it->second;
    }
    return id;
  };
  {
    // (target, anchor) -> the shallowest link carrying that anchor text to that target.
    std::map<std::pair<UrlId, std::string>, Inbound> best;
    Query q(db, "SELECT src, dst, anchor, region FROM links WHERE tag != 'redirect'");
    while (q.step()) {
      auto src = static_cast<UrlId>(sqlite3_column_int64(q.stmt, 0));
      UrlId dst = final_of(static_cast<UrlId>(sqlite3_column_int64(q.stmt, 1)));
      const UrlNode* from = g.find(src);
      Inbound in{column_text(q.stmt, 2), column_text(q.stmt, 3), src, from ? from->click_depth : std::nullopt};
      auto key = std::make_pair(dst, in.anchor_text);
      auto it = best.find(key);
      bool shallower = it != best.end() && in.from_depth &&
                       (!it->second.from_depth || *in.from_depth < *it->second.from_depth);
      if (it == best.end()) best.emplace(key, std::move(in));
      else if (shallower) it->second = std::move(in);
    }
    for (auto& [key, in] : best)
      if (auto it = g.index_.find(key.first); it != g.index_.end()) g.nodes_[it->second].inbound.push_back(std::move(in));
  }
  return g;
}

const UrlNode* EvidenceGraph::find(UrlId id) const {
  auto it = index_.find(id);
  return it == index_.end() ? nullptr : &nodes_[it->second];
}

const UrlNode* EvidenceGraph::find_url(const std::string& url) const {
  auto it = by_url_.find(url);
  return it == by_url_.end() ? nullptr : find(it->second);
}

std::vector<std::string> EvidenceGraph::path_to(UrlId id) const {
  const UrlNode* n = find(id);
  if (!n || !n->click_depth) return {};
  std::vector<std::string> reversed;
  for (; n && reversed.size() < 1000; n = n->parent ? find(n->parent) : nullptr) reversed.push_back(n->url);
  return {reversed.rbegin(), reversed.rend()};
}

std::string EvidenceGraph::anchor_on_path(UrlId id) const {
  const UrlNode* n = find(id);
  if (!n) return "";
  // Through redirects, the clicked link pointed at the redirecting URL: walk up to it.
  while (n && n->parent) {
    const UrlNode* parent = find(n->parent);
    if (!parent || parent->redirect_to != n->url) break;
    n = parent;
  }
  if (!n) return "";
  for (const auto& in : nodes_[index_.at(id)].inbound)
    if (in.from == n->parent) return in.anchor_text;
  return "";
}

}  // namespace oit
