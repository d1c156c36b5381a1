#include "crawler/extract.hpp"

#include <gumbo.h>
#include <strings.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

namespace oit {

const char* to_string(Region r) {
  switch (r) {
    case Region::menu: return "menu";
    case Region::sidebar: return "sidebar";
    case Region::footer: return "footer";
    case Region::body: break;
  }
  return "body";
}

const char* to_string(LinkTag t) {
  switch (t) {
    case LinkTag::a: return "a";
    case LinkTag::area: return "area";
    case LinkTag::iframe: return "iframe";
    case LinkTag::frame: return "frame";
    case LinkTag::embed: return "embed";
    case LinkTag::object: return "object";
    case LinkTag::meta_refresh: return "meta-refresh";
    case LinkTag::redirect: return "redirect";
  }
  return "a";
}

namespace {

// Bump allocation for gumbo: one per parse thread, reset after each page. Individual frees are
// no-ops; the blocks are reused by the next page, since allocating and freeing a tree's worth
// of 256 KiB blocks for every page kept malloc busy consolidating. Past kKeptBlocks (a big
// page) and requests larger than a block, memory goes back when the page is done.
class ParseArena {
 public:
  static void* allocate(void* self, size_t size) { return static_cast<ParseArena*>(self)->take(size); }
  static void release(void*, void*) {}

  void reset() {
    if (blocks_.size() > kKeptBlocks) blocks_.resize(kKeptBlocks);
    oversized_.clear();
    used_ = 0;
    left_ = 0;
  }

 private:
  static constexpr size_t kBlock = 256 * 1024;
  static constexpr size_t kKeptBlocks = 4;
  using Memory = std::unique_ptr<std::max_align_t[]>;
  static Memory make(size_t bytes) {
    return std::make_unique_for_overwrite<std::max_align_t[]>(bytes / sizeof(std::max_align_t) + 1);
  }

  void* take(size_t size) {
    size = (size + 15) & ~size_t{15};
    if (size > kBlock) return oversized_.emplace_back(make(size)).get();
    if (size > left_) {
      if (used_ == blocks_.size()) blocks_.push_back(make(kBlock));
      next_ = reinterpret_cast<char*>(blocks_[used_++].get());
      left_ = kBlock;
    }
    void* p = next_;
    next_ += size;
    left_ -= size;
    return p;
  }

  std::vector<Memory> blocks_;     // blocks_[0, used_) hold this page's tree
  std::vector<Memory> oversized_;  // one-off allocations larger than a block
  size_t used_ = 0;
  char* next_ = nullptr;
  size_t left_ = 0;
};

const char* attr(const GumboNode* n, const char* name) {
  const GumboAttribute* a = gumbo_get_attribute(&n->v.element.attributes, name);
  return a ? a->value : nullptr;
}

bool contains_ci(const char* haystack, const char* needle) {
  return haystack && strcasestr(haystack, needle) != nullptr;
}

// The length of the whitespace at s[i]: 1 for ASCII whitespace, 2 for U+00A0, 0 for none.
size_t space_at(std::string_view s, size_t i) {
  auto c = static_cast<unsigned char>(s[i]);
  if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') return 1;
  return c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xA0 ? 2 : 0;
}

// Where the run of visible bytes that goes on at s[i] ends. Most bytes can start no whitespace
// (Thai is all lead and continuation bytes above 0xC2), so eight bytes at a time are skipped
// while none of them is below 0x21 or 0xC2 (the bit tricks of "Bit Twiddling Hacks": a byte
// less than n, a byte equal to zero), and only the rest are looked at closely.
size_t visible_run_end(std::string_view s, size_t i) {
  constexpr uint64_t kOnes = 0x0101010101010101ULL, kHighBits = 0x8080808080808080ULL;
  for (; i + 8 <= s.size(); i += 8) {
    uint64_t word;
    std::memcpy(&word, s.data() + i, 8);
    uint64_t below_0x21 = (word - kOnes * 0x21) & ~word & kHighBits;
    uint64_t xor_c2 = word ^ (kOnes * 0xC2);
    uint64_t is_c2 = (xor_c2 - kOnes) & ~xor_c2 & kHighBits;
    if (below_0x21 | is_c2) break;
  }
  for (; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if ((c <= ' ' || c == 0xC2) && space_at(s, i)) break;
  }
  return i;
}

// Appends text with runs of whitespace (ASCII and no-break space) collapsed to one space.
// A sink is reused from link to link (restart), so its buffer grows once per thread rather
// than a few times for every anchor text.
class TextSink {
 public:
  explicit TextSink(size_t limit) : limit_(limit) {}
  void restart(size_t limit) {
    out_.clear();
    limit_ = limit;
    pending_space_ = false;
  }
  // Runs of visible bytes are appended whole; whitespace (and U+00A0) between them becomes one
  // space. A run may end one byte past the limit, as text() trims to a character anyway.
  void add(std::string_view s) {
    size_t i = 0;
    while (i < s.size() && out_.size() < limit_) {
      if (size_t space = space_at(s, i)) {
        i += space;
        pending_space_ = !out_.empty();
        continue;
      }
      size_t end = visible_run_end(s, i + 1);
      if (pending_space_) {
        out_.push_back(' ');
        pending_space_ = false;
      }
      size_t take = std::min(end - i, std::max<size_t>(1, limit_ - std::min(limit_, out_.size())));
      out_.append(s.data() + i, take);
      i += take;
    }
  }
  // Separate block-level pieces so words of adjacent elements do not run together.
  void boundary() { pending_space_ = !out_.empty(); }
  bool full() const { return out_.size() >= limit_; }
  // The text so far, in a string of its own size.
  std::string text() {
    // The limit may have cut a multi-byte character: drop its incomplete start.
    size_t lead = out_.size();
    while (lead > 0 && (static_cast<unsigned char>(out_[lead - 1]) & 0xC0) == 0x80) --lead;
    if (lead > 0) {
      auto c = static_cast<unsigned char>(out_[lead - 1]);
      size_t need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
      if (out_.size() - (lead - 1) < need) out_.resize(lead - 1);
    }
    return out_;
  }

