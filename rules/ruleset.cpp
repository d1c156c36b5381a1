#include "rules/ruleset.hpp"

#include <cstdlib>

#include <nlohmann/json.hpp>

#include "rules/thai_text.hpp"

namespace oit {
using nlohmann::json;

const char* to_string(EvidenceKind k) {
  switch (k) {
    case EvidenceKind::page: return "page";
    case EvidenceKind::document: return "document";
    case EvidenceKind::external: return "external";
  }
  return "page";
}

const char* to_string(YearRule r) {
  switch (r) {
    case YearRule::any: return "any";
    case YearRule::current: return "current";
    case YearRule::current_or_previous: return "current_or_previous";
  }
  return "any";
}

namespace {

// The parts of reading a rule file that are about rules; the generic field readers are
// JsonReader's.
class Reader : public JsonReader {
 public:
  using JsonReader::JsonReader;

  Matchers matchers(const std::vector<std::string>& entries, const std::string& ptr) {
    Matchers m;
    for (size_t i = 0; i < entries.size(); ++i) {
      const std::string& e = entries[i];
      if (e.rfind("re:", 0) == 0) {
        try {
          m.patterns.push_back({e, std::regex(e.substr(3), std::regex::ECMAScript | std::regex::icase)});
        } catch (const std::regex_error& err) {
          fail(ptr + "/" + std::to_string(i), "a valid regular expression after \"re:\"",
               "\"" + e + "\" (" + err.what() + ")");
        }
      } else {
        std::string squashed = text::squash(e);
        if (squashed.empty()) fail(ptr + "/" + std::to_string(i), "a phrase with letters", describe(json(e)));
        else m.phrases.emplace_back(e, squashed);
      }
    }
    return m;
  }

  std::set<EvidenceKind> evidence(const json& obj, const std::string& ptr, std::set<EvidenceKind> fallback) {
    if (!obj.contains("evidence")) return fallback;
    std::set<EvidenceKind> kinds;
    const json& v = obj["evidence"];
    if (!v.is_array() || v.empty()) {
      fail(ptr + "/evidence", "a non-empty array of \"page\", \"document\", \"external\"", describe(v));
      return fallback;
    }
    for (size_t i = 0; i < v.size(); ++i) {
      std::string s = v[i].is_string() ? v[i].get<std::string>() : "";
      if (s == "page") kinds.insert(EvidenceKind::page);
      else if (s == "document") kinds.insert(EvidenceKind::document);
      else if (s == "external") kinds.insert(EvidenceKind::external);
      else fail(ptr + "/evidence/" + std::to_string(i), "\"page\", \"document\" or \"external\"", describe(v[i]));
    }
    return kinds;
  }

