// The fleet commands, between the CLI's flags and the fleet runner: `oitcheck fleet` (one
// process, a sites file) and, with PostgreSQL, `fleet --enqueue`, `worker` and `fleet-summary`.
#pragma once

#include <string>

#include "crawler/fleet.hpp"

namespace oit {

struct FleetCommand {
  FleetOptions fleet;
  std::string sites_path;  // the sites file (fleet, --enqueue)
  std::string db;          // "" = SQLite history (job's --history); else a postgresql:// URL
  std::string round;       // queue round: given, or made by --enqueue
  bool enqueue = false;    // only put the sites in the shared queue
  double lease_seconds = 300;
};

int fleet_main(const FleetCommand& command);      // oitcheck fleet
int worker_main(const FleetCommand& command);     // oitcheck worker
int fleet_summary_main(const FleetCommand& command);  // oitcheck fleet-summary

}  // namespace oit
