#include "crawler/page_reader.hpp"

#include "crawler/charset.hpp"
#include "crawler/extract.hpp"
#include "crawler/strings.hpp"

namespace oit {

// Fewer links than this in a main page's HTML, with scripts, means a menu built in the browser.
constexpr size_t kFewLinksForScriptMenu = 5;

ParsedPage read_page(std::string body, const std::string& content_type, const std::string& url,
                     const RenderOptions* render) {
  auto decoded = charset::to_utf8_moving(std::move(body), content_type);
  ParsedPage page;
  page.facts = extract_page(decoded.utf8, url);
  page.charset = decoded.charset;
  page.html_scripts = page.facts.scripts;
  for (const auto& link : page.facts.links) page.html_links += link.target.fetchable() && link.tag == LinkTag::a;
  if (!render) return page;
  if (auto dom = render_dom(url, *render)) {
    page.facts = extract_page(*dom, url);
    page.rendered = true;
  } else {
    page.render_error = dom.error();
  }
  return page;
}

bool menu_built_by_scripts(const ParsedPage& page) {
  return page.html_scripts > 0 && page.html_links < kFewLinksForScriptMenu;
}

bool looks_like_ita_landing(const Link& link) {
  std::string text = strings::lower(link.anchor_text + " " + link.target.url);
  for (const char* marker : {"ita", "oit", "คุณธรรม", "ความโปร่งใส", "เปิดเผยข้อมูลสาธารณะ"})
    if (text.find(marker) != std::string::npos) return true;
  return false;
}

}  // namespace oit
