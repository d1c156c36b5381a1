// The pre-submission audit: each answer (item -> URL the webmaster will submit) judged the way
// an assessor will meet it. Pure: reads the crawl's EvidenceGraph and the item verdicts.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "rules/answers_file.hpp"
#include "rules/matcher.hpp"

namespace oit {

struct AnswerVerdict {
  std::string item_id, url, written, where;
  // ok | broken | not_linked | wrong_item | no_match | stale | not_checked | unanswered
  std::string verdict;
  std::vector<std::string> problems;  // every check that failed, in English, for the record
  std::optional<int> depth;
  std::vector<std::string> path;
  double confidence = 0;      // how much the URL looks like its item
  std::string better_item;    // the item the URL looks more like, when answers were swapped
  std::string better_url;     // the crawl's own evidence for the item, when it is ok
  std::string reason_th, reason_en, fix_th, fix_en;
};

// Verdicts in answer-file order, then one "unanswered" entry per item without any answer.
std::vector<AnswerVerdict> audit_answers(const RuleSet& rules, const EvidenceGraph& graph,
                                         const std::vector<Verdict>& verdicts, const std::vector<Answer>& answers,
                                         const CheckOptions& options);

}  // namespace oit
