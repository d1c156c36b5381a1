// Shared test helpers: temporary folders, running the crawler against the fixture server,
// reading graph.json, and running the oitcheck binary as a user would.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "crawler/crawl.hpp"
#include "tests/server/fixture_server.hpp"

namespace oit::testing {

std::string fixture(const std::string& name);  // absolute path of tests/fixtures/<name>
std::string slurp(const std::string& path);    // a whole file, "" when it cannot be read
void replace_all(std::string& s, const std::string& from, const std::string& to);

// A fresh folder under the system temp dir, removed when the object goes away.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// The outcome of a crawl as the tests look at it: graph.json indexed by URL path.
struct CrawlView {
  CrawlSummary summary;
  nlohmann::json graph;
  // URL -> its entry in graph["urls"]
  std::map<std::string, nlohmann::json> by_url;
  bool has(const std::string& url) const { return by_url.count(url) > 0; }
  const nlohmann::json& at(const std::string& url) const;
};

// Crawl options suited to tests: short timeouts, no progress line, the given output folder.
CrawlOptions test_options(const std::string& homepage, const std::string& out_dir);
// Runs a crawl and loads graph.json; fails the test (via exception) if the crawl errors.
CrawlView crawl(const CrawlOptions& options);
nlohmann::json load_graph(const std::string& out_dir);

struct CommandResult {
  int exit_code = -1;
  std::string out, err;
};
// Runs the built oitcheck binary with `args`; `on_started` (optional) gets the child pid.
CommandResult run_oitcheck(const std::vector<std::string>& args,
                           const std::function<void(int pid)>& on_started = {});
// Runs any program with `args`, capturing its output.
CommandResult run_program(const std::string& program, const std::vector<std::string>& args,
                          const std::function<void(int pid)>& on_started = {});

}  // namespace oit::testing
