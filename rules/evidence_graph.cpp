#include "rules/evidence_graph.hpp"

#include <algorithm>
#include <functional>
#include <unordered_map>

#include "crawler/link_blob.hpp"
#include "crawler/sql.hpp"

namespace oit {
namespace {

// A link's (target, anchor text), looked up without copying the anchor out of the link blob.
struct InboundKey {
  UrlId dst;
  std::string anchor;
};
struct InboundKeyView {
  UrlId dst;
  std::string_view anchor;
  InboundKeyView(UrlId d, std::string_view a) : dst(d), anchor(a) {}
  InboundKeyView(const InboundKey& k) : dst(k.dst), anchor(k.anchor) {}  // NOLINT: implicit on purpose
};
struct InboundKeyHash {
  using is_transparent = void;
  size_t operator()(InboundKeyView k) const { return std::hash<std::string_view>{}(k.anchor) * 31 + k.dst; }
};
struct InboundKeyEqual {
  using is_transparent = void;
  bool operator()(InboundKeyView a, InboundKeyView b) const { return a.dst == b.dst && a.anchor == b.anchor; }
};

}  // namespace

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
            "c.click_depth, COALESCE(c.parent,0) FROM urls LEFT JOIN click_paths c USING(id) "
            // URLs never fetched can be evidence only when they are off-site links.
            "WHERE state = 'done' OR kind = 'external' OR c.click_depth IS NOT NULL ORDER BY id");
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
      if (!q.is_null(12)) n.click_depth = static_cast<int>(q.integer(12));
      n.parent = static_cast<UrlId>(q.integer(13));
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
    // (target, anchor) -> the shallowest link carrying that anchor text to that target. Sources
    // come ordered by their URL so that, between equally shallow sources, the same one wins
    // every run (URL ids depend on the order pages happened to finish).
    struct Best {
      UrlId from;
      int from_depth;  // -1: the source is not reachable
    };
    std::unordered_map<InboundKey, Best, InboundKeyHash, InboundKeyEqual> best;
    link_blob::Anchors anchors = link_blob::load_anchors(db);
    sql::Statement q(db, "SELECT l.src, l.links FROM page_links l JOIN urls u ON u.id = l.src ORDER BY u.url");
    while (q.step()) {
      auto src = static_cast<UrlId>(q.integer(0));
      const UrlNode* from = g.find(src);
      int depth = from && from->click_depth ? *from->click_depth : -1;
      link_blob::Reader links(q.blob(1), &anchors);
      for (link_blob::LinkView link; links.next(link);) {
        if (link.tag == LinkTag::redirect) continue;
        InboundKeyView key{final_of(link.dst), link.anchor_text};
        auto it = best.find(key);
        if (it == best.end()) best.emplace(InboundKey{key.dst, std::string(key.anchor)}, Best{src, depth});
        else if (depth >= 0 && (it->second.from_depth < 0 || depth < it->second.from_depth)) it->second = {src, depth};
      }
    }
    for (auto it = best.begin(); it != best.end();) {
      auto node = best.extract(it++);
      if (auto at = g.index_.find(node.key().dst); at != g.index_.end())
        g.nodes_[at->second].inbound.push_back({std::move(node.key().anchor), node.mapped().from});
    }
    for (auto& n : g.nodes_)
      std::sort(n.inbound.begin(), n.inbound.end(),
                [](const Inbound& a, const Inbound& b) { return a.anchor_text < b.anchor_text; });
  }
  g.db_ = db;
  return g;
}

std::vector<std::string> EvidenceGraph::excerpts(size_t first, size_t count) const {
  std::vector<std::string> out(count);
  if (count == 0) return out;
  // Node ids ascend, so the slice is one range of the table's key.
  sql::Statement q(db_, "SELECT id, excerpt FROM urls WHERE id BETWEEN ?1 AND ?2 AND excerpt IS NOT NULL ORDER BY id");
  q.bind(1, static_cast<int64_t>(nodes_[first].id)).bind(2, static_cast<int64_t>(nodes_[first + count - 1].id));
  size_t i = first;
  while (q.step()) {
    auto id = static_cast<UrlId>(q.integer(0));
    while (i < first + count && nodes_[i].id < id) ++i;
    if (i == first + count) break;
    if (nodes_[i].id == id) out[i - first] = q.text(1);
  }
  return out;
}

std::string EvidenceGraph::excerpt_of(const UrlNode& node) const {
  auto at = index_.find(node.id);
  return at == index_.end() ? "" : std::move(excerpts(at->second, 1).front());
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
