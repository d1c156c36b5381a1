#include "crawler/graph.hpp"

#include <cstdio>
#include <deque>
#include <fstream>
#include <limits>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

namespace oit {
namespace {

constexpr int kUnreached = std::numeric_limits<int>::max();

std::string column_text(sqlite3_stmt* s, int i) {
  const unsigned char* t = sqlite3_column_text(s, i);
  return t ? reinterpret_cast<const char*>(t) : "";
}

struct Query {
  Query(sqlite3* db, const char* sql) { sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr); }
  ~Query() { sqlite3_finalize(stmt); }
  bool step() { return sqlite3_step(stmt) == SQLITE_ROW; }
  sqlite3_stmt* stmt = nullptr;
};

}  // namespace

tl::expected<void, std::string> compute_click_depths(Store& store, UrlId root) {
  sqlite3* db = store.handle();
  UrlId max_id = 0;
  {
    Query q(db, "SELECT COALESCE(MAX(id), 0) FROM urls");
    if (q.step()) max_id = static_cast<UrlId>(sqlite3_column_int64(q.stmt, 0));
  }
  // Adjacency in compressed rows: links are read twice (count, then fill) to keep memory flat.
  std::vector<uint32_t> offsets(max_id + 2, 0);
  {
    Query q(db, "SELECT src FROM links");
    while (q.step()) ++offsets[static_cast<size_t>(sqlite3_column_int64(q.stmt, 0)) + 1];
  }
  for (size_t i = 1; i < offsets.size(); ++i) offsets[i] += offsets[i - 1];
  std::vector<uint32_t> targets(offsets.back());
  std::vector<uint8_t> free_edge(offsets.back());
  {
    std::vector<uint32_t> fill(offsets.begin(), offsets.end() - 1);
    Query q(db, "SELECT src, dst, tag FROM links");
    while (q.step()) {
      auto src = static_cast<size_t>(sqlite3_column_int64(q.stmt, 0));
      uint32_t at = fill[src]++;
      targets[at] = static_cast<uint32_t>(sqlite3_column_int64(q.stmt, 1));
      std::string tag = column_text(q.stmt, 2);
      free_edge[at] = tag == "redirect" || tag == "meta-refresh";
    }
  }
  std::vector<int> depth(max_id + 1, kUnreached);
  std::vector<UrlId> parent(max_id + 1, 0);
  std::deque<UrlId> queue;
  if (root <= max_id) {
    depth[root] = 0;
    queue.push_back(root);
  }
  while (!queue.empty()) {
    UrlId u = queue.front();
    queue.pop_front();
    for (uint32_t e = offsets[u]; e < offsets[u + 1]; ++e) {
      UrlId v = targets[e];
      int d = depth[u] + (free_edge[e] ? 0 : 1);
      if (v > max_id || d >= depth[v]) continue;
      depth[v] = d;
      parent[v] = u;
      free_edge[e] ? queue.push_front(v) : queue.push_back(v);
    }
  }
  if (sqlite3_exec(db, "BEGIN; UPDATE urls SET click_depth=NULL, parent=NULL;", nullptr, nullptr, nullptr) != SQLITE_OK)
    return tl::unexpected(std::string(sqlite3_errmsg(db)));
  sqlite3_stmt* up = nullptr;
  sqlite3_prepare_v2(db, "UPDATE urls SET click_depth=?, parent=? WHERE id=?", -1, &up, nullptr);
  for (UrlId id = 1; id <= max_id; ++id) {
    if (depth[id] == kUnreached) continue;
    sqlite3_bind_int(up, 1, depth[id]);
    if (id == root) sqlite3_bind_null(up, 2); else sqlite3_bind_int64(up, 2, parent[id]);
    sqlite3_bind_int64(up, 3, id);
    sqlite3_step(up);
    sqlite3_reset(up);
  }
  sqlite3_finalize(up);
  if (sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK)
    return tl::unexpected(std::string(sqlite3_errmsg(db)));
  return {};
}

