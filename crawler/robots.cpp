#include "crawler/robots.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

#include "crawler/strings.hpp"

namespace oit {
namespace {

using strings::lower;
using strings::trim;

// RFC 9309 matching: '*' matches any run of characters, a final '$' anchors the end.
bool matches(std::string_view pattern, std::string_view path) {
  bool anchored = !pattern.empty() && pattern.back() == '$';
  if (anchored) pattern.remove_suffix(1);
  // Iterative glob match with backtracking to the last '*'.
  size_t p = 0, s = 0, star = std::string_view::npos, mark = 0;
  while (s < path.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = s;
    } else if (p < pattern.size() && pattern[p] == path[s]) {
      ++p;
      ++s;
    } else if (p == pattern.size() && !anchored) {
      return true;  // prefix match is enough
    } else if (star != std::string_view::npos) {
      p = star + 1;
      s = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

}  // namespace

Robots Robots::parse(std::string_view text, std::string_view agent_token) {
  struct Group {
    std::vector<std::string> agents;
    std::vector<Rule> rules;
    std::optional<double> delay;
  };
  std::vector<Group> groups;
  Robots result;
  bool last_was_agent = false;
  std::string token = lower(agent_token);

  while (!text.empty()) {
    auto eol = text.find_first_of("\r\n");
    std::string_view line = text.substr(0, eol);
    text.remove_prefix(eol == std::string_view::npos ? text.size() : eol + 1);
    if (auto hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
    auto colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string key = lower(trim(line.substr(0, colon)));
    std::string_view value = trim(line.substr(colon + 1));

    if (key == "user-agent") {
      if (!last_was_agent || groups.empty()) groups.emplace_back();
      groups.back().agents.push_back(lower(value));
      last_was_agent = true;
      continue;
    }
    last_was_agent = false;
    if (key == "sitemap") {
      if (!value.empty()) result.sitemaps_.emplace_back(value);
    } else if (groups.empty()) {
      continue;  // rules before any User-agent line belong to no group
    } else if (key == "allow" || key == "disallow") {
      // An empty Disallow allows everything; it adds no rule.
      if (!value.empty()) groups.back().rules.push_back({std::string(value), key == "allow"});
    } else if (key == "crawl-delay") {
      double d = 0;
      auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), d);
      if (ec == std::errc() && d >= 0) groups.back().delay = d;
    }
  }

  auto pick = [&](auto&& accepts) {
    Group merged;
    bool any = false;
    for (auto& g : groups)
      if (std::any_of(g.agents.begin(), g.agents.end(), accepts)) {
        any = true;
        merged.rules.insert(merged.rules.end(), g.rules.begin(), g.rules.end());
        if (g.delay) merged.delay = g.delay;
      }
    return any ? std::optional<Group>(merged) : std::nullopt;
  };
  auto chosen = pick([&](const std::string& a) { return a != "*" && !token.empty() && token.find(a) != std::string::npos; });
  if (!chosen) chosen = pick([](const std::string& a) { return a == "*"; });
  if (chosen) {
    result.rules_ = std::move(chosen->rules);
    result.crawl_delay_ = chosen->delay;
  }
  return result;
}

bool Robots::allowed(std::string_view path) const {
  size_t best_len = 0;
  bool best_allow = true;
  bool found = false;
  for (const auto& r : rules_) {
    if (!matches(r.pattern, path)) continue;
    // The longest pattern wins; on a tie Allow wins (RFC 9309 2.2.2).
    if (!found || r.pattern.size() > best_len || (r.pattern.size() == best_len && r.allow)) {
      best_len = r.pattern.size();
      best_allow = r.allow;
      found = true;
    }
  }
  return best_allow;
}

}  // namespace oit
