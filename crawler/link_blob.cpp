#include "crawler/link_blob.hpp"

#include <limits>

namespace oit::link_blob {
namespace {

void put_varint(std::string& out, uint64_t value) {
  while (value >= 0x80) {
    out.push_back(static_cast<char>((value & 0x7f) | 0x80));
    value >>= 7;
  }
  out.push_back(static_cast<char>(value));
}

constexpr unsigned kLastRegion = static_cast<unsigned>(Region::footer);
constexpr unsigned kLastTag = static_cast<unsigned>(LinkTag::redirect);

}  // namespace

std::string encode(const std::vector<LinkRow>& links) {
  std::string out;
  size_t bytes = 0;
  for (const auto& link : links) bytes += link.anchor_text.size() + 8;
  out.reserve(bytes);
  for (const auto& link : links) {
    put_varint(out, link.dst);
    out.push_back(static_cast<char>(static_cast<unsigned>(link.region) << 4 | static_cast<unsigned>(link.tag)));
    put_varint(out, link.anchor_text.size());
    out += link.anchor_text;
  }
  return out;
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
  uint64_t dst = 0, length = 0;
  bool ok = varint(dst) && dst <= std::numeric_limits<UrlId>::max() && !rest_.empty();
  unsigned kinds = ok ? static_cast<unsigned char>(rest_.front()) : 0;
  if (ok) rest_.remove_prefix(1);
  ok = ok && (kinds >> 4) <= kLastRegion && (kinds & 0xf) <= kLastTag && varint(length) && length <= rest_.size();
  if (!ok) {
    malformed_ = true;
    return false;
  }
  link.dst = static_cast<UrlId>(dst);
  link.region = static_cast<Region>(kinds >> 4);
  link.tag = static_cast<LinkTag>(kinds & 0xf);
  link.anchor_text = rest_.substr(0, length);
  rest_.remove_prefix(length);
  return true;
}

}  // namespace oit::link_blob
