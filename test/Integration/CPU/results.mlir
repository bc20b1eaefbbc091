// Results come back as the arrays the functions return, whatever buffer
// they live in: a slice of the input (a copy at the function boundary),
// the argument itself, and an empty batch.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python -c "import numpy as np; np.save('%t/x.npy', np.arange(20, dtype=np.float32).reshape(4, 5)); np.save('%t/empty.npy', np.zeros((0, 5), np.float32))"
// RUN: quant-run %s --function=slice --input=%t/x.npy --output=%t/slice.npz
// RUN: quant-run %s --function=same --input=%t/x.npy --output=%t/same.npz
// RUN: quant-run %s --function=same --input=%t/empty.npy --output=%t/empty.npz
// RUN: %python -c "import numpy as np; x = np.load('%t/x.npy'); print('slice', np.array_equal(np.load('%t/slice.npz')['output_0'], x[1:3, 2:5]), 'same', np.array_equal(np.load('%t/same.npz')['output_0'], x), 'empty', np.load('%t/empty.npz')['output_0'].shape)" | FileCheck %s
// CHECK: slice True same True empty (0, 5)

func.func @slice(%x: tensor<4x5xf32>) -> tensor<2x3xf32> {
  %s = tensor.extract_slice %x[1, 2] [2, 3] [1, 1] : tensor<4x5xf32> to tensor<2x3xf32>
  return %s : tensor<2x3xf32>
}

func.func @same(%x: tensor<?x5xf32>) -> tensor<?x5xf32> {
  return %x : tensor<?x5xf32>
}
