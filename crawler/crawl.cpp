#include "crawler/crawl.hpp"

#include <unistd.h>

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <filesystem>
#include <iostream>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include <nlohmann/json.hpp>

#include "crawler/crawl_engine.hpp"
#include "crawler/page_reader.hpp"
#include "crawler/graph.hpp"
#include "crawler/progress.hpp"
#include "crawler/scope.hpp"
#include "crawler/strings.hpp"
#include "crawler/listing.hpp"
#include "crawler/url.hpp"

namespace oit {
namespace asio = boost::asio;
namespace fs = std::filesystem;

namespace {

bool is_html(const FetchResult& r) {
  return r.content_type.empty() || r.content_type.find("html") != std::string::npos;
}

// Retry-After is either seconds or an HTTP date; a date is treated as a minute.
std::chrono::seconds retry_after(const std::string& value) {
  long s = 60;
  if (!value.empty() && std::isdigit(static_cast<unsigned char>(value[0]))) s = std::strtol(value.c_str(), nullptr, 10);
  return std::chrono::seconds(std::clamp(s, 1L, 300L));
}

constexpr int kCurlPeerFailedVerification = 60;  // CURLE_PEER_FAILED_VERIFICATION; net stays behind http_client

}  // namespace

struct SiteCrawl::Impl {
 public:
  Impl(CrawlEngine& engine, const CrawlOptions& options, Store& store, uint64_t owner)
      : options_(options),
        engine_(engine),
        owner_(owner),
        frontier_(options.frontier),
        store_(store),
        writer_(std::in_place, store),
        wake_timer_(engine.io()),
        budget_timer_(engine.io()),
        progress_timer_(engine.io()),
        progress_(options.progress && isatty(STDERR_FILENO)) {}

  // After the drain: the last rows, then click depths and graph.json.
  tl::expected<CrawlSummary, CrawlError> finish() {
    summary_.seconds = std::chrono::duration<double>(Clock::now() - started_).count();
    summarise();
    writer_->push(MetaRow{"summary", summary_json().dump()});
    writer_->push(MetaRow{"finished_at", strings::utc_text(std::chrono::system_clock::now())});
    writer_->push(MetaRow{"scope", scope_.to_json().dump()});
    auto flushed = writer_->flush();
    writer_.reset();
    if (!flushed) return tl::unexpected(CrawlError{flushed.error(), 1});
    progress_.done();
    if (state_error_) return tl::unexpected(CrawlError{*state_error_, 1});
    if (homepage_error_) return tl::unexpected(CrawlError{*homepage_error_, 1});
    std::string graph = (fs::path(options_.out_dir) / "graph.json").string();
    if (auto r = finish_graph(store_, homepage_id_, graph); !r)
      return tl::unexpected(CrawlError{"cannot compute click depths or write graph.json: " + r.error(), 1});
    return summary_;
  }

  void start(std::function<void()> drained) {
    drained_ = std::move(drained);
    started_ = Clock::now();
    const std::string& homepage = options_.homepage;
    scope_.add_host(url::host_of(homepage));
    for (const auto& h : options_.extra_hosts) scope_.add_host(h);
    if (options_.resume) {
      load_previous();
    } else {
      writer_->push(MetaRow{"homepage", homepage});
      writer_->push(MetaRow{"started_at", strings::utc_text(std::chrono::system_clock::now())});
    }
    bool fresh = false;
    homepage_id_ = intern(homepage, UrlKind::page, 0, fresh);
    homepage_chain_.insert(homepage_id_);
    if (fresh) frontier_.offer(homepage_id_, homepage, 0);
    if (!options_.resume)
      for (const auto& previous : store_.previous_urls()) discover(previous, homepage, "previous-run");
    for (const auto& extra : options_.extra_urls) check_extra(extra);

    if (options_.time_budget_seconds > 0) {
      budget_timer_.expires_after(std::chrono::duration_cast<Clock::duration>(
          std::chrono::duration<double>(options_.time_budget_seconds)));
      budget_timer_.async_wait([this](const boost::system::error_code& ec) {
        if (!ec) stop("time-budget");
      });
    }
    if (progress_.enabled()) tick_progress();
    asio::post(engine_.io(), [this] { pump(); });
  }

