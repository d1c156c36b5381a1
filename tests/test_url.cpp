#include <doctest/doctest.h>

#include "crawler/url.hpp"
#include "crawler/url_canonical.hpp"

using namespace oit;

namespace {
std::string resolved(const char* base, const char* href) {
  auto r = url::resolve(base, href);
  REQUIRE_MESSAGE(r.has_value(), href);
  return r->url;
}
}  // namespace

TEST_CASE("relative links resolve against the page URL") {
  const char* page = "http://www.example.go.th/about/index.html";
  CHECK(resolved(page, "structure.html") == "http://www.example.go.th/about/structure.html");
  CHECK(resolved(page, "../files/a.pdf") == "http://www.example.go.th/files/a.pdf");
  CHECK(resolved(page, "/news/") == "http://www.example.go.th/news/");
  CHECK(resolved(page, "./x/../y.html") == "http://www.example.go.th/about/y.html");
  CHECK(resolved(page, "?page=2") == "http://www.example.go.th/about/index.html?page=2");
  CHECK(resolved(page, "//cdn.example.go.th/a.js") == "http://cdn.example.go.th/a.js");
  CHECK(resolved(page, "") == "http://www.example.go.th/about/index.html");
}

TEST_CASE("a link that is only a fragment is the page itself, query included, not its folder") {
  const char* page = "http://www.example.go.th/about/index.html?x=1";
  CHECK(resolved(page, "#top") == page);
  CHECK(resolved(page, "#") == page);
  url::Resolver resolver(page);
  CHECK(resolver.resolve("#content")->url == page);
}

TEST_CASE("the fast path for links in normal form takes the common forms and agrees with libcurl") {
  const char* bases[] = {"http://www.example.go.th/laws/2563/6359.html", "https://127.0.0.1:8443/a/?p=1",
                         "http://x.go.th/"};
  // Taken by the fast path: what menus and body links on agency sites look like.
  const char* common[] = {"../2564/1693.html", "../../projects/2566/4879.html", "/about/sub-03.html",
                          "http://127.0.0.1:18080/laws/2566/2778.html", "https://www.example.go.th:8443/x?a=1&b=2#frag",
                          "x.html#top", "?page=2", "#top", "", "./a/./b/../c.html", "/%E0%B8%81.pdf", "sub/"};
  // Left to libcurl: anything the normaliser would change, or that names another host.
  const char* unusual[] = {"HTTP://a.go.th/", "/a/../b", "/%7euser", "/%e0%b8%81", "//cdn.go.th/a.js", "http://127.1/",
                           "http://a.go.th:80/", "http://u@a.go.th/", "/x/%2E/y", "/ไฟล์.pdf", "/a b", "?", "http://a.go.th", "..", ".", "./", "../?q", "a//b.html"};
  for (const char* base : bases) {
    auto parsed = url::canonical::parse_base(base);
    REQUIRE_MESSAGE(parsed.has_value(), base);
    url::Resolver resolver(base);
    for (const char* href : common) {
      CAPTURE(base);
      CAPTURE(href);
      auto fast = url::canonical::resolve(*parsed, href);
      REQUIRE(fast.has_value());
      CHECK(*fast == resolved(base, href));
      CHECK(resolver.resolve(href)->url == *fast);
    }
    for (const char* href : unusual) {
      CAPTURE(href);
      CHECK_FALSE(url::canonical::resolve(*parsed, href).has_value());
      auto slow = url::resolve(base, href);
      auto through_resolver = resolver.resolve(href);
      REQUIRE(slow.has_value() == through_resolver.has_value());
      if (slow) CHECK(slow->url == through_resolver->url);
    }
  }
  CHECK_FALSE(url::canonical::parse_base("http://a.go.th/x#frag").has_value());
  CHECK_FALSE(url::canonical::parse_base("http://A.go.th/").has_value());
}

TEST_CASE("normalisation: fragment, default port, host case, empty path, escapes") {
  CHECK(resolved("http://a.go.th/", "HTTP://WWW.Example.GO.TH:80/a#top") == "http://www.example.go.th/a");
  CHECK(resolved("http://a.go.th/", "https://a.go.th:443") == "https://a.go.th/");
  CHECK(resolved("http://a.go.th/", "http://a.go.th:8080/x") == "http://a.go.th:8080/x");
  CHECK(resolved("http://a.go.th/", "/%7euser/%e0%b8%81") == "http://a.go.th/~user/%E0%B8%81");
  CHECK(resolved("http://a.go.th/", "#only-fragment") == "http://a.go.th/");
}

