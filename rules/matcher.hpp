// Matching rule-set items to the crawled pages, documents and off-site links, and the verdict
// rules. Reads an EvidenceGraph (whose excerpts come from the crawl state) and returns
// verdicts. No network, no writes.
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
  std::string fix_th, fix_en;  // what to do about it; "" = crawl again with more room
};

// Every item one URL looks like, with its candidate record (confidence 0 when an exclusion
// phrase or the item's accepted evidence kinds rule it out). Empty for URLs that cannot be
// evidence (redirects, links that are not http, URLs never fetched).
struct NodeMatch {
  size_t item = 0;  // index into rules.items
  Candidate candidate;
};
// `body` is the URL's excerpt (EvidenceGraph::excerpts).
std::vector<NodeMatch> match_node(const RuleSet& rules, const EvidenceGraph& graph, const UrlNode& node,
                                  std::string_view body);

// Why a fetched URL does not count as an answer ("HTTP 404", "an error page ..."), "" if it does.
std::string node_failure(const UrlNode& node);

// The Buddhist-era years a URL's texts (link texts, title, headings, URL, excerpt) are about.
std::set<int> years_of(const UrlNode& node, std::string_view body);

std::vector<Verdict> check_items(const RuleSet& rules, const EvidenceGraph& graph, const CheckOptions& options,
                                 const CrawlCompleteness& crawl);

}  // namespace oit
