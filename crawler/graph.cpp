#include "crawler/graph.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
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
#include "crawler/thread_name.hpp"

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
  size_t plain = 0;  // start of the run of bytes that need no escaping, appended in one go
  for (size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(text.data() + plain, i - plain);
    plain = i + 1;
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(c));
      out += escaped;
    }
  }
  out.append(text.data() + plain, text.size() - plain);
  out += '"';
}

// The links part of graph.json: a million links on a big site, so written field by field (keys
// in the order json objects sort them) through one buffer.
void write_links(sqlite3* db, std::ostream& out) {
  // Shared anchors (the menu's, on every page) are escaped once, not once a link: the table
  // holds their JSON form from here on.
  link_blob::Anchors anchors = link_blob::load_anchors(db);
  for (auto& anchor : anchors) {
    std::string escaped;
    append_json_string(escaped, anchor);
    anchor = std::move(escaped);
  }
  sql::Statement q(db, "SELECT src, links FROM page_links ORDER BY src");
  out << "\"links\":[\n";
  std::string page;  // one page's links, written to the stream in one call
  bool first = true;
  while (q.step()) {
    std::string from = ",\"from\":" + std::to_string(q.integer(0)) + ",\"region\":\"";
    link_blob::Reader links(q.blob(1), &anchors);
    page.clear();
    for (link_blob::LinkView link; links.next(link); first = false) {
      page.append(first ? "{\"anchor_text\":" : ",\n{\"anchor_text\":");
      if (link.anchor_id) page += link.anchor_text;
      else append_json_string(page, link.anchor_text);
      page.append(from).append(to_string(link.region)).append("\",\"tag\":\"").append(to_string(link.tag));
      char to[16];
      page.append("\",\"to\":").append(to, std::to_chars(to, to + sizeof to, link.dst).ptr);
      page += '}';
    }
    out.write(page.data(), static_cast<std::streamsize>(page.size()));
  }
  out << "\n],\n";
}

// Click depth and parent (the URL one click or redirect before it on a shortest path) by id;
// kUnreached for URLs the homepage does not reach.
struct ClickDepths {
  std::vector<int> depth;
  std::vector<UrlId> parent;
  bool reached(UrlId id) const { return id < depth.size() && depth[id] != kUnreached; }
};

// 0-1 breadth-first walk from `root` over the stored links: a click costs 1, an HTTP redirect
// or meta refresh costs 0 (the visitor does nothing).
ClickDepths walk_click_depths(sqlite3* db, UrlId root) {
  UrlId max_id = 0;
  {
    sql::Statement q(db, "SELECT COALESCE(MAX(id), 0) FROM urls");
    if (q.step()) max_id = static_cast<UrlId>(q.integer(0));
  }
  // Adjacency in compressed rows, filled in source order (rows come sorted by src), and each
  // page's links in page order, so ties resolve the same way every run. 4 bytes a link: the
  // top bit marks an edge that costs no click. The end of the crawl is when memory peaks, so
  // the array is sized once from the stored counts (bounded by the bytes: a link takes at
  // least 3) instead of doubling as it grows.
  constexpr uint32_t kFreeEdge = 1u << 31;
  std::vector<uint32_t> offsets(max_id + 2, 0);
  std::vector<uint32_t> targets;
  {
    sql::Statement q(db, "SELECT COALESCE(SUM(count), 0), COALESCE(SUM(length(links)), 0) FROM page_links");
    if (q.step()) targets.reserve(static_cast<size_t>(std::clamp<int64_t>(q.integer(0), 0, q.integer(1) / 3)));
  }
  {
    sql::Statement q(db, "SELECT src, links FROM page_links ORDER BY src");
    while (q.step()) {
      auto src = static_cast<size_t>(q.integer(0));
      if (src > max_id) continue;
      link_blob::Reader links(q.blob(1), nullptr);  // the graph only: no anchor texts
      for (link_blob::LinkView link; links.next(link);) {
        if (link.dst > max_id) continue;  // not a URL of this crawl (a damaged state)
        bool free = link.tag == LinkTag::redirect || link.tag == LinkTag::meta_refresh;
        targets.push_back(link.dst | (free ? kFreeEdge : 0));
        ++offsets[src + 1];
      }
    }
  }
  for (size_t i = 1; i < offsets.size(); ++i) offsets[i] += offsets[i - 1];
  ClickDepths walk;
  auto& [depth, parent] = walk;
  depth.assign(max_id + 1, kUnreached);
  parent.assign(max_id + 1, 0);
  std::deque<UrlId> queue;
  if (root <= max_id) {
    depth[root] = 0;
    queue.push_back(root);
  }
  while (!queue.empty()) {
    UrlId u = queue.front();
    queue.pop_front();
    for (uint32_t e = offsets[u]; e < offsets[u + 1]; ++e) {
      UrlId v = targets[e] & ~kFreeEdge;
      bool free = targets[e] & kFreeEdge;
      int d = depth[u] + (free ? 0 : 1);
      if (d >= depth[v]) continue;
      depth[v] = d;
      parent[v] = u;
      free ? queue.push_front(v) : queue.push_back(v);
    }
  }
  return walk;
}

