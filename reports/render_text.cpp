// checklist.md, checklist.csv and ita-page.html.
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

// "https://site/a/b" -> "/a/b": click paths read better without the repeated host.
std::string short_url(const std::string& url, const std::string& site) {
  std::string origin = site.substr(0, site.find('/', site.find("://") + 3));
  return url.rfind(origin, 0) == 0 && url.size() > origin.size() ? url.substr(origin.size()) : url;
}

std::string path_text(const json& path, const std::string& site, Lang lang) {
  std::string out;
  for (size_t i = 0; i < path.size(); ++i) {
    std::string step = i == 0 ? (lang == Lang::th ? "หน้าแรก" : "main page") : short_url(path[i].get<std::string>(), site);
    out += (i ? " › " : "") + step;
  }
  return out;
}

std::string group_name(const json& report, const std::string& id, Lang lang) {
  for (const auto& g : report.value("groups", json::array()))
    if (text(g, "id") == id) {
      std::string en = text(g, "name_en");
      return id + " " + (lang == Lang::en && !en.empty() ? en : text(g, "name_th"));
    }
  return id;
}

std::string item_name(const json& item, Lang lang) {
  std::string en = text(item, "name_en");
  return lang == Lang::en && !en.empty() ? en : text(item, "name_th");
}

// Items in rule-set order, split into those needing work and those that are fine, each list
// grouped by indicator in the order the groups first appear.
struct Sections {
  std::vector<std::pair<std::string, std::vector<const json*>>> todo, done;
};

Sections sections_of(const json& report) {
  Sections s;
  auto add = [](auto& list, const std::string& group, const json* item) {
    for (auto& [g, items] : list)
      if (g == group) {
        items.push_back(item);
        return;
      }
    list.push_back({group, {item}});
  };
  std::vector<const json*> items;
  for (const auto& item : report["items"]) items.push_back(&item);
  std::stable_sort(items.begin(), items.end(), [](const json* a, const json* b) {
    return labels::status_rank(text(*a, "status")) < labels::status_rank(text(*b, "status"));
  });
  for (const json* item : items)
    add(text(*item, "status") == "ok" ? s.done : s.todo, text(*item, "group"), item);
  return s;
}

void markdown_changes(std::ostringstream& md, const json& report, Lang lang) {
  if (!report.contains("changes")) return;
  const json& c = report["changes"];
  bool th = lang == Lang::th;
  md << "\n## " << (th ? "เปลี่ยนแปลงจากการตรวจครั้งก่อน" : "What changed since the last run") << " ("
     << escape::markdown(text(c, "previous_finished_at")) << ")\n\n";
  auto list = [&](const char* key, const char* th_title, const char* en_title) {
    const json& rows = c.value(key, json::array());
    md << "- " << (th ? th_title : en_title) << ": " << rows.size() << "\n";
    for (const auto& r : rows) {
      md << "  - " << escape::markdown(text(r, "code")) << " " << escape::markdown(text(r, "name_th"));
      if (r.contains("from")) md << ": " << labels::status(text(r, "from"), lang) << " → " << labels::status(text(r, "to"), lang);
      if (r.contains("from_url")) md << ": " << escape::markdown(text(r, "from_url")) << " → " << escape::markdown(text(r, "to_url"));
      md << "\n";
    }
  };
  list("regressions", "แย่ลง", "Regressions");
  list("fixes", "แก้แล้ว", "Fixed");
  list("moved", "หลักฐานย้าย URL", "Evidence moved");
}

void markdown_answers(std::ostringstream& md, const json& report, Lang lang) {
  if (!report.contains("answers")) return;
  bool th = lang == Lang::th;
  md << "\n## " << (th ? "ตรวจคำตอบที่จะส่ง" : "The answers to be submitted") << "\n\n";
  for (const auto& a : report["answers"]) {
    std::string verdict = text(a, "verdict");
    md << "- [" << (verdict == "ok" ? "x" : " ") << "] **" << escape::markdown(text(a, "code")) << "** "
       << escape::markdown(text(a, "url").empty() ? "-" : text(a, "url")) << ": " << labels::answer_verdict(verdict, lang);
    if (!text(a, "where").empty()) md << " (" << escape::markdown(text(a, "where")) << ")";
    md << "\n";
    if (verdict != "ok") {
      md << "  - " << (th ? "เหตุผล: " : "Why: ") << escape::markdown(text(a, th ? "reason_th" : "reason_en")) << "\n";
      md << "  - " << (th ? "วิธีแก้: " : "Fix: ") << escape::markdown(text(a, th ? "fix_th" : "fix_en")) << "\n";
    }
  }
}

}  // namespace

