// RUN: quant-opt %s --convert-linalg-to-kernels --verify-diagnostics

// The kernel library's entry point cannot be another symbol.
// expected-error @+1 {{@quant_float_layer_run is reserved for the kernel library}}
func.func @quant_float_layer_run() {
  return
}

func.func @uses_kernels(%x: tensor<4x3xf32>) -> tensor<4x2xf32> {
  %w = arith.constant dense<1.0> : tensor<3x2xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x2xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<4x2xf32>) -> tensor<4x2xf32>
  %y = linalg.matmul ins(%x, %w : tensor<4x3xf32>, tensor<3x2xf32>) outs(%init : tensor<4x2xf32>) -> tensor<4x2xf32>
  return %y : tensor<4x2xf32>
}
