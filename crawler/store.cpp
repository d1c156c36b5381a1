#include "crawler/store.hpp"

#include <nlohmann/json.hpp>

#include "crawler/sql.hpp"
#include "crawler/thread_name.hpp"

namespace oit {
using sql::Statement;

const char* to_string(UrlKind k) {
  switch (k) {
    case UrlKind::page: return "page";
    case UrlKind::external: return "external";
    case UrlKind::unfetchable: return "unfetchable";
  }
  return "page";
}

namespace {

UrlKind kind_from(std::string_view s) {
  if (s == "external") return UrlKind::external;
  if (s == "unfetchable") return UrlKind::unfetchable;
  return UrlKind::page;
}

// The word an older state wrote for a region or tag, back to the enum.
template <typename Enum>
Enum enum_named(std::string_view name, Enum last, Enum fallback) {
  for (unsigned i = 0; i <= static_cast<unsigned>(last); ++i)
    if (name == to_string(static_cast<Enum>(i))) return static_cast<Enum>(i);
  return fallback;
}

const char* kSchema = R"SQL(
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS urls(
  id INTEGER PRIMARY KEY,
  url TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,
  discovered_depth INTEGER NOT NULL,
  via TEXT NOT NULL DEFAULT 'link',
  state TEXT NOT NULL DEFAULT 'queued',
  skip_reason TEXT,
  status INTEGER,
  error TEXT,
  content_type TEXT,
  content_length INTEGER,
  body_bytes INTEGER,
  truncated INTEGER,
  redirect_to TEXT,
  charset TEXT,
  title TEXT,
  headings TEXT,
  excerpt TEXT,
  seconds REAL
);
CREATE TABLE IF NOT EXISTS previous_urls(url TEXT PRIMARY KEY);
)SQL";
// Click depth and the URL one click (or redirect) before on a shortest path, for every URL the
// homepage reaches. A table of its own: a urls row holds kilobytes of excerpt, and SQLite
// rewrites a whole row to change one column (writing 13,000 depths into urls took 160 ms).
// `kind` is "TEMP" for a reader of an older state, which kept them in urls.
std::string click_paths_table(const std::string& kind) {
  return "CREATE " + kind + " TABLE IF NOT EXISTS click_paths(id INTEGER PRIMARY KEY, click_depth INTEGER NOT NULL, "
         "parent INTEGER);";
}
// A page's links in page order, encoded by crawler/link_blob, and the anchor texts they share.
// `kind` is "TEMP" for a reader converting an older state, which it may not write to.
std::string link_tables(const std::string& kind) {
  return "CREATE " + kind + " TABLE IF NOT EXISTS page_links(src INTEGER PRIMARY KEY, links BLOB NOT NULL, "
         "count INTEGER NOT NULL);"
         "CREATE " + kind + " TABLE IF NOT EXISTS anchors(id INTEGER PRIMARY KEY, text TEXT NOT NULL);";
}

}  // namespace

tl::expected<Store, std::string> Store::open(const std::string& path, Access access) {
  sqlite3* db = nullptr;
  int flags = access == Access::read ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string why = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close(db);
    return tl::unexpected("cannot open the crawl state file " + path + ": " + why);
  }
  Store store(db);
  sqlite3_busy_timeout(db, 5000);
  if (access == Access::write) {
    // WAL keeps readers (a report being written) off the writer's back; NORMAL sync survives
    // a crash of this process, which is what resume needs.
    // A 1 MiB page cache: writes are appends, and a fleet holds dozens of these open at once.
    // 16 KiB pages (for a new file; WAL fixes an existing file's): a page's 4 KB excerpt
    // fits in its row instead of an overflow page, and the writer's CPU fell by a sixth.
    if (auto r = store.exec("PRAGMA page_size=16384; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                            "PRAGMA cache_size=-1024;");
        !r)
      return tl::unexpected("cannot use the crawl state file " + path + ": " + r.error());
    if (auto r = store.exec((kSchema + link_tables("") + click_paths_table("")).c_str()); !r)
      return tl::unexpected("cannot use the crawl state file " + path + ": " + r.error());
  }
  if (auto r = store.migrate_link_rows(access); !r)
    return tl::unexpected("cannot convert the links of the crawl state file " + path + ": " + r.error());
  if (auto r = store.migrate_click_paths(access); !r)
    return tl::unexpected("cannot convert the click depths of the crawl state file " + path + ": " + r.error());
  store.anchors_.load(db);
  return store;
}