  void load_previous() {
    if (auto hosts = store_.meta("scope")) {
      auto parsed = nlohmann::json::parse(*hosts, nullptr, false);
      if (parsed.is_array())
        for (const auto& h : parsed)
          if (h.is_string()) scope_.add_host(h.get<std::string>());
    }
    store_.for_each_url([&](const Store::KnownUrl& k) {
      ids_.emplace(k.url, k.id);
      next_id_ = std::max(next_id_, k.id + 1);
      if (k.handled) {
        if (k.kind == UrlKind::page) frontier_.mark_seen(k.id, k.discovered_depth);
      } else if (k.kind != UrlKind::unfetchable) {
        frontier_.offer(k.id, k.url, k.discovered_depth, k.kind == UrlKind::external);
      }
    });
  }

  UrlId intern(const std::string& u, UrlKind kind, int depth, bool& fresh, const char* via = "link") {
    auto [it, inserted] = ids_.try_emplace(u, next_id_);
    fresh = inserted;
    if (inserted) {
      ++next_id_;
      writer_->push(UrlRow{it->second, u, kind, depth, via});
    }
    return it->second;
  }

  // A page learned of without a link (sitemap, an earlier run): fetched and parsed like any
  // other, but it gets a click path only if some link from the homepage reaches it.
  void discover(const std::string& written, const std::string& base, const char* via) {
    if (options_.render && !homepage_parsed_) {
      // Held until the rendered main page has said which pages are ITA landing pages to render.
      held_discoveries_.push_back({written, base, via});
      return;
    }
    auto target = url::resolve(base, written);
    if (!target || !target->fetchable() || !scope_.contains(target->url)) return;
    bool fresh = false;
    UrlId id = intern(target->url, UrlKind::page, 1, fresh, via);
    if (!fresh) return;
    Admission a = frontier_.offer(id, target->url, 1);
    if (a != Admission::queued && a != Admission::seen) record_skip(id, to_string(a));
  }

  // A URL the user asked about (an audit's answer): in-site it is crawled like a discovered page;
  // off-site it is requested once and its title read (a Drive "request access" page shows there).
  void check_extra(const std::string& written) {
    auto target = url::resolve(options_.homepage, written);
    if (!target || !target->fetchable()) return;
    if (scope_.contains(target->url)) {
      discover(target->url, options_.homepage, "answer");
      return;
    }
    bool fresh = false;
    UrlId id = intern(target->url, UrlKind::external, 1, fresh, "answer");
    if (fresh) ++summary_.external;
    frontier_.offer(id, target->url, 1, true);
  }

  // Sitemaps named by robots.txt (or /sitemap.xml by convention) and the indexes they name,
  // the homepage's feeds, and the WordPress REST API: everything they list is crawled, but is
  // reachable only if a link leads there.
  void fetch_listing(const std::string& list_url, Listing kind) {
    if (stopping_ || !listings_seen_.insert(list_url).second || listings_seen_.size() > kMaxListings) return;
    frontier_.offer_listing(list_url, static_cast<int>(kind));
  }

  void on_listing(const Job& job, const FetchResult& r) {
    auto kind = static_cast<Listing>(job.listing);
    ListingRead read = read_listing(kind, job.url, r);
    for (const auto& child : read.sitemaps) fetch_listing(child, Listing::sitemap);
    for (const auto& page : read.pages) discover(page, job.url, read.via);
    writer_->push(MetaRow{listing_key(kind, job.url), read.info.dump()});
  }

  void fetch_listings_of_homepage(const PageFacts& facts) {
    for (const auto& feed : facts.feeds) fetch_listing(feed, Listing::feed);
    if (!facts.wordpress_api.empty())
      for (const auto& list : wordpress_lists(facts.wordpress_api)) fetch_listing(list, Listing::wordpress);
  }

  void record_skip(UrlId id, const char* reason) {
    writer_->push(SkipRow{id, reason});
    ++summary_.skipped;
  }

  // Every link target, and every redirect target, goes through here exactly once per sighting.
  UrlId route(const url::Resolved& target, int depth) {
    bool fresh = false;
    if (!target.fetchable()) {
      UrlId id = intern(target.url, UrlKind::unfetchable, depth, fresh);
      if (fresh) record_skip(id, "not-http");
      return id;
    }
    if (!scope_.contains(target.url)) {
      UrlId id = intern(target.url, UrlKind::external, depth, fresh);
      if (fresh) {
        ++summary_.external;
        if (options_.check_external) frontier_.offer(id, target.url, depth, true);
        else record_skip(id, "off-site");
      }
      return id;
    }
    UrlId id = intern(target.url, UrlKind::page, depth, fresh);
    Admission a = frontier_.offer(id, target.url, depth);
    if (a != Admission::queued && a != Admission::seen) record_skip(id, to_string(a));
    return id;
  }

