// report.json, the versioned contract every other report and tool reads
// ("schema": "oitcheck.report/1", documented in reports/README.md).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <tl/expected.hpp>

#include "rules/evidence_graph.hpp"
#include "rules/matcher.hpp"

namespace oit {

struct ReportInput {
  const RuleSet& rules;
  const EvidenceGraph& graph;
  const std::vector<Verdict>& verdicts;
  int fiscal_year = 0;
};

// The report model every format is rendered from. Timestamps and durations live only in its
// "run" object, so golden files replace one place.
nlohmann::json build_report(const ReportInput& in);

}  // namespace oit
