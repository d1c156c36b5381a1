// CSV as spreadsheets write it (RFC 4180 via libcsv; quoted fields may span lines), with the
// line each record starts on for messages. Shared by the answers file and the fleet's sites file.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

namespace oit::csv {

struct Record {
  size_t line = 0;
  std::vector<std::string> fields;
  bool blank() const;
};

std::vector<Record> parse(const std::string& content);

// The whole file, without Excel's UTF-8 BOM; nullopt when it cannot be read.
std::optional<std::string> read_file(const std::string& path);

// Index of the first header cell that is one of `names` (compared after Thai normalisation).
int column(const std::vector<std::string>& header, std::initializer_list<const char*> names);

}  // namespace oit::csv