std::string render_answers_csv(const json& report) {
  if (!report.contains("answers")) return "";
  std::ostringstream csv;
  csv << "\xEF\xBB\xBF" << "item,code,url,where,verdict,verdict_th,depth,better_url,reason_th,fix_th\r\n";
  for (const auto& a : report["answers"]) {
    std::vector<std::string> cells = {text(a, "item"), text(a, "code"), text(a, "url"), text(a, "where"),
                                      text(a, "verdict"), labels::answer_verdict(text(a, "verdict"), Lang::th),
                                      a["depth"].is_number() ? std::to_string(a["depth"].get<int>()) : "",
                                      text(a, "better_url"), text(a, "reason_th"), text(a, "fix_th")};
    for (size_t i = 0; i < cells.size(); ++i) csv << (i ? "," : "") << escape::csv(cells[i]);
    csv << "\r\n";
  }
  return csv.str();
}

std::string render_suggested_answers(const json& report) {
  std::ostringstream csv;
  csv << "\xEF\xBB\xBF" << "item,url,status,note\r\n";
  for (const auto& it : report["items"]) {
    std::string status = text(it, "status");
    std::string url = it["evidence"].empty() ? "" : text(it["evidence"][0], "url");
    // Only evidence an assessor can reach is suggested; the rest says what to do first.
    std::string note = status == "ok" ? text(it, "name_th") : text(it, "fix_th");
    if (status != "ok") url.clear();
    std::vector<std::string> cells = {text(it, "code"), url, status, note};
    for (size_t i = 0; i < cells.size(); ++i) csv << (i ? "," : "") << escape::csv(cells[i]);
    csv << "\r\n";
  }
  return csv.str();
}

std::string render_checklist_markdown(const json& report, Lang lang) {
  bool th = lang == Lang::th;
  std::string site = text(report, "site");
  auto score = labels::score_of(report);
  const json& rules = report["rules"];
  std::ostringstream md;
  md << "# " << (th ? "รายการตรวจลิงก์ ITA/OIT: " : "ITA/OIT link checklist: ") << escape::markdown(site) << "\n\n";
  md << (th ? "ชุดกฎ " : "Rule set ") << escape::markdown(text(rules, "id")) << " · "
     << (th ? "ปีงบประมาณ " : "fiscal year ") << report.value("fiscal_year", 0) << " · "
     << (th ? "ตรวจเมื่อ " : "checked ") << escape::markdown(text(report.value("run", json::object()), "finished_at"))
     << "\n\n";
  if (!rules.value("complete", true))
    md << "> " << (th ? "ชุดกฎนี้ยังไม่ครบทุกข้อ: " : "This rule set is incomplete: ") << escape::markdown(text(rules, "note"))
       << "\n\n";
  if (!report["crawl"].value("complete", true))
    md << "> " << (th ? "การตรวจเว็บไซต์ยังไม่ครบ ผลบางข้อจึงเป็น \"สรุปไม่ได้\"" : "The crawl was incomplete; some items are \"unknown\"")
       << "\n\n";
  for (const auto& w : report.value("warnings", json::array()))
    md << "> " << escape::markdown(text(w, th ? "th" : "en")) << "\n\n";
  md << "| | " << (th ? "ข้อที่ผ่าน" : "items ok") << " | " << (th ? "คะแนน" : "score") << " |\n|---|---:|---:|\n";
  md << "| " << (th ? "ตอนนี้" : "now") << " | " << score.ok << "/" << score.total << " | "
     << labels::percent_text(score.now) << " (" << labels::grade(score.now) << ") |\n";
  md << "| " << (th ? "หลังแก้ลิงก์ตามรายการนี้" : "after the link fixes below") << " | " << score.ok + score.fixable << "/"
     << score.total << " | " << labels::percent_text(score.after_fixes) << " (" << labels::grade(score.after_fixes) << ") |\n";
  markdown_changes(md, report, lang);
  markdown_answers(md, report, lang);

  Sections s = sections_of(report);
  size_t todo_count = 0;
  for (auto& [g, items] : s.todo) todo_count += items.size();
  md << "\n## " << (th ? "ต้องแก้ไข" : "To fix") << " (" << todo_count << ")\n";
  for (auto& [group, items] : s.todo) {
    md << "\n### " << escape::markdown(group_name(report, group, lang)) << "\n\n";
    for (const json* item : items) {
      const json& it = *item;
      md << "- [ ] **" << escape::markdown(text(it, "code")) << " " << escape::markdown(item_name(it, lang)) << "**: "
         << labels::status(text(it, "status"), lang) << "\n";
      md << "  - " << (th ? "เหตุผล: " : "Why: ") << escape::markdown(text(it, th ? "reason_th" : "reason_en")) << "\n";
      md << "  - " << (th ? "วิธีแก้: " : "Fix: ") << escape::markdown(text(it, th ? "fix_th" : "fix_en")) << "\n";
      if (!it["path"].empty()) md << "  - " << (th ? "เส้นทางคลิก: " : "Click path: ") << escape::markdown(path_text(it["path"], site, lang)) << "\n";
    }
  }
  md << "\n## " << (th ? "ผ่านแล้ว" : "Ok") << " (" << score.ok << ")\n";
  for (auto& [group, items] : s.done) {
    md << "\n### " << escape::markdown(group_name(report, group, lang)) << "\n\n";
    for (const json* item : items) {
      const json& it = *item;
      md << "- [x] " << escape::markdown(text(it, "code")) << " " << escape::markdown(item_name(it, lang)) << ": "
         << escape::markdown(path_text(it["path"], site, lang)) << "\n";
    }
  }
  return md.str();
}