TEST_CASE("Thai text and spaces in links are percent-encoded, so each URL has one spelling") {
  std::string raw = resolved("http://a.go.th/", "/ไฟล์/แผน 2566.pdf");
  std::string encoded = resolved("http://a.go.th/", "/%E0%B9%84%E0%B8%9F%E0%B8%A5%E0%B9%8C/%E0%B9%81%E0%B8%9C%E0%B8%99%202566.pdf");
  CHECK(raw == encoded);
  CHECK(raw.find(' ') == std::string::npos);
}

TEST_CASE("whitespace and newlines around and inside hrefs are dropped as browsers do") {
  CHECK(resolved("http://a.go.th/", "  /x.html\n") == "http://a.go.th/x.html");
  CHECK(resolved("http://a.go.th/", "/x\t.html") == "http://a.go.th/x.html");
}

TEST_CASE("javascript:, mailto: and tel: are recognised and never resolved") {
  auto js = url::resolve("http://a.go.th/", "javascript:void(0)");
  REQUIRE(js);
  CHECK(js->scheme == url::Scheme::javascript);
  CHECK_FALSE(js->fetchable());
  CHECK(url::resolve("http://a.go.th/", "mailto:x@a.go.th")->scheme == url::Scheme::mailto);
  CHECK(url::resolve("http://a.go.th/", "TEL:043624093")->scheme == url::Scheme::tel);
  CHECK(url::resolve("http://a.go.th/", "ftp://a.go.th/x")->scheme == url::Scheme::other);
}

TEST_CASE("malformed links are errors, not crashes") {
  CHECK_FALSE(url::resolve("http://a.go.th/", "http://[::1").has_value());
  CHECK_FALSE(url::resolve("http://a.go.th/", std::string(10000, 'a')).has_value());
}

TEST_CASE("the homepage given by the user must be an absolute http(s) URL") {
  CHECK(url::normalise_absolute("https://WWW.RoiEtPEO.go.th") == "https://www.roietpeo.go.th/");
  auto relative = url::normalise_absolute("roietpeo.go.th");
  REQUIRE_FALSE(relative);
  CHECK(relative.error() == "'roietpeo.go.th' is not an absolute URL (it must start with http:// or https://)");
  auto ftp = url::normalise_absolute("ftp://roietpeo.go.th/");
  REQUIRE_FALSE(ftp);
  CHECK(ftp.error() == "only http:// and https:// URLs can be crawled, not ftp:");
  CHECK_FALSE(url::normalise_absolute("http://").has_value());
}

TEST_CASE("www and bare host are one site; origin and path are sliced from normalised URLs") {
  CHECK(url::site_of_host("www.roietpeo.go.th") == "roietpeo.go.th");
  CHECK(url::site_of_host("WWW.RoiEtPeo.go.th") == "roietpeo.go.th");
  CHECK(url::site_of_host("roietpeo.go.th") == "roietpeo.go.th");
  CHECK(url::host_of("https://user:pw@www.a.go.th:8443/x?y") == "www.a.go.th");
  CHECK(url::host_of("http://[::1]:80/") == "[::1]");
  CHECK(url::origin_of("https://a.go.th:8443/x/y?z=1") == "https://a.go.th:8443");
  CHECK(url::path_and_query("https://a.go.th/x/y?z=1") == "/x/y?z=1");
  CHECK(url::path_and_query("https://a.go.th?z=1") == "/?z=1");
}

TEST_CASE("fuzz_url crash: an escaped dot after the dot segments were removed stays escaped") {
  std::string once = resolved("http://a.go.th/", "/x/%2e/y/%2E%2E/z");
  CHECK(url::normalise_absolute(once) == once);
}

TEST_CASE("fuzz_url crash: a '%' that starts no escape is written as %25") {
  std::string once = resolved("http://a.go.th/", "/x/%%65y/100%");
  CHECK(once == "http://a.go.th/x/%25ey/100%25");
  CHECK(url::normalise_absolute(once) == once);
}

TEST_CASE("fuzz_url crash: a host that becomes a number once decoded is normalised as an address") {
  std::string once = resolved("http://a.go.th/", "HTTP:/%38:");
  CHECK(url::normalise_absolute(once) == once);
}
