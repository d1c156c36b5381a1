#include "crawler/fleet_sites.hpp"

#include <map>

#include "crawler/strings.hpp"
#include "crawler/url.hpp"
#include "rules/csv_table.hpp"

namespace oit {
namespace {

// Host and port only, so a folder name can never climb out of --out or clash with a file.
std::string folder_for(const std::string& homepage) {
  std::string origin = url::origin_of(homepage);
  std::string host_port = origin.substr(origin.find("://") + 3);
  std::string folder;
  for (char c : host_port) folder += (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-') ? c : '_';
  return folder.empty() || folder[0] == '.' ? "site" + folder : folder;
}

}  // namespace

tl::expected<std::vector<FleetSite>, std::vector<InputError>> load_fleet_sites(const std::string& path) {
  auto content = csv::read_file(path);
  if (!content) return tl::unexpected(std::vector<InputError>{{path, "", "a readable sites file", "no such file"}});
  auto records = csv::parse(*content);
  const char* header_hint = "a header row with the columns name,homepage (and optionally rules,group)";
  if (records.empty()) return tl::unexpected(std::vector<InputError>{{path, "line 1", header_hint, "an empty file"}});
  const auto& header = records.front().fields;
  int name_col = csv::column(header, {"name", "site", "agency", "ชื่อ", "หน่วยงาน"});
  int url_col = csv::column(header, {"homepage", "url", "website", "เว็บไซต์", "หน้าหลัก"});
  int rules_col = csv::column(header, {"rules", "rule set", "ชุดกฎ"});
  int group_col = csv::column(header, {"group", "กลุ่ม"});
  if (name_col < 0 || url_col < 0) {
    std::string found;
    for (const auto& h : header) found += (found.empty() ? "" : ",") + h;
    return tl::unexpected(std::vector<InputError>{{path, "line " + std::to_string(records.front().line), header_hint,
                                                   "\"" + found + "\""}});
  }
  auto cell = [](const csv::Record& r, int col) {
    return col >= 0 && static_cast<size_t>(col) < r.fields.size() ? std::string(strings::trim(r.fields[static_cast<size_t>(col)]))
                                                                   : std::string();
  };
  std::vector<FleetSite> sites;
  std::vector<InputError> errors;
  std::map<std::string, size_t> seen;  // homepage -> line
  std::map<std::string, int> folders;
  for (size_t i = 1; i < records.size(); ++i) {
    const auto& r = records[i];
    if (r.blank()) continue;
    std::string where = "line " + std::to_string(r.line);
    FleetSite site;
    site.name = cell(r, name_col);
    site.rules = cell(r, rules_col);
    site.group = cell(r, group_col);
    std::string written = cell(r, url_col);
    if (site.name.empty()) errors.push_back({path, where, "the site's name", "an empty cell"});
    auto normal = url::normalise_absolute(written);
    if (!normal) {
      errors.push_back({path, where, "an http:// or https:// homepage URL", "\"" + written + "\" (" + normal.error() + ")"});
      continue;
    }
    if (auto [it, fresh] = seen.emplace(*normal, r.line); !fresh) {
      errors.push_back({path, where, "each homepage once", "a repeat of line " + std::to_string(it->second)});
      continue;
    }
    site.homepage = *normal;
    site.folder = folder_for(site.homepage);
    if (int n = ++folders[site.folder]; n > 1) site.folder += "-" + std::to_string(n);
    sites.push_back(std::move(site));
  }
  if (!errors.empty()) return tl::unexpected(errors);
  if (sites.empty()) return tl::unexpected(std::vector<InputError>{{path, "", "at least one site", "none"}});
  return sites;
}

}  // namespace oit
