#include <doctest/doctest.h>

#include "crawler/extract.hpp"

using namespace oit;

namespace {
const Link* find_link(const PageFacts& f, const std::string& url) {
  for (const auto& l : f.links)
    if (l.target.url == url) return &l;
  return nullptr;
}
}  // namespace

TEST_CASE("anchor text: visible text, else image alt, else title / aria-label") {
  auto f = extract_page(R"html(<body>
    <a href="/a">  โครงสร้าง   <b>องค์กร</b> </a>
    <a href="/b"><img src="ita.png" alt="ITA 2566"></a>
    <a href="/c" aria-label="ติดต่อเรา"><i class="icon"></i></a>
    <a href="/d" title="แผนงาน"></a>
    <a href="/e"><script>x()</script>ข่าว</a>
  </body>)html", "http://a.go.th/");
  REQUIRE(f.links.size() == 5);
  CHECK(f.links[0].anchor_text == "โครงสร้าง องค์กร");
  CHECK(f.links[1].anchor_text == "ITA 2566");
  CHECK(f.links[2].anchor_text == "ติดต่อเรา");
  CHECK(f.links[3].anchor_text == "แผนงาน");
  CHECK(f.links[4].anchor_text == "ข่าว");
}

TEST_CASE("link regions: menu, sidebar, body, footer") {
  auto f = extract_page(R"html(<body>
    <header><a href="/h">home</a></header>
    <div id="main-menu"><a href="/m">menu</a></div>
    <aside><a href="/s">side</a></aside>
    <div class="widget-area"><a href="/w">widget</a></div>
    <main><a href="/b">body</a></main>
    <div class="site-footer"><nav><a href="/f">footer nav</a></nav></div>
  </body>)html", "http://a.go.th/");
  CHECK(find_link(f, "http://a.go.th/h")->region == Region::menu);
  CHECK(find_link(f, "http://a.go.th/m")->region == Region::menu);
  CHECK(find_link(f, "http://a.go.th/s")->region == Region::sidebar);
  CHECK(find_link(f, "http://a.go.th/w")->region == Region::sidebar);
  CHECK(find_link(f, "http://a.go.th/b")->region == Region::body);
  CHECK(find_link(f, "http://a.go.th/f")->region == Region::footer);
}

TEST_CASE("every linking element: a, area, iframe, frame, embed, object, meta refresh") {
  auto f = extract_page(R"html(<html><head><meta http-equiv="Refresh" content="5; URL='/moved'"></head><body>
    <map><area href="/area" alt="แผนที่"></map>
    <iframe src="https://drive.google.com/file/d/x/preview" title="เอกสาร"></iframe>
    <embed src="/doc.pdf"><object data="/obj.pdf"></object>
    <a name="no-href">anchor only</a>
  </body></html>)html", "http://a.go.th/p/");
  REQUIRE(f.links.size() == 5);
  CHECK(find_link(f, "http://a.go.th/moved")->tag == LinkTag::meta_refresh);
  CHECK(find_link(f, "http://a.go.th/area")->anchor_text == "แผนที่");
  CHECK(find_link(f, "https://drive.google.com/file/d/x/preview")->tag == LinkTag::iframe);
  CHECK(find_link(f, "http://a.go.th/doc.pdf")->tag == LinkTag::embed);
  CHECK(find_link(f, "http://a.go.th/obj.pdf")->tag == LinkTag::object);
}

TEST_CASE("<base href> changes how relative links resolve") {
  auto f = extract_page(R"html(<head><base href="/files/"></head><body><a href="plan.pdf">plan</a></body>)html",
                        "http://a.go.th/plans/index.html");
  REQUIRE(f.links.size() == 1);
  CHECK(f.links[0].target.url == "http://a.go.th/files/plan.pdf");
}

