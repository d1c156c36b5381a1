// The checklist engine end to end: fixture site -> crawl -> ita-2566 -> one verdict per item.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "reports/checklist.hpp"
#include "tests/support.hpp"

using namespace oit;
using namespace oit::testing;
using nlohmann::json;

namespace {

RuleSet ita_2566() {
  auto rules = load_rule_set(rule_set_path("ita-2566"));
  REQUIRE_MESSAGE(rules.has_value(), "ita-2566 must load");
  return std::move(*rules);
}

// Crawls the site in `site_dir` and checks it against ita-2566 for fiscal year 2566.
std::map<std::string, json> verdicts_at(const std::string& site_dir, const TempDir& out,
                                        std::function<void(CrawlOptions&)> adjust = {}) {
  FixtureServer server(site_dir);
  server.start();
  CrawlOptions o = test_options("http://127.0.0.1:" + std::to_string(server.port()) + "/", out.path());
  if (adjust) adjust(o);
  REQUIRE(run_crawl(o).has_value());
  CheckOptions check;
  check.fiscal_year = 2566;
  auto result = run_checklist(out.path(), ita_2566(), check);
  REQUIRE_MESSAGE(result.has_value(), (result ? "" : result.error()));
  std::map<std::string, json> by_id;
  for (const auto& item : result->report["items"]) by_id[item["id"].get<std::string>()] = item;
  return by_id;
}

std::map<std::string, json> verdicts_for(const std::string& fixture_site, const TempDir& out,
                                         std::function<void(CrawlOptions&)> adjust = {}) {
  return verdicts_at(fixture(fixture_site), out, std::move(adjust));
}

void write_file(const std::string& path, const std::string& text) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  std::ofstream(path) << text;
}

std::string page(const std::string& title, const std::string& body) {
  return "<html><head><meta charset=\"utf-8\"><title>" + title + "</title></head><body>" + body + "</body></html>";
}

std::string path_of(const std::string& url) { return url.substr(url.find('/', 8)); }

}  // namespace

TEST_CASE("every shipped rule file loads and validates") {
  size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(rules_dir())) {
    if (entry.path().extension() != ".json") continue;
    ++files;
    auto rules = load_rule_set(entry.path().string());
    std::string errors;
    if (!rules)
      for (const auto& e : rules.error()) errors += e.message() + "\n";
    CHECK_MESSAGE(rules.has_value(), errors);
    if (rules) CHECK_MESSAGE((rules->complete || !rules->note.empty()), entry.path());
  }
  CHECK(files >= 1);
  auto ita = ita_2566();
  CHECK(ita.items.size() == 43);
  CHECK(ita.items.front().id == "1");
  CHECK(ita.items.back().code == "O43");
}

TEST_CASE("seed office: the committee's verdicts are reproduced, 17 ok and 26 not linked") {
  TempDir out;
  auto v = verdicts_for("seed-office", out);
  std::ifstream in(fixture("seed-office/_site.json"));
  const json design = json::parse(in);
  size_t ok = 0, not_linked = 0;
  for (const auto& item : design["items"]) {
    std::string id = std::to_string(item["id"].get<int>());
    std::string evidence = item["evidence"];
    const json& verdict = v.at(id);
    CAPTURE(id);
    REQUIRE_FALSE(verdict["evidence"].empty());
    std::string found = verdict["evidence"][0]["url"];
    CHECK((evidence.rfind("http", 0) == 0 ? found : path_of(found)) == evidence);
    if (item["linked_from_homepage"].get<bool>()) {
      CHECK(verdict["status"] == "ok");
      ok += verdict["status"] == "ok";
    } else {
      CHECK(verdict["status"] == "not_linked");
      CHECK(verdict["path"].empty());
      CHECK(verdict["evidence"][0]["found_via"] == "sitemap");
      CHECK(verdict["fix_th"].get<std::string>().find(found) != std::string::npos);
      not_linked += verdict["status"] == "not_linked";
    }
  }
  CHECK(ok == 17);
  CHECK(not_linked == 26);
  // The report is the contract: schema, score as the assessors compute it.
  std::ifstream report_file(out / "report.json");
  const json report = json::parse(report_file);
  CHECK(report["schema"] == "oitcheck.report/1");
  CHECK(report["score"]["percent"] == 39.53);
  CHECK(report["rules"]["id"] == "ita-2566");
  CHECK(report["items"].size() == 43);
}

