// Hostile and broken websites: each misbehaviour of tests/fixtures/hostile ends in its own
// recorded outcome within the crawl's bounds, and everything else on the site is still reported.
#include <doctest/doctest.h>

#include "tests/support.hpp"

using namespace oit;
using namespace oit::testing;
using nlohmann::json;

namespace {

struct Hostile {
  FixtureServer server{fixture("hostile")};
  TempDir out;
  CrawlView view;
  std::string base;
  Hostile() {
    server.start();
    base = "http://127.0.0.1:" + std::to_string(server.port());
    CrawlOptions o = test_options(base + "/", out.path());
    o.client.timeout_ms = 2500;  // the drip and the silent server are cut here
    o.max_body_bytes = 1 << 20;  // bombs, endless and 200 MB bodies are cut here
    view = crawl(o);
  }
  const json& at(const std::string& path) const { return view.at(base + path); }
};

// One crawl of the hostile site serves every subcase below (doctest re-enters the test case
// for each subcase in the same process).
const Hostile& hostile() {
  static Hostile h;
  return h;
}

}  // namespace

TEST_CASE("hostile site: every misbehaviour ends in its own outcome, within the bounds") {
  SUBCASE("the crawl finishes, is complete, and the normal page is still reported") {
    const auto& h = hostile();
    CHECK(h.view.summary.complete);
    CHECK(h.at("/final.html")["status"] == 200);
    CHECK(h.at("/final.html")["title"] == "Still here");
  }

  SUBCASE("slow drip and a server that never answers end in a timeout") {
    const auto& h = hostile();
    for (std::string path : {"/drip", "/silent"}) {
      CAPTURE(path);
      CHECK(h.at(path)["error"].get<std::string>().find("imed out") != std::string::npos);
    }
  }

  SUBCASE("endless bodies, a gzip bomb and a 200 MB page are cut at --max-bytes") {
    const auto& h = hostile();
    for (std::string path : {"/endless", "/gzip-bomb", "/big"}) {
      CAPTURE(path);
      CAPTURE(h.at(path).dump());
      CHECK(h.at(path)["truncated"] == true);
      CHECK(h.at(path)["body_bytes"].get<int>() <= (1 << 20));
    }
  }

  SUBCASE("gzip is read; damaged gzip is an error; a coding not asked for is not downloaded") {
    const auto& h = hostile();
    CHECK(h.at("/gzipped.html")["title"] == "บีบอัดแล้ว");
    CHECK(h.at("/gzipped.html")["truncated"] == false);
    CHECK(h.at("/behind-gzip.html")["title"] == "Behind gzip");  // its link was read
    CHECK(h.at("/gzip-damaged.html")["error"].get<std::string>().find("gzip") != std::string::npos);
    const auto& brotli = h.at("/brotli-bomb");  // a gigabyte of brotli, sent although only gzip was asked for
    CHECK(brotli["error"].get<std::string>().find("Content-Encoding: br") != std::string::npos);
    CHECK(brotli["body_bytes"] == 0);
    // A redirect's body is never read: an odd coding on it does not hide where it leads.
    CHECK(h.at("/moved-br")["status"] == 301);
    CHECK(h.at("/moved-here.html")["title"] == "Moved here");
  }

  SUBCASE("a reset mid-body is an error; HTTP/1.0 without a length is read to the end") {
    const auto& h = hostile();
    CHECK_FALSE(h.at("/reset")["error"].get<std::string>().empty());
    CHECK(h.at("/http10")["status"] == 200);
    CHECK(h.at("/http10")["title"] == "Old server");
  }

  SUBCASE("100,000 links and a DOM 10,000 deep are parsed within bounds") {
    const auto& h = hostile();
    CHECK(h.at("/many-links")["status"] == 200);
    CHECK(h.at("/deep")["status"] == 200);
    CHECK(h.at("/deep")["title"] == "deep");
  }

  SUBCASE("a 50-hop redirect chain stops at --max-redirects") {
    const auto& h = hostile();
    CHECK(h.at("/hop/0")["status"] == 302);
    CHECK(h.at("/hop/11")["skip_reason"] == "max-redirects");
    CHECK_FALSE(h.view.has(h.base + "/hop/12"));
  }

  SUBCASE("429 with Retry-After is waited for and retried; a host that keeps refusing is reported as rate-limiting") {
    const auto& h = hostile();
    CHECK(h.at("/rate-limited.html")["status"] == 200);
    CHECK(h.at("/rate-limited.html")["title"] == "Recovered");
    CHECK(h.at("/busy")["status"] == 503);
    CHECK(h.server.request_count("127.0.0.1/busy") == 3);  // the first try and two retries
    json summary = json::parse(h.view.graph["meta"]["summary"].get<std::string>());
    CHECK(summary["rate_limited"] == json::array({h.base}));
  }

  SUBCASE("conflicting charsets, invalid UTF-8, a contradicting BOM and binary as HTML") {
    const auto& h = hostile();
    CHECK(h.at("/conflicting-charsets.html")["title"] == "สำนักงาน");
    CHECK(h.at("/bom-contradicts.html")["title"] == "สำนักงาน");
    CHECK(h.at("/bom-contradicts.html")["charset"] == "utf-8");
    CHECK(h.at("/invalid-utf8.html")["title"].get<std::string>().rfind("ok ", 0) == 0);
    CHECK(h.at("/binary-as-html")["status"] == 200);
  }

  SUBCASE("quotes, backslashes and tabs in titles, headings and anchors come through graph.json intact") {
    const auto& h = hostile();
    CHECK(h.at("/escapes.html")["title"] == "Quote \" backslash \\ and <tag>");
    CHECK(h.at("/escapes.html")["headings"] == json::array({"He said \"hi\" \\ then left"}));
    std::vector<std::string> anchors;
    auto id = h.at("/escapes.html")["id"];
    for (const auto& link : h.view.graph["links"])
      if (link["from"] == id) anchors.push_back(link["anchor_text"]);
    CHECK(anchors == std::vector<std::string>{"say \"ok\" \\ twice", "tab and newline"});
  }

  SUBCASE("HEAD refused (405) while GET works: documents are checked with GET, so they answer") {
    const auto& h = hostile();
    CHECK(h.at("/report.pdf")["status"] == 200);
    CHECK(h.at("/report.pdf")["content_type"] == "application/pdf");
    CHECK(h.at("/report.pdf")["body_bytes"] == 0);  // the transfer stopped after the headers
  }
}
