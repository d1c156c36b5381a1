#!/usr/bin/env bash
# Politeness benchmark: a generated 1,000-page site on nginx (each request logged with its time
# in ms), crawled with `--rate R` (default 5 requests a second to the host). Politeness should
# cost nothing but the rate: the crawl should take requests / R seconds (+/- 5%), and no
# one-second window should hold more than R requests. Appends the result to bench/RESULTS.md.
#
#   bench/rate.sh [RATE] [PAGES]      (default 5 1000; needs nginx-light, python3)
set -euo pipefail
cd "$(dirname "$0")/.."
rate=${1:-5}
pages=${2:-1000}
port=${PORT:-18090}
gen=${GEN_SITE:-../shared/bench/gen_site.py}
work=${BENCH_WORK:-/tmp/oitcheck-rate-bench}
site="$work/site-$pages"
mkdir -p "$work"
[ -x build/oitcheck ] || { echo "bench: build oitcheck first (scripts/setup.sh)"; exit 1; }
[ -f "$site/_meta/summary.json" ] || python3 "$gen" "$site" --pages "$pages" --base-url "http://127.0.0.1:$port" >/dev/null
rm -f "$work/access.log"
cat >"$work/nginx.conf" <<NGINX
worker_processes 1; daemon off; pid $work/nginx.pid; error_log $work/nginx-error.log;
events { worker_connections 1024; }
http {
  include /etc/nginx/mime.types; keepalive_requests 100000; gzip on;
  log_format timed '\$msec \$request_time \$request_method \$uri \$status';
  access_log $work/access.log timed;
  server { listen 127.0.0.1:$port; root $site;
    location /legacy/ { rewrite ^/legacy(/.*)\$ \$1 permanent; } location /_meta/ { return 404; } }
}
NGINX
nginx -c "$work/nginx.conf" -p "$work" &
nginx_pid=$!
trap 'kill $nginx_pid 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -fsS -o /dev/null "http://127.0.0.1:$port/robots.txt" 2>/dev/null && break; sleep 0.1; done
: >"$work/access.log"
start=$(date +%s.%N)
rm -rf "$work/out"
build/oitcheck crawl "http://127.0.0.1:$port/" --out "$work/out" --rate "$rate" --concurrency 4 --time-budget 0 \
  --max-pages 1000000 >"$work/crawl.out" 2>&1
end=$(date +%s.%N)
sleep 0.5
python3 - "$work" "$rate" "$pages" "$start" "$end" <<'PY'
import datetime, sys
work, rate, pages, start, end = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5])
# When each request arrived: nginx logs when it finished and how long it took.
times = sorted(float(f[0]) - float(f[1]) for f in (line.split() for line in open(f"{work}/access.log")) if f)
n = len(times)
wall = end - start
expected = (n - 1) / rate  # the first request goes at once
# The most requests in any one-second window. nginx logs in milliseconds and arrival is end
# minus duration (two roundings), so a window is 1 s less 5 ms of clock resolution.
most, j = 0, 0
for i, t in enumerate(times):
    while times[j] <= t - 0.995:
        j += 1
    most = max(most, i - j + 1)
gap = min(b - a for a, b in zip(times, times[1:])) if n > 1 else 0
ok_time = abs(wall - expected) <= 0.05 * expected
text = (f"\n### {datetime.date.today()} - --rate {rate:g} on a {pages}-page generated site (bench/rate.sh)\n\n"
        f"{n} requests reached nginx in {wall:.1f} s; at {rate:g}/s they need {expected:.1f} s "
        f"({'within' if ok_time else 'NOT within'} 5%: {100 * (wall - expected) / expected:+.1f}%). "
        f"The busiest one-second window held {most} requests ({'never above' if most <= rate else 'ABOVE'} the rate); "
        f"the shortest gap between two requests was {1000 * gap:.0f} ms (1/rate = {1000 / rate:.0f} ms).\n")
print(text)
open("bench/RESULTS.md", "a").write(text)
PY
