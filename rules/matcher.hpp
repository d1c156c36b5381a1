// Matching rule-set items to the crawled pages, documents and off-site links, and the verdict
// rules. Pure: reads an EvidenceGraph, returns verdicts. No network, no writes.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "rules/evidence_graph.hpp"
#include "rules/ruleset.hpp"
#include "rules/verdict.hpp"

namespace oit {

struct CheckOptions {
  int fiscal_year = 0;                // BE; the year "current" evidence must be about
  std::optional<int> max_clicks;      // overrides every item's allowed depth
  double min_confidence = 0.5;        // a candidate below this is not evidence
};

// Whether the crawl saw the whole reachable site. When it did not, "missing" and "not_linked"
// cannot be trusted and become "unknown" with this reason.
struct CrawlCompleteness {
  bool complete = true;
  std::string reason;
};

std::vector<Verdict> check_items(const RuleSet& rules, const EvidenceGraph& graph, const CheckOptions& options,
                                 const CrawlCompleteness& crawl);

}  // namespace oit
