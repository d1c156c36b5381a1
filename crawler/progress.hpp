// The live progress line on a terminal: pages done, queued, errors, rate. Silent when
// stderr is not a terminal (cron, CI, pipes).
#pragma once

#include <chrono>
#include <cstddef>

namespace oit {

class Progress {
 public:
  explicit Progress(bool enabled) : enabled_(enabled), started_(std::chrono::steady_clock::now()) {}
  bool enabled() const { return enabled_; }
  void show(size_t done, size_t queued, size_t errors);
  void done();  // ends the line so later output starts clean

 private:
  bool enabled_;
  bool shown_ = false;
  std::chrono::steady_clock::time_point started_;
};

}  // namespace oit
