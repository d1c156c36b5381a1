#include "reports/checklist.hpp"

#include <filesystem>

#include "crawler/store.hpp"
#include "reports/report_json.hpp"
#include "rules/evidence_graph.hpp"

namespace oit {

namespace {

CrawlCompleteness completeness_of(const nlohmann::json& meta) {
  const nlohmann::json summary = meta.value("summary", nlohmann::json::object());
  CrawlCompleteness c;
  c.complete = summary.value("complete", false);
  if (c.complete) return c;
  std::string stop = summary.value("stop_reason", "");
  if (!stop.empty()) c.reason = "stopped: " + stop;
  const nlohmann::json limits = summary.value("limits_hit", nlohmann::json::object());
  for (auto& [limit, count] : limits.items())
    if (limit != "trap-guard")
      c.reason += (c.reason.empty() ? "" : "; ") + ("--" + limit + " reached");
  if (c.reason.empty()) c.reason = "the crawl did not finish";
  return c;
}

}  // namespace

tl::expected<ChecklistResult, std::string> run_checklist(const std::string& out_dir, const RuleSet& rules,
                                                         const CheckOptions& options) {
  std::string state = (std::filesystem::path(out_dir) / "crawl.sqlite").string();
  if (!std::filesystem::exists(state)) return tl::unexpected("there is no crawl in " + out_dir + " (no crawl.sqlite)");
  auto store = Store::open(state);
  if (!store) return tl::unexpected(store.error());
  auto graph = EvidenceGraph::load(*store);
  if (!graph) return tl::unexpected(graph.error());
  auto verdicts = check_items(rules, *graph, options, completeness_of(graph->meta()));
  ChecklistResult result;
  result.report = build_report({rules, *graph, verdicts, options.fiscal_year});
  for (const auto& v : verdicts) result.not_ok += v.status != Status::ok;
  if (auto written = write_report_json(result.report, out_dir); !written) return tl::unexpected(written.error());
  return result;
}

}  // namespace oit
