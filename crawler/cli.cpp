// Command-line front end: parses arguments into a RunJob (or a small command), runs it, and
// maps the result to an exit code. Exceptions stop here; the library reports errors as values.
#include "crawler/cli.hpp"

#include <boost/program_options.hpp>

#include <pthread.h>
#include <signal.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <set>

#include "crawler/fleet_command.hpp"
#include "crawler/run_config.hpp"
#include "crawler/run_job.hpp"
#include "crawler/url.hpp"
#include "reports/history.hpp"
#include "reports/sql_db.hpp"
#include "reports/render.hpp"
#include "rules/ruleset.hpp"
#include "tests/server/fixture_server.hpp"

namespace oit {
namespace po = boost::program_options;

namespace {

constexpr const char* kVersion = "0.1.0";
constexpr const char* kUserAgent =
    "oitcheck/0.1 (+ITA/OIT link-compliance check; run by the site's own staff or supervising agency)";

const char* kUsage = R"(oitcheck: checks that a Thai agency's ITA/OIT items are linked from its main page

Usage:
  oitcheck demo [--out DIR]              check the bundled fixture agency site (no network)
  oitcheck crawl <homepage-url> --out DIR [--rules ita-2566] [options]
  oitcheck audit <homepage-url> --answers FILE --rules ita-2566 --out DIR
                                         check the URLs you are about to submit
  oitcheck answers <report-dir>          write a suggested answers file from a crawl's evidence
  oitcheck nightly --config FILE         the scheduled run: crawl, check, compare with the last run
  oitcheck history <homepage-url>        runs and scores over time
  oitcheck fleet <sites.csv> --rules ita-2566 --out DIR
                                         many sites in one run; fleet.html/.csv/.json summary
  oitcheck fleet <sites.csv> --db postgresql://... --enqueue   queue a round for workers
  oitcheck worker --db postgresql://... --out DIR [--round R]  crawl queued sites (any machine)
  oitcheck fleet-summary --db postgresql://... --round R --out DIR
  oitcheck explain <report-dir> <item-id>
  oitcheck rules check <rule-file>...
  oitcheck serve-fixture <dir> [--port N] serve a fixture site on 127.0.0.1 (benchmarks, bug reports)
  oitcheck --help | --version

Exit codes: 0 done (and, with --rules, every item ok; for audit, every answer ok); 1 run or
usage error (bad URL, unknown flag, homepage unreachable, output folder not writable); 2 some
item (or answer) is not ok; 3 invalid rule, config or answers file; 4 (--nightly) an item that was ok in the last run is not ok
now; 130 interrupted (Ctrl-C; state saved, continue with --resume).
)";

void add_run_options(po::options_description& d) {
  d.add_options()
      ("out,o", po::value<std::string>(), "output folder (crawl state, graph.json, reports)")
      ("rules", po::value<std::string>(), "rule set to check (a shipped name such as ita-2566, or a file)")
      ("fiscal-year", po::value<int>(), "fiscal year (BE) current evidence must be for; default: today's")
      ("max-clicks", po::value<int>(), "allowed clicks from the main page, for every item")
      ("lang", po::value<std::string>()->default_value("th"), "report language: th or en")
      ("history", po::value<std::string>(), "run history file (default ~/.local/share/oitcheck/history.sqlite)")
      ("keep-runs", po::value<size_t>()->default_value(100), "runs kept per site in the history (0 = all)")
      ("compare-last", po::bool_switch(), "add what changed since the last run")
      ("nightly", po::bool_switch(), "--compare-last, and exit 4 when an item regressed")
      ("config", po::value<std::string>(), "run config file (JSON; see docs/nightly.md)")
      ("answers", po::value<std::string>(), "audit: the answers to check (CSV item,url or JSON; docs/answers.md)")
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
      ("cacert", po::value<std::string>(), "trust the CAs in this PEM file instead of the system's")
      ("deny-private", po::bool_switch(), "refuse loopback, private and link-local addresses (shared service)")
      ("allow-private-address", po::value<std::vector<std::string>>()->composing(), "with --deny-private, an address still allowed")
      ("render", po::bool_switch(), "render the main page and ITA pages in headless Chromium (menus built by JavaScript)")
      ("chromium", po::value<std::string>()->default_value("/usr/bin/chromium"), "with --render, the browser to run")
      ("verbose,v", po::bool_switch(), "log every request on stderr");
}

void add_fleet_options(po::options_description& d) {
  d.add_options()
      ("sites-at-once", po::value<size_t>()->default_value(16), "fleet: sites crawled at the same time")
      ("connections", po::value<size_t>()->default_value(64), "fleet: connections of all sites together")
      ("db", po::value<std::string>(), "fleet: postgresql://... for runs, verdicts and the shared queue")
      ("enqueue", po::bool_switch(), "fleet: only queue the sites as a round for workers (needs --db)")
      ("round", po::value<std::string>(), "fleet/worker/fleet-summary: the queue round")
      ("lease", po::value<double>()->default_value(300), "worker: seconds a site stays leased without a heartbeat");
}

FleetCommand fleet_command_from(const po::variables_map& vm, RunJob job) {
  FleetCommand c;
  job.crawl.progress = false;
  job.quiet_checklist = true;
  c.fleet.base = std::move(job);
  c.fleet.sites_at_once = std::max<size_t>(1, vm["sites-at-once"].as<size_t>());
  c.fleet.connections = std::max<size_t>(1, vm["connections"].as<size_t>());
  if (vm.count("homepage")) c.sites_path = vm["homepage"].as<std::string>();
  if (vm.count("db")) c.db = vm["db"].as<std::string>();
  if (vm.count("round")) c.round = vm["round"].as<std::string>();
  c.enqueue = vm["enqueue"].as<bool>();
  c.lease_seconds = std::max(1.0, vm["lease"].as<double>());
  return c;
}

int fleet_commands(const std::string& command, const po::variables_map& vm, RunJob job) {
  FleetCommand c = fleet_command_from(vm, std::move(job));
  bool needs_out = !(command == "fleet" && c.enqueue);
  if (needs_out && c.fleet.base.crawl.out_dir.empty()) {
    std::fprintf(stderr, "oitcheck %s: give an output folder with --out DIR\n", command.c_str());
    return kExitRunError;
  }
  if (command == "fleet") {
    if (c.sites_path.empty()) {
      std::fprintf(stderr, "oitcheck fleet: give the sites file, e.g. oitcheck fleet sites.csv --rules ita-2566 --out fleet (docs/fleet.md)\n");
      return kExitRunError;
    }
    if (c.enqueue && !is_postgres_url(c.db)) {
      std::fprintf(stderr, "oitcheck fleet --enqueue: the shared queue is in PostgreSQL: give --db postgresql://...\n");
      return kExitRunError;
    }
    return fleet_main(c);
  }
  if (!is_postgres_url(c.db)) {
    std::fprintf(stderr, "oitcheck %s: give the shared database with --db postgresql://user@host/dbname\n", command.c_str());
    return kExitRunError;
  }
  if (command == "worker") return worker_main(c);
  if (c.round.empty()) {
    std::fprintf(stderr, "oitcheck fleet-summary: give the round with --round (oitcheck fleet --enqueue printed it)\n");
    return kExitRunError;
  }
  return fleet_summary_main(c);
}

RunJob job_from_flags(const po::variables_map& vm) {
  RunJob job;
  CrawlOptions& o = job.crawl;
  if (vm.count("out")) o.out_dir = vm["out"].as<std::string>();
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
  o.client.deny_private = vm["deny-private"].as<bool>();
  if (vm.count("cacert")) o.client.ca_file = vm["cacert"].as<std::string>();
  if (vm.count("allow-private-address"))
    o.client.allowed_private = vm["allow-private-address"].as<std::vector<std::string>>();
  if (vm.count("resolve")) o.client.resolve = vm["resolve"].as<std::vector<std::string>>();
  if (vm.count("allow-host")) o.extra_hosts = vm["allow-host"].as<std::vector<std::string>>();
  o.max_body_bytes = vm["max-bytes"].as<size_t>();
  o.max_redirects = vm["max-redirects"].as<int>();
  o.time_budget_seconds = vm["time-budget"].as<double>();
  o.check_external = vm["check-external"].as<bool>();
  o.verbose = vm["verbose"].as<bool>() ? 1 : 0;
  o.render = vm["render"].as<bool>();
  o.render_options.chromium = vm["chromium"].as<std::string>();
  o.render_options.user_agent = kUserAgent;
  o.progress = true;
  if (vm.count("rules")) job.rules = vm["rules"].as<std::string>();
  if (vm.count("fiscal-year")) job.fiscal_year = vm["fiscal-year"].as<int>();
  if (vm.count("max-clicks")) job.max_clicks = vm["max-clicks"].as<int>();
  job.lang = vm["lang"].as<std::string>() == "en" ? labels::Lang::en : labels::Lang::th;
  if (vm.count("history")) job.history_path = vm["history"].as<std::string>();
  job.keep_runs = vm["keep-runs"].as<size_t>();
  job.compare_last = vm["compare-last"].as<bool>();
  job.nightly = vm["nightly"].as<bool>();
  if (vm.count("answers")) job.answers_path = vm["answers"].as<std::string>();
  return job;
}

int rules_check(int argc, char** argv) {
  if (argc < 4 || std::string(argv[2]) != "check") {
    std::fprintf(stderr, "oitcheck rules: use 'oitcheck rules check FILE...'\n");
    return kExitRunError;
  }
  int bad = 0;
  for (int i = 3; i < argc; ++i) {
    auto rules = load_rule_set(argv[i]);
    if (!rules) {
      for (const auto& e : rules.error()) std::fprintf(stderr, "%s\n", e.message().c_str());
      ++bad;
      continue;
    }
    std::printf("%s: ok, rule set %s (%zu items, %s)\n", argv[i], rules->id.c_str(), rules->items.size(),
                rules->complete ? "complete" : "INCOMPLETE list");
  }
  return bad ? kExitBadInput : kExitOk;
}

int explain(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "oitcheck explain: use 'oitcheck explain REPORT-DIR ITEM-ID'\n");
    return kExitRunError;
  }
  std::string path = std::string(argv[2]) + "/report.json";
  std::ifstream in(path);
  auto report = nlohmann::json::parse(in, nullptr, false);
  if (!in || report.is_discarded() || !report.contains("items")) {
    std::fprintf(stderr, "oitcheck explain: %s is not a readable oitcheck report\n", path.c_str());
    return kExitRunError;
  }
  std::string wanted = argv[3];
  for (const auto& item : report["items"]) {
    if (item["id"] != wanted && item["code"] != wanted) continue;
    std::printf("%s %s: %s\n  %s\n  %s\n", item["code"].get<std::string>().c_str(),
                item["name_th"].get<std::string>().c_str(), item["status"].get<std::string>().c_str(),
                item["reason_th"].get<std::string>().c_str(), item["reason_en"].get<std::string>().c_str());
    if (item["candidates"].empty()) std::printf("  no page, document or link matched this item\n");
    for (const auto& c : item["candidates"]) {
      std::printf("\n  candidate %s\n    confidence %.2f, %s\n", c["url"].get<std::string>().c_str(),
                  c["confidence"].get<double>(), c["assessment"].get<std::string>().c_str());
      for (const auto& s : c["signals"])
        std::printf("    %-6s +%.2f  \"%s\" matched \"%s\"\n", s["signal"].get<std::string>().c_str(),
                    s["weight"].get<double>(), s["text"].get<std::string>().c_str(),
                    s["phrase"].get<std::string>().c_str());
      if (!c["path"].empty()) {
        std::printf("    path:");
        for (const auto& p : c["path"]) std::printf(" > %s", p.get<std::string>().c_str());
        std::printf("\n");
      }
    }
    return kExitOk;
  }
  std::fprintf(stderr, "oitcheck explain: %s has no item '%s'\n", path.c_str(), wanted.c_str());
  return kExitRunError;
}

