// The crawl engine against the real fixture server on 127.0.0.1.
#include <doctest/doctest.h>

#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <set>
#include <thread>

#include "tests/support.hpp"

using namespace oit;
using namespace oit::testing;
using nlohmann::json;

namespace {

// The seed office served as www.roietpeo.test on a free port.
struct SeedSite {
  FixtureServer server{fixture("seed-office")};
  std::string base;
  SeedSite() {
    server.start();
    base = "http://www.roietpeo.test:" + std::to_string(server.port());
  }
  CrawlOptions options(const std::string& out) const {
    CrawlOptions o = test_options(base + "/", out);
    o.client.resolve = {"www.roietpeo.test:" + std::to_string(server.port()) + ":127.0.0.1"};
    return o;
  }
};

json site_design() {
  std::ifstream in(fixture("seed-office/_site.json"));
  return json::parse(in);
}

std::vector<std::string> path_of(const json& entry) { return entry["path"].get<std::vector<std::string>>(); }

const json* link_between(const CrawlView& v, const std::string& from, const std::string& to) {
  auto from_id = v.at(from)["id"], to_id = v.at(to)["id"];
  for (const auto& l : v.graph["links"])
    if (l["from"] == from_id && l["to"] == to_id) return &l;
  return nullptr;
}

}  // namespace

TEST_CASE("seed office: every page reachable from the homepage, with its shortest click depth and path") {
  SeedSite site;
  TempDir out;
  auto v = crawl(site.options(out.path()));
  const std::string& b = site.base;

  CHECK(v.summary.complete);
  CHECK(v.at(b + "/")["click_depth"] == 0);
  CHECK(path_of(v.at(b + "/")) == std::vector<std::string>{b + "/"});
  // The menu's /about answers 301 -> /about/: the redirect is recorded and costs no click.
  CHECK(v.at(b + "/about")["status"] == 301);
  CHECK(v.at(b + "/about")["final_url"] == b + "/about/");
  CHECK(v.at(b + "/about/")["click_depth"] == 1);
  CHECK(v.at(b + "/about/structure.html")["click_depth"] == 2);
  CHECK(path_of(v.at(b + "/about/structure.html")) ==
        std::vector<std::string>{b + "/", b + "/about", b + "/about/", b + "/about/structure.html"});
  // The news item is linked from the homepage itself, so its depth is 1, not 2 via /news/.
  CHECK(v.at(b + "/news/2566-03.html")["click_depth"] == 1);
  CHECK(v.at(b + "/news/archive/2565/old-1.html")["click_depth"] == 4);
  // <base href="/files/"> on /plans/ sends its relative links into /files/.
  const auto& plan = v.at(b + "/files/plan/operation-plan-2566.pdf");
  CHECK(plan["click_depth"] == 2);
  CHECK(plan["status"] == 200);
  CHECK(plan["content_type"] == "application/pdf");
  CHECK(plan["body_bytes"] == 0);  // documents are checked, not downloaded
  CHECK(plan["content_length"].get<int>() > 0);
}

TEST_CASE("seed office: the 17 items the committee scored 100 are reachable; the other 26 are found only through sitemap.xml") {
  SeedSite site;
  TempDir out;
  auto v = crawl(site.options(out.path()));
  int reachable = 0;
  const json design = site_design();
  for (const auto& item : design["items"]) {
    std::string evidence = item["evidence"];
    std::string u = evidence.rfind("http", 0) == 0 ? evidence : site.base + evidence;
    CAPTURE(u);
    if (item["linked_from_homepage"].get<bool>()) {
      REQUIRE(v.has(u));
      CHECK(v.at(u)["click_depth"].get<int>() <= 2);
      ++reachable;
    } else {
      // Fetched (they exist), but no link from the homepage leads there: no click path.
      REQUIRE(v.has(u));
      CHECK(v.at(u)["status"] == 200);
      CHECK(v.at(u)["via"] == "sitemap");
      CHECK(v.at(u)["click_depth"].is_null());
      CHECK(v.at(u)["path"].is_null());
    }
  }
  CHECK(reachable == 17);
  // Documents linked only from those orphan pages are fetched, and are unreachable too.
  CHECK(v.at(site.base + "/files/ita/o15.pdf")["via"] == "link");
  CHECK(v.at(site.base + "/files/ita/o15.pdf")["click_depth"].is_null());
}

