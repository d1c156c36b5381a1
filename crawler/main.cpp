#include <cstdio>
#include <exception>

#include "crawler/cli.hpp"

// jemalloc's settings, read when it starts (a build without jemalloc ignores them): one arena
// for all threads, and freed pages handed back to the system after a second, not ten. Its
// defaults (four arenas a core) added 7 MiB to the 10k crawl's peak memory and no speed;
// these keep it at glibc's (37-39 MiB). Handing pages back at once cost 10% more CPU.
extern "C" {
const char* malloc_conf = "narenas:1,dirty_decay_ms:1000,muzzy_decay_ms:0";
}

int main(int argc, char** argv) {
  try {
    return oit::run_cli(argc, argv);
  } catch (const std::exception& e) {
    // Library code reports errors as values; reaching here is a bug, still one line.
    std::fprintf(stderr, "oitcheck: internal error: %s\n", e.what());
    return 1;
  }
}