TEST_CASE("anchor text: whitespace anywhere in a long run collapses to one space") {
  // The text is scanned eight bytes at a time: put each kind of whitespace at every offset of
  // a word, between Thai (three-byte) and ASCII letters, and compare with a plain collapse.
  auto plain_collapse = [](const std::string& s) {
    std::string out;
    bool space = false;
    for (size_t i = 0; i < s.size(); ++i) {
      bool nbsp = static_cast<unsigned char>(s[i]) == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xA0;
      if (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r' || s[i] == '\f' || nbsp) {
        i += nbsp;
        space = !out.empty();
        continue;
      }
      if (space) out += ' ';
      space = false;
      out += s[i];
    }
    return out;
  };
  for (std::string gap : {" ", "\t", "\n", "\xC2\xA0", "  \xC2\xA0 "}) {
    for (size_t at = 0; at < 17; ++at) {
      std::string text = std::string("abcdefghijklmnopq").substr(0, at) + gap + "ก©ขฃ" + gap + "xyz1234567890" + gap;
      auto f = extract_page("<a href=\"/x\">" + text + "</a>", "http://a.go.th/");
      REQUIRE(f.links.size() == 1);
      CHECK(f.links[0].anchor_text == plain_collapse(text));
    }
  }
}

TEST_CASE("title, headings and a bounded excerpt without script or style text") {
  auto f = extract_page(R"html(<html><head><title> แผนงาน | สำนักงาน </title><style>p{}</style></head>
    <body><h1>แผนปฏิบัติราชการ</h1><p>ประจำปี&nbsp;2566</p><script>var secret=1;</script>
    <h2>ไตรมาส 1</h2><h4>not a heading we keep</h4></body></html>)html", "http://a.go.th/");
  CHECK(f.title == "แผนงาน | สำนักงาน");
  REQUIRE(f.headings.size() == 2);
  CHECK(f.headings[0] == "แผนปฏิบัติราชการ");
  CHECK(f.headings[1] == "ไตรมาส 1");
  CHECK(f.excerpt.find("ประจำปี 2566") != std::string::npos);
  CHECK(f.excerpt.find("secret") == std::string::npos);
  CHECK(f.excerpt.find("p{}") == std::string::npos);
}

TEST_CASE("mailto, tel and javascript links are kept with their kind") {
  auto f = extract_page(R"html(<a href="mailto:x@a.go.th">mail</a><a href="tel:1">tel</a><a href="javascript:void(0)">js</a>)html",
                        "http://a.go.th/");
  REQUIRE(f.links.size() == 3);
  CHECK(f.links[0].target.scheme == url::Scheme::mailto);
  CHECK(f.links[1].target.scheme == url::Scheme::tel);
  CHECK(f.links[2].target.scheme == url::Scheme::javascript);
}

TEST_CASE("bounds: links past the cap are dropped and flagged; the excerpt is cut on a character boundary") {
  std::string html;
  for (int i = 0; i < 50; ++i) html += "<a href=\"/p" + std::to_string(i) + "\">ก</a>";
  ExtractLimits limits;
  limits.max_links = 10;
  limits.max_excerpt_bytes = 7;  // two Thai letters are 6 bytes; the 7th byte would split one
  auto f = extract_page(html, "http://a.go.th/", limits);
  CHECK(f.links.size() == 10);
  CHECK(f.links_truncated);
  CHECK(f.excerpt == "กก");
}

TEST_CASE("a DOM nested 10,000 deep is walked without recursion") {
  std::string html;
  for (int i = 0; i < 10000; ++i) html += "<div>";
  html += "<a href=\"/deep\">deep</a>";
  auto f = extract_page(html, "http://a.go.th/");
  REQUIRE(f.links.size() == 1);
  CHECK(f.links[0].anchor_text == "deep");
}

TEST_CASE("garbage input yields no links and no crash") {
  auto f = extract_page(std::string("\0\x01<a href=\0>\xFF", 12), "http://a.go.th/");
  CHECK(f.title.empty());
}
