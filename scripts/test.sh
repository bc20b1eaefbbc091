#!/usr/bin/env bash
# README command (2): installs, builds and runs every test (lit, GoogleTest,
# docs freshness), then the lint checks. Ends with ctest's summary line.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${QUANT_BUILD_DIR:-$root/build}"

"$root/scripts/build.sh"
"$root/scripts/lint.sh"
cd "$build"
ctest --output-on-failure -j "$(nproc)"
