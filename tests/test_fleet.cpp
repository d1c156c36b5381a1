// Fleet audits: the sites file, many sites in one run (one loop, global cap, per-site reports,
// a summary), and workers sharing a PostgreSQL queue, one of them killed half-way.
#include <doctest/doctest.h>

#include <signal.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "crawler/fleet_sites.hpp"
#include "reports/sql_db.hpp"
#include "tests/support.hpp"

using namespace oit;
using namespace oit::testing;
using nlohmann::json;

namespace {

std::string url_of(const FixtureServer& s) { return "http://127.0.0.1:" + std::to_string(s.port()) + "/"; }


struct FleetSites {
  FixtureServer seed{fixture("seed-office")}, fixed{fixture("seed-office-fixed")}, wp{fixture("wp-megamenu")},
      slow{fixture("fleet/slow-office")};
  std::string down = "http://127.0.0.1:9/";  // the discard port: nothing listens, refused at once
  FleetSites() {
    for (auto* s : {&seed, &fixed, &wp, &slow}) s->start();
  }
  // Slow site first, so it is still crawling when the fast ones finish.
  std::string csv(const std::string& hostile_name = "สพป.ตัวอย่าง เขต 1") const {
    return "ชื่อ,เว็บไซต์,กลุ่ม\n"
           "ช้า,"  + url_of(slow) + ",ภาคกลาง\n"
           "\"" + hostile_name + "\"," + url_of(seed) + ",ภาคกลาง\n"
           "แก้แล้ว," + url_of(fixed) + ",ภาคเหนือ\n"
           "เวิร์ดเพรส," + url_of(wp) + ",ภาคเหนือ\n"
           "ปิดอยู่," + down + ",ภาคใต้\n";
  }
};

std::map<std::string, json> sites_by_homepage(const json& fleet) {
  std::map<std::string, json> out;
  for (const auto& s : fleet["sites"]) out[s["homepage"]] = s;
  return out;
}

// The verdicts of a fleet summary, without what differs between runs (times, folders).
std::map<std::string, std::string> verdict_table(const json& fleet) {
  std::map<std::string, std::string> out;
  for (const auto& s : fleet["sites"]) out[s["homepage"]] = s["status"].get<std::string>() + " " + s["items"].dump();
  return out;
}

}  // namespace

TEST_CASE("fleet sites file: every problem with its line, Thai headers and a BOM accepted") {
  TempDir dir;
  std::ofstream(dir / "bad.csv") << "name,homepage\n"
                                    ",http://a.example.go.th/\n"
                                    "B,ftp://b.example.go.th/\n"
                                    "C,http://a.example.go.th/\n"
                                    "D,not a url\n";
  auto bad = load_fleet_sites(dir / "bad.csv");
  REQUIRE_FALSE(bad);
  std::vector<std::string> messages;
  for (const auto& e : bad.error()) messages.push_back(e.message());
  REQUIRE(messages.size() == 4);
  CHECK(messages[0].find("line 2") != std::string::npos);
  CHECK(messages[0].find("name") != std::string::npos);
  CHECK(messages[1].find("line 3") != std::string::npos);
  CHECK(messages[2].find("a repeat of line 2") != std::string::npos);
  CHECK(messages[3].find("line 5") != std::string::npos);

  std::ofstream(dir / "no-columns.csv") << "office,address\nA,http://a.go.th/\n";
  auto wrong = load_fleet_sites(dir / "no-columns.csv");
  REQUIRE_FALSE(wrong);
  CHECK(wrong.error().front().message().find("name,homepage") != std::string::npos);

  std::ofstream(dir / "thai.csv") << "\xEF\xBB\xBF" "หน่วยงาน,เว็บไซต์,ชุดกฎ,กลุ่ม\n"
                                     "สพป.หนึ่ง,http://www.one.go.th:8080/,ita-2566,เหนือ\n"
                                     "\n"
                                     "สพป.สอง,https://one.go.th:8080/,,ใต้\n";
  auto good = load_fleet_sites(dir / "thai.csv");
  REQUIRE(good);
  REQUIRE(good->size() == 2);
  CHECK((*good)[0].name == "สพป.หนึ่ง");
  CHECK((*good)[0].rules == "ita-2566");
  CHECK((*good)[0].group == "เหนือ");
  CHECK((*good)[0].folder == "www.one.go.th_8080");
  CHECK((*good)[1].folder == "one.go.th_8080");
  CHECK(load_fleet_sites(dir / "missing.csv").error().front().message().find("readable") != std::string::npos);
}

