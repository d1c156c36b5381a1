#include "crawler/url_canonical.hpp"

#include <array>

#include "crawler/strings.hpp"

namespace oit::url::canonical {
namespace {

using strings::hex_value;

bool is_hex(char c) { return hex_value(c) >= 0; }
bool is_hex_upper(char c) { return is_hex(c) && !(c >= 'a' && c <= 'f'); }

// The bytes that stand raw in a normal-form path or query (RFC 3986 pchar, "/" and "?"), as a
// table: every byte of every link on a page is looked up here.
constexpr std::array<bool, 256> kRaw = [] {
  std::array<bool, 256> raw{};
  for (int c = 0; c < 256; ++c) raw[c] = strings::written_raw_in_urls(static_cast<char>(c));
  for (char c : std::string_view(".!$&'()*+,;=:@/?")) raw[static_cast<unsigned char>(c)] = true;
  return raw;
}();
bool is_raw(char c) { return kRaw[static_cast<unsigned char>(c)]; }

// A path or query as the normaliser leaves it: raw bytes from the set above, escapes in upper
// case that do not stand for a letter, digit, "-", "_" or "~" (those are written raw).
bool normal_text(std::string_view s) {
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '%') {
      if (i + 2 >= s.size() || !is_hex_upper(s[i + 1]) || !is_hex_upper(s[i + 2])) return false;
      auto decoded = static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2]));
      if (strings::written_raw_in_urls(decoded)) return false;
      i += 2;
    } else if (!is_raw(c)) {
      return false;
    }
  }
  return true;
}

// A fragment is dropped; it only has to be one libcurl accepts unchanged.
bool plain_fragment(std::string_view s) {
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%') {
      if (i + 2 >= s.size() || !is_hex(s[i + 1]) || !is_hex(s[i + 2])) return false;
      i += 2;
    } else if (!is_raw(s[i])) {
      return false;
    }
  }
  return true;
}

// A path in normal form: normal text with no "." or ".." segment, no empty segment (libcurl
// removes dot segments next to them its own way) and no escaped dot (which the normaliser
// keeps escaped, so a segment like "%2E" must stay libcurl's business).
bool normal_path(std::string_view path) {
  if (path.empty() || path[0] != '/' || !normal_text(path) || path.find('?') != std::string_view::npos) return false;
  if (path.find("%2E") != std::string_view::npos || path.find("//") != std::string_view::npos) return false;
  for (size_t start = 1; start <= path.size();) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    std::string_view segment = path.substr(start, end - start);
    if (segment == "." || segment == "..") return false;
    start = end + 1;
  }
  return true;
}

// What resolve() needs to know of a link's path (no query, no fragment), in one pass over it:
// a link is resolved on every page it appears on.
struct PathScan {
  bool normal = true;          // normal_text() holds
  bool escaped_dot = false;    // a "%2E" (the normaliser keeps it escaped: libcurl's business)
  bool empty_segment = false;  // a "//"
  bool scheme = false;         // a ":" before the first "/": an absolute URL
  bool dot_segment = false;    // a "." or ".." segment
  bool ends_dotted = false;    // the last segment is "." or ".."
};

PathScan scan_path(std::string_view path) {
  PathScan scan;
  size_t segment_start = 0;
  for (size_t i = 0; i <= path.size(); ++i) {
    if (i == path.size() || path[i] == '/') {
      std::string_view segment = path.substr(segment_start, i - segment_start);
      if (segment == "." || segment == "..") {
        scan.dot_segment = true;
        scan.ends_dotted = i == path.size();
      }
      if (i < path.size() && i > 0 && path[i - 1] == '/') scan.empty_segment = true;
      segment_start = i + 1;
      continue;
    }
    char c = path[i];
    if (c == ':' && segment_start == 0) scan.scheme = true;
    if (c == '%') {
      if (i + 2 >= path.size() || !is_hex_upper(path[i + 1]) || !is_hex_upper(path[i + 2])) {
        scan.normal = false;
        continue;
      }
      auto decoded = static_cast<char>(hex_value(path[i + 1]) * 16 + hex_value(path[i + 2]));
      if (strings::written_raw_in_urls(decoded)) scan.normal = false;
      if (decoded == '.') scan.escaped_dot = true;
      i += 2;
    } else if (!is_raw(c)) {
      scan.normal = false;
    }
  }
  return scan;
}

bool digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

// The value of at most five digits (the caller checked they are digits).
int small_number(std::string_view digits) {
  int value = 0;
  for (char c : digits) value = value * 10 + (c - '0');
  return value;
}

// A dotted quad as the normaliser writes it: four numbers 0-255 without leading zeros.
bool normal_ipv4(std::string_view host) {
  int parts = 0;
  for (size_t start = 0; start <= host.size(); ++parts) {
    size_t end = host.find('.', start);
    if (end == std::string_view::npos) end = host.size();
    std::string_view part = host.substr(start, end - start);
    if (!digits(part) || part.size() > 3 || (part.size() > 1 && part[0] == '0') || small_number(part) > 255)
      return false;
    start = end + 1;
  }
  return parts == 4;
}

