// report.html opened in a real browser (Debian's headless Chromium): it renders, shows the
// item table, asks the network for nothing but itself, and a hostile anchor text stays text.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "reports/checklist.hpp"
#include "tests/support.hpp"

using namespace oit;
using namespace oit::testing;

namespace {

size_t count(const std::string& haystack, const std::string& needle) {
  size_t n = 0;
  for (size_t at = haystack.find(needle); at != std::string::npos; at = haystack.find(needle, at + 1)) ++n;
  return n;
}

// Chromium as the probe starts it: no sandbox (root), no background requests of its own.
CommandResult headless_chromium(const std::vector<std::string>& args) {
  TempDir profile;
  std::vector<std::string> all = {"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                                  "--user-data-dir=" + profile.path()};
  all.insert(all.end(), args.begin(), args.end());
  return run_program("/usr/bin/chromium", all);
}

}  // namespace

TEST_CASE("report.html in headless Chromium: renders offline, the item table is there, hostile text runs nothing") {
  REQUIRE_MESSAGE(std::filesystem::exists("/usr/bin/chromium"), "Debian's chromium is needed (scripts/setup.sh installs it)");
  TempDir out;
  {
    FixtureServer site(fixture("verdict-kinds"));
    site.start();
    REQUIRE(run_crawl(test_options("http://127.0.0.1:" + std::to_string(site.port()) + "/", out.path())));
  }
  auto rules = load_rule_set(rule_set_path("ita-2566"));
  REQUIRE(rules);
  CheckOptions check;
  check.fiscal_year = 2566;
  REQUIRE(run_checklist(out.path(), *rules, check));

  // Served from its own folder so every request the page makes is seen in the server's log.
  FixtureServer server(out.path());
  server.start();
  auto r = headless_chromium({"--dump-dom", "http://127.0.0.1:" + std::to_string(server.port()) + "/report.html"});
  CHECK(r.exit_code == 0);
  const std::string& dom = r.out;
  CHECK(dom.find("<table>") != std::string::npos);
  CHECK(count(dom, "<tr class=\"item s-") == 43);
  CHECK(dom.find("ติดต่อเรา &lt;img src=x onerror=alert(1)&gt;") != std::string::npos);
  CHECK(dom.find("<img") == std::string::npos);
  for (const auto& request : server.requests())
    CHECK_MESSAGE((request == "127.0.0.1/report.html" || request == "127.0.0.1/favicon.ico"), request);
}
