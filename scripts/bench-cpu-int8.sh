#!/usr/bin/env bash
# Builds quant-bench-cpu (needs libdnnl-dev), runs it and writes
# bench/results/cpu-int8.md: machine peaks measured in the same run and the
# oneDNN int8/fp32 matmul peers on the shapes of bars B1-B3 and B5, then the
# whole-model section (bar B6: the CNN against ONNX Runtime, with a plot in
# bench/results/cnn-latency.png).
# Extra arguments go to quant-bench-cpu (e.g. --samples 21).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${QUANT_BUILD_DIR:-$root/build}"

if ! dpkg-query -W -f='${Status}' libdnnl-dev 2>/dev/null | grep -q "install ok installed"; then
  echo "bench-cpu-int8: oneDNN is missing; run scripts/install-deps.sh (libdnnl-dev)" >&2
  exit 1
fi
prefix="$(llvm-config-22 --prefix)"
if [[ ! -f "$build/build.ninja" ]]; then
  cmake -G Ninja -S "$root" -B "$build" \
    -DCMAKE_BUILD_TYPE=Release \
    -DMLIR_DIR="$prefix/lib/cmake/mlir" \
    -DLLVM_EXTERNAL_LIT="$prefix/bin/lit"
else
  # Picks up oneDNN if it was installed after the first configure.
  cmake "$build" >/dev/null
fi
cmake --build "$build" --target quant-bench-cpu quant-compile quant-run
mkdir -p "$root/bench/results"
"$build/bin/quant-bench-cpu" --out "$root/bench/results/cpu-int8.md" "$@"
/usr/bin/python3 "$root/bench/cnn/bench_cnn.py" --build "$build" \
  --out "$root/bench/results/cpu-int8.md" --append \
  --plot "$root/bench/results/cnn-latency.png"