TEST_CASE("seed office after the fix (an ITA menu on the homepage): all 43 ok") {
  TempDir out;
  auto v = verdicts_for("seed-office-fixed", out);
  for (const auto& [id, verdict] : v) {
    CAPTURE(id);
    CHECK(verdict["status"] == "ok");
    CHECK(verdict["depth"].get<int>() <= 3);
  }
  CHECK(v.at("15")["path"].size() == 3);  // homepage > ITA page > item page
}

TEST_CASE("verdict kinds: ok through Drive, broken, soft 404, stale, too deep, missing") {
  TempDir out;
  auto v = verdicts_for("verdict-kinds", out);
  CHECK(v.at("1")["status"] == "ok");  // a Google Drive link in the menu
  CHECK(v.at("1")["evidence"][0]["kind"] == "external");
  CHECK(v.at("2")["status"] == "broken");  // menu link answers 404
  CHECK(v.at("2")["reason_en"].get<std::string>().find("HTTP 404") != std::string::npos);
  CHECK(v.at("3")["status"] == "broken");  // 200 but "ไม่พบหน้าที่ต้องการ"
  CHECK(v.at("5")["status"] == "ok");      // a TIS-620 page
  CHECK(v.at("10")["status"] == "not_linked");  // four clicks deep
  CHECK(v.at("10")["depth"] == 4);
  CHECK(v.at("11")["status"] == "stale");  // only the 2565 plan
  CHECK(v.at("11")["reason_en"].get<std::string>().find("2565") != std::string::npos);
  CHECK(v.at("19")["status"] == "ok");
  CHECK(v.at("43")["status"] == "missing");
  CHECK(v.at("43")["evidence"].empty());
}

TEST_CASE("an incomplete crawl never says missing or not linked: it says unknown") {
  TempDir out;
  auto v = verdicts_for("verdict-kinds", out, [](CrawlOptions& o) { o.frontier.max_pages = 4; });
  CHECK(v.at("43")["status"] == "unknown");
  CHECK(v.at("10")["status"] == "unknown");
  CHECK(v.at("43")["reason_en"].get<std::string>().find("--max-pages reached") != std::string::npos);
}

TEST_CASE("the allowed number of clicks can be raised for every item") {
  TempDir out;
  FixtureServer server(fixture("verdict-kinds"));
  server.start();
  REQUIRE(run_crawl(test_options("http://127.0.0.1:" + std::to_string(server.port()) + "/", out.path())));
  CheckOptions check;
  check.fiscal_year = 2566;
  check.max_clicks = 4;
  auto result = run_checklist(out.path(), ita_2566(), check);
  REQUIRE(result);
  CHECK(result->report["items"][9]["status"] == "ok");
}

namespace {
// status of each listed item id, in one string for readable failures: "1:ok 2:broken ..."
std::string statuses(const std::map<std::string, json>& v, const std::vector<std::string>& ids) {
  std::string out;
  for (const auto& id : ids) out += (out.empty() ? "" : " ") + id + ":" + v.at(id)["status"].get<std::string>();
  return out;
}
}  // namespace

TEST_CASE("WordPress-like site: mega-menu, ITA landing page, code prefixes, REST API and feed") {
  TempDir out;
  auto v = verdicts_for("wp-megamenu", out);
  CHECK(statuses(v, {"1", "2", "3", "7", "14", "18", "19", "36", "31", "39", "43"}) ==
        "1:ok 2:ok 3:ok 7:ok 14:ok 18:ok 19:ok 36:ok 31:not_linked 39:not_linked 43:missing");
  CHECK(v.at("2")["depth"] == 2);
  CHECK(v.at("31")["evidence"][0]["found_via"] == "feed");
  CHECK(v.at("39")["evidence"][0]["found_via"] == "wordpress-api");
  CHECK(v.at("14")["evidence"][0]["url"].get<std::string>().find("%E0%B8%84") != std::string::npos);  // Thai slug
}

TEST_CASE("Google-Sites-like site: evidence on Google Drive and Docs, one in an iframe") {
  TempDir out;
  auto v = verdicts_for("google-sites", out);
  CHECK(statuses(v, {"1", "2", "3", "5", "11", "10"}) == "1:ok 2:ok 3:ok 5:ok 11:ok 10:missing");
  CHECK(v.at("1")["evidence"][0]["kind"] == "external");
  CHECK(v.at("11")["evidence"][0]["url"] == "https://drive.google.com/file/d/1PlanOp2566/preview");
}

