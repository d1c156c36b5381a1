// Small ASCII string helpers shared by the parsers (URLs, robots.txt, sitemaps, charsets).
#pragma once

#include <cctype>
#include <chrono>
#include <ctime>
#include <string>
#include <string_view>

namespace oit::strings {

// ASCII only, and without std::tolower's locale lookup: every caller lowers protocol words
// (hosts, schemes, header values, charset names), and it runs for every link.
constexpr char lower_ascii(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

inline std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = lower_ascii(c);
  return out;
}

// A moment as UTC text, by default ISO 8601 ("2026-11-24T12:00:00Z").
inline std::string utc_text(std::chrono::system_clock::time_point t, const char* format = "%Y-%m-%dT%H:%M:%SZ") {
  std::time_t tt = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, format, &tm);
  return buf;
}

// At most `max_bytes` of UTF-8 text, cut on a character boundary, with "..." when cut.
inline std::string cut_utf8(std::string_view s, size_t max_bytes) {
  if (s.size() <= max_bytes) return std::string(s);
  size_t cut = max_bytes;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return std::string(s.substr(0, cut)) + "...";
}

inline std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// The value of a hexadecimal digit, or -1.
inline int hex_value(char c) {
  return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

// Letters, digits, "-", "_" and "~": what URL normalisation writes raw when it comes escaped
// (RFC 3986's unreserved bytes less ".", which stays escaped; crawler/url.cpp says why).
constexpr bool written_raw_in_urls(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '~';
}

// "%E0%B8%81" -> the bytes; malformed escapes stay as written. `plus_is_space` for query strings.
inline std::string percent_decode(std::string_view s, bool plus_is_space = false) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 && hex_value(s[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2])));
      i += 2;
    } else {
      out.push_back(plus_is_space && s[i] == '+' ? ' ' : s[i]);
    }
  }
  return out;
}

}  // namespace oit::strings
