// URL resolution and normalisation. Pure functions over libcurl's URL API (CURLU):
// no I/O, safe on any thread.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <tl/expected.hpp>

namespace oit::url {

// What a link's target is, before any fetching is considered.
enum class Scheme { http, https, javascript, mailto, tel, other };

struct Resolved {
  std::string url;   // normalised absolute URL (http/https), or the raw href for other schemes
  Scheme scheme = Scheme::other;
  bool fetchable() const { return scheme == Scheme::http || scheme == Scheme::https; }
};

// Resolve `href` (as written in a page) against `base` (an absolute http(s) URL) and normalise it:
// fragment dropped, default port dropped, host lower-cased, dot segments removed, unsafe bytes
// percent-encoded, empty path made "/". Non-http(s) schemes come back unresolved with their kind.
// An error string says why the href cannot be a URL.
tl::expected<Resolved, std::string> resolve(std::string_view base, std::string_view href);

// resolve() for many links of one page: the base is parsed once, and targets that do not depend
// on the page (absolute URLs, "/path", "//host/path") are remembered per thread, since menus
// repeat the same links on every page. Same results as resolve().
class Resolver {
 public:
  explicit Resolver(std::string_view base);
  ~Resolver();
  Resolver(const Resolver&) = delete;
  Resolver& operator=(const Resolver&) = delete;
  void set_base(std::string_view base);  // a <base href> changes it
  const std::string& base() const { return base_; }
  tl::expected<Resolved, std::string> resolve(std::string_view href);

 private:
  struct ParsedBase;
  static constexpr size_t kRemembered = 4096;  // per thread: menus, which repeat on every page
  std::string base_, origin_;
  std::unique_ptr<ParsedBase> parsed_;
};

// Normalise an absolute URL given by the user (the homepage). Only http(s) is accepted.
tl::expected<std::string, std::string> normalise_absolute(std::string_view absolute);

// The host of an absolute URL, lower-cased ("" when it has none).
std::string host_of(std::string_view absolute);
// The same, as written (a normalised URL's host is lower-case already): a slice, no copy.
std::string_view host_as_written(std::string_view absolute);

// The site a host belongs to: the host without a leading "www." (so www.x.go.th and x.go.th,
// over http or https, are one site).
std::string site_of_host(std::string_view host);
// The same for a host that is lower-case already: a slice, no copy.
std::string_view site_of_lower_host(std::string_view host);

// "scheme://host[:port]" of an absolute URL: the origin whose robots.txt governs it.
std::string origin_of(std::string_view absolute);

// Path plus query of an absolute URL ("/a/b?x=1"), as robots.txt rules see it.
std::string path_and_query(std::string_view absolute);

}  // namespace oit::url