TEST_CASE("TIS-620 site declared only by <meta>: titles and link texts are read correctly") {
  TempDir out;
  auto v = verdicts_for("tis620-site", out);
  CHECK(statuses(v, {"1", "5", "7"}) == "1:ok 5:ok 7:ok");
  CHECK(v.at("5")["evidence"][0]["title"] == "ข้อมูลการติดต่อ");
}

TEST_CASE("items four clicks deep are not linked at 3 clicks, ok at 4") {
  TempDir out;
  auto v = verdicts_for("deep-items", out);
  CHECK(statuses(v, {"1", "10"}) == "1:not_linked 10:not_linked");
  CHECK(v.at("1")["depth"] == 4);
  CHECK(v.at("1")["path"].size() == 5);
  CHECK(v.at("1")["reason_en"].get<std::string>().find("4 clicks deep, more than the 3 allowed") != std::string::npos);
}

TEST_CASE("broken evidence: 404, 500, a soft 404 and a Drive access page") {
  TempDir out;
  auto v = verdicts_for("broken-evidence", out);
  CHECK(statuses(v, {"1", "2", "3", "5", "10"}) == "1:broken 2:broken 3:broken 5:broken 10:ok");
  CHECK(v.at("2")["evidence"][0]["assessment"] == "HTTP 500");
  CHECK(v.at("3")["evidence"][0]["assessment"].get<std::string>().find("error page") != std::string::npos);
}

TEST_CASE("only last year's documents: current-year items are stale, reports on the past year are ok") {
  TempDir out;
  auto v = verdicts_for("last-year", out);
  // The No Gift declaration dated 1 October 2565 falls in fiscal year 2566.
  CHECK(statuses(v, {"11", "19", "13", "31"}) == "11:stale 19:stale 13:ok 31:ok");
}

TEST_CASE("a page that lost its last link is still found: URLs of the previous run are rechecked") {
  TempDir out;
  uint16_t port = 0;
  CheckOptions check;
  check.fiscal_year = 2566;
  {
    FixtureServer before(fixture("seed-office-fixed"));
    before.start();
    port = before.port();
    REQUIRE(run_crawl(test_options("http://127.0.0.1:" + std::to_string(port) + "/", out.path())));
  }
  // The office redesigns its homepage and drops the ITA menu (and its sitemap lists nothing new).
  FixtureServer after(fixture("seed-office"));
  after.start(port);
  REQUIRE(run_crawl(test_options("http://127.0.0.1:" + std::to_string(port) + "/", out.path())));
  auto result = run_checklist(out.path(), ita_2566(), check);
  REQUIRE(result);
  const json& o15 = result->report["items"][14];
  CHECK(o15["status"] == "not_linked");
  CHECK(o15["evidence"][0]["found_via"] == "previous-run");
}

TEST_CASE("oitcheck explain shows every candidate with its signals and why it won or lost") {
  TempDir out;
  auto demo = run_oitcheck({"demo", "--out", out.path()});
  REQUIRE(demo.exit_code == 0);
  CHECK(demo.out.find("ผ่าน 17 จาก 43 ข้อ (คะแนน 39.53 ระดับ F)") != std::string::npos);
  auto r = run_oitcheck({"explain", out.path(), "O15"});
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("O15 คู่มือหรือมาตรฐานการให้บริการ: not_linked") != std::string::npos);
  CHECK(r.out.find("/ita/o15.html\n    confidence 0.99, no link path from the main page") != std::string::npos);
  CHECK(r.out.find("title  +0.80") != std::string::npos);
  CHECK(r.out.find("code   +0.30") != std::string::npos);
  auto unknown = run_oitcheck({"explain", out.path(), "O99"});
  CHECK(unknown.exit_code == 1);
  CHECK(unknown.err == "oitcheck explain: " + out.path() + "/report.json has no item 'O99'\n");
}

TEST_CASE("oitcheck crawl --rules: exit 2 when an item is not ok, 3 for a bad rule file before any request") {
  FixtureServer server(fixture("seed-office-fixed"));
  server.start();
  std::string home = "http://127.0.0.1:" + std::to_string(server.port()) + "/";
  TempDir out;
  auto all_ok = run_oitcheck({"crawl", home, "--out", out.path(), "--rules", "ita-2566", "--fiscal-year", "2566"});
  CHECK(all_ok.exit_code == 0);
  auto strict = run_oitcheck({"crawl", home, "--out", out.path(), "--rules", "ita-2566", "--fiscal-year", "2566",
                              "--max-clicks", "1"});
  CHECK(strict.exit_code == 2);
  size_t before = server.requests().size();
  auto bad = run_oitcheck({"crawl", home, "--out", out.path(), "--rules", out / "missing.json"});
  CHECK(bad.exit_code == 3);
  CHECK(bad.err == "oitcheck: " + out / "missing.json" + ": /: expected a readable rule file, found no such file\n");
  CHECK(server.requests().size() == before);
}