// Into the click_paths table, replacing an earlier run's; URLs the homepage does not reach
// have no row.
tl::expected<void, std::string> store_click_depths(sqlite3* db, const ClickDepths& d, UrlId root) {
  if (sqlite3_exec(db, "BEGIN; DELETE FROM click_paths;", nullptr, nullptr, nullptr) != SQLITE_OK)
    return tl::unexpected(std::string(sqlite3_errmsg(db)));
  sql::Statement put(db, "INSERT INTO click_paths(id, click_depth, parent) VALUES(?,?,?)");
  for (UrlId id = 1; id < d.depth.size(); ++id) {
    if (!d.reached(id)) continue;
    put.bind(1, int64_t{id}).bind(2, int64_t{d.depth[id]});
    if (id == root) put.bind_null(3); else put.bind(3, int64_t{d.parent[id]});
    if (put.run() != SQLITE_DONE) {
      std::string why = sqlite3_errmsg(db);
      sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
      return tl::unexpected(why);
    }
  }
  if (sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK)
    return tl::unexpected(std::string(sqlite3_errmsg(db)));
  return {};
}

// graph.json in three parts: the head (schema, meta), the links, and the URLs with their
// depths and paths. JSON objects are unordered, so "links" coming before "urls" changes nothing
// for a reader.
void write_head(sqlite3* db, std::ostream& out) {
  nlohmann::json head = nlohmann::json::object();
  sql::Statement q(db, "SELECT key, value FROM meta ORDER BY key");
  while (q.step()) head[q.text(0)] = q.text(1);
  out << "{\"schema\":\"oitcheck.graph/1\",\"meta\":" << head.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)
      << ",\n";
}

// One URL object per line, field by field: thousands of rows with kilobytes of Thai text each.
class UrlWriter {
 public:
  // The depths come from the walk, not from the urls table: this part is written while they
  // are being stored.
  UrlWriter(sqlite3* db, const ClickDepths& depths) : db_(db), depths_(depths) {
    // Only what final URLs and click paths need, so memory follows the reachable part of the
    // site, not every URL ever seen (a million too-deep URLs cost nothing here).
    sql::Statement redirects(db, "SELECT url, redirect_to FROM urls WHERE redirect_to IS NOT NULL");
    while (redirects.step()) redirect_of_[redirects.text(0)] = redirects.text(1);
    sql::Statement urls(db, "SELECT id, url FROM urls");
    while (urls.step())
      if (auto id = static_cast<UrlId>(urls.integer(0)); depths.reached(id)) reached_url_[id] = urls.text(1);
  }

  void write(std::ostream& out) {
    sql::Statement q(db_,
                     "SELECT id, url, kind, state, skip_reason, status, error, content_type, content_length, "
                     "body_bytes, truncated, redirect_to, charset, title, headings, excerpt, "
                     "discovered_depth, via FROM urls ORDER BY id");
    out << "\"urls\":[\n";
    bool first = true;
    while (q.step()) {
      line_.assign(first ? "{" : ",\n{");
      first = false;
      auto id = static_cast<UrlId>(q.integer(0));
      number("id", id);
      text("url", q.text_view(1));
      text("kind", q.text_view(2));
      text("state", q.text_view(3));
      if (!q.is_null(4)) text("skip_reason", q.text_view(4));
      q.is_null(5) ? raw("status", "null") : number("status", q.integer(5));
      if (!q.is_null(6)) text("error", q.text_view(6));
      text("content_type", q.text_view(7));
      number("content_length", q.integer(8));
      number("body_bytes", q.integer(9));
      raw("truncated", q.integer(10) != 0 ? "true" : "false");
      if (!q.is_null(11)) text("redirect_to", q.text_view(11));
      text("final_url", final_url(q.text(1)));
      text("charset", q.text_view(12));
      text("title", q.text_view(13));
      std::string_view headings = q.text_view(14);  // stored as a JSON array by the store
      raw("headings", !headings.empty() && headings.front() == '[' && nlohmann::json::accept(headings) ? headings : "[]");
      text("excerpt", q.text_view(15));
      number("discovered_depth", q.integer(16));
      text("via", q.text_view(17));
      if (depths_.reached(id)) {
        number("click_depth", depths_.depth[id]);
        path(id);
      } else {
        raw("click_depth", "null");
        raw("path", "null");
      }
      line_.back() = '}';  // the last field's comma
      out.write(line_.data(), static_cast<std::streamsize>(line_.size()));
    }
    out << "\n]}\n";
  }

