// report.html: one self-contained file (no scripts, fonts or images from anywhere; a CSP that
// forbids them), so it opens offline from a USB stick and nothing from a website can run.
#include <algorithm>
#include <map>
#include <sstream>
#include <vector>

#include "reports/render.hpp"
#include "reports/text_escape.hpp"

namespace oit {
using nlohmann::json;
using labels::Lang;
using labels::text;

namespace {

const char* kStatuses[] = {"ok", "not_linked", "broken", "stale", "missing", "unknown"};

const char* kStyle = R"CSS(
body{font-family:"Noto Sans Thai",Tahoma,sans-serif;margin:0;padding:1em 2em;color:#222;line-height:1.5}
h1{font-size:1.5em}h2{margin-top:2em;border-bottom:2px solid #ddd}
.summary{display:flex;gap:2em;flex-wrap:wrap}.card{border:1px solid #ddd;border-radius:8px;padding:.8em 1.2em}
.big{font-size:2em;font-weight:bold}.grade{font-size:1.2em;font-weight:bold}
.warn{background:#fff3e0;border-left:4px solid #e65100;padding:.5em 1em}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #eee;padding:.4em;text-align:left;vertical-align:top}
.badge{color:#fff;border-radius:4px;padding:0 .4em;white-space:nowrap}
ol.crumbs{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;font-size:.85em}
ol.crumbs li+li:before{content:"›";padding:0 .3em;color:#999}
.filters label{border:1px solid #ccc;border-radius:4px;padding:.2em .6em;margin-right:.3em;cursor:pointer}
.filters input{display:none}.filters input:checked+label{background:#333;color:#fff}
.fix{font-size:.9em;color:#444}svg text{font-family:inherit}
)CSS";

std::string filter_css() {
  std::string css;
  for (const char* s : kStatuses)
    css += std::string("#f-") + s + ":checked~.items tr.item:not(.s-" + s + "){display:none}\n";
  return css;
}

std::string short_url(const std::string& url, const std::string& site) {
  std::string origin = site.substr(0, site.find('/', site.find("://") + 3));
  return url.rfind(origin, 0) == 0 && url.size() > origin.size() ? url.substr(origin.size()) : url;
}

void summary(std::ostringstream& h, const json& report, Lang lang) {
  bool th = lang == Lang::th;
  auto score = labels::score_of(report);
  const json& crawl = report["crawl"];
  h << "<section class=\"summary\">\n";
  h << "<div class=\"card\"><div>" << (th ? "คะแนนที่คาดว่าจะได้ตอนนี้" : "Projected score now") << "</div><div class=\"big\">"
    << labels::percent_text(score.now) << "</div><div class=\"grade\">" << (th ? "ระดับ " : "grade ")
    << labels::grade(score.now) << "</div><div>" << score.ok << "/" << score.total << (th ? " ข้อผ่าน" : " items ok")
    << "</div></div>\n";
  h << "<div class=\"card\"><div>" << (th ? "หลังแก้ลิงก์ตามรายการ" : "After the link fixes") << "</div><div class=\"big\">"
    << labels::percent_text(score.after_fixes) << "</div><div class=\"grade\">" << (th ? "ระดับ " : "grade ")
    << labels::grade(score.after_fixes) << "</div><div>" << score.ok + score.fixable << "/" << score.total << "</div></div>\n";
  h << "<div class=\"card\"><div>" << (th ? "การตรวจเว็บไซต์" : "Crawl") << "</div><div>" << crawl.value("pages", 0)
    << (th ? " หน้า, " : " pages, ") << crawl.value("documents", 0) << (th ? " เอกสาร, " : " documents, ")
    << crawl.value("errors", 0) << (th ? " ข้อผิดพลาด" : " errors") << "</div><div>"
    << (crawl.value("complete", false) ? (th ? "ตรวจครบทั้งเว็บไซต์" : "complete") : (th ? "ตรวจไม่ครบ" : "INCOMPLETE"))
    << "</div></div>\n</section>\n";
  if (!report["rules"].value("complete", true))
    h << "<p class=\"warn\">" << (th ? "ชุดกฎนี้ยังไม่ครบทุกข้อ: " : "This rule set is incomplete: ")
      << escape::html(text(report["rules"], "note")) << "</p>\n";
  for (const auto& w : report.value("warnings", json::array()))
    h << "<p class=\"warn\">" << escape::html(text(w, th ? "th" : "en")) << "</p>\n";
}

void changes(std::ostringstream& h, const json& report, Lang lang) {
  if (!report.contains("changes")) return;
  bool th = lang == Lang::th;
  const json& c = report["changes"];
  h << "<h2>" << (th ? "เปลี่ยนแปลงจากการตรวจครั้งก่อน" : "What changed since the last run") << "</h2>\n<ul>\n";
  for (const auto& r : c.value("regressions", json::array()))
    h << "<li><span class=\"badge\" style=\"background:#c62828\">" << (th ? "แย่ลง" : "regression") << "</span> "
      << escape::html(text(r, "code") + " " + text(r, "name_th")) << ": " << labels::status(text(r, "from"), lang) << " → "
      << labels::status(text(r, "to"), lang) << "</li>\n";
  for (const auto& r : c.value("fixes", json::array()))
    h << "<li><span class=\"badge\" style=\"background:#2e7d32\">" << (th ? "แก้แล้ว" : "fixed") << "</span> "
      << escape::html(text(r, "code") + " " + text(r, "name_th")) << "</li>\n";
  for (const auto& r : c.value("moved", json::array()))
    h << "<li>" << escape::html(text(r, "code")) << ": " << escape::html(text(r, "from_url")) << " → "
      << escape::html(text(r, "to_url")) << "</li>\n";
  h << "</ul>\n";
}

void answers(std::ostringstream& h, const json& report, Lang lang) {
  if (!report.contains("answers")) return;
  bool th = lang == Lang::th;
  h << "<h2>" << (th ? "ตรวจคำตอบที่จะส่ง" : "The answers to be submitted") << "</h2>\n<table>\n<tr><th>"
    << (th ? "ข้อ" : "Item") << "</th><th>URL</th><th>" << (th ? "ผล" : "Verdict") << "</th><th>"
    << (th ? "วิธีแก้" : "Fix") << "</th></tr>\n";
  for (const auto& a : report["answers"]) {
    std::string verdict = text(a, "verdict");
    h << "<tr><td><b>" << escape::html(text(a, "code")) << "</b> " << escape::html(text(a, "name_th")) << "</td><td>";
    if (!text(a, "url").empty()) h << "<a href=\"" << escape::href(text(a, "url")) << "\">" << escape::html(text(a, "url")) << "</a>";
    h << "<br><small>" << escape::html(text(a, "where")) << "</small></td><td><span class=\"badge\" style=\"background:"
      << (verdict == "ok" ? "#2e7d32" : verdict == "unanswered" ? "#757575" : "#c62828") << "\">"
      << labels::answer_verdict(verdict, lang) << "</span></td><td class=\"fix\">"
      << escape::html(text(a, th ? "fix_th" : "fix_en")) << "</td></tr>\n";
  }
  h << "</table>\n";
}

// Score over the last runs, oldest first, once there are at least two.
void trend(std::ostringstream& h, const json& report, Lang lang) {
  const json history = report.value("history", json::array());
  if (history.size() < 2) return;
  const int w = 600, ht = 160, pad = 30;
  h << "<h2>" << (lang == Lang::th ? "คะแนนย้อนหลัง" : "Score over time") << "</h2>\n<svg width=\"" << w << "\" height=\""
    << ht + 2 * pad << "\" role=\"img\">\n";
  std::string points;
  for (size_t i = 0; i < history.size(); ++i) {
    double x = pad + static_cast<double>(i) * (w - 2 * pad) / static_cast<double>(history.size() - 1);
    double y = pad + (100 - history[i].value("percent", 0.0)) * ht / 100;
    points += std::to_string(x) + "," + std::to_string(y) + " ";
    h << "<circle cx=\"" << x << "\" cy=\"" << y << "\" r=\"3\" fill=\"#1565c0\"><title>"
      << escape::html(text(history[i], "finished_at")) << ": " << labels::percent_text(history[i].value("percent", 0.0))
      << "</title></circle>\n";
  }
  h << "<polyline fill=\"none\" stroke=\"#1565c0\" stroke-width=\"2\" points=\"" << points << "\"/>\n"
    << "<line x1=\"" << pad << "\" y1=\"" << pad + ht << "\" x2=\"" << w - pad << "\" y2=\"" << pad + ht
    << "\" stroke=\"#999\"/>\n<text x=\"2\" y=\"" << pad + 4 << "\" font-size=\"11\">100</text><text x=\"8\" y=\""
    << pad + ht << "\" font-size=\"11\">0</text>\n</svg>\n";
}

void item_table(std::ostringstream& h, const json& report, Lang lang) {
  bool th = lang == Lang::th;
  std::string site = text(report, "site");
  std::map<std::string, int> counts;
  for (const auto& it : report["items"]) ++counts[text(it, "status")];
  h << "<h2>" << (th ? "รายการตรวจ" : "Items") << "</h2>\n<section class=\"filters\">\n"
    << "<input type=\"radio\" name=\"f\" id=\"f-all\" checked><label for=\"f-all\">" << (th ? "ทั้งหมด" : "all") << " ("
    << report["items"].size() << ")</label>\n";
  for (const char* s : kStatuses)
    if (counts[s])
      h << "<input type=\"radio\" name=\"f\" id=\"f-" << s << "\"><label for=\"f-" << s << "\">"
        << labels::status(s, lang) << " (" << counts[s] << ")</label>\n";
  h << "<div class=\"items\"><table>\n<tr><th>" << (th ? "ข้อ" : "Item") << "</th><th>" << (th ? "สถานะ" : "Status")
    << "</th><th>" << (th ? "หลักฐานและเส้นทางคลิก" : "Evidence and click path") << "</th><th>"
    << (th ? "วิธีแก้" : "Fix") << "</th></tr>\n";
  // Failures first (broken, not linked, stale, missing, unknown), rule-set order within each.
  std::vector<const json*> rows;
  for (const auto& it : report["items"]) rows.push_back(&it);
  std::stable_sort(rows.begin(), rows.end(), [](const json* a, const json* b) {
    return labels::status_rank(text(*a, "status")) < labels::status_rank(text(*b, "status"));
  });
  for (const json* row : rows) {
    const json& it = *row;
    std::string status = text(it, "status");
    std::string name = lang == Lang::en && !text(it, "name_en").empty() ? text(it, "name_en") : text(it, "name_th");
    h << "<tr class=\"item s-" << status << "\"><td><b>" << escape::html(text(it, "code")) << "</b> " << escape::html(name)
      << "</td><td><span class=\"badge\" style=\"background:" << labels::status_color(status) << "\">" << labels::status(status, lang)
      << "</span></td><td>";
    if (!it["evidence"].empty()) {
      const json& best = it["evidence"][0];
      std::string anchor = text(best, "anchor_text");
      h << "<a href=\"" << escape::href(text(best, "url")) << "\">" << escape::html(short_url(text(best, "url"), site))
        << "</a>";
      if (!anchor.empty()) h << "<br><small>\"" << escape::html(anchor) << "\"</small>";
    }
    if (!it["path"].empty()) {
      h << "<ol class=\"crumbs\">";
      for (size_t i = 0; i < it["path"].size(); ++i)
        h << "<li>" << (i == 0 ? (th ? "หน้าแรก" : "main page") : escape::html(short_url(it["path"][i].get<std::string>(), site)))
          << "</li>";
      h << "</ol>";
    }
    h << "</td><td class=\"fix\">" << escape::html(text(it, th ? "fix_th" : "fix_en")) << "</td></tr>\n";
  }
  h << "</table></div>\n</section>\n";
}

// Pages by click depth: how deep the site is.
void depth_chart(std::ostringstream& h, const json& report, Lang lang) {
  const json histogram = report["crawl"].value("depth_histogram", json::object());
  if (histogram.empty()) return;
  int max_count = 1;
  for (auto& [d, n] : histogram.items()) max_count = std::max(max_count, n.get<int>());
  const int bar_w = 40, gap = 10, ht = 150, pad = 25;
  int w = pad * 2 + static_cast<int>(histogram.size()) * (bar_w + gap);
  h << "<h2>" << (lang == Lang::th ? "จำนวนหน้าตามจำนวนคลิกจากหน้าแรก" : "Pages by clicks from the main page") << "</h2>\n"
    << "<svg width=\"" << w << "\" height=\"" << ht + 2 * pad << "\" role=\"img\">\n";
  int i = 0;
  for (auto& [d, n] : histogram.items()) {
    int bh = n.get<int>() * ht / max_count;
    int x = pad + i++ * (bar_w + gap);
    h << "<rect x=\"" << x << "\" y=\"" << pad + ht - bh << "\" width=\"" << bar_w << "\" height=\"" << bh
      << "\" fill=\"#1565c0\"/><text x=\"" << x + bar_w / 2 << "\" y=\"" << pad + ht - bh - 4
      << "\" font-size=\"11\" text-anchor=\"middle\">" << n.get<int>() << "</text><text x=\"" << x + bar_w / 2
      << "\" y=\"" << pad + ht + 15 << "\" font-size=\"12\" text-anchor=\"middle\">" << escape::html(d) << "</text>\n";
  }
  h << "</svg>\n";
}

// How the main page reaches each item: one column per click depth, a last column for items
// no link path reaches; each item a coloured box in the column of its best evidence.
void reach_map(std::ostringstream& h, const json& report, Lang lang) {
  bool th = lang == Lang::th;
  std::map<int, std::vector<const json*>> columns;  // -1: not reached
  int max_depth = 0;
  for (const auto& it : report["items"]) {
    int d = it["depth"].is_number() ? it["depth"].get<int>() : -1;
    if (it["evidence"].empty()) continue;
    columns[d].push_back(&it);
    max_depth = std::max(max_depth, d);
  }
  const int col_w = 110, box_h = 22, top = 40, pad = 10;
  int ncols = max_depth + 2;
  size_t tallest = 1;
  for (auto& [d, items] : columns) tallest = std::max(tallest, items.size());
  int w = ncols * col_w + pad, ht = top + static_cast<int>(tallest) * (box_h + 4) + pad;
  h << "<h2>" << (th ? "หน้าแรกเข้าถึงแต่ละข้อได้อย่างไร" : "How the main page reaches each item") << "</h2>\n"
    << "<svg width=\"" << w << "\" height=\"" << ht << "\" role=\"img\">\n";
  for (int c = 0; c < ncols; ++c) {
    int d = c == ncols - 1 ? -1 : c;
    std::string title = d == 0 ? (th ? "หน้าแรก" : "main page")
                        : d > 0 ? std::to_string(d) + (th ? " คลิก" : " clicks")
                                : (th ? "ไม่มีลิงก์จากหน้าแรก" : "no link path");
    int x = pad + c * col_w;
    h << "<text x=\"" << x << "\" y=\"20\" font-size=\"12\" font-weight=\"bold\">" << escape::html(title) << "</text>\n";
    if (c > 0 && d != -1)
      h << "<line x1=\"" << x - 20 << "\" y1=\"15\" x2=\"" << x - 5 << "\" y2=\"15\" stroke=\"#999\" marker-end=\"\"/>\n";
    int y = top;
    for (const json* it : columns[d]) {
      std::string status = text(*it, "status");
      h << "<rect x=\"" << x << "\" y=\"" << y << "\" width=\"" << col_w - 14 << "\" height=\"" << box_h
        << "\" rx=\"4\" fill=\"" << labels::status_color(status) << "\"" << (d == -1 ? " stroke=\"#000\" stroke-dasharray=\"3\"" : "")
        << "><title>" << escape::html(text(*it, "name_th")) << "</title></rect><text x=\"" << x + 5 << "\" y=\""
        << y + 15 << "\" font-size=\"11\" fill=\"#fff\">" << escape::html(text(*it, "code")) << "</text>\n";
      y += box_h + 4;
    }
  }
  h << "</svg>\n<p>";
  for (const char* s : kStatuses)
    h << "<span class=\"badge\" style=\"background:" << labels::status_color(s) << "\">" << labels::status(s, lang) << "</span> ";
  h << "</p>\n";
}

}  // namespace

std::string render_report_html(const json& report, Lang lang) {
  bool th = lang == Lang::th;
  std::ostringstream h;
  const json& rules = report["rules"];
  h << "<!DOCTYPE html>\n<html lang=\"" << (th ? "th" : "en") << "\">\n<head>\n<meta charset=\"utf-8\">\n"
    << "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
    << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>oitcheck: "
    << escape::html(text(report, "site")) << "</title>\n<style>" << kStyle << filter_css() << "</style>\n</head>\n<body>\n";
  h << "<h1>" << (th ? "ผลตรวจลิงก์ ITA/OIT: " : "ITA/OIT link check: ") << escape::html(text(report, "site")) << "</h1>\n"
    << "<p>" << escape::html(text(rules, "name_th")) << " (" << escape::html(text(rules, "id")) << ") · "
    << (th ? "ปีงบประมาณ " : "fiscal year ") << report.value("fiscal_year", 0) << " · "
    << (th ? "ตรวจเมื่อ " : "checked ") << escape::html(text(report.value("run", json::object()), "finished_at")) << "</p>\n";
  summary(h, report, lang);
  changes(h, report, lang);
  answers(h, report, lang);
  trend(h, report, lang);
  reach_map(h, report, lang);
  item_table(h, report, lang);
  depth_chart(h, report, lang);
  h << "<p><small>oitcheck · report.json schema " << escape::html(text(report, "schema")) << "</small></p>\n</body>\n</html>\n";
  return h.str();
}

tl::expected<void, std::string> write_all_reports(const json& report, const std::string& dir, Lang lang) {
  const std::pair<const char*, std::string> files[] = {
      {"report.json", report.dump(1, ' ', false, json::error_handler_t::replace) + "\n"},
      {"checklist.md", render_checklist_markdown(report, lang)},
      {"checklist.csv", render_checklist_csv(report)},
      {"report.html", render_report_html(report, lang)},
      {"ita-page.html", render_ita_page(report)},
  };
  for (const auto& [name, content] : files)
    if (auto r = write_file_atomically(dir + "/" + name, content); !r) return r;
  if (report.contains("answers"))
    if (auto r = write_file_atomically(dir + "/answers.csv", render_answers_csv(report)); !r) return r;
  return {};
}

}  // namespace oit
