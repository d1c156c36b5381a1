#include "crawler/url.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <optional>
#include <unordered_map>

#include "crawler/strings.hpp"
#include "crawler/url_canonical.hpp"

namespace oit::url {
namespace {

struct UrlDeleter {
  void operator()(CURLU* h) const { curl_url_cleanup(h); }
};
using UrlHandle = std::unique_ptr<CURLU, UrlDeleter>;

struct CurlString {
  char* p = nullptr;
  ~CurlString() { curl_free(p); }
};

bool is_ascii_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

// Browsers strip leading/trailing spaces and drop tabs and newlines anywhere in an href.
std::string clean_href(std::string_view href) {
  while (!href.empty() && is_ascii_space(href.front())) href.remove_prefix(1);
  while (!href.empty() && is_ascii_space(href.back())) href.remove_suffix(1);
  std::string out(href);  // one copy, then one pass; most hrefs have nothing to drop
  std::erase_if(out, [](char c) { return c == '\t' || c == '\n' || c == '\r'; });
  return out;
}

// Percent-encode what may not stand raw in a URL (non-ASCII bytes such as Thai text, spaces,
// controls and a few delimiters) so every spelling of one URL becomes the same string.
std::string encode_unsafe(std::string_view s) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (unsigned char c : s) {
    bool unsafe = c >= 0x80 || c <= 0x20 || c == 0x7f || c == '"' || c == '<' || c == '>' ||
                  c == '\\' || c == '^' || c == '`' || c == '{' || c == '|' || c == '}';
    if (unsafe) {
      out.push_back('%');
      out.push_back(hex[c >> 4]);
      out.push_back(hex[c & 15]);
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  return out;
}

// One spelling per escape: "%7e" -> "~" (unreserved needs no escape), "%e0" -> "%E0".
std::string canonical_escapes(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      int hi = strings::hex_value(s[i + 1]), lo = strings::hex_value(s[i + 2]);
      if (hi >= 0 && lo >= 0) {
        auto c = static_cast<char>(hi * 16 + lo);
        // '.' stays escaped: decoding it after dot segments were removed would make "/%2e/"
        // a new dot segment (found by fuzz_url).
        if (strings::written_raw_in_urls(c)) {
          out.push_back(c);
        } else {
          out.push_back('%');
          out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(s[i + 1]))));
          out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(s[i + 2]))));
        }
        i += 2;
        continue;
      }
    }
    // A '%' that starts no escape is written as one ("%25"), or "%%65" would become "%e" and
    // then a different escape the next time round (found by fuzz_url).
    if (s[i] == '%') out += "%25";
    else out.push_back(s[i]);
  }
  return out;
}

using strings::lower;

