// RUN: quant-opt %s | quant-opt | FileCheck %s
// RUN: quant-opt %s --mlir-print-op-generic | quant-opt | FileCheck %s

// Round trip of every qnt op with every !quant.uniform form the verifiers
// accept: per tensor (storage widths, signedness, narrow range, expressed
// types, scale edges), per axis, sub-channel, dynamic and unranked shapes,
// both rounding modes, and observers of each kind with and without stats.

!qi8 = !quant.uniform<i8:f32, 0.5:-3>

//===----------------------------------------------------------------------===//
// Per-tensor storage types
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @per_tensor_i8
func.func @per_tensor_i8(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  // CHECK: %[[Q:.*]] = qnt.quantize %{{.*}} : tensor<4xf32> -> tensor<4x!quant.uniform<i8:f32, 5.000000e-01:-3>>
  %q = qnt.quantize %x : tensor<4xf32> -> tensor<4x!qi8>
  // CHECK: qnt.dequantize %[[Q]] : tensor<4x!quant.uniform<i8:f32, 5.000000e-01:-3>> -> tensor<4xf32>
  %d = qnt.dequantize %q : tensor<4x!qi8> -> tensor<4xf32>
  // CHECK: qnt.fake_quant %{{.*}} as !quant.uniform<i8:f32, 5.000000e-01:-3> : tensor<4xf32>
  %f = qnt.fake_quant %x as !qi8 : tensor<4xf32>
  return %d, %f : tensor<4xf32>, tensor<4xf32>
}

// CHECK-LABEL: func.func @per_tensor_u8
func.func @per_tensor_u8(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  // CHECK: qnt.quantize %{{.*}} : tensor<4xf32> -> tensor<4x!quant.uniform<u8:f32, 5.000000e-01:255>>
  %q = qnt.quantize %x : tensor<4xf32> -> tensor<4x!quant.uniform<u8:f32, 0.5:255>>
  // CHECK: qnt.dequantize %{{.*}} : tensor<4x!quant.uniform<u8:f32, 5.000000e-01:255>> -> tensor<4xf32>
  %d = qnt.dequantize %q : tensor<4x!quant.uniform<u8:f32, 0.5:255>> -> tensor<4xf32>
  // CHECK: qnt.fake_quant %{{.*}} as !quant.uniform<u8:f32, 5.000000e-01> : tensor<4xf32>
  %f = qnt.fake_quant %x as !quant.uniform<u8:f32, 0.5:0> : tensor<4xf32>
  return %d, %f : tensor<4xf32>, tensor<4xf32>
}

// CHECK-LABEL: func.func @per_tensor_i4
func.func @per_tensor_i4(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  // CHECK: qnt.quantize %{{.*}} : tensor<4xf32> -> tensor<4x!quant.uniform<i4:f32, 2.500000e-01:-8>>
  %q = qnt.quantize %x : tensor<4xf32> -> tensor<4x!quant.uniform<i4:f32, 0.25:-8>>
  // CHECK: qnt.dequantize %{{.*}} : tensor<4x!quant.uniform<i4:f32, 2.500000e-01:-8>> -> tensor<4xf32>
  %d = qnt.dequantize %q : tensor<4x!quant.uniform<i4:f32, 0.25:-8>> -> tensor<4xf32>
  // CHECK: qnt.fake_quant %{{.*}} as !quant.uniform<i4:f32, 2.500000e-01:7> : tensor<4xf32>
  %f = qnt.fake_quant %x as !quant.uniform<i4:f32, 0.25:7> : tensor<4xf32>
  return %d, %f : tensor<4xf32>, tensor<4xf32>
}

// CHECK-LABEL: func.func @per_tensor_u4
func.func @per_tensor_u4(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  // CHECK: qnt.quantize %{{.*}} : tensor<4xf32> -> tensor<4x!quant.uniform<u4:f32, 2.500000e-01:15>>
  %q = qnt.quantize %x : tensor<4xf32> -> tensor<4x!quant.uniform<u4:f32, 0.25:15>>
  // CHECK: qnt.dequantize %{{.*}} : tensor<4x!quant.uniform<u4:f32, 2.500000e-01:15>> -> tensor<4xf32>
  %d = qnt.dequantize %q : tensor<4x!quant.uniform<u4:f32, 0.25:15>> -> tensor<4xf32>
  // CHECK: qnt.fake_quant %{{.*}} as !quant.uniform<u4:f32, 2.500000e-01:8> : tensor<4xf32>
  %f = qnt.fake_quant %x as !quant.uniform<u4:f32, 0.25:8> : tensor<4xf32>
  return %d, %f : tensor<4xf32>, tensor<4xf32>
}

