// Rule files are user input: every error names the file, the JSON pointer, what was expected
// and what was found.
#include <doctest/doctest.h>

#include <fstream>

#include "rules/ruleset.hpp"
#include "tests/support.hpp"

using namespace oit;
using oit::testing::TempDir;

namespace {
std::vector<std::string> errors_of(const TempDir& dir, const std::string& json_text) {
  std::string path = dir / "rules.json";
  std::ofstream(path) << json_text;
  auto r = load_rule_set(path);
  std::vector<std::string> messages;
  if (!r)
    for (const auto& e : r.error()) messages.push_back(e.message());
  return messages;
}

const char* kValidHead = R"({"schema": "oitcheck.rules/1", "id": "t", "framework": "ITA", "year": 2567,
  "name_th": "ทดสอบ", "groups": [{"id": "g", "name_th": "กลุ่ม"}], )";
}  // namespace

TEST_CASE("a valid minimal rule file loads with its defaults") {
  TempDir dir;
  std::string path = dir / "rules.json";
  std::ofstream(path) << kValidHead
                      << R"("items": [{"id": "1", "code": "O1", "group": "g", "name_th": "โครงสร้าง", "match": {"phrases": ["โครงสร้าง"]}}]})";
  auto r = load_rule_set(path);
  REQUIRE(r);
  CHECK(r->items[0].max_clicks == 3);
  CHECK(r->items[0].code_number == 1);
  CHECK(r->items[0].evidence.size() == 3);
  CHECK(r->items[0].anchor.phrases.size() == 1);
}

TEST_CASE("every error is reported with file, pointer, expected and found") {
  TempDir dir;
  auto errors = errors_of(dir, std::string(kValidHead) + R"("items": [
    {"id": "1", "group": "nope", "name_th": "", "match": {"phrases": ["x", 3], "anchr": []}, "max_clicks": 0},
    {"id": "1", "group": "g", "name_th": "ซ้ำ", "match": {"url": ["re:(unclosed"]}, "year": "this year"}]})");
  std::string f = dir / "rules.json";
  REQUIRE(errors.size() >= 7);
  CHECK(std::find(errors.begin(), errors.end(), f + ": /items/0/group: expected the id of a group listed in /groups, found \"nope\"") != errors.end());
  CHECK(std::find(errors.begin(), errors.end(), f + ": /items/0/name_th: expected a non-empty string, found an empty string") != errors.end());
  CHECK(std::find(errors.begin(), errors.end(), f + ": /items/0/max_clicks: expected an integer from 1 to 20, found the number 0") != errors.end());
  CHECK(std::find(errors.begin(), errors.end(), f + ": /items/0/match/phrases/1: expected a non-empty string, found the number 3") != errors.end());
  CHECK(std::find(errors.begin(), errors.end(), f + ": /items/0/match/anchr: expected one of the keys phrases, anchor, title, url, body, found an unknown key \"anchr\"") != errors.end());
  CHECK(std::find(errors.begin(), errors.end(), f + ": /items/1/id: expected an item id not used before, found \"1\"") != errors.end());
  CHECK(std::find(errors.begin(), errors.end(), f + ": /items/1/year: expected \"any\", \"current\" or \"current_or_previous\", found \"this year\"") != errors.end());
  bool regex_error = false;
  for (const auto& e : errors) regex_error = regex_error || e.rfind(f + ": /items/1/match/url/0: expected a valid regular expression", 0) == 0;
  CHECK(regex_error);
}

TEST_CASE("broken JSON, a missing file and an incomplete list without a note are errors") {
  TempDir dir;
  auto syntax = errors_of(dir, "{\"schema\": ");
  REQUIRE(syntax.size() == 1);
  CHECK(syntax[0].find(": /: expected valid JSON, found a syntax error") != std::string::npos);
  auto missing = load_rule_set(dir / "nope.json");
  REQUIRE_FALSE(missing);
  CHECK(missing.error()[0].message() == dir / "nope.json" + ": /: expected a readable rule file, found no such file");
  auto incomplete = errors_of(dir, std::string(kValidHead) + R"("complete": false, "items": [{"id": "1", "group": "g", "name_th": "x", "match": {"phrases": ["x"]}}]})");
  REQUIRE(incomplete.size() == 1);
  CHECK(incomplete[0] == dir / "rules.json" + ": /note: expected a note saying what the incomplete list lacks, found nothing");
}

TEST_CASE("oitcheck rules check: exit 0 for a good file, 3 and every error for a bad one") {
  auto good = oit::testing::run_oitcheck({"rules", "check", rule_set_path("ita-2566")});
  CHECK(good.exit_code == 0);
  CHECK(good.out.find("ok, rule set ita-2566 (43 items, complete)") != std::string::npos);
  TempDir dir;
  std::ofstream(dir / "bad.json") << R"({"schema": "oitcheck.rules/1"})";
  auto bad = oit::testing::run_oitcheck({"rules", "check", dir / "bad.json"});
  CHECK(bad.exit_code == 3);
  CHECK(bad.err.find(dir / "bad.json" + ": /id: expected a non-empty string, found nothing (the key is missing)") != std::string::npos);
  CHECK(bad.err.find(dir / "bad.json" + ": /items: expected a non-empty array of items, found nothing") != std::string::npos);
}

TEST_CASE("fuzz_rules crash: a number too large for JSON is an error, not an exception") {
  TempDir dir;
  auto errors = errors_of(dir, "{\"year\": 1" + std::string(400, '0') + "}");
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].find(": /: expected valid JSON, found a syntax error: ") != std::string::npos);
}

TEST_CASE("fuzz_rules crash: a schema that is not a string is an error, not an exception") {
  TempDir dir;
  auto errors = errors_of(dir, "{\"schema\": 99}");
  REQUIRE_FALSE(errors.empty());
  CHECK(errors[0] == dir / "rules.json" + ": /schema: expected \"oitcheck.rules/1\", found the number 99");
}
