// Escaping for every output format. Everything taken from a website (titles, anchor texts,
// URLs) passes through one of these before it is written.
#pragma once

#include <string>
#include <string_view>

namespace oit::escape {

// Text and attribute values in HTML: & < > " ' become entities.
std::string html(std::string_view s);

// Inline Markdown text: markup characters are backslash-escaped, < > become entities and
// line breaks become spaces, so a title cannot open a link, an image or a table cell.
std::string markdown(std::string_view s);

// A URL used as an href: only http(s) URLs are kept (anything else becomes "#"), then
// HTML-escaped. A javascript: link from a website never reaches a report.
std::string href(std::string_view url);

// One CSV cell, RFC 4180 quoted; a leading = + - @ (or tab / CR) gets a ' so spreadsheet
// programs show it as text instead of running it as a formula.
std::string csv(std::string_view s);

}  // namespace oit::escape
