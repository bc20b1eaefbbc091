// RUN: quant-opt %s --convert-linalg-to-kernels | FileCheck %s

// Left to the generic lowering: weights that are not constants, an init
// that is not zero, and f64.
// CHECK-LABEL: func.func @not_kernels
// CHECK-NOT: quant_float_layer_run
// CHECK-COUNT-3: linalg.matmul
// CHECK-NOT: quant_float_layer_run
func.func @not_kernels(%x: tensor<4x3xf32>, %w: tensor<3x2xf32>, %x64: tensor<4x3xf64>) -> (tensor<4x2xf32>, tensor<4x2xf32>, tensor<4x2xf64>) {
  %c = arith.constant dense<1.0> : tensor<3x2xf32>
  %c64 = arith.constant dense<1.0> : tensor<3x2xf64>
  %zero = arith.constant 0.0 : f32
  %one = arith.constant 1.0 : f32
  %zero64 = arith.constant 0.0 : f64
  %e = tensor.empty() : tensor<4x2xf32>
  %e64 = tensor.empty() : tensor<4x2xf64>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<4x2xf32>) -> tensor<4x2xf32>
  %ones = linalg.fill ins(%one : f32) outs(%e : tensor<4x2xf32>) -> tensor<4x2xf32>
  %init64 = linalg.fill ins(%zero64 : f64) outs(%e64 : tensor<4x2xf64>) -> tensor<4x2xf64>
  %y0 = linalg.matmul ins(%x, %w : tensor<4x3xf32>, tensor<3x2xf32>) outs(%init : tensor<4x2xf32>) -> tensor<4x2xf32>
  %y1 = linalg.matmul ins(%x, %c : tensor<4x3xf32>, tensor<3x2xf32>) outs(%ones : tensor<4x2xf32>) -> tensor<4x2xf32>
  %y2 = linalg.matmul ins(%x64, %c64 : tensor<4x3xf64>, tensor<3x2xf64>) outs(%init64 : tensor<4x2xf64>) -> tensor<4x2xf64>
  return %y0, %y1, %y2 : tensor<4x2xf32>, tensor<4x2xf32>, tensor<4x2xf64>
}
