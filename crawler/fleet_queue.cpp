#include "crawler/fleet_queue.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <random>

#include "crawler/strings.hpp"

namespace oit {
using nlohmann::json;

namespace {

const char* kQueueSchema = R"SQL(
CREATE TABLE IF NOT EXISTS fleet_queue(
  round TEXT NOT NULL, position INTEGER NOT NULL, name TEXT NOT NULL, homepage TEXT NOT NULL,
  rules TEXT NOT NULL DEFAULT '', grp TEXT NOT NULL DEFAULT '', folder TEXT NOT NULL,
  enqueued_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  state TEXT NOT NULL DEFAULT 'queued',        -- queued, leased, done
  lease_owner TEXT, lease_until TIMESTAMPTZ, attempts INTEGER NOT NULL DEFAULT 0,
  status TEXT, error TEXT, warnings TEXT, run_id BIGINT, report_dir TEXT, finished_by TEXT, finished_at TIMESTAMPTZ,
  PRIMARY KEY(round, homepage));
CREATE INDEX IF NOT EXISTS fleet_queue_state ON fleet_queue(round, state, position);
)SQL";
constexpr int64_t kQueueSchemaLock = 0x6f697471;

tl::expected<std::shared_ptr<SqlDb>, std::string> open_queue_db(const std::string& db_url) {
  if (!is_postgres_url(db_url))
    return tl::unexpected("the shared queue needs PostgreSQL: give --db postgresql://user@host/dbname, not " + db_url);
  auto db = open_sql_db(db_url);
  if (!db) return db;
  (void)(*db)->query("SELECT pg_advisory_lock($1)", {kQueueSchemaLock});
  auto created = (*db)->script(kQueueSchema);
  (void)(*db)->query("SELECT pg_advisory_unlock($1)", {kQueueSchemaLock});
  if (!created) return tl::unexpected("cannot create the fleet queue in " + (*db)->name() + ": " + created.error());
  return db;
}

std::string random_hex(size_t n) {
  std::random_device rd;
  std::string out;
  const char* digits = "0123456789abcdef";
  for (size_t i = 0; i < n; ++i) out += digits[rd() % 16];
  return out;
}

std::string worker_name() {
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  return std::string(host) + ":" + std::to_string(getpid()) + ":" + random_hex(6);
}

const char* kLeaseUntil = "now() + $2::double precision * interval '1 second'";

}  // namespace

tl::expected<std::string, std::string> enqueue_round(const std::string& db_url, const std::vector<FleetSite>& sites,
                                                     std::string round) {
  auto db = open_queue_db(db_url);
  if (!db) return tl::unexpected(db.error());
  if (round.empty()) {
    round = strings::utc_text(std::chrono::system_clock::now(), "%Y%m%dT%H%M%SZ") + "-" + random_hex(4);
  }
  if (auto began = (*db)->begin(); !began) return tl::unexpected(began.error());
  for (size_t i = 0; i < sites.size(); ++i) {
    const auto& s = sites[i];
    auto added = (*db)->query(
        "INSERT INTO fleet_queue(round, position, name, homepage, rules, grp, folder) VALUES($1,$2,$3,$4,$5,$6,$7)",
        {round, static_cast<int64_t>(i), s.name, s.homepage, s.rules, s.group, s.folder});
    if (!added) {
      (void)(*db)->script("ROLLBACK");
      return tl::unexpected("cannot queue " + s.homepage + " in round " + round + ": " + added.error());
    }
  }
  if (auto committed = (*db)->script("COMMIT"); !committed) return tl::unexpected(committed.error());
  return round;
}

tl::expected<std::vector<FleetRow>, std::string> round_rows(const std::string& db_url, const std::string& round) {
  auto db = open_queue_db(db_url);
  if (!db) return tl::unexpected(db.error());
  auto history = History::on(*db);
  if (!history) return tl::unexpected(history.error());
  auto rows = (*db)->query(
      "SELECT name, grp, homepage, state, COALESCE(status,''), COALESCE(error,''), COALESCE(warnings,''), "
      "COALESCE(run_id,0), COALESCE(report_dir,'') FROM fleet_queue WHERE round=$1 ORDER BY position",
      {round});
  if (!rows) return tl::unexpected(rows.error());
  if (rows->empty()) return tl::unexpected("the queue has no round " + round);
  std::vector<FleetRow> out;
  for (const auto& r : *rows) {
    FleetRow row;
    row.name = sql_text(r, 0);
    row.group = sql_text(r, 1);
    row.homepage = sql_text(r, 2);
    row.report_dir = sql_text(r, 8);
    row.status = sql_text(r, 4);
    row.error = sql_text(r, 5);
    if (sql_text(r, 3) != "done") {
      row.status = "interrupted";
      row.error = "not finished yet (" + sql_text(r, 3) + ")";
    }
    for (std::string w = sql_text(r, 6); !w.empty();) {
      auto comma = w.find(',');
      row.warnings.push_back(w.substr(0, comma));
      w = comma == std::string::npos ? "" : w.substr(comma + 1);
    }
    if (int64_t run_id = sql_int(r, 7); run_id && row.status == "checked") {
      if (auto run = history->run(run_id)) {
        row.rules_id = run->rules_id;
        row.finished_at = run->finished_at;
        row.percent = run->percent;
        row.ok = run->ok;
        row.total = run->total;
        row.pages = run->pages;
        row.complete = run->complete;
      }
      for (const auto& v : history->verdicts(run_id))
        row.items.push_back({labels::text(v, "id"), labels::text(v, "code"), labels::text(v, "name_th"),
                             labels::text(v, "status")});
    }
    out.push_back(std::move(row));
  }
  return out;
}

