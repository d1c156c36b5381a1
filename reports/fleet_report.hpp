// The fleet summary: one row per site (projected score, grade, one verdict per item) and which
// items fail most across the fleet. fleet.json is the model (oitcheck.fleet/1); fleet.html
// (self-contained, sortable) and fleet.csv are rendered from it.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <tl/expected.hpp>

#include "reports/labels.hpp"

namespace oit {

struct FleetCell {
  std::string id, code, name_th, status;
};

struct FleetRow {
  std::string name, group, homepage;
  std::string report_dir;   // the site's report folder, relative to the fleet folder when local
  std::string status;       // "checked", "failed" (down, DNS, TLS...), "interrupted"
  std::string error;        // one line, for failed and interrupted sites
  std::string rules_id, finished_at;
  double percent = 0;
  size_t ok = 0, total = 0, pages = 0;
  bool complete = false;
  std::vector<std::string> warnings;  // e.g. a menu built by JavaScript
  std::vector<FleetCell> items;       // in the rule set's order
};

// The checked part of a row, from a site's report model.
void fill_row_from_report(FleetRow& row, const nlohmann::json& report);

nlohmann::json build_fleet_model(const std::vector<FleetRow>& rows, const std::string& generated_at);
std::string render_fleet_html(const nlohmann::json& model, labels::Lang lang);
std::string render_fleet_csv(const nlohmann::json& model);
// fleet.json, fleet.csv and fleet.html in `dir`, each written atomically.
tl::expected<void, std::string> write_fleet_reports(const nlohmann::json& model, const std::string& dir, labels::Lang lang);

}  // namespace oit
