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

// Writes report.json, checklist.md, checklist.csv, report.html and ita-page.html into out_dir.
tl::expected<ChecklistResult, std::string> run_checklist(const std::string& out_dir, const RuleSet& rules,
                                                         const CheckOptions& options,
                                                         labels::Lang lang = labels::Lang::th);

}  // namespace oit