// CHECK-LABEL: func.func @per_tensor_i16
func.func @per_tensor_i16(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  // CHECK: qnt.quantize %{{.*}} : tensor<4xf32> -> tensor<4x!quant.uniform<i16:f32, 1.000000e-03:32767>>
  %q = qnt.quantize %x : tensor<4xf32> -> tensor<4x!quant.uniform<i16:f32, 0.001:32767>>
  // CHECK: qnt.dequantize %{{.*}} : tensor<4x!quant.uniform<i16:f32, 1.000000e-03:32767>> -> tensor<4xf32>
  %d = qnt.dequantize %q : tensor<4x!quant.uniform<i16:f32, 0.001:32767>> -> tensor<4xf32>
  // CHECK: qnt.fake_quant %{{.*}} as !quant.uniform<i16:f32, 1.000000e-03:-32768> : tensor<4xf32>
  %f = qnt.fake_quant %x as !quant.uniform<i16:f32, 0.001:-32768> : tensor<4xf32>
  return %d, %f : tensor<4xf32>, tensor<4xf32>
}

// CHECK-LABEL: func.func @per_tensor_i2
func.func @per_tensor_i2(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  // CHECK: qnt.quantize %{{.*}} : tensor<4xf32> -> tensor<4x!quant.uniform<i2:f32, 1.000000e+00:-2>>
  %q = qnt.quantize %x : tensor<4xf32> -> tensor<4x!quant.uniform<i2:f32, 1.0:-2>>
  // CHECK: qnt.dequantize %{{.*}} : tensor<4x!quant.uniform<i2:f32, 1.000000e+00:-2>> -> tensor<4xf32>
  %d = qnt.dequantize %q : tensor<4x!quant.uniform<i2:f32, 1.0:-2>> -> tensor<4xf32>
  // CHECK: qnt.fake_quant %{{.*}} as !quant.uniform<i2:f32, 1.000000e+00:1> : tensor<4xf32>
  %f = qnt.fake_quant %x as !quant.uniform<i2:f32, 1.0:1> : tensor<4xf32>
  return %d, %f : tensor<4xf32>, tensor<4xf32>
}

// Casts accept up to 32-bit storage (fake_quant stops at 16 bits).
// CHECK-LABEL: func.func @per_tensor_i32
func.func @per_tensor_i32(%x: tensor<4xf32>) -> tensor<4xf32> {
  // CHECK: qnt.quantize %{{.*}} : tensor<4xf32> -> tensor<4x!quant.uniform<i32:f32, 5.000000e-01:-2147483648>>
  %q = qnt.quantize %x : tensor<4xf32> -> tensor<4x!quant.uniform<i32:f32, 0.5:-2147483648>>
  // CHECK: qnt.dequantize %{{.*}} : tensor<4x!quant.uniform<i32:f32, 5.000000e-01:-2147483648>> -> tensor<4xf32>
  %d = qnt.dequantize %q : tensor<4x!quant.uniform<i32:f32, 0.5:-2147483648>> -> tensor<4xf32>
  return %d : tensor<4xf32>
}

// CHECK-LABEL: func.func @per_tensor_narrow_range
func.func @per_tensor_narrow_range(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  // CHECK: qnt.quantize %{{.*}} : tensor<4xf32> -> tensor<4x!quant.uniform<i8<-127:127>:f32, 5.000000e-01:-127>>
  %q = qnt.quantize %x : tensor<4xf32> -> tensor<4x!quant.uniform<i8<-127:127>:f32, 0.5:-127>>
  // CHECK: qnt.dequantize %{{.*}} : tensor<4x!quant.uniform<i8<-127:127>:f32, 5.000000e-01:-127>> -> tensor<4xf32>
  %d = qnt.dequantize %q : tensor<4x!quant.uniform<i8<-127:127>:f32, 0.5:-127>> -> tensor<4xf32>
  // CHECK: qnt.fake_quant %{{.*}} as !quant.uniform<i4<-7:7>:f32, 2.500000e-01> : tensor<4xf32>
  %f = qnt.fake_quant %x as !quant.uniform<i4<-7:7>:f32, 0.25> : tensor<4xf32>
  return %d, %f : tensor<4xf32>, tensor<4xf32>
}

