// Words and figures every report format shares: status names in Thai and English, the order
// failures are listed in, the score as assessors compute it, and the ITA grade.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace oit::labels {

enum class Lang { th, en };

const char* status(const std::string& status, Lang lang);
// An audit's verdict on one submitted URL.
const char* answer_verdict(const std::string& verdict, Lang lang);

// The colour every HTML page shows a status in.
const char* status_color(const std::string& status);

// Lower sorts first: what needs work before what is fine.
int status_rank(const std::string& status);

struct Score {
  size_t ok = 0, fixable = 0, total = 0;
  double now = 0;          // items ok / total x 100, each item 100 or 0, plain mean
  double after_fixes = 0;  // if every not_linked and broken item got the link fix listed
};
Score score_of(const nlohmann::json& report);

// The ITA grade of a score: AA 95-100, A 85-94.99, B 75-84.99, C 65-74.99, D 55-64.99,
// E 50-54.99, F below 50 (the seed office: 39.53 = F).
const char* grade(double percent);

std::string percent_text(double percent);  // "39.53"

// A string field of `j`, or "" when it is missing or not a string.
std::string text(const nlohmann::json& j, const char* key);

}  // namespace oit::labels
