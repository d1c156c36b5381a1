// Command-line front end: parses arguments, runs a command, maps results to exit codes.
// Exceptions stop here; the library below reports errors as values.
#include "crawler/cli.hpp"

#include <boost/program_options.hpp>

#include <cstdio>
#include <fstream>
#include <optional>
#include <filesystem>
#include <iostream>
#include <thread>

#include "crawler/crawl.hpp"
#include "reports/checklist.hpp"
#include "rules/ruleset.hpp"
#include "rules/thai_text.hpp"
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
  oitcheck explain <report-dir> <item-id>
  oitcheck rules check <rule-file>...
  oitcheck --help | --version

Exit codes: 0 done (and, with --rules, every item ok); 1 run or usage error (bad URL,
unknown flag, homepage unreachable, output folder not writable); 2 some item is not ok;
3 invalid rule file; 130 interrupted (Ctrl-C; state saved, continue with --resume).
)";

constexpr int kExitNotOk = 2, kExitBadRules = 3, kExitInterrupted = 130;

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
      ("verbose,v", po::bool_switch(), "log every request on stderr")
      ("rules", po::value<std::string>(), "rule set to check (a shipped name such as ita-2566, or a file)")
      ("fiscal-year", po::value<int>(), "fiscal year (BE) current evidence must be for; default: today's")
      ("max-clicks", po::value<int>(), "allowed clicks from the main page, for every item");
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

const char* status_th(const std::string& status) {
  if (status == "ok") return "ผ่าน";
  if (status == "not_linked") return "ไม่ได้ลิงก์จากหน้าแรก";
  if (status == "broken") return "ลิงก์เสีย";
  if (status == "stale") return "ไม่เป็นปัจจุบัน";
  if (status == "missing") return "ไม่พบข้อมูล";
  return "สรุปไม่ได้";
}

void print_checklist(const nlohmann::json& report) {
  const auto& score = report["score"];
  std::printf("\nรายการตรวจ %s ปีงบประมาณ %d: ผ่าน %d จาก %d ข้อ (คะแนน %.2f)\n",
              report["rules"]["id"].get<std::string>().c_str(), report["fiscal_year"].get<int>(),
              score["ok"].get<int>(), score["total"].get<int>(), score["percent"].get<double>());
  if (!report["rules"]["complete"].get<bool>())
    std::printf("หมายเหตุ: รายการข้อของชุดกฎนี้ยังไม่ครบ (%s)\n", report["rules"]["note"].get<std::string>().c_str());
  for (const auto& item : report["items"]) {
    std::string status = item["status"];
    std::printf("  %-4s %-22s %s\n", item["code"].get<std::string>().c_str(), status_th(status),
                item["name_th"].get<std::string>().c_str());
    if (status != "ok") std::printf("         แก้ไข: %s\n", item["fix_th"].get<std::string>().c_str());
  }
}

// Loads the rule set, or prints every error and says so.
std::optional<RuleSet> load_rules_or_report(const std::string& name_or_file) {
  auto rules = load_rule_set(rule_set_path(name_or_file));
  if (rules) return std::move(*rules);
  for (const auto& e : rules.error()) std::fprintf(stderr, "oitcheck: %s\n", e.message().c_str());
  return std::nullopt;
}

CheckOptions check_options_from(const po::variables_map& vm) {
  CheckOptions o;
  o.fiscal_year = vm.count("fiscal-year") ? vm["fiscal-year"].as<int>()
                                          : text::current_fiscal_year(std::chrono::system_clock::now());
  if (vm.count("max-clicks")) o.max_clicks = vm["max-clicks"].as<int>();
  return o;
}

int run_crawl_command(const CrawlOptions& options, const po::variables_map& vm) {
  std::optional<RuleSet> rules;
  if (vm.count("rules")) {
    rules = load_rules_or_report(vm["rules"].as<std::string>());
    if (!rules) return kExitBadRules;
  }
  if (options.client.insecure)
    std::fprintf(stderr, "oitcheck: WARNING: --insecure is on: TLS certificates are not verified\n");
  auto result = run_crawl(options);
  if (!result) {
    std::fprintf(stderr, "oitcheck: %s\n", result.error().message.c_str());
    return result.error().exit_code;
  }
  print_summary(*result, options);
  if (result->interrupted) return kExitInterrupted;
  if (!rules) return 0;
  auto checklist = run_checklist(options.out_dir, *rules, check_options_from(vm));
  if (!checklist) {
    std::fprintf(stderr, "oitcheck: %s\n", checklist.error().c_str());
    return 1;
  }
  print_checklist(checklist->report);
  std::printf("\nreport: %s/report.json (oitcheck explain %s <item> shows why)\n", options.out_dir.c_str(),
              options.out_dir.c_str());
  return checklist->not_ok ? kExitNotOk : 0;
}

int rules_check(int argc, char** argv) {
  if (argc < 4 || std::string(argv[2]) != "check") {
    std::fprintf(stderr, "oitcheck rules: use 'oitcheck rules check FILE...'\n");
    return 1;
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
  return bad ? kExitBadRules : 0;
}

int explain(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "oitcheck explain: use 'oitcheck explain REPORT-DIR ITEM-ID'\n");
    return 1;
  }
  std::string path = std::string(argv[2]) + "/report.json";
  std::ifstream in(path);
  auto report = nlohmann::json::parse(in, nullptr, false);
  if (!in || report.is_discarded() || !report.contains("items")) {
    std::fprintf(stderr, "oitcheck explain: %s is not a readable oitcheck report\n", path.c_str());
    return 1;
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
    return 0;
  }
  std::fprintf(stderr, "oitcheck explain: %s has no item '%s'\n", path.c_str(), wanted.c_str());
  return 1;
}

int demo(po::variables_map& vm) {
  testing::FixtureServer server(OITCHECK_DEMO_SITE);
  server.start();
  CrawlOptions options = crawl_options_from(vm);
  options.homepage = "http://127.0.0.1:" + std::to_string(server.port()) + "/";
  // The bundled site is the seed office as it stood for the 2566 assessment.
  if (!vm.count("rules")) vm.emplace("rules", po::variable_value(std::string("ita-2566"), false));
  if (!vm.count("fiscal-year")) vm.emplace("fiscal-year", po::variable_value(2566, false));
  std::printf("oitcheck demo: serving the bundled fixture site (%s) on %s\n", OITCHECK_DEMO_SITE,
              options.homepage.c_str());
  // Items failing is what the demo shows, not a failure of the demo.
  int code = run_crawl_command(options, vm);
  return code == kExitNotOk ? 0 : code;
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
  if (command == "rules") return rules_check(argc, argv);
  if (command == "explain") return explain(argc, argv);
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
  return run_crawl_command(options, vm);
}

}  // namespace oit
