#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan) and runs each for SECONDS (default 10)
# on its seed corpus in tests/fuzz/corpus/<target>. New inputs go to build-fuzz/corpus/<target>;
# a crash stops the script with the input saved as build-fuzz/crash-*.
#   scripts/fuzz.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(url extract charset robots sitemap rules link_blob gzip)
CC=clang CXX=clang++ cmake -S . -B build-fuzz -DOITCHECK_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build-fuzz -j"$(nproc)" --target $(printf 'fuzz_%s ' "${targets[@]}") >/dev/null
for t in "${targets[@]}"; do
  mkdir -p "build-fuzz/corpus/$t"
  echo "fuzz_$t: ${seconds}s"
  (cd build-fuzz && "./fuzz_$t" -max_total_time="$seconds" -print_final_stats=1 -rss_limit_mb=2048 \
     "corpus/$t" "../tests/fuzz/corpus/$t" 2>&1 | grep -E "^(#|stat::number_of_executed_units|stat::peak_rss|Done|==)" | tail -4)
done
