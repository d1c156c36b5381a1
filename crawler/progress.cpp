#include "crawler/progress.hpp"

#include <cstdio>

namespace oit {

void Progress::show(size_t done, size_t queued, size_t errors) {
  if (!enabled_) return;
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  double rate = seconds > 0 ? static_cast<double>(done) / seconds : 0;
  std::fprintf(stderr, "\r\033[K%zu fetched, %zu queued, %zu errors, %.0f pages/s", done, queued, errors, rate);
  std::fflush(stderr);
  shown_ = true;
}

void Progress::done() {
  if (enabled_ && shown_) std::fputs("\r\033[K", stderr);
}

}  // namespace oit