//===----------------------------------------------------------------------===//
// Expressed types and scale edges
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @expressed_f16
func.func @expressed_f16(%x: tensor<4xf16>) -> (tensor<4xf16>, tensor<4xf16>) {
  // CHECK: qnt.quantize %{{.*}} : tensor<4xf16> -> tensor<4x!quant.uniform<i8:f16, 1.250000e-01:1>>
  %q = qnt.quantize %x : tensor<4xf16> -> tensor<4x!quant.uniform<i8:f16, 0.125:1>>
  // CHECK: qnt.dequantize %{{.*}} : tensor<4x!quant.uniform<i8:f16, 1.250000e-01:1>> -> tensor<4xf16>
  %d = qnt.dequantize %q : tensor<4x!quant.uniform<i8:f16, 0.125:1>> -> tensor<4xf16>
  // CHECK: qnt.fake_quant %{{.*}} as !quant.uniform<i8:f16, 1.250000e-01:1> : tensor<4xf16>
  %f = qnt.fake_quant %x as !quant.uniform<i8:f16, 0.125:1> : tensor<4xf16>
  return %d, %f : tensor<4xf16>, tensor<4xf16>
}

// CHECK-LABEL: func.func @expressed_bf16
func.func @expressed_bf16(%x: tensor<4xbf16>) -> (tensor<4xbf16>, tensor<4xbf16>) {
  // CHECK: qnt.quantize %{{.*}} : tensor<4xbf16> -> tensor<4x!quant.uniform<u8:bf16, 7.812500e-03:128>>
  %q = qnt.quantize %x : tensor<4xbf16> -> tensor<4x!quant.uniform<u8:bf16, 0.0078125:128>>
  // CHECK: qnt.dequantize %{{.*}} : tensor<4x!quant.uniform<u8:bf16, 7.812500e-03:128>> -> tensor<4xbf16>
  %d = qnt.dequantize %q : tensor<4x!quant.uniform<u8:bf16, 0.0078125:128>> -> tensor<4xbf16>
  // CHECK: qnt.fake_quant %{{.*}} as !quant.uniform<u8:bf16, 7.812500e-03:128> : tensor<4xbf16>
  %f = qnt.fake_quant %x as !quant.uniform<u8:bf16, 0.0078125:128> : tensor<4xbf16>
  return %d, %f : tensor<4xbf16>, tensor<4xbf16>
}

// CHECK-LABEL: func.func @expressed_f64
func.func @expressed_f64(%x: tensor<4xf64>) -> (tensor<4xf64>, tensor<4xf64>) {
  // CHECK: qnt.quantize %{{.*}} : tensor<4xf64> -> tensor<4x!quant.uniform<i16:f64, 2.500000e-01:-5>>
  %q = qnt.quantize %x : tensor<4xf64> -> tensor<4x!quant.uniform<i16:f64, 0.25:-5>>
  // CHECK: qnt.dequantize %{{.*}} : tensor<4x!quant.uniform<i16:f64, 2.500000e-01:-5>> -> tensor<4xf64>
  %d = qnt.dequantize %q : tensor<4x!quant.uniform<i16:f64, 0.25:-5>> -> tensor<4xf64>
  // CHECK: qnt.fake_quant %{{.*}} as !quant.uniform<i8:f64, 2.500000e-01:-5> : tensor<4xf64>
  %f = qnt.fake_quant %x as !quant.uniform<i8:f64, 0.25:-5> : tensor<4xf64>
  return %d, %f : tensor<4xf64>, tensor<4xf64>
}

