#!/usr/bin/env bash
# Sets up a fresh machine and runs every test: system packages the tests drive (Chromium for the
# browser test, the official AWS CLI for the sandbox protocol check, PostgreSQL for the second store
# backend), npm packages from the lock file, a throwaway PostgreSQL server unless
# AWS_IR_TEST_DATABASE_URL names one, then type checking and the jest suites.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/test-postgres.sh

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v aws >/dev/null 2>&1 || missing+=(awscli)
[ -n "${AWS_IR_TEST_DATABASE_URL:-}" ] || pg_bin_dir >/dev/null || missing+=(postgresql)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "Missing system packages: ${missing[*]}. Install them (sudo apt-get install ${missing[*]}) and run again." >&2
    exit 1
  fi
fi

npm ci --no-audit --no-fund

if [ -z "${AWS_IR_TEST_DATABASE_URL:-}" ]; then
  trap stop_test_postgres EXIT
  if ! start_test_postgres; then
    # Only a machine that cannot run PostgreSQL gets here; the PostgreSQL tests then skip loudly (fail in CI).
    echo "!!! Could not start a PostgreSQL server for the tests." >&2
    unset AWS_IR_TEST_DATABASE_URL
  fi
fi

npm test
