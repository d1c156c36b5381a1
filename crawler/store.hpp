// Crawl state in SQLite: every known URL with its outcome, every page's links (one row a
// page, crawler/link_blob), and run metadata.
// One connection, one writer. During a crawl the StoreWriter thread owns it so the network
// loop never waits on disk.
#pragma once

#include <sqlite3.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <variant>
#include <vector>

#include <tl/expected.hpp>

#include "crawler/link_blob.hpp"

namespace oit {

// What a URL is to this crawl: an in-scope page or document (fetched), an off-site link
// (a leaf, fetched only with --check-external) or a link that is not http(s) (never fetched).
enum class UrlKind { page, external, unfetchable };
const char* to_string(UrlKind k);

struct UrlRow {
  UrlId id = 0;
  std::string url;
  UrlKind kind = UrlKind::page;
  int discovered_depth = 0;
  // How the crawler learned of it: "link" (followed from a page), "sitemap", "feed",
  // "wordpress-api" or "previous-run".
  // Only links make a URL reachable; the others find evidence the homepage does not link.
  const char* via = "link";  // a string literal
};

// A URL that is known but not fetched (robots, off-site, bounds): kept small, there can be
// millions of these.
struct SkipRow {
  UrlId id = 0;
  const char* reason = "";  // a string literal
};

// The one outcome every URL ends in.
struct OutcomeRow {
  UrlId id = 0;
  std::string state = "done";  // done | skipped
  std::string skip_reason;     // robots | max-depth | trap-guard | max-pages
  long status = 0;
  std::string error;
  std::string content_type;
  int64_t content_length = -1;
  int64_t body_bytes = 0;
  bool truncated = false;
  std::string redirect_to;
  std::string charset;
  std::string title;
  std::vector<std::string> headings;
  std::string excerpt;
  double seconds = 0;
};

struct LinksOfPage {
  UrlId src = 0;
  std::vector<LinkRow> links;
};

struct MetaRow {
  std::string key, value;
};

using StoreRecord = std::variant<UrlRow, SkipRow, OutcomeRow, LinksOfPage, MetaRow>;

class Store {
 public:
  // write: a crawl's (created if needed); read: a finished crawl's, for reports, which never
  // changes the file.
  enum class Access { write, read };
  // Opens the state file. The error names the file and the reason.
  static tl::expected<Store, std::string> open(const std::string& path, Access access = Access::write);
  Store(Store&& other) noexcept;
  Store& operator=(Store&&) = delete;
  ~Store();

  tl::expected<void, std::string> apply(const std::vector<StoreRecord>& batch);
  std::optional<std::string> meta(const std::string& key);
  tl::expected<void, std::string> set_meta(const std::string& key, const std::string& value);
  // Wipes a previous crawl's rows (a fresh crawl into the same folder), keeping the in-site
  // pages it had found in previous_urls: a page that lost its last link is still evidence.
  tl::expected<void, std::string> reset();
  std::vector<std::string> previous_urls();

  struct KnownUrl {
    UrlId id;
    std::string url;
    UrlKind kind;
    int discovered_depth;
    bool handled;  // has an outcome
  };
  void for_each_url(const std::function<void(const KnownUrl&)>& fn);
  sqlite3* handle() { return db_; }

 private:
  explicit Store(sqlite3* db);
  tl::expected<void, std::string> exec(const char* sql);
  tl::expected<void, std::string> migrate_link_rows(Access access);
  tl::expected<void, std::string> migrate_click_paths(Access access);
  sqlite3* db_ = nullptr;
  link_blob::Dictionary anchors_;
  struct Prepared;
  std::unique_ptr<Prepared> prepared_;
};

// Applies records on its own thread in batched transactions. push() never blocks on disk.
// Group commit: a commit costs about as much for one record as for hundreds (it writes the
// touched pages to the WAL), so the writer lets a batch fill for a moment before committing.
class StoreWriter {
 public:
  explicit StoreWriter(Store& store);
  ~StoreWriter();  // drains and joins
  void push(StoreRecord record);
  // Blocks until everything pushed so far is committed; returns the first write error.
  tl::expected<void, std::string> flush();
  // The first write error, if any (disk full, file removed): the crawl stops on it.
  std::optional<std::string> error();
  // Records waiting for the disk: the crawl holds back while this is large.
  size_t backlog();

 private:
  static constexpr size_t kGroupRecords = 512;
  static constexpr std::chrono::milliseconds kGroupWait{50};  // at most this much work is uncommitted
  void run();
  Store& store_;
  std::mutex mutex_;
  std::condition_variable wake_, drained_;
  std::vector<StoreRecord> pending_;
  int flush_waiters_ = 0;  // a flush() commits what is pending without waiting for the group
  bool busy_ = false;
  bool stopping_ = false;
  std::optional<std::string> error_;
  std::thread thread_;
};

}  // namespace oit
