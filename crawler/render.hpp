// The DOM of a page after its scripts ran, from headless Chromium (Debian's chromium package):
// for sites whose menus are built in the browser, where the HTML alone has no links.
#pragma once

#include <string>

#include <tl/expected.hpp>

namespace oit {

struct RenderOptions {
  std::string chromium = "/usr/bin/chromium";
  std::string user_agent;
  double timeout_seconds = 30;         // the whole render; the browser is killed after this
  int script_time_ms = 5000;           // virtual time given to the page's timers and fetches
  size_t max_bytes = 5 * 1024 * 1024;  // serialised DOM kept; the rest is cut
};

// Runs one headless Chromium for `url` (a fresh profile each time) and returns the serialised
// DOM (UTF-8). Blocks: call it off the network loop. Errors are one line.
tl::expected<std::string, std::string> render_dom(const std::string& url, const RenderOptions& options);

}  // namespace oit