TEST_CASE("fleet: sites crawled in one run, each reported as by crawl, a down site is a row, not a crash") {
  FleetSites sites;
  TempDir dir;
  std::ofstream(dir / "sites.csv") << sites.csv("<script>alert('x')</script>");
  auto run = run_oitcheck({"fleet", dir / "sites.csv", "--rules", "ita-2566", "--fiscal-year", "2566", "--out",
                           dir / "out", "--history", dir / "history.sqlite", "--timeout", "10"});
  INFO(run.out, run.err);
  CHECK(run.exit_code == 2);  // some items are not ok
  json fleet = json::parse(slurp(dir / "out/fleet.json"));
  CHECK(fleet["format"] == "oitcheck.fleet/1");
  CHECK(fleet["totals"]["sites"] == 5);
  CHECK(fleet["totals"]["checked"] == 4);
  CHECK(fleet["totals"]["failed"] == 1);
  auto by = sites_by_homepage(fleet);
  const json& seed = by[url_of(sites.seed)];
  CHECK(seed["percent"].get<double>() == doctest::Approx(39.53).epsilon(0.001));
  CHECK(seed["grade"] == "F");
  CHECK(seed["group"] == "ภาคกลาง");
  CHECK(by[url_of(sites.fixed)]["grade"] == "AA");
  CHECK(by[sites.down]["status"] == "failed");
  CHECK(by[sites.down]["error"].get<std::string>().find("cannot fetch the homepage") != std::string::npos);

  // Each site's folder holds the same reports a single `oitcheck crawl` writes, same verdicts.
  std::string seed_dir = dir / ("out/" + seed["report_dir"].get<std::string>());
  for (const char* f : {"report.json", "report.html", "checklist.md", "checklist.csv", "ita-page.html", "graph.json"})
    CHECK(std::filesystem::exists(seed_dir + "/" + f));
  TempDir single;
  auto alone = run_oitcheck({"crawl", url_of(sites.seed), "--rules", "ita-2566", "--fiscal-year", "2566", "--out",
                             single.path(), "--history", single / "h.sqlite"});
  json a = json::parse(slurp(single / "report.json")), b = json::parse(slurp(seed_dir + "/report.json"));
  REQUIRE(a["items"].size() == b["items"].size());
  for (size_t i = 0; i < a["items"].size(); ++i) CHECK(a["items"][i]["status"] == b["items"][i]["status"]);

  // The summary files: rows in the file's order, a hostile name stays text.
  std::string csv = slurp(dir / "out/fleet.csv");
  CHECK(csv.rfind("\xEF\xBB\xBF" "name,group,homepage,status", 0) == 0);
  CHECK(csv.find("ช้า") < csv.find("แก้แล้ว"));
  std::string html = slurp(dir / "out/fleet.html");
  CHECK(html.find("<script>alert") == std::string::npos);
  CHECK(html.find("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;") != std::string::npos);
  CHECK(html.find("script-src 'sha256-") != std::string::npos);
  CHECK(html.find("ข้อที่ไม่ผ่านมากที่สุด") != std::string::npos);

  // One slow site does not hold up the others: the fast sites are reported while it crawls.
  auto at = [&](const std::string& url) { return run.out.find("] checked   " + url); };
  REQUIRE(at(url_of(sites.slow)) != std::string::npos);
  for (auto* fast : {&sites.seed, &sites.fixed, &sites.wp}) CHECK(at(url_of(*fast)) < at(url_of(sites.slow)));
}

