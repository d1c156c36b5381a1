#include "crawler/fleet_command.hpp"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <set>

#include "crawler/fleet_queue.hpp"
#include "crawler/strings.hpp"
#include "reports/history.hpp"
#include "rules/ruleset.hpp"

namespace oit {
namespace fs = std::filesystem;

namespace {

// Every rule set the sites name must load before hundreds of crawls start.
bool rule_sets_load(const FleetCommand& c, const std::vector<FleetSite>& sites) {
  std::set<std::string> names;
  if (!c.fleet.base.rules.empty()) names.insert(c.fleet.base.rules);
  for (const auto& s : sites) {
    if (!s.rules.empty()) names.insert(s.rules);
    else if (c.fleet.base.rules.empty()) {
      std::fprintf(stderr, "oitcheck fleet: %s has no rule set: give --rules, or a rules column in the sites file\n",
                   s.homepage.c_str());
      return false;
    }
  }
  bool ok = true;
  for (const auto& name : names)
    if (auto loaded = load_rule_set(rule_set_path(name)); !loaded) {
      for (const auto& e : loaded.error()) std::fprintf(stderr, "oitcheck: %s\n", e.message().c_str());
      ok = false;
    }
  return ok;
}

std::optional<std::vector<FleetSite>> sites_of(const FleetCommand& c) {
  auto sites = load_fleet_sites(c.sites_path);
  if (!sites) {
    for (const auto& e : sites.error()) std::fprintf(stderr, "oitcheck: %s\n", e.message().c_str());
    return std::nullopt;
  }
  if (!rule_sets_load(c, *sites)) return std::nullopt;
  return std::move(*sites);
}

int write_summary(const std::vector<FleetRow>& rows, const std::string& out, labels::Lang lang) {
  auto model = build_fleet_model(rows, strings::utc_text(std::chrono::system_clock::now()));
  if (auto written = write_fleet_reports(model, out, lang); !written) {
    std::fprintf(stderr, "oitcheck: %s\n", written.error().c_str());
    return kExitRunError;
  }
  const auto& t = model["totals"];
  std::printf("\nfleet: %zu sites, %zu checked, %zu could not be checked, %zu interrupted\nsummary: %s/fleet.html, fleet.csv, fleet.json\n",
              t["sites"].get<size_t>(), t["checked"].get<size_t>(), t["failed"].get<size_t>(),
              t["interrupted"].get<size_t>(), out.c_str());
  bool all_ok = t["checked"] == t["sites"];
  for (const auto& r : rows) all_ok = all_ok && r.ok == r.total;
  if (t["interrupted"].get<size_t>()) return kExitInterrupted;
  return all_ok ? kExitOk : kExitNotOk;
}

void print_totals(const FleetTotals& t) {
  std::printf("crawled %zu pages of %zu sites in %.1f s (%.0f pages/s)\n", t.pages, t.checked + t.failed + t.interrupted,
              t.seconds, t.seconds > 0 ? static_cast<double>(t.pages) / t.seconds : 0.0);
}

}  // namespace

int fleet_main(const FleetCommand& c) {
  auto sites = sites_of(c);
  if (!sites) return kExitBadInput;
  if (c.enqueue) {
    // Workers elsewhere get each site's rule set from the queue.
    for (auto& s : *sites)
      if (s.rules.empty()) s.rules = c.fleet.base.rules;
    auto round = enqueue_round(c.db, *sites, c.round);
    if (!round) {
      std::fprintf(stderr, "oitcheck fleet: %s\n", round.error().c_str());
      return kExitRunError;
    }
    std::printf("queued %zu sites as round %s\nstart workers: oitcheck worker --db URL --round %s --out DIR\n",
                sites->size(), round->c_str(), round->c_str());
    return kExitOk;
  }
  std::unique_ptr<History> history;
  if (!c.db.empty()) {
    auto opened = History::open(c.db);
    if (!opened) {
      std::fprintf(stderr, "oitcheck fleet: %s\n", opened.error().c_str());
      return kExitRunError;
    }
    history = std::make_unique<History>(std::move(*opened));
  } else {
    history = history_for(c.fleet.base);
  }
  ListSource source(std::move(*sites));
  auto totals = run_fleet(c.fleet, source, history.get());
  print_totals(totals);
  return write_summary(source.rows(), c.fleet.base.crawl.out_dir, c.fleet.base.lang);
}

int worker_main(const FleetCommand& c) {
  std::error_code ec;
  fs::create_directories(c.fleet.base.crawl.out_dir, ec);
  std::string root = fs::absolute(c.fleet.base.crawl.out_dir, ec).lexically_normal().string();
  auto source = QueueSource::open(c.db, c.round, c.lease_seconds, root);
  if (!source) {
    std::fprintf(stderr, "oitcheck worker: %s\n", source.error().c_str());
    return kExitRunError;
  }
  auto totals = run_fleet(c.fleet, **source, &(*source)->history());
  print_totals(totals);
  return totals.interrupted_run ? kExitInterrupted : kExitOk;
}

int fleet_summary_main(const FleetCommand& c) {
  auto rows = round_rows(c.db, c.round);
  if (!rows) {
    std::fprintf(stderr, "oitcheck fleet-summary: %s\n", rows.error().c_str());
    return kExitRunError;
  }
  return write_summary(*rows, c.fleet.base.crawl.out_dir, c.fleet.base.lang);
}

}  // namespace oit
