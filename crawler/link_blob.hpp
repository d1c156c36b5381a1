// A page's links as one value. The crawl state keeps one row per page instead of one per link:
// a 10,000-page agency site has over a million links (the ~80-link menu repeats on every
// page), and a row and an index entry each cost the writer thread more than parsing them did.
//
// Format, per link in page order: varint target id, one byte (region << 4 | tag), varint
// anchor length, anchor bytes. Varints are LEB128 (7 bits a byte, low bits first).
#pragma once

#include <string>
#include <string_view>
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

std::string encode(const std::vector<LinkRow>& links);

// One decoded link; the anchor points into the blob.
struct LinkView {
  UrlId dst = 0;
  std::string_view anchor_text;
  Region region = Region::body;
  LinkTag tag = LinkTag::a;
};

// Reads a blob link by link. A damaged state file ends the page early instead of yielding
// garbage: next() returns false at the end and at the first malformed byte.
class Reader {
 public:
  explicit Reader(std::string_view blob) : rest_(blob) {}
  bool next(LinkView& link);
  bool malformed() const { return malformed_; }

 private:
  bool varint(uint64_t& value);
  std::string_view rest_;
  bool malformed_ = false;
};

}  // namespace link_blob
}  // namespace oit
