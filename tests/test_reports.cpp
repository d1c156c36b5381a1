// Every report format, compared with golden files. The report model keeps its timestamps and
// durations in report["run"] and the fixture server's port is the only other varying part, so
// both are replaced before rendering. OITCHECK_UPDATE_GOLDEN=1 rewrites the golden files.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "reports/checklist.hpp"
#include "reports/render.hpp"
#include "tests/support.hpp"

using namespace oit;
using namespace oit::testing;
using nlohmann::json;

namespace {

std::string golden_path(const std::string& name) { return std::string(OITCHECK_GOLDEN) + "/" + name; }

void check_golden(const std::string& name, const std::string& actual) {
  if (const char* update = std::getenv("OITCHECK_UPDATE_GOLDEN"); update && *update == '1') {
    std::ofstream(golden_path(name), std::ios::binary) << actual;
    return;
  }
  std::ifstream in(golden_path(name), std::ios::binary);
  REQUIRE_MESSAGE(in.good(), "missing golden file " << golden_path(name) << " (run with OITCHECK_UPDATE_GOLDEN=1)");
  std::stringstream expected;
  expected << in.rdbuf();
  if (expected.str() == actual) return;
  // Point at the first line that differs: golden diffs are read by people.
  std::istringstream a(actual), e(expected.str());
  std::string la, le;
  int line = 1;
  while (std::getline(a, la) && std::getline(e, le) && la == le) ++line;
  FAIL_CHECK(name << " differs from its golden file at line " << line << ":\n  expected: " << le << "\n  actual:   " << la);
}

// The fixture crawled and checked against ita-2566 for FY 2566, with the varying parts fixed.
json stable_report(const std::string& site) {
  FixtureServer server(fixture(site));
  server.start();
  TempDir out;
  CrawlOptions o = test_options("http://127.0.0.1:" + std::to_string(server.port()) + "/", out.path());
  REQUIRE(run_crawl(o));
  auto rules = load_rule_set(rule_set_path("ita-2566"));
  REQUIRE(rules);
  CheckOptions check;
  check.fiscal_year = 2566;
  auto result = build_checklist(out.path(), *rules, check);
  REQUIRE(result);
  std::string text = result->report.dump();
  replace_all(text, "127.0.0.1:" + std::to_string(server.port()), "127.0.0.1:PORT");
  json report = json::parse(text);
  report["run"] = {{"started_at", "2026-01-01T00:00:00Z"}, {"finished_at", "2026-01-01T00:01:00Z"}, {"seconds", 60.0}};
  return report;
}

}  // namespace

TEST_CASE("golden: every format for the verdict-kinds fixture (hostile texts included)") {
  json report = stable_report("verdict-kinds");
  check_golden("verdict-kinds.report.json", report.dump(1) + "\n");
  check_golden("verdict-kinds.checklist.md", render_checklist_markdown(report, labels::Lang::th));
  check_golden("verdict-kinds.checklist.en.md", render_checklist_markdown(report, labels::Lang::en));
  check_golden("verdict-kinds.checklist.csv", render_checklist_csv(report));
  check_golden("verdict-kinds.report.html", render_report_html(report, labels::Lang::th));
  check_golden("verdict-kinds.ita-page.html", render_ita_page(report));
}

TEST_CASE("golden: the seed office's checklist and ready-to-publish ITA page") {
  json report = stable_report("seed-office");
  check_golden("seed-office.checklist.md", render_checklist_markdown(report, labels::Lang::th));
  check_golden("seed-office.ita-page.html", render_ita_page(report));
}

TEST_CASE("everything from a website is escaped in every format") {
  json report = stable_report("verdict-kinds");
  std::string html = render_report_html(report, labels::Lang::th);
  CHECK(html.find("<img src=x") == std::string::npos);
  CHECK(html.find("&lt;img src=x onerror=alert(1)&gt;") != std::string::npos);
  CHECK(html.find("<script") == std::string::npos);
  // Nothing in the report loads anything: no src attributes, no external styles or fonts.
  CHECK_FALSE(std::regex_search(html, std::regex(R"(<[a-zA-Z][^>]*\ssrc\s*=)")));
  CHECK(html.find("<link") == std::string::npos);
  CHECK(html.find("url(") == std::string::npos);
  CHECK(html.find("default-src 'none'") != std::string::npos);
  std::string md = render_checklist_markdown(report, labels::Lang::th);
  CHECK(md.find("<img") == std::string::npos);
  std::string csv = render_checklist_csv(report);
  CHECK(csv.rfind("\xEF\xBB\xBF", 0) == 0);
  CHECK(csv.find(",\"=HYPERLINK") == std::string::npos);
  CHECK(csv.find(",\"'=HYPERLINK(\"\"http://evil.example/\"\"") != std::string::npos);
}

TEST_CASE("score now and after the fixes, and the grade, as the assessors compute them") {
  json report = stable_report("seed-office");
  auto score = labels::score_of(report);
  CHECK(score.ok == 17);
  CHECK(labels::percent_text(score.now) == "39.53");
  CHECK(std::string(labels::grade(score.now)) == "F");
  CHECK(labels::percent_text(score.after_fixes) == "100.00");
  CHECK(std::string(labels::grade(94.99)) == "A");
  CHECK(std::string(labels::grade(95)) == "AA");
  CHECK(std::string(labels::grade(49.99)) == "F");
}

TEST_CASE("report.json validates against reports/report.schema.json (Debian's python3-jsonschema)") {
  REQUIRE_MESSAGE(std::filesystem::exists("/usr/bin/python3"), "python3 and python3-jsonschema are needed (scripts/setup.sh)");
  TempDir dir;
  json report = stable_report("verdict-kinds");
  report["changes"] = {{"previous_finished_at", "2025-12-31T00:00:00Z"},
                       {"regressions", json::array({{{"id", "1"}, {"code", "O1"}, {"name_th", "x"}, {"from", "ok"}, {"to", "broken"}}})},
                       {"fixes", json::array()},
                       {"moved", json::array()}};
  std::ofstream(dir / "report.json") << report.dump();
  std::string script =
      "import json, sys, jsonschema\n"
      "schema = json.load(open(sys.argv[1]))\n"
      "jsonschema.Draft202012Validator.check_schema(schema)\n"
      "jsonschema.validate(json.load(open(sys.argv[2])), schema)\n"
      "print('valid')\n";
  auto r = run_program("/usr/bin/python3", {"-c", script, std::string(OITCHECK_REPORTS) + "/report.schema.json", dir / "report.json"});
  CHECK_MESSAGE(r.exit_code == 0, r.err);
  CHECK(r.out == "valid\n");
  // And the schema is not a rubber stamp: a report with an unknown status fails it.
  report["items"][0]["status"] = "fine";
  std::ofstream(dir / "bad.json") << report.dump();
  auto bad = run_program("/usr/bin/python3", {"-c", script, std::string(OITCHECK_REPORTS) + "/report.schema.json", dir / "bad.json"});
  CHECK(bad.exit_code != 0);
}
