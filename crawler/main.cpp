#include <cstdio>
#include <exception>

#include "crawler/cli.hpp"

// jemalloc's settings, read when it starts (a build without jemalloc ignores them): one arena
// for all threads. Its default, four a core, added 7 MiB of peak memory and no speed.
extern "C" const char* malloc_conf = "narenas:1";

int main(int argc, char** argv) {
  try {
    return oit::run_cli(argc, argv);
  } catch (const std::exception& e) {
    // Library code reports errors as values; reaching here is a bug, still one line.
    std::fprintf(stderr, "oitcheck: internal error: %s\n", e.what());
    return 1;
  }
}
