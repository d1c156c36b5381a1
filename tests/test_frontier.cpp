#include <doctest/doctest.h>

#include "crawler/frontier.hpp"

using namespace oit;

namespace {
FrontierOptions no_robots() {
  FrontierOptions o;
  o.obey_robots = false;
  return o;
}

std::optional<Job> take(Frontier& f, Clock::time_point now = Clock::now()) {
  std::optional<Clock::time_point> wake;
  return f.next(now, wake);
}
}  // namespace

TEST_CASE("robots.txt of an origin is fetched before any of its pages, and disallowed pages come back as blocked") {
  Frontier f{FrontierOptions{}};
  CHECK(f.offer(1, "http://a.go.th/", 0) == Admission::queued);
  CHECK(f.offer(2, "http://a.go.th/admin/x", 1) == Admission::queued);
  auto robots = take(f);
  REQUIRE(robots);
  CHECK(robots->kind == Job::Kind::robots);
  CHECK(robots->url == "http://a.go.th/robots.txt");
  CHECK_FALSE(take(f));  // the origin waits for its robots.txt
  f.finished(*robots, Clock::now());
  f.set_robots("http://a.go.th", Robots::parse("User-agent: *\nDisallow: /admin/\n", "oitcheck"));
  auto home = take(f);
  REQUIRE(home);
  CHECK(home->kind == Job::Kind::page);
  auto admin = take(f);
  REQUIRE(admin);
  CHECK(admin->kind == Job::Kind::robots_blocked);
}

TEST_CASE("the shallowest queued URL goes first, whatever the discovery order") {
  Frontier f{no_robots()};
  f.offer(1, "http://a.go.th/deep", 3);
  f.offer(2, "http://a.go.th/shallow", 1);
  f.offer(3, "http://a.go.th/middle", 2);
  CHECK(take(f)->url == "http://a.go.th/shallow");
  CHECK(take(f)->url == "http://a.go.th/middle");
  CHECK(take(f)->url == "http://a.go.th/deep");
}

TEST_CASE("each URL is queued once") {
  Frontier f{no_robots()};
  CHECK(f.offer(1, "http://a.go.th/x", 1) == Admission::queued);
  CHECK(f.offer(1, "http://a.go.th/x", 1) == Admission::seen);
  CHECK(f.offer(1, "http://a.go.th/x", 0) == Admission::seen);
  CHECK(f.queued() == 1);
}

TEST_CASE("per-host concurrency cap") {
  FrontierOptions o = no_robots();
  o.per_host_concurrency = 2;
  Frontier f{o};
  for (UrlId i = 1; i <= 5; ++i) f.offer(i, "http://a.go.th/" + std::to_string(i), 1);
  f.offer(9, "http://b.go.th/other", 1);
  auto a1 = take(f), a2 = take(f), b = take(f);
  REQUIRE((a1 && a2 && b));
  CHECK(b->url == "http://b.go.th/other");
  CHECK_FALSE(take(f));
  f.finished(*a1, Clock::now());
  CHECK(take(f));
}

TEST_CASE("rate limit: one request per interval, and the frontier says when to come back") {
  FrontierOptions o = no_robots();
  o.rate_per_host = 2;  // one every 500 ms
  Frontier f{o};
  f.offer(1, "http://a.go.th/1", 1);
  f.offer(2, "http://a.go.th/2", 1);
  auto t0 = Clock::now();
  std::optional<Clock::time_point> wake;
  auto first = f.next(t0, wake);
  REQUIRE(first);
  f.finished(*first, t0);
  CHECK_FALSE(f.next(t0 + std::chrono::milliseconds(100), wake));
  REQUIRE(wake);
  CHECK(*wake == t0 + std::chrono::milliseconds(500));
  CHECK(f.next(t0 + std::chrono::milliseconds(500), wake));
}

TEST_CASE("robots.txt Crawl-delay slows the origin down") {
  Frontier f{FrontierOptions{}};
  f.offer(1, "http://a.go.th/1", 1);
  f.offer(2, "http://a.go.th/2", 1);
  auto robots = take(f);
  f.finished(*robots, Clock::now());
  f.set_robots("http://a.go.th", Robots::parse("User-agent: *\nCrawl-delay: 3\n", "oitcheck"));
  auto t0 = Clock::now();
  std::optional<Clock::time_point> wake;
  REQUIRE(f.next(t0, wake));
  CHECK_FALSE(f.next(t0 + std::chrono::seconds(2), wake));
  CHECK(f.next(t0 + std::chrono::seconds(3), wake));
}

TEST_CASE("URL-trap guard: repeating paths, too many segments, endless query spaces, huge URLs") {
  FrontierOptions o = no_robots();
  o.max_query_variants = 5;
  Frontier f{o};
  CHECK(f.offer(1, "http://a.go.th/a/a/a/", 3) == Admission::queued);
  CHECK(f.offer(2, "http://a.go.th/a/a/a/a/", 4) == Admission::trap);
  std::string long_path = "http://a.go.th";
  for (int i = 0; i < 30; ++i) long_path += "/s" + std::to_string(i);
  CHECK(f.offer(3, long_path, 2) == Admission::trap);
  UrlId id = 10;
  for (int m = 0; m < 5; ++m) CHECK(f.offer(id++, "http://a.go.th/cal?month=" + std::to_string(m), 1) == Admission::queued);
  CHECK(f.offer(id++, "http://a.go.th/cal?month=99", 1) == Admission::trap);
  CHECK(f.offer(id++, "http://a.go.th/" + std::string(3000, 'x'), 1) == Admission::trap);
  CHECK(f.limits_hit().at("trap-guard") == 4);
}

TEST_CASE("page and depth bounds; a URL first met too deep is taken when found within reach") {
  FrontierOptions o = no_robots();
  o.max_pages = 2;
  o.max_depth = 2;
  Frontier f{o};
  CHECK(f.offer(1, "http://a.go.th/deep", 3) == Admission::too_deep);
  CHECK(f.offer(1, "http://a.go.th/deep", 2) == Admission::queued);
  CHECK(f.offer(2, "http://a.go.th/b", 1) == Admission::queued);
  CHECK(f.offer(3, "http://a.go.th/c", 1) == Admission::page_limit);
  CHECK(f.limits_hit().at("max-pages") == 1);
  CHECK(f.limits_hit().at("max-depth") == 1);
}

TEST_CASE("a server's Retry-After pauses its origin") {
  Frontier f{no_robots()};
  f.offer(1, "http://a.go.th/1", 1);
  auto now = Clock::now();
  f.pause_origin("http://a.go.th", now + std::chrono::seconds(30));
  std::optional<Clock::time_point> wake;
  CHECK_FALSE(f.next(now, wake));
  CHECK(wake == now + std::chrono::seconds(30));
}
