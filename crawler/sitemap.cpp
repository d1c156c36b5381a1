#include "crawler/sitemap.hpp"

#include <nlohmann/json.hpp>

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

// The text of every <tag>...</tag> (from `at` on), entity-decoded.
void element_texts(std::string_view xml, std::string_view tag, size_t max_entries, std::vector<std::string>& out) {
  std::string open = "<" + std::string(tag), close = "</" + std::string(tag) + ">";
  size_t at = 0;
  while (out.size() < max_entries) {
    size_t start = xml.find(open, at);
    if (start == std::string_view::npos) break;
    size_t after = start + open.size();
    // "<link" must not match "<linkage": the name ends at '>', '/' or whitespace.
    if (after < xml.size() && xml[after] != '>' && xml[after] != '/' && !std::isspace(static_cast<unsigned char>(xml[after]))) {
      at = after;
      continue;
    }
    size_t content = xml.find('>', start);
    if (content == std::string_view::npos) break;
    if (xml[content - 1] == '/') {  // self-closing: an Atom link, read its href
      std::string_view tag_text = xml.substr(start, content - start);
      size_t href = tag_text.find("href=");
      if (href != std::string_view::npos && href + 6 < tag_text.size()) {
        char quote = tag_text[href + 5];
        size_t end = tag_text.find(quote, href + 6);
        if (end != std::string_view::npos) out.push_back(decode_xml_text(tag_text.substr(href + 6, end - href - 6)));
      }
      at = content + 1;
      continue;
    }
    size_t end = xml.find(close, content);
    if (end == std::string_view::npos) break;
    std::string text = decode_xml_text(xml.substr(content + 1, end - content - 1));
    if (!text.empty()) out.push_back(std::move(text));
    at = end + close.size();
  }
}

}  // namespace

std::vector<std::string> parse_feed(std::string_view xml, size_t max_entries) {
  std::vector<std::string> links;
  element_texts(xml, "link", max_entries, links);
  return links;
}

std::vector<std::string> parse_wordpress_listing(std::string_view json_text, size_t max_entries) {
  std::vector<std::string> links;
  auto doc = nlohmann::json::parse(json_text, nullptr, false);
  if (!doc.is_array()) return links;
  for (const auto& entry : doc) {
    if (!entry.is_object()) continue;
    for (const char* key : {"link", "source_url"})
      if (entry.contains(key) && entry[key].is_string() && links.size() < max_entries)
        links.push_back(entry[key].get<std::string>());
  }
  return links;
}

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