// States written before links became one row a page have a `links` table with a row a link:
// they are converted once, so --resume and reports keep working on them. A reader converts
// into TEMP tables, which shadow the file's for its connection and leave the file as it was
// (an old crawl folder may be read-only).
tl::expected<void, std::string> Store::migrate_link_rows(Access access) {
  {
    Statement q(db_, "SELECT 1 FROM main.sqlite_master WHERE type = 'table' AND name = 'links'");
    if (!q.step()) return {};
  }
  if (access == Access::read)
    if (auto r = exec(link_tables("TEMP").c_str()); !r) return r;
  if (auto r = exec("BEGIN"); !r) return r;
  Statement rows(db_, "SELECT src, dst, anchor, region, tag FROM links ORDER BY src, ord");
  Statement put(db_, "INSERT OR REPLACE INTO page_links(src, links, count) VALUES(?,?,?)");
  LinksOfPage page;
  int rc = SQLITE_DONE;
  auto flush = [&] {
    if (!page.links.empty() && rc == SQLITE_DONE)
      rc = put.bind(1, int64_t{page.src}).bind_blob(2, link_blob::encode(page.links))
               .bind(3, static_cast<int64_t>(page.links.size())).run();
    page.links.clear();
  };
  while (rows.step()) {
    auto src = static_cast<UrlId>(rows.integer(0));
    if (src != page.src) flush();
    page.src = src;
    page.links.push_back(LinkRow{static_cast<UrlId>(rows.integer(1)), rows.text(2),
                                 enum_named(rows.text_view(3), Region::footer, Region::body),
                                 enum_named(rows.text_view(4), LinkTag::redirect, LinkTag::a)});
  }
  flush();
  if (rc != SQLITE_DONE) {
    std::string why = sqlite3_errmsg(db_);
    exec("ROLLBACK");
    return tl::unexpected(why);
  }
  if (auto r = exec(access == Access::read ? "COMMIT" : "DROP TABLE links; COMMIT"); !r) {
    exec("ROLLBACK");
    return r;
  }
  return {};
}

// States written before click_paths had the depths in urls.click_depth and urls.parent: they are
// copied over once (into TEMP for a reader), and those columns are not read again.
tl::expected<void, std::string> Store::migrate_click_paths(Access access) {
  {
    Statement legacy(db_, "SELECT 1 FROM pragma_table_info('urls') WHERE name = 'click_depth'");
    if (!legacy.step()) return {};
    Statement present(db_,
                      access == Access::read ? "SELECT 1 FROM main.sqlite_master WHERE type = 'table' AND name = 'click_paths'"
                                             : "SELECT 1 FROM click_paths LIMIT 1");
    if (present.step()) return {};
  }
  if (access == Access::read)
    if (auto r = exec(click_paths_table("TEMP").c_str()); !r) return r;
  return exec("INSERT INTO click_paths(id, click_depth, parent) SELECT id, click_depth, parent FROM urls "
              "WHERE click_depth IS NOT NULL");
}

Store::Store(sqlite3* db) : db_(db) {}

Store::Store(Store&& other) noexcept
    : db_(other.db_), anchors_(std::move(other.anchors_)), prepared_(std::move(other.prepared_)) {
  other.db_ = nullptr;
}

Store::~Store() {
  prepared_.reset();  // statements are finalized before their connection closes
  if (db_) sqlite3_close(db_);
}

tl::expected<void, std::string> Store::exec(const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string why = err ? err : sqlite3_errmsg(db_);
    sqlite3_free(err);
    return tl::unexpected(why);
  }
  return {};
}

