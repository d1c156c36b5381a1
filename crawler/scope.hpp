// The site being crawled: its hosts, compared without "www." and without scheme.
#pragma once

#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "crawler/url.hpp"

namespace oit {

class Scope {
 public:
  void add_host(const std::string& host) { sites_.insert(url::site_of_host(host)); }
  bool contains(const std::string& absolute) const { return sites_.count(url::site_of_host(url::host_of(absolute))) > 0; }
  nlohmann::json to_json() const { return nlohmann::json(std::vector<std::string>(sites_.begin(), sites_.end())); }

 private:
  std::set<std::string> sites_;
};

}  // namespace oit