  void pump() {
    if (stopping_) return;
    if (auto failure = writer_->error()) {
      state_error_ = *failure;
      stop("state-write-error");
      return;
    }
    std::optional<Clock::time_point> wake_at;
    // The disk is behind (pages with thousands of links): hold fetching until it catches up.
    bool disk_behind = writer_->backlog() > kMaxWriteBacklog;
    if (disk_behind) wake_at = Clock::now() + std::chrono::milliseconds(20);
    while (!disk_behind && fetching_ < options_.max_in_flight) {
      if (!engine_.has_slot()) {
        // Every connection is busy, or too many parsed pages wait for a thread: take a turn
        // when the engine has room again.
        if (frontier_.queued()) engine_.when_slot_frees(owner_, [this] { pump(); });
        break;
      }
      auto job = frontier_.next(Clock::now(), wake_at);
      if (!job) break;
      dispatch(std::move(*job));
    }
    if (wake_at) {
      wake_timer_.expires_at(*wake_at);
      wake_timer_.async_wait([this](const boost::system::error_code& ec) {
        if (!ec) pump();
      });
    }
    maybe_finish();
  }

  void dispatch(Job job) {
    if (job.kind == Job::Kind::robots_blocked && job.id == 0) {  // a listing robots.txt forbids
      writer_->push(MetaRow{listing_key(static_cast<Listing>(job.listing), job.url),
                            nlohmann::json{{"skipped", "robots"}}.dump()});
      frontier_.finished(job, Clock::now());
      return;
    }
    if (job.kind == Job::Kind::robots_blocked) {
      record_skip(job.id, "robots");
      if (homepage_chain_.count(job.id))
        homepage_error_ = "robots.txt of " + job.origin + " forbids fetching the homepage " + job.url +
                          "; if this is your own site, use --ignore-robots";
      frontier_.finished(job, Clock::now());
      return;
    }
    FetchRequest request;
    request.url = job.url;
    request.max_body_bytes = job.kind == Job::Kind::robots    ? 512 * 1024
                             : job.kind == Job::Kind::listing ? 20 * 1024 * 1024
                                                              : options_.max_body_bytes;
    request.keep_non_html_body = job.kind == Job::Kind::robots || job.kind == Job::Kind::listing;
    fetch(std::move(request), [this, job = std::move(job)](FetchResult r) mutable {
      on_fetched(std::move(job), std::move(r));
    });
  }

  // Every request of this site goes through here, so the site knows what it has in flight.
  void fetch(FetchRequest request, std::function<void(FetchResult)> done) {
    request.owner = owner_;
    ++fetching_;
    engine_.fetch(std::move(request), [this, done = std::move(done)](FetchResult r) {
      --fetching_;
      // After a stop, answers already on their way are dropped: the URL stays queued in the
      // state and --resume fetches it.
      if (stopping_) {
        maybe_finish();
        return;
      }
      done(std::move(r));
    });
  }

  void on_robots(const Job& job, const FetchResult& r) {
    // RFC 9309: a 4xx means no rules; a 5xx or no answer means "assume everything is
    // disallowed" until it can be read. Say so in the state so the report can explain.
    Robots robots = Robots::allow_all();
    std::string note;
    if (r.ok() && r.status >= 200 && r.status < 300) {
      robots = Robots::parse(r.body, options_.frontier.agent_token);
      note = "read";
    } else if (r.ok() && r.status >= 400 && r.status < 500) {
      note = "absent (HTTP " + std::to_string(r.status) + ")";
    } else if (r.ok() && r.status >= 300 && r.status < 400) {
      note = "redirected (HTTP " + std::to_string(r.status) + "), treated as absent";
    } else if (!r.ok()) {
      // No answer at all: the pages will fail the same way and say why.
      note = "unreachable (" + r.error + "), treated as absent";
    } else {
      robots = Robots::parse("User-agent: *\nDisallow: /\n", options_.frontier.agent_token);
      note = "answered HTTP " + std::to_string(r.status) +
             ": everything treated as disallowed (RFC 9309); --ignore-robots overrides";
    }
    nlohmann::json info = {{"status", r.status}, {"note", note}, {"sitemaps", robots.sitemaps()}};
    writer_->push(MetaRow{"robots:" + job.origin, info.dump()});
    if (robots.sitemaps().empty()) fetch_listing(job.origin + "/sitemap.xml", Listing::sitemap);
    for (const auto& s : robots.sitemaps())
      if (auto resolved = url::resolve(job.origin + "/", s); resolved && resolved->fetchable())
        fetch_listing(resolved->url, Listing::sitemap);
    frontier_.set_robots(job.origin, std::move(robots));
  }

