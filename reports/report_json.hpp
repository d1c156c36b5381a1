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

nlohmann::json build_report(const ReportInput& in);

// Writes `<dir>/report.json` through a temporary file and a rename, so a run that dies half-way
// never leaves a broken report in place of the last good one.
tl::expected<void, std::string> write_report_json(const nlohmann::json& report, const std::string& dir);

}  // namespace oit
