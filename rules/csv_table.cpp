#include "rules/csv_table.hpp"

#include <csv.h>

#include <fstream>
#include <sstream>

#include "crawler/strings.hpp"
#include "rules/thai_text.hpp"

namespace oit::csv {
namespace {

struct ParseState {
  std::vector<std::string> fields;
  std::vector<Record> records;
  size_t line = 0;
};

void on_field(void* data, size_t len, void* state) {
  static_cast<ParseState*>(state)->fields.emplace_back(static_cast<const char*>(data), len);
}

void on_record(int, void* state) {
  auto* s = static_cast<ParseState*>(state);
  s->records.push_back({s->line, std::move(s->fields)});
  s->fields.clear();
}

}  // namespace

bool Record::blank() const {
  for (const auto& f : fields)
    if (!strings::trim(f).empty()) return false;
  return true;
}

std::vector<Record> parse(const std::string& content) {
  csv_parser parser;
  csv_init(&parser, CSV_APPEND_NULL);
  ParseState state;
  std::istringstream in(content);
  std::string physical;
  // Fed line by line so each record knows the line it ends on (its start for one-line records).
  while (std::getline(in, physical)) {
    ++state.line;
    physical.push_back('\n');
    csv_parse(&parser, physical.data(), physical.size(), on_field, on_record, &state);
  }
  csv_fini(&parser, on_field, on_record, &state);
  csv_free(&parser);
  return std::move(state.records);
}

std::optional<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream buffer;
  buffer << in.rdbuf();
  std::string content = buffer.str();
  if (content.rfind("\xEF\xBB\xBF", 0) == 0) content.erase(0, 3);
  return content;
}

int column(const std::vector<std::string>& header, std::initializer_list<const char*> names) {
  for (size_t i = 0; i < header.size(); ++i) {
    std::string h = text::normalise(header[i]);
    for (const char* n : names)
      if (h == n) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace oit::csv
