#include "rules/evidence_graph.hpp"

#include <map>

#include "crawler/link_blob.hpp"
#include "crawler/sql.hpp"

namespace oit {
tl::expected<EvidenceGraph, std::string> EvidenceGraph::load(Store& store) {
  sqlite3* db = store.handle();
  EvidenceGraph g;
  {
    sql::Statement q(db, "SELECT key, value FROM meta");
    while (q.step()) {
      std::string key = q.text(0), value = q.text(1);
      auto parsed = nlohmann::json::parse(value, nullptr, false);
      g.meta_[key] = parsed.is_discarded() ? nlohmann::json(value) : parsed;
    }
  }
  {
    sql::Statement q(db,
            "SELECT id, url, kind, state, COALESCE(skip_reason,''), COALESCE(status,0), COALESCE(error,''), "
            "COALESCE(content_type,''), COALESCE(redirect_to,''), via, COALESCE(title,''), COALESCE(headings,''), "
            "COALESCE(excerpt,''), click_depth, COALESCE(parent,0) FROM urls "
            // URLs never fetched can be evidence only when they are off-site links.
            "WHERE state = 'done' OR kind = 'external' OR click_depth IS NOT NULL ORDER BY id");
    if (!q.ok()) return tl::unexpected(std::string("the crawl state has no URL table: ") + sqlite3_errmsg(db));
    while (q.step()) {
      UrlNode n;
      n.id = static_cast<UrlId>(q.integer(0));
      n.url = q.text(1);
      n.kind = q.text(2);
      n.state = q.text(3);
      n.skip_reason = q.text(4);
      n.status = static_cast<int>(q.integer(5));
      n.error = q.text(6);
      n.content_type = q.text(7);
      n.redirect_to = q.text(8);
      n.via = q.text(9);
      n.title = q.text(10);
      auto headings = nlohmann::json::parse(q.text(11), nullptr, false);
      if (headings.is_array())
        for (const auto& h : headings)
          if (h.is_string()) n.headings.push_back(h.get<std::string>());
      n.excerpt = q.text(12);
      if (!q.is_null(13)) n.click_depth = static_cast<int>(q.integer(13));
      n.parent = static_cast<UrlId>(q.integer(14));
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
    // Ordered by the source's URL so that, between equally shallow sources, the same one wins
    // every run (URL ids depend on the order pages happened to finish).
    link_blob::Anchors anchors = link_blob::load_anchors(db);
    sql::Statement q(db, "SELECT l.src, l.links FROM page_links l JOIN urls u ON u.id = l.src ORDER BY u.url");
    while (q.step()) {
      auto src = static_cast<UrlId>(q.integer(0));
      const UrlNode* from = g.find(src);
      link_blob::Reader links(q.blob(1), &anchors);
      for (link_blob::LinkView link; links.next(link);) {
        if (link.tag == LinkTag::redirect) continue;
        UrlId dst = final_of(link.dst);
        Inbound in{std::string(link.anchor_text), to_string(link.region), src, from ? from->click_depth : std::nullopt};
        auto key = std::make_pair(dst, in.anchor_text);
        auto it = best.find(key);
        bool shallower = it != best.end() && in.from_depth &&
                         (!it->second.from_depth || *in.from_depth < *it->second.from_depth);
        if (it == best.end()) best.emplace(key, std::move(in));
        else if (shallower) it->second = std::move(in);
      }
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
