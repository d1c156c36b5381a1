#include "reports/report_json.hpp"

#include <cmath>
#include <map>

namespace oit {
using nlohmann::json;

namespace {

json candidate_json(const Candidate& c, bool with_signals) {
  json j = {{"url", c.url},
            {"kind", to_string(c.kind)},
            {"title", c.title},
            {"anchor_text", c.anchor_text},
            {"confidence", std::round(c.confidence * 100) / 100},
            {"depth", c.depth ? json(*c.depth) : json(nullptr)},
            {"status", c.status},
            {"found_via", c.via},
            {"assessment", c.assessment}};
  if (!c.error.empty()) j["error"] = c.error;
  if (with_signals) {
    j["path"] = c.path;
    json signals = json::array();
    for (const auto& s : c.signals)
      signals.push_back({{"signal", s.signal}, {"text", s.text}, {"phrase", s.phrase}, {"weight", s.weight}});
    j["signals"] = signals;
    j["years"] = c.years;
  }
  return j;
}

// In-site HTML pages by click depth ("0": the homepage); unreached pages are not counted.
json depth_histogram(const EvidenceGraph& graph) {
  std::map<int, int> counts;
  for (const auto& n : graph.nodes())
    if (n.kind == "page" && n.state == "done" && n.is_html() && n.redirect_to.empty() && n.click_depth)
      ++counts[*n.click_depth];
  json out = json::object();
  for (auto [depth, count] : counts) out[std::to_string(depth)] = count;
  return out;
}

}  // namespace

namespace {

// The main page's menu is built by scripts (crawler/crawl.cpp records what it saw).
json script_menu_warning(const json& meta) {
  if (!meta.contains("script_menu")) return nullptr;
  const json& m = meta["script_menu"];
  size_t scripts = m.value("scripts", 0), links = m.value("html_links", 0);
  bool rendered = m.value("rendered", false);
  std::string counts_th = "หน้าแรกมีสคริปต์ " + std::to_string(scripts) + " ชุด แต่ใน HTML มีลิงก์เพียง " + std::to_string(links) + " ลิงก์";
  std::string counts_en = "the main page has " + std::to_string(scripts) + " scripts but only " + std::to_string(links) +
                          " links in its HTML";
  json w = {{"kind", "script_menu"}, {"rendered", rendered}};
  if (rendered) {
    w["th"] = counts_th + ": เมนูสร้างด้วย JavaScript จึงตรวจจากหน้าที่เบราว์เซอร์แสดงผลแล้ว (" +
              std::to_string(m.value("rendered_links", 0)) + " ลิงก์) ผู้ประเมินที่เปิดด้วยเบราว์เซอร์จะเห็นเมนูนี้";
    w["en"] = counts_en + ": the menu is built by JavaScript, so links were read from the page as a browser renders it (" +
              std::to_string(m.value("rendered_links", 0)) + " links)";
  } else {
    w["th"] = counts_th + ": เมนูน่าจะสร้างด้วย JavaScript ผลว่า \"ไม่ได้ลิงก์\" หรือ \"ไม่พบ\" จึงเชื่อไม่ได้ "
              "ให้ตรวจซ้ำด้วย --render และควรมีลิงก์ใน HTML ด้วย เพราะเครื่องมือตรวจบางตัวไม่รันสคริปต์";
    w["en"] = counts_en + ": the menu is probably built by JavaScript, so \"not linked\" and \"missing\" cannot be "
              "trusted; check again with --render, and consider plain HTML links, which every reader sees";
  }
  return w;
}

}  // namespace

json build_report(const ReportInput& in) {
  const json& meta = in.graph.meta();
  json summary = meta.value("summary", json::object());
  size_t ok = 0;
  json items = json::array();
  for (const auto& v : in.verdicts) {
    const ItemRule& item = *v.item;
    ok += v.status == Status::ok;
    const Candidate* best = v.evidence.empty() ? nullptr : &v.evidence.front();
    json evidence = json::array();
    for (const auto& e : v.evidence) evidence.push_back(candidate_json(e, false));
    json candidates = json::array();
    for (const auto& c : v.candidates) candidates.push_back(candidate_json(c, true));
    items.push_back({{"id", item.id},
                     {"code", item.code},
                     {"group", item.group},
                     {"name_th", item.name_th},
                     {"name_en", item.name_en},
                     {"status", to_string(v.status)},
                     {"depth", best && best->depth ? json(*best->depth) : json(nullptr)},
                     {"path", best ? json(best->path) : json::array()},
                     {"confidence", best ? std::round(best->confidence * 100) / 100 : 0.0},
                     {"evidence", evidence},
                     {"reason_th", v.reason_th},
                     {"reason_en", v.reason_en},
                     {"fix_th", v.fix_th},
                     {"fix_en", v.fix_en},
                     {"candidates", candidates}});
  }
  json groups = json::array();
  for (const auto& g : in.rules.groups) groups.push_back({{"id", g.id}, {"name_th", g.name_th}, {"name_en", g.name_en}});
  size_t total = in.verdicts.size();
  double score = total ? std::round(10000.0 * static_cast<double>(ok) / static_cast<double>(total)) / 100 : 0;
  json report = {{"schema", "oitcheck.report/1"},
          {"site", meta.value("homepage", "")},
          {"rules",
           {{"id", in.rules.id},
            {"framework", in.rules.framework},
            {"year", in.rules.year},
            {"name_th", in.rules.name_th},
            {"complete", in.rules.complete},
            {"note", in.rules.note}}},
          {"fiscal_year", in.fiscal_year},
          {"crawl",
           {{"pages", summary.value("html_pages", 0)},
            {"documents", summary.value("documents", 0)},
            {"errors", summary.value("errors", 0)},
            {"urls_known", summary.value("urls_known", 0)},
            {"complete", summary.value("complete", false)},
            {"stop_reason", summary.value("stop_reason", "")},
            {"limits_hit", summary.value("limits_hit", json::object())},
            {"depth_histogram", depth_histogram(in.graph)}}},
          {"run",
           {{"started_at", meta.value("started_at", "")},
            {"finished_at", meta.value("finished_at", "")},
            {"seconds", summary.value("seconds", 0.0)}}},
          {"score", {{"ok", ok}, {"total", total}, {"percent", score}}},
          {"groups", groups},
          {"items", items}};
  if (auto w = script_menu_warning(meta); !w.is_null()) report["warnings"] = json::array({w});
  return report;
}

}  // namespace oit