tl::expected<std::unique_ptr<QueueSource>, std::string> QueueSource::open(const std::string& db_url, std::string round,
                                                                          double lease_seconds, std::string report_root) {
  auto db = open_queue_db(db_url);
  if (!db) return tl::unexpected(db.error());
  auto history = History::on(*db);
  if (!history) return tl::unexpected(history.error());
  if (round.empty()) {
    // The newest round with work left.
    auto latest = (*db)->query(
        "SELECT round FROM fleet_queue WHERE state <> 'done' GROUP BY round ORDER BY max(enqueued_at) DESC LIMIT 1");
    if (!latest) return tl::unexpected(latest.error());
    if (latest->empty()) return tl::unexpected(std::string("the queue has no unfinished round; queue one with oitcheck fleet SITES --db URL --enqueue"));
    round = sql_text(latest->front(), 0);
  }
  return std::unique_ptr<QueueSource>(new QueueSource(std::move(*db), std::move(*history), std::move(round),
                                                      lease_seconds, std::move(report_root), db_url));
}

QueueSource::QueueSource(std::shared_ptr<SqlDb> db, History history, std::string round, double lease_seconds,
                         std::string report_root, std::string db_url)
    : db_(std::move(db)),
      history_(std::move(history)),
      round_(std::move(round)),
      worker_(worker_name()),
      report_root_(std::move(report_root)),
      lease_seconds_(lease_seconds) {
  heartbeat_ = std::thread([this, db_url] { heartbeat(db_url); });
}

QueueSource::~QueueSource() {
  stopping_ = true;
  heartbeat_.join();
}

// Renews this worker's leases every third of a lease, on its own connection (libpq
// connections are not shared between threads). If the worker dies, the renewals stop.
void QueueSource::heartbeat(std::string db_url) {
  auto db = open_sql_db(db_url);
  if (!db) {
    std::fprintf(stderr, "oitcheck worker: warning: no heartbeat connection (%s); long sites may be taken over\n",
                 db.error().c_str());
    return;
  }
  auto period = std::chrono::duration<double>(std::max(0.5, lease_seconds_ / 3));
  auto next = std::chrono::steady_clock::now();
  while (!stopping_) {
    if (std::chrono::steady_clock::now() >= next) {
      (void)(*db)->query(std::string("UPDATE fleet_queue SET lease_until = ") + kLeaseUntil +
                             " WHERE lease_owner = $1 AND state = 'leased'",
                         {worker_, lease_seconds_});
      next = std::chrono::steady_clock::now() + std::chrono::duration_cast<std::chrono::steady_clock::duration>(period);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

SiteSource::Next QueueSource::next() {
  auto claimed = db_->query(
      std::string("UPDATE fleet_queue q SET state = 'leased', lease_owner = $3, lease_until = ") + kLeaseUntil +
          ", attempts = q.attempts + 1 FROM (SELECT round, homepage FROM fleet_queue WHERE round = $1 AND "
          "(state = 'queued' OR (state = 'leased' AND lease_until < now())) ORDER BY position LIMIT 1 "
          "FOR UPDATE SKIP LOCKED) pick WHERE q.round = pick.round AND q.homepage = pick.homepage "
          "RETURNING q.name, q.homepage, q.rules, q.grp, q.folder",
      {round_, lease_seconds_, worker_});
  if (!claimed) {
    std::fprintf(stderr, "oitcheck worker: cannot take a site from the queue: %s\n", claimed.error().c_str());
    return {};
  }
  if (!claimed->empty()) {
    const auto& r = claimed->front();
    return {Answer::site, FleetSite{sql_text(r, 0), sql_text(r, 1), sql_text(r, 2), sql_text(r, 3), sql_text(r, 4)}};
  }
  auto left = db_->query("SELECT count(*) FROM fleet_queue WHERE round = $1 AND state <> 'done'", {round_});
  return {left && !left->empty() && sql_int(left->front(), 0) > 0 ? Answer::wait : Answer::end, {}};
}

void QueueSource::done(const FleetSite& site, const FleetRow& row, const json* report) {
  if (row.status == "interrupted") {
    (void)db_->query(
        "UPDATE fleet_queue SET state = 'queued', lease_owner = NULL, lease_until = NULL "
        "WHERE round = $1 AND homepage = $2 AND lease_owner = $3 AND state = 'leased'",
        {round_, site.homepage, worker_});
    return;
  }
  std::string warnings;
  for (const auto& w : row.warnings) warnings += (warnings.empty() ? "" : ",") + w;
  std::string report_dir = report_root_ + "/" + site.folder;
  auto fail = [&](const std::string& why) {
    (void)db_->script("ROLLBACK");
    std::fprintf(stderr, "oitcheck worker: %s: %s\n", site.homepage.c_str(), why.c_str());
  };
  if (auto began = db_->begin(); !began) return fail(began.error());
  auto marked = db_->query(
      "UPDATE fleet_queue SET state = 'done', status = $4, error = $5, warnings = $6, report_dir = $7, "
      "finished_by = $3, finished_at = now() "
      "WHERE round = $1 AND homepage = $2 AND lease_owner = $3 AND state = 'leased' RETURNING 1",
      {round_, site.homepage, worker_, row.status, row.error, warnings, report_dir});
  if (!marked) return fail(marked.error());
  if (marked->empty()) return fail("its lease passed to another worker, which reports it instead");
  if (report) {
    auto run_id = history_.add_run(*report, report_dir);
    if (!run_id) return fail(run_id.error());
    auto linked = db_->query("UPDATE fleet_queue SET run_id = $3 WHERE round = $1 AND homepage = $2",
                             {round_, site.homepage, *run_id});
    if (!linked) return fail(linked.error());
  }
  if (auto committed = db_->script("COMMIT"); !committed) fail(committed.error());
}

}  // namespace oit
