#include "crawler/fleet.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <list>
#include <map>

#include "crawler/crawl.hpp"
#include "crawler/crawl_engine.hpp"
#include "reports/history.hpp"
#include "rules/ruleset.hpp"

namespace oit {
namespace asio = boost::asio;
namespace fs = std::filesystem;

namespace {

FleetRow row_of(const FleetSite& site) {
  FleetRow row;
  row.name = site.name;
  row.group = site.group;
  row.homepage = site.homepage;
  return row;
}

FleetRow not_crawled_row(const FleetSite& site) {
  FleetRow row = row_of(site);
  row.status = "interrupted";
  row.error = "not crawled: the run was stopped first";
  return row;
}

}  // namespace

ListSource::ListSource(std::vector<FleetSite> sites) : sites_(std::move(sites)) {}

void ListSource::done(const FleetSite& site, const FleetRow& row, const nlohmann::json*) { rows_[site.homepage] = row; }

std::vector<FleetRow> ListSource::rows() const {
  std::vector<FleetRow> out;
  for (const auto& site : sites_) {
    if (auto it = rows_.find(site.homepage); it != rows_.end()) {
      out.push_back(it->second);
      continue;
    }
    out.push_back(not_crawled_row(site));  // the run stopped before its turn: listed, not forgotten
  }
  return out;
}

SiteSource::Next ListSource::next() {
  if (next_ >= sites_.size()) return {};
  return {Answer::site, sites_[next_++]};
}

namespace {

// The loop owns the list of active sites; the finisher thread (one, so the history and the
// source see one caller) does everything that blocks: claiming a site, saving a crawl,
// checking and reporting it, recording it.
class Fleet {
 public:
  Fleet(const FleetOptions& options, SiteSource& source, History* history)
      : options_(options),
        source_(source),
        history_(history),
        engine_(client_options(options), options.base.crawl.parse_threads, options.connections),
        finisher_(1),
        retry_timer_(engine_.io()) {}

  FleetTotals run() {
    auto started = std::chrono::steady_clock::now();
    engine_.on_interrupt([this] {
      interrupted_ = true;
      totals_.interrupted_run = true;
      for (auto& active : active_)
        if (!active.finishing) active.crawl->stop("interrupted");
      retry_timer_.cancel();
      maybe_stop();
    });
    asio::post(engine_.io(), [this] { fill(); });
    engine_.run();
    finisher_.join();
    totals_.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return totals_;
  }

 private:
  struct Active {
    FleetSite site;
    RunJob job;
    std::optional<Store> store;
    std::unique_ptr<SiteCrawl> crawl;
    bool finishing = false;  // handed to the finisher thread: the loop no longer touches it
  };

  static ClientOptions client_options(const FleetOptions& o) {
    ClientOptions c = o.base.crawl.client;
    c.max_total_connections = static_cast<long>(o.connections);
    return c;
  }

  void fill() {
    if (interrupted_ || ended_ || claiming_ || active_.size() >= options_.sites_at_once) return maybe_stop();
    claiming_ = true;
    asio::post(finisher_, [this] {
      auto next = source_.next();
      asio::post(engine_.io(), [this, next = std::move(next)]() mutable {
        claiming_ = false;
        if (next.answer == SiteSource::Answer::site && interrupted_) {
          give_back(std::move(next.site));
        } else if (next.answer == SiteSource::Answer::site) {
          start(std::move(next.site));
          fill();
        } else if (next.answer == SiteSource::Answer::end) {
          ended_ = true;
          maybe_stop();
        } else {
          // Other workers hold the rest; their leases may yet expire.
          retry_timer_.expires_after(std::chrono::seconds(1));
          retry_timer_.async_wait([this](const boost::system::error_code& ec) {
            if (!ec) fill();
          });
        }
      });
    });
  }

