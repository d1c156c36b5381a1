#include <cstdio>
#include <exception>

#include "crawler/cli.hpp"

int main(int argc, char** argv) {
  try {
    return oit::run_cli(argc, argv);
  } catch (const std::exception& e) {
    // Library code reports errors as values; reaching here is a bug, still one line.
    std::fprintf(stderr, "oitcheck: internal error: %s\n", e.what());
    return 1;
  }
}