 private:
  std::string out_;
  size_t limit_;
  bool pending_space_ = false;
};

bool is_hidden_text_container(GumboTag t) {
  return t == GUMBO_TAG_SCRIPT || t == GUMBO_TAG_STYLE || t == GUMBO_TAG_NOSCRIPT ||
         t == GUMBO_TAG_TEMPLATE;
}

// Visible text of a subtree, walked without recursion (pages nest thousands deep). Called for
// every link: the stack and the sink are the thread's, kept from call to call.
std::string subtree_text(const GumboNode* root, size_t limit) {
  thread_local TextSink sink(0);
  thread_local std::vector<const GumboNode*> stack;
  sink.restart(limit);
  stack.assign(1, root);
  while (!stack.empty() && !sink.full()) {
    const GumboNode* n = stack.back();
    stack.pop_back();
    if (n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_CDATA) {
      sink.add(n->v.text.text);
    } else if (n->type == GUMBO_NODE_WHITESPACE) {
      sink.boundary();
    } else if (n->type == GUMBO_NODE_ELEMENT || n->type == GUMBO_NODE_TEMPLATE) {
      if (is_hidden_text_container(n->v.element.tag)) continue;
      const GumboVector& kids = n->v.element.children;
      for (unsigned i = kids.length; i-- > 0;) stack.push_back(static_cast<const GumboNode*>(kids.data[i]));
    }
  }
  return sink.text();
}

// When a link has no visible text (an image banner, an icon), people still name it through
// alt, title or aria-label; the ITA banner on many homepages is exactly such an image.
std::string fallback_label(const GumboNode* link) {
  for (const char* name : {"aria-label", "title"})
    if (const char* v = attr(link, name); v && *v) return v;
  std::vector<const GumboNode*> stack{link};
  while (!stack.empty()) {
    const GumboNode* n = stack.back();
    stack.pop_back();
    if (n->type != GUMBO_NODE_ELEMENT) continue;
    if (n->v.element.tag == GUMBO_TAG_IMG)
      for (const char* name : {"alt", "title", "aria-label"})
        if (const char* v = attr(n, name); v && *v) return v;
    const GumboVector& kids = n->v.element.children;
    for (unsigned i = kids.length; i-- > 0;) stack.push_back(static_cast<const GumboNode*>(kids.data[i]));
  }
  return "";
}

std::string collapse(std::string_view s, size_t limit) {
  thread_local TextSink sink(0);
  sink.restart(limit);
  sink.add(s);
  return sink.text();
}

// An attribute's value as link text (whitespace collapsed, bounded), "" when absent.
std::string attr_text(const GumboNode* n, const char* name) {
  const char* v = attr(n, name);
  return v ? collapse(v, 500) : "";
}

// The page region an element opens, if any. Semantic elements first, then the class and id
// names that CMS themes use for the same parts.
Region region_of(const GumboNode* n, Region inherited) {
  if (inherited != Region::body) return inherited;  // the outermost region names the place
  switch (n->v.element.tag) {
    case GUMBO_TAG_NAV:
    case GUMBO_TAG_HEADER: return Region::menu;
    case GUMBO_TAG_ASIDE: return Region::sidebar;
    case GUMBO_TAG_FOOTER: return Region::footer;
    default: break;
  }
  const char* cls = attr(n, "class");
  const char* id = attr(n, "id");
  const char* role = attr(n, "role");
  if (contains_ci(role, "navigation")) return Region::menu;
  if (contains_ci(role, "contentinfo")) return Region::footer;
  for (const char* name : {cls, id}) {
    if (contains_ci(name, "footer")) return Region::footer;
    if (contains_ci(name, "sidebar") || contains_ci(name, "side-bar") || contains_ci(name, "widget-area"))
      return Region::sidebar;
    if (contains_ci(name, "menu") || contains_ci(name, "navbar") || contains_ci(name, "nav") ||
        contains_ci(name, "header"))
      return Region::menu;
  }
  return Region::body;
}

// "0; url=/x" -> "/x" (the URL part of a meta refresh's content).
std::string refresh_target(const char* content) {
  if (!content) return "";
  const char* u = strcasestr(content, "url");
  if (!u) return "";
  u += 3;
  while (*u == ' ') ++u;
  if (*u != '=') return "";
  ++u;
  while (*u == ' ' || *u == '\'' || *u == '"') ++u;
  std::string target = u;
  while (!target.empty() && (target.back() == '\'' || target.back() == '"' || target.back() == ' '))
    target.pop_back();
  return target;
}

class Extractor {
 public:
  Extractor(std::string_view page_url, const ExtractLimits& limits)
      : base_(page_url), limits_(limits), excerpt_(limits.max_excerpt_bytes) {
    facts_.links.reserve(kTypicalLinks);  // growing a page's links one doubling at a time moved each link 8 times
  }