// The smallest normal and the largest finite scales are valid (qnt_c2).
// CHECK-LABEL: func.func @scale_edges
func.func @scale_edges(%x: tensor<4xf32>, %h: tensor<4xf16>, %d: tensor<4xf64>) {
  // CHECK: qnt.quantize %{{.*}} : tensor<4xf32> -> tensor<4x!quant.uniform<i8:f32, 1.17549435E-38>>
  %0 = qnt.quantize %x : tensor<4xf32> -> tensor<4x!quant.uniform<i8:f32, 1.17549435e-38>>
  // CHECK: qnt.quantize %{{.*}} : tensor<4xf16> -> tensor<4x!quant.uniform<i8:f16, 6.103515625E-5>>
  %1 = qnt.quantize %h : tensor<4xf16> -> tensor<4x!quant.uniform<i8:f16, 6.103515625e-05>>
  // CHECK: qnt.quantize %{{.*}} : tensor<4xf16> -> tensor<4x!quant.uniform<i8:f16, 6.550400e+04>>
  %2 = qnt.quantize %h : tensor<4xf16> -> tensor<4x!quant.uniform<i8:f16, 65504.0>>
  // CHECK: qnt.quantize %{{.*}} : tensor<4xf64> -> tensor<4x!quant.uniform<i8:f64, 2.2250738585072014E-308>>
  %3 = qnt.quantize %d : tensor<4xf64> -> tensor<4x!quant.uniform<i8:f64, 2.2250738585072014e-308>>
  return
}

//===----------------------------------------------------------------------===//
// Per-axis
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @per_axis_first
func.func @per_axis_first(%x: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>) {
  // CHECK: qnt.quantize %{{.*}} : tensor<2x3xf32> -> tensor<2x3x!quant.uniform<i8:f32:0, {1.000000e-01,2.000000e-01:3}>>
  %q = qnt.quantize %x : tensor<2x3xf32> -> tensor<2x3x!quant.uniform<i8:f32:0, {0.1, 0.2:3}>>
  // CHECK: qnt.dequantize %{{.*}} : tensor<2x3x!quant.uniform<i8:f32:0, {1.000000e-01,2.000000e-01:3}>> -> tensor<2x3xf32>
  %d = qnt.dequantize %q : tensor<2x3x!quant.uniform<i8:f32:0, {0.1, 0.2:3}>> -> tensor<2x3xf32>
  // CHECK: qnt.fake_quant %{{.*}} as !quant.uniform<u8:f32:0, {1.000000e-01:128,2.000000e-01:255}> : tensor<2x3xf32>
  %f = qnt.fake_quant %x as !quant.uniform<u8:f32:0, {0.1:128, 0.2:255}> : tensor<2x3xf32>
  return %d, %f : tensor<2x3xf32>, tensor<2x3xf32>
}

// CHECK-LABEL: func.func @per_axis_last
func.func @per_axis_last(%x: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>) {
  // CHECK: qnt.quantize %{{.*}} : tensor<2x3xf32> -> tensor<2x3x!quant.uniform<i4:f32:1, {1.000000e-01:-8,2.000000e-01,3.000000e-01:7}>>
  %q = qnt.quantize %x : tensor<2x3xf32> -> tensor<2x3x!quant.uniform<i4:f32:1, {0.1:-8, 0.2, 0.3:7}>>
  // CHECK: qnt.dequantize %{{.*}} : tensor<2x3x!quant.uniform<i4:f32:1, {1.000000e-01:-8,2.000000e-01,3.000000e-01:7}>> -> tensor<2x3xf32>
  %d = qnt.dequantize %q : tensor<2x3x!quant.uniform<i4:f32:1, {0.1:-8, 0.2, 0.3:7}>> -> tensor<2x3xf32>
  // CHECK: qnt.fake_quant %{{.*}} as !quant.uniform<i8<-127:127>:f32:1, {1.000000e-01,2.000000e-01,3.000000e-01}> : tensor<2x3xf32>
  %f = qnt.fake_quant %x as !quant.uniform<i8<-127:127>:f32:1, {0.1, 0.2, 0.3}> : tensor<2x3xf32>
  return %d, %f : tensor<2x3xf32>, tensor<2x3xf32>
}

// CHECK-LABEL: func.func @per_axis_f16
func.func @per_axis_f16(%x: tensor<1x2xf16>) -> tensor<1x2xf16> {
  // CHECK: qnt.fake_quant %{{.*}} as !quant.uniform<i8:f16:1, {1.250000e-01,2.500000e-01}> : tensor<1x2xf16>
  %f = qnt.fake_quant %x as !quant.uniform<i8:f16:1, {0.125, 0.25}> : tensor<1x2xf16>
  return %f : tensor<1x2xf16>
}

