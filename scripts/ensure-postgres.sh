#!/usr/bin/env bash
# Makes sure a Postgres server accepts TCP connections on 127.0.0.1:5432 with trust auth for local
# clients: starts the Debian cluster if there is one, installs Debian's postgresql if there is none.
set -euo pipefail

host=127.0.0.1
port=5432

ready() { pg_isready -q -h "$host" -p "$port" >/dev/null 2>&1; }

fail() {
  echo "ensure-postgres: $*" >&2
  exit 1
}

wait_ready() {
  for _ in $(seq 1 60); do
    ready && return 0
    sleep 0.5
  done
  fail "Postgres did not accept connections on $host:$port within 30 s"
}

# Local TCP clients (the services, the tests) connect as postgres without a password.
trust_local_tcp() {
  local hba
  for hba in /etc/postgresql/*/main/pg_hba.conf; do
    [ -f "$hba" ] || continue
    if ! grep -Eq '^host[[:space:]]+all[[:space:]]+all[[:space:]]+127\.0\.0\.1/32[[:space:]]+trust' "$hba"; then
      # First match wins in pg_hba.conf, so the trust lines go on top.
      local tmp
      tmp=$(mktemp)
      {
        echo "# taskq: local TCP connections need no password (scripts/ensure-postgres.sh)"
        echo "host    all             all             127.0.0.1/32            trust"
        echo "host    all             all             ::1/128                 trust"
        cat "$hba"
      } >"$tmp"
      cat "$tmp" >"$hba"
      rm -f "$tmp"
    fi
  done
}

start_cluster() {
  local version
  version=$(pg_lsclusters --no-header 2>/dev/null | awk '$2 == "main" { print $1; exit }')
  [ -n "$version" ] || return 1
  trust_local_tcp
  if pg_lsclusters --no-header | awk -v v="$version" '$1 == v && $2 == "main" { print $4 }' | grep -q online; then
    pg_ctlcluster --skip-systemctl-redirect "$version" main reload
  else
    pg_ctlcluster --skip-systemctl-redirect "$version" main start
  fi
}

if command -v pg_isready >/dev/null 2>&1 && ready; then
  exit 0
fi

if ! command -v pg_lsclusters >/dev/null 2>&1 || [ -z "$(pg_lsclusters --no-header 2>/dev/null)" ]; then
  [ "$(id -u)" -eq 0 ] || fail "no Postgres on $host:$port and no Debian cluster; run as root to apt-get install postgresql"
  echo "ensure-postgres: installing postgresql with apt-get" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2 || fail "apt-get update failed"
  apt-get install -y -qq postgresql >&2 || fail "apt-get install postgresql failed"
fi

echo "ensure-postgres: starting the Debian Postgres cluster" >&2
start_cluster || fail "no Debian cluster to start (pg_lsclusters lists none)"
wait_ready
echo "ensure-postgres: Postgres ready on $host:$port" >&2