tl::expected<void, std::string> Store::reset() {
  auto done = exec(
      "INSERT OR IGNORE INTO previous_urls(url) SELECT url FROM urls WHERE kind = 'page' AND status BETWEEN 200 AND 299;"
      "DELETE FROM page_links; DELETE FROM anchors; DELETE FROM click_paths; DELETE FROM urls; DELETE FROM meta;");
  anchors_.load(db_);
  return done;
}

std::vector<std::string> Store::previous_urls() {
  std::vector<std::string> urls;
  Statement q(db_, "SELECT url FROM previous_urls ORDER BY url");
  while (q.step()) urls.push_back(q.text(0));
  return urls;
}

// The statements apply() runs, prepared once: a crawl commits thousands of small batches.
struct Store::Prepared {
  explicit Prepared(sqlite3* db)
      : add_url(db, "INSERT OR IGNORE INTO urls(id, url, kind, discovered_depth, via) VALUES(?,?,?,?,?)"),
        set_outcome(db,
                    "UPDATE urls SET state=?2, skip_reason=?3, status=?4, error=?5, content_type=?6, "
                    "content_length=?7, body_bytes=?8, truncated=?9, redirect_to=?10, charset=?11, "
                    "title=?12, headings=?13, excerpt=?14, seconds=?15 WHERE id=?1"),
        // A page re-parsed after resume replaces its links.
        put_links(db, "INSERT OR REPLACE INTO page_links(src, links, count) VALUES(?,?,?)"),
        put_anchor(db, "INSERT INTO anchors(id, text) VALUES(?,?)"),
        put_meta(db, "INSERT OR REPLACE INTO meta(key, value) VALUES(?,?)"),
        skip(db, "UPDATE urls SET state='skipped', skip_reason=?2 WHERE id=?1") {}
  Statement add_url, set_outcome, put_links, put_anchor, put_meta, skip;
};

tl::expected<void, std::string> Store::apply(const std::vector<StoreRecord>& batch) {
  if (auto r = exec("BEGIN"); !r) return r;
  if (!prepared_) prepared_ = std::make_unique<Prepared>(db_);
  auto& [add_url, set_outcome, put_links, put_anchor, put_meta, skip] = *prepared_;
  std::vector<std::pair<uint32_t, std::string>> new_anchors;

  int rc = SQLITE_DONE;
  for (const auto& record : batch) {
    if (const auto* u = std::get_if<UrlRow>(&record)) {
      rc = add_url.bind(1, int64_t{u->id}).bind(2, u->url).bind(3, to_string(u->kind))
               .bind(4, int64_t{u->discovered_depth}).bind(5, u->via).run();
    } else if (const auto* o = std::get_if<OutcomeRow>(&record)) {
      set_outcome.bind(1, int64_t{o->id}).bind(2, o->state);
      o->skip_reason.empty() ? set_outcome.bind_null(3) : set_outcome.bind(3, o->skip_reason);
      o->status ? set_outcome.bind(4, int64_t{o->status}) : set_outcome.bind_null(4);
      o->error.empty() ? set_outcome.bind_null(5) : set_outcome.bind(5, o->error);
      set_outcome.bind(6, o->content_type).bind(7, o->content_length).bind(8, o->body_bytes)
          .bind(9, int64_t{o->truncated});
      o->redirect_to.empty() ? set_outcome.bind_null(10) : set_outcome.bind(10, o->redirect_to);
      set_outcome.bind(11, o->charset).bind(12, o->title)
          .bind(13, nlohmann::json(o->headings).dump()).bind(14, o->excerpt).bind(15, o->seconds);
      rc = set_outcome.run();
    } else if (const auto* l = std::get_if<LinksOfPage>(&record)) {
      new_anchors.clear();
      std::string blob = link_blob::encode(l->links, &anchors_, &new_anchors);
      for (const auto& [id, text] : new_anchors)
        if (rc == SQLITE_DONE) rc = put_anchor.bind(1, int64_t{id}).bind(2, text).run();
      if (rc == SQLITE_DONE)
        rc = put_links.bind(1, int64_t{l->src}).bind_blob(2, blob).bind(3, static_cast<int64_t>(l->links.size())).run();
    } else if (const auto* k = std::get_if<SkipRow>(&record)) {
      rc = skip.bind(1, int64_t{k->id}).bind(2, k->reason).run();
    } else if (const auto* m = std::get_if<MetaRow>(&record)) {
      rc = put_meta.bind(1, m->key).bind(2, m->value).run();
    }
    if (rc != SQLITE_DONE) {
      std::string why = sqlite3_errmsg(db_);
      exec("ROLLBACK");
      anchors_.load(db_);  // forget the ids the rollback took back
      return tl::unexpected(why);
    }
  }
  if (auto committed = exec("COMMIT"); !committed) {
    exec("ROLLBACK");
    anchors_.load(db_);
    return committed;
  }
  return {};
}

