// Names the calling thread, as top -H, perf and gdb show it (bench/run.sh's PROFILE=1 splits a
// crawl's CPU by these names). Linux keeps 15 bytes of a name.
#pragma once

#include <pthread.h>

namespace oit {

inline void name_this_thread(const char* name) { pthread_setname_np(pthread_self(), name); }

}  // namespace oit
