// RUN: quant-opt %s | quant-opt | FileCheck %s
// RUN: quant-opt %s --mlir-print-op-generic | quant-opt | FileCheck %s

// Round trip of every form of the integer compute ops: qnt.matmul (2-D and
// batched, bias, per-axis rhs, i32 result, clamps, both requantize modes),
// qnt.conv2d (NCHW/NHWC, groups, strides/padding/dilations defaulted and
// explicit, bias) and qnt.add/qnt.mul in both modes. Default-valued
// attributes are elided in the custom form.

!qa = !quant.uniform<i8:f32, 0.5:-1>
!qu = !quant.uniform<u8:f32, 0.1:128>
!qw = !quant.uniform<i8:f32, 0.25>
!qwc = !quant.uniform<i8:f32:1, {0.25, 0.125, 0.5}>
!qy = !quant.uniform<i8:f32, 1.0:3>
!q1 = !quant.uniform<i8:f32, 1.0>

//===----------------------------------------------------------------------===//
// qnt.matmul
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @matmul_2d
// CHECK-SAME: (%[[A:.*]]: tensor<4x16x!quant.uniform<i8:f32, 5.000000e-01:-1>>, %[[W:.*]]: tensor<16x8x!quant.uniform<i8:f32, 2.500000e-01>>)
func.func @matmul_2d(%a: tensor<4x16x!qa>, %w: tensor<16x8x!qw>) -> tensor<4x8x!qy> {
  // CHECK: %[[Y:.*]] = qnt.matmul %[[A]], %[[W]] : tensor<4x16x!quant.uniform<i8:f32, 5.000000e-01:-1>>, tensor<16x8x!quant.uniform<i8:f32, 2.500000e-01>> -> tensor<4x8x!quant.uniform<i8:f32, 1.000000e+00:3>>{{$}}
  %y = qnt.matmul %a, %w : tensor<4x16x!qa>, tensor<16x8x!qw> -> tensor<4x8x!qy>
  // CHECK: return %[[Y]]
  return %y : tensor<4x8x!qy>
}

