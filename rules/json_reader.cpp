#include "rules/json_reader.hpp"

#include <fstream>
#include <sstream>

namespace oit {
using nlohmann::json;

std::string InputError::message() const {
  return file + ": " + (pointer.empty() ? "/" : pointer) + ": expected " + expected + ", found " + found;
}

std::string describe(const json& v) {
  switch (v.type()) {
    case json::value_t::null: return "null";
    case json::value_t::boolean: return v.get<bool>() ? "true" : "false";
    case json::value_t::string: {
      std::string s = v.get<std::string>();
      return s.empty() ? "an empty string" : "\"" + (s.size() > 60 ? s.substr(0, 60) + "..." : s) + "\"";
    }
    case json::value_t::array: return "an array";
    case json::value_t::object: return "an object";
    default: return "the number " + v.dump();
  }
}

void JsonReader::fail(const std::string& ptr, const std::string& expected, const std::string& found) {
  errors.push_back({file_, ptr, expected, found});
}

void JsonReader::only_keys(const json& obj, const std::string& ptr, std::initializer_list<const char*> known) {
  for (auto& [key, value] : obj.items()) {
    bool ok = false;
    for (const char* k : known) ok = ok || key == k;
    if (ok) continue;
    std::string list;
    for (const char* k : known) list += (list.empty() ? "" : ", ") + std::string(k);
    fail(ptr + "/" + key, "one of the keys " + list, "an unknown key \"" + key + "\"");
  }
}

std::string JsonReader::string(const json& obj, const std::string& ptr, const char* key, bool required) {
  if (!obj.contains(key)) {
    if (required) fail(ptr + "/" + key, "a non-empty string", "nothing (the key is missing)");
    return "";
  }
  const json& v = obj[key];
  if (!v.is_string() || v.get<std::string>().empty()) {
    fail(ptr + "/" + key, "a non-empty string", describe(v));
    return "";
  }
  return v.get<std::string>();
}

int JsonReader::integer(const json& obj, const std::string& ptr, const char* key, int lo, int hi, int fallback,
                        bool required) {
  std::string expected = "an integer from " + std::to_string(lo) + " to " + std::to_string(hi);
  if (!obj.contains(key)) {
    if (required) fail(ptr + "/" + key, expected, "nothing (the key is missing)");
    return fallback;
  }
  const json& v = obj[key];
  if (!v.is_number_integer() || v.get<long>() < lo || v.get<long>() > hi) {
    fail(ptr + "/" + key, expected, describe(v));
    return fallback;
  }
  return v.get<int>();
}

double JsonReader::number(const json& obj, const std::string& ptr, const char* key, double lo, double hi,
                          double fallback) {
  if (!obj.contains(key)) return fallback;
  const json& v = obj[key];
  if (!v.is_number() || v.get<double>() < lo || v.get<double>() > hi) {
    auto shown = [](double d) {
      return d == static_cast<double>(static_cast<long long>(d)) ? std::to_string(static_cast<long long>(d)) : json(d).dump();
    };
    fail(ptr + "/" + key, "a number from " + shown(lo) + " to " + shown(hi), describe(v));
    return fallback;
  }
  return v.get<double>();
}

bool JsonReader::boolean(const json& obj, const std::string& ptr, const char* key, bool fallback) {
  if (!obj.contains(key)) return fallback;
  if (!obj[key].is_boolean()) {
    fail(ptr + "/" + key, "true or false", describe(obj[key]));
    return fallback;
  }
  return obj[key].get<bool>();
}

std::vector<std::string> JsonReader::strings(const json& obj, const std::string& ptr, const char* key) {
  std::vector<std::string> out;
  if (!obj.contains(key)) return out;
  const json& v = obj[key];
  if (!v.is_array()) {
    fail(ptr + "/" + key, "an array of strings", describe(v));
    return out;
  }
  for (size_t i = 0; i < v.size(); ++i) {
    if (!v[i].is_string() || v[i].get<std::string>().empty())
      fail(ptr + "/" + key + "/" + std::to_string(i), "a non-empty string", describe(v[i]));
    else
      out.push_back(v[i].get<std::string>());
  }
  return out;
}

json JsonReader::object(const json& obj, const std::string& ptr, const char* key) {
  if (!obj.contains(key)) return json::object();
  if (!obj[key].is_object()) {
    fail(ptr + "/" + key, "an object", describe(obj[key]));
    return json::object();
  }
  return obj[key];
}

std::string JsonReader::read_file(const std::string& path, std::vector<InputError>& errors) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    errors.push_back({path, "", "a readable file", "no such file"});
    return "";
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

json JsonReader::parse_text(const std::string& text, const std::string& path, std::vector<InputError>& errors) {
  try {
    json doc = json::parse(text);
    if (!doc.is_object()) {
      errors.push_back({path, "", "a JSON object", describe(doc)});
      return json(json::value_t::discarded);
    }
    return doc;
  } catch (const json::exception& e) {  // parse_error, and out_of_range for numbers too large (fuzz_rules)
    errors.push_back({path, "", "valid JSON", std::string("a syntax error: ") + e.what()});
    return json(json::value_t::discarded);
  }
}

json JsonReader::parse_file(const std::string& path, std::vector<InputError>& errors) {
  std::string text = read_file(path, errors);
  if (!errors.empty()) return json(json::value_t::discarded);
  return parse_text(text, path, errors);
}

}  // namespace oit
