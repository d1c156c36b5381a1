// What the parse threads make of one fetched page: bytes -> UTF-8 -> facts, and with --render
// the facts of the DOM after the page's scripts ran. Also the two judgements about scripts the
// crawl makes from them. Pure apart from the browser it may start.
#pragma once

#include <string>

#include "crawler/page.hpp"
#include "crawler/render.hpp"

namespace oit {

struct ParsedPage {
  PageFacts facts;
  std::string charset;
  bool rendered = false;      // facts come from the DOM after the page's scripts ran
  std::string render_error;   // rendering was asked for and failed: facts are the HTML's
  size_t html_scripts = 0, html_links = 0;  // the HTML as served, for the script-menu check
};

// `render` null: the HTML as served. Runs on a parse thread, never on the loop.
ParsedPage read_page(std::string body, const std::string& content_type, const std::string& url,
                     const RenderOptions* render);

// The HTML as served has scripts but almost no links: its menu is built in the browser.
bool menu_built_by_scripts(const ParsedPage& page);

// A link whose text or address says it leads to the ITA/OIT landing page (rendered too).
bool looks_like_ita_landing(const Link& link);

}  // namespace oit
