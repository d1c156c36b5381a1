// One run as a user or a nightly job asks for it: crawl, check the items, compare with the
// last run, write every report, record the run, notify. Built from command-line flags or from
// a config file (crawler/run_config); executed here, with the exit code as the result.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "crawler/crawl.hpp"
#include "reports/labels.hpp"

namespace oit {

// Stable exit codes (documented in README.md).
enum ExitCode : int {
  kExitOk = 0,
  kExitRunError = 1,
  kExitNotOk = 2,      // some item is not ok
  kExitBadInput = 3,   // invalid rule file or config file
  kExitRegression = 4, // nightly: an item that was ok in the previous run is not ok now
  kExitInterrupted = 130,
};

struct NotifySettings {
  std::string command;          // run by /bin/sh -c after the reports are written
  std::string when = "regression";  // "regression", "not_ok" or "always"
};

struct RunJob {
  CrawlOptions crawl;
  std::string rules;  // a shipped name or a file; empty = crawl only
  std::optional<int> fiscal_year, max_clicks;
  labels::Lang lang = labels::Lang::th;
  std::string history_path;   // "" = the default (~/.local/share/oitcheck/history.sqlite)
  size_t keep_runs = 100;     // per site; 0 = keep all
  bool compare_last = false;  // add "what changed since the last run"
  bool nightly = false;       // compare_last, and a regression exits with kExitRegression
  NotifySettings notify;
  std::string answers_path;   // audit: the answers the webmaster plans to submit (CSV or JSON)
  bool quiet_checklist = false;  // do not print the checklist (the demo prints it)
};

int execute(const RunJob& job);

class History;
struct RuleSet;
struct Answer;

// The run history the job asks for; null (with a warning) when it cannot be opened, since
// history problems must not cost the report itself.
std::unique_ptr<History> history_for(const RunJob& job);

struct CheckedSite {
  int exit_code = kExitOk;  // as execute() would return it
  nlohmann::json report;
  size_t regressions = 0;
};

// After a crawl into job.crawl.out_dir: the checklist, the comparison with the last run, every
// report file, and (with record_run) the history record. Prints nothing but warnings (a fleet
// runs many at once).
tl::expected<CheckedSite, std::string> check_and_report(const RunJob& job, const RuleSet& rules,
                                                        const std::vector<Answer>* answers, History* history,
                                                        bool record_run = true);

}  // namespace oit
