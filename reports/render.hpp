// The report formats, each a pure function of the report model (report.json). None fetches or
// re-matches anything; all of them are deterministic for one report.
#pragma once

#include <string>

#include <nlohmann/json.hpp>
#include <tl/expected.hpp>

#include "reports/labels.hpp"

namespace oit {

std::string render_checklist_markdown(const nlohmann::json& report, labels::Lang lang);
std::string render_checklist_csv(const nlohmann::json& report);
std::string render_report_html(const nlohmann::json& report, labels::Lang lang);
std::string render_ita_page(const nlohmann::json& report);
// The audit's answers, one row per submitted URL (UTF-8 with BOM); "" when the report has none.
std::string render_answers_csv(const nlohmann::json& report);
// A suggested answers file (item,url,status,note) from the crawl's best evidence, to review.
std::string render_suggested_answers(const nlohmann::json& report);

// Writes report.json, checklist.md, checklist.csv, report.html and ita-page.html (and
// answers.csv for an audit) into `dir`, each through a temporary file and a rename.
tl::expected<void, std::string> write_all_reports(const nlohmann::json& report, const std::string& dir,
                                                  labels::Lang lang);

// Writes `content` to `path` atomically: a crash or a full disk leaves the old file in place.
tl::expected<void, std::string> write_file_atomically(const std::string& path, const std::string& content);

}  // namespace oit
