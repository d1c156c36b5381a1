#include "reports/checklist.hpp"

#include <cmath>
#include <filesystem>

#include "crawler/store.hpp"
#include "reports/render.hpp"
#include "reports/report_json.hpp"
#include "rules/audit.hpp"
#include "rules/evidence_graph.hpp"

namespace oit {

namespace {

// A site that refuses a large part of itself (robots.txt, 403, 429, 503) was not really seen.
constexpr double kBlockedShareForUnknown = 0.2;

CrawlCompleteness completeness_of(const EvidenceGraph& graph) {
  const nlohmann::json summary = graph.meta().value("summary", nlohmann::json::object());
  CrawlCompleteness c;
  c.complete = summary.value("complete", false);
  // The menu is built by scripts that were not run: "not linked" would be a guess.
  const nlohmann::json script_menu = graph.meta().value("script_menu", nlohmann::json::object());
  if (c.complete && !script_menu.empty() && !script_menu.value("rendered", false)) {
    c.complete = false;
    c.reason = "the main page builds its menu with JavaScript (its HTML has " +
               std::to_string(script_menu.value("html_links", 0)) + " links)";
    c.fix_th = "ตรวจใหม่ด้วย --render (ใช้ Chromium) และควรใส่ลิงก์เมนู ITA/OIT ใน HTML ของหน้าแรกด้วย";
    c.fix_en = "Run again with --render (uses Chromium), and consider plain HTML links to the ITA/OIT menu on the main page";
    return c;
  }
  if (c.complete) {
    size_t pages = 0, blocked = 0;
    for (const auto& n : graph.nodes()) {
      if (n.kind != "page" || (n.state != "done" && n.skip_reason != "robots")) continue;
      ++pages;
      blocked += n.skip_reason == "robots" || n.status == 403 || n.status == 429 || n.status == 503;
    }
    if (pages && static_cast<double>(blocked) > kBlockedShareForUnknown * static_cast<double>(pages)) {
      c.complete = false;
      c.reason = "the site refused " + std::to_string(blocked) + " of " + std::to_string(pages) +
                 " pages (robots.txt or HTTP 403/429/503)";
    }
    return c;
  }
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

tl::expected<ChecklistResult, std::string> build_checklist(const std::string& out_dir, const RuleSet& rules,
                                                           const CheckOptions& options,
                                                           const std::vector<Answer>* answers) {
  std::string state = (std::filesystem::path(out_dir) / "crawl.sqlite").string();
  if (!std::filesystem::exists(state)) return tl::unexpected("there is no crawl in " + out_dir + " (no crawl.sqlite)");
  auto store = Store::open(state, Store::Access::read);
  if (!store) return tl::unexpected(store.error());
  auto graph = EvidenceGraph::load(*store);
  if (!graph) return tl::unexpected(graph.error());
  auto verdicts = check_items(rules, *graph, options, completeness_of(*graph));
  ChecklistResult result;
  result.report = build_report({rules, *graph, verdicts, options.fiscal_year});
  for (const auto& v : verdicts) result.not_ok += v.status != Status::ok;
  if (answers) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& a : audit_answers(rules, *graph, verdicts, *answers, options)) {
      result.answers_not_ok += a.verdict != "ok";
      const ItemRule* item = nullptr;
      for (const auto& r : rules.items)
        if (r.id == a.item_id) item = &r;
      list.push_back({{"item", a.item_id},
                      {"code", item ? item->code : ""},
                      {"name_th", item ? item->name_th : ""},
                      {"url", a.url},
                      {"written", a.written},
                      {"where", a.where},
                      {"verdict", a.verdict},
                      {"problems", a.problems},
                      {"depth", a.depth ? nlohmann::json(*a.depth) : nlohmann::json(nullptr)},
                      {"path", a.path},
                      {"confidence", std::round(a.confidence * 100) / 100},
                      {"better_item", a.better_item},
                      {"better_url", a.better_url},
                      {"reason_th", a.reason_th},
                      {"reason_en", a.reason_en},
                      {"fix_th", a.fix_th},
                      {"fix_en", a.fix_en}});
    }
    result.report["answers"] = list;
  }
  return result;
}

tl::expected<ChecklistResult, std::string> run_checklist(const std::string& out_dir, const RuleSet& rules,
                                                         const CheckOptions& options, labels::Lang lang) {
  auto result = build_checklist(out_dir, rules, options);
  if (!result) return result;
  if (auto written = write_all_reports(result->report, out_dir, lang); !written) return tl::unexpected(written.error());
  return result;
}

}  // namespace oit
