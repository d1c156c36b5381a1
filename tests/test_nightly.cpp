// The nightly run as cron or systemd runs it: `oitcheck nightly --config FILE`, twice, with the
// site changed in between.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <algorithm>
#include <sstream>

#include "tests/support.hpp"

using namespace oit::testing;
using nlohmann::json;

namespace {

std::string write_config(const TempDir& dir, uint16_t port, int keep_runs) {
  json config = {{"site", "http://127.0.0.1:" + std::to_string(port) + "/"},
                 {"rules", "ita-2566"},
                 {"out", dir / "report"},
                 {"fiscal_year", 2566},
                 {"history", dir / "history.sqlite"},
                 {"keep_runs", keep_runs},
                 {"bounds", {{"max_pages", 1000}, {"time_budget", 60}, {"timeout", 5}}},
                 {"politeness", {{"concurrency", 2}}},
                 {"notify", {{"command", "env | grep ^OITCHECK_ | sort > '" + dir / "notified" + "'"}, {"when", "regression"}}}};
  std::string path = dir / "nightly.json";
  std::ofstream(path) << config.dump(1);
  return path;
}

}  // namespace

TEST_CASE("nightly: a regression and a fix between two runs, with the regression exit code") {
  TempDir dir;
  uint16_t port = 0;
  std::string config;
  {
    FixtureServer before(fixture("nightly/before"));
    before.start();
    port = before.port();
    config = write_config(dir, port, 2);
    auto first = run_oitcheck({"nightly", "--config", config});
    CHECK(first.exit_code == 2);  // items not ok, nothing regressed: there was no earlier run
    CHECK_FALSE(std::filesystem::exists(dir / "notified"));
  }
  FixtureServer after(fixture("nightly/after"));
  after.start(port);
  auto second = run_oitcheck({"nightly", "--config", config});
  CHECK(second.exit_code == 4);
  json report = json::parse(slurp(dir / "report/report.json"));
  const json& changes = report["changes"];
  REQUIRE(changes["regressions"].size() == 1);
  CHECK(changes["regressions"][0]["code"] == "O1");
  CHECK(changes["regressions"][0]["to"] == "broken");
  REQUIRE(changes["fixes"].size() == 1);
  CHECK(changes["fixes"][0]["code"] == "O2");
  REQUIRE(changes["moved"].size() == 1);
  CHECK(changes["moved"][0]["to_url"].get<std::string>().find("/contact-us.html") != std::string::npos);
  // The change list is in every human format, and the trend chart appears from the second run.
  CHECK(slurp(dir / "report/checklist.md").find("เปลี่ยนแปลงจากการตรวจครั้งก่อน") != std::string::npos);
  std::string html = slurp(dir / "report/report.html");
  CHECK(html.find("<polyline") != std::string::npos);
  // The notification command ran with the facts in its environment.
  std::string notified = slurp(dir / "notified");
  CHECK(notified.find("OITCHECK_REGRESSIONS=1") != std::string::npos);
  CHECK(notified.find("OITCHECK_REPORT_DIR=" + dir / "report") != std::string::npos);

  // History lists the runs; retention keeps the newest two.
  auto third = run_oitcheck({"nightly", "--config", config});
  CHECK(third.exit_code == 2);  // same as the night before: no new regression
  auto history = run_oitcheck({"history", "http://127.0.0.1:" + std::to_string(port) + "/", "--history", dir / "history.sqlite"});
  CHECK(history.exit_code == 0);
  size_t rows = 0;
  for (size_t at = history.out.find("ita-2566"); at != std::string::npos; at = history.out.find("ita-2566", at + 1)) ++rows;
  CHECK(rows == 2);
}

