#!/usr/bin/env bash
# Sets up oitcheck on a fresh Debian 12 machine: installs the Debian packages it builds with
# (only those missing), then configures and builds into ./build. Safe to run again.
#   scripts/setup.sh                     what the tool and its tests build with
#   scripts/setup.sh --with-test-tools   also the programs the tests drive (scripts/test.sh)
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  build-essential cmake pkg-config
  libcurl4-openssl-dev      # HTTP(S) client: multi_socket, HTTP/2, URL API
  libdeflate-dev zlib1g-dev # gzip bodies: whole pages in one call; zlib's stream for cut ones
  libgumbo-dev              # HTML5 parser
  libjemalloc-dev           # malloc for memory handed between the parse, network and state threads
  libsimdjson-dev           # vectorised UTF-8 validation of every page body
  libboost-dev libboost-program-options-dev  # Asio event loop; command-line parsing
  nlohmann-json3-dev        # JSON reading and writing
  libsqlite3-dev            # crawl state
  libexpected-dev           # tl::expected for errors as values
  libutf8proc-dev           # Unicode NFC and case folding for matching Thai text
  libcsv-dev                # CSV parsing of answers and sites files
  libpq-dev                 # PostgreSQL client: a fleet's shared runs and work queue
  doctest-dev               # tests
  libssl-dev openssl        # SHA-256 for the fleet page's CSP; the fixture server's TLS listener
)
if [ "${1:-}" = "--with-test-tools" ]; then
  packages+=(
    chromium fonts-thai-tlwg-ttf  # tests open report.html in headless Chromium (and take its screenshot)
    systemd                   # tests check the nightly timer unit with systemd-analyze verify
    python3-jsonschema        # tests validate report.json against reports/report.schema.json
    clang libclang-rt-14-dev  # libFuzzer targets (scripts/fuzz.sh)
    postgresql                # fleet tests start a real server (tests/pg/pg_server.sh)
  )
fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

build_type=${OITCHECK_BUILD_TYPE:-RelWithDebInfo}
cmake -S . -B build -DCMAKE_BUILD_TYPE="$build_type" ${OITCHECK_CMAKE_ARGS:-} >/dev/null
cmake --build build -j"$(nproc)"