 private:
  void key(const char* name) { line_.append("\"").append(name).append("\":"); }
  void raw(const char* name, std::string_view value) {
    key(name);
    line_.append(value).append(",");
  }
  void number(const char* name, int64_t value) { raw(name, std::to_string(value)); }
  void text(const char* name, std::string_view value) {
    key(name);
    append_json_string(line_, value);
    line_ += ',';
  }
  // One shortest click path, homepage first.
  void path(UrlId id) {
    trail_.clear();
    for (UrlId at = id; at != 0 && trail_.size() < 1000; at = depths_.parent[at]) {
      auto it = reached_url_.find(at);
      if (it == reached_url_.end()) break;
      trail_.push_back(&it->second);
    }
    key("path");
    line_ += '[';
    for (auto it = trail_.rbegin(); it != trail_.rend(); ++it) {
      if (it != trail_.rbegin()) line_ += ',';
      append_json_string(line_, **it);
    }
    line_ += "],";
  }
  // Where a URL ends after its redirects (bounded: loops end).
  std::string final_url(std::string url) const {
    for (int hops = 0; hops < 50; ++hops) {
      auto it = redirect_of_.find(url);
      if (it == redirect_of_.end()) break;
      url = it->second;
    }
    return url;
  }

  sqlite3* db_;
  const ClickDepths& depths_;
  std::unordered_map<std::string, std::string> redirect_of_;
  std::unordered_map<UrlId, std::string> reached_url_;
  std::vector<const std::string*> trail_;
  std::string line_;
};

// A read-only connection to the state file, for a part written beside the main connection
// (WAL lets it read while the depths are written). Null for an in-memory or unnamed state.
class SideReader {
 public:
  explicit SideReader(sqlite3* main) {
    const char* file = sqlite3_db_filename(main, "main");
    if (!file || !*file || sqlite3_open_v2(file, &db_, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
      sqlite3_close(db_);
      db_ = nullptr;
      return;
    }
    // It reads each row once, in order: a big page cache would only add to the end's peak.
    sqlite3_exec(db_, "PRAGMA cache_size=-256", nullptr, nullptr, nullptr);
  }
  ~SideReader() { sqlite3_close(db_); }
  SideReader(const SideReader&) = delete;
  SideReader& operator=(const SideReader&) = delete;
  sqlite3* get() const { return db_; }

 private:
  sqlite3* db_ = nullptr;
};

// Appends the file at `from` to the end of the file at `to`: in the kernel where it can
// (copy_file_range; a user-space copy of a 40 MB part took 70 ms), else through a buffer.
bool append_file(const std::string& to, const std::string& from) {
  int in = ::open(from.c_str(), O_RDONLY | O_CLOEXEC);
  int out = ::open(to.c_str(), O_WRONLY | O_CLOEXEC);
  struct stat end {};
  bool ok = in >= 0 && out >= 0 && ::fstat(out, &end) == 0;
  off_t at = ok ? end.st_size : 0;
  ssize_t n = 0;
  while (ok && (n = ::copy_file_range(in, nullptr, out, &at, size_t{1} << 30, 0)) > 0) {
  }
  if (ok && n < 0) {  // no in-kernel copy here: from where it stopped, through a buffer
    std::vector<char> buffer(1 << 20);
    ok = ::lseek(out, at, SEEK_SET) == at;
    while (ok && (n = ::read(in, buffer.data(), buffer.size())) > 0)
      for (ssize_t done = 0, w = 0; ok && done < n; done += w) ok = (w = ::write(out, buffer.data() + done, n - done)) > 0;
    ok = ok && n == 0;
  }
  if (in >= 0) ::close(in);
  if (out >= 0 && ::close(out) != 0) ok = false;
  return ok;
}

}  // namespace

tl::expected<void, std::string> finish_graph(Store& store, UrlId root, const std::string& path) {
  std::string tmp = path + ".tmp", urls_tmp = path + ".urls.tmp";
  std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
  if (!out) return tl::unexpected("cannot write " + tmp);
  sqlite3* main = store.handle();
  tl::expected<void, std::string> result;
  SideReader links_reader(main), urls_reader(main);
  if (links_reader.get() && urls_reader.get()) {
    // The end of a crawl runs on one core unless its parts overlap: the head and the links
    // (which need no depths) from the start, and once the walk is done, the URLs (into a side
    // file, appended after the links) while the depths are stored.
    std::thread links([&] {
      name_this_thread("oit-graph");
      write_head(links_reader.get(), out);
      write_links(links_reader.get(), out);
    });
    ClickDepths depths = walk_click_depths(main, root);
    std::ofstream urls_out(urls_tmp, std::ios::binary | std::ios::trunc);
    std::thread urls([&] {
      name_this_thread("oit-graph");
      UrlWriter(urls_reader.get(), depths).write(urls_out);
    });
    result = store_click_depths(main, depths, root);
    urls.join();
    links.join();
    urls_out.close();
    out.close();
    if (result && (!urls_out || !out || !append_file(tmp, urls_tmp))) result = tl::unexpected("cannot write " + tmp + " (disk full?)");
    std::remove(urls_tmp.c_str());
  } else {  // an in-memory or unnamed state: one connection, one part after the other
    write_head(main, out);
    write_links(main, out);
    ClickDepths depths = walk_click_depths(main, root);
    result = store_click_depths(main, depths, root);
    if (result) UrlWriter(main, depths).write(out);
  }
  if (out.is_open()) out.close();
  if (result && !out) result = tl::unexpected("cannot write " + tmp + " (disk full?)");
  if (result && std::rename(tmp.c_str(), path.c_str()) != 0) result = tl::unexpected("cannot replace " + path);
  if (!result) std::remove(tmp.c_str());
  return result;
}

}  // namespace oit