  PageFacts run(const GumboNode* root) {
    find_base(root);
    struct Frame {
      const GumboNode* node;
      Region region;
    };
    std::vector<Frame> stack{{root, Region::body}};
    while (!stack.empty()) {
      Frame f = stack.back();
      stack.pop_back();
      const GumboNode* n = f.node;
      if (n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_CDATA) {
        // The excerpt is the page's own content: menus and footers repeat on every page.
        if (f.region == Region::body && !excerpt_.full() && in_body_text(n)) excerpt_.add(n->v.text.text);
        continue;
      }
      if (n->type == GUMBO_NODE_WHITESPACE) {
        excerpt_.boundary();
        continue;
      }
      if (n->type != GUMBO_NODE_ELEMENT && n->type != GUMBO_NODE_TEMPLATE) continue;
      GumboTag tag = n->v.element.tag;
      if (tag == GUMBO_TAG_SCRIPT) ++facts_.scripts;
      if (is_hidden_text_container(tag)) continue;
      Region region = region_of(n, f.region);
      visit_element(n, tag, region);
      const GumboVector& kids = n->v.element.children;
      for (unsigned i = kids.length; i-- > 0;)
        stack.push_back({static_cast<const GumboNode*>(kids.data[i]), region});
    }
    facts_.excerpt = excerpt_.text();
    return std::move(facts_);
  }

 private:
  static bool in_body_text(const GumboNode* text) {
    const GumboNode* p = text->parent;
    return p && p->type == GUMBO_NODE_ELEMENT && p->v.element.tag != GUMBO_TAG_TITLE;
  }

  void find_base(const GumboNode* root) {
    std::vector<const GumboNode*> stack{root};
    while (!stack.empty()) {
      const GumboNode* n = stack.back();
      stack.pop_back();
      if (n->type != GUMBO_NODE_ELEMENT) continue;
      if (n->v.element.tag == GUMBO_TAG_BASE) {
        if (const char* href = attr(n, "href")) {
          auto r = base_.resolve(href);
          if (r && r->fetchable()) base_.set_base(r->url);
          return;
        }
      }
      if (n->v.element.tag == GUMBO_TAG_BODY) continue;  // <base> belongs in <head>
      const GumboVector& kids = n->v.element.children;
      for (unsigned i = kids.length; i-- > 0;) stack.push_back(static_cast<const GumboNode*>(kids.data[i]));
    }
  }

