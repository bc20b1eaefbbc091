// End to end: an ONNX float model imported by quant-import-onnx and run by
// quant-run, compared with an independent NumPy reference (float64, direct
// loops; Inputs/make_model.py) to a relative tolerance of 1e-5.
// The model: x: f32[2x3x8x8] -> Conv(16 filters 3x3, pads 1, bias) -> Relu
// -> MaxPool(2x2, stride 2) -> Flatten -> Gemm(256 -> 5, transB, alpha 0.75,
// beta 1.5) -> Softmax(axis 1) -> y: f32[2x5]. The Gemm weight (1280
// elements) goes through the dense_resource path, the rest inline.

// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/Inputs/make_model.py run-float %t
// RUN: %import-onnx %t/run_float.onnx -o %t/run_float.mlir
// RUN: quant-run %t/run_float.mlir --inputs=%t/run_float.in.npz --output=%t/run_float.out.npz | FileCheck %s --check-prefix=JIT
// RUN: %python %S/Inputs/make_model.py check-run-float %t | FileCheck %s --check-prefix=REF

// The summary line only: the values are checked by the reference below.
// JIT: output_0: float32[2x5]  min {{.*}} max {{.*}} mean 0.2  [

// REF: OK run_float 2x5