//===----------------------------------------------------------------------===//
// Sub-channel (blockwise)
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @sub_channel
func.func @sub_channel(%x: tensor<4x2xf32>) -> (tensor<4x2xf32>, tensor<4x2xf32>) {
  // CHECK: qnt.quantize %{{.*}} : tensor<4x2xf32> -> tensor<4x2x!quant.uniform<i4:f32:{0:2, 1:1}, {{\{\{}}1.000000e-01, 2.000000e-01}, {3.000000e-01, 4.000000e-01}}>>
  %q = qnt.quantize %x : tensor<4x2xf32> -> tensor<4x2x!quant.uniform<i4:f32:{0:2,1:1}, {{0.1, 0.2}, {0.3, 0.4}}>>
  // CHECK: qnt.dequantize %{{.*}} : tensor<4x2x!quant.uniform<i4:f32:{0:2, 1:1}, {{\{\{}}1.000000e-01, 2.000000e-01}, {3.000000e-01, 4.000000e-01}}>> -> tensor<4x2xf32>
  %d = qnt.dequantize %q : tensor<4x2x!quant.uniform<i4:f32:{0:2,1:1}, {{0.1, 0.2}, {0.3, 0.4}}>> -> tensor<4x2xf32>
  // CHECK: qnt.fake_quant %{{.*}} as !quant.uniform<i8:f32:{0:2, 1:1}, {{\{\{}}1.000000e-01:-3, 2.000000e-01}, {3.000000e-01, 4.000000e-01:127}}> : tensor<4x2xf32>
  %f = qnt.fake_quant %x as !quant.uniform<i8:f32:{0:2,1:1}, {{0.1:-3, 0.2}, {0.3, 0.4:127}}> : tensor<4x2xf32>
  return %d, %f : tensor<4x2xf32>, tensor<4x2xf32>
}

// A dimension without a block size forms a single block.
// CHECK-LABEL: func.func @sub_channel_one_dim
func.func @sub_channel_one_dim(%x: tensor<2x8xf32>) -> (tensor<2x8xf32>, tensor<2x8xf32>) {
  // CHECK: qnt.quantize %{{.*}} : tensor<2x8xf32> -> tensor<2x8x!quant.uniform<u8:f32:{1:4}, {{\{\{}}1.000000e-01:10, 2.000000e-01:20}}>>
  %q = qnt.quantize %x : tensor<2x8xf32> -> tensor<2x8x!quant.uniform<u8:f32:{1:4}, {{0.1:10, 0.2:20}}>>
  // CHECK: qnt.dequantize %{{.*}} : tensor<2x8x!quant.uniform<u8:f32:{1:4}, {{\{\{}}1.000000e-01:10, 2.000000e-01:20}}>> -> tensor<2x8xf32>
  %d = qnt.dequantize %q : tensor<2x8x!quant.uniform<u8:f32:{1:4}, {{0.1:10, 0.2:20}}>> -> tensor<2x8xf32>
  // CHECK: qnt.fake_quant %{{.*}} as !quant.uniform<i8<-127:127>:bf16:{0:1, 1:8}, {{\{\{}}1.250000e-01}, {2.500000e-01}}> : tensor<2x8xbf16>
  %b = arith.truncf %x : tensor<2x8xf32> to tensor<2x8xbf16>
  %f = qnt.fake_quant %b as !quant.uniform<i8<-127:127>:bf16:{0:1,1:8}, {{0.125}, {0.25}}> : tensor<2x8xbf16>
  %e = arith.extf %f : tensor<2x8xbf16> to tensor<2x8xf32>
  return %d, %e : tensor<2x8xf32>, tensor<2x8xf32>
}

//===----------------------------------------------------------------------===//
// Dynamic, unranked and rank-0 shapes
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @dynamic_dims
func.func @dynamic_dims(%x: tensor<?x4xf32>) -> (tensor<?x4xf32>, tensor<?x4xf32>) {
  // CHECK: qnt.quantize %{{.*}} : tensor<?x4xf32> -> tensor<?x4x!quant.uniform<i8:f32:1, {1.000000e-01,2.000000e-01:1,3.000000e-01:-1,4.000000e-01:127}>>
  %q = qnt.quantize %x : tensor<?x4xf32> -> tensor<?x4x!quant.uniform<i8:f32:1, {0.1, 0.2:1, 0.3:-1, 0.4:127}>>
  // CHECK: qnt.dequantize %{{.*}} : tensor<?x4x!quant.uniform<i8:f32:1, {1.000000e-01,2.000000e-01:1,3.000000e-01:-1,4.000000e-01:127}>> -> tensor<?x4xf32>
  %d = qnt.dequantize %q : tensor<?x4x!quant.uniform<i8:f32:1, {0.1, 0.2:1, 0.3:-1, 0.4:127}>> -> tensor<?x4xf32>
  // CHECK: qnt.fake_quant %{{.*}} as !quant.uniform<i8:f32:1, {1.000000e-01,2.000000e-01,3.000000e-01,4.000000e-01}> : tensor<?x4xf32>
  %f = qnt.fake_quant %x as !quant.uniform<i8:f32:1, {0.1, 0.2, 0.3, 0.4}> : tensor<?x4xf32>
  return %d, %f : tensor<?x4xf32>, tensor<?x4xf32>
}

