#!/usr/bin/env bash
# Fleet benchmark: N generated agency sites (150 pages each), each on its own port of one nginx
# on 127.0.0.1, checked by one `oitcheck fleet` run. Prints pages/s, CPU and peak memory per
# fleet size and appends the table to bench/RESULTS.md.
#
#   bench/fleet.sh [N...]        (default: 10 100 500; needs nginx-light, time, python3)
#
# One site is generated (../shared/bench/gen_site.py) and served under every port; nginx's
# sub_filter rewrites its absolute links to the port it is served on, so each port is a site.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("${@:-10 100 500}")
read -r -a sizes <<<"${sizes[*]}"
pages=${PAGES_PER_SITE:-150}
first_port=${FIRST_PORT:-18101}
gen=${GEN_SITE:-../shared/bench/gen_site.py}
work=${BENCH_WORK:-/tmp/oitcheck-fleet-bench}
site="$work/site"
mkdir -p "$work"
for tool in nginx /usr/bin/time python3; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is missing (apt-get install nginx-light time python3)"; exit 1; }
done
[ -x build/oitcheck ] || { echo "bench: build oitcheck first (scripts/setup.sh)"; exit 1; }
[ -f "$site/index.html" ] || python3 "$gen" "$site" --pages "$pages" --base-url "http://127.0.0.1:$first_port" >/dev/null

table="$work/table.md"
{
  echo "### $(date +%F) - fleets of generated sites ($pages pages each), nginx on 127.0.0.1, $(nproc) cores, $(uname -sr)"
  echo
  echo "| sites | pages crawled | wall s | CPU s | peak RSS MiB | pages/s | CPU ms/page | RSS KiB/site |"
  echo "|---:|---:|---:|---:|---:|---:|---:|---:|"
} >"$table"

for n in "${sizes[@]}"; do
  conf="$work/nginx-$n.conf"
  {
    echo "worker_processes 1; daemon off; pid $work/nginx.pid; error_log $work/nginx-error.log;"
    echo "worker_rlimit_nofile 8192; events { worker_connections 4096; }"
    echo "http { include /etc/nginx/mime.types; access_log off; keepalive_requests 100000; gzip on;"
    echo "  gzip_types text/xml application/xml; sub_filter_once off; sub_filter_types text/plain application/xml text/xml;"
    for ((i = 0; i < n; i++)); do
      port=$((first_port + i))
      echo "  server { listen 127.0.0.1:$port; root $site; location /_meta/ { return 404; }"
      echo "    location /legacy/ { rewrite ^/legacy(/.*)\$ \$1 permanent; }"
      echo "    sub_filter 'http://127.0.0.1:$first_port' 'http://127.0.0.1:$port'; }"
    done
    echo "}"
  } >"$conf"
  nginx -c "$conf" -p "$work" &
  nginx_pid=$!
  trap 'kill $nginx_pid 2>/dev/null || true' EXIT
  for _ in $(seq 100); do curl -fsS "http://127.0.0.1:$((first_port + n - 1))/" >/dev/null 2>&1 && break; sleep 0.1; done

  sites="$work/sites-$n.csv"
  echo "name,homepage" >"$sites"
  for ((i = 0; i < n; i++)); do echo "site $i,http://127.0.0.1:$((first_port + i))/" >>"$sites"; done
  rm -rf "$work/out-$n"
  /usr/bin/time -v -o "$work/fleet-$n.time" build/oitcheck fleet "$sites" --rules ita-2566 --out "$work/out-$n" \
    --history "$work/out-$n/history.sqlite" --concurrency 2 >"$work/fleet-$n.out" 2>"$work/fleet-$n.err" || true
  kill $nginx_pid; wait $nginx_pid 2>/dev/null || true

  python3 - "$work" "$n" >>"$table" <<'PY'
import json, re, sys
work, n = sys.argv[1], int(sys.argv[2])
t = open(f"{work}/fleet-{n}.time").read()
get = lambda k: re.search(re.escape(k) + r":\s*(.+)", t).group(1).strip()
parts = [float(p) for p in get("Elapsed (wall clock) time (h:mm:ss or m:ss)").split(":")]
wall = sum(p * 60 ** i for i, p in enumerate(reversed(parts)))
cpu = float(get("User time (seconds)")) + float(get("System time (seconds)"))
rss = int(get("Maximum resident set size (kbytes)"))
fleet = json.load(open(f"{work}/out-{n}/fleet.json"))
pages = sum(s.get("pages", 0) for s in fleet["sites"])
checked = fleet["totals"]["checked"]
assert checked == n, f"only {checked} of {n} sites were checked"
print(f"| {n} | {pages} | {wall:.1f} | {cpu:.1f} | {rss/1024:.0f} | {pages/wall:.0f} | {1000*cpu/max(pages,1):.2f} | {rss/n:.0f} |")
PY
done
cat "$table"
{ echo; cat "$table"; } >>bench/RESULTS.md
