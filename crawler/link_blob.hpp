// A page's links as one value. The crawl state keeps one row per page instead of one per link:
// a 10,000-page agency site has over a million links (the ~80-link menu repeats on every
// page), and a row and an index entry each cost the writer thread more than parsing them did.
// Anchor texts repeat the same way (the menu again), so the ones seen first are stored once
// in a dictionary (the `anchors` table) and links carry their number.
//
// Format, per link in page order: varint target id; one byte, region << 4 | shared << 3 | tag;
// then either (shared) the varint dictionary id, or the varint anchor length and the bytes.
// Varints are LEB128 (7 bits a byte, low bits first).
#pragma once

#include <sqlite3.h>

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "crawler/page.hpp"

namespace oit {

using UrlId = uint32_t;

struct LinkRow {
  UrlId dst = 0;
  std::string anchor_text;
  Region region = Region::body;
  LinkTag tag = LinkTag::a;
};

namespace link_blob {

// The writer's side of the anchor dictionary. Bounded: past kMaxShared anchors or
// kMaxSharedBytes of text the rest are stored inline, so a site of a million distinct anchors
// costs no more memory than this (and a fleet holds one per site crawling).
class Dictionary {
 public:
  static constexpr size_t kMaxShared = 16384;
  static constexpr size_t kMaxSharedBytes = 1 << 20;
  // Anchors shorter than this gain nothing from an id.
  static constexpr size_t kMinShared = 4;
  // The anchors already in a state's table, for a resumed crawl.
  void load(sqlite3* db);
  // The anchor's id, or 0 when it is stored inline; a new id is appended to `added`.
  uint32_t id_of(const std::string& anchor, std::vector<std::pair<uint32_t, std::string>>& added);

 private:
  std::unordered_map<std::string, uint32_t> ids_;
  size_t bytes_ = 0;
  uint32_t last_id_ = 0;
};

// Without a dictionary every anchor is inline.
std::string encode(const std::vector<LinkRow>& links, Dictionary* dictionary = nullptr,
                   std::vector<std::pair<uint32_t, std::string>>* added = nullptr);

// The readers' side: anchor texts by id (ids are dense from 1).
using Anchors = std::vector<std::string>;
Anchors load_anchors(sqlite3* db);

// One decoded link; the anchor points into the blob or the dictionary.
struct LinkView {
  UrlId dst = 0;
  std::string_view anchor_text;
  uint32_t anchor_id = 0;  // its dictionary id when shared, else 0
  Region region = Region::body;
  LinkTag tag = LinkTag::a;
};

// Reads a blob link by link. A damaged state file ends the page early instead of yielding
// garbage: next() returns false at the end and at the first malformed byte or unknown id.
// Without the anchor table (a reader that needs only the graph) shared anchors read as "".
class Reader {
 public:
  Reader(std::string_view blob, const Anchors* anchors) : rest_(blob), anchors_(anchors) {}
  bool next(LinkView& link);
  bool malformed() const { return malformed_; }

 private:
  bool varint(uint64_t& value);
  std::string_view rest_;
  const Anchors* anchors_;
  bool malformed_ = false;
};

}  // namespace link_blob
}  // namespace oit
