// The sites file of a fleet run: one row per agency site (CSV: name, homepage URL, optional
// rule set and group), as a ministry keeps it in a spreadsheet. Format in docs/fleet.md.
#pragma once

#include <string>
#include <vector>

#include <tl/expected.hpp>

#include "rules/json_reader.hpp"

namespace oit {

struct FleetSite {
  std::string name;      // as written ("สพป.ตัวอย่าง เขต 1")
  std::string homepage;  // normalised absolute http(s) URL
  std::string rules;     // rule set name or file; "" = the run's --rules
  std::string group;     // free text for grouping in the summary ("" = none)
  std::string folder;    // report folder name under --out: host[_port], unique in the file
};

// Every problem is reported with its line: missing columns, empty names, bad or repeated
// homepages. A UTF-8 BOM and Thai headers (ชื่อ, เว็บไซต์, ชุดกฎ, กลุ่ม) are accepted.
tl::expected<std::vector<FleetSite>, std::vector<InputError>> load_fleet_sites(const std::string& path);

}  // namespace oit
