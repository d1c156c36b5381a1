#include "tests/support.hpp"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>

namespace oit::testing {
namespace fs = std::filesystem;

std::string fixture(const std::string& name) { return std::string(OITCHECK_FIXTURES) + "/" + name; }

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void replace_all(std::string& s, const std::string& from, const std::string& to) {
  for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) s.replace(at, from.size(), to);
}

TempDir::TempDir() {
  std::random_device rd;
  path_ = (fs::temp_directory_path() / ("oitcheck-test-" + std::to_string(rd()) + std::to_string(getpid()))).string();
  fs::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

const nlohmann::json& CrawlView::at(const std::string& url) const {
  auto it = by_url.find(url);
  if (it == by_url.end()) throw std::runtime_error("the crawl has no record of " + url);
  return it->second;
}

CrawlOptions test_options(const std::string& homepage, const std::string& out_dir) {
  CrawlOptions o;
  o.homepage = homepage;
  o.out_dir = out_dir;
  o.client.user_agent = "oitcheck-test";
  o.client.connect_timeout_ms = 2000;
  o.client.timeout_ms = 5000;
  o.parse_threads = 2;
  o.time_budget_seconds = 60;
  return o;
}

nlohmann::json load_graph(const std::string& out_dir) {
  std::ifstream in(out_dir + "/graph.json");
  if (!in) throw std::runtime_error("no graph.json in " + out_dir);
  return nlohmann::json::parse(in);
}

CrawlView crawl(const CrawlOptions& options) {
  auto result = run_crawl(options);
  if (!result) throw std::runtime_error("crawl failed: " + result.error().message);
  CrawlView view{*result, load_graph(options.out_dir), {}};
  for (const auto& u : view.graph["urls"]) view.by_url[u["url"].get<std::string>()] = u;
  return view;
}

namespace {
std::string slurp_fd(int fd) {
  std::string out;
  char buf[4096];
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
  close(fd);
  return out;
}
}  // namespace

CommandResult run_oitcheck(const std::vector<std::string>& args, const std::function<void(int)>& on_started) {
  return run_program(OITCHECK_BINARY, args, on_started);
}

CommandResult run_program(const std::string& program, const std::vector<std::string>& args,
                          const std::function<void(int)>& on_started) {
  TempDir io;
  std::string out_path = io / "stdout", err_path = io / "stderr";
  std::string data_home = io / "data";  // the run history goes here, not into the real home
  pid_t pid = fork();
  if (pid == 0) {
    setenv("XDG_DATA_HOME", data_home.c_str(), 1);
    int out = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int err = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(out, 1);
    dup2(err, 2);
    std::vector<char*> argv;
    std::string binary = program;
    argv.push_back(binary.data());
    std::vector<std::string> copy = args;
    for (auto& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(binary.c_str(), argv.data());
    _exit(127);
  }
  if (on_started) on_started(pid);
  int status = 0;
  waitpid(pid, &status, 0);
  CommandResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = slurp_fd(open(out_path.c_str(), O_RDONLY));
  r.err = slurp_fd(open(err_path.c_str(), O_RDONLY));
  return r;
}

}  // namespace oit::testing