std::optional<std::string> Store::meta(const std::string& key) {
  Statement q(db_, "SELECT value FROM meta WHERE key=?");
  q.bind(1, key);
  std::optional<std::string> value;
  if (q.step()) value = q.text(0);
  return value;
}

tl::expected<void, std::string> Store::set_meta(const std::string& key, const std::string& value) {
  return apply({MetaRow{key, value}});
}

void Store::for_each_url(const std::function<void(const KnownUrl&)>& fn) {
  // Bounds may differ on resume, so URLs cut by a bound are offered again.
  Statement q(db_,
              "SELECT id, url, kind, discovered_depth, state = 'queued' OR "
              "COALESCE(skip_reason, '') IN ('max-pages', 'max-depth') FROM urls ORDER BY id");
  while (q.step()) {
    KnownUrl k{static_cast<UrlId>(q.integer(0)), q.text(1), kind_from(q.text(2)), static_cast<int>(q.integer(3)),
               q.integer(4) == 0};
    fn(k);
  }
}

// ---- StoreWriter ----

StoreWriter::StoreWriter(Store& store) : store_(store), thread_([this] { run(); }) {}

StoreWriter::~StoreWriter() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

void StoreWriter::push(StoreRecord record) {
  size_t pending;
  {
    std::lock_guard lock(mutex_);
    pending_.push_back(std::move(record));
    pending = pending_.size();
  }
  // The writer waits either for a first record or for a full group: waking it for the ones
  // in between would cost a context switch per record.
  if (pending == 1 || pending == kGroupRecords) wake_.notify_one();
}

tl::expected<void, std::string> StoreWriter::flush() {
  std::unique_lock lock(mutex_);
  ++flush_waiters_;
  wake_.notify_one();
  drained_.wait(lock, [this] { return (pending_.empty() && !busy_) || error_.has_value(); });
  --flush_waiters_;
  if (error_) return tl::unexpected(*error_);
  return {};
}

size_t StoreWriter::backlog() {
  std::lock_guard lock(mutex_);
  return pending_.size();
}

std::optional<std::string> StoreWriter::error() {
  std::lock_guard lock(mutex_);
  return error_;
}

void StoreWriter::run() {
  name_this_thread("oit-state");
  std::vector<StoreRecord> batch;
  for (;;) {
    bool failed = false;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !pending_.empty(); });
      if (pending_.empty() && stopping_) return;
      wake_.wait_for(lock, kGroupWait,
                     [this] { return stopping_ || flush_waiters_ > 0 || pending_.size() >= kGroupRecords; });
      batch.swap(pending_);
      busy_ = true;
      failed = error_.has_value();
    }
    // After a write error the rest is dropped: the crawl is stopping on that error anyway.
    auto result = failed ? tl::expected<void, std::string>{} : store_.apply(batch);
    batch.clear();
    {
      std::lock_guard lock(mutex_);
      busy_ = false;
      if (!result && !error_) error_ = "cannot write the crawl state: " + result.error();
    }
    drained_.notify_all();
  }
}

}  // namespace oit
