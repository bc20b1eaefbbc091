// QuantizeLinear rounds half to even (the backend suite's only tie, 1.5,
// cannot tell half-even from half-away) and saturates, on both the static
// path (constant scale: qnt.quantize) and the run-time path (scale and zero
// point as graph inputs: generic with the same arithmetic).

// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/Inputs/quantize_ties.py %t
// RUN: quant-import-onnx %t/static.onnx -o %t/static.mlir
// RUN: FileCheck %s --check-prefix=IR < %t/static.mlir
// RUN: quant-run %t/static.mlir --input=%t/x.npy --output=%t/static.npz
// RUN: %python -c "import numpy as np; print(np.load('%t/static.npz')['output_0'].tolist())" | FileCheck %s
// RUN: quant-import-onnx %t/runtime.onnx -o %t/runtime.mlir
// RUN: quant-run %t/runtime.mlir --input=%t/x.npy --input=%t/scale.npy --input=%t/zp.npy --output=%t/runtime.npz
// RUN: %python -c "import numpy as np; print(np.load('%t/runtime.npz')['output_0'].tolist())" | FileCheck %s

// IR: qnt.quantize %{{.*}} : tensor<10xf32> -> tensor<10x!quant.uniform<i8:f32, 1.000000e+00>>

// x = [0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 126.5, 127.5, -128.5, -129]
// half to even: [0, 2, 2, -0, -2, -2, 126, 128 -> 127, -128, -129 -> -128]
// CHECK: [0, 2, 2, 0, -2, -2, 126, 127, -128, -128]
