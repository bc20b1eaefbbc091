// RUN: quant-opt %s --canonicalize --split-input-file | FileCheck %s

// quantize(reshape(dequantize(q))) with one per-tensor type reshapes the
// storage: no float tensor is left.

!q = !quant.uniform<u8:f32, 0.018:3>

// CHECK-LABEL: func.func @flatten
// CHECK-SAME: (%[[Q:.*]]: tensor<?x64x1x1x!quant.uniform<u8:f32, 1.800000e-02:3>>)
// CHECK: %[[S:.*]] = quant.scast %[[Q]] : tensor<?x64x1x1x!quant.uniform<u8:f32, 1.800000e-02:3>> to tensor<?x64x1x1xi8>
// CHECK: %[[C:.*]] = tensor.collapse_shape %[[S]] {{\[}}[0], [1, 2, 3]] : tensor<?x64x1x1xi8> into tensor<?x64xi8>
// CHECK: %[[R:.*]] = quant.scast %[[C]] : tensor<?x64xi8> to tensor<?x64x!quant.uniform<u8:f32, 1.800000e-02:3>>
// CHECK-NOT: qnt.
// CHECK: return %[[R]]
func.func @flatten(%q: tensor<?x64x1x1x!q>) -> tensor<?x64x!q> {
  %f = qnt.dequantize %q : tensor<?x64x1x1x!q> -> tensor<?x64x1x1xf32>
  %r = tensor.collapse_shape %f [[0], [1, 2, 3]]
      : tensor<?x64x1x1xf32> into tensor<?x64xf32>
  %y = qnt.quantize %r : tensor<?x64xf32> -> tensor<?x64x!q>
  return %y : tensor<?x64x!q>
}

// -----

!q = !quant.uniform<i8:f32, 0.25>

// CHECK-LABEL: func.func @reshape_and_expand
// CHECK-SAME: (%[[Q:.*]]: tensor<2x6x!quant.uniform<i8:f32, 2.500000e-01>>, %[[SHAPE:.*]]: tensor<3xindex>)
// CHECK: %[[S:.*]] = quant.scast %[[Q]] : {{.*}} to tensor<2x6xi8>
// CHECK: %[[R:.*]] = tensor.reshape %[[S]](%[[SHAPE]]) : (tensor<2x6xi8>, tensor<3xindex>) -> tensor<2x3x2xi8>
// CHECK: %[[A:.*]] = quant.scast %[[R]] : tensor<2x3x2xi8> to tensor<2x3x2x!quant.uniform<i8:f32, 2.500000e-01>>
// CHECK: %[[S2:.*]] = quant.scast %[[Q]] : {{.*}} to tensor<2x6xi8>
// CHECK: %[[E:.*]] = tensor.expand_shape %[[S2]] {{\[}}[0], [1, 2]] output_shape [2, 2, 3] : tensor<2x6xi8> into tensor<2x2x3xi8>
// CHECK: %[[B:.*]] = quant.scast %[[E]] : tensor<2x2x3xi8> to tensor<2x2x3x!quant.uniform<i8:f32, 2.500000e-01>>
// CHECK-NOT: qnt.
// CHECK: return %[[A]], %[[B]]
func.func @reshape_and_expand(%q: tensor<2x6x!q>, %shape: tensor<3xindex>)
    -> (tensor<2x3x2x!q>, tensor<2x2x3x!q>) {
  %f = qnt.dequantize %q : tensor<2x6x!q> -> tensor<2x6xf32>
  %r = tensor.reshape %f(%shape)
      : (tensor<2x6xf32>, tensor<3xindex>) -> tensor<2x3x2xf32>
  %a = qnt.quantize %r : tensor<2x3x2xf32> -> tensor<2x3x2x!q>
  %e = tensor.expand_shape %f [[0], [1, 2]] output_shape [2, 2, 3]
      : tensor<2x6xf32> into tensor<2x2x3xf32>
  %b = qnt.quantize %e : tensor<2x2x3xf32> -> tensor<2x2x3x!q>
  return %a, %b : tensor<2x3x2x!q>, tensor<2x2x3x!q>
}

// -----

// Kept: another scale, per-channel scales (a reshape may move their axis),
// a round trip that is not exact (f16 cannot hold every i16 step), and a
// reshape of a float that was never quantized.

!q = !quant.uniform<u8:f32, 0.5>
!other = !quant.uniform<u8:f32, 0.25>
!perc = !quant.uniform<i8:f32:0, {0.5, 0.25}>
!wide = !quant.uniform<i16:f16, 0.5>

// CHECK-LABEL: func.func @kept
// CHECK-COUNT-4: qnt.quantize
// CHECK-NOT: quant.scast
func.func @kept(%q: tensor<4x2x!q>, %p: tensor<2x4x!perc>,
                %w: tensor<4x2x!wide>, %x: tensor<4x2xf32>)
    -> (tensor<8x!other>, tensor<2x2x2x!perc>, tensor<8x!wide>,
        tensor<8x!q>) {
  %f = qnt.dequantize %q : tensor<4x2x!q> -> tensor<4x2xf32>
  %fr = tensor.collapse_shape %f [[0, 1]] : tensor<4x2xf32> into tensor<8xf32>
  %a = qnt.quantize %fr : tensor<8xf32> -> tensor<8x!other>
  %g = qnt.dequantize %p : tensor<2x4x!perc> -> tensor<2x4xf32>
  %gr = tensor.expand_shape %g [[0], [1, 2]] output_shape [2, 2, 2]
      : tensor<2x4xf32> into tensor<2x2x2xf32>
  %b = qnt.quantize %gr : tensor<2x2x2xf32> -> tensor<2x2x2x!perc>
  %h = qnt.dequantize %w : tensor<4x2x!wide> -> tensor<4x2xf16>
  %hr = tensor.collapse_shape %h [[0, 1]] : tensor<4x2xf16> into tensor<8xf16>
  %c = qnt.quantize %hr : tensor<8xf16> -> tensor<8x!wide>
  %xr = tensor.collapse_shape %x [[0, 1]] : tensor<4x2xf32> into tensor<8xf32>
  %d = qnt.quantize %xr : tensor<8xf32> -> tensor<8x!q>
  return %a, %b, %c, %d
      : tensor<8x!other>, tensor<2x2x2x!perc>, tensor<8x!wide>, tensor<8x!q>
}