  void on_fetched(Job job, FetchResult r) {
    frontier_.finished(job, Clock::now());
    if (job.kind == Job::Kind::robots || job.kind == Job::Kind::listing) {
      job.kind == Job::Kind::robots ? on_robots(job, r) : on_listing(job, r);
      pump();
      return;
    }
    ++summary_.fetched;
    if (!r.ok() || r.status >= 400) ++summary_.errors;
    if (options_.verbose)
      std::cerr << (r.ok() ? std::to_string(r.status) : "ERR") << ' ' << job.url
                << (r.ok() ? "" : " (" + r.error + ")") << '\n';
    if ((r.status == 429 || r.status == 503) && r.ok()) {
      // The server asks us to slow down: pause, go one at a time, and retry a few times before
      // the answer is recorded (as rate limiting, not as a broken page).
      frontier_.pause_origin(job.origin, Clock::now() + retry_after(r.retry_after));
      rate_limited_.insert(job.origin);
      if (retries_[job.id]++ < kMaxRetries) {
        --summary_.fetched;
        --summary_.errors;
        frontier_.requeue(job);
        pump();
        return;
      }
    }

    OutcomeRow o;
    o.id = job.id;
    o.status = r.status;
    o.error = r.error;
    o.content_type = r.content_type;
    o.content_length = r.content_length;
    o.body_bytes = static_cast<int64_t>(r.body.size());
    o.truncated = r.truncated;
    o.seconds = r.seconds;

    bool homepage = homepage_chain_.count(job.id) > 0;
    if (r.ok() && r.status >= 300 && r.status < 400) {
      follow_redirect(job, r, o, homepage);
    } else if (homepage && !r.ok()) {
      homepage_error_ = "cannot fetch the homepage " + job.url + ": " + r.error;
      if (r.curl_code == kCurlPeerFailedVerification)
        *homepage_error_ += " (the site's TLS certificate does not verify; assessors' browsers may still cope, e.g. with a "
                           "missing intermediate certificate; fix the server, or check anyway with --insecure)";
    } else if (homepage && r.status >= 400) {
      homepage_error_ = "the homepage " + job.url + " answered HTTP " + std::to_string(r.status);
    } else if (homepage && !is_html(r)) {
      homepage_error_ = "the homepage " + job.url + " is not an HTML page (it is " + r.content_type + ")";
    }

    // Off-site pages that were requested are parsed for their title only; their links are not ours.
    bool parse = r.ok() && r.status >= 200 && r.status < 300 && is_html(r) &&
                 (job.kind == Job::Kind::page || job.kind == Job::Kind::external);
    if (!parse) {
      if (r.ok() && job.kind == Job::Kind::page && !is_html(r)) ++summary_.documents;
      writer_->push(std::move(o));
      pump();
      return;
    }
    if (job.kind == Job::Kind::page) ++summary_.html_pages;
    ++parsing_;
    bool render = wants_render(job);
    engine_.parse([this, job = std::move(job), o = std::move(o), body = std::move(r.body),
                   ct = std::move(r.content_type), render]() mutable {
      ParsedPage page = read_page(std::move(body), ct, job.url, render ? &options_.render_options : nullptr);
      asio::post(engine_.io(), [this, job = std::move(job), o = std::move(o), page = std::move(page)]() mutable {
        --parsing_;
        engine_.parse_finished();
        if (stopping_) {
          maybe_finish();
          return;
        }
        on_parsed(job, std::move(o), std::move(page));
      });
    });
    pump();
  }

