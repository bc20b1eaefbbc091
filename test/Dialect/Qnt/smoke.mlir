// RUN: quant-opt %s | FileCheck %s
// CHECK: qnt.quantize
func.func @f(%x: tensor<4xf32>) -> tensor<4x!quant.uniform<i8:f32, 0.5>> {
  %q = qnt.quantize %x : tensor<4xf32> -> tensor<4x!quant.uniform<i8:f32, 0.5>>
  return %q : tensor<4x!quant.uniform<i8:f32, 0.5>>
}
