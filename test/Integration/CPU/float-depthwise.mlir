// An fp32 depthwise convolution between NHWC layers, written as the ONNX
// frontend writes a depthwise Conv, runs as a depthwise convolution over
// contiguous channels (qnt-propagate-channels-last) and equals the float32
// NumPy reference of Inputs/float_depthwise.py bit for bit.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/Inputs/float_depthwise.py gen %t
// RUN: quant-opt %t/dw.mlir --pass-pipeline='builtin.module(func.func(qnt-propagate-channels-last),canonicalize)' | FileCheck %s --check-prefix=IR --implicit-check-not=linalg.transpose --implicit-check-not=linalg.conv_2d_ngchw_gfchw
// IR: linalg.generic {{.*}} ins(%{{.*}}, %{{.*}} : tensor<?x9x11x8xf32>, tensor<3x3x8xf32>) outs(%{{.*}} : tensor<?x7x5x8xf32>)
// RUN: quant-run %t/dw.mlir --input=%t/x.npy --output=%t/out.npz
// RUN: %python %S/Inputs/float_depthwise.py check %t %t/out.npz | FileCheck %s
// RUN: quant-run %t/dw.mlir --threads=2 --input=%t/x.npy --output=%t/out2.npz
// RUN: %python %S/Inputs/float_depthwise.py check %t %t/out2.npz | FileCheck %s
// CHECK: OK dw 3x7x5x8: bit-identical
