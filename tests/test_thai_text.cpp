#include <doctest/doctest.h>

#include "rules/ruleset.hpp"
#include "rules/thai_text.hpp"

using namespace oit;

TEST_CASE("normalise: Thai digits, zero-width characters, soft hyphens, whitespace, case") {
  CHECK(text::normalise("  ITA\u200B ๒๕๖๖ \n\t ปี ") == "ita 2566 ปี");
  CHECK(text::normalise("คู่\u00ADมือ") == "คู่มือ");
  CHECK(text::normalise("\uFEFFE–Service") == "e-service");
  CHECK(text::normalise("ประกาศต่าง ๆ") == "ประกาศต่างๆ");
}

TEST_CASE("normalise: nikhahit + sara aa typed for sara am is folded") {
  CHECK(text::normalise("ส\u0E4D\u0E32นักงาน") == "สำนักงาน");
  CHECK(text::squash("อ\u0E4D\u0E32นาจ หน้าที่") == text::squash("อำนาจหน้าที่"));
}

TEST_CASE("normalise: Unicode NFC and case folding of Latin text") {
  CHECK(text::normalise("Cafe\u0301 NO GIFT Policy") == "caf\u00e9 no gift policy");
}

TEST_CASE("item codes in their real forms") {
  CHECK(text::item_codes("O1 โครงสร้าง") == std::vector<int>{1});
  CHECK(text::item_codes("o10:คู่มือ") == std::vector<int>{10});
  CHECK(text::item_codes("OIT 3 อำนาจหน้าที่") == std::vector<int>{3});
  CHECK(text::item_codes("O-15 คู่มือ") == std::vector<int>{15});
  CHECK(text::item_codes("ข้อ o1 โครงสร้าง") == std::vector<int>{1});
  CHECK(text::item_codes("019 แผนการจัดซื้อ") == std::vector<int>{19});
  CHECK(text::item_codes("๐๑๙ แผนการจัดซื้อ") == std::vector<int>{19});
  CHECK(text::item_codes("คู่มือหรือมาตรฐานการให้บริการ (O15)") == std::vector<int>{15});
  CHECK(text::item_codes("O1โครงสร้างหน่วยงาน") == std::vector<int>{1});
  CHECK(text::item_codes("MOIT1 หน่วยงาน").empty());
  CHECK(text::item_codes("EB16").empty());
  CHECK(text::item_codes("โทร 0 4362 4093").empty());
  CHECK(text::item_codes("video 2566").empty());
}

TEST_CASE("years: Buddhist era and AD, Thai and Arabic digits") {
  CHECK(text::years_mentioned("ประจำปีงบประมาณ พ.ศ. ๒๕๖๖") == std::set<int>{2566});
  CHECK(text::years_mentioned("ita2023") == std::set<int>{2566});
  CHECK(text::years_mentioned("report-6-months-2566.pdf") == std::set<int>{2566});
  CHECK(text::years_mentioned("โทร 0 4362 4093 หน้า 12").empty());
}

TEST_CASE("years: a Thai date adds the fiscal year it falls in") {
  // 1 October 2565 opens fiscal year 2566; 30 September 2566 closes it.
  CHECK(text::years_mentioned("ประกาศ ณ วันที่ 1 ตุลาคม 2565") == std::set<int>{2565, 2566});
  CHECK(text::years_mentioned("ลงวันที่ 30 กันยายน 2566") == std::set<int>{2566});
  CHECK(text::years_mentioned("15 ต.ค. 2566") == std::set<int>{2566, 2567});
  CHECK(text::years_mentioned("ธันวาคม พ.ศ. 2565") == std::set<int>{2565, 2566});
  // A month far before the year is not its date (the page's text is only looked at near it).
  CHECK(text::years_mentioned("ตุลาคม ข่าวประชาสัมพันธ์ของสำนักงาน 2565") == std::set<int>{2565});
  CHECK(text::years_mentioned("ตุลาคม" + std::string(5000, 'x') + " 2565 และ 1 ตุลาคม 2566") ==
        std::set<int>{2565, 2566, 2567});
  CHECK(text::years_in_squashed(text::squash("1 ตุลาคม 2565")) == std::set<int>{2565, 2566});
}

TEST_CASE("rule phrases are found in Thai text, whole, wherever they sit") {
  Matchers::Phrase phrase("แผนการใช้จ่ายงบประมาณ", text::squash("แผนการใช้จ่ายงบประมาณ"));
  std::string page = text::squash("รายงาน แผนการใช้จ่าย งบประมาณ ประจำปี 2566");
  CHECK(phrase.found_in(page));
  CHECK(phrase.found_in(text::squash("แผนการใช้จ่ายงบประมาณ")));
  CHECK_FALSE(phrase.found_in(text::squash("แผนการใช้จ่ายงบประมา")));  // one character short
  CHECK_FALSE(phrase.found_in(text::squash("แผนการใช้จ่าย ประจำปี งบประมาณ")));
  Matchers::Phrase copy = phrase;  // copies share the searcher, which stays valid
  CHECK(copy.found_in(page));
}

TEST_CASE("fiscal year boundaries: 1 October to 30 September") {
  CHECK(text::fiscal_year(2022, 9) == 2565);
  CHECK(text::fiscal_year(2022, 10) == 2566);
  CHECK(text::fiscal_year(2023, 9) == 2566);
  CHECK(text::fiscal_year(2026, 11) == 2570);
}