int suggest_answers(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "oitcheck answers: use 'oitcheck answers REPORT-DIR' (writes REPORT-DIR/suggested-answers.csv)\n");
    return kExitRunError;
  }
  std::string dir = argv[2];
  std::ifstream in(dir + "/report.json");
  auto report = nlohmann::json::parse(in, nullptr, false);
  if (!in || report.is_discarded() || !report.contains("items")) {
    std::fprintf(stderr, "oitcheck answers: %s/report.json is not a readable oitcheck report\n", dir.c_str());
    return kExitRunError;
  }
  std::string path = dir + "/suggested-answers.csv";
  if (auto written = write_file_atomically(path, render_suggested_answers(report)); !written) {
    std::fprintf(stderr, "oitcheck answers: %s\n", written.error().c_str());
    return kExitRunError;
  }
  std::printf("wrote %s: review it, fill in the empty URLs, then: oitcheck audit <homepage> --answers %s --rules %s --out DIR\n",
              path.c_str(), path.c_str(), labels::text(report["rules"], "id").c_str());
  return kExitOk;
}

// Serves a fixture folder (tests/fixtures/..., bench/million) until Ctrl-C.
int serve_fixture(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "oitcheck serve-fixture: use 'oitcheck serve-fixture DIR [--port N]'\n");
    return kExitRunError;
  }
  uint16_t port = 0;
  if (argc == 5 && std::string(argv[3]) == "--port") port = static_cast<uint16_t>(std::atoi(argv[4]));
  testing::FixtureServer server(argv[2]);
  server.start(port);
  std::printf("serving %s on http://127.0.0.1:%u/ (Ctrl-C stops)\n", argv[2], server.port());
  std::fflush(stdout);
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  int received = 0;
  sigwait(&signals, &received);
  return kExitOk;
}

