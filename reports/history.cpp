#include "reports/history.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>

#include "crawler/sql.hpp"
#include "reports/labels.hpp"

namespace oit {
using nlohmann::json;
using labels::text;

namespace {
const char* kSchema = R"SQL(
CREATE TABLE IF NOT EXISTS runs(
  id INTEGER PRIMARY KEY, site TEXT NOT NULL, rules_id TEXT NOT NULL, fiscal_year INTEGER,
  started_at TEXT, finished_at TEXT, seconds REAL, pages INTEGER, documents INTEGER, errors INTEGER,
  complete INTEGER, ok INTEGER, total INTEGER, percent REAL, report_dir TEXT);
CREATE INDEX IF NOT EXISTS runs_site ON runs(site, rules_id, id);
CREATE TABLE IF NOT EXISTS verdicts(
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE, item_id TEXT NOT NULL, code TEXT,
  name_th TEXT, status TEXT NOT NULL, evidence_url TEXT, depth INTEGER, confidence REAL);
CREATE INDEX IF NOT EXISTS verdicts_run ON verdicts(run_id);
PRAGMA foreign_keys = ON;
)SQL";
}  // namespace

std::string default_history_path() {
  if (const char* data = std::getenv("XDG_DATA_HOME"); data && *data) return std::string(data) + "/oitcheck/history.sqlite";
  if (const char* home = std::getenv("HOME"); home && *home) return std::string(home) + "/.local/share/oitcheck/history.sqlite";
  return "oitcheck-history.sqlite";
}

tl::expected<History, std::string> History::open(const std::string& path) {
  std::error_code ec;
  auto parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK) {
    std::string why = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    return tl::unexpected("cannot open the run history " + path + ": " + why);
  }
  sqlite3_busy_timeout(db, 10000);  // two nightly jobs may finish at once
  char* err = nullptr;
  if (sqlite3_exec(db, kSchema, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string why = err ? err : "unknown error";
    sqlite3_free(err);
    sqlite3_close(db);
    return tl::unexpected("cannot use the run history " + path + ": " + why);
  }
  return History(db);
}

History::History(History&& other) noexcept : db_(other.db_) { other.db_ = nullptr; }
History::~History() {
  if (db_) sqlite3_close(db_);
}