  YearRule year_rule(const json& obj, const std::string& ptr, YearRule fallback) {
    if (!obj.contains("year")) return fallback;
    const json& v = obj["year"];
    std::string s = v.is_string() ? v.get<std::string>() : "";
    if (s == "any") return YearRule::any;
    if (s == "current") return YearRule::current;
    if (s == "current_or_previous") return YearRule::current_or_previous;
    fail(ptr + "/year", "\"any\", \"current\" or \"current_or_previous\"", describe(v));
    return fallback;
  }
};

int code_number_of(const std::string& code) {
  auto codes = text::item_codes(code);
  return codes.empty() ? 0 : codes.front();
}

}  // namespace

tl::expected<RuleSet, std::vector<InputError>> load_rule_set(const std::string& path) {
  std::vector<InputError> file_errors;
  std::string text = JsonReader::read_file(path, file_errors);
  if (!file_errors.empty()) {
    for (auto& e : file_errors)
      if (e.expected == "a readable file") e.expected = "a readable rule file";
    return tl::unexpected(file_errors);
  }
  return parse_rule_set(text, path);
}

tl::expected<RuleSet, std::vector<InputError>> parse_rule_set(const std::string& text, const std::string& path) {
  std::vector<InputError> file_errors;
  json doc = JsonReader::parse_text(text, path, file_errors);
  if (doc.is_discarded()) return tl::unexpected(file_errors);
  Reader r(path);
  RuleSet set;
  set.file = path;
  r.only_keys(doc, "", {"schema", "id", "framework", "year", "name_th", "name_en", "complete", "note", "sources",
                        "defaults", "groups", "items"});
  // Not doc.value(): it throws when the key holds a non-string (found by fuzz_rules).
  if (!doc.contains("schema") || doc["schema"] != "oitcheck.rules/1")
    r.fail("/schema", "\"oitcheck.rules/1\"", doc.contains("schema") ? describe(doc["schema"]) : "nothing");
  set.id = r.string(doc, "", "id", true);
  set.framework = r.string(doc, "", "framework", true);
  set.name_th = r.string(doc, "", "name_th", true);
  set.name_en = r.string(doc, "", "name_en", false);
  set.note = r.string(doc, "", "note", false);
  set.year = r.integer(doc, "", "year", 2500, 2700, 0, true);
  set.complete = r.boolean(doc, "", "complete", true);
  if (!set.complete && set.note.empty())
    r.fail("/note", "a note saying what the incomplete list lacks", "nothing");
  r.strings(doc, "", "sources");

  int default_clicks = 3;
  std::set<EvidenceKind> default_evidence = {EvidenceKind::page, EvidenceKind::document, EvidenceKind::external};
  YearRule default_year = YearRule::any;
  if (doc.contains("defaults")) {
    const json& d = doc["defaults"];
    if (!d.is_object()) {
      r.fail("/defaults", "an object", describe(d));
    } else {
      r.only_keys(d, "/defaults", {"max_clicks", "evidence", "year"});
      default_clicks = r.integer(d, "/defaults", "max_clicks", 1, 20, 3, false);
      default_evidence = r.evidence(d, "/defaults", default_evidence);
      default_year = r.year_rule(d, "/defaults", default_year);
    }
  }

  std::set<std::string> group_ids;
  if (doc.contains("groups")) {
    const json& groups = doc["groups"];
    if (!groups.is_array()) r.fail("/groups", "an array", describe(groups));
    for (size_t i = 0; groups.is_array() && i < groups.size(); ++i) {
      std::string ptr = "/groups/" + std::to_string(i);
      if (!groups[i].is_object()) {
        r.fail(ptr, "an object", describe(groups[i]));
        continue;
      }
      r.only_keys(groups[i], ptr, {"id", "name_th", "name_en"});
      RuleGroup g{r.string(groups[i], ptr, "id", true), r.string(groups[i], ptr, "name_th", true),
                  r.string(groups[i], ptr, "name_en", false)};
      if (!group_ids.insert(g.id).second) r.fail(ptr + "/id", "a group id not used before", describe(json(g.id)));
      set.groups.push_back(g);
    }
  }

  if (!doc.contains("items") || !doc["items"].is_array() || doc["items"].empty()) {
    r.fail("/items", "a non-empty array of items", doc.contains("items") ? describe(doc["items"]) : "nothing");
    return tl::unexpected(r.errors);
  }
  std::set<std::string> item_ids;
  const json& items = doc["items"];
  for (size_t i = 0; i < items.size(); ++i) {
    std::string ptr = "/items/" + std::to_string(i);
    const json& it = items[i];
    if (!it.is_object()) {
      r.fail(ptr, "an object", describe(it));
      continue;
    }
    r.only_keys(it, ptr, {"id", "code", "group", "name_th", "name_en", "match", "exclude", "evidence",
                          "max_clicks", "year", "note"});
    ItemRule item;
    item.id = r.string(it, ptr, "id", true);
    if (!item.id.empty() && !item_ids.insert(item.id).second)
      r.fail(ptr + "/id", "an item id not used before", describe(it["id"]));
    item.code = r.string(it, ptr, "code", false);
    item.code_number = code_number_of(item.code);
    item.group = r.string(it, ptr, "group", true);
    if (!item.group.empty() && !group_ids.count(item.group))
      r.fail(ptr + "/group", "the id of a group listed in /groups", describe(it["group"]));
    item.name_th = r.string(it, ptr, "name_th", true);
    item.name_en = r.string(it, ptr, "name_en", false);
    item.max_clicks = r.integer(it, ptr, "max_clicks", 1, 20, default_clicks, false);
    item.evidence = r.evidence(it, ptr, default_evidence);
    item.year = r.year_rule(it, ptr, default_year);
    for (const auto& e : r.strings(it, ptr, "exclude")) item.exclude.push_back({e, text::squash(e)});
    if (!it.contains("match") || !it["match"].is_object()) {
      r.fail(ptr + "/match", "an object with phrases", it.contains("match") ? describe(it["match"]) : "nothing");
      continue;
    }
    const json& m = it["match"];
    std::string mptr = ptr + "/match";
    r.only_keys(m, mptr, {"phrases", "anchor", "title", "url", "body"});
    // "phrases" apply to every signal; the other lists to one signal each.
    auto shared = r.strings(m, mptr, "phrases");
    auto with_shared = [&](const char* key) {
      auto own = r.strings(m, mptr, key);
      std::vector<std::string> all = shared;
      all.insert(all.end(), own.begin(), own.end());
      return all;
    };
    item.anchor = r.matchers(with_shared("anchor"), mptr + "/anchor");
    item.title = r.matchers(with_shared("title"), mptr + "/title");
    item.url = r.matchers(with_shared("url"), mptr + "/url");
    item.body = r.matchers(with_shared("body"), mptr + "/body");
    if (item.anchor.empty() && item.title.empty() && item.url.empty() && item.body.empty())
      r.fail(mptr, "at least one phrase or pattern", "none");
    set.items.push_back(std::move(item));
  }
  if (!r.errors.empty()) return tl::unexpected(r.errors);
  return set;
}

std::string rules_dir() {
  if (const char* env = std::getenv("OITCHECK_RULES_DIR"); env && *env) return env;
  return OITCHECK_RULES_DIR;
}

std::string rule_set_path(const std::string& name_or_file) {
  bool is_path = name_or_file.find('/') != std::string::npos ||
                 (name_or_file.size() > 5 && name_or_file.substr(name_or_file.size() - 5) == ".json");
  return is_path ? name_or_file : rules_dir() + "/" + name_or_file + ".json";
}

Matchers::Phrase::Phrase(std::string written_text, std::string squashed_text)
    : written(std::move(written_text)), searcher_(std::make_shared<const Searcher>(std::move(squashed_text))) {}

bool Matchers::Phrase::found_in(std::string_view text) const {
  return std::search(text.begin(), text.end(), searcher_->search) != text.end();
}

}  // namespace oit
