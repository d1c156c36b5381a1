#include "crawler/link_blob.hpp"

#include <limits>

#include "crawler/sql.hpp"

namespace oit::link_blob {
namespace {

void put_varint(std::string& out, uint64_t value) {
  while (value >= 0x80) {
    out.push_back(static_cast<char>((value & 0x7f) | 0x80));
    value >>= 7;
  }
  out.push_back(static_cast<char>(value));
}

constexpr unsigned kShared = 0x08;
constexpr unsigned kLastRegion = static_cast<unsigned>(Region::footer);
constexpr unsigned kLastTag = static_cast<unsigned>(LinkTag::redirect);
static_assert(kLastTag < kShared, "a tag needs at most three bits");

}  // namespace

void Dictionary::load(sqlite3* db) {
  ids_.clear();
  bytes_ = 0;
  last_id_ = 0;
  sql::Statement q(db, "SELECT id, text FROM anchors ORDER BY id");
  while (q.step()) {
    last_id_ = static_cast<uint32_t>(q.integer(0));
    bytes_ += ids_.emplace(q.text(1), last_id_).first->first.size();
  }
}

uint32_t Dictionary::id_of(const std::string& anchor, std::vector<std::pair<uint32_t, std::string>>& added) {
  if (anchor.size() < kMinShared) return 0;
  if (auto it = ids_.find(anchor); it != ids_.end()) return it->second;
  if (ids_.size() >= kMaxShared || bytes_ + anchor.size() > kMaxSharedBytes) return 0;
  ids_.emplace(anchor, ++last_id_);
  bytes_ += anchor.size();
  added.emplace_back(last_id_, anchor);
  return last_id_;
}

std::string encode(const std::vector<LinkRow>& links, Dictionary* dictionary,
                   std::vector<std::pair<uint32_t, std::string>>* added) {
  std::string out;
  out.reserve(links.size() * 8);
  for (const auto& link : links) {
    uint32_t id = dictionary && added ? dictionary->id_of(link.anchor_text, *added) : 0;
    put_varint(out, link.dst);
    out.push_back(static_cast<char>(static_cast<unsigned>(link.region) << 4 | (id ? kShared : 0) |
                                    static_cast<unsigned>(link.tag)));
    if (id) {
      put_varint(out, id);
    } else {
      put_varint(out, link.anchor_text.size());
      out += link.anchor_text;
    }
  }
  return out;
}

Anchors load_anchors(sqlite3* db) {
  Anchors anchors(1);  // id 0 is never used
  sql::Statement q(db, "SELECT id, text FROM anchors ORDER BY id");
  while (q.step()) {
    auto id = static_cast<size_t>(q.integer(0));
    if (id == 0 || id > Dictionary::kMaxShared * 2) continue;  // not written by this program
    if (anchors.size() <= id) anchors.resize(id + 1);
    anchors[id] = q.text(1);
  }
  return anchors;
}

bool Reader::varint(uint64_t& value) {
  value = 0;
  for (int shift = 0; shift < 64 && !rest_.empty(); shift += 7) {
    auto byte = static_cast<unsigned char>(rest_.front());
    rest_.remove_prefix(1);
    value |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if (!(byte & 0x80)) return true;
  }
  return false;
}

bool Reader::next(LinkView& link) {
  if (rest_.empty() || malformed_) return false;
  uint64_t dst = 0, value = 0;
  bool ok = varint(dst) && dst <= std::numeric_limits<UrlId>::max() && !rest_.empty();
  unsigned kinds = ok ? static_cast<unsigned char>(rest_.front()) : 0;
  if (ok) rest_.remove_prefix(1);
  bool shared = kinds & kShared;
  ok = ok && (kinds >> 4) <= kLastRegion && (kinds & 0x7) <= kLastTag && varint(value) &&
       (shared ? value > 0 && (!anchors_ || value < anchors_->size()) : value <= rest_.size());
  if (!ok) {
    malformed_ = true;
    return false;
  }
  link.dst = static_cast<UrlId>(dst);
  link.region = static_cast<Region>(kinds >> 4);
  link.tag = static_cast<LinkTag>(kinds & 0x7);
  link.anchor_id = shared ? static_cast<uint32_t>(value) : 0;
  if (shared) {
    link.anchor_text = anchors_ ? std::string_view((*anchors_)[value]) : std::string_view();
  } else {
    link.anchor_text = rest_.substr(0, value);
    rest_.remove_prefix(value);
  }
  return true;
}

}  // namespace oit::link_blob
