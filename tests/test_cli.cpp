// The oitcheck binary as a user meets it: one clear line and a documented exit code on bad input.
#include <doctest/doctest.h>

#include <algorithm>

#include "tests/support.hpp"

using namespace oit::testing;

namespace {
size_t lines(const std::string& s) { return static_cast<size_t>(std::count(s.begin(), s.end(), '\n')); }
}  // namespace

TEST_CASE("no arguments, unknown command, unknown flag: usage error, exit 1") {
  CHECK(run_oitcheck({}).exit_code == 1);
  auto unknown = run_oitcheck({"crawll"});
  CHECK(unknown.exit_code == 1);
  CHECK(unknown.err == "oitcheck: unknown command 'crawll' (try: oitcheck --help)\n");
  auto flag = run_oitcheck({"crawl", "http://a.go.th/", "--out", "x", "--max-pagez", "3"});
  CHECK(flag.exit_code == 1);
  CHECK(flag.err == "oitcheck crawl: unrecognised option '--max-pagez' (try: oitcheck --help)\n");
  auto no_out = run_oitcheck({"crawl", "http://a.go.th/"});
  CHECK(no_out.exit_code == 1);
  CHECK(no_out.err == "oitcheck crawl: give an output folder with --out DIR\n");
}

TEST_CASE("a malformed homepage URL is one clear line") {
  TempDir out;
  auto r = run_oitcheck({"crawl", "www.roietpeo.go.th", "--out", out.path()});
  CHECK(r.exit_code == 1);
  CHECK(r.err ==
        "oitcheck: bad homepage URL: 'www.roietpeo.go.th' is not an absolute URL (it must start with http:// or https://)\n");
}

TEST_CASE("a host that does not resolve, or refuses, is one clear line") {
  TempDir out;
  auto dns = run_oitcheck({"crawl", "http://no-such-host.invalid/", "--out", out.path()});
  CHECK(dns.exit_code == 1);
  CHECK(dns.err.rfind("oitcheck: cannot fetch the homepage http://no-such-host.invalid/: ", 0) == 0);
  CHECK(lines(dns.err) == 1);
  auto refused = run_oitcheck({"crawl", "http://127.0.0.1:1/", "--out", out.path()});
  CHECK(refused.exit_code == 1);
  CHECK(refused.err.rfind("oitcheck: cannot fetch the homepage http://127.0.0.1:1/: ", 0) == 0);
  CHECK(lines(refused.err) == 1);
}

TEST_CASE("a homepage that is not HTML, or answers 404, is one clear line") {
  FixtureServer server(fixture("seed-office"));
  server.start();
  std::string base = "http://127.0.0.1:" + std::to_string(server.port());
  TempDir out;
  auto pdf = run_oitcheck({"crawl", base + "/files/plan/operation-plan-2566.pdf", "--out", out.path()});
  CHECK(pdf.exit_code == 1);
  CHECK(pdf.err == "oitcheck: the homepage " + base +
                       "/files/plan/operation-plan-2566.pdf is not an HTML page (it is application/pdf)\n");
  auto missing = run_oitcheck({"crawl", base + "/nothing-here/", "--out", out.path()});
  CHECK(missing.exit_code == 1);
  CHECK(missing.err == "oitcheck: the homepage " + base + "/nothing-here/ answered HTTP 404\n");
}

TEST_CASE("an --out that cannot be written is one clear line") {
  auto r = run_oitcheck({"crawl", "http://127.0.0.1:1/", "--out", "/proc/oitcheck-cannot-write"});
  CHECK(r.exit_code == 1);
  CHECK(r.err.rfind("oitcheck: cannot create the output folder /proc/oitcheck-cannot-write: ", 0) == 0);
  CHECK(lines(r.err) == 1);
}

TEST_CASE("--resume without an earlier crawl says so") {
  TempDir out;
  auto r = run_oitcheck({"crawl", "http://127.0.0.1:1/", "--out", out.path(), "--resume"});
  CHECK(r.exit_code == 1);
  CHECK(r.err == "oitcheck: --resume: there is no earlier crawl in " + out.path() + " to continue\n");
}

TEST_CASE("oitcheck demo crawls the bundled site with no network") {
  TempDir out;
  auto r = run_oitcheck({"demo", "--out", out.path()});
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("complete: every page reachable") != std::string::npos);
  CHECK(std::filesystem::exists(out / "graph.json"));
  CHECK(std::filesystem::exists(out / "crawl.sqlite"));
}
