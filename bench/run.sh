#!/usr/bin/env bash
# Crawl benchmark: a generated Thai agency site served by nginx on 127.0.0.1, crawled by
# oitcheck and by `wget --spider -r` in the same run. Prints a table and appends it to
# bench/RESULTS.md.
#
#   bench/run.sh [PAGES]        (default 10000; needs nginx-light, wget, time, python3)
#
# The site comes from ../shared/bench/gen_site.py (the generator shared by the project's
# developers; set GEN_SITE to use another copy). Build oitcheck first (scripts/setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
pages=${1:-10000}
port=${PORT:-18080}
gen=${GEN_SITE:-../shared/bench/gen_site.py}
work=${BENCH_WORK:-/tmp/oitcheck-bench}
site="$work/site-$pages"
mkdir -p "$work"

for tool in nginx wget /usr/bin/time python3; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is missing (apt-get install nginx-light wget time python3)"; exit 1; }
done
[ -x build/oitcheck ] || { echo "bench: build oitcheck first (scripts/setup.sh)"; exit 1; }

if [ ! -f "$site/_meta/summary.json" ]; then
  python3 "$gen" "$site" --pages "$pages" --base-url "http://127.0.0.1:$port" >/dev/null
fi

# nginx: keep-alive, gzip for HTML, /legacy/<path> answers 301 -> /<path> as the generator expects.
conf="$work/nginx.conf"
cat >"$conf" <<NGINX
worker_processes 1;
daemon off;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 1024; }
http {
  include /etc/nginx/mime.types;
  access_log off;
  keepalive_requests 100000;
  gzip on;
  gzip_types text/xml application/xml;  # text/html is always compressed
  server {
    listen 127.0.0.1:$port;
    root $site;
    location /legacy/ { rewrite ^/legacy(/.*)\$ \$1 permanent; }
    location /_meta/ { return 404; }
  }
}
NGINX
nginx -c "$conf" -p "$work" &
nginx_pid=$!
trap 'kill $nginx_pid 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -fsS "http://127.0.0.1:$port/" >/dev/null 2>&1 && break; sleep 0.1; done

measure() {  # name, command...
  local name=$1; shift
  /usr/bin/time -v -o "$work/$name.time" "$@" >"$work/$name.out" 2>"$work/$name.err" || true
}

rm -rf "$work/oitcheck-out"
measure oitcheck build/oitcheck crawl "http://127.0.0.1:$port/" --out "$work/oitcheck-out" \
  --max-pages 1000000 --concurrency 8 --time-budget 0
rm -rf "$work/wget-out"
measure wget wget --spider -r -l inf -nv -P "$work/wget-out" "http://127.0.0.1:$port/"

python3 - "$work" "$pages" <<'PY'
import json, os, platform, re, subprocess, sys, datetime
work, pages = sys.argv[1], int(sys.argv[2])

def timing(name):
    t = open(os.path.join(work, name + ".time")).read()
    get = lambda k: re.search(re.escape(k) + r":\s*(.+)", t).group(1).strip()
    wall = get("Elapsed (wall clock) time (h:mm:ss or m:ss)")
    parts = [float(p) for p in wall.split(":")]
    secs = sum(p * 60 ** i for i, p in enumerate(reversed(parts)))
    cpu = float(get("User time (seconds)")) + float(get("System time (seconds)"))
    rss = int(get("Maximum resident set size (kbytes)")) / 1024
    return secs, cpu, rss

summary = json.load(open(os.path.join(work, "oitcheck-out", "graph.json")))["meta"]["summary"]
summary = json.loads(summary)
oit_pages = summary["fetched"]
# wget -nv logs one line per URL it requested; count the distinct URLs.
wget_log = open(os.path.join(work, "wget.err"), errors="replace").read()
wget_pages = len(set(re.findall(r"URL: ?(\S+)", wget_log)))

rows = []
for name, n in (("oitcheck", oit_pages), ("wget --spider -r", wget_pages)):
    secs, cpu, rss = timing("oitcheck" if name == "oitcheck" else "wget")
    rows.append((name, n, secs, cpu, rss))
base = rows[0]
lines = [f"### {datetime.date.today()} - {pages}-page generated site, nginx on 127.0.0.1 (gzip on), "
         f"{os.cpu_count()} cores, {platform.platform()}", "",
         "| tool | URLs fetched | wall s | CPU s | peak RSS MiB | URLs/s | CPU ms/URL | URLs/s vs oitcheck |",
         "|---|---:|---:|---:|---:|---:|---:|---:|"]
for name, n, secs, cpu, rss in rows:
    rate = n / secs if secs else 0
    lines.append(f"| {name} | {n} | {secs:.1f} | {cpu:.1f} | {rss:.0f} | {rate:.0f} | {1000*cpu/max(n,1):.2f} | "
                 f"{rate / (base[1]/base[2]):.2f}x |")
lines.append("")
lines.append(f"oitcheck: complete={summary['complete']}, html_pages={summary['html_pages']}, "
             f"documents={summary['documents']}, errors={summary['errors']}, known URLs={summary['urls_known']}")
text = "\n".join(lines) + "\n"
print(text)
with open("bench/RESULTS.md", "a") as f:
    f.write("\n" + text)
PY