// The scheme written at the start of an href, lower-cased, or "" for a relative reference.
std::string scheme_prefix(std::string_view href) {
  for (size_t i = 0; i < href.size(); ++i) {
    char c = href[i];
    if (c == ':') return i == 0 ? "" : lower(href.substr(0, i));
    bool ok = std::isalpha(static_cast<unsigned char>(c)) ||
              (i > 0 && (std::isdigit(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.'));
    if (!ok) return "";
  }
  return "";
}

Scheme classify(const std::string& scheme) {
  if (scheme == "http") return Scheme::http;
  if (scheme == "https") return Scheme::https;
  if (scheme == "javascript") return Scheme::javascript;
  if (scheme == "mailto") return Scheme::mailto;
  if (scheme == "tel") return Scheme::tel;
  return Scheme::other;
}

// Normalise a CURLU that already holds an absolute http(s) URL.
tl::expected<std::string, std::string> finish(CURLU* h, bool again = true) {
  curl_url_set(h, CURLUPART_FRAGMENT, nullptr, 0);
  {
    CurlString host;
    if (curl_url_get(h, CURLUPART_HOST, &host.p, 0) != CURLUE_OK || !host.p || !*host.p)
      return tl::unexpected(std::string("the URL has no host name"));
    std::string lowered = lower(host.p);
    if (lowered != host.p) curl_url_set(h, CURLUPART_HOST, lowered.c_str(), 0);
  }
  CurlString out;
  CURLUcode rc = curl_url_get(h, CURLUPART_URL, &out.p, CURLU_NO_DEFAULT_PORT);
  if (rc != CURLUE_OK) return tl::unexpected(std::string(curl_url_strerror(rc)));
  std::string s = out.p;
  // Only the part after the authority gets canonical escapes; the host is already lower case.
  auto scheme_end = s.find("://");
  auto path_start = s.find('/', scheme_end == std::string::npos ? 0 : scheme_end + 3);
  std::string result = path_start == std::string::npos
                           ? s + "/"
                           : s.substr(0, path_start) + canonical_escapes(std::string_view(s).substr(path_start));
  // A host that only became a number after its escapes were decoded ("%38" -> "8") is read as
  // an IPv4 address ("0.0.0.8") when parsed again: parse once more so one spelling is final
  // (found by fuzz_url).
  std::string host = host_of(result);
  bool numeric = !host.empty() && host.find_first_not_of("0123456789abcdefx.") == std::string::npos;
  if (numeric && again) {
    UrlHandle second(curl_url());
    if (curl_url_set(second.get(), CURLUPART_URL, result.c_str(), 0) == CURLUE_OK) return finish(second.get(), false);
  }
  return result;
}

}  // namespace

namespace {

constexpr size_t kLongestHref = 8192;

// `base` already parsed (a Resolver's) or null (parse `base_text` now).
tl::expected<Resolved, std::string> resolve_cleaned(CURLU* base, std::string_view base_text, const std::string& cleaned) {
  std::string scheme = scheme_prefix(cleaned);
  if (!scheme.empty()) {
    Scheme kind = classify(scheme);
    if (kind != Scheme::http && kind != Scheme::https) return Resolved{cleaned, kind};
  }
  if (cleaned.size() > kLongestHref) return tl::unexpected(std::string("the link is longer than 8192 bytes"));
  UrlHandle h(base ? curl_url_dup(base) : curl_url());
  if (!h) return tl::unexpected(std::string("out of memory"));
  if (!base && curl_url_set(h.get(), CURLUPART_URL, std::string(base_text).c_str(), 0) != CURLUE_OK)
    return tl::unexpected(std::string("the page's own URL is not absolute"));
  std::string encoded = encode_unsafe(cleaned);
  // An empty href or one that is only a fragment ("#top") is the page itself. libcurl 7.88
  // resolves "#top" like a relative path, to the page's folder: every skip-to-content link
  // would have become a link to a folder URL.
  if (encoded.empty() || encoded[0] == '#') encoded = std::string(base_text);
  CURLUcode rc = curl_url_set(h.get(), CURLUPART_URL, encoded.c_str(), 0);
  if (rc != CURLUE_OK) return tl::unexpected(std::string(curl_url_strerror(rc)));
  auto normal = finish(h.get());
  if (!normal) return tl::unexpected(normal.error());
  Scheme kind = normal->rfind("https:", 0) == 0 ? Scheme::https : Scheme::http;
  return Resolved{*normal, kind};
}

}  // namespace

tl::expected<Resolved, std::string> resolve(std::string_view base, std::string_view href) {
  return resolve_cleaned(nullptr, base, clean_href(href));
}

struct Resolver::ParsedBase {
  UrlHandle handle;
  std::optional<canonical::Base> canonical;  // set when the base is in normal form
};

Resolver::Resolver(std::string_view base) { set_base(base); }
Resolver::~Resolver() = default;

void Resolver::set_base(std::string_view base) {
  base_ = std::string(base);
  origin_ = origin_of(base);
  parsed_ = std::make_unique<ParsedBase>();
  parsed_->handle.reset(curl_url());
  if (parsed_->handle && curl_url_set(parsed_->handle.get(), CURLUPART_URL, base_.c_str(), 0) != CURLUE_OK)
    parsed_->handle.reset();
  if (parsed_->handle) parsed_->canonical = canonical::parse_base(base_);
}

tl::expected<Resolved, std::string> Resolver::resolve(std::string_view href) {
  if (!parsed_->handle) return tl::unexpected(std::string("the page's own URL is not absolute"));
  std::string cleaned = clean_href(href);
  if (parsed_->canonical && cleaned.size() <= kLongestHref)
    if (auto normal = canonical::resolve(*parsed_->canonical, cleaned)) {
      Scheme scheme = normal->rfind("https:", 0) == 0 ? Scheme::https : Scheme::http;
      return Resolved{std::move(*normal), scheme};
    }
  // Absolute URLs and "/path" or "//host/path" links resolve the same from every page of an
  // origin; menus repeat them on every page, so each thread remembers them.
  bool same_from_every_page = (!cleaned.empty() && cleaned[0] == '/') || !scheme_prefix(cleaned).empty();
  if (!same_from_every_page) return resolve_cleaned(parsed_->handle.get(), base_, cleaned);
  thread_local std::unordered_map<std::string, Resolved> remembered;
  std::string key = origin_ + '\n' + cleaned;
  if (auto it = remembered.find(key); it != remembered.end()) return it->second;
  auto resolved = resolve_cleaned(parsed_->handle.get(), base_, cleaned);
  if (resolved) {
    if (remembered.size() >= kRemembered) remembered.clear();  // a bound, not an LRU: refills in a page or two
    remembered.emplace(std::move(key), *resolved);
  }
  return resolved;
}

tl::expected<std::string, std::string> normalise_absolute(std::string_view absolute) {
  std::string cleaned = clean_href(absolute);
  std::string scheme = scheme_prefix(cleaned);
  if (scheme.empty())
    return tl::unexpected("'" + cleaned + "' is not an absolute URL (it must start with http:// or https://)");
  if (scheme != "http" && scheme != "https")
    return tl::unexpected("only http:// and https:// URLs can be crawled, not " + scheme + ":");
  UrlHandle h(curl_url());
  CURLUcode rc = curl_url_set(h.get(), CURLUPART_URL, encode_unsafe(cleaned).c_str(), 0);
  if (rc != CURLUE_OK)
    return tl::unexpected("'" + cleaned + "' is not a valid URL: " + curl_url_strerror(rc));
  return finish(h.get());
}

std::string_view host_as_written(std::string_view absolute) {
  // A plain slice: URLs reaching here were normalised by resolve(), so the authority is
  // well-formed and this needs no second parse.
  auto scheme_end = absolute.find("://");
  if (scheme_end == std::string_view::npos) return "";
  std::string_view authority = absolute.substr(scheme_end + 3);
  authority = authority.substr(0, authority.find_first_of("/?#"));
  if (auto at = authority.rfind('@'); at != std::string_view::npos) authority.remove_prefix(at + 1);
  if (!authority.empty() && authority.front() == '[') return authority.substr(0, authority.find(']') + 1);
  return authority.substr(0, authority.find(':'));
}

std::string host_of(std::string_view absolute) { return lower(host_as_written(absolute)); }

std::string_view site_of_lower_host(std::string_view host) {
  if (host.size() > 4 && host.substr(0, 4) == "www.") host.remove_prefix(4);
  return host;
}

std::string site_of_host(std::string_view host) { return std::string(site_of_lower_host(lower(host))); }

std::string origin_of(std::string_view absolute) {
  auto scheme_end = absolute.find("://");
  if (scheme_end == std::string_view::npos) return "";
  auto path_start = absolute.find_first_of("/?", scheme_end + 3);
  return std::string(absolute.substr(0, path_start));
}

std::string path_and_query(std::string_view absolute) {
  auto scheme_end = absolute.find("://");
  if (scheme_end == std::string_view::npos) return "/";
  auto path_start = absolute.find_first_of("/?", scheme_end + 3);
  if (path_start == std::string_view::npos) return "/";
  std::string p(absolute.substr(path_start));
  if (p.front() == '?') p.insert(0, "/");
  return p;
}

}  // namespace oit::url
