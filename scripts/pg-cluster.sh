#!/usr/bin/env bash
# A private PostgreSQL 15 server for Laurel's tests and benches: an `initdb` cluster under
# build/pg/<name>, listening on a Unix socket in that directory (and on a loopback port when
# PG_PORT is set), owned by an unprivileged system user because this machine runs as root.
#
#   scripts/pg-cluster.sh start  [name] [--standby-of primary]   # idempotent; prints the URL
#   scripts/pg-cluster.sh stop   [name]
#   scripts/pg-cluster.sh url    [name]                          # the URL, whether running or not
#   scripts/pg-cluster.sh status [name]                          # exit 0 when running
#
# name defaults to "test". The URL is postgresql://laurel@/laurel?host=<socket dir>&port=<port>
# (database and role "laurel", trust authentication: the socket directory is the only way in).
# `--standby-of primary` makes the cluster a hot standby of the running cluster `primary`
# (pg_basebackup -R: streaming replication, read-only queries), copied afresh at every start.
#
# Durable like a production server (fsync, synchronous_commit, full_page_writes on: benches
# measure durable commits), wal_level replica and replication allowed over the socket.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${BUILD:-build}
[[ $build == /* ]] || build="$root/$build"
bin=${PG_BIN:-/usr/lib/postgresql/15/bin}
service_user=laurel-pg
port=${PG_PORT:-5432}

command=${1:-}
name=${2:-test}
standby_of=""
if [[ ${3:-} == --standby-of ]]; then standby_of=${4:?--standby-of needs a cluster name}; fi
if [[ ! $name =~ ^[A-Za-z0-9_-]+$ ]]; then
  echo "error: cluster name '$name': letters, digits, _ and - only" >&2
  exit 2
fi

dir="$build/pg/$name"
data="$dir/data"
log="$dir/server.log"

url_of() { echo "postgresql://laurel@/laurel?host=$build/pg/$1&port=$port"; }

# Runs a PostgreSQL program as the cluster's owner: the system user when we are root.
as_owner() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u "$service_user" -- "$@"; else "$@"; fi
}

ensure_user() {
  [[ $(id -u) -eq 0 ]] || return 0
  id "$service_user" >/dev/null 2>&1 \
    || useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin \
      "$service_user"
}

running() { [[ -f $data/PG_VERSION ]] && as_owner "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; }

settings() {
  cat <<EOF

# --- Laurel test cluster (scripts/pg-cluster.sh) ---
listen_addresses = '${PG_PORT:+127.0.0.1}'
port = $port
unix_socket_directories = '$dir'
unix_socket_permissions = 0777
fsync = on
synchronous_commit = on
full_page_writes = on
wal_level = replica
max_wal_senders = 10
hot_standby = on
max_connections = 200
shared_buffers = 256MB
max_wal_size = 4GB
log_min_messages = warning
EOF
}

init_primary() {
  as_owner "$bin/initdb" --pgdata="$data" --username=laurel --auth=trust --encoding=UTF8 \
    --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
  settings | as_owner tee -a "$data/postgresql.conf" >/dev/null
  # Only the socket (and loopback when PG_PORT is set), replication included.
  as_owner tee "$data/pg_hba.conf" >/dev/null <<EOF
local   all          all                 trust
local   replication  all                 trust
host    all          all   127.0.0.1/32  trust
host    replication  all   127.0.0.1/32  trust
EOF
}

init_standby() {
  local primary="$build/pg/$standby_of"
  if [[ ! -S $primary/.s.PGSQL.$port ]]; then
    echo "error: cluster '$standby_of' is not running" >&2
    exit 1
  fi
  as_owner "$bin/pg_basebackup" --pgdata="$data" --host="$primary" --port="$port" \
    --username=laurel --wal-method=stream --write-recovery-conf --checkpoint=fast \
    >"$dir/basebackup.log" 2>&1 || { cat "$dir/basebackup.log" >&2; exit 1; }
  # The copied settings name the primary's socket directory: point them at our own.
  echo "unix_socket_directories = '$dir'" | as_owner tee -a "$data/postgresql.conf" >/dev/null
}

start() {
  ensure_user
  mkdir -p "$dir"
  [[ $(id -u) -eq 0 ]] && chown "$service_user" "$dir"
  chmod 0755 "$dir"
  if ! running; then
    # A stopped standby is made afresh from its primary: while it was down the primary may have
    # moved past the WAL it still needs (then it never catches up), and it holds nothing of its
    # own to keep.
    if [[ -n $standby_of || ! -f $data/PG_VERSION ]]; then
      rm -rf "$data"
      if [[ -n $standby_of ]]; then init_standby; else init_primary; fi
    fi
    as_owner "$bin/pg_ctl" -D "$data" -l "$log" -w -t 60 start >/dev/null \
      || { tail -n 30 "$log" >&2; exit 1; }
  fi
  # The database (a standby has it from its primary).
  if [[ ! -f $data/standby.signal ]]; then
    local exists
    exists=$(as_owner "$bin/psql" -h "$dir" -p "$port" -U laurel -d postgres -Atqc \
      "SELECT 1 FROM pg_database WHERE datname = 'laurel'")
    [[ $exists == 1 ]] || as_owner "$bin/createdb" -h "$dir" -p "$port" -U laurel laurel
  fi
  url_of "$name"
}

stop() {
  running || return 0
  as_owner "$bin/pg_ctl" -D "$data" -w -t 60 -m fast stop >/dev/null
}

case $command in
  start) start ;;
  stop) stop ;;
  url) url_of "$name" ;;
  status) running ;;
  *) echo "usage: $0 start|stop|url|status [name] [--standby-of primary]" >&2; exit 2 ;;
esac
