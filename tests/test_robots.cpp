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

#include "crawler/sitemap.hpp"

TEST_CASE("sitemap.xml: <loc> entries, entities and CDATA; an index lists sitemaps") {
  auto set = oit::parse_sitemap(
      "<?xml version=\"1.0\"?><urlset><url><loc> https://a.go.th/?a=1&amp;b=2 </loc></url>"
      "<url><loc><![CDATA[https://a.go.th/ita/]]></loc><lastmod>2023-01-01</lastmod></url></urlset>");
  REQUIRE(set.pages.size() == 2);
  CHECK(set.pages[0] == "https://a.go.th/?a=1&b=2");
  CHECK(set.pages[1] == "https://a.go.th/ita/");
  CHECK(set.sitemaps.empty());
  auto index = oit::parse_sitemap("<sitemapindex><sitemap><loc>https://a.go.th/s1.xml</loc></sitemap></sitemapindex>");
  CHECK(index.pages.empty());
  REQUIRE(index.sitemaps.size() == 1);
}

TEST_CASE("sitemap.xml: an HTML error page or a truncated file yields what it can, never an error") {
  CHECK(oit::parse_sitemap("<html><body>404</body></html>").pages.empty());
  CHECK(oit::parse_sitemap("<urlset><url><loc>https://a.go.th/1</loc><url><loc>https://a.go").pages.size() == 1);
  CHECK(oit::parse_sitemap("<urlset><loc>1</loc><loc>2</loc><loc>3</loc></urlset>", 2).pages.size() == 2);
}

TEST_CASE("feeds: RSS <link> text and Atom <link href>; not <linkage>") {
  auto rss = oit::parse_feed(
      "<rss><channel><link>https://a.go.th/</link><item><title>x</title><link>https://a.go.th/?p=12&amp;lang=th</link>"
      "</item><linkage>no</linkage></channel></rss>");
  REQUIRE(rss.size() == 2);
  CHECK(rss[1] == "https://a.go.th/?p=12&lang=th");
  auto atom = oit::parse_feed("<feed><entry><link rel=\"alternate\" href=\"https://a.go.th/post-1/\"/></entry></feed>");
  REQUIRE(atom.size() == 1);
  CHECK(atom[0] == "https://a.go.th/post-1/");
}

TEST_CASE("WordPress REST API listings: link and source_url; anything else yields nothing") {
  auto pages = oit::parse_wordpress_listing(
      R"([{"link": "https://a.go.th/ita/"}, {"source_url": "https://a.go.th/wp-content/uploads/o1.pdf"}, 3, {"id": 9}])");
  REQUIRE(pages.size() == 2);
  CHECK(pages[1] == "https://a.go.th/wp-content/uploads/o1.pdf");
  CHECK(oit::parse_wordpress_listing("{\"code\": \"rest_no_route\"}").empty());
  CHECK(oit::parse_wordpress_listing("<html>").empty());
}
