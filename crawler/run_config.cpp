#include "crawler/run_config.hpp"

namespace oit {
using nlohmann::json;

tl::expected<RunJob, std::vector<InputError>> load_run_config(const std::string& path, const RunJob& defaults) {
  std::vector<InputError> file_errors;
  json doc = JsonReader::parse_file(path, file_errors);
  if (doc.is_discarded()) return tl::unexpected(file_errors);
  JsonReader r(path);
  RunJob job = defaults;
  r.only_keys(doc, "", {"site", "rules", "out", "fiscal_year", "lang", "history", "keep_runs", "bounds", "politeness",
                        "check_external", "allow_hosts", "notify"});
  job.crawl.homepage = r.string(doc, "", "site", true);
  job.crawl.out_dir = r.string(doc, "", "out", true);
  job.rules = r.string(doc, "", "rules", true);
  if (doc.contains("fiscal_year")) job.fiscal_year = r.integer(doc, "", "fiscal_year", 2500, 2700, 0, false);
  std::string lang = r.string(doc, "", "lang", false);
  if (lang == "en") job.lang = labels::Lang::en;
  else if (!lang.empty() && lang != "th") r.fail("/lang", "\"th\" or \"en\"", describe(doc["lang"]));
  job.history_path = r.string(doc, "", "history", false);
  job.keep_runs = static_cast<size_t>(r.integer(doc, "", "keep_runs", 0, 100000, static_cast<int>(job.keep_runs), false));
  job.crawl.check_external = r.boolean(doc, "", "check_external", job.crawl.check_external);
  auto hosts = r.strings(doc, "", "allow_hosts");
  job.crawl.extra_hosts.insert(job.crawl.extra_hosts.end(), hosts.begin(), hosts.end());

  json bounds = r.object(doc, "", "bounds");
  r.only_keys(bounds, "/bounds", {"max_pages", "max_depth", "max_clicks", "time_budget", "timeout", "connect_timeout",
                                  "max_bytes", "max_redirects"});
  auto& f = job.crawl.frontier;
  f.max_pages = static_cast<size_t>(r.integer(bounds, "/bounds", "max_pages", 1, 10000000, static_cast<int>(f.max_pages), false));
  f.max_depth = r.integer(bounds, "/bounds", "max_depth", 1, 100, f.max_depth, false);
  if (bounds.contains("max_clicks")) job.max_clicks = r.integer(bounds, "/bounds", "max_clicks", 1, 20, 3, false);
  job.crawl.time_budget_seconds = r.number(bounds, "/bounds", "time_budget", 0, 7 * 24 * 3600, job.crawl.time_budget_seconds);
  job.crawl.client.timeout_ms =
      static_cast<long>(1000 * r.number(bounds, "/bounds", "timeout", 1, 3600, static_cast<double>(job.crawl.client.timeout_ms) / 1000.0));
  job.crawl.client.connect_timeout_ms = static_cast<long>(
      1000 * r.number(bounds, "/bounds", "connect_timeout", 1, 600, static_cast<double>(job.crawl.client.connect_timeout_ms) / 1000.0));
  job.crawl.max_body_bytes = static_cast<size_t>(
      r.number(bounds, "/bounds", "max_bytes", 1024, 1e9, static_cast<double>(job.crawl.max_body_bytes)));
  job.crawl.max_redirects = r.integer(bounds, "/bounds", "max_redirects", 0, 50, job.crawl.max_redirects, false);

  json polite = r.object(doc, "", "politeness");
  r.only_keys(polite, "/politeness", {"concurrency", "rate", "ignore_robots"});
  f.per_host_concurrency = r.integer(polite, "/politeness", "concurrency", 1, 64, f.per_host_concurrency, false);
  job.crawl.client.max_host_connections = f.per_host_concurrency;
  f.rate_per_host = r.number(polite, "/politeness", "rate", 0, 1000, f.rate_per_host);
  f.obey_robots = !r.boolean(polite, "/politeness", "ignore_robots", !f.obey_robots);

  json notify = r.object(doc, "", "notify");
  r.only_keys(notify, "/notify", {"command", "when"});
  job.notify.command = r.string(notify, "/notify", "command", false);
  std::string when = r.string(notify, "/notify", "when", false);
  if (!when.empty()) {
    if (when != "regression" && when != "not_ok" && when != "always")
      r.fail("/notify/when", "\"regression\", \"not_ok\" or \"always\"", describe(notify["when"]));
    else
      job.notify.when = when;
  }
  if (!r.errors.empty()) return tl::unexpected(r.errors);
  return job;
}

}  // namespace oit
