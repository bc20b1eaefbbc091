// RUN: quant-opt %s --qnt-fold-fake-quant --split-input-file | FileCheck %s

// A fake_quant becomes the quantize/dequantize pair, rounding mode kept.
// CHECK-LABEL: func.func @fake_quant
// CHECK: %[[Q:.*]] = qnt.quantize %{{.*}} {rounding = #qnt.rounding<half_away_from_zero>} : tensor<4xf32> -> tensor<4x!quant.uniform<i8:f32, 5.000000e-01:3>>
// CHECK: %[[D:.*]] = qnt.dequantize %[[Q]] : tensor<4x!quant.uniform<i8:f32, 5.000000e-01:3>> -> tensor<4xf32>
// CHECK: return %[[D]]
func.func @fake_quant(%x: tensor<4xf32>) -> tensor<4xf32> {
  %y = qnt.fake_quant %x as !quant.uniform<i8:f32, 0.5:3> {rounding = #qnt.rounding<half_away_from_zero>} : tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// The importer's QuantizeLinear -> DequantizeLinear: a storage cast round
// trip between the casts, and a one-scale per-axis type (ONNX scale given
// as a 1-element tensor) that is per tensor on both sides.
// CHECK-LABEL: func.func @onnx_pair
// CHECK: %[[Q:.*]] = qnt.quantize %{{.*}} : tensor<?x4xf32> -> tensor<?x4x!quant.uniform<u8:f32, 5.000000e-01:7>>
// CHECK-NOT: quant.scast
// CHECK: %[[D0:.*]] = qnt.dequantize %[[Q]] : tensor<?x4x!quant.uniform<u8:f32, 5.000000e-01:7>> -> tensor<?x4xf32>
// CHECK: %[[D1:.*]] = qnt.dequantize %[[Q]] : tensor<?x4x!quant.uniform<u8:f32, 5.000000e-01:7>> -> tensor<?x4xf32>
// CHECK: return %[[D0]], %[[D1]]
func.func @onnx_pair(%x: tensor<?x4xf32>) -> (tensor<?x4xf32>, tensor<?x4xf32>) {
  %q = qnt.quantize %x : tensor<?x4xf32> -> tensor<?x4x!quant.uniform<u8:f32:1, {0.5:7, 0.5:7, 0.5:7, 0.5:7}>>
  %s = quant.scast %q : tensor<?x4x!quant.uniform<u8:f32:1, {0.5:7, 0.5:7, 0.5:7, 0.5:7}>> to tensor<?x4xi8>
  %r = quant.scast %s : tensor<?x4xi8> to tensor<?x4x!quant.uniform<u8:f32:1, {0.5:7, 0.5:7, 0.5:7, 0.5:7}>>
  %d0 = qnt.dequantize %r : tensor<?x4x!quant.uniform<u8:f32:1, {0.5:7, 0.5:7, 0.5:7, 0.5:7}>> -> tensor<?x4xf32>
  %d1 = qnt.dequantize %q : tensor<?x4x!quant.uniform<u8:f32:1, {0.5:7, 0.5:7, 0.5:7, 0.5:7}>> -> tensor<?x4xf32>
  return %d0, %d1 : tensor<?x4xf32>, tensor<?x4xf32>
}

// -----

// Left alone: channels with different scales, a zero point that differs,
// a quantized value that leaves the function, and a cast to another type.
// CHECK-LABEL: func.func @kept
// CHECK: qnt.quantize %{{.*}} -> tensor<2x!quant.uniform<i8:f32:0, {5.000000e-01,2.500000e-01}>>
// CHECK: qnt.quantize %{{.*}} -> tensor<2x!quant.uniform<i8:f32:0, {5.000000e-01:1,5.000000e-01:2}>>
// CHECK: %[[OUT:.*]] = qnt.quantize %{{.*}} -> tensor<2x!quant.uniform<i8:f32:0, {5.000000e-01,5.000000e-01}>>
// CHECK: quant.scast %{{.*}} : tensor<2x!quant.uniform<i8:f32, 5.000000e-01>> to tensor<2xi8>
// CHECK: quant.scast %{{.*}} : tensor<2xi8> to tensor<2x!quant.uniform<i8:f32, 2.500000e-01>>
// CHECK: return {{.*}}, %[[OUT]]
func.func @kept(%x: tensor<2xf32>) -> (tensor<2xf32>, tensor<2xf32>, tensor<2x!quant.uniform<i8:f32:0, {0.5, 0.5}>>, tensor<2x!quant.uniform<i8:f32, 0.25>>) {
  %a = qnt.quantize %x : tensor<2xf32> -> tensor<2x!quant.uniform<i8:f32:0, {0.5, 0.25}>>
  %da = qnt.dequantize %a : tensor<2x!quant.uniform<i8:f32:0, {0.5, 0.25}>> -> tensor<2xf32>
  %b = qnt.quantize %x : tensor<2xf32> -> tensor<2x!quant.uniform<i8:f32:0, {0.5:1, 0.5:2}>>
  %db = qnt.dequantize %b : tensor<2x!quant.uniform<i8:f32:0, {0.5:1, 0.5:2}>> -> tensor<2xf32>
  %c = qnt.quantize %x : tensor<2xf32> -> tensor<2x!quant.uniform<i8:f32:0, {0.5, 0.5}>>
  %e = qnt.quantize %x : tensor<2xf32> -> tensor<2x!quant.uniform<i8:f32, 0.5>>
  %s = quant.scast %e : tensor<2x!quant.uniform<i8:f32, 0.5>> to tensor<2xi8>
  %r = quant.scast %s : tensor<2xi8> to tensor<2x!quant.uniform<i8:f32, 0.25>>
  return %da, %db, %c, %r : tensor<2xf32>, tensor<2xf32>, tensor<2x!quant.uniform<i8:f32:0, {0.5, 0.5}>>, tensor<2x!quant.uniform<i8:f32, 0.25>>
}