TEST_CASE("seed office: nothing is fetched twice, nothing outside scope or robots.txt is fetched") {
  SeedSite site;
  TempDir out;
  auto v = crawl(site.options(out.path()));
  auto requests = site.server.requests();
  std::set<std::string> unique(requests.begin(), requests.end());
  CHECK(unique.size() == requests.size());
  for (const auto& r : requests) CHECK_MESSAGE(r.rfind("www.roietpeo.test/", 0) == 0, r);
  CHECK(site.server.request_count("www.roietpeo.test/robots.txt") == 1);
  CHECK(site.server.request_count("www.roietpeo.test/admin/") == 0);
  CHECK(v.at(site.base + "/admin/")["skip_reason"] == "robots");
  const auto& facebook = v.at("https://www.facebook.com/roietpeo");
  CHECK(facebook["kind"] == "external");
  CHECK(facebook["skip_reason"] == "off-site");
  CHECK(facebook["click_depth"] == 1);
  CHECK(v.at("mailto:saraban@roietpeo.go.th")["kind"] == "unfetchable");
  CHECK(v.at("tel:043624093")["skip_reason"] == "not-http");
  CHECK(v.at("javascript:void(0)")["kind"] == "unfetchable");
  CHECK(v.at(site.base + "/files/missing-calendar-2566.pdf")["status"] == 404);
}

TEST_CASE("seed office: a TIS-620 page's title is read correctly; links keep anchor text and region") {
  SeedSite site;
  TempDir out;
  auto v = crawl(site.options(out.path()));
  const auto& history = v.at(site.base + "/about/history.html");
  CHECK(history["charset"] == "tis-620");
  CHECK(history["title"] == "ประวัติสำนักงาน | สำนักงานศึกษาธิการจังหวัดร้อยเอ็ด");
  const json* menu = link_between(v, site.base + "/", site.base + "/about");
  REQUIRE(menu);
  CHECK((*menu)["anchor_text"] == "เกี่ยวกับเรา");
  CHECK((*menu)["region"] == "menu");
  const json* footer = link_between(v, site.base + "/", site.base + "/privacy.html");
  REQUIRE(footer);
  CHECK((*footer)["region"] == "footer");
  const json* logo = link_between(v, site.base + "/news/", site.base + "/");
  REQUIRE(logo);
  CHECK((*logo)["anchor_text"] == "สำนักงานศึกษาธิการจังหวัดร้อยเอ็ด");  // the logo image's alt
}

TEST_CASE("bounds: --max-depth and --max-pages stop the crawl and mark it incomplete") {
  SeedSite site;
  SUBCASE("max depth") {
    TempDir out;
    auto o = site.options(out.path());
    o.frontier.max_depth = 1;
    auto v = crawl(o);
    CHECK_FALSE(v.summary.complete);
    CHECK(v.summary.limits_hit.count("max-depth"));
    CHECK(v.at(site.base + "/about/structure.html")["skip_reason"] == "max-depth");
    CHECK(site.server.request_count("www.roietpeo.test/about/structure.html") == 0);
  }
  SUBCASE("max pages") {
    TempDir out;
    auto o = site.options(out.path());
    o.frontier.max_pages = 5;
    auto v = crawl(o);
    CHECK_FALSE(v.summary.complete);
    CHECK(v.summary.fetched == 5);
    CHECK(v.summary.limits_hit.count("max-pages"));
  }
}

