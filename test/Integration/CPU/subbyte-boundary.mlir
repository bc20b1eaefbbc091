// Sub-byte tensors cross function boundaries packed, so their shapes must
// be static there; quant-run says so instead of guessing.

// RUN: rm -rf %t && mkdir -p %t
// RUN: %python -c "import numpy as np; np.save('%t/x.npy', np.zeros(4, np.float32))"
// RUN: not quant-run %s --input=%t/x.npy --output=%t/out.npz 2>&1 | FileCheck %s
// RUN: not test -e %t/out.npz
// CHECK: quant-run: error: result 0 of @main has type tensor<?x!quant.uniform<i4:f32, 5.000000e-01>>; sub-byte tensors need a static shape at function boundaries

func.func @main(%x: tensor<?xf32>) -> tensor<?x!quant.uniform<i4:f32, 0.5>> {
  %q = qnt.quantize %x : tensor<?xf32> -> tensor<?x!quant.uniform<i4:f32, 0.5>>
  return %q : tensor<?x!quant.uniform<i4:f32, 0.5>>
}
