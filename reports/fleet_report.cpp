#include "reports/fleet_report.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <sstream>

#include "crawler/strings.hpp"
#include "reports/render.hpp"
#include "reports/text_escape.hpp"

namespace oit {
using nlohmann::json;
using labels::text;

void fill_row_from_report(FleetRow& row, const json& report) {
  auto score = labels::score_of(report);
  row.rules_id = text(report["rules"], "id");
  row.finished_at = text(report["run"], "finished_at");
  row.percent = score.now;
  row.ok = score.ok;
  row.total = score.total;
  row.pages = report["crawl"].value("pages", size_t{0});
  row.complete = report["crawl"].value("complete", false);
  for (const auto& w : report.value("warnings", json::array())) row.warnings.push_back(text(w, "kind"));
  for (const auto& item : report["items"])
    row.items.push_back({text(item, "id"), text(item, "code"), text(item, "name_th"), text(item, "status")});
}

json build_fleet_model(const std::vector<FleetRow>& rows, const std::string& generated_at) {
  json sites = json::array();
  // Per rule set: its items in order, and how many checked sites have each one not ok.
  std::map<std::string, json> rule_sets;
  std::map<std::string, size_t> grades;
  size_t checked = 0, failed = 0, interrupted = 0;
  for (const auto& r : rows) {
    json items = json::object();
    for (const auto& c : r.items) items[c.id] = c.status;
    bool is_checked = r.status == "checked";
    json site = {{"name", r.name},         {"group", r.group},     {"homepage", r.homepage},
                 {"report_dir", r.report_dir}, {"status", r.status}, {"error", r.error},
                 {"rules_id", r.rules_id}, {"finished_at", r.finished_at}, {"pages", r.pages},
                 {"complete", r.complete}, {"warnings", r.warnings}, {"items", items}};
    if (is_checked) {
      site["percent"] = r.percent;
      site["grade"] = labels::grade(r.percent);
      site["ok"] = r.ok;
      site["total"] = r.total;
      ++grades[labels::grade(r.percent)];
      json& set = rule_sets[r.rules_id];
      if (set.is_null()) {
        set = {{"id", r.rules_id}, {"sites", 0}, {"items", json::array()}};
        for (const auto& c : r.items)
          set["items"].push_back({{"id", c.id}, {"code", c.code}, {"name_th", c.name_th}, {"not_ok", 0}});
      }
      set["sites"] = set["sites"].get<size_t>() + 1;
      for (auto& item : set["items"])
        if (auto it = items.find(text(item, "id")); it != items.end() && *it != "ok")
          item["not_ok"] = item["not_ok"].get<size_t>() + 1;
    }
    checked += is_checked;
    failed += r.status == "failed";
    interrupted += r.status == "interrupted";
    sites.push_back(std::move(site));
  }
  json sets = json::array();
  for (auto& [id, set] : rule_sets) sets.push_back(std::move(set));
  return {{"format", "oitcheck.fleet/1"},
          {"generated_at", generated_at},
          {"totals", {{"sites", rows.size()}, {"checked", checked}, {"failed", failed}, {"interrupted", interrupted},
                      {"grades", grades}}},
          {"rule_sets", sets},
          {"sites", sites}};
}

namespace {

// Sorting by a column header click. The page's CSP allows this one script by its hash and
// nothing else, so website text in the page can never run as script.
const char* kSortScript =
    "document.querySelectorAll('table.sortable th').forEach(function(th,i){th.addEventListener('click',function(){"
    "var tb=th.closest('table').tBodies[0],rows=[].slice.call(tb.rows),asc=th.dataset.dir!=='asc';"
    "th.dataset.dir=asc?'asc':'desc';rows.sort(function(a,b){var x=a.cells[i].dataset.v||a.cells[i].textContent,"
    "y=b.cells[i].dataset.v||b.cells[i].textContent,nx=parseFloat(x),ny=parseFloat(y),"
    "c=(!isNaN(nx)&&!isNaN(ny))?nx-ny:x.localeCompare(y,'th');return asc?c:-c;});"
    "rows.forEach(function(r){tb.appendChild(r);});});});";

std::string sha256_base64(const std::string& s) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(s.data(), s.size(), digest, &length, EVP_sha256(), nullptr);
  unsigned char encoded[4 * ((EVP_MAX_MD_SIZE + 2) / 3) + 1];
  int n = EVP_EncodeBlock(encoded, digest, static_cast<int>(length));
  return std::string(reinterpret_cast<char*>(encoded), static_cast<size_t>(n));
}

const char* kStyle = R"CSS(
body{font-family:"Noto Sans Thai",Tahoma,sans-serif;margin:0;padding:1em 2em;color:#222;line-height:1.5}
table{border-collapse:collapse;font-size:.85em}th,td{border:1px solid #ddd;padding:.2em .4em;text-align:left}
th{background:#f5f5f5;cursor:pointer;position:sticky;top:0}td.c{width:1.4em;height:1.4em;padding:0}
.badge{color:#fff;border-radius:3px;padding:0 .4em}.num{text-align:right}.err{color:#c62828}
.legend span{display:inline-block;margin-right:1em}.warn{color:#e65100}
)CSS";

void legend(std::ostringstream& h, labels::Lang lang) {
  h << "<p class=\"legend\">";
  for (const char* s : {"ok", "not_linked", "broken", "stale", "missing", "unknown"})
    h << "<span><span class=\"badge\" style=\"background:" << labels::status_color(s) << "\">&nbsp;</span> "
      << labels::status(s, lang) << "</span>";
  h << "</p>\n";
}

// Which items fail on most sites: one bar per item, most failures first.
void failure_chart(std::ostringstream& h, const json& set, bool th) {
  std::vector<const json*> items;
  for (const auto& item : set["items"]) items.push_back(&item);
  std::stable_sort(items.begin(), items.end(),
                   [](const json* a, const json* b) { return (*a)["not_ok"].get<size_t>() > (*b)["not_ok"].get<size_t>(); });
  size_t sites = std::max<size_t>(1, set["sites"].get<size_t>());
  size_t shown = std::min<size_t>(items.size(), 20);
  int row_h = 22, label_w = 420, bar_w = 300;
  h << "<h3>" << (th ? "ข้อที่ไม่ผ่านมากที่สุด" : "Items failing on most sites") << "</h3>\n"
    << "<svg role=\"img\" width=\"" << label_w + bar_w + 80 << "\" height=\"" << row_h * static_cast<int>(shown) + 4
    << "\" xmlns=\"http://www.w3.org/2000/svg\" font-size=\"12\">\n";
  for (size_t i = 0; i < shown; ++i) {
    const json& item = *items[i];
    size_t n = item["not_ok"].get<size_t>();
    int y = static_cast<int>(i) * row_h;
    int w = static_cast<int>(static_cast<double>(bar_w) * static_cast<double>(n) / static_cast<double>(sites));
    std::string label = text(item, "code") + " " + text(item, "name_th");
    h << "<text x=\"0\" y=\"" << y + 15 << "\">" << escape::html(strings::cut_utf8(label, 150)) << "</text>"
      << "<rect x=\"" << label_w << "\" y=\"" << y + 3 << "\" width=\"" << w << "\" height=\"16\" fill=\"#c62828\"/>"
      << "<text x=\"" << label_w + w + 4 << "\" y=\"" << y + 15 << "\">" << n << "/" << sites << "</text>\n";
  }
  h << "</svg>\n";
}

void matrix(std::ostringstream& h, const json& model, const json& set, labels::Lang lang) {
  bool th = lang == labels::Lang::th;
  h << "<h2>" << (th ? "ชุดกฎ " : "Rule set ") << escape::html(text(set, "id")) << "</h2>\n";
  failure_chart(h, set, th);
  h << "<table class=\"sortable\"><thead><tr><th>" << (th ? "หน่วยงาน" : "Site") << "</th><th>"
    << (th ? "กลุ่ม" : "Group") << "</th><th>" << (th ? "คะแนนคาดการณ์" : "Projected score") << "</th><th>"
    << (th ? "ระดับ" : "Grade") << "</th><th>" << (th ? "ไม่ผ่าน" : "Not ok") << "</th>";
  for (const auto& item : set["items"])
    h << "<th title=\"" << escape::html(text(item, "name_th")) << "\">" << escape::html(text(item, "code")) << "</th>";
  h << "</tr></thead><tbody>\n";
  for (const auto& site : model["sites"]) {
    if (text(site, "status") != "checked" || text(site, "rules_id") != text(set, "id")) continue;
    double percent = site.value("percent", 0.0);
    std::string link = text(site, "report_dir");
    h << "<tr><td data-v=\"" << escape::html(text(site, "name")) << "\">";
    if (!link.empty()) h << "<a href=\"" << escape::html(link + "/report.html") << "\">";
    h << escape::html(text(site, "name")) << (link.empty() ? "" : "</a>");
    for (const auto& w : site["warnings"])
      if (w == "script_menu")
        h << " <span class=\"warn\" title=\""
          << (th ? "เมนูสร้างด้วย JavaScript: ตรวจซ้ำด้วย --render" : "menu built by JavaScript: check again with --render")
          << "\">JS</span>";
    h << "</td><td>" << escape::html(text(site, "group")) << "</td><td class=\"num\" data-v=\"" << percent << "\">"
      << labels::percent_text(percent) << "</td><td>" << labels::grade(percent) << "</td><td class=\"num\">"
      << site.value("total", size_t{0}) - site.value("ok", size_t{0}) << "</td>";
    for (const auto& item : set["items"]) {
      std::string status = site["items"].value(text(item, "id"), std::string("unknown"));
      h << "<td class=\"c\" data-v=\"" << labels::status_rank(status) << "\" style=\"background:"
        << labels::status_color(status) << "\" title=\"" << escape::html(text(item, "code")) << ": "
        << labels::status(status, lang) << "\"></td>";
    }
    h << "</tr>\n";
  }
  h << "</tbody></table>\n";
}

}  // namespace

std::string render_fleet_html(const json& model, labels::Lang lang) {
  bool th = lang == labels::Lang::th;
  const json& totals = model["totals"];
  std::ostringstream h;
  h << "<!DOCTYPE html>\n<html lang=\"" << (th ? "th" : "en") << "\"><head><meta charset=\"utf-8\">\n"
    << "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-"
    << sha256_base64(kSortScript) << "'\">\n<title>" << (th ? "สรุปผลตรวจหลายหน่วยงาน" : "Fleet summary")
    << "</title><style>" << kStyle << "</style></head><body>\n<h1>"
    << (th ? "สรุปผลตรวจลิงก์ ITA/OIT ทุกหน่วยงาน" : "ITA/OIT link check: every site") << "</h1>\n<p>"
    << (th ? "ตรวจเมื่อ " : "Generated ") << escape::html(text(model, "generated_at")) << ": "
    << totals["sites"].get<size_t>() << (th ? " หน่วยงาน, ตรวจได้ " : " sites, checked ") << totals["checked"].get<size_t>()
    << (th ? ", เข้าไม่ได้ " : ", unreachable ") << totals["failed"].get<size_t>();
  if (totals["interrupted"].get<size_t>()) h << (th ? ", ถูกหยุดกลางคัน " : ", interrupted ") << totals["interrupted"].get<size_t>();
  h << "</p>\n<p>" << (th ? "ระดับ: " : "Grades: ");
  for (const char* g : {"AA", "A", "B", "C", "D", "E", "F"})
    if (totals["grades"].contains(g)) h << g << " " << totals["grades"][g].get<size_t>() << " &nbsp;";
  h << "</p>\n" << "<p>" << (th ? "คลิกหัวตารางเพื่อเรียง" : "Click a column header to sort.") << "</p>\n";
  legend(h, lang);
  for (const auto& set : model["rule_sets"]) matrix(h, model, set, lang);
  bool any_down = false;
  for (const auto& site : model["sites"]) any_down = any_down || text(site, "status") != "checked";
  if (any_down) {
    h << "<h2>" << (th ? "หน่วยงานที่ตรวจไม่ได้" : "Sites that could not be checked") << "</h2>\n<table class=\"sortable\"><thead><tr><th>"
      << (th ? "หน่วยงาน" : "Site") << "</th><th>" << (th ? "หน้าหลัก" : "Homepage") << "</th><th>"
      << (th ? "สาเหตุ" : "Why") << "</th></tr></thead><tbody>\n";
    for (const auto& site : model["sites"]) {
      if (text(site, "status") == "checked") continue;
      h << "<tr><td>" << escape::html(text(site, "name")) << "</td><td><a href=\"" << escape::href(text(site, "homepage"))
        << "\">" << escape::html(text(site, "homepage")) << "</a></td><td class=\"err\">"
        << escape::html(text(site, "error")) << "</td></tr>\n";
    }
    h << "</tbody></table>\n";
  }
  h << "<script>" << kSortScript << "</script>\n</body></html>\n";
  return h.str();
}

std::string render_fleet_csv(const json& model) {
  // Item columns: every item code of every rule set, in order of first appearance.
  std::vector<std::pair<std::string, std::string>> columns;  // (rules_id, item id) -> code header
  std::vector<std::string> headers;
  for (const auto& set : model["rule_sets"])
    for (const auto& item : set["items"]) {
      columns.emplace_back(text(set, "id"), text(item, "id"));
      headers.push_back(text(item, "code"));
    }
  std::string out = "\xEF\xBB\xBF";
  out += "name,group,homepage,status,error,rules,score,grade,ok,total,pages,complete,report";
  for (const auto& h : headers) out += "," + escape::csv(h);
  out += "\r\n";
  for (const auto& site : model["sites"]) {
    bool checked = text(site, "status") == "checked";
    out += escape::csv(text(site, "name")) + "," + escape::csv(text(site, "group")) + "," +
           escape::csv(text(site, "homepage")) + "," + text(site, "status") + "," + escape::csv(text(site, "error")) + "," +
           escape::csv(text(site, "rules_id")) + "," +
           (checked ? labels::percent_text(site.value("percent", 0.0)) + "," + labels::grade(site.value("percent", 0.0)) : ",") +
           "," + (checked ? std::to_string(site.value("ok", 0)) + "," + std::to_string(site.value("total", 0)) : ",") + "," +
           std::to_string(site.value("pages", 0)) + "," + (site.value("complete", false) ? "yes" : "no") + "," +
           escape::csv(text(site, "report_dir"));
    for (const auto& [rules_id, id] : columns)
      out += "," + (text(site, "rules_id") == rules_id ? site["items"].value(id, std::string()) : std::string());
    out += "\r\n";
  }
  return out;
}

tl::expected<void, std::string> write_fleet_reports(const json& model, const std::string& dir, labels::Lang lang) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  namespace fs = std::filesystem;
  if (auto r = write_file_atomically((fs::path(dir) / "fleet.json").string(), model.dump(2) + "\n"); !r) return r;
  if (auto r = write_file_atomically((fs::path(dir) / "fleet.csv").string(), render_fleet_csv(model)); !r) return r;
  return write_file_atomically((fs::path(dir) / "fleet.html").string(), render_fleet_html(model, lang));
}

}  // namespace oit
