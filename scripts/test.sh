#!/usr/bin/env bash
# Sets up a fresh machine and runs every test: system packages the tests drive (Chromium for the
# browser test, the official AWS CLI for the sandbox protocol check), npm packages from the lock
# file, then type checking and the jest suites.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v aws >/dev/null 2>&1 || missing+=(awscli)
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
npm test
