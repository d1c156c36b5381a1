#include "reports/history.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>

#include "reports/labels.hpp"

namespace oit {
using nlohmann::json;
using labels::text;

namespace {
// {ID} is the one difference between the two databases' dialects here.
const char* kSchema = R"SQL(
CREATE TABLE IF NOT EXISTS runs(
  id {ID}, site TEXT NOT NULL, rules_id TEXT NOT NULL, fiscal_year INTEGER,
  started_at TEXT, finished_at TEXT, seconds DOUBLE PRECISION, pages INTEGER, documents INTEGER, errors INTEGER,
  complete INTEGER, ok INTEGER, total INTEGER, percent DOUBLE PRECISION, report_dir TEXT);
CREATE INDEX IF NOT EXISTS runs_site ON runs(site, rules_id, id);
CREATE TABLE IF NOT EXISTS verdicts(
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE, item_id TEXT NOT NULL, code TEXT,
  name_th TEXT, status TEXT NOT NULL, evidence_url TEXT, depth INTEGER, confidence DOUBLE PRECISION);
CREATE INDEX IF NOT EXISTS verdicts_run ON verdicts(run_id);
)SQL";

// Workers starting together on an empty database must not race to create the same tables.
constexpr int64_t kSchemaLock = 0x6f6974;

std::string schema_for(const SqlDb& db) {
  std::string s = kSchema;
  s.replace(s.find("{ID}"), 4, db.postgres() ? "BIGSERIAL PRIMARY KEY" : "INTEGER PRIMARY KEY");
  return db.postgres() ? s : s + "PRAGMA foreign_keys = ON;\n";
}

RunSummary summary_of(const SqlRow& r) {
  RunSummary s;
  s.id = sql_int(r, 0);
  s.site = sql_text(r, 1);
  s.rules_id = sql_text(r, 2);
  s.fiscal_year = static_cast<int>(sql_int(r, 3));
  s.finished_at = sql_text(r, 4);
  s.ok = static_cast<size_t>(sql_int(r, 5));
  s.total = static_cast<size_t>(sql_int(r, 6));
  s.percent = sql_real(r, 7);
  s.pages = static_cast<size_t>(sql_int(r, 8));
  s.errors = static_cast<size_t>(sql_int(r, 9));
  s.complete = sql_int(r, 10) != 0;
  s.report_dir = sql_text(r, 11);
  return s;
}

const char* kRunColumns =
    "SELECT id, site, rules_id, fiscal_year, finished_at, ok, total, percent, pages, errors, complete, report_dir FROM runs ";
}  // namespace

std::string default_history_path() {
  if (const char* data = std::getenv("XDG_DATA_HOME"); data && *data) return std::string(data) + "/oitcheck/history.sqlite";
  if (const char* home = std::getenv("HOME"); home && *home) return std::string(home) + "/.local/share/oitcheck/history.sqlite";
  return "oitcheck-history.sqlite";
}

tl::expected<History, std::string> History::open(const std::string& target) {
  auto db = open_sql_db(target);
  if (!db) return tl::unexpected("cannot open the run history: " + db.error());
  return on(std::move(*db));
}

tl::expected<History, std::string> History::on(std::shared_ptr<SqlDb> db) {
  if (db->postgres()) (void)db->query("SELECT pg_advisory_lock($1)", {kSchemaLock});
  auto created = db->script(schema_for(*db));
  if (db->postgres()) (void)db->query("SELECT pg_advisory_unlock($1)", {kSchemaLock});
  if (!created) return tl::unexpected("cannot use the run history " + db->name() + ": " + created.error());
  return History(std::move(db));
}

tl::expected<int64_t, std::string> History::record(const json& report, const std::string& report_dir) {
  if (auto began = db_->begin(); !began) return tl::unexpected("cannot record the run: " + began.error());
  auto id = add_run(report, report_dir);
  if (!id) {
    (void)db_->script("ROLLBACK");
    return id;
  }
  if (auto committed = db_->script("COMMIT"); !committed) return tl::unexpected("cannot record the run: " + committed.error());
  return id;
}

