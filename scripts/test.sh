#!/usr/bin/env bash
# README command (2): installs, builds and runs every test through ctest (lit,
# GoogleTest, docs freshness, lint). Ends with ctest's summary line.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${QUANT_BUILD_DIR:-$root/build}"

"$root/scripts/build.sh"
cd "$build"
ctest --output-on-failure -j "$(nproc)"
