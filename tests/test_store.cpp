#include <doctest/doctest.h>

#include <limits>

#include "crawler/link_blob.hpp"
#include "crawler/sql.hpp"
#include "crawler/store.hpp"
#include "tests/support.hpp"

using namespace oit;
using oit::testing::slurp;
using oit::testing::TempDir;

namespace {
std::vector<LinkRow> decode(std::string_view blob, bool* malformed = nullptr, const link_blob::Anchors& anchors = {}) {
  std::vector<LinkRow> out;
  link_blob::Reader reader(blob, &anchors);
  for (link_blob::LinkView l; reader.next(l);) out.push_back(LinkRow{l.dst, std::string(l.anchor_text), l.region, l.tag});
  if (malformed) *malformed = reader.malformed();
  return out;
}

bool same(const std::vector<LinkRow>& a, const std::vector<LinkRow>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (a[i].dst != b[i].dst || a[i].anchor_text != b[i].anchor_text || a[i].region != b[i].region ||
        a[i].tag != b[i].tag)
      return false;
  return true;
}

// A state file as an older oitcheck left it: `sql` run on a new file.
void write_old_state(const std::string& path, const char* sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  CHECK(sqlite3_exec(db, sql, nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(db);
}

}  // namespace

TEST_CASE("a page's links survive the one-row encoding: ids, anchors, regions and tags, in page order") {
  std::vector<LinkRow> links = {
      {1, "หน้าแรก", Region::menu, LinkTag::a},
      {127, "", Region::body, LinkTag::redirect},  // the largest one-byte id, no anchor
      {128, std::string(300, 'x'), Region::footer, LinkTag::meta_refresh},  // two-byte id and length
      {std::numeric_limits<UrlId>::max(), "quote \" and \\ and \n", Region::sidebar, LinkTag::iframe},
      {1, "หน้าแรก", Region::menu, LinkTag::a},  // duplicates are kept: each is a click
  };
  bool malformed = true;
  CHECK(same(decode(link_blob::encode(links), &malformed), links));
  CHECK_FALSE(malformed);
  CHECK(decode(link_blob::encode({})).empty());
}

TEST_CASE("a damaged link row ends that page's links instead of yielding garbage") {
  std::string blob = link_blob::encode({{5, "ok", Region::body, LinkTag::a}, {6, "lost", Region::body, LinkTag::a}});
  size_t first = 1 + 1 + 1 + 2;  // id, kinds, length, "ok"
  for (size_t cut = first + 1; cut < blob.size(); ++cut) {  // every truncation inside the second link
    bool malformed = false;
    auto got = decode(std::string_view(blob).substr(0, cut), &malformed);
    CAPTURE(cut);
    CHECK(got.size() == 1);
    CHECK(malformed);
  }
  std::string bad_kind = blob;
  bad_kind[first + 1] = static_cast<char>(0x4F);  // region 4 and tag 15 do not exist
  CHECK(decode(bad_kind).size() == 1);
  CHECK(decode(std::string(12, '\xFF')).empty());  // a varint that never ends
}

TEST_CASE("a crawl state from before one row a page has its link rows converted on open") {
  TempDir dir;
  std::string path = dir.path() + "/crawl.sqlite";
  write_old_state(path, R"SQL(
      CREATE TABLE links(src INTEGER NOT NULL, dst INTEGER NOT NULL, ord INTEGER NOT NULL,
                         anchor TEXT NOT NULL, region TEXT NOT NULL, tag TEXT NOT NULL);
      INSERT INTO links VALUES (1, 3, 1, 'ข่าว', 'body', 'a');
      INSERT INTO links VALUES (1, 2, 0, 'โครงสร้าง', 'menu', 'a');
      INSERT INTO links VALUES (1, 4, 2, '', 'footer', 'meta-refresh');
      INSERT INTO links VALUES (2, 5, 0, '', 'body', 'redirect');
    )SQL");
  auto converted = [](Store& store) {
    sql::Statement q(store.handle(), "SELECT src, links FROM page_links ORDER BY src");
    REQUIRE(q.step());
    CHECK(q.integer(0) == 1);
    CHECK(same(decode(q.blob(1)), {{2, "โครงสร้าง", Region::menu, LinkTag::a},
                                   {3, "ข่าว", Region::body, LinkTag::a},
                                   {4, "", Region::footer, LinkTag::meta_refresh}}));
    REQUIRE(q.step());
    CHECK(q.integer(0) == 2);
    CHECK(same(decode(q.blob(1)), {{5, "", Region::body, LinkTag::redirect}}));
    CHECK_FALSE(q.step());
  };
  // A reader (reports on an old crawl folder, which may be read-only) converts for itself and
  // leaves the file as it was.
  std::string before = slurp(path);
  for (int open = 0; open < 2; ++open) {
    auto store = Store::open(path, Store::Access::read);
    REQUIRE_MESSAGE(store, (store ? "" : store.error()));
    converted(*store);
  }
  CHECK(slurp(path) == before);
  for (int open = 0; open < 2; ++open) {  // the second open finds nothing left to convert
    auto store = Store::open(path);
    REQUIRE(store);
    sql::Statement old_table(store->handle(), "SELECT 1 FROM sqlite_master WHERE name = 'links'");
    CHECK_FALSE(old_table.step());
    converted(*store);
  }
  CHECK(slurp(path) != before);
}

TEST_CASE("a crawl state from before click_paths has its depths copied on open, and a reader leaves the file as it was") {
  TempDir dir;
  std::string path = dir.path() + "/crawl.sqlite";
  write_old_state(path, R"SQL(
      CREATE TABLE urls(id INTEGER PRIMARY KEY, url TEXT NOT NULL UNIQUE, kind TEXT NOT NULL,
                        discovered_depth INTEGER NOT NULL, via TEXT NOT NULL DEFAULT 'link',
                        state TEXT NOT NULL DEFAULT 'queued', excerpt TEXT, click_depth INTEGER, parent INTEGER);
      INSERT INTO urls(id, url, kind, discovered_depth, state, click_depth, parent) VALUES
        (1, 'http://x/', 'page', 0, 'done', 0, NULL),
        (2, 'http://x/about/', 'page', 1, 'done', 1, 1),
        (3, 'http://x/orphan.html', 'page', 1, 'done', NULL, NULL);
    )SQL");
  auto depths = [](Store& store) {
    std::vector<std::string> rows;
    sql::Statement q(store.handle(), "SELECT id, click_depth, COALESCE(parent, 0) FROM click_paths ORDER BY id");
    while (q.step()) rows.push_back(std::to_string(q.integer(0)) + ":" + std::to_string(q.integer(1)) + "<" +
                                    std::to_string(q.integer(2)));
    return rows;
  };
  const std::vector<std::string> expected{"1:0<0", "2:1<1"};  // the orphan has no click path
  std::string before = slurp(path);
  for (int open = 0; open < 2; ++open) {
    auto store = Store::open(path, Store::Access::read);
    REQUIRE_MESSAGE(store, (store ? "" : store.error()));
    CHECK(depths(*store) == expected);
  }
  CHECK(slurp(path) == before);
  for (int open = 0; open < 2; ++open) {  // copied once; the second open finds the table filled
    auto store = Store::open(path);
    REQUIRE(store);
    CHECK(depths(*store) == expected);
  }
}

TEST_CASE("a page written again (a resumed crawl re-parses it) replaces its links") {
  TempDir dir;
  auto store = Store::open(dir.path() + "/crawl.sqlite");
  REQUIRE(store);
  REQUIRE(store->apply({LinksOfPage{7, {{8, "old", Region::body, LinkTag::a}, {9, "", Region::body, LinkTag::a}}}}));
  REQUIRE(store->apply({LinksOfPage{7, {{10, "new", Region::menu, LinkTag::a}}}}));
  sql::Statement q(store->handle(), "SELECT links, count FROM page_links WHERE src = 7");
  REQUIRE(q.step());
  CHECK(same(decode(q.blob(0)), {{10, "new", Region::menu, LinkTag::a}}));
  CHECK(q.integer(1) == 1);  // the count the click-depth walk sizes its arrays by
  CHECK_FALSE(q.step());
}

TEST_CASE("anchor texts repeated across pages are stored once, and a resumed crawl keeps numbering them") {
  TempDir dir;
  const std::string menu = "เกี่ยวกับเรา";
  auto count_anchors = [](Store& store) {
    sql::Statement q(store.handle(), "SELECT COUNT(*) FROM anchors");
    q.step();
    return q.integer(0);
  };
  auto links_of = [](Store& store, UrlId src) {
    auto anchors = link_blob::load_anchors(store.handle());
    sql::Statement q(store.handle(), "SELECT links FROM page_links WHERE src = ?");
    q.bind(1, int64_t{src});
    REQUIRE(q.step());
    bool malformed = true;
    auto links = decode(q.blob(0), &malformed, anchors);
    CHECK_FALSE(malformed);
    return links;
  };
  {
    auto store = Store::open(dir / "crawl.sqlite");
    REQUIRE(store);
    for (UrlId page = 1; page <= 3; ++page)
      REQUIRE(store->apply({LinksOfPage{page, {{1, menu, Region::menu, LinkTag::a},
                                               {page + 10, "ข่าวที่ " + std::to_string(page), Region::body, LinkTag::a},
                                               {2, "PDF", Region::body, LinkTag::a}}}}));
    CHECK(count_anchors(*store) == 4);  // the menu once, three news anchors; "PDF" is too short to share
    CHECK(same(links_of(*store, 2), {{1, menu, Region::menu, LinkTag::a},
                                     {12, "ข่าวที่ 2", Region::body, LinkTag::a},
                                     {2, "PDF", Region::body, LinkTag::a}}));
  }
  auto resumed = Store::open(dir / "crawl.sqlite");
  REQUIRE(resumed);
  REQUIRE(resumed->apply({LinksOfPage{4, {{1, menu, Region::menu, LinkTag::a}, {5, "ใหม่ล่าสุด", Region::body, LinkTag::a}}}}));
  CHECK(count_anchors(*resumed) == 5);
  CHECK(same(links_of(*resumed, 4), {{1, menu, Region::menu, LinkTag::a}, {5, "ใหม่ล่าสุด", Region::body, LinkTag::a}}));
  CHECK(same(links_of(*resumed, 1), {{1, menu, Region::menu, LinkTag::a},
                                     {11, "ข่าวที่ 1", Region::body, LinkTag::a},
                                     {2, "PDF", Region::body, LinkTag::a}}));
}

TEST_CASE("the anchor dictionary is bounded: past its size anchors are stored inline, and unknown ids are damage") {
  link_blob::Dictionary dictionary;
  std::vector<std::pair<uint32_t, std::string>> added;
  for (size_t i = 0; i < link_blob::Dictionary::kMaxShared; ++i)
    CHECK(dictionary.id_of("anchor " + std::to_string(i), added) == i + 1);
  CHECK(added.size() == link_blob::Dictionary::kMaxShared);
  CHECK(dictionary.id_of("one more anchor", added) == 0);
  CHECK(dictionary.id_of("anchor 7", added) == 8);  // known ones are still shared
  CHECK(added.size() == link_blob::Dictionary::kMaxShared);
  link_blob::Dictionary by_bytes;  // and bounded in bytes of text
  std::string long_anchor(link_blob::Dictionary::kMaxSharedBytes / 2, 'x');
  CHECK(by_bytes.id_of(long_anchor, added) == 1);
  CHECK(by_bytes.id_of(long_anchor + "y", added) == 0);
  CHECK(by_bytes.id_of("short one", added) == 2);

  std::vector<LinkRow> links = {{3, "anchor 7", Region::body, LinkTag::a}, {4, "one more anchor", Region::body, LinkTag::a}};
  std::string blob = link_blob::encode(links, &dictionary, &added);
  link_blob::Anchors anchors(9);
  anchors[8] = "anchor 7";
  CHECK(same(decode(blob, nullptr, anchors), links));
  bool malformed = false;
  CHECK(decode(blob, &malformed, link_blob::Anchors(5)).empty());  // id 8 is not in this table
  CHECK(malformed);
  link_blob::Reader graph_only(blob, nullptr);  // a reader of targets alone needs no table
  link_blob::LinkView link;
  REQUIRE(graph_only.next(link));
  CHECK((link.dst == 3 && link.anchor_text.empty()));
  REQUIRE(graph_only.next(link));
  CHECK((link.dst == 4 && link.anchor_text == "one more anchor"));
}
