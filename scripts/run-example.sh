#!/usr/bin/env bash
# README command (1): installs, builds and runs quant-opt on the bundled
# example, showing the qnt dialect and its passes at work.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${QUANT_BUILD_DIR:-$root/build}"

"$root/scripts/build.sh" >/dev/null
example="$root/examples/qat-linear.mlir"
opt="$build/bin/quant-opt"

echo "== input: $(basename "$example") =="
cat "$example"
echo
echo "== quant-opt --qnt-expand-fake-quant (QAT fake_quant -> QDQ pairs) =="
"$opt" "$example" --qnt-expand-fake-quant
echo
echo "== quant-opt --qnt-expand-fake-quant --qnt-fold-qdq-pairs =="
echo "   (activation pair -> one fake_quant; constant weight quantized offline, bit-exact)"
"$opt" "$example" --qnt-expand-fake-quant --qnt-fold-qdq-pairs
echo
echo "== quant-run: JIT-compile @linear for this CPU and run it =="
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
/usr/bin/python3 -c "import numpy as np, sys; np.save(sys.argv[1], np.array([[0.3, -1.2, 2.0, 0.77]], np.float32))" "$work/x.npy"
"$build/bin/quant-run" "$example" --input="$work/x.npy" --output="$work/y.npz"
