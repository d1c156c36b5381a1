// From a crawl folder to the checklist: load the crawl, match the rule set, write report.json.
#pragma once

#include <string>

#include <nlohmann/json.hpp>
#include <tl/expected.hpp>

#include "reports/labels.hpp"
#include "rules/answers_file.hpp"
#include "rules/matcher.hpp"
#include "rules/ruleset.hpp"

namespace oit {

struct ChecklistResult {
  nlohmann::json report;
  size_t not_ok = 0;          // items whose status is not "ok"
  size_t answers_not_ok = 0;  // audit: answers whose verdict is not "ok" (unanswered items included)
};

// Loads the crawl in out_dir and matches the rule set: the report model, not yet written.
// With `answers` (an audit), the report also gets an "answers" section.
tl::expected<ChecklistResult, std::string> build_checklist(const std::string& out_dir, const RuleSet& rules,
                                                           const CheckOptions& options,
                                                           const std::vector<Answer>* answers = nullptr);

// build_checklist, then every report format written into out_dir.
tl::expected<ChecklistResult, std::string> run_checklist(const std::string& out_dir, const RuleSet& rules,
                                                         const CheckOptions& options,
                                                         labels::Lang lang = labels::Lang::th);

}  // namespace oit
