// MatMul with NumPy rules beyond the 2-D and 3-D forms (vector operands,
// broadcast batch dimensions), imported and run against np.matmul in
// float64 (Inputs/make_model.py), and batch dimensions that do not
// broadcast or inner dimensions that differ as located errors.

// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/Inputs/make_model.py matmul-broadcast %t
// RUN: %import-onnx %t/matmul_broadcast.onnx -o %t/matmul_broadcast.mlir
// RUN: quant-run %t/matmul_broadcast.mlir --inputs=%t/matmul_broadcast.in.npz --output=%t/matmul_broadcast.out.npz | FileCheck %s --check-prefix=JIT
// RUN: %python %S/Inputs/make_model.py check-matmul-broadcast %t | FileCheck %s --check-prefix=REF
// JIT: output_0: float32[4]
// JIT: output_1: float32[2x5x4x6]
// JIT: output_2: float32[2x3]
// REF: OK y0 4
// REF-NEXT: OK y1 2x5x4x6
// REF-NEXT: OK y2 2x3

// RUN: %python %S/Inputs/make_model.py matmul-batch-mismatch %t
// RUN: not %import-onnx %t/matmul_batch_mismatch.onnx -o %t/bad.mlir 2>&1 | FileCheck %s --check-prefix=BAD
// RUN: not ls %t/bad.mlir
// BAD: matmul_batch_mismatch.onnx:{{.*}}: error: node 'bad_batch' (MatMul): batch dimensions of 'tensor<2x3x4xf32>' and 'tensor<3x4x5xf32>' do not broadcast

// RUN: %python %S/Inputs/make_model.py matmul-inner-mismatch %t
// RUN: not %import-onnx %t/matmul_inner_mismatch.onnx -o %t/bad_k.mlir 2>&1 | FileCheck %s --check-prefix=BADK
// RUN: not ls %t/bad_k.mlir
// BADK: matmul_inner_mismatch.onnx:{{.*}}: error: node 'bad_k' (MatMul): inner dimensions differ: 'tensor<2x3xf32>' x 'tensor<4x5xf32>'
