// A compiled function named like a symbol of the host program (ONNX models
// import as @main) must not call into the host: only the C interfaces and
// entry points are exported. quant-run loads a library given by a relative
// path.

// RUN: rm -rf %t && mkdir -p %t && cd %t
// RUN: quant-compile %s --target=cpu -o model.so
// RUN: %python -c "import numpy as np; np.save('x.npy', np.arange(6, dtype=np.float32).reshape(3, 2))"
// RUN: quant-run model.so --input=x.npy | FileCheck %s
// RUN: nm -D --defined-only model.so | FileCheck %s --check-prefix=SYMBOLS

// CHECK: output_0: float32[3x2]  min 0 max 10 mean 5  [0, 2, 4, 6, 8, 10]
// SYMBOLS-NOT: {{ T main$}}
// SYMBOLS: T _mlir_ciface_main
// SYMBOLS-NOT: {{ T main$}}

func.func @main(%x: tensor<?x2xf32>) -> tensor<?x2xf32> {
  %c0 = arith.constant 0 : index
  %d = tensor.dim %x, %c0 : tensor<?x2xf32>
  %e = tensor.empty(%d) : tensor<?x2xf32>
  %y = linalg.add ins(%x, %x : tensor<?x2xf32>, tensor<?x2xf32>) outs(%e : tensor<?x2xf32>) -> tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}