std::string render_checklist_csv(const json& report) {
  std::ostringstream csv;
  csv << "\xEF\xBB\xBF";  // the BOM makes Excel read UTF-8 Thai correctly
  const char* header[] = {"id", "code", "group", "name_th", "name_en", "status", "status_th", "depth", "evidence_url",
                          "evidence_kind", "anchor_text", "click_path", "reason_th", "fix_th", "confidence"};
  for (size_t i = 0; i < std::size(header); ++i) csv << (i ? "," : "") << header[i];
  csv << "\r\n";
  std::string site = text(report, "site");
  for (const auto& it : report["items"]) {
    const json best = it["evidence"].empty() ? json::object() : it["evidence"][0];
    std::string path;
    for (const auto& p : it["path"]) path += (path.empty() ? "" : " > ") + p.get<std::string>();
    std::vector<std::string> cells = {text(it, "id"), text(it, "code"), text(it, "group"), text(it, "name_th"),
                                      text(it, "name_en"), text(it, "status"),
                                      labels::status(text(it, "status"), Lang::th),
                                      it["depth"].is_null() ? "" : std::to_string(it["depth"].get<int>()),
                                      text(best, "url"), text(best, "kind"), text(best, "anchor_text"), path,
                                      text(it, "reason_th"), text(it, "fix_th"),
                                      labels::percent_text(it.value("confidence", 0.0))};
    for (size_t i = 0; i < cells.size(); ++i) csv << (i ? "," : "") << escape::csv(cells[i]);
    csv << "\r\n";
  }
  return csv.str();
}

std::string render_ita_page(const json& report) {
  std::ostringstream h;
  int year = report["rules"].value("year", 0);
  h << "<!DOCTYPE html>\n<html lang=\"th\">\n<head>\n<meta charset=\"utf-8\">\n"
    << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
    << "<title>การเปิดเผยข้อมูลสาธารณะ (OIT) ITA " << year << "</title>\n"
    << "<style>body{font-family:sans-serif;max-width:60em;margin:auto;padding:1em;line-height:1.6}"
       "li.todo{color:#777}h2{border-bottom:1px solid #ccc}</style>\n</head>\n<body>\n"
    << "<h1>การเปิดเผยข้อมูลสาธารณะ (Open Data Integrity and Transparency Assessment: OIT) ประจำปี " << year
    << "</h1>\n";
  std::string current_group;
  for (const auto& it : report["items"]) {
    std::string group = text(it, "group");
    if (group != current_group) {
      if (!current_group.empty()) h << "</ul>\n";
      h << "<h2>" << escape::html(group_name(report, group, Lang::th)) << "</h2>\n<ul>\n";
      current_group = group;
    }
    std::string status = text(it, "status");
    std::string label = text(it, "code") + " " + text(it, "name_th");
    // Current evidence that answers can be linked now; the rest is the webmaster's to-do list.
    bool linkable = !it["evidence"].empty() && (status == "ok" || status == "not_linked");
    if (linkable)
      h << "<li><a href=\"" << escape::href(text(it["evidence"][0], "url")) << "\">" << escape::html(label) << "</a></li>\n";
    else
      h << "<li class=\"todo\">" << escape::html(label) << " (อยู่ระหว่างจัดทำ)</li>\n";
  }
  if (!current_group.empty()) h << "</ul>\n";
  h << "</body>\n</html>\n";
  return h.str();
}

}  // namespace oit
