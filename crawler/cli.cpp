// Command-line front end: parses arguments, runs a command, maps results to exit codes.
// Exceptions stop here; the library below reports errors as values.
#include "crawler/cli.hpp"

#include <boost/program_options.hpp>

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <thread>

#include "crawler/crawl.hpp"
#include "tests/server/fixture_server.hpp"

namespace oit {
namespace po = boost::program_options;

namespace {

constexpr const char* kVersion = "0.1.0";
constexpr const char* kUserAgent =
    "oitcheck/0.1 (+ITA/OIT link-compliance check; run by the site's own staff or supervising agency)";

const char* kUsage = R"(oitcheck: checks that a Thai agency's ITA/OIT items are linked from its main page

Usage:
  oitcheck demo [--out DIR]              crawl the bundled fixture agency site (no network)
  oitcheck crawl <homepage-url> --out DIR [options]
  oitcheck --help | --version

Exit codes: 0 done; 1 run or usage error (bad URL, unknown flag, homepage unreachable,
output folder not writable); 130 interrupted (Ctrl-C; state saved, continue with --resume).
)";

void add_crawl_options(po::options_description& d) {
  d.add_options()
      ("out,o", po::value<std::string>(), "output folder (state crawl.sqlite, graph.json)")
      ("resume", po::bool_switch(), "continue the crawl saved in --out")
      ("max-pages", po::value<size_t>()->default_value(50000), "most in-site URLs to fetch")
      ("max-depth", po::value<int>()->default_value(12), "most clicks from the homepage to follow")
      ("concurrency", po::value<int>()->default_value(4), "connections per host")
      ("rate", po::value<double>()->default_value(0), "requests per second per host (0 = no limit)")
      ("connect-timeout", po::value<double>()->default_value(10), "seconds to connect")
      ("timeout", po::value<double>()->default_value(30), "seconds for one whole request")
      ("max-bytes", po::value<size_t>()->default_value(5 * 1024 * 1024), "HTML bytes kept per page; the rest is cut")
      ("max-redirects", po::value<int>()->default_value(10), "redirect hops followed from one link")
      ("time-budget", po::value<double>()->default_value(3600), "seconds for the whole crawl (0 = none)")
      ("ignore-robots", po::bool_switch(), "do not honour robots.txt (for the site's own webmaster)")
      ("check-external", po::bool_switch(), "also check that off-site links answer")
      ("allow-host", po::value<std::vector<std::string>>()->composing(), "another host that belongs to the site")
      ("resolve", po::value<std::vector<std::string>>()->composing(), "HOST:PORT:ADDRESS, as curl --resolve")
      ("insecure", po::bool_switch(), "do not verify TLS certificates (says so loudly)")
      ("verbose,v", po::bool_switch(), "log every request on stderr");
}

CrawlOptions crawl_options_from(const po::variables_map& vm) {
  CrawlOptions o;
  o.out_dir = vm["out"].as<std::string>();
  o.resume = vm["resume"].as<bool>();
  o.frontier.max_pages = vm["max-pages"].as<size_t>();
  o.frontier.max_depth = vm["max-depth"].as<int>();
  o.frontier.per_host_concurrency = std::max(1, vm["concurrency"].as<int>());
  o.frontier.rate_per_host = std::max(0.0, vm["rate"].as<double>());
  o.frontier.obey_robots = !vm["ignore-robots"].as<bool>();
  o.client.user_agent = kUserAgent;
  o.client.connect_timeout_ms = static_cast<long>(vm["connect-timeout"].as<double>() * 1000);
  o.client.timeout_ms = static_cast<long>(vm["timeout"].as<double>() * 1000);
  o.client.max_host_connections = o.frontier.per_host_concurrency;
  o.client.insecure = vm["insecure"].as<bool>();
  if (vm.count("resolve")) o.client.resolve = vm["resolve"].as<std::vector<std::string>>();
  if (vm.count("allow-host")) o.extra_hosts = vm["allow-host"].as<std::vector<std::string>>();
  o.max_body_bytes = vm["max-bytes"].as<size_t>();
  o.max_redirects = vm["max-redirects"].as<int>();
  o.time_budget_seconds = vm["time-budget"].as<double>();
  o.check_external = vm["check-external"].as<bool>();
  o.verbose = vm["verbose"].as<bool>() ? 1 : 0;
  o.progress = true;
  return o;
}

void print_summary(const CrawlSummary& s, const CrawlOptions& o) {
  std::printf("oitcheck: crawled %s in %.1f s\n", s.homepage.c_str(), s.seconds);
  std::printf("  %zu HTML pages, %zu documents, %zu errors, %zu off-site links, %zu skipped\n", s.html_pages,
              s.documents, s.errors, s.external, s.skipped);
  if (s.complete) {
    std::printf("  complete: every page reachable within the bounds was seen\n");
  } else {
    std::printf("  INCOMPLETE:");
    if (!s.stop_reason.empty()) std::printf(" stopped (%s);", s.stop_reason.c_str());
    for (const auto& [limit, count] : s.limits_hit)
      if (limit != "trap-guard") std::printf(" --%s reached (%zu URLs not fetched);", limit.c_str(), count);
    std::printf(" %zu URLs still queued; continue with --resume\n", s.left_in_queue);
  }
  if (auto it = s.limits_hit.find("trap-guard"); it != s.limits_hit.end())
    std::printf("  %zu URLs looked like an endless URL space (calendar, session ids, repeating path) and were skipped\n",
                it->second);
  if (o.client.insecure) std::printf("  WARNING: TLS certificates were NOT verified (--insecure)\n");
  std::printf("  state: %s/crawl.sqlite  graph: %s/graph.json\n", o.out_dir.c_str(), o.out_dir.c_str());
}

int run_crawl_command(const CrawlOptions& options) {
  if (options.client.insecure)
    std::fprintf(stderr, "oitcheck: WARNING: --insecure is on: TLS certificates are not verified\n");
  auto result = run_crawl(options);
  if (!result) {
    std::fprintf(stderr, "oitcheck: %s\n", result.error().message.c_str());
    return result.error().exit_code;
  }
  print_summary(*result, options);
  return result->interrupted ? 130 : 0;
}

int demo(const po::variables_map& vm) {
  testing::FixtureServer server(OITCHECK_DEMO_SITE);
  server.start();
  CrawlOptions options = crawl_options_from(vm);
  options.homepage = "http://127.0.0.1:" + std::to_string(server.port()) + "/";
  std::printf("oitcheck demo: serving the bundled fixture site (%s) on %s\n", OITCHECK_DEMO_SITE,
              options.homepage.c_str());
  return run_crawl_command(options);
}

}  // namespace