  void add_link(const char* href, std::string anchor, Region region, LinkTag tag) {
    if (!href) return;
    if (facts_.links.size() >= limits_.max_links) {
      facts_.links_truncated = true;
      return;
    }
    auto target = base_.resolve(href);
    if (!target) return;  // not a URL at all; nothing a visitor could follow
    facts_.links.push_back(Link{std::move(*target), std::move(anchor), region, tag});
  }

  void visit_element(const GumboNode* n, GumboTag tag, Region region) {
    switch (tag) {
      case GUMBO_TAG_TITLE:
        if (facts_.title.empty()) facts_.title = subtree_text(n, 1000);
        break;
      case GUMBO_TAG_H1:
      case GUMBO_TAG_H2:
      case GUMBO_TAG_H3:
        excerpt_.boundary();
        if (facts_.headings.size() < limits_.max_headings)
          if (auto text = subtree_text(n, 500); !text.empty()) facts_.headings.push_back(std::move(text));
        break;
      case GUMBO_TAG_A:
      case GUMBO_TAG_AREA: {
        const char* href = attr(n, "href");
        if (!href) break;
        std::string text = subtree_text(n, 500);
        if (text.empty()) text = collapse(fallback_label(n), 500);
        if (text.empty() && tag == GUMBO_TAG_AREA) text = attr_text(n, "alt");
        add_link(href, std::move(text), region, tag == GUMBO_TAG_A ? LinkTag::a : LinkTag::area);
        break;
      }
      case GUMBO_TAG_IFRAME:
      case GUMBO_TAG_FRAME:
        add_link(attr(n, "src"), attr_text(n, "title"), region,
                 tag == GUMBO_TAG_IFRAME ? LinkTag::iframe : LinkTag::frame);
        break;
      case GUMBO_TAG_EMBED:
        add_link(attr(n, "src"), attr_text(n, "title"), region, LinkTag::embed);
        break;
      case GUMBO_TAG_OBJECT:
        add_link(attr(n, "data"), attr_text(n, "title"), region, LinkTag::object);
        break;
      case GUMBO_TAG_LINK: {
        const char* rel = attr(n, "rel");
        const char* href = attr(n, "href");
        if (!rel || !href) break;
        auto target = base_.resolve(href);
        if (!target || !target->fetchable()) break;
        const char* type = attr(n, "type");
        if (contains_ci(rel, "alternate") && (contains_ci(type, "rss") || contains_ci(type, "atom")))
          facts_.feeds.push_back(target->url);
        else if (strcasecmp(rel, "https://api.w.org/") == 0)
          facts_.wordpress_api = target->url;
        break;
      }
      case GUMBO_TAG_META: {
        const char* equiv = attr(n, "http-equiv");
        const char* name = attr(n, "name");
        if (equiv && strcasecmp(equiv, "refresh") == 0) {
          std::string target = refresh_target(attr(n, "content"));
          if (!target.empty()) add_link(target.c_str(), "", Region::body, LinkTag::meta_refresh);
        } else if (name && strcasecmp(name, "robots") == 0 && contains_ci(attr(n, "content"), "nofollow")) {
          facts_.nofollow = true;
        }
        break;
      }
      case GUMBO_TAG_P:
      case GUMBO_TAG_DIV:
      case GUMBO_TAG_LI:
      case GUMBO_TAG_TD:
      case GUMBO_TAG_BR:
        excerpt_.boundary();
        break;
      default: break;
    }
  }

  static constexpr size_t kTypicalLinks = 128;  // an agency page: a menu of ~80, 10-40 in the body
  url::Resolver base_;  // the page's URL, or its <base href>
  const ExtractLimits& limits_;
  TextSink excerpt_;
  PageFacts facts_;
};

}  // namespace

PageFacts extract_page(std::string_view utf8_html, std::string_view page_url, const ExtractLimits& limits) {
  // gumbo allocates every node and string separately; the arena makes those allocations a
  // pointer bump and drops the whole tree at once (malloc/free was a fifth of the crawl's CPU).
  thread_local ParseArena arena;
  struct ResetAfterPage {
    ParseArena& arena;
    ~ResetAfterPage() { arena.reset(); }
  } reset_after_page{arena};
  GumboOptions options = kGumboDefaultOptions;
  options.max_errors = 0;  // recording parse errors costs time and memory we never use
  options.allocator = &ParseArena::allocate;
  options.deallocator = &ParseArena::release;
  options.userdata = &arena;
  GumboOutput* out = gumbo_parse_with_options(&options, utf8_html.data(), utf8_html.size());
  if (!out) return {};
  return Extractor(page_url, limits).run(out->root);  // the facts are copies: the tree can go
}

}  // namespace oit
