// Parallel loops run on the OpenMP runtime: --threads=N and
// QUANT_NUM_THREADS set the count, and the result does not depend on it
// (each output element is computed by one thread, reductions in order).

// RUN: rm -rf %t && mkdir -p %t
// RUN: %python -c "import numpy as np; np.save('%t/a.npy', (np.arange(4 * 96) % 251).astype(np.uint8).reshape(4, 96)); np.save('%t/w.npy', ((np.arange(96 * 40) * 7) % 255 - 127).astype(np.int8).reshape(96, 40))"
// RUN: quant-run %s --input=%t/a.npy --input=%t/w.npy --threads=1 --output=%t/one.npz
// RUN: quant-run %s --input=%t/a.npy --input=%t/w.npy --threads=2 --output=%t/two.npz
// RUN: env QUANT_NUM_THREADS=2 quant-run %s --input=%t/a.npy --input=%t/w.npy --output=%t/env.npz
// RUN: %python -c "import numpy as np; a, b, c = (np.load('%t/' + n + '.npz')['output_0'] for n in ('one', 'two', 'env')); print('identical', (a == b).all() and (a == c).all(), a.shape)" | FileCheck %s
// CHECK: identical True (4, 40)

// RUN: not quant-run %s --input=%t/a.npy --input=%t/w.npy --threads=0 2>&1 | FileCheck %s --check-prefix=ZERO
// ZERO: quant-run: error: --threads needs a positive number, got '0'
// RUN: env QUANT_NUM_THREADS=many not quant-run %s --input=%t/a.npy --input=%t/w.npy 2>&1 | FileCheck %s --check-prefix=ENV
// ENV: quant-run: error: QUANT_NUM_THREADS='many' is not a positive number

func.func @main(%a: tensor<4x96x!quant.uniform<u8:f32, 0.02:128>>, %w: tensor<96x40x!quant.uniform<i8:f32, 0.01>>) -> tensor<4x40x!quant.uniform<i8:f32, 0.05:-2>> {
  %y = qnt.matmul %a, %w : tensor<4x96x!quant.uniform<u8:f32, 0.02:128>>, tensor<96x40x!quant.uniform<i8:f32, 0.01>> -> tensor<4x40x!quant.uniform<i8:f32, 0.05:-2>>
  return %y : tensor<4x40x!quant.uniform<i8:f32, 0.05:-2>>
}