  void follow_redirect(const Job& job, const FetchResult& r, OutcomeRow& o, bool homepage) {
    const std::string& written = r.redirect_url.empty() ? r.location : r.redirect_url;
    auto target = url::resolve(job.url, written);
    if (!target) {
      o.error = "the redirect's Location header is not a usable URL: " + r.location;
      if (homepage) homepage_error_ = "the homepage " + job.url + " redirects to an unusable address: " + r.location;
      return;
    }
    o.redirect_to = target->url;
    if (!target->fetchable()) {
      o.error = "redirect to a non-http(s) address refused";
      if (homepage) homepage_error_ = "the homepage " + job.url + " redirects to " + target->url + ", which is not http(s)";
    }
    int hops = redirect_hops_[job.id] + 1;
    if (homepage && target->fetchable()) scope_.add_host(url::host_of(target->url));
    // A redirect costs the visitor no click: the target inherits the source's depth.
    bool fresh = false;
    UrlId dst;
    if (target->fetchable() && scope_.contains(target->url) && hops > options_.max_redirects) {
      dst = intern(target->url, UrlKind::page, job.depth, fresh);
      if (fresh) record_skip(dst, "max-redirects");
    } else {
      dst = route(*target, job.depth);
    }
    if (redirect_hops_.find(dst) == redirect_hops_.end()) redirect_hops_[dst] = hops;
    if (homepage) homepage_chain_.insert(dst);
    writer_->push(LinksOfPage{job.id, {LinkRow{dst, "", Region::body, LinkTag::redirect}}});
  }

  // The homepage (and where it redirects), then ITA landing pages linked from a rendered page.
  bool wants_render(const Job& job) {
    if (!options_.render || job.kind != Job::Kind::page || renders_ >= kMaxRenders) return false;
    if (!homepage_chain_.count(job.id) && !render_next_.count(job.id)) return false;
    ++renders_;
    return true;
  }

  void note_rendering(const Job& job, const ParsedPage& page) {
    if (page.rendered || !page.render_error.empty())
      writer_->push(MetaRow{"rendered:" + job.url, nlohmann::json{{"ok", page.rendered},
                                                                   {"error", page.render_error},
                                                                   {"links", page.facts.links.size()}}.dump()});
    if (!homepage_chain_.count(job.id) || !menu_built_by_scripts(page)) return;
    // The main page's HTML has scripts and almost no links: its menu is built in the browser.
    writer_->push(MetaRow{"script_menu", nlohmann::json{{"url", job.url},
                                                         {"scripts", page.html_scripts},
                                                         {"html_links", page.html_links},
                                                         {"rendered", page.rendered},
                                                         {"rendered_links", page.rendered ? page.facts.links.size() : 0}}
                                             .dump()});
  }

  void on_parsed(const Job& job, OutcomeRow o, ParsedPage page) {
    note_rendering(job, page);
    if (homepage_chain_.count(job.id)) fetch_listings_of_homepage(page.facts);
    record_page(job, o, page);
    if (homepage_chain_.count(job.id) && !homepage_parsed_) {
      homepage_parsed_ = true;
      for (const auto& [written, base, via] : std::exchange(held_discoveries_, {})) discover(written, base, via);
      pump();
    }
  }

  void record_page(const Job& job, OutcomeRow& o, ParsedPage& page) {
    o.charset = page.charset;
    o.title = std::move(page.facts.title);
    o.headings = std::move(page.facts.headings);
    o.excerpt = std::move(page.facts.excerpt);
    if (job.kind == Job::Kind::external) {
      writer_->push(std::move(o));
      pump();
      return;
    }
    LinksOfPage links{job.id, {}};
    links.links.reserve(page.facts.links.size());
    for (auto& link : page.facts.links) {
      // A meta refresh is followed like a redirect (no click); everything else is one click.
      int depth = link.tag == LinkTag::meta_refresh ? job.depth : job.depth + 1;
      UrlId dst = route(link.target, depth);
      if (page.rendered && scope_.contains(link.target.url) && looks_like_ita_landing(link)) render_next_.insert(dst);
      if (homepage_chain_.count(job.id) && link.tag == LinkTag::meta_refresh) {
        homepage_chain_.insert(dst);
        if (link.target.fetchable()) scope_.add_host(url::host_of(link.target.url));
      }
      links.links.push_back(LinkRow{dst, std::move(link.anchor_text), link.region, link.tag});
    }
    // Links before the outcome: if the process dies between the two commits, the page is still
    // "queued" and --resume fetches it again (replacing its links), so nothing is half-saved.
    writer_->push(std::move(links));
    writer_->push(std::move(o));
    pump();
  }

  void stop(const std::string& reason) {
    if (stopping_) return;
    stopping_ = true;
    summary_.stop_reason = reason;
    // Aborted URLs stay queued in the state; --resume fetches them. Their callbacks never run.
    fetching_ -= engine_.abort(owner_);
    wake_timer_.cancel();
    maybe_finish();
  }