// The quantized axis and blocked dimensions must be static (qnt_c4, qnt_c5),
// the others may be dynamic; a dynamic dimension without a block size is one
// block.
// CHECK-LABEL: func.func @dynamic_other_dims
func.func @dynamic_other_dims(%x: tensor<2x?xf32>, %y: tensor<?x8x?xf32>) -> (tensor<2x?xf32>, tensor<?x8x?xf32>, tensor<?x8x?xf32>) {
  // CHECK: qnt.fake_quant %{{.*}} as !quant.uniform<i8:f32:0, {1.000000e-01,2.000000e-01}> : tensor<2x?xf32>
  %a = qnt.fake_quant %x as !quant.uniform<i8:f32:0, {0.1, 0.2}> : tensor<2x?xf32>
  // CHECK: qnt.quantize %{{.*}} : tensor<?x8x?xf32> -> tensor<?x8x?x!quant.uniform<i4:f32:{1:4}, {{\{\{\{}}1.000000e-01:-1}, {2.000000e-01:2}}}>>
  %q = qnt.quantize %y : tensor<?x8x?xf32> -> tensor<?x8x?x!quant.uniform<i4:f32:{1:4}, {{{0.1:-1}, {0.2:2}}}>>
  // CHECK: qnt.dequantize %{{.*}} : tensor<?x8x?x!quant.uniform<i4:f32:{1:4}, {{\{\{\{}}1.000000e-01:-1}, {2.000000e-01:2}}}>> -> tensor<?x8x?xf32>
  %d = qnt.dequantize %q : tensor<?x8x?x!quant.uniform<i4:f32:{1:4}, {{{0.1:-1}, {0.2:2}}}>> -> tensor<?x8x?xf32>
  // CHECK: qnt.fake_quant %{{.*}} as !quant.uniform<u8:f32:{1:2}, {{\{\{\{}}1.000000e-01}, {2.000000e-01}, {3.000000e-01}, {4.000000e-01}}}> : tensor<?x8x?xf32>
  %f = qnt.fake_quant %y as !quant.uniform<u8:f32:{1:2}, {{{0.1}, {0.2}, {0.3}, {0.4}}}> : tensor<?x8x?xf32>
  return %a, %d, %f : tensor<2x?xf32>, tensor<?x8x?xf32>, tensor<?x8x?xf32>
}

// A dynamic float shape is compatible with a static quantized one.
// CHECK-LABEL: func.func @dynamic_to_static
func.func @dynamic_to_static(%x: tensor<?x?xf32>) -> tensor<2x4x!qi8> {
  // CHECK: qnt.quantize %{{.*}} : tensor<?x?xf32> -> tensor<2x4x!quant.uniform<i8:f32, 5.000000e-01:-3>>
  %q = qnt.quantize %x : tensor<?x?xf32> -> tensor<2x4x!qi8>
  return %q : tensor<2x4x!qi8>
}

// CHECK-LABEL: func.func @unranked
func.func @unranked(%x: tensor<*xf32>) -> (tensor<*xf32>, tensor<*xf32>) {
  // CHECK: qnt.quantize %{{.*}} : tensor<*xf32> -> tensor<*x!quant.uniform<i8:f32, 5.000000e-01:-3>>
  %q = qnt.quantize %x : tensor<*xf32> -> tensor<*x!qi8>
  // CHECK: qnt.dequantize %{{.*}} : tensor<*x!quant.uniform<i8:f32, 5.000000e-01:-3>> -> tensor<*xf32>
  %d = qnt.dequantize %q : tensor<*x!qi8> -> tensor<*xf32>
  // CHECK: qnt.fake_quant %{{.*}} as !quant.uniform<i8:f32, 5.000000e-01:-3> : tensor<*xf32>
  %f = qnt.fake_quant %x as !qi8 : tensor<*xf32>
  return %d, %f : tensor<*xf32>, tensor<*xf32>
}

