// One small interface over the two databases the run history can live in: SQLite (the
// embedded default, one file) and PostgreSQL (libpq; shared by workers on many machines).
// Statements use $1..$n parameters in both; values come back as text.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <tl/expected.hpp>

namespace oit {

using SqlValue = std::variant<std::nullptr_t, int64_t, double, std::string>;
using SqlRow = std::vector<std::optional<std::string>>;

class SqlDb {
 public:
  virtual ~SqlDb() = default;
  virtual tl::expected<std::vector<SqlRow>, std::string> query(const std::string& sql,
                                                               const std::vector<SqlValue>& params = {}) = 0;
  // Several statements without parameters (schemas).
  virtual tl::expected<void, std::string> script(const std::string& sql) = 0;
  // A write transaction (SQLite takes its lock at once, so two jobs finishing together wait).
  virtual tl::expected<void, std::string> begin() = 0;
  bool postgres() const { return postgres_; }
  const std::string& name() const { return name_; }  // for messages; never holds a password

 protected:
  SqlDb(bool postgres, std::string name) : postgres_(postgres), name_(std::move(name)) {}

 private:
  bool postgres_;
  std::string name_;
};

// `target` is a file path, or a postgresql:// (postgres://) connection URL.
tl::expected<std::shared_ptr<SqlDb>, std::string> open_sql_db(const std::string& target);
bool is_postgres_url(const std::string& target);

// Column helpers: "" / 0 for NULL.
std::string sql_text(const SqlRow& row, size_t col);
int64_t sql_int(const SqlRow& row, size_t col);
double sql_real(const SqlRow& row, size_t col);

}  // namespace oit
