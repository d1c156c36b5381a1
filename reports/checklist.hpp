// From a crawl folder to the checklist: load the crawl, match the rule set, write report.json.
#pragma once

#include <string>

#include <nlohmann/json.hpp>
#include <tl/expected.hpp>

#include "reports/labels.hpp"
#include "rules/matcher.hpp"
#include "rules/ruleset.hpp"

namespace oit {

struct ChecklistResult {
  nlohmann::json report;
  size_t not_ok = 0;  // items whose status is not "ok"
};

// Loads the crawl in out_dir and matches the rule set: the report model, not yet written.
tl::expected<ChecklistResult, std::string> build_checklist(const std::string& out_dir, const RuleSet& rules,
                                                           const CheckOptions& options);

// build_checklist, then every report format written into out_dir.
tl::expected<ChecklistResult, std::string> run_checklist(const std::string& out_dir, const RuleSet& rules,
                                                         const CheckOptions& options,
                                                         labels::Lang lang = labels::Lang::th);

}  // namespace oit
