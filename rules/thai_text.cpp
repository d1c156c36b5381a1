#include "rules/thai_text.hpp"

#include <utf8proc.h>

#include <array>
#include <cctype>
#include <cstdlib>
#include <ctime>

namespace oit::text {
namespace {

void append_utf8(std::string& out, utf8proc_int32_t cp) {
  utf8proc_uint8_t buf[4];
  auto n = utf8proc_encode_char(cp, buf);
  out.append(reinterpret_cast<const char*>(buf), static_cast<size_t>(n));
}

bool is_space(utf8proc_int32_t cp) {
  return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f' || cp == 0xA0 ||
         (cp >= 0x2000 && cp <= 0x200A) || cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

constexpr utf8proc_int32_t kNikhahit = 0x0E4D, kSaraAa = 0x0E32, kSaraAm = 0x0E33, kMaiYamok = 0x0E46;

bool is_letter_or_digit(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

// Thai month names, full and abbreviated, after normalisation (no spaces inside).
struct Month {
  const char* name;
  int number;
};
constexpr std::array<Month, 24> kMonths = {{
    {"มกราคม", 1}, {"กุมภาพันธ์", 2}, {"มีนาคม", 3}, {"เมษายน", 4}, {"พฤษภาคม", 5}, {"มิถุนายน", 6},
    {"กรกฎาคม", 7}, {"สิงหาคม", 8}, {"กันยายน", 9}, {"ตุลาคม", 10}, {"พฤศจิกายน", 11}, {"ธันวาคม", 12},
    {"ม.ค.", 1}, {"ก.พ.", 2}, {"มี.ค.", 3}, {"เม.ย.", 4}, {"พ.ค.", 5}, {"มิ.ย.", 6},
    {"ก.ค.", 7}, {"ส.ค.", 8}, {"ก.ย.", 9}, {"ต.ค.", 10}, {"พ.ย.", 11}, {"ธ.ค.", 12},
}};

// A year as written -> Buddhist era, or 0 when the number is not a plausible year.
int as_be_year(long n) {
  if (n >= 2450 && n <= 2700) return static_cast<int>(n);
  if (n >= 1950 && n <= 2157) return static_cast<int>(n + 543);
  return 0;
}

}  // namespace

std::string normalise(std::string_view utf8) {
  utf8proc_uint8_t* mapped = nullptr;
  auto options = static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD |
                                                 UTF8PROC_IGNORE);
  utf8proc_ssize_t len = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(utf8.data()),
                                      static_cast<utf8proc_ssize_t>(utf8.size()), &mapped, options);
  std::string folded;
  if (len >= 0) {
    folded.assign(reinterpret_cast<const char*>(mapped), static_cast<size_t>(len));
  } else {
    folded.assign(utf8);  // not valid UTF-8: compare it as it is
  }
  std::free(mapped);

  std::string out;
  out.reserve(folded.size());
  bool pending_space = false;
  utf8proc_int32_t previous = 0;
  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(folded.data());
  utf8proc_ssize_t left = static_cast<utf8proc_ssize_t>(folded.size());
  while (left > 0) {
    utf8proc_int32_t cp;
    utf8proc_ssize_t n = utf8proc_iterate(p, left, &cp);
    if (n <= 0) {
      ++p;
      --left;
      continue;
    }
    p += n;
    left -= n;
    if (is_space(cp)) {
      pending_space = !out.empty();
      continue;
    }
    if (cp >= 0x0E50 && cp <= 0x0E59) cp = '0' + (cp - 0x0E50);                   // Thai digits
    if ((cp >= 0x2010 && cp <= 0x2015) || cp == 0x2212 || cp == 0xFE63) cp = '-';  // dashes
    if (cp == kSaraAa && previous == kNikhahit) {
      out.resize(out.size() - 3);  // nikhahit is 3 bytes in UTF-8
      cp = kSaraAm;
    }
    if (pending_space && cp != kMaiYamok) out.push_back(' ');
    pending_space = false;
    append_utf8(out, cp);
    previous = cp;
  }
  return out;
}

std::string squash(std::string_view utf8) {
  std::string n = normalise(utf8);
  std::string out;
  out.reserve(n.size());
  for (char c : n)
    if (c != ' ') out.push_back(c);
  return out;
}

std::vector<int> item_codes(std::string_view utf8) {
  std::string s = normalise(utf8);
  std::vector<int> codes;
  auto read_number = [&](size_t at, size_t& end) -> int {
    size_t i = at;
    while (i < s.size() && (s[i] == ' ' || s[i] == '-' || s[i] == '.' || s[i] == ':')) ++i;
    size_t digits = i;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
    end = i;
    if (i == digits || i - digits > 2) return 0;
    return std::atoi(s.c_str() + digits);
  };
  for (size_t i = 0; i < s.size(); ++i) {
    bool starts_word = i == 0 || !std::isalpha(static_cast<unsigned char>(s[i - 1]));
    if (!starts_word) continue;
    size_t end = 0;
    int n = 0;
    if (s.compare(i, 3, "oit") == 0) {
      n = read_number(i + 3, end);
    } else if (s[i] == 'o') {
      n = read_number(i + 1, end);
    } else if (s[i] == '0' && (i == 0 || !std::isdigit(static_cast<unsigned char>(s[i - 1]))) && i + 2 < s.size() &&
               std::isdigit(static_cast<unsigned char>(s[i + 1])) && std::isdigit(static_cast<unsigned char>(s[i + 2]))) {
      // "019" with a digit zero standing for the letter O.
      end = i + 3;
      n = (s[i + 1] - '0') * 10 + (s[i + 2] - '0');
    }
    if (n > 0 && (end >= s.size() || !is_letter_or_digit(s[end]) || static_cast<unsigned char>(s[end]) >= 0x80))
      codes.push_back(n);
  }
  return codes;
}

std::set<int> years_mentioned(std::string_view utf8) { return years_in_squashed(squash(utf8)); }

std::set<int> years_in_squashed(std::string_view s) {
  std::set<int> years;
  for (size_t i = 0; i < s.size();) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j]))) ++j;
    if (j - i == 4) {
      int be = as_be_year(std::strtol(std::string(s.substr(i, 4)).c_str(), nullptr, 10));
      if (be) {
        years.insert(be);
        // A month name just before the year ("1ตุลาคม2565", "ต.ค.2565", "ตุลาคม พ.ศ. 2565")
        // dates it: add that date's fiscal year.
        for (const auto& m : kMonths) {
          // Only the bytes just before the year can hold it (8 bytes: room for "พ.ศ."); a search
          // of everything before would make a long page quadratic.
          size_t len = std::char_traits<char>::length(m.name);
          size_t from = i > len + 8 ? i - len - 8 : 0;
          if (std::string_view(s.data() + from, i - from).find(m.name) != std::string_view::npos) {
            if (m.number >= 10) years.insert(be + 1);
            break;
          }
        }
      }
    }
    i = j;
  }
  return years;
}

int fiscal_year(int ad_year, int month) { return ad_year + 543 + (month >= 10 ? 1 : 0); }

int current_fiscal_year(std::chrono::system_clock::time_point now) {
  std::time_t t = std::chrono::system_clock::to_time_t(now);
  std::tm tm{};
  gmtime_r(&t, &tm);
  return fiscal_year(tm.tm_year + 1900, tm.tm_mon + 1);
}

}  // namespace oit::text
