#!/usr/bin/env bash
# Regenerates docs/generated/ from the .td files (after an op or pass change).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${QUANT_BUILD_DIR:-$root/build}"
cmake --build "$build" --target quant-doc
cp "$build"/docs/generated/*.md "$root/docs/generated/"
echo "docs/generated/ updated"
