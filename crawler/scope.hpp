// The site being crawled: its hosts, compared without "www." and without scheme.
#pragma once

#include <algorithm>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "crawler/url.hpp"

namespace oit {

class Scope {
 public:
  void add_host(const std::string& host) { sites_.insert(url::site_of_host(host)); }
  // Asked for every link of every page: a normalised URL (lower-case host) is looked up
  // without a copy.
  bool contains(std::string_view absolute) const {
    std::string_view host = url::host_as_written(absolute);
    if (std::any_of(host.begin(), host.end(), [](char c) { return c >= 'A' && c <= 'Z'; }))
      return sites_.count(url::site_of_host(host)) > 0;
    return sites_.find(url::site_of_lower_host(host)) != sites_.end();
  }
  nlohmann::json to_json() const { return nlohmann::json(std::vector<std::string>(sites_.begin(), sites_.end())); }

 private:
  std::set<std::string, std::less<>> sites_;
};

}  // namespace oit