// The default mode spelled out is elided on printing.
// CHECK-LABEL: func.func @matmul_float_explicit
func.func @matmul_float_explicit(%a: tensor<4x16x!qa>, %w: tensor<16x8x!qw>) -> tensor<4x8x!qy> {
  // CHECK: qnt.matmul %{{.*}}, %{{.*}} : tensor<4x16x!quant.uniform<i8:f32, 5.000000e-01:-1>>, tensor<16x8x!quant.uniform<i8:f32, 2.500000e-01>> -> tensor<4x8x!quant.uniform<i8:f32, 1.000000e+00:3>>{{$}}
  %y = qnt.matmul %a, %w {requantize = #qnt.requantize<float>} : tensor<4x16x!qa>, tensor<16x8x!qw> -> tensor<4x8x!qy>
  return %y : tensor<4x8x!qy>
}

// CHECK-LABEL: func.func @matmul_bias
// CHECK-SAME: %[[B:[^:]*]]: tensor<8xi32>
func.func @matmul_bias(%a: tensor<4x16x!qu>, %w: tensor<16x8x!qw>, %b: tensor<8xi32>) -> tensor<4x8x!qy> {
  // CHECK: qnt.matmul %{{.*}}, %{{.*}} bias %[[B]] : tensor<4x16x!quant.uniform<u8:f32, 1.000000e-01:128>>, tensor<16x8x!quant.uniform<i8:f32, 2.500000e-01>>, tensor<8xi32> -> tensor<4x8x!quant.uniform<i8:f32, 1.000000e+00:3>>{{$}}
  %y = qnt.matmul %a, %w bias %b : tensor<4x16x!qu>, tensor<16x8x!qw>, tensor<8xi32> -> tensor<4x8x!qy>
  return %y : tensor<4x8x!qy>
}

// CHECK-LABEL: func.func @matmul_batched
func.func @matmul_batched(%a: tensor<2x4x16x!qa>, %w: tensor<2x16x8x!qw>) -> tensor<2x4x8x!qy> {
  // CHECK: qnt.matmul %{{.*}}, %{{.*}} : tensor<2x4x16x!quant.uniform<i8:f32, 5.000000e-01:-1>>, tensor<2x16x8x!quant.uniform<i8:f32, 2.500000e-01>> -> tensor<2x4x8x!quant.uniform<i8:f32, 1.000000e+00:3>>{{$}}
  %y = qnt.matmul %a, %w : tensor<2x4x16x!qa>, tensor<2x16x8x!qw> -> tensor<2x4x8x!qy>
  return %y : tensor<2x4x8x!qy>
}

// CHECK-LABEL: func.func @matmul_batched_bias_dynamic
func.func @matmul_batched_bias_dynamic(%a: tensor<?x?x16x!qa>, %w: tensor<?x16x8x!qw>, %b: tensor<8xi32>) -> tensor<?x?x8x!qy> {
  // CHECK: qnt.matmul %{{.*}}, %{{.*}} bias %{{.*}} : tensor<?x?x16x!quant.uniform<i8:f32, 5.000000e-01:-1>>, tensor<?x16x8x!quant.uniform<i8:f32, 2.500000e-01>>, tensor<8xi32> -> tensor<?x?x8x!quant.uniform<i8:f32, 1.000000e+00:3>>{{$}}
  %y = qnt.matmul %a, %w bias %b : tensor<?x?x16x!qa>, tensor<?x16x8x!qw>, tensor<8xi32> -> tensor<?x?x8x!qy>
  return %y : tensor<?x?x8x!qy>
}

// CHECK-LABEL: func.func @matmul_per_axis_rhs
func.func @matmul_per_axis_rhs(%a: tensor<4x16x!qa>, %w: tensor<16x3x!qwc>, %b: tensor<3xi32>) -> tensor<4x3x!qy> {
  // CHECK: qnt.matmul %{{.*}}, %{{.*}} bias %{{.*}} : tensor<4x16x!quant.uniform<i8:f32, 5.000000e-01:-1>>, tensor<16x3x!quant.uniform<i8:f32:1, {2.500000e-01,1.250000e-01,5.000000e-01}>>, tensor<3xi32> -> tensor<4x3x!quant.uniform<i8:f32, 1.000000e+00:3>>{{$}}
  %y = qnt.matmul %a, %w bias %b : tensor<4x16x!qa>, tensor<16x3x!qwc>, tensor<3xi32> -> tensor<4x3x!qy>
  return %y : tensor<4x3x!qy>
}

// Batched per-axis rhs: the output channels are dimension 2.
// CHECK-LABEL: func.func @matmul_batched_per_axis_rhs
func.func @matmul_batched_per_axis_rhs(%a: tensor<2x4x16x!qa>, %w: tensor<2x16x2x!quant.uniform<i8:f32:2, {0.25:1, 0.5:-1}>>) -> tensor<2x4x2x!qy> {
  // CHECK: qnt.matmul %{{.*}}, %{{.*}} : tensor<2x4x16x!quant.uniform<i8:f32, 5.000000e-01:-1>>, tensor<2x16x2x!quant.uniform<i8:f32:2, {2.500000e-01:1,5.000000e-01:-1}>> -> tensor<2x4x2x!quant.uniform<i8:f32, 1.000000e+00:3>>{{$}}
  %y = qnt.matmul %a, %w : tensor<2x4x16x!qa>, tensor<2x16x2x!quant.uniform<i8:f32:2, {0.25:1, 0.5:-1}>> -> tensor<2x4x2x!qy>
  return %y : tensor<2x4x2x!qy>
}

// CHECK-LABEL: func.func @matmul_i32
func.func @matmul_i32(%a: tensor<4x16x!qa>, %w: tensor<16x8x!qw>) -> tensor<4x8xi32> {
  // CHECK: qnt.matmul %{{.*}}, %{{.*}} : tensor<4x16x!quant.uniform<i8:f32, 5.000000e-01:-1>>, tensor<16x8x!quant.uniform<i8:f32, 2.500000e-01>> -> tensor<4x8xi32>{{$}}
  %y = qnt.matmul %a, %w : tensor<4x16x!qa>, tensor<16x8x!qw> -> tensor<4x8xi32>
  return %y : tensor<4x8xi32>
}

// CHECK-LABEL: func.func @matmul_i32_bias
func.func @matmul_i32_bias(%a: tensor<2x4x16x!qa>, %w: tensor<2x16x3x!quant.uniform<i8:f32:2, {0.25, 0.125, 0.5}>>, %b: tensor<3xi32>) -> tensor<2x4x3xi32> {
  // CHECK: qnt.matmul %{{.*}}, %{{.*}} bias %{{.*}} : tensor<2x4x16x!quant.uniform<i8:f32, 5.000000e-01:-1>>, tensor<2x16x3x!quant.uniform<i8:f32:2, {2.500000e-01,1.250000e-01,5.000000e-01}>>, tensor<3xi32> -> tensor<2x4x3xi32>{{$}}
  %y = qnt.matmul %a, %w bias %b : tensor<2x4x16x!qa>, tensor<2x16x3x!quant.uniform<i8:f32:2, {0.25, 0.125, 0.5}>>, tensor<3xi32> -> tensor<2x4x3xi32>
  return %y : tensor<2x4x3xi32>
}

// A fused ReLU: clamp_min = zp_result.
// CHECK-LABEL: func.func @matmul_clamps
func.func @matmul_clamps(%a: tensor<4x16x!qa>, %w: tensor<16x8x!qw>) -> tensor<4x8x!qy> {
  // CHECK: qnt.matmul %{{.*}}, %{{.*}} {clamp_max = 100 : i64, clamp_min = 3 : i64} : tensor<4x16x!quant.uniform<i8:f32, 5.000000e-01:-1>>, tensor<16x8x!quant.uniform<i8:f32, 2.500000e-01>> -> tensor<4x8x!quant.uniform<i8:f32, 1.000000e+00:3>>{{$}}
  %y = qnt.matmul %a, %w {clamp_min = 3 : i64, clamp_max = 100 : i64} : tensor<4x16x!qa>, tensor<16x8x!qw> -> tensor<4x8x!qy>
  return %y : tensor<4x8x!qy>
}

// Clamps at the storage edges and equal to each other are accepted.
// CHECK-LABEL: func.func @matmul_clamps_edges
func.func @matmul_clamps_edges(%a: tensor<4x16x!qa>, %w: tensor<16x8x!qw>) -> (tensor<4x8x!qy>, tensor<4x8x!qy>, tensor<4x8x!quant.uniform<u8:f32, 1.0>>) {
  // CHECK: qnt.matmul %{{.*}}, %{{.*}} {clamp_max = 127 : i64, clamp_min = -128 : i64} :
  %y0 = qnt.matmul %a, %w {clamp_min = -128 : i64, clamp_max = 127 : i64} : tensor<4x16x!qa>, tensor<16x8x!qw> -> tensor<4x8x!qy>
  // CHECK: qnt.matmul %{{.*}}, %{{.*}} {clamp_max = 5 : i64, clamp_min = 5 : i64} :
  %y1 = qnt.matmul %a, %w {clamp_min = 5 : i64, clamp_max = 5 : i64} : tensor<4x16x!qa>, tensor<16x8x!qw> -> tensor<4x8x!qy>
  // CHECK: qnt.matmul %{{.*}}, %{{.*}} {clamp_max = 255 : i64} : {{.*}} -> tensor<4x8x!quant.uniform<u8:f32, 1.000000e+00>>{{$}}
  %y2 = qnt.matmul %a, %w {clamp_max = 255 : i64} : tensor<4x16x!qa>, tensor<16x8x!qw> -> tensor<4x8x!quant.uniform<u8:f32, 1.0>>
  return %y0, %y1, %y2 : tensor<4x8x!qy>, tensor<4x8x!qy>, tensor<4x8x!quant.uniform<u8:f32, 1.0>>
}

// CHECK-LABEL: func.func @matmul_integer
func.func @matmul_integer(%a: tensor<4x16x!qu>, %w: tensor<16x3x!qwc>, %b: tensor<3xi32>) -> tensor<4x3x!qy> {
  // CHECK: qnt.matmul %{{.*}}, %{{.*}} bias %{{.*}} {clamp_min = -3 : i64, requantize = #qnt.requantize<integer>} : tensor<4x16x!quant.uniform<u8:f32, 1.000000e-01:128>>, tensor<16x3x!quant.uniform<i8:f32:1, {2.500000e-01,1.250000e-01,5.000000e-01}>>, tensor<3xi32> -> tensor<4x3x!quant.uniform<i8:f32, 1.000000e+00:3>>{{$}}
  %y = qnt.matmul %a, %w bias %b {requantize = #qnt.requantize<integer>, clamp_min = -3 : i64} : tensor<4x16x!qu>, tensor<16x3x!qwc>, tensor<3xi32> -> tensor<4x3x!qy>
  return %y : tensor<4x3x!qy>
}

// A multiplier with no Q31 form is fine in float mode (qnt_c16 is for
// integer mode only).
// CHECK-LABEL: func.func @matmul_float_huge_multiplier
func.func @matmul_float_huge_multiplier(%a: tensor<4x16x!q1>, %w: tensor<16x8x!q1>) -> tensor<4x8x!quant.uniform<i8:f32, 1.0e-10>> {
  // CHECK: qnt.matmul %{{.*}}, %{{.*}} : {{.*}} -> tensor<4x8x!quant.uniform<i8:f32, 1.000000e-10>>{{$}}
  %y = qnt.matmul %a, %w : tensor<4x16x!q1>, tensor<16x8x!q1> -> tensor<4x8x!quant.uniform<i8:f32, 1.0e-10>>
  return %y : tensor<4x8x!quant.uniform<i8:f32, 1.0e-10>>
}

// qnt_c17 edge: 131071 * 128 * 128 = 2^31 - 2^14 still fits in i32.
// CHECK-LABEL: func.func @matmul_accumulator_edge
func.func @matmul_accumulator_edge(%a: tensor<1x131071x!q1>, %w: tensor<131071x1x!q1>) -> tensor<1x1xi32> {
  // CHECK: qnt.matmul %{{.*}}, %{{.*}} : tensor<1x131071x!quant.uniform<i8:f32, 1.000000e+00>>, tensor<131071x1x!quant.uniform<i8:f32, 1.000000e+00>> -> tensor<1x1xi32>{{$}}
  %y = qnt.matmul %a, %w : tensor<1x131071x!q1>, tensor<131071x1x!q1> -> tensor<1x1xi32>
  return %y : tensor<1x1xi32>
}

// 16-bit storage and f16/bf16 expressed types.
// CHECK-LABEL: func.func @matmul_i16_f16
func.func @matmul_i16_f16(%a: tensor<4x16x!quant.uniform<i16:f16, 0.5>>, %w: tensor<16x8x!quant.uniform<i8:f16, 0.25>>) -> tensor<4x8x!quant.uniform<u16:f16, 1.0:100>> {
  // CHECK: qnt.matmul %{{.*}}, %{{.*}} : tensor<4x16x!quant.uniform<i16:f16, 5.000000e-01>>, tensor<16x8x!quant.uniform<i8:f16, 2.500000e-01>> -> tensor<4x8x!quant.uniform<u16:f16, 1.000000e+00:100>>{{$}}
  %y = qnt.matmul %a, %w : tensor<4x16x!quant.uniform<i16:f16, 0.5>>, tensor<16x8x!quant.uniform<i8:f16, 0.25>> -> tensor<4x8x!quant.uniform<u16:f16, 1.0:100>>
  return %y : tensor<4x8x!quant.uniform<u16:f16, 1.0:100>>
}

//===----------------------------------------------------------------------===//
// qnt.conv2d
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @conv_nchw_defaults
func.func @conv_nchw_defaults(%x: tensor<1x3x8x8x!qu>, %w: tensor<4x3x3x3x!qw>) -> tensor<1x4x6x6x!qy> {
  // CHECK: qnt.conv2d %{{.*}}, %{{.*}} : tensor<1x3x8x8x!quant.uniform<u8:f32, 1.000000e-01:128>>, tensor<4x3x3x3x!quant.uniform<i8:f32, 2.500000e-01>> -> tensor<1x4x6x6x!quant.uniform<i8:f32, 1.000000e+00:3>>{{$}}
  %y = qnt.conv2d %x, %w : tensor<1x3x8x8x!qu>, tensor<4x3x3x3x!qw> -> tensor<1x4x6x6x!qy>
  return %y : tensor<1x4x6x6x!qy>
}

// Every attribute spelled out with its default value: all are elided.
// CHECK-LABEL: func.func @conv_nchw_explicit_defaults
func.func @conv_nchw_explicit_defaults(%x: tensor<1x3x8x8x!qu>, %w: tensor<4x3x3x3x!qw>) -> tensor<1x4x6x6x!qy> {
  // CHECK: qnt.conv2d %{{.*}}, %{{.*}} : tensor<1x3x8x8x!quant.uniform<u8:f32, 1.000000e-01:128>>, tensor<4x3x3x3x!quant.uniform<i8:f32, 2.500000e-01>> -> tensor<1x4x6x6x!quant.uniform<i8:f32, 1.000000e+00:3>>{{$}}
  %y = qnt.conv2d %x, %w {layout = #qnt.layout<nchw>, strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, groups = 1 : i64, requantize = #qnt.requantize<float>} : tensor<1x3x8x8x!qu>, tensor<4x3x3x3x!qw> -> tensor<1x4x6x6x!qy>
  return %y : tensor<1x4x6x6x!qy>
}

// OH = (9 + 1 + 0 - 1*2 - 1) / 2 + 1 = 4, OW = (9 + 2 + 1 - 2*2 - 1) / 1 + 1 = 8.
// CHECK-LABEL: func.func @conv_nchw_explicit
func.func @conv_nchw_explicit(%x: tensor<?x4x9x9x!qu>, %w: tensor<4x2x3x3x!quant.uniform<i8:f32:0, {0.05, 0.02, 0.01, 0.04}>>, %b: tensor<4xi32>) -> tensor<?x4x4x8x!qy> {
  // CHECK: qnt.conv2d %{{.*}}, %{{.*}} bias %{{.*}} {dilations = array<i64: 1, 2>, groups = 2 : i64, padding = array<i64: 1, 2, 0, 1>, strides = array<i64: 2, 1>} : tensor<?x4x9x9x!quant.uniform<u8:f32, 1.000000e-01:128>>, tensor<4x2x3x3x!quant.uniform<i8:f32:0, {5.000000e-02,2.000000e-02,1.000000e-02,4.000000e-02}>>, tensor<4xi32> -> tensor<?x4x4x8x!quant.uniform<i8:f32, 1.000000e+00:3>>{{$}}
  %y = qnt.conv2d %x, %w bias %b {groups = 2 : i64, strides = array<i64: 2, 1>, padding = array<i64: 1, 2, 0, 1>, dilations = array<i64: 1, 2>} : tensor<?x4x9x9x!qu>, tensor<4x2x3x3x!quant.uniform<i8:f32:0, {0.05, 0.02, 0.01, 0.04}>>, tensor<4xi32> -> tensor<?x4x4x8x!qy>
  return %y : tensor<?x4x4x8x!qy>
}

// CHECK-LABEL: func.func @conv_nhwc
func.func @conv_nhwc(%x: tensor<1x8x8x3x!qu>, %w: tensor<3x3x3x4x!qw>, %b: tensor<4xi32>) -> tensor<1x4x4x4x!qy> {
  // CHECK: qnt.conv2d %{{.*}}, %{{.*}} bias %{{.*}} {layout = #qnt.layout<nhwc>, padding = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : tensor<1x8x8x3x!quant.uniform<u8:f32, 1.000000e-01:128>>, tensor<3x3x3x4x!quant.uniform<i8:f32, 2.500000e-01>>, tensor<4xi32> -> tensor<1x4x4x4x!quant.uniform<i8:f32, 1.000000e+00:3>>{{$}}
  %y = qnt.conv2d %x, %w bias %b {layout = #qnt.layout<nhwc>, strides = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>} : tensor<1x8x8x3x!qu>, tensor<3x3x3x4x!qw>, tensor<4xi32> -> tensor<1x4x4x4x!qy>
  return %y : tensor<1x4x4x4x!qy>
}

// Depthwise (groups = C) NHWC with a per-axis filter on F (axis 3) and a ReLU.
// CHECK-LABEL: func.func @conv_nhwc_depthwise
func.func @conv_nhwc_depthwise(%x: tensor<1x6x6x3x!qa>, %w: tensor<3x3x1x3x!quant.uniform<i8:f32:3, {0.02, 0.03, 0.04}>>) -> tensor<1x6x6x3x!qy> {
  // CHECK: qnt.conv2d %{{.*}}, %{{.*}} {clamp_max = 100 : i64, clamp_min = 3 : i64, groups = 3 : i64, layout = #qnt.layout<nhwc>, padding = array<i64: 1, 1, 1, 1>} : tensor<1x6x6x3x!quant.uniform<i8:f32, 5.000000e-01:-1>>, tensor<3x3x1x3x!quant.uniform<i8:f32:3, {2.000000e-02,3.000000e-02,4.000000e-02}>> -> tensor<1x6x6x3x!quant.uniform<i8:f32, 1.000000e+00:3>>{{$}}
  %y = qnt.conv2d %x, %w {layout = #qnt.layout<nhwc>, groups = 3 : i64, padding = array<i64: 1, 1, 1, 1>, clamp_min = 3 : i64, clamp_max = 100 : i64} : tensor<1x6x6x3x!qa>, tensor<3x3x1x3x!quant.uniform<i8:f32:3, {0.02, 0.03, 0.04}>> -> tensor<1x6x6x3x!qy>
  return %y : tensor<1x6x6x3x!qy>
}

// CHECK-LABEL: func.func @conv_integer
func.func @conv_integer(%x: tensor<2x4x9x9x!qu>, %w: tensor<4x2x3x3x!quant.uniform<i8:f32:0, {0.05, 0.02, 0.01, 0.04}>>, %b: tensor<4xi32>) -> tensor<2x4x7x7x!qy> {
  // CHECK: qnt.conv2d %{{.*}}, %{{.*}} bias %{{.*}} {groups = 2 : i64, requantize = #qnt.requantize<integer>} : {{.*}} -> tensor<2x4x7x7x!quant.uniform<i8:f32, 1.000000e+00:3>>{{$}}
  %y = qnt.conv2d %x, %w bias %b {groups = 2 : i64, requantize = #qnt.requantize<integer>} : tensor<2x4x9x9x!qu>, tensor<4x2x3x3x!quant.uniform<i8:f32:0, {0.05, 0.02, 0.01, 0.04}>>, tensor<4xi32> -> tensor<2x4x7x7x!qy>
  return %y : tensor<2x4x7x7x!qy>
}

// CHECK-LABEL: func.func @conv_i32
func.func @conv_i32(%x: tensor<1x3x8x8x!qu>, %w: tensor<4x3x3x3x!qw>, %b: tensor<4xi32>) -> tensor<1x4x6x6xi32> {
  // CHECK: qnt.conv2d %{{.*}}, %{{.*}} bias %{{.*}} : tensor<1x3x8x8x!quant.uniform<u8:f32, 1.000000e-01:128>>, tensor<4x3x3x3x!quant.uniform<i8:f32, 2.500000e-01>>, tensor<4xi32> -> tensor<1x4x6x6xi32>{{$}}
  %y = qnt.conv2d %x, %w bias %b : tensor<1x3x8x8x!qu>, tensor<4x3x3x3x!qw>, tensor<4xi32> -> tensor<1x4x6x6xi32>
  return %y : tensor<1x4x6x6xi32>
}

// A kernel exactly as large as the padded input gives a 1x1 output.
// CHECK-LABEL: func.func @conv_kernel_fits_padding
func.func @conv_kernel_fits_padding(%x: tensor<1x1x1x1x!qu>, %w: tensor<1x1x3x3x!qw>) -> tensor<1x1x1x1xi32> {
  // CHECK: qnt.conv2d %{{.*}}, %{{.*}} {padding = array<i64: 1, 1, 1, 1>} : {{.*}} -> tensor<1x1x1x1xi32>{{$}}
  %y = qnt.conv2d %x, %w {padding = array<i64: 1, 1, 1, 1>} : tensor<1x1x1x1x!qu>, tensor<1x1x3x3x!qw> -> tensor<1x1x1x1xi32>
  return %y : tensor<1x1x1x1xi32>
}

//===----------------------------------------------------------------------===//
// qnt.add, qnt.mul
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @add_float
func.func @add_float(%a: tensor<4x33x!qu>, %b: tensor<4x33x!qa>) -> tensor<4x33x!qy> {
  // CHECK: qnt.add %{{.*}}, %{{.*}} : tensor<4x33x!quant.uniform<u8:f32, 1.000000e-01:128>>, tensor<4x33x!quant.uniform<i8:f32, 5.000000e-01:-1>> -> tensor<4x33x!quant.uniform<i8:f32, 1.000000e+00:3>>{{$}}
  %y = qnt.add %a, %b : tensor<4x33x!qu>, tensor<4x33x!qa> -> tensor<4x33x!qy>
  return %y : tensor<4x33x!qy>
}

// CHECK-LABEL: func.func @add_integer
func.func @add_integer(%a: tensor<?x33x!qu>, %b: tensor<?x33x!qa>) -> tensor<?x33x!qy> {
  // CHECK: qnt.add %{{.*}}, %{{.*}} {clamp_min = 3 : i64, requantize = #qnt.requantize<integer>} : tensor<?x33x!quant.uniform<u8:f32, 1.000000e-01:128>>, tensor<?x33x!quant.uniform<i8:f32, 5.000000e-01:-1>> -> tensor<?x33x!quant.uniform<i8:f32, 1.000000e+00:3>>{{$}}
  %y = qnt.add %a, %b {requantize = #qnt.requantize<integer>, clamp_min = 3 : i64} : tensor<?x33x!qu>, tensor<?x33x!qa> -> tensor<?x33x!qy>
  return %y : tensor<?x33x!qy>
}

// 16-bit storage is accepted in float mode.
// CHECK-LABEL: func.func @add_float_i16
func.func @add_float_i16(%a: tensor<8x!quant.uniform<i16:f32, 0.001>>, %b: tensor<8x!qa>) -> tensor<8x!quant.uniform<i16:f32, 0.002>> {
  // CHECK: qnt.add %{{.*}}, %{{.*}} : tensor<8x!quant.uniform<i16:f32, 1.000000e-03>>, tensor<8x!quant.uniform<i8:f32, 5.000000e-01:-1>> -> tensor<8x!quant.uniform<i16:f32, 2.000000e-03>>{{$}}
  %y = qnt.add %a, %b : tensor<8x!quant.uniform<i16:f32, 0.001>>, tensor<8x!qa> -> tensor<8x!quant.uniform<i16:f32, 0.002>>
  return %y : tensor<8x!quant.uniform<i16:f32, 0.002>>
}

// CHECK-LABEL: func.func @mul_float
func.func @mul_float(%a: tensor<3x17x!qa>, %b: tensor<3x17x!qw>) -> tensor<3x17x!qy> {
  // CHECK: qnt.mul %{{.*}}, %{{.*}} {clamp_max = 50 : i64} : tensor<3x17x!quant.uniform<i8:f32, 5.000000e-01:-1>>, tensor<3x17x!quant.uniform<i8:f32, 2.500000e-01>> -> tensor<3x17x!quant.uniform<i8:f32, 1.000000e+00:3>>{{$}}
  %y = qnt.mul %a, %b {clamp_max = 50 : i64} : tensor<3x17x!qa>, tensor<3x17x!qw> -> tensor<3x17x!qy>
  return %y : tensor<3x17x!qy>
}

// CHECK-LABEL: func.func @mul_integer
func.func @mul_integer(%a: tensor<3x17x!qa>, %b: tensor<3x17x!qu>) -> tensor<3x17x!quant.uniform<u8:f32, 0.5:10>> {
  // CHECK: qnt.mul %{{.*}}, %{{.*}} {requantize = #qnt.requantize<integer>} : tensor<3x17x!quant.uniform<i8:f32, 5.000000e-01:-1>>, tensor<3x17x!quant.uniform<u8:f32, 1.000000e-01:128>> -> tensor<3x17x!quant.uniform<u8:f32, 5.000000e-01:10>>{{$}}
  %y = qnt.mul %a, %b {requantize = #qnt.requantize<integer>} : tensor<3x17x!qa>, tensor<3x17x!qu> -> tensor<3x17x!quant.uniform<u8:f32, 0.5:10>>
  return %y : tensor<3x17x!quant.uniform<u8:f32, 0.5:10>>
}

// Rank 0 is an elementwise shape too.
// CHECK-LABEL: func.func @mul_scalar
func.func @mul_scalar(%a: tensor<!qa>, %b: tensor<!qa>) -> tensor<!qy> {
  // CHECK: qnt.mul %{{.*}}, %{{.*}} : tensor<!quant.uniform<i8:f32, 5.000000e-01:-1>>, tensor<!quant.uniform<i8:f32, 5.000000e-01:-1>> -> tensor<!quant.uniform<i8:f32, 1.000000e+00:3>>{{$}}
  %y = qnt.mul %a, %b : tensor<!qa>, tensor<!qa> -> tensor<!qy>
  return %y : tensor<!qy>
}
