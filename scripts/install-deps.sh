#!/usr/bin/env bash
# Installs every Debian package quant needs to build and test, skipping what
# is already installed. Idempotent; runs as root (or through sudo).
set -euo pipefail

packages=(
  # Compiler stack and test tools (lit, FileCheck, mlir-opt-22, mlir-tblgen).
  llvm-22-dev libmlir-22-dev mlir-22-tools llvm-22-tools clang-format-22
  # Build.
  cmake ninja-build ccache g++ git
  # Unit tests; NumPy references and .npy fixtures for integration tests.
  libgtest-dev python3-numpy zlib1g-dev
  # ONNX frontend and its conformance data.
  libonnx-dev libprotobuf-dev protobuf-compiler python3-onnx libonnx-testdata
)

missing=()
for pkg in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done

if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

sudo=""
if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
echo "install-deps: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
