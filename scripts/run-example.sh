#!/usr/bin/env bash
# README command (1): installs, builds, then runs the bundled Fashion-MNIST
# models end to end (ONNX import -> compiled shared library -> 10,000 test
# images) and prints the results table next to ONNX Runtime, then quantizes
# the CNN after training (calibration, every range method) and prints its
# accuracy, size and latency next to PyTorch's post-training quantization;
# first a short look at the qnt dialect and its passes.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${QUANT_BUILD_DIR:-$root/build}"

"$root/scripts/build.sh" >/dev/null
example="$root/examples/qat-linear.mlir"
opt="$build/bin/quant-opt"

echo "== the qnt dialect: $(basename "$example") after qnt-expand-fake-quant and qnt-fold-qdq-pairs =="
echo "   (activation QDQ pair -> one fake_quant; constant weight quantized offline, bit-exact)"
"$opt" "$example" --qnt-expand-fake-quant --qnt-fold-qdq-pairs
echo
echo "== bundled models end to end, next to ONNX Runtime =="
/usr/bin/python3 "$root/scripts/evaluate_models.py" --build "$build"
echo
echo "== post-training quantization of the CNN: quant-compile model.onnx --calibration-data, next to PyTorch =="
/usr/bin/python3 "$root/scripts/evaluate_ptq.py" --build "$build"
