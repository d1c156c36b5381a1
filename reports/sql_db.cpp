#include "reports/sql_db.hpp"

#include <libpq-fe.h>
#include <sqlite3.h>

#include <cstdlib>
#include <filesystem>

namespace oit {
namespace {

std::string text_of(const SqlValue& v) {
  if (auto* i = std::get_if<int64_t>(&v)) return std::to_string(*i);
  if (auto* d = std::get_if<double>(&v)) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.17g", *d);
    return buf;
  }
  return std::get<std::string>(v);
}

class SqliteDb : public SqlDb {
 public:
  SqliteDb(sqlite3* db, std::string path) : SqlDb(false, std::move(path)), db_(db) {}
  ~SqliteDb() override { sqlite3_close(db_); }

  tl::expected<std::vector<SqlRow>, std::string> query(const std::string& sql, const std::vector<SqlValue>& params) override {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) return tl::unexpected(error());
    for (size_t i = 0; i < params.size(); ++i) {
      // "$1" is a named parameter to SQLite; the same name twice is the same parameter.
      int at = sqlite3_bind_parameter_index(stmt, ("$" + std::to_string(i + 1)).c_str());
      if (at == 0) continue;
      const SqlValue& v = params[i];
      if (std::holds_alternative<std::nullptr_t>(v)) sqlite3_bind_null(stmt, at);
      else if (auto* n = std::get_if<int64_t>(&v)) sqlite3_bind_int64(stmt, at, *n);
      else if (auto* d = std::get_if<double>(&v)) sqlite3_bind_double(stmt, at, *d);
      else {
        const auto& s = std::get<std::string>(v);
        sqlite3_bind_text(stmt, at, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
      }
    }
    std::vector<SqlRow> rows;
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      SqlRow row;
      for (int c = 0; c < sqlite3_column_count(stmt); ++c) {
        const unsigned char* t = sqlite3_column_text(stmt, c);
        row.push_back(t ? std::optional<std::string>(reinterpret_cast<const char*>(t)) : std::nullopt);
      }
      rows.push_back(std::move(row));
    }
    sqlite3_finalize(stmt);
    if (rc != SQLITE_DONE) return tl::unexpected(error());
    return rows;
  }

  tl::expected<void, std::string> script(const std::string& sql) override {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) == SQLITE_OK) return {};
    std::string why = err ? err : "unknown error";
    sqlite3_free(err);
    return tl::unexpected(why);
  }

  tl::expected<void, std::string> begin() override { return script("BEGIN IMMEDIATE"); }

 private:
  std::string error() const { return sqlite3_errmsg(db_); }
  sqlite3* db_;
};

class PostgresDb : public SqlDb {
 public:
  PostgresDb(PGconn* conn, std::string name) : SqlDb(true, std::move(name)), conn_(conn) {}
  ~PostgresDb() override { PQfinish(conn_); }

  tl::expected<std::vector<SqlRow>, std::string> query(const std::string& sql, const std::vector<SqlValue>& params) override {
    std::vector<std::string> texts;
    texts.reserve(params.size());
    std::vector<const char*> values;
    for (const auto& p : params) {
      if (std::holds_alternative<std::nullptr_t>(p)) {
        values.push_back(nullptr);
        continue;
      }
      texts.push_back(text_of(p));
      values.push_back(texts.back().c_str());
    }
    PGresult* r = PQexecParams(conn_, sql.c_str(), static_cast<int>(values.size()), nullptr, values.data(), nullptr,
                               nullptr, 0);
    auto status = PQresultStatus(r);
    if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
      std::string why = PQresultErrorMessage(r);
      PQclear(r);
      while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
      return tl::unexpected(why);
    }
    std::vector<SqlRow> rows;
    for (int i = 0; i < PQntuples(r); ++i) {
      SqlRow row;
      for (int c = 0; c < PQnfields(r); ++c)
        row.push_back(PQgetisnull(r, i, c) ? std::nullopt : std::optional<std::string>(PQgetvalue(r, i, c)));
      rows.push_back(std::move(row));
    }
    PQclear(r);
    return rows;
  }

  tl::expected<void, std::string> script(const std::string& sql) override {
    PGresult* r = PQexec(conn_, sql.c_str());
    bool ok = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;
    std::string why = ok ? "" : PQresultErrorMessage(r);
    PQclear(r);
    if (ok) return {};
    return tl::unexpected(why);
  }

  tl::expected<void, std::string> begin() override { return script("BEGIN"); }

 private:
  PGconn* conn_;
};

// The URL without its password, for messages.
std::string redacted(const std::string& url) {
  auto scheme = url.find("://");
  auto at = url.find('@');
  if (scheme == std::string::npos || at == std::string::npos || at < scheme) return url;
  auto colon = url.find(':', scheme + 3);
  if (colon == std::string::npos || colon > at) return url;
  return url.substr(0, colon) + ":***" + url.substr(at);
}

}  // namespace

bool is_postgres_url(const std::string& target) {
  return target.rfind("postgresql://", 0) == 0 || target.rfind("postgres://", 0) == 0;
}

tl::expected<std::shared_ptr<SqlDb>, std::string> open_sql_db(const std::string& target) {
  if (is_postgres_url(target)) {
    PGconn* conn = PQconnectdb(target.c_str());
    if (PQstatus(conn) != CONNECTION_OK) {
      std::string why = PQerrorMessage(conn);
      PQfinish(conn);
      while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
      return tl::unexpected("cannot connect to PostgreSQL at " + redacted(target) + ": " + why);
    }
    PQsetClientEncoding(conn, "UTF8");
    // "relation already exists, skipping" and the like are not for the user.
    PQsetNoticeProcessor(conn, [](void*, const char*) {}, nullptr);
    return std::make_shared<PostgresDb>(conn, redacted(target));
  }
  std::error_code ec;
  auto parent = std::filesystem::path(target).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(target.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK) {
    std::string why = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    return tl::unexpected("cannot open " + target + ": " + why);
  }
  sqlite3_busy_timeout(db, 10000);  // two nightly jobs may finish at once
  return std::make_shared<SqliteDb>(db, target);
}

std::string sql_text(const SqlRow& row, size_t col) { return col < row.size() && row[col] ? *row[col] : ""; }
int64_t sql_int(const SqlRow& row, size_t col) { return std::strtoll(sql_text(row, col).c_str(), nullptr, 10); }
double sql_real(const SqlRow& row, size_t col) { return std::strtod(sql_text(row, col).c_str(), nullptr); }

}  // namespace oit