  void maybe_finish() {
    if (finished_) return;
    bool quiet = parsing_ == 0 && fetching_ == 0;
    bool drained = stopping_ ? quiet : (quiet && frontier_.idle());
    if (!drained) return;
    finished_ = true;
    wake_timer_.cancel();
    budget_timer_.cancel();
    progress_timer_.cancel();
    engine_.forget(owner_);
    asio::post(engine_.io(), drained_);
  }

  void tick_progress() {
    progress_.show(summary_.fetched, frontier_.queued() + frontier_.in_flight(), summary_.errors);
    progress_timer_.expires_after(std::chrono::milliseconds(250));
    progress_timer_.async_wait([this](const boost::system::error_code& ec) {
      if (!ec) tick_progress();
    });
  }

  void summarise() {
    summary_.homepage = ids_.empty() ? "" : options_.homepage;
    summary_.urls_known = ids_.size();
    summary_.left_in_queue = frontier_.queued() + (stopping_ ? frontier_.in_flight() : 0);
    summary_.limits_hit = frontier_.limits_hit();
    summary_.interrupted = summary_.stop_reason == "interrupted";
    bool cut = summary_.limits_hit.count("max-pages") || summary_.limits_hit.count("max-depth");
    summary_.complete = summary_.stop_reason.empty() && !cut;
  }

  nlohmann::json summary_json() const {
    return {{"homepage", summary_.homepage},
            {"urls_known", summary_.urls_known},
            {"fetched", summary_.fetched},
            {"html_pages", summary_.html_pages},
            {"documents", summary_.documents},
            {"errors", summary_.errors},
            {"external", summary_.external},
            {"skipped", summary_.skipped},
            {"left_in_queue", summary_.left_in_queue},
            {"complete", summary_.complete},
            {"stop_reason", summary_.stop_reason},
            {"limits_hit", summary_.limits_hit},
            {"rate_limited", rate_limited_},
            {"seconds", summary_.seconds}};
  }

  const CrawlOptions& options_;
  CrawlEngine& engine_;
  uint64_t owner_;
  Frontier frontier_;
  Store& store_;
  std::optional<StoreWriter> writer_;
  asio::steady_timer wake_timer_, budget_timer_, progress_timer_;
  Progress progress_;
  std::function<void()> drained_;
  Clock::time_point started_;
  size_t fetching_ = 0;  // this site's requests whose answer has not been handled
  static constexpr size_t kMaxRenders = 12;  // browser renders per site
  size_t renders_ = 0;
  std::unordered_set<UrlId> render_next_;  // ITA landing pages linked from a rendered page
  bool homepage_parsed_ = false;
  struct HeldDiscovery {
    std::string written, base;
    const char* via;
  };
  std::vector<HeldDiscovery> held_discoveries_;
  bool finished_ = false;
  Scope scope_;
  std::unordered_map<std::string, UrlId> ids_;
  UrlId next_id_ = 1;
  std::unordered_map<UrlId, int> redirect_hops_;
  static constexpr int kMaxRetries = 2;
  static constexpr size_t kMaxWriteBacklog = 50000;  // records; a few MiB
  std::unordered_map<UrlId, int> retries_;     // 429/503 answers so far, per URL
  std::set<std::string> rate_limited_;          // origins that asked us to slow down
  std::unordered_set<UrlId> homepage_chain_;  // the homepage and where it redirects
  UrlId homepage_id_ = 0;
  std::optional<std::string> homepage_error_;
  std::optional<std::string> state_error_;
  size_t parsing_ = 0;
  static constexpr size_t kMaxListings = 60;
  std::set<std::string> listings_seen_;
  bool stopping_ = false;
  CrawlSummary summary_;
};

SiteCrawl::SiteCrawl(CrawlEngine& engine, const CrawlOptions& options, Store& store, uint64_t owner)
    : impl_(std::make_unique<Impl>(engine, options, store, owner)) {}
SiteCrawl::~SiteCrawl() = default;
void SiteCrawl::start(std::function<void()> drained) { impl_->start(std::move(drained)); }
void SiteCrawl::stop(const std::string& reason) { impl_->stop(reason); }
tl::expected<CrawlSummary, CrawlError> SiteCrawl::finish() { return impl_->finish(); }

}  // namespace oit