TEST_CASE("a bad config file is exit code 3 with every error and its place") {
  TempDir dir;
  std::ofstream(dir / "bad.json") << R"({"site": "http://127.0.0.1:1/", "rules": "ita-2566", "bounds": {"max_pages": -1},
                                        "politeness": {"rate": "fast"}, "notify": {"when": "sometimes"}, "colour": 1})";
  auto r = run_oitcheck({"nightly", "--config", dir / "bad.json"});
  CHECK(r.exit_code == 3);
  std::string f = dir / "bad.json";
  CHECK(r.err.find("oitcheck: " + f + ": /colour: expected one of the keys") != std::string::npos);
  CHECK(r.err.find("oitcheck: " + f + ": /out: expected a non-empty string, found nothing (the key is missing)") != std::string::npos);
  CHECK(r.err.find("oitcheck: " + f + ": /bounds/max_pages: expected an integer from 1 to 10000000, found the number -1") != std::string::npos);
  CHECK(r.err.find("oitcheck: " + f + ": /politeness/rate: expected a number from 0 to 1000, found \"fast\"") != std::string::npos);
  CHECK(r.err.find("oitcheck: " + f + ": /notify/when: expected \"regression\", \"not_ok\" or \"always\", found \"sometimes\"") != std::string::npos);
}

// The seed office served and checked once into `out`: the good report a later run must keep.
struct GoodRun {
  FixtureServer server{fixture("seed-office")};
  std::string home;
  std::string report;
  explicit GoodRun(const TempDir& out) {
    server.start();
    home = "http://127.0.0.1:" + std::to_string(server.port()) + "/";
    auto good = run_oitcheck({"crawl", home, "--out", out.path(), "--rules", "ita-2566", "--fiscal-year", "2566",
                              "--history", out / "h.sqlite"});
    REQUIRE(good.exit_code == 2);
    report = slurp(out / "report.json");
  }
};

TEST_CASE("an interrupted or failed run never replaces the last good report") {
  TempDir out;
  GoodRun before(out);
  // The homepage is gone on the next run: the run fails and the reports stay as they were.
  auto failed = run_oitcheck({"crawl", before.home + "gone/", "--out", out.path(), "--rules", "ita-2566", "--history",
                              out / "h.sqlite"});
  CHECK(failed.exit_code == 1);
  CHECK(slurp(out / "report.json") == before.report);
}

TEST_CASE("the systemd timer and service units in docs/ pass systemd-analyze verify") {
  REQUIRE_MESSAGE(std::filesystem::exists("/usr/bin/systemd-analyze"), "systemd-analyze is needed (scripts/setup.sh installs systemd)");
  TempDir dir;
  // The units name /usr/local/bin/oitcheck; point them at the binary just built.
  for (const char* unit : {"oitcheck-nightly@.service", "oitcheck-nightly@.timer"}) {
    std::string text = slurp(std::string(OITCHECK_DOCS) + "/" + unit);
    REQUIRE_FALSE(text.empty());
    for (size_t at = text.find("/usr/local/bin/oitcheck"); at != std::string::npos; at = text.find("/usr/local/bin/oitcheck", at + 1))
      text.replace(at, std::string("/usr/local/bin/oitcheck").size(), OITCHECK_BINARY);
    std::ofstream(dir / unit) << text;
  }
  std::filesystem::copy_file(dir / "oitcheck-nightly@.service", dir / "oitcheck-nightly@example.service");
  std::filesystem::copy_file(dir / "oitcheck-nightly@.timer", dir / "oitcheck-nightly@example.timer");
  auto r = run_program("/usr/bin/systemd-analyze", {"verify", dir / "oitcheck-nightly@example.timer", dir / "oitcheck-nightly@example.service"});
  CHECK_MESSAGE(r.exit_code == 0, r.err);
}

TEST_CASE("a full disk is one clear error and the previous report survives") {
  TempDir out;
  GoodRun before(out);
  const std::string& home = before.home;
  // No file may grow past 64 KiB: the crawl state hits that like a full disk (EFBIG, with
  // SIGXFSZ ignored as a shell passes it on).
  std::string command = "trap '' XFSZ; exec prlimit --fsize=65536 '" + std::string(OITCHECK_BINARY) + "' crawl '" +
                        home + "' --out '" + out.path() + "' --rules ita-2566 --history '" + out / "h.sqlite" + "'";
  auto full = run_program("/bin/sh", {"-c", command});
  CHECK(full.exit_code == 1);
  CHECK(full.err.rfind("oitcheck: cannot ", 0) == 0);  // the state cannot be reset/written: one line, with the reason
  CHECK(std::count(full.err.begin(), full.err.end(), '\n') == 1);
  CHECK(slurp(out / "report.json") == before.report);
}
