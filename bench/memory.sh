#!/usr/bin/env bash
# Memory with a million known URLs: bench/million serves /fan/K pages of 1,000 links each; with
# --max-depth 2 oitcheck fetches 1,002 pages and records 1,000,000 more URLs as too deep.
# Prints peak RSS (/usr/bin/time -v) and bytes per known URL.
set -euo pipefail
cd "$(dirname "$0")/.."
port=${PORT:-18090}
out=${BENCH_WORK:-/tmp/oitcheck-bench}/million
build/oitcheck serve-fixture bench/million --port "$port" >/dev/null &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
sleep 0.5
rm -rf "$out"
/usr/bin/time -v -o "$out.time" build/oitcheck crawl "http://127.0.0.1:$port/" --out "$out" --max-depth 2 \
  --max-pages 2000000 --time-budget 0 >/dev/null
known=$(sqlite3 "$out/crawl.sqlite" "SELECT COUNT(*) FROM urls" 2>/dev/null || python3 -c "import json;print(json.load(open('$out/graph.json'))['meta']['summary'])")
rss_kb=$(grep "Maximum resident" "$out.time" | awk '{print $NF}')
wall=$(grep "Elapsed" "$out.time" | awk '{print $NF}')
echo "known URLs: $known, peak RSS: $((rss_kb / 1024)) MiB, wall: $wall, bytes per known URL: $((rss_kb * 1024 / known))"
