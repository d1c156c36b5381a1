#!/usr/bin/env bash
# Runs all tests: set up and build (scripts/setup.sh), the test suite; the same suite built with
# AddressSanitizer + UndefinedBehaviorSanitizer; then every libFuzzer target for a short time.
# This is the README's test command and what .ci/run runs.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --with-test-tools
ctest --test-dir build --output-on-failure

cmake -S . -B build-asan -DOITCHECK_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug >/dev/null
cmake --build build-asan -j"$(nproc)"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --test-dir build-asan --output-on-failure

scripts/fuzz.sh "${OITCHECK_FUZZ_SECONDS:-10}"