TEST_CASE("fleet: bad input is refused before any crawl") {
  TempDir dir;
  std::ofstream(dir / "sites.csv") << "name,homepage,rules\nA,http://127.0.0.1:9/,no-such-rules\n";
  auto run = run_oitcheck({"fleet", dir / "sites.csv", "--out", dir / "out"});
  CHECK(run.exit_code == 3);
  CHECK(run.err.find("no-such-rules") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(dir / "out/fleet.json"));
  auto no_db = run_oitcheck({"worker", "--out", dir / "w"});
  CHECK(no_db.exit_code == 1);
  CHECK(no_db.err.find("--db postgresql://") != std::string::npos);
}

// A real PostgreSQL server from Debian's packages, started for this test (tests/pg/pg_server.sh).
class PostgresServer {
 public:
  PostgresServer() {
    // Below Linux's ephemeral range (32768 up), so no client's socket holds it; the script tries the next if busy.
    int first_port = 20000 + getpid() % 12000;
    auto started = run_program("/bin/sh", {OITCHECK_SOURCE_DIR "/tests/pg/pg_server.sh", "start", dir_.path() + "/pg",
                                           std::to_string(first_port)});
    INFO(started.err);
    REQUIRE_MESSAGE(started.exit_code == 0, "PostgreSQL did not start; scripts/setup.sh --with-test-tools installs it");
    port_ = std::stoi(started.out);
  }
  ~PostgresServer() { run_program("/bin/sh", {OITCHECK_SOURCE_DIR "/tests/pg/pg_server.sh", "stop", dir_.path() + "/pg"}); }
  std::string url() const { return "postgresql://oitcheck@127.0.0.1:" + std::to_string(port_) + "/oitcheck"; }

 private:
  TempDir dir_;
  int port_ = 0;
};

