// The shared queue of a fleet spread over machines, in PostgreSQL. A round is one pass over a
// sites file. Workers lease one site at a time (FOR UPDATE SKIP LOCKED, so two never take the
// same row); a lease expires unless its worker's heartbeat renews it, so a dead worker's site
// goes to another. A site's run is recorded in the same transaction that marks it done, and
// only by the worker still holding its lease: every site is reported exactly once per round.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <tl/expected.hpp>

#include "crawler/fleet.hpp"
#include "reports/history.hpp"

namespace oit {

// Puts every site in a new round (or the named one); returns the round's name.
tl::expected<std::string, std::string> enqueue_round(const std::string& db_url, const std::vector<FleetSite>& sites,
                                                     std::string round);

// The fleet summary rows of a round, from the queue and the runs it recorded.
tl::expected<std::vector<FleetRow>, std::string> round_rows(const std::string& db_url, const std::string& round);

class QueueSource : public SiteSource {
 public:
  static tl::expected<std::unique_ptr<QueueSource>, std::string> open(const std::string& db_url, std::string round,
                                                                     double lease_seconds, std::string report_root);
  ~QueueSource() override;
  Next next() override;
  void done(const FleetSite& site, const FleetRow& row, const nlohmann::json* report) override;
  bool records_runs() const override { return true; }
  History& history() { return history_; }

 private:
  QueueSource(std::shared_ptr<SqlDb> db, History history, std::string round, double lease_seconds,
              std::string report_root, std::string db_url);
  void heartbeat(std::string db_url);

  std::shared_ptr<SqlDb> db_;
  History history_;
  std::string round_, worker_, report_root_;
  double lease_seconds_;
  std::atomic<bool> stopping_{false};
  std::thread heartbeat_;
};

}  // namespace oit
