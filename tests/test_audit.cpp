// The pre-submission audit: answers files with each kind of problem, one fully correct file,
// and the seed office's unlinked documents reported as the committee found them.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "reports/checklist.hpp"
#include "tests/support.hpp"

using namespace oit;
using namespace oit::testing;
using nlohmann::json;

namespace {

// An answers template from tests/fixtures/answers with the fixture server's address filled in.
std::string answers_file(const TempDir& dir, const std::string& name, uint16_t port) {
  std::string text = slurp(fixture("answers/" + name));
  replace_all(text, "{{BASE}}", "http://127.0.0.1:" + std::to_string(port));
  replace_all(text, "{{PORT}}", std::to_string(port));
  std::string path = dir / name;
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

RuleSet ita_2566() {
  auto rules = load_rule_set(rule_set_path("ita-2566"));
  REQUIRE(rules);
  return std::move(*rules);
}

struct Audit {
  json report;
  std::map<std::string, json> by_code;  // first answer per item code
};

// Crawls `site` with the answers' URLs added, then audits them for fiscal year 2566.
Audit audit(const std::string& site, const std::string& answers_name) {
  FixtureServer server(fixture(site));
  server.add_site("drive.google.test", fixture("answers/drive"));
  server.add_site("www.facebook.test", fixture("answers/facebook"));
  server.start();
  TempDir dir;
  RuleSet rules = ita_2566();
  auto answers = load_answers(answers_file(dir, answers_name, server.port()), rules);
  REQUIRE_MESSAGE(answers.has_value(), (answers ? "" : answers.error().front().message()));
  CrawlOptions o = test_options("http://127.0.0.1:" + std::to_string(server.port()) + "/", dir / "out");
  std::string port = std::to_string(server.port());
  o.client.resolve = {"drive.google.test:" + port + ":127.0.0.1", "www.facebook.test:" + port + ":127.0.0.1"};
  for (const auto& a : *answers) o.extra_urls.push_back(a.url);
  REQUIRE(run_crawl(o));
  CheckOptions check;
  check.fiscal_year = 2566;
  auto result = build_checklist(dir / "out", rules, check, &*answers);
  REQUIRE(result);
  Audit out{result->report, {}};
  for (const auto& a : out.report["answers"]) out.by_code.emplace(a["code"].get<std::string>(), a);
  return out;
}

}  // namespace

TEST_CASE("audit, seed office: answers pointing at the unlinked documents are not linked, item by item") {
  auto a = audit("seed-office", "seed-unlinked.csv");
  size_t not_linked = 0;
  for (const auto& answer : a.report["answers"]) {
    if (answer["verdict"] == "unanswered") continue;
    CAPTURE(answer["code"]);
    CHECK(answer["verdict"] == "not_linked");
    CHECK(answer["path"].empty());
    CHECK(answer["reason_th"].get<std::string>().find("ลิงค์ไม่ได้แสดงจากหน้าเว็บไซต์หลักของหน่วยงาน") != std::string::npos);
    ++not_linked;
  }
  CHECK(not_linked == 26);
  // The 17 items the committee passed were not in the file: each is listed with the URL to use.
  CHECK(a.by_code.at("O1")["verdict"] == "unanswered");
  CHECK(a.by_code.at("O1")["better_url"].get<std::string>().find("/about/structure.html") != std::string::npos);
}

TEST_CASE("audit, the same answers as JSON, with codes written as 15, O16 and Thai digits") {
  auto a = audit("seed-office", "seed-unlinked.json");
  CHECK(a.by_code.at("O15")["verdict"] == "not_linked");
  CHECK(a.by_code.at("O16")["verdict"] == "not_linked");
  CHECK(a.by_code.at("O17")["verdict"] == "not_linked");
  CHECK(a.by_code.at("O16")["where"] == "/answers/1/urls/0");
}

TEST_CASE("audit, every kind of problem gets its verdict and fix") {
  auto a = audit("seed-office", "problems.csv");
  auto verdict = [&](const char* code) { return a.by_code.at(code)["verdict"].get<std::string>(); };
  CHECK(verdict("O1") == "wrong_item");
  CHECK(a.by_code.at("O1")["better_item"] == "2");
  CHECK(a.by_code.at("O1")["fix_en"].get<std::string>().find("swapped") != std::string::npos);
  CHECK(a.by_code.at("O1")["better_url"].get<std::string>().find("/about/structure.html") != std::string::npos);
  CHECK(verdict("O2") == "wrong_item");
  CHECK(verdict("O3") == "no_match");
  CHECK(verdict("O5") == "broken");  // a Drive file that asks for access
  CHECK(a.by_code.at("O5")["reason_en"].get<std::string>().find("error page") != std::string::npos);
  CHECK(verdict("O6") == "broken");  // 404
  CHECK(a.by_code.at("O6")["reason_en"].get<std::string>().find("HTTP 404") != std::string::npos);
  CHECK(verdict("O7") == "broken");  // 200, but an error page
  CHECK(verdict("O8") == "broken");  // a login page
  CHECK(a.by_code.at("O8")["reason_en"].get<std::string>().find("login page") != std::string::npos);
  CHECK(verdict("O11") == "stale");
  CHECK(a.by_code.at("O11")["reason_en"].get<std::string>().find("fiscal year 2566") != std::string::npos);
  CHECK(verdict("O15") == "not_linked");
  CHECK(verdict("O10") == "ok");
  CHECK(a.by_code.at("O10")["where"] == "line 11");
}

TEST_CASE("audit, a fully correct answers file (saved by Excel, with a BOM) passes every item") {
  auto a = audit("seed-office-fixed", "fixed-correct.csv");
  for (const auto& answer : a.report["answers"]) {
    CAPTURE(answer["code"]);
    CAPTURE(answer["problems"]);
    CHECK(answer["verdict"] == "ok");
  }
  CHECK(a.report["answers"].size() == 43);
}

TEST_CASE("bad answers files: every problem with its line number, never a crash") {
  TempDir dir;
  RuleSet rules = ita_2566();
  std::string bad = answers_file(dir, "bad-format.csv", 8080);
  auto r = load_answers(bad, rules);
  REQUIRE_FALSE(r);
  std::vector<std::string> messages;
  for (const auto& e : r.error()) messages.push_back(e.message());
  auto has = [&](const std::string& m) { return std::find(messages.begin(), messages.end(), bad + ": " + m) != messages.end(); };
  CHECK(has("line 3: expected an item of ita-2566 (an id such as 1 or a code such as O1), found \"O99\""));
  CHECK(has("line 4: expected an http:// or https:// URL, found \"not a url\" ('not a url' is not an absolute URL (it must start with http:// or https://))"));
  CHECK(has("line 5: expected an http:// or https:// URL, found \"ftp://example.go.th/a.pdf\" (only http:// and https:// URLs can be crawled, not ftp:)"));
  CHECK(has("line 6: expected each item and URL once, found a repeat of line 2"));
  CHECK(messages.size() == 4);  // line 7 leaves O4 unanswered; line 8's Thai URL is percent-encoded
  auto columns = load_answers(fixture("answers/wrong-columns.csv"), rules);
  REQUIRE_FALSE(columns);
  CHECK(columns.error().front().message() ==
        fixture("answers/wrong-columns.csv") + ": line 1: expected a header row with the columns item,url, found \"ข้อ,หมายเหตุ\"");
}

TEST_CASE("a Thai URL in an answers file is percent-encoded, and the BOM is ignored") {
  TempDir dir;
  std::ofstream(dir / "thai.csv") << "\xEF\xBB\xBFitem,url\nO5,http://a.go.th/ไฟล์/ติดต่อ.html\n";
  auto r = load_answers(dir / "thai.csv", ita_2566());
  REQUIRE(r);
  REQUIRE(r->size() == 1);
  CHECK((*r)[0].item_id == "5");
  CHECK((*r)[0].url == "http://a.go.th/%E0%B9%84%E0%B8%9F%E0%B8%A5%E0%B9%8C/%E0%B8%95%E0%B8%B4%E0%B8%94%E0%B8%95%E0%B9%88%E0%B8%AD.html");
}

TEST_CASE("oitcheck audit and oitcheck answers from the command line") {
  FixtureServer server(fixture("seed-office"));
  server.start();
  TempDir dir;
  std::string answers = answers_file(dir, "seed-unlinked.csv", server.port());
  std::string home = "http://127.0.0.1:" + std::to_string(server.port()) + "/";
  auto r = run_oitcheck({"audit", home, "--answers", answers, "--rules", "ita-2566", "--fiscal-year", "2566",
                         "--out", dir / "out"});
  CHECK(r.exit_code == 2);
  CHECK(r.out.find("คำตอบที่จะส่ง: ผ่าน 0 จาก 43") != std::string::npos);
  std::string csv = slurp(dir / "out/answers.csv");
  CHECK(csv.find("\"O15\",\"" + home + "ita/o15.html\"") != std::string::npos);
  CHECK(slurp(dir / "out/checklist.md").find("## ตรวจคำตอบที่จะส่ง") != std::string::npos);
  CHECK(slurp(dir / "out/report.html").find("ตรวจคำตอบที่จะส่ง") != std::string::npos);

  auto suggested = run_oitcheck({"answers", dir / "out"});
  CHECK(suggested.exit_code == 0);
  std::string file = slurp(dir / "out/suggested-answers.csv");
  CHECK(file.find("\"O1\",\"" + home + "about/structure.html\",\"ok\"") != std::string::npos);
  CHECK(file.find("\"O15\",\"\",\"not_linked\"") != std::string::npos);
  // The suggestion is itself a valid answers file.
  CHECK(load_answers(dir / "out/suggested-answers.csv", ita_2566()).has_value());

  auto bad = run_oitcheck({"audit", home, "--answers", fixture("answers/wrong-columns.csv"), "--rules", "ita-2566",
                           "--out", dir / "out2"});
  CHECK(bad.exit_code == 3);
  CHECK(bad.err.find("line 1: expected a header row with the columns item,url") != std::string::npos);
}
