#include "crawler/graph.hpp"

#include <cstdio>
#include <deque>
#include <fstream>
#include <thread>
#include <limits>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "crawler/charset.hpp"
#include "crawler/link_blob.hpp"
#include "crawler/sql.hpp"

namespace oit {
namespace {

constexpr int kUnreached = std::numeric_limits<int>::max();

// A JSON string of text that is valid UTF-8 (anchors come out of gumbo, which replaces bad
// bytes): only quotes, backslashes and control characters need escaping. Anything else (a
// damaged state file) goes through nlohmann's escaper, which replaces invalid bytes.
void append_json_string(std::string& out, std::string_view text) {
  if (!charset::is_valid_utf8(text)) {
    out += nlohmann::json(text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return;
  }
  out += '"';
  for (char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(c));
      out += escaped;
    } else {
      out += c;
    }
  }
  out += '"';
}

// The links part of graph.json: a million links on a big site, so written field by field (keys
// in the order json objects sort them) through one buffer.
void write_links(sqlite3* db, std::ostream& out) {
  link_blob::Anchors anchors = link_blob::load_anchors(db);
  sql::Statement q(db, "SELECT src, links FROM page_links ORDER BY src");
  std::string line;
  bool first = true;
  while (q.step()) {
    std::string src = std::to_string(q.integer(0));
    link_blob::Reader links(q.blob(1), &anchors);
    for (link_blob::LinkView link; links.next(link); first = false) {
      line.assign(first ? "{\"anchor_text\":" : ",\n{\"anchor_text\":");
      append_json_string(line, link.anchor_text);
      line.append(",\"from\":").append(src).append(",\"region\":\"").append(to_string(link.region));
      line.append("\",\"tag\":\"").append(to_string(link.tag)).append("\",\"to\":").append(std::to_string(link.dst));
      line += '}';
      out.write(line.data(), static_cast<std::streamsize>(line.size()));
    }
  }
}

}  // namespace

tl::expected<void, std::string> compute_click_depths(Store& store, UrlId root) {
  sqlite3* db = store.handle();
  UrlId max_id = 0;
  {
    sql::Statement q(db, "SELECT COALESCE(MAX(id), 0) FROM urls");
    if (q.step()) max_id = static_cast<UrlId>(q.integer(0));
  }
  // Adjacency in compressed rows, filled in source order (rows come sorted by src), and each
  // page's links in page order, so ties resolve the same way every run.
  std::vector<uint32_t> offsets(max_id + 2, 0);
  std::vector<uint32_t> targets;
  std::vector<uint8_t> free_edge;
  {
    sql::Statement q(db, "SELECT src, links FROM page_links ORDER BY src");
    while (q.step()) {
      auto src = static_cast<size_t>(q.integer(0));
      if (src > max_id) continue;
      link_blob::Reader links(q.blob(1), nullptr);  // the graph only: no anchor texts
      for (link_blob::LinkView link; links.next(link);) {
        targets.push_back(link.dst);
        free_edge.push_back(link.tag == LinkTag::redirect || link.tag == LinkTag::meta_refresh);
        ++offsets[src + 1];
      }
    }
  }
  for (size_t i = 1; i < offsets.size(); ++i) offsets[i] += offsets[i - 1];
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
  sql::Statement up(db, "UPDATE urls SET click_depth=?, parent=? WHERE id=?");
  for (UrlId id = 1; id <= max_id; ++id) {
    if (depth[id] == kUnreached) continue;
    up.bind(1, int64_t{depth[id]});
    if (id == root) up.bind_null(2); else up.bind(2, int64_t{parent[id]});
    up.bind(3, int64_t{id}).run();
  }
  if (sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK)
    return tl::unexpected(std::string(sqlite3_errmsg(db)));
  return {};
}

