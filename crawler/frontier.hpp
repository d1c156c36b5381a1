// What to fetch next and when. Owns the seen-set, the per-origin queues (shallowest first),
// robots.txt rules, per-host concurrency and rate, the URL-trap guard and the page and depth
// bounds. It decides; it does no I/O and knows no clock but the one it is given.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <deque>
#include <limits>
#include <string>
#include <unordered_map>
#include <vector>

#include "crawler/robots.hpp"
#include "crawler/store.hpp"

namespace oit {

using Clock = std::chrono::steady_clock;

struct FrontierOptions {
  size_t max_pages = 50000;          // fetches of in-scope URLs (robots.txt not counted)
  int max_depth = 12;                // clicks from the homepage, as discovered
  int per_host_concurrency = 4;
  double rate_per_host = 0;          // requests per second per origin; 0 = no limit
  bool obey_robots = true;
  std::string agent_token = "oitcheck";
  // URL-trap guard: calendars, session ids and ever-growing paths generate URLs forever.
  size_t max_url_length = 2048;
  size_t max_path_segments = 24;
  size_t max_segment_repeats = 3;    // the same path segment more often than this is a loop
  size_t max_query_variants = 300;   // distinct query strings on one path
};

// Why an offered URL was not queued. `queued` means it will be fetched.
enum class Admission { queued, seen, too_deep, trap, page_limit };
const char* to_string(Admission a);

struct Job {
  // listing: a sitemap, feed or WordPress API list of pages (not part of the link graph).
  enum class Kind { page, robots, external, robots_blocked, listing };
  UrlId id = 0;  // 0 for robots.txt and listings, which are not part of the link graph
  std::string url;
  int depth = 0;
  Kind kind = Kind::page;
  std::string origin;
  int listing = 0;  // which kind of list, for the caller (Kind::listing only)
};

class Frontier {
 public:
  explicit Frontier(FrontierOptions options) : options_(std::move(options)) {}

  // `url` must be normalised and fetchable. External URLs (checked, never parsed) skip the
  // robots.txt step and the page bound.
  Admission offer(UrlId id, const std::string& url, int depth, bool external = false);
  // A list of pages to read (sitemap, feed, API): fetched before the pages of its origin, under
  // the same robots.txt, concurrency and rate, and outside the page bound.
  void offer_listing(const std::string& url, int listing);
  // Marks a URL as already handled (resuming a crawl).
  void mark_seen(UrlId id, int depth);

  // The next job allowed now, if any. When nothing is allowed yet but work remains,
  // `wake_at` says when to ask again.
  std::optional<Job> next(Clock::time_point now, std::optional<Clock::time_point>& wake_at);
  // A job handed out by next() has finished (successfully or not).
  void finished(const Job& job, Clock::time_point now);
  // robots.txt of `origin` was fetched (or failed): release the origin's queue.
  void set_robots(const std::string& origin, Robots robots);
  // The server asked us to slow down (429/503 Retry-After): nothing from it before `until`,
  // and from then on one request at a time.
  void pause_origin(const std::string& origin, Clock::time_point until);
  // A job handed out by next() goes back to its queue (to be retried after a pause).
  void requeue(const Job& job);

  bool idle() const { return queued_ == 0 && in_flight_ == 0; }
  size_t queued() const { return queued_; }
  size_t in_flight() const { return in_flight_; }
  size_t pages_admitted() const { return pages_admitted_; }
  // Bounds that cut the crawl short, for the report ("max-pages", "max-depth", "trap-guard").
  const std::map<std::string, size_t>& limits_hit() const { return limits_hit_; }
  const Robots* robots_for(const std::string& origin) const;

 private:
  enum class RobotsState { unknown, fetching, known };
  struct Origin {
    std::map<int, std::deque<Job>> by_depth;  // shallowest first: discovery follows BFS order
    int in_flight = 0;
    int concurrency = 0;  // 0: the options' per-host cap; 1 after the server asked us to slow down
    RobotsState robots_state = RobotsState::unknown;
    Robots robots = Robots::allow_all();
    Clock::time_point next_start{};
    double min_interval_s = 0;
    bool external = false;
  };

  // The shallowest depth `id` was offered at, or null if never (every link of every page asks).
  int* seen_depth(UrlId id) { return id < seen_depth_.size() && seen_depth_[id] != kUnseen ? &seen_depth_[id] : nullptr; }
  void set_seen_depth(UrlId id, int depth);
  bool trap(const std::string& url);
  Origin& origin_for(const std::string& origin, bool external);
  std::optional<Job> take_from(const std::string& key, Origin& o, Clock::time_point now,
                               std::optional<Clock::time_point>& wake_at);

  FrontierOptions options_;
  // By id (ids are dense from 1): 4 bytes a URL and no hashing, where a hash map took 40.
  static constexpr int kUnseen = std::numeric_limits<int>::min();
  std::vector<int> seen_depth_;
  std::unordered_map<std::string, size_t> query_variants_;  // origin+path -> distinct queries
  std::map<std::string, Origin> origins_;
  std::map<std::string, size_t> limits_hit_;
  size_t queued_ = 0;
  size_t in_flight_ = 0;
  size_t pages_admitted_ = 0;
};

}  // namespace oit