  void start(FleetSite site) {
    auto& a = active_.emplace_back();
    auto self = std::prev(active_.end());
    a.site = std::move(site);
    a.job = options_.base;
    a.job.crawl.homepage = a.site.homepage;
    a.job.crawl.out_dir = (fs::path(options_.base.crawl.out_dir) / a.site.folder).string();
    a.job.crawl.progress = false;
    if (!a.site.rules.empty()) a.job.rules = a.site.rules;
    // --resume continues the sites an earlier run left unfinished and starts the others afresh.
    std::error_code ec;
    a.job.crawl.resume = a.job.crawl.resume && fs::exists(fs::path(a.job.crawl.out_dir) / "crawl.sqlite", ec);
    auto store = open_crawl_state(a.job.crawl);
    if (!store) return finish(self, store.error().message);
    a.store.emplace(std::move(*store));
    a.crawl = std::make_unique<SiteCrawl>(engine_, a.job.crawl, *a.store, ++next_owner_);
    a.crawl->start([this, self] { finish(self, ""); });
  }

  // Taken just as Ctrl-C came: returned untouched (a queue puts it back for another worker).
  void give_back(FleetSite site) {
    claiming_ = true;
    asio::post(finisher_, [this, site = std::move(site)] {
      source_.done(site, not_crawled_row(site), nullptr);
      asio::post(engine_.io(), [this] {
        claiming_ = false;
        maybe_stop();
      });
    });
  }

  // The site's crawl drained (or never started: `error`): save, check and report it off the loop.
  void finish(std::list<Active>::iterator a, std::string error) {
    a->finishing = true;
    asio::post(finisher_, [this, a, error = std::move(error)] {
      std::optional<nlohmann::json> report;
      FleetRow row = check(*a, error, report);
      source_.done(a->site, row, report ? &*report : nullptr);
      asio::post(engine_.io(), [this, a, row = std::move(row)] {
        count(row);
        active_.erase(a);
        fill();
      });
    });
  }

  FleetRow check(Active& a, std::string error, std::optional<nlohmann::json>& report) {
    FleetRow row = row_of(a.site);
    row.report_dir = a.site.folder;
    row.status = "failed";
    std::optional<CrawlSummary> summary;
    if (error.empty()) {
      auto crawled = a.crawl->finish();
      if (crawled) summary = *crawled;
      else error = crawled.error().message;
    }
    a.crawl.reset();
    a.store.reset();
    if (summary && summary->interrupted) {
      row.status = "interrupted";
      row.error = "stopped by Ctrl-C; crawl again to finish";
      return row;
    }
    const RuleSet* rules = summary ? rule_set(a.job.rules, error) : nullptr;
    if (rules) {
      auto checked = check_and_report(a.job, *rules, nullptr, history_, !source_.records_runs());
      if (checked) {
        row.status = "checked";
        fill_row_from_report(row, checked->report);
        report = std::move(checked->report);
        return row;
      }
      error = checked.error();
    }
    row.error = error;
    return row;
  }

  const RuleSet* rule_set(const std::string& name, std::string& error) {
    auto it = rule_sets_.find(name);
    if (it == rule_sets_.end()) {
      auto loaded = load_rule_set(rule_set_path(name));
      if (!loaded) {
        error = "rule set " + name + ": " + loaded.error().front().message();
        return nullptr;
      }
      it = rule_sets_.emplace(name, std::move(*loaded)).first;
    }
    return &it->second;
  }

  void count(const FleetRow& row) {
    totals_.checked += row.status == "checked";
    totals_.failed += row.status == "failed";
    totals_.interrupted += row.status == "interrupted";
    totals_.pages += row.pages;
    ++done_;
    if (options_.print_progress)
      std::printf("[%zu] %-9s %s %s%s\n", done_, row.status.c_str(), row.homepage.c_str(),
                  row.status == "checked" ? labels::percent_text(row.percent).c_str() : "",
                  row.status == "checked" ? "" : (" (" + row.error + ")").c_str());
    std::fflush(stdout);
  }

  void maybe_stop() {
    if ((ended_ || interrupted_) && !claiming_ && active_.empty()) engine_.stop();
  }

  const FleetOptions& options_;
  SiteSource& source_;
  History* history_;
  CrawlEngine engine_;
  asio::thread_pool finisher_;
  asio::steady_timer retry_timer_;
  std::list<Active> active_;
  std::map<std::string, RuleSet> rule_sets_;  // finisher thread only
  uint64_t next_owner_ = 0;
  size_t done_ = 0;
  bool claiming_ = false, ended_ = false, interrupted_ = false;
  FleetTotals totals_;
};

}  // namespace

FleetTotals run_fleet(const FleetOptions& options, SiteSource& source, History* history) {
  Fleet fleet(options, source, history);
  return fleet.run();
}

}  // namespace oit
