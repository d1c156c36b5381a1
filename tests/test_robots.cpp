#include <doctest/doctest.h>

#include "crawler/robots.hpp"

using oit::Robots;

TEST_CASE("robots.txt: the group for our agent wins over '*'") {
  auto r = Robots::parse(
      "User-agent: *\nDisallow: /\n\nUser-agent: OITcheck\nDisallow: /admin/\nCrawl-delay: 2\n", "oitcheck");
  CHECK(r.allowed("/news/"));
  CHECK_FALSE(r.allowed("/admin/login.php"));
  REQUIRE(r.crawl_delay_seconds());
  CHECK(*r.crawl_delay_seconds() == doctest::Approx(2.0));
}

TEST_CASE("robots.txt: the longest match decides, Allow wins a tie") {
  auto r = Robots::parse("User-agent: *\nDisallow: /files/\nAllow: /files/ita/\nDisallow: /x\nAllow: /x\n", "oitcheck");
  CHECK_FALSE(r.allowed("/files/secret.pdf"));
  CHECK(r.allowed("/files/ita/o1.pdf"));
  CHECK(r.allowed("/x"));
}

TEST_CASE("robots.txt: * and $ patterns") {
  auto r = Robots::parse("User-agent: *\nDisallow: /*.php$\nDisallow: /search*q=\n", "oitcheck");
  CHECK_FALSE(r.allowed("/index.php"));
  CHECK(r.allowed("/index.php?id=1"));
  CHECK_FALSE(r.allowed("/search?q=ita"));
  CHECK(r.allowed("/search"));
}

TEST_CASE("robots.txt: sitemaps, comments, blank and junk lines") {
  auto r = Robots::parse("# hello\nSitemap: https://a.go.th/sitemap.xml\nUser-agent: *\nDisallow:  # nothing\n"
                         "garbage line\nCrawl-delay: soon\n",
                         "oitcheck");
  CHECK(r.allowed("/anything"));
  CHECK_FALSE(r.crawl_delay_seconds());
  REQUIRE(r.sitemaps().size() == 1);
  CHECK(r.sitemaps()[0] == "https://a.go.th/sitemap.xml");
}

TEST_CASE("robots.txt: several agents share one group; no matching group allows all") {
  auto r = Robots::parse("User-agent: googlebot\nUser-agent: bingbot\nDisallow: /\n", "oitcheck");
  CHECK(r.allowed("/"));
  CHECK(Robots::allow_all().allowed("/admin/"));
}
