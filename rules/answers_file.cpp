#include "rules/answers_file.hpp"

#include <map>
#include <sstream>

#include "crawler/strings.hpp"
#include "crawler/url.hpp"
#include "rules/csv_table.hpp"
#include "rules/thai_text.hpp"

namespace oit {
using nlohmann::json;

namespace {

// "15", "O15", "o15", "OIT15", "015", "๐๑๕" -> the rule set's item id, or "".
std::string item_id_for(const std::string& written, const RuleSet& rules) {
  std::string w(strings::trim(written));
  for (const auto& item : rules.items)
    if (item.id == w || strings::lower(item.code) == strings::lower(w)) return item.id;
  auto codes = text::item_codes(w);
  std::string digits = text::normalise(w);
  int number = !codes.empty() ? codes.front()
               : (!digits.empty() && digits.find_first_not_of("0123456789") == std::string::npos) ? std::stoi(digits)
                                                                                                 : 0;
  for (const auto& item : rules.items)
    if (number && (item.code_number == number || item.id == std::to_string(number))) return item.id;
  return "";
}

// One cell may hold several URLs, one per line or space-separated. A cell that holds at most
// one "://" is one value, so "not a url" is reported whole.
std::vector<std::string> split_urls(const std::string& cell) {
  std::string trimmed(strings::trim(cell));
  if (trimmed.empty()) return {};
  size_t schemes = 0;
  for (size_t at = trimmed.find("://"); at != std::string::npos; at = trimmed.find("://", at + 3)) ++schemes;
  if (schemes <= 1) return {trimmed};
  std::vector<std::string> urls;
  std::istringstream in(trimmed);
  std::string u;
  while (in >> u) urls.push_back(u);
  return urls;
}

class AnswerCollector {
 public:
  AnswerCollector(std::string file, const RuleSet& rules) : file_(std::move(file)), rules_(rules) {}

  void add(const std::string& item, const std::string& cell, const std::string& where) {
    std::string id = item_id_for(item, rules_);
    if (id.empty()) {
      fail(where, "an item of " + rules_.id + " (an id such as 1 or a code such as O1)", "\"" + item + "\"");
      return;
    }
    // An empty URL cell leaves the item unanswered (a suggested file has those for the
    // webmaster to fill in); the audit lists it as such.
    auto urls = split_urls(cell);
    for (const auto& written : urls) {
      auto normal = url::normalise_absolute(written);
      if (!normal) {
        fail(where, "an http:// or https:// URL", "\"" + written + "\" (" + normal.error() + ")");
        continue;
      }
      auto key = std::make_pair(id, *normal);
      if (auto it = seen_.find(key); it != seen_.end()) {
        fail(where, "each item and URL once", "a repeat of " + it->second);
        continue;
      }
      seen_.emplace(key, where);
      answers.push_back({id, *normal, written, where});
    }
  }

  void fail(const std::string& where, const std::string& expected, const std::string& found) {
    errors.push_back({file_, where, expected, found});
  }

  std::vector<Answer> answers;
  std::vector<InputError> errors;

 private:
  std::string file_;
  const RuleSet& rules_;
  std::map<std::pair<std::string, std::string>, std::string> seen_;
};

void read_csv(const std::string& content, AnswerCollector& out, const std::string& path) {
  auto records = csv::parse(content);
  if (records.empty()) {
    out.errors.push_back({path, "line 1", "a header row with the columns item,url", "an empty file"});
    return;
  }
  const auto& header = records.front().fields;
  int item_col = csv::column(header, {"item", "id", "code", "ข้อ", "รหัส"});
  int url_col = csv::column(header, {"url", "urls", "link", "ลิงก์", "ลิงค์", "url ที่ตอบ"});
  if (item_col < 0 || url_col < 0) {
    std::string found;
    for (const auto& h : header) found += (found.empty() ? "" : ",") + h;
    out.errors.push_back({path, "line " + std::to_string(records.front().line),
                          "a header row with the columns item,url", "\"" + found + "\""});
    return;
  }
  for (size_t r = 1; r < records.size(); ++r) {
    const auto& [line, fields] = records[r];
    if (records[r].blank()) continue;
    std::string where = "line " + std::to_string(line);
    size_t need = static_cast<size_t>(std::max(item_col, url_col)) + 1;
    if (fields.size() < need) {
      out.fail(where, std::to_string(need) + " columns", std::to_string(fields.size()));
      continue;
    }
    out.add(fields[static_cast<size_t>(item_col)], fields[static_cast<size_t>(url_col)], where);
  }
}

void read_json(const json& doc, AnswerCollector& out) {
  // {"answers": [{"item": "15", "url": "..." | "urls": [...]}]}  or  {"15": "url" | ["url", ...]}
  if (doc.contains("answers")) {
    const json& list = doc["answers"];
    if (!list.is_array()) {
      out.fail("/answers", "an array of {\"item\", \"url\"} objects", describe(list));
      return;
    }
    for (size_t i = 0; i < list.size(); ++i) {
      std::string where = "/answers/" + std::to_string(i);
      const json& a = list[i];
      if (!a.is_object() || !a.contains("item") || !(a.contains("url") || a.contains("urls"))) {
        out.fail(where, "an object with \"item\" and \"url\" (or \"urls\")", describe(a));
        continue;
      }
      std::string item = a["item"].is_string() ? a["item"].get<std::string>() : a["item"].dump();
      const json& urls = a.contains("url") ? a["url"] : a["urls"];
      if (urls.is_string()) out.add(item, urls.get<std::string>(), where);
      else if (urls.is_array())
        for (size_t k = 0; k < urls.size(); ++k)
          out.add(item, urls[k].is_string() ? urls[k].get<std::string>() : "", where + "/urls/" + std::to_string(k));
      else out.fail(where, "a URL or an array of URLs", describe(urls));
    }
    return;
  }
  for (auto& [item, urls] : doc.items()) {
    std::string where = "/" + item;
    if (urls.is_string()) out.add(item, urls.get<std::string>(), where);
    else if (urls.is_array())
      for (size_t k = 0; k < urls.size(); ++k)
        out.add(item, urls[k].is_string() ? urls[k].get<std::string>() : "", where + "/" + std::to_string(k));
    else out.fail(where, "a URL or an array of URLs", describe(urls));
  }
}

}  // namespace

tl::expected<std::vector<Answer>, std::vector<InputError>> load_answers(const std::string& path, const RuleSet& rules) {
  auto read = csv::read_file(path);
  if (!read) return tl::unexpected(std::vector<InputError>{{path, "", "a readable answers file", "no such file"}});
  const std::string& content = *read;
  AnswerCollector out(path, rules);
  bool is_json = path.size() > 5 && path.substr(path.size() - 5) == ".json";
  if (is_json) {
    auto doc = json::parse(content, nullptr, false);
    if (doc.is_discarded() || !doc.is_object())
      return tl::unexpected(std::vector<InputError>{{path, "", "a JSON object of answers", "something else"}});
    read_json(doc, out);
  } else {
    read_csv(content, out, path);
  }
  if (!out.errors.empty()) return tl::unexpected(out.errors);
  if (out.answers.empty())
    return tl::unexpected(std::vector<InputError>{{path, "", "at least one answer", "none"}});
  return out.answers;
}

}  // namespace oit
