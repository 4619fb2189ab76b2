#!/usr/bin/env bash
# The type check and Biome's lint and format check side by side (`npm test` runs this before jest): each
# leaves a core idle for part of its run. Both always finish; either failing fails the check.
set -u
cd "$(dirname "$0")/.."
npm run --silent typecheck &
types=$!
npm run --silent lint
lint=$?
wait "$types"
types=$?
exit $((types != 0 || lint != 0))
