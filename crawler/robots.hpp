// robots.txt (RFC 9309): parsing and matching. Pure; the frontier owns one Robots per origin.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace oit {

class Robots {
 public:
  // Rules of the group for `agent_token` (case-insensitive), else of the "*" group.
  static Robots parse(std::string_view text, std::string_view agent_token);
  // No robots.txt (404, or the fetch failed with a 4xx): everything is allowed.
  static Robots allow_all() { return Robots{}; }

  // `path` is the path plus query of a URL, still percent-encoded.
  bool allowed(std::string_view path) const;
  std::optional<double> crawl_delay_seconds() const { return crawl_delay_; }
  // Sitemap lines apply to the whole file, whichever group they sit in.
  const std::vector<std::string>& sitemaps() const { return sitemaps_; }

 private:
  struct Rule {
    std::string pattern;
    bool allow = false;
  };
  std::vector<Rule> rules_;
  std::optional<double> crawl_delay_;
  std::vector<std::string> sitemaps_;
};

}  // namespace oit