TEST_CASE("fleet workers on PostgreSQL: one killed half-way, every site reported once, same verdicts") {
  FleetSites sites;
  PostgresServer pg;
  TempDir dir;
  // The slow site third, so the first worker has finished two when it dies.
  std::ofstream(dir / "sites.csv") << "name,homepage,group\n"
                                   << "ก," << url_of(sites.seed) << ",1\n"
                                   << "ข," << url_of(sites.fixed) << ",1\n"
                                   << "ช้า," << url_of(sites.slow) << ",2\n"
                                   << "ค," << url_of(sites.wp) << ",2\n"
                                   << "ปิด," << sites.down << ",3\n";
  auto queued = run_oitcheck({"fleet", dir / "sites.csv", "--rules", "ita-2566", "--db", pg.url(), "--enqueue",
                              "--round", "test-round"});
  INFO(queued.err);
  REQUIRE(queued.exit_code == 0);

  auto db = open_sql_db(pg.url());
  REQUIRE(db);
  auto state_of = [&](const std::string& homepage) {
    auto r = (*db)->query("SELECT state FROM fleet_queue WHERE round='test-round' AND homepage=$1", {homepage});
    return r && !r->empty() ? sql_text(r->front(), 0) : std::string();
  };
  std::vector<std::string> worker_args = {"worker", "--db", pg.url(), "--round", "test-round", "--fiscal-year", "2566",
                                          "--lease", "2", "--timeout", "10"};
  // Worker A takes one site at a time; it is killed while it holds the slow site's lease.
  int worker_a = 0;
  std::thread a([&] {
    auto args = worker_args;
    args.insert(args.end(), {"--out", dir / "a", "--sites-at-once", "1"});
    run_oitcheck(args, [&](int pid) { worker_a = pid; });
  });
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (state_of(url_of(sites.slow)) != "leased" && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  REQUIRE(state_of(url_of(sites.slow)) == "leased");
  CHECK(state_of(url_of(sites.seed)) == "done");
  CHECK(state_of(url_of(sites.fixed)) == "done");
  REQUIRE(worker_a > 0);
  kill(worker_a, SIGKILL);
  a.join();

  auto args = worker_args;
  args.insert(args.end(), {"--out", dir / "b", "--sites-at-once", "2"});
  auto b = run_oitcheck(args);
  INFO(b.out, b.err);
  CHECK(b.exit_code == 0);

  auto counts = (*db)->query(
      "SELECT q.homepage, q.state, q.attempts, (SELECT count(*) FROM runs r WHERE r.site = q.homepage) "
      "FROM fleet_queue q WHERE round='test-round'");
  REQUIRE(counts);
  REQUIRE(counts->size() == 5);
  for (const auto& r : *counts) {
    INFO(sql_text(r, 0));
    CHECK(sql_text(r, 1) == "done");
    // Reachable sites have exactly one recorded run; the down site none (it is a failed row).
    CHECK(sql_int(r, 3) == (sql_text(r, 0) == sites.down ? 0 : 1));
    if (sql_text(r, 0) == url_of(sites.slow)) CHECK(sql_int(r, 2) == 2);  // taken over after A died
  }

  auto summary = run_oitcheck({"fleet-summary", "--db", pg.url(), "--round", "test-round", "--out", dir / "summary"});
  INFO(summary.err);
  CHECK(summary.exit_code == 2);
  json shared = json::parse(slurp(dir / "summary/fleet.json"));
  CHECK(shared["totals"]["checked"] == 4);

  // The same fleet in one process gives the same verdicts.
  auto single = run_oitcheck({"fleet", dir / "sites.csv", "--rules", "ita-2566", "--fiscal-year", "2566", "--out",
                              dir / "single", "--history", dir / "h.sqlite", "--timeout", "10"});
  CHECK(single.exit_code == 2);
  CHECK(verdict_table(shared) == verdict_table(json::parse(slurp(dir / "single/fleet.json"))));

  // Without the queue, --db keeps one process's runs in PostgreSQL as well.
  auto before = (*db)->query("SELECT count(*) FROM runs");
  REQUIRE(before);
  auto direct = run_oitcheck({"fleet", dir / "sites.csv", "--rules", "ita-2566", "--fiscal-year", "2566", "--out",
                              dir / "direct", "--db", pg.url(), "--timeout", "10"});
  CHECK(direct.exit_code == 2);
  auto after = (*db)->query("SELECT count(*) FROM runs");
  REQUIRE(after);
  CHECK(sql_int(after->front(), 0) == sql_int(before->front(), 0) + 4);
}

TEST_CASE("fleet: Ctrl-C keeps every finished site and lists the rest as interrupted") {
  FleetSites sites;
  FixtureServer slow_too(fixture("fleet/slow-office"));  // cannot finish before Ctrl-C either
  slow_too.start();
  TempDir dir;
  std::ofstream(dir / "sites.csv") << "name,homepage\n"
                                   << "seed," << url_of(sites.seed) << "\n"
                                   << "slow," << url_of(sites.slow) << "\n"
                                   << "slow too," << url_of(slow_too) << "\n";
  std::string seed_report = dir / "out/127.0.0.1_" + std::to_string(sites.seed.port()) + "/report.json";
  CommandResult run;
  std::thread fleet([&] {
    run = run_oitcheck({"fleet", dir / "sites.csv", "--rules", "ita-2566", "--fiscal-year", "2566", "--out", dir / "out",
                        "--history", dir / "h.sqlite", "--sites-at-once", "2"},
                       [&](int pid) {
                         auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
                         while (!std::filesystem::exists(seed_report) && std::chrono::steady_clock::now() < deadline)
                           std::this_thread::sleep_for(std::chrono::milliseconds(20));
                         kill(pid, SIGINT);
                       });
  });
  fleet.join();
  INFO(run.out, run.err);
  CHECK(run.exit_code == 130);
  json summary = json::parse(slurp(dir / "out/fleet.json"));
  auto by = sites_by_homepage(summary);
  REQUIRE(by.size() == 3);
  CHECK(by[url_of(sites.seed)]["status"] == "checked");  // finished before Ctrl-C: kept
  CHECK(by[url_of(sites.slow)]["status"] == "interrupted");
  // Started just before Ctrl-C, or never started: either way listed, not forgotten.
  CHECK(by[url_of(slow_too)]["status"] == "interrupted");
}
