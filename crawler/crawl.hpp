// One crawl of one site: ties the frontier, the shared engine (loop, HTTP client, parse threads)
// and the site's store together, then computes click depths and writes graph.json.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <tl/expected.hpp>

#include "crawler/frontier.hpp"
#include "crawler/http_client.hpp"
#include "crawler/render.hpp"
#include "crawler/store.hpp"

namespace oit {

struct CrawlOptions {
  std::string homepage;
  std::string out_dir;
  FrontierOptions frontier;
  ClientOptions client;
  std::vector<std::string> extra_hosts;  // more hosts that belong to the site
  bool check_external = false;           // also request off-site links (never crawled further)
  // URLs to check whatever links to them (the answers of an audit). In-site ones are crawled;
  // off-site ones are requested and their title read.
  std::vector<std::string> extra_urls;
  bool resume = false;
  size_t max_body_bytes = 5 * 1024 * 1024;
  int max_redirects = 10;
  double time_budget_seconds = 3600;     // the whole crawl; 0 = none
  unsigned parse_threads = 0;            // 0 = one per core
  size_t max_in_flight = 32;             // all hosts together
  // Render the main page and the ITA landing pages it links to in headless Chromium, and take
  // their links from the DOM the scripts built (menus built in the browser).
  bool render = false;
  RenderOptions render_options;
  int verbose = 0;
  bool progress = false;                 // a live line on stderr (when it is a terminal)
};

struct CrawlSummary {
  std::string homepage;
  size_t urls_known = 0;
  size_t fetched = 0;       // requests answered or failed (robots.txt not counted)
  size_t html_pages = 0;
  size_t documents = 0;     // non-HTML in-scope resources
  size_t errors = 0;        // transport errors and HTTP >= 400
  size_t external = 0;      // off-site URLs seen
  size_t skipped = 0;       // robots, bounds, trap guard
  size_t left_in_queue = 0;
  bool complete = false;    // the whole reachable site was seen within the bounds
  bool interrupted = false; // Ctrl-C / SIGTERM
  std::string stop_reason;  // "", "interrupted", "time-budget", "state-write-error"
  std::map<std::string, size_t> limits_hit;
  double seconds = 0;
};

struct CrawlError {
  std::string message;  // one line, says what to do
  int exit_code = 1;
};

class CrawlEngine;

// Opens the crawl folder's state for a fresh crawl (keeping the previous run's URLs) or for
// --resume (which must be of the same homepage). Also normalises options.homepage.
tl::expected<Store, CrawlError> open_crawl_state(CrawlOptions& options);

// One site's crawl on a shared engine. start() on the loop; `drained` runs on the loop once
// nothing of this site is in flight; then finish() (off the loop is fine) saves and summarises.
class SiteCrawl {
 public:
  SiteCrawl(CrawlEngine& engine, const CrawlOptions& options, Store& store, uint64_t owner);
  ~SiteCrawl();
  SiteCrawl(const SiteCrawl&) = delete;
  SiteCrawl& operator=(const SiteCrawl&) = delete;
  void start(std::function<void()> drained);
  // Stops fetching ("interrupted", "time-budget"); what was fetched is kept for --resume.
  void stop(const std::string& reason);
  tl::expected<CrawlSummary, CrawlError> finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Runs the crawl to the end (or to Ctrl-C / the time budget; then everything fetched so far is
// saved and --resume continues). The homepage failing is an error; any other URL failing is
// an outcome recorded in the state.
tl::expected<CrawlSummary, CrawlError> run_crawl(const CrawlOptions& options);

}  // namespace oit
