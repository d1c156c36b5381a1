// Run history: every checklist run per site (figures, score, one verdict per item), in its own
// SQLite file shared by all sites (default ~/.local/share/oitcheck/history.sqlite). It gives
// the nightly run its "what changed" section, the report its trend chart, and
// `oitcheck history <site>` its table.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <tl/expected.hpp>

struct sqlite3;

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
  static tl::expected<History, std::string> open(const std::string& path);
  History(History&& other) noexcept;
  History& operator=(History&&) = delete;
  ~History();

  // Records a finished run from its report; returns the run id.
  tl::expected<int64_t, std::string> record(const nlohmann::json& report, const std::string& report_dir);
  // The latest run of `site` with `rules_id`, with its verdicts as {"items": [{id, code,
  // name_th, status, url}]}.
  std::optional<nlohmann::json> last_run(const std::string& site, const std::string& rules_id);
  std::vector<RunSummary> runs(const std::string& site, size_t limit = 1000);
  // Keeps the newest `keep` runs of the site (0 = keep all).
  tl::expected<void, std::string> prune(const std::string& site, size_t keep);

 private:
  explicit History(sqlite3* db) : db_(db) {}
  sqlite3* db_ = nullptr;
};

std::string default_history_path();

// "What changed since the last run": regressions (ok before, not ok now), fixes (the reverse)
// and evidence that moved to another URL while staying ok.
nlohmann::json compare_runs(const nlohmann::json& previous, const nlohmann::json& report);

}  // namespace oit