tl::expected<int64_t, std::string> History::record(const json& report, const std::string& report_dir) {
  sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
  const json& run = report["run"];
  const json& crawl = report["crawl"];
  const json& score = report["score"];
  sql::Statement add(db_,
                     "INSERT INTO runs(site, rules_id, fiscal_year, started_at, finished_at, seconds, pages, documents, "
                     "errors, complete, ok, total, percent, report_dir) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
  add.bind(1, text(report, "site")).bind(2, text(report["rules"], "id")).bind(3, int64_t{report.value("fiscal_year", 0)})
      .bind(4, text(run, "started_at")).bind(5, text(run, "finished_at")).bind(6, run.value("seconds", 0.0))
      .bind(7, int64_t{crawl.value("pages", 0)}).bind(8, int64_t{crawl.value("documents", 0)})
      .bind(9, int64_t{crawl.value("errors", 0)}).bind(10, int64_t{crawl.value("complete", false)})
      .bind(11, int64_t{score.value("ok", 0)}).bind(12, int64_t{score.value("total", 0)})
      .bind(13, score.value("percent", 0.0)).bind(14, report_dir);
  if (add.run() != SQLITE_DONE) {
    std::string why = sqlite3_errmsg(db_);
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    return tl::unexpected("cannot record the run: " + why);
  }
  int64_t id = sqlite3_last_insert_rowid(db_);
  sql::Statement verdict(db_,
                         "INSERT INTO verdicts(run_id, item_id, code, name_th, status, evidence_url, depth, confidence) "
                         "VALUES(?,?,?,?,?,?,?,?)");
  for (const auto& item : report["items"]) {
    std::string url = item["evidence"].empty() ? "" : text(item["evidence"][0], "url");
    verdict.bind(1, id).bind(2, text(item, "id")).bind(3, text(item, "code")).bind(4, text(item, "name_th"))
        .bind(5, text(item, "status")).bind(6, url);
    item["depth"].is_number() ? verdict.bind(7, int64_t{item["depth"].get<int>()}) : verdict.bind_null(7);
    verdict.bind(8, item.value("confidence", 0.0));
    if (verdict.run() != SQLITE_DONE) {
      std::string why = sqlite3_errmsg(db_);
      sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
      return tl::unexpected("cannot record the run: " + why);
    }
  }
  if (sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK)
    return tl::unexpected(std::string("cannot record the run: ") + sqlite3_errmsg(db_));
  return id;
}

std::optional<json> History::last_run(const std::string& site, const std::string& rules_id) {
  sql::Statement q(db_, "SELECT id, finished_at FROM runs WHERE site=? AND rules_id=? ORDER BY id DESC LIMIT 1");
  q.bind(1, site).bind(2, rules_id);
  if (!q.step()) return std::nullopt;
  json run = {{"id", q.integer(0)}, {"finished_at", q.text(1)}, {"items", json::array()}};
  sql::Statement v(db_, "SELECT item_id, code, name_th, status, COALESCE(evidence_url,'') FROM verdicts WHERE run_id=?");
  v.bind(1, q.integer(0));
  while (v.step())
    run["items"].push_back({{"id", v.text(0)}, {"code", v.text(1)}, {"name_th", v.text(2)}, {"status", v.text(3)},
                            {"url", v.text(4)}});
  return run;
}

std::vector<RunSummary> History::runs(const std::string& site, size_t limit) {
  std::vector<RunSummary> out;
  sql::Statement q(db_,
                   "SELECT id, site, rules_id, fiscal_year, finished_at, ok, total, percent, pages, errors, complete, "
                   "report_dir FROM runs WHERE site=? ORDER BY id DESC LIMIT ?");
  q.bind(1, site).bind(2, static_cast<int64_t>(limit));
  while (q.step()) {
    RunSummary r;
    r.id = q.integer(0);
    r.site = q.text(1);
    r.rules_id = q.text(2);
    r.fiscal_year = static_cast<int>(q.integer(3));
    r.finished_at = q.text(4);
    r.ok = static_cast<size_t>(q.integer(5));
    r.total = static_cast<size_t>(q.integer(6));
    r.percent = q.real(7);
    r.pages = static_cast<size_t>(q.integer(8));
    r.errors = static_cast<size_t>(q.integer(9));
    r.complete = q.integer(10) != 0;
    r.report_dir = q.text(11);
    out.push_back(r);
  }
  std::reverse(out.begin(), out.end());  // oldest first
  return out;
}

tl::expected<void, std::string> History::prune(const std::string& site, size_t keep) {
  if (keep == 0) return {};
  sql::Statement q(db_,
                   "DELETE FROM runs WHERE site=? AND id NOT IN (SELECT id FROM runs WHERE site=? ORDER BY id DESC LIMIT ?)");
  q.bind(1, site).bind(2, site).bind(3, static_cast<int64_t>(keep));
  if (q.run() != SQLITE_DONE) return tl::unexpected(std::string("cannot prune the run history: ") + sqlite3_errmsg(db_));
  return {};
}

json compare_runs(const json& previous, const json& report) {
  std::map<std::string, const json*> before;
  for (const auto& item : previous["items"]) before[text(item, "id")] = &item;
  json regressions = json::array(), fixes = json::array(), moved = json::array();
  for (const auto& item : report["items"]) {
    auto it = before.find(text(item, "id"));
    if (it == before.end()) continue;
    std::string was = text(*it->second, "status"), now = text(item, "status");
    json row = {{"id", text(item, "id")}, {"code", text(item, "code")}, {"name_th", text(item, "name_th")}};
    std::string url_now = item["evidence"].empty() ? "" : text(item["evidence"][0], "url");
    if (was == "ok" && now != "ok") {
      row["from"] = was;
      row["to"] = now;
      regressions.push_back(row);
    } else if (was != "ok" && now == "ok") {
      row["from"] = was;
      row["to"] = now;
      fixes.push_back(row);
    } else if (was == "ok" && now == "ok" && text(*it->second, "url") != url_now) {
      row["from_url"] = text(*it->second, "url");
      row["to_url"] = url_now;
      moved.push_back(row);
    }
  }
  return {{"previous_finished_at", text(previous, "finished_at")},
          {"regressions", regressions},
          {"fixes", fixes},
          {"moved", moved}};
}

}  // namespace oit
