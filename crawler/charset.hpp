// Turning page bytes into UTF-8. Thai agency sites still serve TIS-620 / windows-874 /
// ISO-8859-11, sometimes declaring two charsets at once; gumbo only reads UTF-8.
#pragma once

#include <string>
#include <string_view>

namespace oit::charset {

struct Decoded {
  std::string utf8;
  std::string charset;  // what the bytes were taken to be, e.g. "utf-8", "windows-874"
  std::string source;   // why: "bom", "header", "meta", "sniffed", "default"
  bool had_invalid_bytes = false;  // bytes that did not decode were replaced by U+FFFD
};

// Decide the encoding (BOM, then the Content-Type header's charset, then a <meta> charset in
// the first 4 KiB, then a UTF-8 validity check with windows-874 as the Thai fallback) and
// convert. Never fails: undecodable bytes become U+FFFD.
Decoded to_utf8(std::string_view body, std::string_view content_type_header);
// The same, taking the body: one that is already UTF-8 is moved, not copied.
Decoded to_utf8_moving(std::string&& body, std::string_view content_type_header);

// The charset parameter of a Content-Type header value, lower-cased ("" when absent).
std::string charset_param(std::string_view content_type);

// The charset a <meta charset> or <meta http-equiv content-type> names in the first 4 KiB.
std::string meta_charset(std::string_view body);

bool is_valid_utf8(std::string_view s);

}  // namespace oit::charset