namespace {

struct CasesSite {
  FixtureServer server{fixture("crawl-cases")};
  std::string base;
  CasesSite() {
    server.add_site("other-agency.test", fixture("crawl-cases/other"));
    server.start();
    base = "http://www.seed.test:" + std::to_string(server.port());
  }
  CrawlOptions options(const std::string& out) const {
    CrawlOptions o = test_options(base + "/", out);
    std::string port = std::to_string(server.port());
    o.client.resolve = {"www.seed.test:" + port + ":127.0.0.1", "seed.test:" + port + ":127.0.0.1",
                        "other-agency.test:" + port + ":127.0.0.1"};
    o.client.timeout_ms = 1000;
    o.max_body_bytes = 100000;
    o.frontier.max_query_variants = 5;
    return o;
  }
};

}  // namespace

TEST_CASE("redirects: chains are followed hop by hop, loops end, non-http targets are refused") {
  CasesSite site;
  TempDir out;
  auto v = crawl(site.options(out.path()));
  const std::string& b = site.base;
  CHECK(v.at(b + "/chain/1")["redirect_to"] == b + "/chain/2");
  CHECK(v.at(b + "/chain/2")["redirect_to"] == b + "/chain/3");
  CHECK(v.at(b + "/chain/1")["final_url"] == b + "/final.html");
  CHECK(v.at(b + "/final.html")["click_depth"] == 1);  // redirects cost no click
  CHECK(v.at(b + "/loop-a")["redirect_to"] == b + "/loop-b");
  CHECK(v.at(b + "/loop-b")["redirect_to"] == b + "/loop-a");
  CHECK(v.at(b + "/to-ftp")["error"] == "redirect to a non-http(s) address refused");
  CHECK(v.at("ftp://127.0.0.1/secret")["kind"] == "unfetchable");
  CHECK(v.at(b + "/to-file")["error"] == "redirect to a non-http(s) address refused");
  CHECK(v.at(b + "/bad-location")["error"].get<std::string>().find("Location") != std::string::npos);
  CHECK(v.at(b + "/relative-location")["redirect_to"] == b + "/final.html");
  CHECK(site.server.request_count("www.seed.test/loop-a") == 1);
}

TEST_CASE("errors are outcomes: 500 and timeouts are recorded and the crawl goes on") {
  CasesSite site;
  TempDir out;
  auto v = crawl(site.options(out.path()));
  CHECK(v.at(site.base + "/server-error")["status"] == 500);
  const auto& slow = v.at(site.base + "/slow.html");
  CHECK(slow["status"].is_null());
  CHECK(slow["error"].get<std::string>().find("imed out") != std::string::npos);
  CHECK(v.at(site.base + "/final.html")["status"] == 200);
  CHECK(v.summary.errors >= 2);
}

TEST_CASE("scope: the bare host is the same site; another agency is an off-site leaf unless checked") {
  CasesSite site;
  std::string port = std::to_string(site.server.port());
  SUBCASE("leaf") {
    TempDir out;
    auto v = crawl(site.options(out.path()));
    CHECK(v.at("http://seed.test:" + port + "/bare-host.html")["status"] == 200);
    CHECK(v.at("http://other-agency.test:" + port + "/page.html")["skip_reason"] == "off-site");
    CHECK(site.server.request_count("other-agency.test/page.html") == 0);
  }
  SUBCASE("--check-external") {
    TempDir out;
    auto o = site.options(out.path());
    o.check_external = true;
    auto v = crawl(o);
    CHECK(v.at("http://other-agency.test:" + port + "/page.html")["status"] == 200);
    CHECK(site.server.request_count("other-agency.test/page.html") == 1);
    CHECK(site.server.request_count("other-agency.test/never.html") == 0);  // off-site pages are not crawled
  }
}

TEST_CASE("URL traps: an endless calendar and an ever-growing path are cut by the trap guard") {
  CasesSite site;
  TempDir out;
  auto v = crawl(site.options(out.path()));
  CHECK(v.summary.limits_hit.at("trap-guard") >= 2);
  size_t calendar = 0, growing = 0;
  for (const auto& r : site.server.requests()) {
    calendar += r.find("/calendar/") != std::string::npos;
    growing += r.find("/a/") != std::string::npos;
  }
  CHECK(calendar <= 6);
  CHECK(v.summary.complete);  // the guard is not a bound: the rest of the site was seen
  CHECK(growing <= 3);
}

