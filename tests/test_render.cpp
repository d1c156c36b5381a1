// Sites whose menus are built by JavaScript: without --render the report says so and does not
// guess "not linked"; with --render (headless Chromium) the menu's links give the right verdicts.
#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <fstream>

#include "crawler/render.hpp"
#include "tests/support.hpp"

using namespace oit;
using namespace oit::testing;
using nlohmann::json;

namespace {

std::map<std::string, json> items_by_code(const json& report) {
  std::map<std::string, json> out;
  for (const auto& item : report["items"]) out[item["code"]] = item;
  return out;
}

json crawl_spa(const FixtureServer& site, const TempDir& dir, bool render) {
  std::vector<std::string> args = {"crawl", "http://127.0.0.1:" + std::to_string(site.port()) + "/", "--rules", "ita-2566",
                                   "--fiscal-year", "2566", "--out", dir / "out", "--history", dir / "h.sqlite"};
  if (render) args.push_back("--render");
  auto run = run_oitcheck(args);
  INFO(run.out, run.err);
  CHECK(run.exit_code == 2);
  return json::parse(slurp(dir / "out/report.json"));
}

}  // namespace

TEST_CASE("a menu built by JavaScript: a warning and no guessed verdicts without --render") {
  FixtureServer site(fixture("spa-site"));
  site.start();
  TempDir dir;
  json report = crawl_spa(site, dir, false);
  REQUIRE(report["warnings"].size() == 1);
  CHECK(report["warnings"][0]["kind"] == "script_menu");
  CHECK(report["warnings"][0]["rendered"] == false);
  CHECK(report["warnings"][0]["en"].get<std::string>().find("--render") != std::string::npos);
  auto items = items_by_code(report);
  // The pages exist (the sitemap lists them) but whether the menu links them is unknown.
  for (const char* code : {"O1", "O2", "O3", "O5", "O7", "O4"}) {
    INFO(code);
    CHECK(items[code]["status"] == "unknown");
  }
  CHECK(items["O1"]["fix_en"].get<std::string>().find("--render") != std::string::npos);
  CHECK(slurp(dir / "out/checklist.md").find("JavaScript") != std::string::npos);
  CHECK(slurp(dir / "out/report.html").find("--render") != std::string::npos);
}

TEST_CASE("--render: the main page and the ITA page are read as a browser shows them") {
  REQUIRE_MESSAGE(std::filesystem::exists("/usr/bin/chromium"), "Debian's chromium is needed (scripts/setup.sh installs it)");
  FixtureServer site(fixture("spa-site"));
  site.start();
  TempDir dir;
  json report = crawl_spa(site, dir, true);
  REQUIRE(report["warnings"].size() == 1);
  CHECK(report["warnings"][0]["rendered"] == true);
  auto items = items_by_code(report);
  CHECK(items["O1"]["status"] == "ok");
  CHECK(items["O1"]["depth"] == 1);
  CHECK(items["O2"]["status"] == "ok");
  // Linked only from the ITA page, whose list is drawn by its own script: two clicks.
  for (const char* code : {"O3", "O5", "O7"}) {
    INFO(code);
    CHECK(items[code]["status"] == "ok");
    CHECK(items[code]["depth"] == 2);
  }
  CHECK(items["O4"]["status"] == "missing");  // really not on the site
  json graph = load_graph(dir / "out");
  bool menu_link = false;
  for (const auto& link : graph["links"])
    menu_link = menu_link || link.value("anchor_text", "") == "การเปิดเผยข้อมูลสาธารณะ (ITA)";
  CHECK(menu_link);
}

TEST_CASE("render_dom: refuses what is not http(s), reports a missing browser in one line") {
  RenderOptions options;
  auto file = render_dom("file:///etc/passwd", options);
  REQUIRE_FALSE(file);
  CHECK(file.error().find("only http(s)") != std::string::npos);
  options.chromium = "/nonexistent/chromium";
  auto missing = render_dom("http://127.0.0.1:9/", options);
  REQUIRE_FALSE(missing);
  CHECK(missing.error().find("apt-get install chromium") != std::string::npos);
}

TEST_CASE("render_dom: a browser that closes its output but never exits is killed at the deadline") {
  TempDir dir;
  std::string fake = dir / "chromium";
  std::ofstream(fake) << "#!/bin/sh\necho '<html><a href=\"/x\">x</a></html>'\nexec >&-\nexec sleep 60\n";
  std::filesystem::permissions(fake, std::filesystem::perms::owner_all);
  RenderOptions options;
  options.chromium = fake;
  options.timeout_seconds = 1;
  auto started = std::chrono::steady_clock::now();
  auto r = render_dom("http://127.0.0.1:9/", options);
  REQUIRE_FALSE(r);
  CHECK(r.error().find("did not finish") != std::string::npos);
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(10));
}