tl::expected<void, std::string> export_graph_json(Store& store, const std::string& path) {
  using nlohmann::json;
  sqlite3* db = store.handle();

  // id -> (url, redirect target, parent) for final URLs and click paths.
  struct Brief {
    std::string url, redirect_to;
    UrlId parent = 0;
  };
  std::unordered_map<UrlId, Brief> brief;
  std::unordered_map<std::string, UrlId> id_of;
  {
    Query q(db, "SELECT id, url, redirect_to, parent FROM urls");
    while (q.step()) {
      auto id = static_cast<UrlId>(sqlite3_column_int64(q.stmt, 0));
      brief[id] = Brief{column_text(q.stmt, 1), column_text(q.stmt, 2),
                        static_cast<UrlId>(sqlite3_column_int64(q.stmt, 3))};
      id_of[brief[id].url] = id;
    }
  }
  auto final_url = [&](const Brief& b) {
    std::string current = b.url, next = b.redirect_to;
    for (int hops = 0; !next.empty() && hops < 50; ++hops) {
      current = next;
      auto it = id_of.find(next);
      next = it == id_of.end() ? "" : brief[it->second].redirect_to;
    }
    return current;
  };

  std::string tmp = path + ".tmp";
  std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
  if (!out) return tl::unexpected("cannot write " + tmp);
  json head;
  {
    Query q(db, "SELECT key, value FROM meta ORDER BY key");
    while (q.step()) head[column_text(q.stmt, 0)] = column_text(q.stmt, 1);
  }
  out << "{\"schema\":\"oitcheck.graph/1\",\"meta\":" << head.dump() << ",\n\"urls\":[\n";
  {
    Query q(db,
            "SELECT id, url, kind, state, skip_reason, status, error, content_type, content_length, body_bytes, "
            "truncated, redirect_to, charset, title, headings, excerpt, click_depth, discovered_depth, via "
            "FROM urls ORDER BY id");
    bool first = true;
    while (q.step()) {
      auto id = static_cast<UrlId>(sqlite3_column_int64(q.stmt, 0));
      json u;
      u["id"] = id;
      u["url"] = column_text(q.stmt, 1);
      u["kind"] = column_text(q.stmt, 2);
      u["state"] = column_text(q.stmt, 3);
      if (sqlite3_column_type(q.stmt, 4) != SQLITE_NULL) u["skip_reason"] = column_text(q.stmt, 4);
      u["status"] = sqlite3_column_type(q.stmt, 5) == SQLITE_NULL ? json(nullptr) : json(sqlite3_column_int(q.stmt, 5));
      if (sqlite3_column_type(q.stmt, 6) != SQLITE_NULL) u["error"] = column_text(q.stmt, 6);
      u["content_type"] = column_text(q.stmt, 7);
      u["content_length"] = sqlite3_column_int64(q.stmt, 8);
      u["body_bytes"] = sqlite3_column_int64(q.stmt, 9);
      u["truncated"] = sqlite3_column_int(q.stmt, 10) != 0;
      if (sqlite3_column_type(q.stmt, 11) != SQLITE_NULL) u["redirect_to"] = column_text(q.stmt, 11);
      u["final_url"] = final_url(brief[id]);
      u["charset"] = column_text(q.stmt, 12);
      u["title"] = column_text(q.stmt, 13);
      std::string headings = column_text(q.stmt, 14);
      u["headings"] = headings.empty() ? json::array() : json::parse(headings, nullptr, false);
      u["excerpt"] = column_text(q.stmt, 15);
      u["discovered_depth"] = sqlite3_column_int(q.stmt, 17);
      u["via"] = column_text(q.stmt, 18);
      if (sqlite3_column_type(q.stmt, 16) == SQLITE_NULL) {
        u["click_depth"] = nullptr;
        u["path"] = nullptr;
      } else {
        u["click_depth"] = sqlite3_column_int(q.stmt, 16);
        std::vector<std::string> trail;
        for (UrlId at = id; at != 0 && trail.size() < 1000; at = brief[at].parent) trail.push_back(brief[at].url);
        u["path"] = json(std::vector<std::string>(trail.rbegin(), trail.rend()));
      }
      out << (first ? "" : ",\n") << u.dump(-1, ' ', false, json::error_handler_t::replace);
      first = false;
    }
  }
  out << "\n],\n\"links\":[\n";
  {
    Query q(db, "SELECT src, dst, anchor, region, tag FROM links ORDER BY src, ord");
    bool first = true;
    while (q.step()) {
      json l = {{"from", sqlite3_column_int64(q.stmt, 0)},
                {"to", sqlite3_column_int64(q.stmt, 1)},
                {"anchor_text", column_text(q.stmt, 2)},
                {"region", column_text(q.stmt, 3)},
                {"tag", column_text(q.stmt, 4)}};
      out << (first ? "" : ",\n") << l.dump(-1, ' ', false, json::error_handler_t::replace);
      first = false;
    }
  }
  out << "\n]}\n";
  out.close();
  if (!out) return tl::unexpected("cannot write " + tmp + " (disk full?)");
  if (std::rename(tmp.c_str(), path.c_str()) != 0) return tl::unexpected("cannot replace " + path);
  return {};
}

}  // namespace oit
