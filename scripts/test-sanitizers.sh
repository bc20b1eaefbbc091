#!/usr/bin/env bash
# Builds quant with AddressSanitizer and UndefinedBehaviorSanitizer in
# build-sanitizers/ (or $QUANT_SANITIZER_BUILD_DIR) and runs every test
# through ctest, as scripts/test.sh does for the release build. Any invalid
# memory access or undefined behaviour fails its test. About four times the
# time of scripts/test.sh.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
export QUANT_BUILD_DIR="${QUANT_SANITIZER_BUILD_DIR:-$root/build-sanitizers}"
"$root/scripts/build.sh" "-DQUANT_SANITIZE=address;undefined"
cd "$QUANT_BUILD_DIR"
# LLVM keeps some allocations to the end on purpose: no leak reports.
export ASAN_OPTIONS=detect_leaks=0
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
ctest --output-on-failure -j "$(nproc)"
