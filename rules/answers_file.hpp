// The answers a webmaster plans to submit on the OIT form: for each item, the URL(s) where the
// assessor will find it. Read from CSV (columns item,url, as kept in a spreadsheet) or JSON;
// format and example in docs/answers.md.
#pragma once

#include <string>
#include <vector>

#include <tl/expected.hpp>

#include "rules/json_reader.hpp"
#include "rules/ruleset.hpp"

namespace oit {

struct Answer {
  std::string item_id;  // the rule set's id ("15"), whatever form the file used ("O15", "015")
  std::string url;      // normalised absolute http(s) URL
  std::string written;  // the URL as written in the file
  std::string where;    // "line 7" (CSV) or "/answers/3" (JSON), for messages
};

// Every problem is reported, each with its line (or JSON pointer): wrong columns, unknown
// items, malformed or non-http URLs, duplicate rows. A UTF-8 BOM and Thai text in URLs are
// accepted (the URL is percent-encoded).
tl::expected<std::vector<Answer>, std::vector<InputError>> load_answers(const std::string& path, const RuleSet& rules);

}  // namespace oit
