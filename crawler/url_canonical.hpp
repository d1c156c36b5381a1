// A fast path for resolving links that are already in the crawler's normal form, as most links
// on a real site are (menus, "../2564/1693.html", absolute links to the same site). libcurl's
// URL API resolves every link correctly but costs about 6 microseconds a link, 7.7% of a crawl's
// CPU; this does the common case with string work and answers "no" (use libcurl) for anything
// else: uppercase, escapes that normalise, user info, IPv6, ports written oddly, "%2E" segments.
// fuzz_url checks that every answer it gives equals libcurl's.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace oit::url::canonical {

// A page URL that is in normal form, split where resolution needs it.
struct Base {
  std::string url;          // scheme://host[:port]/path[?query], no fragment
  size_t path_start = 0;    // where the path's "/" is
  size_t query_start = 0;   // where "?" is, or url.size()
};

// The parts of `url`, when it is an http(s) URL in normal form (what url::resolve() returns
// for it is itself); nullopt otherwise.
std::optional<Base> parse_base(std::string_view url);

// What url::resolve(base.url, href) returns, for an href (already cleaned of spaces, tabs and
// newlines) that is absolute http(s) in normal form, "/path", a relative path, "?query",
// "#fragment" or empty; nullopt when libcurl must decide.
std::optional<std::string> resolve(const Base& base, std::string_view href);

}  // namespace oit::url::canonical