// CHECK-LABEL: func.func @rank0
func.func @rank0(%x: tensor<f32>) -> (tensor<f32>, tensor<f32>) {
  // CHECK: qnt.quantize %{{.*}} : tensor<f32> -> tensor<!quant.uniform<i8:f32, 5.000000e-01:-3>>
  %q = qnt.quantize %x : tensor<f32> -> tensor<!qi8>
  // CHECK: qnt.dequantize %{{.*}} : tensor<!quant.uniform<i8:f32, 5.000000e-01:-3>> -> tensor<f32>
  %d = qnt.dequantize %q : tensor<!qi8> -> tensor<f32>
  // CHECK: qnt.fake_quant %{{.*}} as !quant.uniform<i8:f32, 5.000000e-01:-3> : tensor<f32>
  %f = qnt.fake_quant %x as !qi8 : tensor<f32>
  return %d, %f : tensor<f32>, tensor<f32>
}

//===----------------------------------------------------------------------===//
// Rounding modes
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @rounding
func.func @rounding(%x: tensor<4xf32>) -> (tensor<4x!qi8>, tensor<4x!qi8>, tensor<4xf32>, tensor<4xf32>) {
  // CHECK: qnt.quantize %{{.*}} {rounding = #qnt.rounding<half_to_even>} : tensor<4xf32> -> tensor<4x!quant.uniform<i8:f32, 5.000000e-01:-3>>
  %a = qnt.quantize %x {rounding = #qnt.rounding<half_to_even>} : tensor<4xf32> -> tensor<4x!qi8>
  // CHECK: qnt.quantize %{{.*}} {rounding = #qnt.rounding<half_away_from_zero>} : tensor<4xf32> -> tensor<4x!quant.uniform<i8:f32, 5.000000e-01:-3>>
  %b = qnt.quantize %x {rounding = #qnt.rounding<half_away_from_zero>} : tensor<4xf32> -> tensor<4x!qi8>
  // CHECK: qnt.fake_quant %{{.*}} as !quant.uniform<i8:f32, 5.000000e-01:-3> {rounding = #qnt.rounding<half_to_even>} : tensor<4xf32>
  %c = qnt.fake_quant %x as !qi8 {rounding = #qnt.rounding<half_to_even>} : tensor<4xf32>
  // CHECK: qnt.fake_quant %{{.*}} as !quant.uniform<i8:f32, 5.000000e-01:-3> {rounding = #qnt.rounding<half_away_from_zero>} : tensor<4xf32>
  %d = qnt.fake_quant %x as !qi8 {rounding = #qnt.rounding<half_away_from_zero>} : tensor<4xf32>
  return %a, %b, %c, %d : tensor<4x!qi8>, tensor<4x!qi8>, tensor<4xf32>, tensor<4xf32>
}

//===----------------------------------------------------------------------===//
// Observers
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @observe_kinds
func.func @observe_kinds(%x: tensor<1x8xf32>, %h: tensor<?xf16>) -> (tensor<1x8xf32>, tensor<1x8xf32>, tensor<?xf16>) {
  // CHECK: qnt.observe %{{.*}} {id = "kinds.min_max", kind = #qnt.observer<min_max>} : tensor<1x8xf32>
  %a = qnt.observe %x {id = "kinds.min_max", kind = #qnt.observer<min_max>} : tensor<1x8xf32>
  // CHECK: qnt.observe %{{.*}} {id = "kinds.moving_average", kind = #qnt.observer<moving_average>} : tensor<1x8xf32>
  %b = qnt.observe %a {id = "kinds.moving_average", kind = #qnt.observer<moving_average>} : tensor<1x8xf32>
  // A histogram observer without statistics has not been calibrated yet.
  // CHECK: qnt.observe %{{.*}} {id = "kinds.histogram", kind = #qnt.observer<histogram>} : tensor<?xf16>
  %c = qnt.observe %h {id = "kinds.histogram", kind = #qnt.observer<histogram>} : tensor<?xf16>
  return %a, %b, %c : tensor<1x8xf32>, tensor<1x8xf32>, tensor<?xf16>
}

// CHECK-LABEL: func.func @observe_targets
func.func @observe_targets(%x: tensor<4xf32>) -> tensor<4xf32> {
  // CHECK: qnt.observe %{{.*}} {id = "targets.i8", kind = #qnt.observer<histogram>, storage = i8, symmetric} : tensor<4xf32>
  %a = qnt.observe %x {id = "targets.i8", kind = #qnt.observer<histogram>, storage = i8, symmetric} : tensor<4xf32>
  // CHECK: qnt.observe %{{.*}} {id = "targets.u4", kind = #qnt.observer<min_max>, storage = ui4} : tensor<4xf32>
  %b = qnt.observe %a {id = "targets.u4", kind = #qnt.observer<min_max>, storage = ui4} : tensor<4xf32>
  return %b : tensor<4xf32>
}

// CHECK-LABEL: func.func @observe_stats
func.func @observe_stats(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  // CHECK: qnt.observe %{{.*}} {id = "stats.min_max", kind = #qnt.observer<min_max>, stats = #qnt.stats<count = 4, min = -1.500000e+00, max = 2.000000e+00, avg_min = -1.000000e+00, avg_max = 1.500000e+00>} : tensor<4xf32>
  %a = qnt.observe %x {id = "stats.min_max", kind = #qnt.observer<min_max>, stats = #qnt.stats<count = 4, min = -1.5, max = 2.0, avg_min = -1.0, avg_max = 1.5>} : tensor<4xf32>
  // Equal bounds and a zero count are valid (qnt_c10 uses <=).
  // CHECK: qnt.observe %{{.*}} {id = "stats.moving_average", kind = #qnt.observer<moving_average>, stats = #qnt.stats<count = 0, min = 0.000000e+00, max = 0.000000e+00, avg_min = 0.000000e+00, avg_max = 0.000000e+00>} : tensor<4xf32>
  %b = qnt.observe %x {id = "stats.moving_average", kind = #qnt.observer<moving_average>, stats = #qnt.stats<count = 0, min = 0.0, max = 0.0, avg_min = 0.0, avg_max = 0.0>} : tensor<4xf32>
  // CHECK: qnt.observe %{{.*}} {id = "stats.histogram", kind = #qnt.observer<histogram>, stats = #qnt.stats<count = 2, min = -1.500000e+00, max = 2.000000e+00, avg_min = -1.000000e+00, avg_max = 1.000000e+00, hist_min = -1.500000e+00, hist_max = 2.000000e+00, histogram = [0, 3, 1]>} : tensor<4xf32>
  %c = qnt.observe %x {id = "stats.histogram", kind = #qnt.observer<histogram>, stats = #qnt.stats<count = 2, min = -1.5, max = 2.0, avg_min = -1.0, avg_max = 1.0, hist_min = -1.5, hist_max = 2.0, histogram = [0, 3, 1]>} : tensor<4xf32>
  return %a, %b, %c : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}

// Statistics keep every bit of a double through the round trip, and a
// min_max observer may carry a histogram.
// CHECK-LABEL: func.func @observe_stats_exact
func.func @observe_stats_exact(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  // CHECK: stats = #qnt.stats<count = 9223372036854775807, min = -1.000000e+300, max = 0.123456789, avg_min = -4.940660e-324, avg_max = 1.000000e-300>
  %a = qnt.observe %x {id = "exact.a", kind = #qnt.observer<min_max>, stats = #qnt.stats<count = 9223372036854775807, min = -1.0e300, max = 0.123456789, avg_min = -4.9406564584124654e-324, avg_max = 1.0e-300>} : tensor<4xf32>
  // CHECK: stats = #qnt.stats<count = 1, min = -1.000000e+00, max = 1.000000e+00, avg_min = -1.000000e+00, avg_max = 1.000000e+00, hist_min = -1.000000e+00, hist_max = 1.000000e+00, histogram = [9223372036854775807]>
  %b = qnt.observe %x {id = "exact.b", kind = #qnt.observer<min_max>, stats = #qnt.stats<count = 1, min = -1.0, max = 1.0, avg_min = -1.0, avg_max = 1.0, hist_min = -1.0, hist_max = 1.0, histogram = [9223372036854775807]>} : tensor<4xf32>
  return %a, %b : tensor<4xf32>, tensor<4xf32>
}
