#include "crawler/sitemap.hpp"

#include "crawler/strings.hpp"

namespace oit {
namespace {

using strings::trim;

// The five predefined XML entities and CDATA wrappers are all a <loc> carries in practice.
std::string decode_xml_text(std::string_view s) {
  s = trim(s);
  if (s.substr(0, 9) == "<![CDATA[" && s.size() >= 12 && s.substr(s.size() - 3) == "]]>")
    return std::string(trim(s.substr(9, s.size() - 12)));
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '&') {
      static constexpr std::pair<std::string_view, char> entities[] = {
          {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&apos;", '\''}};
      bool matched = false;
      for (auto [name, c] : entities)
        if (s.substr(i, name.size()) == name) {
          out.push_back(c);
          i += name.size() - 1;
          matched = true;
          break;
        }
      if (matched) continue;
    }
    out.push_back(s[i]);
  }
  return out;
}

}  // namespace

SitemapEntries parse_sitemap(std::string_view xml, size_t max_entries) {
  SitemapEntries out;
  bool is_index = xml.find("<sitemapindex") != std::string_view::npos;
  auto& target = is_index ? out.sitemaps : out.pages;
  size_t at = 0;
  while (target.size() < max_entries) {
    size_t open = xml.find("<loc", at);
    if (open == std::string_view::npos) break;
    size_t content = xml.find('>', open);
    if (content == std::string_view::npos) break;
    size_t close = xml.find("</loc>", content);
    if (close == std::string_view::npos) break;
    std::string loc = decode_xml_text(xml.substr(content + 1, close - content - 1));
    if (!loc.empty()) target.push_back(std::move(loc));
    at = close + 6;
  }
  return out;
}

}  // namespace oit