int history(const po::variables_map& vm) {
  if (!vm.count("homepage")) {
    std::fprintf(stderr, "oitcheck history: give the site's homepage URL, e.g. oitcheck history https://www.example.go.th/\n");
    return kExitRunError;
  }
  auto site = url::normalise_absolute(vm["homepage"].as<std::string>());
  if (!site) {
    std::fprintf(stderr, "oitcheck history: %s\n", site.error().c_str());
    return kExitRunError;
  }
  std::string path = vm.count("history") ? vm["history"].as<std::string>() : default_history_path();
  auto h = History::open(path);
  if (!h) {
    std::fprintf(stderr, "oitcheck history: %s\n", h.error().c_str());
    return kExitRunError;
  }
  auto runs = h->runs(*site);
  if (runs.empty()) {
    std::printf("no runs of %s in %s\n", site->c_str(), path.c_str());
    return kExitOk;
  }
  std::printf("%-20s  %-18s %4s  %7s  %6s  %5s  %s\n", "finished (UTC)", "rules", "FY", "items", "score", "grade", "crawl");
  for (const auto& r : runs)
    std::printf("%-20s  %-18s %4d  %3zu/%-3zu  %6s  %5s  %zu pages%s\n", r.finished_at.c_str(), r.rules_id.c_str(),
                r.fiscal_year, r.ok, r.total, labels::percent_text(r.percent).c_str(), labels::grade(r.percent),
                r.pages, r.complete ? "" : " (incomplete)");
  return kExitOk;
}

}  // namespace