// "host[:port]" in normal form: lower-case labels of letters, digits and "-"; a port only when
// it is not the scheme's default. A host that could be read as a number must be a plain
// dotted quad (libcurl rewrites "127.1", "0x7f.1" and the like).
bool normal_authority(std::string_view authority, bool https) {
  std::string_view host = authority.substr(0, authority.find(':'));
  if (host.size() < authority.size()) {
    std::string_view port = authority.substr(host.size() + 1);
    if (!digits(port) || port.size() > 5 || port[0] == '0') return false;
    int number = small_number(port);
    if (number > 65535 || number == (https ? 443 : 80)) return false;
  }
  if (host.empty() || host.front() == '.' || host.back() == '.' || host.find("..") != std::string_view::npos) return false;
  bool number_like = true;
  for (char c : host) {
    bool label_byte = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
    if (!label_byte) return false;
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || c == 'x' || c == '.')) number_like = false;
  }
  return !number_like || normal_ipv4(host);
}

// RFC 3986 section 5.2.4, for a path that starts with "/".
std::string remove_dot_segments(std::string_view in) {
  std::string out;
  while (!in.empty()) {
    if (in.substr(0, 3) == "/./") {
      in.remove_prefix(2);
    } else if (in == "/.") {
      in = "/";
    } else if (in.substr(0, 4) == "/../" || in == "/..") {
      in = in.size() == 3 ? std::string_view("/") : in.substr(3);
      auto last = out.rfind('/');
      out.erase(last == std::string::npos ? 0 : last);
    } else {
      size_t end = in.find('/', 1);
      if (end == std::string_view::npos) end = in.size();
      out.append(in.substr(0, end));
      in.remove_prefix(end);
    }
  }
  return out;
}

// "scheme://authority" + the rest, for an absolute http(s) URL in normal form.
std::optional<std::string> absolute(std::string_view url) {
  bool https = url.substr(0, 8) == "https://";
  if (!https && url.substr(0, 7) != "http://") return std::nullopt;
  size_t authority_start = https ? 8 : 7;
  size_t path_start = url.find('/', authority_start);
  if (path_start == std::string_view::npos) return std::nullopt;
  if (!normal_authority(url.substr(authority_start, path_start - authority_start), https)) return std::nullopt;
  std::string_view rest = url.substr(path_start);
  size_t query = rest.find('?');
  if (!normal_path(rest.substr(0, query))) return std::nullopt;
  if (query != std::string_view::npos && (query + 1 == rest.size() || !normal_text(rest.substr(query)))) return std::nullopt;
  return std::string(url);
}

}  // namespace

std::optional<Base> parse_base(std::string_view url) {
  if (url.find('#') != std::string_view::npos || !absolute(url)) return std::nullopt;
  Base base;
  base.url = std::string(url);
  base.path_start = base.url.find('/', base.url.find("://") + 3);
  base.query_start = std::min(base.url.find('?'), base.url.size());
  return base;
}

std::optional<std::string> resolve(const Base& base, std::string_view href) {
  size_t hash = href.find('#');
  if (hash != std::string_view::npos) {
    if (!plain_fragment(href.substr(hash + 1))) return std::nullopt;
    href = href.substr(0, hash);
  }
  if (href.empty()) return base.url;
  size_t query = href.find('?');
  std::string_view query_part = query == std::string_view::npos ? std::string_view() : href.substr(query);
  if (!query_part.empty() && (query_part.size() == 1 || !normal_text(query_part))) return std::nullopt;
  std::string_view path = href.substr(0, query);
  if (path.empty()) return base.url.substr(0, base.query_start) + std::string(query_part);

  PathScan scan = scan_path(path);
  if (scan.scheme) return absolute(href);
  // Checked as written: removing dot segments could drop a byte the normaliser would encode.
  // "//host/path" is another host: libcurl's, as are "%2E" segments.
  if (!scan.normal || scan.escaped_dot || scan.empty_segment) return std::nullopt;
  // libcurl's own dot-segment removal differs from RFC 3986 where the path ends in a dot
  // segment or in "/" after one ("..", "./", "x/.?q"): those stay libcurl's.
  if (scan.ends_dotted || (scan.dot_segment && path.back() == '/')) return std::nullopt;
  if (path[0] == '/' && scan.dot_segment) return std::nullopt;  // not in normal form
  std::string full;
  if (path[0] != '/') {
    std::string_view base_path = std::string_view(base.url).substr(base.path_start, base.query_start - base.path_start);
    full = remove_dot_segments(std::string(base_path.substr(0, base_path.rfind('/') + 1)) + std::string(path));
    if (full.empty()) full = "/";
    if (!normal_path(full)) return std::nullopt;
    path = full;
  }
  std::string_view origin = std::string_view(base.url).substr(0, base.path_start);
  std::string url;
  url.reserve(origin.size() + path.size() + query_part.size());
  return url.append(origin).append(path).append(query_part);
}

}  // namespace oit::url::canonical