tl::expected<void, std::string> export_graph_json(Store& store, const std::string& path,
                                                  const std::string* links_file) {
  using nlohmann::json;
  sqlite3* db = store.handle();

  // Only what final URLs and click paths need, so memory follows the reachable part of the
  // site, not every URL ever seen (a million too-deep URLs cost nothing here).
  std::unordered_map<std::string, std::string> redirect_of;  // url -> redirect target
  struct Step {
    std::string url;
    UrlId parent = 0;
  };
  std::unordered_map<UrlId, Step> reached;  // URLs with a click path
  {
    sql::Statement q(db, "SELECT url, redirect_to FROM urls WHERE redirect_to IS NOT NULL");
    while (q.step()) redirect_of[q.text(0)] = q.text(1);
  }
  {
    sql::Statement q(db, "SELECT id, url, COALESCE(parent, 0) FROM urls WHERE click_depth IS NOT NULL");
    while (q.step()) reached[static_cast<UrlId>(q.integer(0))] = Step{q.text(1), static_cast<UrlId>(q.integer(2))};
  }
  auto final_url = [&](const std::string& url) {
    std::string current = url;
    for (int hops = 0; hops < 50; ++hops) {
      auto it = redirect_of.find(current);
      if (it == redirect_of.end()) break;
      current = it->second;
    }
    return current;
  };

  std::string tmp = path + ".tmp";
  std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
  if (!out) return tl::unexpected("cannot write " + tmp);
  json head;
  {
    sql::Statement q(db, "SELECT key, value FROM meta ORDER BY key");
    while (q.step()) head[q.text(0)] = q.text(1);
  }
  out << "{\"schema\":\"oitcheck.graph/1\",\"meta\":" << head.dump() << ",\n\"urls\":[\n";
  {
    sql::Statement q(db,
            "SELECT id, url, kind, state, skip_reason, status, error, content_type, content_length, body_bytes, "
            "truncated, redirect_to, charset, title, headings, excerpt, click_depth, discovered_depth, via "
            "FROM urls ORDER BY id");
    bool first = true;
    while (q.step()) {
      auto id = static_cast<UrlId>(q.integer(0));
      json u;
      u["id"] = id;
      u["url"] = q.text(1);
      u["kind"] = q.text(2);
      u["state"] = q.text(3);
      if (!q.is_null(4)) u["skip_reason"] = q.text(4);
      u["status"] = q.is_null(5) ? json(nullptr) : json(static_cast<int>(q.integer(5)));
      if (!q.is_null(6)) u["error"] = q.text(6);
      u["content_type"] = q.text(7);
      u["content_length"] = q.integer(8);
      u["body_bytes"] = q.integer(9);
      u["truncated"] = static_cast<int>(q.integer(10)) != 0;
      if (!q.is_null(11)) u["redirect_to"] = q.text(11);
      u["final_url"] = final_url(u["url"].get<std::string>());
      u["charset"] = q.text(12);
      u["title"] = q.text(13);
      std::string headings = q.text(14);
      u["headings"] = headings.empty() ? json::array() : json::parse(headings, nullptr, false);
      u["excerpt"] = q.text(15);
      u["discovered_depth"] = static_cast<int>(q.integer(17));
      u["via"] = q.text(18);
      if (q.is_null(16)) {
        u["click_depth"] = nullptr;
        u["path"] = nullptr;
      } else {
        u["click_depth"] = static_cast<int>(q.integer(16));
        std::vector<std::string> trail;
        for (UrlId at = id; at != 0 && trail.size() < 1000;) {
          auto it = reached.find(at);
          if (it == reached.end()) break;
          trail.push_back(it->second.url);
          at = it->second.parent;
        }
        u["path"] = json(std::vector<std::string>(trail.rbegin(), trail.rend()));
      }
      out << (first ? "" : ",\n") << u.dump(-1, ' ', false, json::error_handler_t::replace);
      first = false;
    }
  }
  out << "\n],\n\"links\":[\n";
  if (links_file) {
    std::ifstream links(*links_file, std::ios::binary);
    if (!links) return tl::unexpected("cannot read " + *links_file);
    // Copying nothing would set the stream's failbit: a site without links has an empty file.
    if (links.peek() != std::ifstream::traits_type::eof()) out << links.rdbuf();
  } else {
    write_links(db, out);
  }
  out << "\n]}\n";
  out.close();
  if (!out) return tl::unexpected("cannot write " + tmp + " (disk full?)");
  if (std::rename(tmp.c_str(), path.c_str()) != 0) return tl::unexpected("cannot replace " + path);
  return {};
}

tl::expected<void, std::string> finish_graph(Store& store, UrlId root, const std::string& path) {
  // The links part (most of graph.json) needs no depths: it is written on a second, read-only
  // connection (WAL lets it read while the depths are written) while the depths are computed.
  const char* db_file = sqlite3_db_filename(store.handle(), "main");
  sqlite3* reader = nullptr;
  if (!db_file || !*db_file ||
      sqlite3_open_v2(db_file, &reader, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    sqlite3_close(reader);
    if (auto r = compute_click_depths(store, root); !r) return r;
    return export_graph_json(store, path);
  }
  std::string links_tmp = path + ".links.tmp";
  bool links_ok = false;
  std::thread links([&] {
    std::ofstream out(links_tmp, std::ios::binary | std::ios::trunc);
    write_links(reader, out);
    out.close();
    links_ok = static_cast<bool>(out);
  });
  auto depths = compute_click_depths(store, root);
  links.join();
  sqlite3_close(reader);
  tl::expected<void, std::string> written =
      !depths ? depths
              : links_ok ? export_graph_json(store, path, &links_tmp)
                         : tl::unexpected("cannot write " + links_tmp + " (disk full?)");
  std::remove(links_tmp.c_str());
  return written;
}

}  // namespace oit