TEST_CASE("a page over --max-bytes is cut, not swallowed; meta refresh is followed without a click") {
  CasesSite site;
  TempDir out;
  auto v = crawl(site.options(out.path()));
  const auto& big = v.at(site.base + "/big.html");
  CHECK(big["truncated"] == true);
  CHECK(big["body_bytes"] == 100000);
  CHECK(big["title"] == "Big");
  CHECK(site.server.request_count("www.seed.test/after-cut.html") == 0);
  const json* refresh = link_between(v, site.base + "/refresh.html", site.base + "/final.html");
  REQUIRE(refresh);
  CHECK((*refresh)["tag"] == "meta-refresh");
}

TEST_CASE("robots.txt can be ignored by the site's own webmaster") {
  SeedSite site;
  TempDir out;
  auto o = site.options(out.path());
  o.frontier.obey_robots = false;
  auto v = crawl(o);
  CHECK(site.server.request_count("www.roietpeo.test/robots.txt") == 0);
  CHECK(site.server.request_count("www.roietpeo.test/admin/") == 1);
}

TEST_CASE("Ctrl-C stops cleanly with what was fetched saved; --resume finishes the same crawl") {
  // Reference: the same site crawled without interruption.
  SeedSite reference;
  TempDir ref_out;
  auto full = crawl(reference.options(ref_out.path()));
  size_t full_requests = reference.server.requests().size();

  SeedSite site;
  site.server.set_delay_ms(100);
  TempDir out;
  std::string port = std::to_string(site.server.port());
  std::vector<std::string> args = {"crawl", site.base + "/", "--out", out.path(), "--concurrency", "1",
                                   "--resolve", "www.roietpeo.test:" + port + ":127.0.0.1"};
  auto first = run_oitcheck(args, [&](int pid) {
    // Wait until a handful of pages were served, then press Ctrl-C.
    for (int i = 0; i < 200 && site.server.requests().size() < 8; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
    kill(pid, SIGINT);
  });
  CHECK(first.exit_code == 130);
  CHECK(first.out.find("INCOMPLETE") != std::string::npos);
  auto partial = load_graph(out.path());
  CHECK(partial["urls"].size() < full.graph["urls"].size());

  site.server.set_delay_ms(0);
  args.push_back("--resume");
  auto second = run_oitcheck(args);
  CHECK(second.exit_code == 0);
  CHECK(second.out.find("complete: every page") != std::string::npos);
  auto resumed = load_graph(out.path());

  auto depths = [](const json& g, const std::string& base) {
    std::map<std::string, json> m;
    for (const auto& u : g["urls"]) {
      std::string key = u["url"];
      if (key.rfind(base, 0) == 0) key = key.substr(base.size());
      m[key] = u["click_depth"];
    }
    return m;
  };
  CHECK(depths(resumed, site.base) == depths(full.graph, reference.base));
  // Repeated at most: the one request in flight at Ctrl-C, robots.txt and sitemap.xml.
  CHECK(site.server.requests().size() <= full_requests + 3);
}

TEST_CASE("--deny-private refuses private addresses after DNS, except the ones allowed") {
  CasesSite site;
  TempDir out;
  auto o = site.options(out.path());
  std::string port = std::to_string(site.server.port());
  o.client.deny_private = true;
  o.client.allowed_private = {"127.0.0.1"};
  o.client.resolve = {"www.seed.test:" + port + ":127.0.0.1", "seed.test:" + port + ":10.255.255.1"};
  auto v = crawl(o);
  CHECK(v.at(site.base + "/final.html")["status"] == 200);  // the allowed address works
  CHECK(v.at("http://seed.test:" + port + "/bare-host.html")["error"] ==
        "refused to connect to 10.255.255.1, a private address (--deny-private)");
}

TEST_CASE("SIGKILL half-way, then --resume: every page exactly once, the same verdicts as an uninterrupted run") {
  auto statuses = [](const std::string& dir) {
    std::ifstream in(dir + "/report.json");
    json report = json::parse(in);
    std::vector<std::string> out;
    for (const auto& item : report["items"]) out.push_back(item["status"].get<std::string>());
    return out;
  };
  SeedSite reference;
  TempDir ref_out;
  std::string ref_port = std::to_string(reference.server.port());
  auto ref = run_oitcheck({"crawl", reference.base + "/", "--out", ref_out.path(), "--rules", "ita-2566",
                           "--fiscal-year", "2566", "--history", ref_out / "h.sqlite", "--resolve",
                           "www.roietpeo.test:" + ref_port + ":127.0.0.1"});
  REQUIRE(ref.exit_code == 2);

  SeedSite site;
  site.server.set_delay_ms(50);
  TempDir out;
  std::string port = std::to_string(site.server.port());
  std::vector<std::string> args = {"crawl", site.base + "/", "--out", out.path(), "--concurrency", "1", "--rules",
                                   "ita-2566", "--fiscal-year", "2566", "--history", out / "h.sqlite", "--resolve",
                                   "www.roietpeo.test:" + port + ":127.0.0.1"};
  auto killed = run_oitcheck(args, [&](int pid) {
    for (int i = 0; i < 400 && site.server.requests().size() < 20; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    kill(pid, SIGKILL);
  });
  CHECK(killed.exit_code == 128 + SIGKILL);
  site.server.set_delay_ms(0);
  args.push_back("--resume");
  auto resumed = run_oitcheck(args);
  CHECK(resumed.exit_code == 2);
  CHECK(statuses(out.path()) == statuses(ref_out.path()));
  json graph = load_graph(out.path());
  std::set<std::string> urls;
  for (const auto& u : graph["urls"]) {
    CHECK_MESSAGE(u["state"] != "queued", u["url"]);
    urls.insert(u["url"].get<std::string>());
  }
  CHECK(urls.size() == graph["urls"].size());
  CHECK(graph["urls"].size() == load_graph(ref_out.path())["urls"].size());
}

TEST_CASE("URL traps: session ids, shuffled parameters and a doubly escaped &amp; are cut per path") {
  CasesSite site;
  TempDir out;
  auto v = crawl(site.options(out.path()));  // at most 5 distinct queries per path here
  size_t shop = 0;
  for (const auto& r : site.server.requests()) shop += r.find("/shop/") != std::string::npos;
  CHECK(shop <= 6);
  CHECK(v.summary.complete);
}

TEST_CASE("bot protection (403) is recorded, gopher redirects are refused") {
  CasesSite site;
  TempDir out;
  auto v = crawl(site.options(out.path()));
  CHECK(v.at(site.base + "/blocked/page.html")["status"] == 403);
  CHECK(v.at(site.base + "/to-gopher")["error"] == "redirect to a non-http(s) address refused");
  CHECK(v.at("gopher://127.0.0.1/1")["kind"] == "unfetchable");
}

TEST_CASE("test support: a fixture server restarted on its port waits while another socket holds it") {
  uint16_t port = 0;
  {
    FixtureServer first(fixture("seed-office"));
    first.start();
    port = first.port();
  }
  // Something else holds the port for a moment (another test's client socket, under ctest -j).
  int holder = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in at{};
  at.sin_family = AF_INET;
  at.sin_port = htons(port);
  at.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::bind(holder, reinterpret_cast<sockaddr*>(&at), sizeof at) == 0);
  REQUIRE(::listen(holder, 1) == 0);
  std::thread release([holder] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    ::close(holder);
  });
  FixtureServer again(fixture("seed-office"));
  again.start(port);
  release.join();
  CHECK(again.port() == port);
}
