// Run history: every checklist run per site (figures, score, one verdict per item), in one
// SQLite file shared by all sites (default ~/.local/share/oitcheck/history.sqlite), or in
// PostgreSQL for a fleet spread over machines (--db postgresql://...). It gives the nightly run
// its "what changed" section, the report its trend chart, `oitcheck history <site>` its table,
// and a fleet's workers the rows of the fleet summary.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <tl/expected.hpp>

#include "reports/sql_db.hpp"

namespace oit {

struct RunSummary {
  int64_t id = 0;
  std::string site, rules_id, finished_at, report_dir;
  int fiscal_year = 0;
  size_t ok = 0, total = 0, pages = 0, errors = 0;
  double percent = 0;
  bool complete = false;
};

class History {
 public:
  // A file path or a postgresql:// URL.
  static tl::expected<History, std::string> open(const std::string& target);
  // On a connection the caller shares (the fleet queue records a run in its own transaction).
  static tl::expected<History, std::string> on(std::shared_ptr<SqlDb> db);

  // Records a finished run from its report; returns the run id.
  tl::expected<int64_t, std::string> record(const nlohmann::json& report, const std::string& report_dir);
  // The same, inside a transaction the caller holds.
  tl::expected<int64_t, std::string> add_run(const nlohmann::json& report, const std::string& report_dir);
  // One run's verdicts in the rule set's order: {id, code, name_th, status}.
  std::vector<nlohmann::json> verdicts(int64_t run_id);
  std::optional<RunSummary> run(int64_t run_id);
  // The latest run of `site` with `rules_id`, with its verdicts as {"items": [{id, code,
  // name_th, status, url}]}.
  std::optional<nlohmann::json> last_run(const std::string& site, const std::string& rules_id);
  std::vector<RunSummary> runs(const std::string& site, size_t limit = 1000);
  // Keeps the newest `keep` runs of the site (0 = keep all).
  tl::expected<void, std::string> prune(const std::string& site, size_t keep);

 private:
  explicit History(std::shared_ptr<SqlDb> db) : db_(std::move(db)) {}
  std::shared_ptr<SqlDb> db_;
};

std::string default_history_path();

// "What changed since the last run": regressions (ok before, not ok now), fixes (the reverse)
// and evidence that moved to another URL while staying ok.
nlohmann::json compare_runs(const nlohmann::json& previous, const nlohmann::json& report);

}  // namespace oit
