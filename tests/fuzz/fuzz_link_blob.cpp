// libFuzzer: a page's stored links (crawler/link_blob) from a damaged state file never crash
// the reader, and what it does read encodes and reads back to the same links.
#include <cstdint>
#include <string>
#include <vector>

#include "crawler/link_blob.hpp"

namespace {
std::vector<oit::LinkRow> read_all(std::string_view blob, const oit::link_blob::Anchors& anchors) {
  std::vector<oit::LinkRow> links;
  oit::link_blob::Reader reader(blob, &anchors);
  for (oit::link_blob::LinkView l; reader.next(l);)
    links.push_back(oit::LinkRow{l.dst, std::string(l.anchor_text), l.region, l.tag});
  return links;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  // The first byte sizes the anchor table the blob's shared ids point into.
  oit::link_blob::Anchors anchors(data[0] % 8 + 1);
  for (size_t id = 1; id < anchors.size(); ++id) anchors[id] = "anchor " + std::to_string(id);
  std::string_view blob(reinterpret_cast<const char*>(data + 1), size - 1);
  auto links = read_all(blob, anchors);
  auto again = read_all(oit::link_blob::encode(links), anchors);
  if (again.size() != links.size()) __builtin_trap();
  for (size_t i = 0; i < links.size(); ++i)
    if (again[i].dst != links[i].dst || again[i].anchor_text != links[i].anchor_text ||
        again[i].region != links[i].region || again[i].tag != links[i].tag)
      __builtin_trap();
  return 0;
}
