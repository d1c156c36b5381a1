// OIT rule sets: the items an agency must publish and what counts as evidence for each, read
// from JSON files (rules/*.json, format in rules/README.md). Loading validates everything and
// reports every error with its place; nothing about items is in C++.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include <tl/expected.hpp>

#include "rules/json_reader.hpp"

namespace oit {

enum class EvidenceKind { page, document, external };
const char* to_string(EvidenceKind k);

// Which fiscal year the evidence must be about.
enum class YearRule { any, current, current_or_previous };
const char* to_string(YearRule r);

// Phrases (compared squashed: normalised, no whitespace) and regular expressions (prefix "re:"
// in the file; run on the normalised text) for one signal.
struct Matchers {
  class Phrase {
   public:
    Phrase(std::string written, std::string squashed);
    std::string written;  // as in the file, for explanations
    const std::string& squashed() const { return searcher_->pattern; }
    // Whether squashed text contains it. Boyer-Moore-Horspool (the standard library's
    // searcher): Thai UTF-8 starts every character with the byte 0xE0, so std::string::find
    // stops to compare at every character, and matching took longer than the crawl.
    bool found_in(std::string_view text) const;

   private:
    struct Searcher {
      explicit Searcher(std::string p) : pattern(std::move(p)), search(pattern.begin(), pattern.end()) {}
      std::string pattern;  // owned here, so the searcher's iterators stay valid
      std::boyer_moore_horspool_searcher<std::string::const_iterator> search;
    };
    std::shared_ptr<const Searcher> searcher_;  // copies of a Phrase share it
  };
  struct Pattern {
    std::string written;
    std::regex regex;
  };
  std::vector<Phrase> phrases;
  std::vector<Pattern> patterns;
  bool empty() const { return phrases.empty() && patterns.empty(); }
};

struct ItemRule {
  std::string id, code, group, name_th, name_en;
  int code_number = 0;  // 15 for "O15"; 0 when the code has no number
  Matchers anchor, title, url, body;
  std::vector<Matchers::Phrase> exclude;
  std::set<EvidenceKind> evidence;
  int max_clicks = 3;
  YearRule year = YearRule::any;
};

struct RuleGroup {
  std::string id, name_th, name_en;
};

struct RuleSet {
  std::string file;
  std::string id, framework, name_th, name_en;
  int year = 0;            // Buddhist-era year of the assessment
  bool complete = true;    // false: the list is known to be partial (say so in every report)
  std::string note;
  std::vector<RuleGroup> groups;
  std::vector<ItemRule> items;
};

// Loads and validates a rule file. All errors are returned, not only the first.
tl::expected<RuleSet, std::vector<InputError>> load_rule_set(const std::string& path);
// The same for rule-file text already in memory; `name` stands for the file in messages.
tl::expected<RuleSet, std::vector<InputError>> parse_rule_set(const std::string& text, const std::string& name);

// A rule set named like "ita-2566" is looked up in the shipped rules folder; anything with a
// '/' or ending in ".json" is a path.
std::string rule_set_path(const std::string& name_or_file);
// Where the shipped rule sets live (OITCHECK_RULES_DIR overrides the built-in folder).
std::string rules_dir();

}  // namespace oit