int run_cli(int argc, char** argv) {
  if (argc < 2) {
    std::fputs(kUsage, stderr);
    return kExitRunError;
  }
  std::string command = argv[1];
  po::options_description options("Options");
  add_run_options(options);
  po::options_description fleet_options("Fleet options");
  add_fleet_options(fleet_options);
  options.add(fleet_options);
  if (command == "--help" || command == "-h" || command == "help") {
    std::cout << kUsage << '\n' << options;
    return kExitOk;
  }
  if (command == "--version") {
    std::printf("oitcheck %s\n", kVersion);
    return kExitOk;
  }
  if (command == "rules") return rules_check(argc, argv);
  if (command == "explain") return explain(argc, argv);
  if (command == "answers") return suggest_answers(argc, argv);
  if (command == "serve-fixture") return serve_fixture(argc, argv);
  static const std::set<std::string> kRunCommands = {"crawl",  "demo",   "nightly",      "history",
                                                     "audit", "fleet", "worker", "fleet-summary"};
  if (!kRunCommands.count(command)) {
    std::fprintf(stderr, "oitcheck: unknown command '%s' (try: oitcheck --help)\n", command.c_str());
    return kExitRunError;
  }
  po::options_description hidden;
  hidden.add_options()("homepage", po::value<std::string>());
  po::options_description all;
  all.add(options).add(hidden);
  po::positional_options_description positional;
  positional.add("homepage", 1);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(argc - 1, argv + 1).options(all).positional(positional).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    std::fprintf(stderr, "oitcheck %s: %s (try: oitcheck --help)\n", command.c_str(), e.what());
    return kExitRunError;
  }
  if (command == "history") return history(vm);
  std::string lang = vm["lang"].as<std::string>();
  if (lang != "th" && lang != "en") {
    std::fprintf(stderr, "oitcheck %s: --lang must be th or en, not '%s'\n", command.c_str(), lang.c_str());
    return kExitRunError;
  }
  RunJob job = job_from_flags(vm);
  if (command == "fleet" || command == "worker" || command == "fleet-summary") return fleet_commands(command, vm, std::move(job));

  if (command == "demo") {
    testing::FixtureServer server(OITCHECK_DEMO_SITE);
    server.start();
    job.crawl.homepage = "http://127.0.0.1:" + std::to_string(server.port()) + "/";
    if (job.crawl.out_dir.empty()) job.crawl.out_dir = "oitcheck-demo";
    // The bundled site is the seed office as it stood for the 2566 assessment.
    if (job.rules.empty()) job.rules = "ita-2566";
    if (!job.fiscal_year) job.fiscal_year = 2566;
    if (!vm.count("history")) job.history_path = job.crawl.out_dir + "/history.sqlite";
    std::printf("oitcheck demo: serving the bundled fixture site (%s) on %s\n", OITCHECK_DEMO_SITE,
                job.crawl.homepage.c_str());
    // Items failing is what the demo shows, not a failure of the demo.
    int code = execute(job);
    return code == kExitNotOk ? kExitOk : code;
  }

  if (command == "nightly" || vm.count("config")) {
    if (!vm.count("config")) {
      std::fprintf(stderr, "oitcheck nightly: give the run config with --config FILE (see docs/nightly.md)\n");
      return kExitRunError;
    }
    auto configured = load_run_config(vm["config"].as<std::string>(), job);
    if (!configured) {
      for (const auto& e : configured.error()) std::fprintf(stderr, "oitcheck: %s\n", e.message().c_str());
      return kExitBadInput;
    }
    job = std::move(*configured);
    job.nightly = job.nightly || command == "nightly";
    job.crawl.progress = false;
    return execute(job);
  }

  if (command == "audit" && (job.answers_path.empty() || job.rules.empty())) {
    std::fprintf(stderr, "oitcheck audit: give the answers file and its rule set: --answers FILE --rules ita-2566\n");
    return kExitRunError;
  }
  if (!vm.count("homepage")) {
    std::fprintf(stderr, "oitcheck %s: give the homepage URL, e.g. oitcheck %s https://www.example.go.th/ --out report\n", command.c_str(), command.c_str());
    return kExitRunError;
  }
  if (job.crawl.out_dir.empty()) {
    std::fprintf(stderr, "oitcheck %s: give an output folder with --out DIR\n", command.c_str());
    return kExitRunError;
  }
  job.crawl.homepage = vm["homepage"].as<std::string>();
  return execute(job);
}

}  // namespace oit
