#!/usr/bin/env bash
# Installs dependencies, then configures (once) and builds quant incrementally
# in build/ (or $QUANT_BUILD_DIR). Extra arguments go to cmake at configure.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${QUANT_BUILD_DIR:-$root/build}"

"$root/scripts/install-deps.sh"

prefix="$(llvm-config-22 --prefix)"
if [[ ! -f "$build/build.ninja" ]]; then
  cmake -G Ninja -S "$root" -B "$build" \
    -DCMAKE_BUILD_TYPE=Release \
    -DMLIR_DIR="$prefix/lib/cmake/mlir" \
    -DLLVM_EXTERNAL_LIT="$prefix/bin/lit" \
    "$@"
fi
cmake --build "$build"
