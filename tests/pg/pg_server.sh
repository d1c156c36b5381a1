#!/bin/sh
# A throwaway PostgreSQL server for the fleet tests, from Debian's postgresql package:
#   pg_server.sh start DIR PORT   -> initdb in DIR, listen on 127.0.0.1, trust auth, db "oitcheck";
#                                    prints the port it listens on: PORT, or the next free one of 20
#   pg_server.sh stop DIR
# PostgreSQL refuses to run as root, so as root it runs as the package's "postgres" user.
set -eu
action=$1 dir=$2
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$bin/initdb" ] || { echo "pg_server.sh: PostgreSQL server binaries not found (apt-get install postgresql)" >&2; exit 2; }
as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
case $action in
  start)
    port=$3
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    as_owner "$bin/initdb" -D "$dir/data" -U oitcheck --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
      { cat "$dir/initdb.log" >&2; exit 1; }
    # Another test's server or client may hold the port (ctest runs tests in parallel): try the next.
    last=$((port + 19))
    until rm -f "$dir/server.log" && as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c max_connections=50" start >/dev/null; do
      if [ "$port" -ge "$last" ] || ! grep -q "Address already in use" "$dir/server.log"; then
        cat "$dir/server.log" >&2; exit 1
      fi
      port=$((port + 1))
    done
    as_owner "$bin/createdb" -h 127.0.0.1 -p "$port" -U oitcheck oitcheck
    echo "$port"
    ;;
  stop)
    as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    ;;
esac
