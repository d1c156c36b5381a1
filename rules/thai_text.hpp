// Thai text as the matcher compares it: normalised forms, OIT item codes and years.
// Pure functions; unit-tested in tests/test_thai_text.cpp.
#pragma once

#include <chrono>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace oit::text {

// NFC, case folded, default-ignorable characters (zero-width space/joiners, soft hyphen, BOM)
// removed, Thai digits to ASCII, U+0E4D U+0E32 folded to U+0E33 (the common mistyping of
// sara am), dashes to '-', whitespace collapsed, no space before the repeat mark ๆ.
std::string normalise(std::string_view utf8);

// `normalise` without any whitespace: Thai labels break lines and spaces anywhere
// ("จาก การปฏิบัติหน้าที่"), so phrases are compared in this form.
std::string squash(std::string_view utf8);

// Item numbers written as codes in a text: O1, o1, OIT1, O-1, "ข้อ o1", "019" (digit zero for
// the letter), "๐๑๙", "(O15)". Not MOIT1 or EB16, which belong to other schemes.
std::vector<int> item_codes(std::string_view utf8);

// Buddhist-era years a text is about: years written in BE (2566, ๒๕๖๖) or AD (2023, as in
// "ita2023"), plus the fiscal year of every Thai date ("1 ตุลาคม 2565" is in FY 2566).
std::set<int> years_mentioned(std::string_view utf8);
// The same for text already squashed (squash()), for callers that have it at hand.
std::set<int> years_in_squashed(std::string_view squashed);

// The Thai fiscal year (BE) of a date: 1 October to 30 September, named by the year it ends.
int fiscal_year(int ad_year, int month);
int current_fiscal_year(std::chrono::system_clock::time_point now);

}  // namespace oit::text
