// A fleet run: many agency sites crawled at once on one engine (one loop, a global connection
// cap, each host's own politeness), each checked and reported into its own folder as by
// `oitcheck crawl`. Where the sites come from and where results go is a SiteSource: the sites
// file for one process (fleet), or the shared PostgreSQL queue for workers (crawler/fleet_queue).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "crawler/fleet_sites.hpp"
#include "crawler/run_job.hpp"
#include "reports/fleet_report.hpp"

namespace oit {

class History;

class SiteSource {
 public:
  enum class Answer { site, wait, end };  // wait: nothing free now, but others may free up
  struct Next {
    Answer answer = Answer::end;
    FleetSite site;
  };
  virtual ~SiteSource() = default;
  // Both run off the network loop, one at a time (they may block on a database).
  virtual Next next() = 0;
  // A site's final row: checked, failed (down, DNS, TLS) or interrupted (to be crawled again),
  // with its report when checked.
  virtual void done(const FleetSite& site, const FleetRow& row, const nlohmann::json* report) = 0;
  // True when done() records the run itself (in the same transaction as its bookkeeping);
  // otherwise the fleet records it in the history it was given.
  virtual bool records_runs() const { return false; }
};

// Every site of a sites file, in order, once; rows() come back in the file's order.
class ListSource : public SiteSource {
 public:
  explicit ListSource(std::vector<FleetSite> sites);
  Next next() override;
  void done(const FleetSite& site, const FleetRow& row, const nlohmann::json*) override;
  std::vector<FleetRow> rows() const;

 private:
  std::vector<FleetSite> sites_;
  size_t next_ = 0;
  std::map<std::string, FleetRow> rows_;  // by homepage
};

struct FleetOptions {
  RunJob base;               // settings for every site; base.crawl.out_dir is the fleet folder
  size_t sites_at_once = 16; // sites crawling concurrently (each holds its state open)
  size_t connections = 64;   // all sites together
  bool print_progress = true;
};

struct FleetTotals {
  size_t checked = 0, failed = 0, interrupted = 0, pages = 0;
  double seconds = 0;
  bool interrupted_run = false;
};

// Runs until the source has no more sites (or Ctrl-C). Rule sets named by sites are loaded
// (and cached) as they come; `history` (may be null) is used only from one thread.
FleetTotals run_fleet(const FleetOptions& options, SiteSource& source, History* history);

}  // namespace oit
