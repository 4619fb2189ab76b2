#!/usr/bin/env bash
# A throwaway PostgreSQL server for the test run, sourced by scripts/test.sh (or run alone with
# `bash scripts/test-postgres.sh start`, which prints the export line and leaves it running until
# `bash scripts/test-postgres.sh stop DIR`). Used only when AWS_IR_TEST_DATABASE_URL is unset.
#
# Debian's `postgresql` package provides the binaries (installed by test.sh when missing). The
# cluster lives in a temporary folder owned by an unprivileged user when running as root (postgres
# refuses to run as root), listens on a free port on 127.0.0.1 and a unix socket in that folder,
# uses password authentication (the tests check wrong credentials), and is stopped at exit.

pg_bin_dir() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$d" ] && [ -x "$d/initdb" ] && echo "$d"
}

# Starts the server; sets AWS_IR_TEST_DATABASE_URL and AWS_IR_TEST_PG_DIR. Returns non-zero on failure.
start_test_postgres() {
  local bin dir port as=() owner password log
  bin=$(pg_bin_dir) || { echo "PostgreSQL binaries not found under /usr/lib/postgresql (apt-get install postgresql)." >&2; return 1; }
  dir=$(mktemp -d /tmp/aws-ir-pg.XXXXXX)
  chmod 755 "$dir"
  password=$(od -An -tx1 -N12 /dev/urandom | tr -d ' \n')
  printf '%s\n' "$password" >"$dir/pwfile"
  if [ "$(id -u)" -eq 0 ]; then
    owner=postgres
    id -u "$owner" >/dev/null 2>&1 || owner=nobody
    chown -R "$owner" "$dir"
    as=(runuser -u "$owner" --)
  fi
  port=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
  log="$dir/server.log"
  "${as[@]}" "$bin/initdb" -D "$dir/data" -U aws_ir_test --pwfile="$dir/pwfile" -A scram-sha-256 -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 ||
    { cat "$dir/initdb.log" >&2; return 1; }
  rm -f "$dir/pwfile"
  # Durability is not what the tests measure: fsync off keeps a 2-core machine fast.
  "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$log" -w -t 60 \
    -o "-h 127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" start >/dev/null ||
    { cat "$log" >&2; return 1; }
  PGPASSWORD="$password" "$bin/psql" -h 127.0.0.1 -p "$port" -U aws_ir_test -d postgres -qAt -c 'CREATE DATABASE aws_ir_test' >/dev/null ||
    { cat "$log" >&2; return 1; }
  export AWS_IR_TEST_DATABASE_URL="postgres://aws_ir_test:$password@127.0.0.1:$port/aws_ir_test"
  export AWS_IR_TEST_PG_DIR="$dir"
  echo "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') for the tests on 127.0.0.1:$port (data in $dir)."
}

stop_test_postgres() {
  local dir=${1:-${AWS_IR_TEST_PG_DIR:-}} bin as=()
  [ -n "$dir" ] && [ -d "$dir/data" ] || return 0
  bin=$(pg_bin_dir) || return 0
  [ "$(id -u)" -eq 0 ] && as=(runuser -u "$(stat -c %U "$dir/data")" --)
  "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  case "${1:-}" in
    start) start_test_postgres >&2 && echo "export AWS_IR_TEST_DATABASE_URL='$AWS_IR_TEST_DATABASE_URL' AWS_IR_TEST_PG_DIR='$AWS_IR_TEST_PG_DIR'" ;;
    stop) stop_test_postgres "${2:-}" ;;
    *) echo "usage: bash scripts/test-postgres.sh start | stop DIR" >&2; exit 2 ;;
  esac
fi