tl::expected<int64_t, std::string> History::add_run(const json& report, const std::string& report_dir) {
  const json& run = report["run"];
  const json& crawl = report["crawl"];
  const json& score = report["score"];
  auto added = db_->query(
      "INSERT INTO runs(site, rules_id, fiscal_year, started_at, finished_at, seconds, pages, documents, errors, "
      "complete, ok, total, percent, report_dir) VALUES($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14) RETURNING id",
      {text(report, "site"), text(report["rules"], "id"), int64_t{report.value("fiscal_year", 0)}, text(run, "started_at"),
       text(run, "finished_at"), run.value("seconds", 0.0), int64_t{crawl.value("pages", 0)},
       int64_t{crawl.value("documents", 0)}, int64_t{crawl.value("errors", 0)}, int64_t{crawl.value("complete", false)},
       int64_t{score.value("ok", 0)}, int64_t{score.value("total", 0)}, score.value("percent", 0.0), report_dir});
  if (!added || added->empty()) return tl::unexpected("cannot record the run: " + (added ? "no id" : added.error()));
  int64_t id = sql_int(added->front(), 0);
  for (const auto& item : report["items"]) {
    std::string url = item["evidence"].empty() ? "" : text(item["evidence"][0], "url");
    std::vector<SqlValue> values{id, text(item, "id"), text(item, "code"), text(item, "name_th"),
                                 text(item, "status"), url, nullptr, item.value("confidence", 0.0)};
    if (item["depth"].is_number()) values[6] = int64_t{item["depth"].get<int>()};
    auto v = db_->query(
        "INSERT INTO verdicts(run_id, item_id, code, name_th, status, evidence_url, depth, confidence) "
        "VALUES($1,$2,$3,$4,$5,$6,$7,$8)",
        values);
    if (!v) return tl::unexpected("cannot record the run: " + v.error());
  }
  return id;
}

std::vector<json> History::verdicts(int64_t run_id) {
  std::vector<json> out;
  // Item ids are the rule set's numbers ("1".."43"): by length, then text, is their order.
  auto rows = db_->query(
      "SELECT item_id, code, name_th, status, COALESCE(evidence_url,'') FROM verdicts WHERE run_id=$1 "
      "ORDER BY length(item_id), item_id",
      {run_id});
  if (!rows) return out;
  for (const auto& r : *rows)
    out.push_back({{"id", sql_text(r, 0)}, {"code", sql_text(r, 1)}, {"name_th", sql_text(r, 2)},
                   {"status", sql_text(r, 3)}, {"url", sql_text(r, 4)}});
  return out;
}

std::optional<RunSummary> History::run(int64_t run_id) {
  auto rows = db_->query(std::string(kRunColumns) + "WHERE id=$1", {run_id});
  if (!rows || rows->empty()) return std::nullopt;
  return summary_of(rows->front());
}

std::optional<json> History::last_run(const std::string& site, const std::string& rules_id) {
  auto rows = db_->query("SELECT id, finished_at FROM runs WHERE site=$1 AND rules_id=$2 ORDER BY id DESC LIMIT 1",
                         {site, rules_id});
  if (!rows || rows->empty()) return std::nullopt;
  int64_t id = sql_int(rows->front(), 0);
  json run = {{"id", id}, {"finished_at", sql_text(rows->front(), 1)}, {"items", json::array()}};
  for (auto& v : verdicts(id)) run["items"].push_back(std::move(v));
  return run;
}

std::vector<RunSummary> History::runs(const std::string& site, size_t limit) {
  std::vector<RunSummary> out;
  auto rows = db_->query(std::string(kRunColumns) + "WHERE site=$1 ORDER BY id DESC LIMIT $2",
                         {site, static_cast<int64_t>(limit)});
  if (!rows) return out;
  for (const auto& r : *rows) out.push_back(summary_of(r));
  std::reverse(out.begin(), out.end());  // oldest first
  return out;
}

tl::expected<void, std::string> History::prune(const std::string& site, size_t keep) {
  if (keep == 0) return {};
  auto done = db_->query(
      "DELETE FROM runs WHERE site=$1 AND id NOT IN (SELECT id FROM runs WHERE site=$1 ORDER BY id DESC LIMIT $2)",
      {site, static_cast<int64_t>(keep)});
  if (!done) return tl::unexpected("cannot prune the run history: " + done.error());
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
