#include "crawler/run_job.hpp"

#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>

#include "reports/checklist.hpp"
#include "reports/history.hpp"
#include "reports/render.hpp"
#include "rules/answers_file.hpp"
#include "rules/ruleset.hpp"
#include "rules/thai_text.hpp"

namespace oit {
using nlohmann::json;

namespace {

void print_crawl_summary(const CrawlSummary& s, const CrawlOptions& o) {
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

void print_checklist(const json& report, labels::Lang lang) {
  bool th = lang == labels::Lang::th;
  auto score = labels::score_of(report);
  std::printf(th ? "\nรายการตรวจ %s ปีงบประมาณ %d: ผ่าน %zu จาก %zu ข้อ (คะแนน %s ระดับ %s)\n"
                 : "\nChecklist %s, fiscal year %d: %zu of %zu items ok (score %s, grade %s)\n",
              labels::text(report["rules"], "id").c_str(), report.value("fiscal_year", 0), score.ok, score.total,
              labels::percent_text(score.now).c_str(), labels::grade(score.now));
  if (!report["rules"].value("complete", true))
    std::printf(th ? "หมายเหตุ: ชุดกฎนี้ยังไม่ครบทุกข้อ (%s)\n" : "Note: this rule set is incomplete (%s)\n",
                labels::text(report["rules"], "note").c_str());
  for (const auto& w : report.value("warnings", json::array()))
    std::printf(th ? "คำเตือน: %s\n" : "Warning: %s\n", labels::text(w, th ? "th" : "en").c_str());
  for (const auto& item : report["items"]) {
    std::string status = labels::text(item, "status");
    std::printf("  %-4s %-24s %s\n", labels::text(item, "code").c_str(), labels::status(status, lang),
                labels::text(item, th || labels::text(item, "name_en").empty() ? "name_th" : "name_en").c_str());
    if (status != "ok")
      std::printf(th ? "         แก้ไข: %s\n" : "         fix: %s\n", labels::text(item, th ? "fix_th" : "fix_en").c_str());
  }
  if (report.contains("changes")) {
    const json& c = report["changes"];
    std::printf(th ? "\nเทียบกับครั้งก่อน (%s): แย่ลง %zu ข้อ, แก้แล้ว %zu ข้อ, หลักฐานย้าย %zu ข้อ\n"
                   : "\nSince the last run (%s): %zu regressions, %zu fixed, %zu moved\n",
                labels::text(c, "previous_finished_at").c_str(), c["regressions"].size(), c["fixes"].size(),
                c["moved"].size());
  }
}

void print_answers(const json& report, labels::Lang lang) {
  bool th = lang == labels::Lang::th;
  size_t ok = 0, total = 0;
  for (const auto& a : report["answers"]) {
    ++total;
    ok += labels::text(a, "verdict") == "ok";
  }
  std::printf(th ? "\nคำตอบที่จะส่ง: ผ่าน %zu จาก %zu\n" : "\nAnswers to be submitted: %zu of %zu ok\n", ok, total);
  for (const auto& a : report["answers"]) {
    std::string verdict = labels::text(a, "verdict");
    std::printf("  %-4s %-26s %s\n", labels::text(a, "code").c_str(), labels::answer_verdict(verdict, lang),
                labels::text(a, "url").c_str());
    if (verdict != "ok")
      std::printf(th ? "         แก้ไข: %s\n" : "         fix: %s\n", labels::text(a, th ? "fix_th" : "fix_en").c_str());
  }
}

// The notification command gets the facts in its environment, never spliced into the command.
void notify(const NotifySettings& n, const json& report, const std::string& out_dir, size_t regressions) {
  if (n.command.empty()) return;
  auto score = labels::score_of(report);
  bool due = n.when == "always" || (n.when == "not_ok" && score.ok < score.total) || regressions > 0;
  if (!due) return;
  setenv("OITCHECK_SITE", labels::text(report, "site").c_str(), 1);
  setenv("OITCHECK_REPORT_DIR", out_dir.c_str(), 1);
  setenv("OITCHECK_SCORE", labels::percent_text(score.now).c_str(), 1);
  setenv("OITCHECK_ITEMS_NOT_OK", std::to_string(score.total - score.ok).c_str(), 1);
  setenv("OITCHECK_REGRESSIONS", std::to_string(regressions).c_str(), 1);
  int rc = std::system(n.command.c_str());
  if (rc != 0)
    std::fprintf(stderr, "oitcheck: the notification command failed (exit %d): %s\n",
                 WIFEXITED(rc) ? WEXITSTATUS(rc) : rc, n.command.c_str());
}

}  // namespace

int execute(const RunJob& job) {
  std::optional<RuleSet> rules;
  if (!job.rules.empty()) {
    auto loaded = load_rule_set(rule_set_path(job.rules));
    if (!loaded) {
      for (const auto& e : loaded.error()) std::fprintf(stderr, "oitcheck: %s\n", e.message().c_str());
      return kExitBadInput;
    }
    rules = std::move(*loaded);
  }
  std::optional<std::vector<Answer>> answers;
  CrawlOptions crawl_options = job.crawl;
  if (!job.answers_path.empty()) {
    if (!rules) {
      std::fprintf(stderr, "oitcheck audit: give the rule set the answers are for with --rules\n");
      return kExitRunError;
    }
    auto loaded = load_answers(job.answers_path, *rules);
    if (!loaded) {
      for (const auto& e : loaded.error()) std::fprintf(stderr, "oitcheck: %s\n", e.message().c_str());
      return kExitBadInput;
    }
    answers = std::move(*loaded);
    for (const auto& a : *answers) crawl_options.extra_urls.push_back(a.url);  // checked even if nothing links them
  }
  if (job.crawl.client.insecure)
    std::fprintf(stderr, "oitcheck: WARNING: --insecure is on: TLS certificates are not verified\n");
  auto crawled = run_crawl(crawl_options);
  if (!crawled) {
    std::fprintf(stderr, "oitcheck: %s\n", crawled.error().message.c_str());
    return crawled.error().exit_code;
  }
  print_crawl_summary(*crawled, job.crawl);
  if (crawled->interrupted) return kExitInterrupted;
  if (!rules) return kExitOk;

  auto checked = check_and_report(job, *rules, answers ? &*answers : nullptr, history_for(job).get());
  if (!checked) {
    std::fprintf(stderr, "oitcheck: %s\n", checked.error().c_str());
    return kExitRunError;
  }
  const json& report = checked->report;
  if (!job.quiet_checklist) print_checklist(report, job.lang);
  std::printf("\nreports: %s/report.html, checklist.md, checklist.csv, ita-page.html, report.json\n",
              job.crawl.out_dir.c_str());
  if (answers) print_answers(report, job.lang);
  notify(job.notify, report, job.crawl.out_dir, checked->regressions);
  return checked->exit_code;
}

std::unique_ptr<History> history_for(const RunJob& job) {
  // History problems (a read-only home, a locked file) must not cost the report itself.
  std::string path = job.history_path.empty() ? default_history_path() : job.history_path;
  auto history = History::open(path);
  if (!history) {
    std::fprintf(stderr, "oitcheck: warning: %s; this run is not recorded\n", history.error().c_str());
    return nullptr;
  }
  return std::make_unique<History>(std::move(*history));
}

tl::expected<CheckedSite, std::string> check_and_report(const RunJob& job, const RuleSet& rules,
                                                        const std::vector<Answer>* answers, History* history,
                                                        bool record_run) {
  CheckOptions check;
  check.fiscal_year = job.fiscal_year.value_or(text::current_fiscal_year(std::chrono::system_clock::now()));
  check.max_clicks = job.max_clicks;
  auto checked = build_checklist(job.crawl.out_dir, rules, check, answers);
  if (!checked) return tl::unexpected(checked.error());
  CheckedSite out;
  json& report = out.report = std::move(checked->report);
  std::string site = labels::text(report, "site");
  if (history) {
    if (job.compare_last || job.nightly) {
      if (auto previous = history->last_run(site, rules.id)) {
        report["changes"] = compare_runs(*previous, report);
        out.regressions = report["changes"]["regressions"].size();
      }
    }
    json trend = json::array();
    for (const auto& run : history->runs(site, 30))
      if (run.rules_id == rules.id) trend.push_back({{"finished_at", run.finished_at}, {"percent", run.percent}});
    if (!trend.empty()) {
      trend.push_back({{"finished_at", labels::text(report["run"], "finished_at")}, {"percent", report["score"]["percent"]}});
      report["history"] = trend;
    }
  }
  if (auto written = write_all_reports(report, job.crawl.out_dir, job.lang); !written) return tl::unexpected(written.error());
  if (history && record_run) {
    if (auto recorded = history->record(report, job.crawl.out_dir); !recorded)
      std::fprintf(stderr, "oitcheck: warning: %s\n", recorded.error().c_str());
    else if (auto pruned = history->prune(site, job.keep_runs); !pruned)
      std::fprintf(stderr, "oitcheck: warning: %s\n", pruned.error().c_str());
  }
  if (job.nightly && out.regressions) out.exit_code = kExitRegression;
  else if (answers) out.exit_code = checked->answers_not_ok ? kExitNotOk : kExitOk;
  else out.exit_code = checked->not_ok ? kExitNotOk : kExitOk;
  return out;
}

}  // namespace oit