int run_cli(int argc, char** argv) {
  if (argc < 2) {
    std::fputs(kUsage, stderr);
    return 1;
  }
  std::string command = argv[1];
  if (command == "--help" || command == "-h" || command == "help") {
    po::options_description d("Crawl options");
    add_crawl_options(d);
    std::cout << kUsage << '\n' << d;
    return 0;
  }
  if (command == "--version") {
    std::printf("oitcheck %s\n", kVersion);
    return 0;
  }
  if (command != "crawl" && command != "demo") {
    std::fprintf(stderr, "oitcheck: unknown command '%s' (try: oitcheck --help)\n", command.c_str());
    return 1;
  }
  po::options_description d("Crawl options");
  add_crawl_options(d);
  po::options_description hidden;
  hidden.add_options()("homepage", po::value<std::string>());
  po::options_description all;
  all.add(d).add(hidden);
  po::positional_options_description positional;
  positional.add("homepage", 1);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(argc - 1, argv + 1).options(all).positional(positional).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    std::fprintf(stderr, "oitcheck %s: %s (try: oitcheck --help)\n", command.c_str(), e.what());
    return 1;
  }
  if (command == "demo") {
    if (!vm.count("out")) vm.emplace("out", po::variable_value(std::string("oitcheck-demo"), false));
    return demo(vm);
  }
  if (!vm.count("homepage")) {
    std::fprintf(stderr, "oitcheck crawl: give the homepage URL, e.g. oitcheck crawl https://www.example.go.th/ --out report\n");
    return 1;
  }
  if (!vm.count("out")) {
    std::fprintf(stderr, "oitcheck crawl: give an output folder with --out DIR\n");
    return 1;
  }
  CrawlOptions options = crawl_options_from(vm);
  options.homepage = vm["homepage"].as<std::string>();
  return run_crawl_command(options);
}

}  // namespace oit
