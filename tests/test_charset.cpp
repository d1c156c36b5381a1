#include <doctest/doctest.h>

#include <iconv.h>

#include "crawler/charset.hpp"

using namespace oit;

namespace {
const std::string kThai = "สำนักงานศึกษาธิการ";

std::string to_cp874(const std::string& utf8) {
  iconv_t cd = iconv_open("CP874", "UTF-8");
  std::string out(utf8.size(), '\0');
  char* in = const_cast<char*>(utf8.data());
  char* dst = out.data();
  size_t in_left = utf8.size(), out_left = out.size();
  iconv(cd, &in, &in_left, &dst, &out_left);
  iconv_close(cd);
  out.resize(out.size() - out_left);
  return out;
}
}  // namespace

TEST_CASE("TIS-620 by the HTTP header") {
  auto d = charset::to_utf8("<title>" + to_cp874(kThai) + "</title>", "text/html; charset=TIS-620");
  CHECK(d.utf8 == "<title>" + kThai + "</title>");
  CHECK(d.source == "header");
  CHECK(d.charset == "tis-620");
}

TEST_CASE("windows-874 by a meta tag (both meta forms)") {
  auto a = charset::to_utf8("<meta charset=\"windows-874\"><p>" + to_cp874(kThai), "text/html");
  CHECK(a.utf8.find(kThai) != std::string::npos);
  CHECK(a.source == "meta");
  auto b = charset::to_utf8(
      "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=iso-8859-11\"><p>" + to_cp874(kThai), "");
  CHECK(b.utf8.find(kThai) != std::string::npos);
  CHECK(b.charset == "iso-8859-11");
}

TEST_CASE("a meta charset in any case, after tags that are not meta, is found and lower-cased") {
  CHECK(charset::meta_charset("<HEAD><Meta Name=\"x\"><LINK rel=x><META HTTP-EQUIV=\"Content-Type\" "
                              "CONTENT=\"text/html; CHARSET = 'TIS-620'\">") == "tis-620");
  CHECK(charset::meta_charset("<meta name=\"charset-free\"><meta charset=UTF-8>") == "utf-8");
  CHECK(charset::meta_charset("<metadata charset=x>") == "x");  // the prescan matches the prefix, as before
  CHECK(charset::meta_charset("<p>no meta</p><meta") == "");
  CHECK(charset::meta_charset(std::string(4100, ' ') + "<meta charset=tis-620>") == "");  // past the first 4 KiB
}

TEST_CASE("a UTF-8 BOM wins over a contradicting header") {
  auto d = charset::to_utf8("\xEF\xBB\xBF" + kThai, "text/html; charset=tis-620");
  CHECK(d.utf8 == kThai);
  CHECK(d.source == "bom");
}

TEST_CASE("a body handed over (moved) decodes as one that is only viewed") {
  for (const std::string& body : {"\xEF\xBB\xBF" + kThai, kThai, to_cp874(kThai), std::string("ok \xC3\x28")}) {
    auto viewed = charset::to_utf8(std::string_view(body), "text/html");
    auto moved = charset::to_utf8_moving(std::string(body), "text/html");
    CHECK(moved.utf8 == viewed.utf8);
    CHECK(moved.charset == viewed.charset);
    CHECK(moved.source == viewed.source);
  }
  CHECK(charset::to_utf8_moving("\xEF\xBB\xBF" + kThai, "").utf8 == kThai);  // the BOM goes, the rest stays
}

TEST_CASE("a server-wide utf-8 header in front of a TIS-620 page is read as Thai") {
  auto d = charset::to_utf8("<meta http-equiv=\"content-type\" content=\"text/html; charset=tis-620\">" + to_cp874(kThai),
                            "text/html; charset=UTF-8");
  CHECK(d.utf8.find(kThai) != std::string::npos);
  CHECK(d.source == "sniffed");
}

TEST_CASE("undeclared bytes: valid UTF-8 stays, anything else is windows-874") {
  CHECK(charset::to_utf8(kThai, "").utf8 == kThai);
  CHECK(charset::to_utf8(to_cp874(kThai), "").utf8 == kThai);
}

TEST_CASE("invalid bytes become U+FFFD, never an error") {
  auto d = charset::to_utf8("ok \xC3\x28 \xF0\x9F", "text/html; charset=utf-8");
  CHECK(charset::is_valid_utf8(d.utf8));
  // The page was declared UTF-8 but is not: it is re-read as windows-874, which decodes.
  auto unknown = charset::to_utf8("abc \xFF", "text/html; charset=x-made-up");
  CHECK(charset::is_valid_utf8(unknown.utf8));
  CHECK(unknown.had_invalid_bytes);
}

TEST_CASE("charset parameter and UTF-8 validity helpers") {
  CHECK(charset::charset_param("text/html; Charset=\"TIS-620\"") == "tis-620");
  CHECK(charset::charset_param("text/html") == "");
  CHECK(charset::is_valid_utf8(kThai));
  CHECK_FALSE(charset::is_valid_utf8("\xC0\xAF"));       // overlong
  CHECK_FALSE(charset::is_valid_utf8("\xED\xA0\x80"));   // surrogate
  // The edges of each row of the standard's well-formed sequences (Unicode table 3-7).
  for (std::string valid : {"\xC3\xA9", "\xC2\x80", "\xDF\xBF", "\xE0\xA0\x80", "\xED\x9F\xBF", "\xEE\x80\x80",
                            "\xEF\xBF\xBF", "\xF0\x90\x80\x80", "\xF0\x9F\x98\x80", "\xF4\x8F\xBF\xBF"}) {
    CAPTURE(valid);
    CHECK(charset::is_valid_utf8(valid));
    CHECK(charset::is_valid_utf8("ascii before " + valid + " and after"));
    CHECK(charset::is_valid_utf8(std::string(kThai) + valid + kThai));  // inside a run of Thai
    CHECK_FALSE(charset::is_valid_utf8(valid.substr(0, valid.size() - 1)));  // cut short
  }
  for (std::string invalid : {"\x80", "\xBF", "\xC1\xBF", "\xC3", "\xC3\x41", "\xE0\x9F\xBF", "\xE0\xB8",
                              "\xE0\xB8\x41", "\xF0\x8F\xBF\xBF", "\xF4\x90\x80\x80", "\xF5\x80\x80\x80",
                              "\xFF", "\xF0\x9F\x98"}) {
    CAPTURE(invalid);
    CHECK_FALSE(charset::is_valid_utf8(invalid));
    CHECK_FALSE(charset::is_valid_utf8("12345678" + invalid + "12345678"));
    CHECK_FALSE(charset::is_valid_utf8(std::string(kThai) + invalid + kThai));
  }
}
