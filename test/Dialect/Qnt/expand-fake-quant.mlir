// RUN: quant-opt %s --split-input-file --qnt-expand-fake-quant | FileCheck %s --implicit-check-not=qnt.fake_quant

// CHECK-LABEL: func.func @per_tensor
// CHECK-SAME: (%[[X:.*]]: tensor<4xf32>)
// CHECK: %[[Q:.*]] = qnt.quantize %[[X]] : tensor<4xf32> -> tensor<4x!quant.uniform<i8:f32, 5.000000e-01:-1>>
// CHECK: %[[D:.*]] = qnt.dequantize %[[Q]] : tensor<4x!quant.uniform<i8:f32, 5.000000e-01:-1>> -> tensor<4xf32>
// CHECK: return %[[D]]
func.func @per_tensor(%x: tensor<4xf32>) -> tensor<4xf32> {
  %y = qnt.fake_quant %x as !quant.uniform<i8:f32, 0.5:-1> : tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// The rounding mode moves to the quantize; per-axis parameters and dynamic
// dimensions are kept.
// CHECK-LABEL: func.func @per_axis_dynamic
// CHECK-SAME: (%[[X:.*]]: tensor<?x2xf16>)
// CHECK: %[[Q:.*]] = qnt.quantize %[[X]] {rounding = #qnt.rounding<half_away_from_zero>} : tensor<?x2xf16> -> tensor<?x2x!quant.uniform<i8<-127:127>:f16:1, {1.000000e-01,2.500000e-01:3}>>
// CHECK: %[[D:.*]] = qnt.dequantize %[[Q]] : tensor<?x2x!quant.uniform<i8<-127:127>:f16:1, {1.000000e-01,2.500000e-01:3}>> -> tensor<?x2xf16>
// CHECK: return %[[D]]
func.func @per_axis_dynamic(%x: tensor<?x2xf16>) -> tensor<?x2xf16> {
  %y = qnt.fake_quant %x as !quant.uniform<i8<-127:127>:f16:1, {0.1, 0.25:3}> {rounding = #qnt.rounding<half_away_from_zero>} : tensor<?x2xf16>
  return %y : tensor<?x2xf16>
}

// -----

// Sub-channel (block) parameters on a 4-bit type, and a chain: each
// fake_quant expands on its own, nothing folds.
// CHECK-LABEL: func.func @block_chain
// CHECK-SAME: (%[[X:.*]]: tensor<2x4xf32>)
// CHECK: %[[Q0:.*]] = qnt.quantize %[[X]] : tensor<2x4xf32> -> tensor<2x4x!quant.uniform<i4:f32:{0:1, 1:2}, {{\{}}{1.000000e+00, 2.000000e+00}, {3.000000e+00, 4.000000e+00}}>>
// CHECK: %[[D0:.*]] = qnt.dequantize %[[Q0]]
// CHECK: %[[Q1:.*]] = qnt.quantize %[[D0]] : tensor<2x4xf32> -> tensor<2x4x!quant.uniform<u4:f32, 5.000000e-01:8>>
// CHECK: %[[D1:.*]] = qnt.dequantize %[[Q1]]
// CHECK: return %[[D1]]
func.func @block_chain(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  %a = qnt.fake_quant %x as !quant.uniform<i4:f32:{0:1, 1:2}, {{1.0, 2.0}, {3.0, 4.0}}> : tensor<2x4xf32>
  %b = qnt.fake_quant %a as !quant.uniform<u4:f32, 0.5:8> : tensor<2x4xf32>
  return %b : tensor<2x4xf32>
}

// -----

// A function without fake_quant is untouched.
// CHECK-LABEL: func.func @nothing
// CHECK-NEXT: return
func.func @nothing(%x: tensor<4xf32>) -> tensor<4xf32> {
  return %x : tensor<4xf32>
}
