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

// Layers with enough work for the team run as one task per thread: tasks
// of rows (mm_rows, 200 x 400 x 110), or with fewer than 48 rows a thread
// of columns too (mm_cols, 48 x 416 x 424). One to three threads give the
// same bits (kernel_layers.py checks them against NumPy).
// RUN: %python %S/Inputs/kernel_layers.py gen %t
// RUN: quant-compile %t/layers.mlir --target=cpu -o %t/layers.so
// RUN: for f in mm_rows mm_cols; do for t in 1 2 3; do quant-run %t/layers.so --function=$f --input=%t/$f.npy --threads=$t --output=%t/$f-$t.npz > /dev/null || exit 1; done; cmp %t/$f-1.npz %t/$f-2.npz && cmp %t/$f-1.npz %t/$f-3.npz || exit 1; done

// With more than one thread, a function on a dynamic batch runs on one
// slice of it per thread (qnt-parallel-batch); with one thread or fewer rows
// than threads it runs layer by layer. Every path gives the same bits, for
// batches that split evenly, unevenly, or not at all.
// RUN: quant-opt %s --canonicalize --qnt-parallel-batch | FileCheck %s --check-prefix=SLICED
// SLICED-LABEL: func.func @batched
// SLICED: scf.forall
// RUN: %python -c "import numpy as np; x = ((np.arange(37 * 24) * 13) % 97 / 10 - 4.0).astype(np.float32).reshape(37, 2, 12); [np.save('%t/x%d.npy' % n, x[:n]) for n in (1, 2, 3, 37)]"
// RUN: for n in 1 2 3 37; do for t in 1 2; do quant-run %s --function=batched --input=%t/x$n.npy --threads=$t --output=%t/b$n-$t.npz || exit 1; done; done
// RUN: %python -c "import numpy as np; o = {(n, t): np.load('%t/b%d-%d.npz' % (n, t))['output_0'] for n in (1, 2, 3, 37) for t in (1, 2)}; print('batched identical', all((o[n, 1] == o[n, 2]).all() and (o[n, 1] == o[37, 1][:n]).all() for n in (1, 2, 3, 37)), o[37, 2].shape)" | FileCheck %s --check-prefix=BATCHED
// BATCHED: batched identical True (37, 8)

// The bundled CNN, fp32 and int8 (QAT, --fuse-qdq), on 37 images: slices
// of the batch give the bits of one thread.
// RUN: %python -c "import numpy as np; np.save('%t/img.npy', ((np.arange(37 * 784) * 7) % 256 / 255).astype(np.float32).reshape(37, 1, 28, 28))"
// RUN: quant-compile %quant_src_root/models/fmnist_cnn.onnx --target=cpu -o %t/cnn.so
// RUN: quant-compile %quant_src_root/models/fmnist_cnn_qat.onnx --target=cpu --fuse-qdq -o %t/qat.so
// RUN: for m in cnn qat; do for t in 1 2; do quant-run %t/$m.so --input=%t/img.npy --threads=$t --output=%t/$m-$t.npz || exit 1; done; done
// RUN: %python -c "import numpy as np; print('models identical', all((np.load('%t/' + m + '-1.npz')['output_0'] == np.load('%t/' + m + '-2.npz')['output_0']).all() for m in ('cnn', 'qat')))" | FileCheck %s --check-prefix=MODELS
// MODELS: models identical True

func.func @batched(%x: tensor<?x2x12xf32>) -> tensor<?x8xf32> {
  %flat = tensor.collapse_shape %x [[0], [1, 2]] : tensor<?x2x12xf32> into tensor<?x24xf32>
  %q = qnt.quantize %flat : tensor<?x24xf32> -> tensor<?x24x!quant.uniform<i8:f32, 0.05:3>>
  %w = arith.constant dense<[[1, -2, 3, -4, 5, -6, 7, -8], [9, -10, 11, -12, 13, -14, 15, -16], [17, -18, 19, -20, 21, -22, 23, -24], [25, -26, 27, -28, 29, -30, 31, -32], [33, -34, 35, -36, 37, -38, 39, -40], [41, -42, 43, -44, 45, -46, 47, -48], [49, -50, 51, -52, 53, -54, 55, -56], [57, -58, 59, -60, 61, -62, 63, -64], [65, -66, 67, -68, 69, -70, 71, -72], [73, -74, 75, -76, 77, -78, 79, -80], [81, -82, 83, -84, 85, -86, 87, -88], [89, -90, 91, -92, 93, -94, 95, -96], [-1, 2, -3, 4, -5, 6, -7, 8], [-9, 10, -11, 12, -13, 14, -15, 16], [-17, 18, -19, 20, -21, 22, -23, 24], [-25, 26, -27, 28, -29, 30, -31, 32], [-33, 34, -35, 36, -37, 38, -39, 40], [-41, 42, -43, 44, -45, 46, -47, 48], [-49, 50, -51, 52, -53, 54, -55, 56], [-57, 58, -59, 60, -61, 62, -63, 64], [-65, 66, -67, 68, -69, 70, -71, 72], [-73, 74, -75, 76, -77, 78, -79, 80], [-81, 82, -83, 84, -85, 86, -87, 88], [-89, 90, -91, 92, -93, 94, -95, 96]]> : tensor<24x8xi8>
  %wq = quant.scast %w : tensor<24x8xi8> to tensor<24x8x!quant.uniform<i8:f32, 0.01>>
  %y = qnt.matmul %q, %wq {clamp_min = 0 : i64} : tensor<?x24x!quant.uniform<i8:f32, 0.05:3>>, tensor<24x8x!quant.uniform<i8:f32, 0.01>> -> tensor<?x8x!quant.uniform<u8:f32, 0.2:5>>
  %f = qnt.dequantize %y : tensor<?x8x!quant.uniform<u8:f32, 0.2:5>> -> tensor<?x8xf32>
  return %f : tensor<?x8xf32>
}

func.func @main(%a: tensor<4x96x!quant.uniform<u8:f32, 0.02:128>>, %w: tensor<96x40x!quant.uniform<i8:f32, 0.01>>) -> tensor<4x40x!quant.uniform<i8:f32, 0.05:-2>> {
  %y = qnt.matmul %a, %w : tensor<4x96x!quant.uniform<u8:f32, 0.02:128>>, tensor<96x40x!quant.uniform<i8:f32, 0.01>> -> tensor<4x40x!quant.uniform<i8:f32, 0.05:-2>>
  return %y : tensor<4x40x!quant.uniform<i8:f32, 0.05:-2>>
}
