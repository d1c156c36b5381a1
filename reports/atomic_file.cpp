#include <unistd.h>

#include <cstdio>
#include <fstream>

#include "reports/render.hpp"

namespace oit {

tl::expected<void, std::string> write_file_atomically(const std::string& path, const std::string& content) {
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return tl::unexpected("cannot write " + tmp);
    out << content;
    out.flush();
    if (!out) {
      std::remove(tmp.c_str());
      return tl::unexpected("cannot write " + tmp + " (disk full?); the previous " + path + " is kept");
    }
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    return tl::unexpected("cannot replace " + path);
  }
  return {};
}

}  // namespace oit
