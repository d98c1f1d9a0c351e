#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests, on 127.0.0.1 and a free port.
#   eval "$(scripts/postgres.sh start)"   prints export lines: VISAGE_TEST_POSTGRES (an Npgsql connection string for a
#                                         superuser "visage", no password) and VISAGE_TEST_POSTGRES_DIR
#   scripts/postgres.sh stop DIR          stops that cluster and deletes its files
#   scripts/postgres.sh halt DIR          stops the server but keeps its files (a database outage, for the fault tests)
#   scripts/postgres.sh resume DIR        starts a halted server again on the same port
# Installs Debian's postgresql when initdb is missing. The server refuses to run as root, so as root the cluster
# belongs to the postgres user and runs through runuser. Durability is off (fsync=off): the data is thrown away.
set -euo pipefail

log() { echo "postgres.sh: $*" >&2; }

find_bin() {
  local name=$1 found
  found=$(command -v "$name" 2>/dev/null || true)
  [[ -n $found ]] || found=$(ls -1d /usr/lib/postgresql/*/bin/"$name" 2>/dev/null | sort -V | tail -n 1 || true)
  echo "$found"
}

as_owner() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() { "$(dirname "$0")/free-port.sh"; }

start() {
  local initdb pg_ctl dir port
  initdb=$(find_bin initdb)
  if [[ -z $initdb ]]; then
    command -v apt-get >/dev/null || { log "initdb is missing and apt-get is not available: install PostgreSQL"; exit 1; }
    log "installing Debian's postgresql"
    local sudo=""; [[ $(id -u) -eq 0 ]] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >/dev/null
    initdb=$(find_bin initdb)
    [[ -n $initdb ]] || { log "initdb still missing after installing postgresql"; exit 1; }
  fi
  pg_ctl=$(dirname "$(readlink -f "$initdb")")/pg_ctl

  dir=$(mktemp -d /tmp/visage-pg.XXXXXX)
  chmod 755 "$dir"
  [[ $(id -u) -ne 0 ]] || chown postgres: "$dir"
  as_owner "$initdb" -D "$dir/data" -A trust -U visage --no-sync -E UTF8 >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
  port=$(free_port)
  echo "$port" >"$dir/port"
  run_server "$pg_ctl" "$dir"
  log "PostgreSQL on 127.0.0.1:$port (data in $dir)"
  echo "export VISAGE_TEST_POSTGRES='Host=127.0.0.1;Port=$port;Username=visage;Database=postgres'"
  echo "export VISAGE_TEST_POSTGRES_DIR='$dir'"
}

run_server() {
  local pg_ctl=$1 dir=$2
  as_owner "$pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-p $(cat "$dir/port") -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
}

pg_ctl_bin() { dirname "$(readlink -f "$(find_bin initdb)")"; }

halt() {
  local dir=${1:?usage: halt DIR}
  as_owner "$(pg_ctl_bin)/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
}

resume() {
  local dir=${1:?usage: resume DIR}
  run_server "$(pg_ctl_bin)/pg_ctl" "$dir"
}

stop() {
  local dir=${1:-}
  [[ -n $dir && -d $dir/data ]] || return 0
  as_owner "$(pg_ctl_bin)/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}

case ${1:-} in
  start) start ;;
  stop) stop "${2:-}" ;;
  halt) halt "${2:-}" ;;
  resume) resume "${2:-}" ;;
  *) echo "usage: $0 start | stop DIR | halt DIR | resume DIR" >&2; exit 2 ;;
esac
