// The oitcheck command line. Returns the process exit code; never throws.
#pragma once

namespace oit {
int run_cli(int argc, char** argv);
}
