#include "reports/text_escape.hpp"

namespace oit::escape {

std::string html(std::string_view s) {
  std::string out;
  out.reserve(s.size() + s.size() / 8);
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

std::string markdown(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 8);
  for (char c : s) {
    switch (c) {
      // A bare '&' cannot open a tag; only < and > need entities.
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '\n':
      case '\r': out.push_back(' '); break;
      // '(' and '#' need no escape: '[' is escaped and no text starts a line.
      case '\\': case '`': case '*': case '_': case '[': case ']': case '|': case '~':
        out.push_back('\\');
        out.push_back(c);
        break;
      default: out.push_back(c);
    }
  }
  return out;
}

std::string href(std::string_view url) {
  bool web = url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0;
  return web ? html(url) : "#";
}

std::string csv(std::string_view s) {
  std::string out = "\"";
  if (!s.empty() && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' || s[0] == '\r'))
    out += '\'';
  for (char c : s) {
    if (c == '"') out += "\"\"";
    else out.push_back(c);
  }
  return out + "\"";
}

}  // namespace oit::escape
