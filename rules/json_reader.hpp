// Reading user-written JSON files (rule sets, run configs) field by field, collecting every
// problem with its place: "FILE: /json/pointer: expected X, found Y".
#pragma once

#include <initializer_list>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace oit {

struct InputError {
  std::string file, pointer, expected, found;
  std::string message() const;  // "FILE: POINTER: expected X, found Y"
};

// How a value looks in an error message: "the number 3", "an empty string", "\"abc\"".
std::string describe(const nlohmann::json& v);

class JsonReader {
 public:
  explicit JsonReader(std::string file) : file_(std::move(file)) {}
  std::vector<InputError> errors;

  void fail(const std::string& pointer, const std::string& expected, const std::string& found);
  // Keys not in `known` are typos more often than not: each is reported.
  void only_keys(const nlohmann::json& obj, const std::string& ptr, std::initializer_list<const char*> known);
  std::string string(const nlohmann::json& obj, const std::string& ptr, const char* key, bool required);
  int integer(const nlohmann::json& obj, const std::string& ptr, const char* key, int lo, int hi, int fallback,
              bool required);
  double number(const nlohmann::json& obj, const std::string& ptr, const char* key, double lo, double hi,
                double fallback);
  bool boolean(const nlohmann::json& obj, const std::string& ptr, const char* key, bool fallback);
  std::vector<std::string> strings(const nlohmann::json& obj, const std::string& ptr, const char* key);
  // The object at obj[key] ({} when absent; an error when it is not an object).
  nlohmann::json object(const nlohmann::json& obj, const std::string& ptr, const char* key);

  // Parses a whole file; on failure records the error and returns a discarded value.
  static nlohmann::json parse_file(const std::string& path, std::vector<InputError>& errors);
  static std::string read_file(const std::string& path, std::vector<InputError>& errors);
  // Parses text that must be one JSON object; `path` names it in errors.
  static nlohmann::json parse_text(const std::string& text, const std::string& path, std::vector<InputError>& errors);

 private:
  std::string file_;
};

}  // namespace oit
