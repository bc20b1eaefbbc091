#!/usr/bin/env bash
# Installs every Debian package quant needs to build and test, skipping what
# is already installed. Idempotent; runs as root (or through sudo).
set -euo pipefail

packages=(
  # Compiler stack and test tools (lit, FileCheck, mlir-opt-22, mlir-tblgen).
  llvm-22-dev libmlir-22-dev mlir-22-tools llvm-22-tools clang-format-22
  # OpenMP runtime for compiled code's parallel loops.
  libomp-22-dev
  # Build.
  cmake ninja-build ccache g++ git
  # Unit tests; NumPy references and .npy fixtures for integration tests.
  libgtest-dev python3-numpy zlib1g-dev
  # ONNX frontend and its conformance data; the bundled models' test images.
  libonnx-dev libprotobuf-dev protobuf-compiler python3-onnx libonnx-testdata
  dataset-fashion-mnist
  # The README's main job: PyTorch's post-training quantization as the peer
  # (with a real BLAS), and the accuracy plot.
  python3-torch libopenblas0-pthread python3-matplotlib
  # The CPU int8 GEMM benchmark's peer (bench/cpu-int8); oneDNN's CMake package
  # config requires the OpenCL headers and loader, which apt only recommends.
  libdnnl-dev ocl-icd-opencl-dev
)

missing=()
for pkg in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done

if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#packages[@]} Debian packages present"
else
  sudo=""
  if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
  echo "install-deps: installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# ONNX Runtime, the reference and peer in tests and benchmarks (npm; its
# install script would download GPU parts, so it is skipped: the CPU library
# is inside the package).
root="$(cd "$(dirname "$0")/.." && pwd)"
if ! command -v npm >/dev/null; then
  echo "install-deps: npm (Node.js) is missing; install Node.js 20 with npm" >&2
  exit 1
fi
if [[ ! -d "$root/scripts/ort/node_modules/onnxruntime-node" ]]; then
  echo "install-deps: installing onnxruntime-node (npm)"
  (cd "$root/scripts/ort" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
fi