TEST_CASE("a site that refuses much of itself is not judged: missing becomes unknown") {
  TempDir out;
  auto v = verdicts_for("blocked-site", out);
  CHECK(v.at("7")["status"] == "ok");  // what was seen is still judged
  CHECK(v.at("1")["status"] == "unknown");
  CHECK(v.at("1")["reason_en"].get<std::string>().find("the site refused 2 of 4 pages (robots.txt or HTTP 403/429/503)") !=
        std::string::npos);
}

TEST_CASE("a site bigger than one matching slice: excerpts stay with their pages, the useful candidates are kept") {
  // The checklist reads excerpts 2,048 URLs at a time and trims each item's candidates after
  // every slice. 2,200 filler pages about 2565 put the evidence in the second slice; mailto
  // links (never evidence) leave gaps in the URL ids a slice covers.
  TempDir site, out;
  std::string home = "<a href=\"/more/a.html\">เพิ่มเติม</a> <a href=\"/about/chart.html\">แผนผัง</a>";
  for (int i = 0; i < 2200; ++i) {
    std::string name = "news/n" + std::to_string(i) + ".html";
    home += "<a href=\"/" + name + "\">กิจกรรม " + std::to_string(i) + "</a>";
    if (i % 100 == 0) home += "<a href=\"mailto:desk" + std::to_string(i) + "@example.org\">อีเมล</a>";
    write_file(site / name, page("กิจกรรมที่ " + std::to_string(i), "<p>กิจกรรมของหน่วยงาน ปีงบประมาณ 2565</p>"));
  }
  // Found only through its URL and its body text, which is also the only place naming 2566.
  home += "<a href=\"/plans/action-plan.html\">เอกสาร</a>";
  write_file(site / "plans/action-plan.html", page("เอกสารเผยแพร่", "<p>แผนปฏิบัติราชการประจำปี ปีงบประมาณ พ.ศ. 2566</p>"));
  write_file(site / "index.html", page("หน้าแรก", home));
  // Item 1: twelve strong candidates four clicks deep rank above the one reachable page, which
  // matches by its title alone.
  write_file(site / "about/chart.html", page("แผนภูมิโครงสร้าง", "<p>แผนภูมิ</p>"));
  write_file(site / "more/a.html", page("ก", "<a href=\"/more/b.html\">ต่อ</a>"));
  write_file(site / "more/b.html", page("ข", "<a href=\"/more/c.html\">ต่อ</a>"));
  std::string deep;
  for (int i = 0; i < 12; ++i) {
    std::string name = "deep/s" + std::to_string(i) + ".html";
    deep += "<a href=\"/" + name + "\">โครงสร้างองค์กร " + std::to_string(i) + "</a>";
    write_file(site / name, page("โครงสร้างองค์กร", "<p>แผนภูมิ</p>"));
  }
  write_file(site / "more/c.html", page("ค", deep));

  auto v = verdicts_at(site.path(), out, [](CrawlOptions& o) { o.frontier.max_pages = 5000; });
  const json& plan = v.at("11");
  CHECK(plan["status"] == "ok");
  REQUIRE(!plan["evidence"].empty());
  CHECK(path_of(plan["evidence"][0]["url"]) == "/plans/action-plan.html");
  REQUIRE(!plan["candidates"].empty());
  const json& best = plan["candidates"][0];  // the same URL, with its signals
  CHECK(best["url"] == plan["evidence"][0]["url"]);
  CHECK(best["years"] == json::array({2566}));
  bool body_signal = false;
  for (const auto& s : best["signals"])
    body_signal |= s["signal"] == "body" && s["text"].get<std::string>().find("2566") != std::string::npos;
  CHECK(body_signal);

  const json& structure = v.at("1");
  CHECK(structure["status"] == "ok");
  REQUIRE(!structure["evidence"].empty());
  CHECK(path_of(structure["evidence"][0]["url"]) == "/about/chart.html");
  REQUIRE(structure["candidates"].size() == 10);
  CHECK(structure["candidates"][0]["depth"] == 4);  // best first: the deep ones outrank it
}
