// RUN: quant-opt %s --split-input-file --qnt-pack-weights | FileCheck %s

// qnt-pack-weights: a qnt.quantize of a float constant becomes the storage
// constant behind quant.scast. Expected integers are round_half_even(x / s)
// + zp, clamped to the storage range, computed by hand. Scales are powers of
// two so that x / s is exact in f32 and the ties are real ties.

// Per tensor, narrow i8 [-127, 127], s = 0.5:
//   0.25 / 0.5 = 0.5 -> 0 (tie to even), 0.75 / 0.5 = 1.5 -> 2 (tie to even),
//   -0.75 -> -2, 1.0 -> 2, 100 / 0.5 = 200 -> 127, -100 -> -127 (not -128).
// The float constant has no other user and is dropped.
// CHECK-LABEL: func.func @dense_per_tensor
// CHECK-NOT: arith.constant dense<{{.*}}> : tensor<6xf32>
// CHECK: %[[S:.*]] = arith.constant dense<[0, 2, -2, 2, 127, -127]> : tensor<6xi8>
// CHECK-NEXT: %[[Q:.*]] = quant.scast %[[S]] : tensor<6xi8> to tensor<6x!quant.uniform<i8<-127:127>:f32, 5.000000e-01>>
// CHECK-NOT: qnt.quantize
// CHECK: %[[D:.*]] = qnt.dequantize %[[Q]]
// CHECK-NEXT: return %[[D]]
func.func @dense_per_tensor() -> tensor<6xf32> {
  %w = arith.constant dense<[0.25, 0.75, -0.75, 1.0, 100.0, -100.0]> : tensor<6xf32>
  %q = qnt.quantize %w : tensor<6xf32> -> tensor<6x!quant.uniform<i8<-127:127>:f32, 0.5>>
  %d = qnt.dequantize %q : tensor<6x!quant.uniform<i8<-127:127>:f32, 0.5>> -> tensor<6xf32>
  return %d : tensor<6xf32>
}

// -----

// Unsigned storage with zero point 10, s = 0.5: -5 -> -10 + 10 = 0,
// 0 -> 10, 1.25 -> 2.5 -> 2 (tie to even) + 10 = 12, 200 -> 410 -> 255.
// u8 storage is the signless i8 tensor, so 255 prints as -1.
// CHECK-LABEL: func.func @dense_unsigned_zero_point
// CHECK: %[[S:.*]] = arith.constant dense<[0, 10, 12, -1]> : tensor<4xi8>
// CHECK-NEXT: %[[Q:.*]] = quant.scast %[[S]] : tensor<4xi8> to tensor<4x!quant.uniform<u8:f32, 5.000000e-01:10>>
// CHECK-NEXT: return %[[Q]]
func.func @dense_unsigned_zero_point() -> tensor<4x!quant.uniform<u8:f32, 0.5:10>> {
  %w = arith.constant dense<[-5.0, 0.0, 1.25, 200.0]> : tensor<4xf32>
  %q = qnt.quantize %w : tensor<4xf32> -> tensor<4x!quant.uniform<u8:f32, 0.5:10>>
  return %q : tensor<4x!quant.uniform<u8:f32, 0.5:10>>
}

// -----

// A dense_resource blob (as the ONNX importer emits large weights), per
// axis 0 with scales {0.5, 0.25}. The blob is 4 alignment bytes, then the
// f32 values little-endian: 1.0 = 0x3F800000, -1.5 = 0xBFC00000,
// 0.5 = 0x3F000000, 0.375 = 0x3EC00000.
//   row 0 (s = 0.5):  1.0 -> 2, -1.5 -> -3
//   row 1 (s = 0.25): 0.5 -> 2, 0.375 -> 1.5 -> 2 (tie to even)
// CHECK-LABEL: func.func @resource_per_axis
// CHECK-NOT: dense_resource
// CHECK: %[[S:.*]] = arith.constant dense<{{\[}}[2, -3], [2, 2]]> : tensor<2x2xi8>
// CHECK-NEXT: %[[Q:.*]] = quant.scast %[[S]] : tensor<2x2xi8> to tensor<2x2x!quant.uniform<i8<-127:127>:f32:0, {5.000000e-01,2.500000e-01}>>
// CHECK-NEXT: return %[[Q]]
func.func @resource_per_axis() -> tensor<2x2x!quant.uniform<i8<-127:127>:f32:0, {0.5, 0.25}>> {
  %w = arith.constant dense_resource<fc.weight> : tensor<2x2xf32>
  %q = qnt.quantize %w : tensor<2x2xf32> -> tensor<2x2x!quant.uniform<i8<-127:127>:f32:0, {0.5, 0.25}>>
  return %q : tensor<2x2x!quant.uniform<i8<-127:127>:f32:0, {0.5, 0.25}>>
}

{-#
  dialect_resources: {
    builtin: {
      fc.weight: "0x040000000000803F0000C0BF0000003F0000C03E"
    }
  }
#-}

// -----

// Per axis 1 (the k x n layout of a non-transposed matmul weight), scales
// {1.0, 0.5, 0.25} per column:
//   [ 3.0, 3.0, 3.0]  -> [3, 6, 12]
//   [-2.5, 0.25, 0.0] -> [-2 (tie to even), 0 (0.5, tie to even), 0]
// CHECK-LABEL: func.func @dense_per_axis_1
// CHECK: arith.constant dense<{{\[}}[3, 6, 12], [-2, 0, 0]]> : tensor<2x3xi8>
// CHECK-NEXT: quant.scast
func.func @dense_per_axis_1() -> tensor<2x3x!quant.uniform<i8<-127:127>:f32:1, {1.0, 0.5, 0.25}>> {
  %w = arith.constant dense<[[3.0, 3.0, 3.0], [-2.5, 0.25, 0.0]]> : tensor<2x3xf32>
  %q = qnt.quantize %w : tensor<2x3xf32> -> tensor<2x3x!quant.uniform<i8<-127:127>:f32:1, {1.0, 0.5, 0.25}>>
  return %q : tensor<2x3x!quant.uniform<i8<-127:127>:f32:1, {1.0, 0.5, 0.25}>>
}

// -----

// The float constant still has a user besides the quantize: it stays, and
// only the quantize is replaced. 1.5 / 0.5 = 3, -0.5 / 0.5 = -1.
// CHECK-LABEL: func.func @float_constant_kept
// CHECK-DAG: %[[W:.*]] = arith.constant dense<[1.500000e+00, -5.000000e-01]> : tensor<2xf32>
// CHECK-DAG: %[[S:.*]] = arith.constant dense<[3, -1]> : tensor<2xi8>
// CHECK: %[[Q:.*]] = quant.scast %[[S]] : tensor<2xi8> to tensor<2x!quant.uniform<i8<-127:127>:f32, 5.000000e-01>>
// CHECK: return %[[W]], %[[Q]]
func.func @float_constant_kept() -> (tensor<2xf32>, tensor<2x!quant.uniform<i8<-127:127>:f32, 0.5>>) {
  %w = arith.constant dense<[1.5, -0.5]> : tensor<2xf32>
  %q = qnt.quantize %w : tensor<2xf32> -> tensor<2x!quant.uniform<i8<-127:127>:f32, 0.5>>
  return %w, %q : tensor<2xf32>, tensor<2x!quant.uniform<i8<-127:127>:f32, 0.5>>
}

// -----

// Two quantizations of one constant: both are packed, and the float
// constant goes once the last of them is gone. 2.0 / 0.5 = 4, 2.0 / 0.25 = 8.
// CHECK-LABEL: func.func @shared_constant
// CHECK-NOT: tensor<1xf32>
// CHECK-DAG: arith.constant dense<4> : tensor<1xi8>
// CHECK-DAG: arith.constant dense<8> : tensor<1xi8>
// CHECK-NOT: tensor<1xf32>
func.func @shared_constant() -> (tensor<1x!quant.uniform<i8:f32, 0.5>>, tensor<1x!quant.uniform<i8:f32, 0.25>>) {
  %w = arith.constant dense<2.0> : tensor<1xf32>
  %a = qnt.quantize %w : tensor<1xf32> -> tensor<1x!quant.uniform<i8:f32, 0.5>>
  %b = qnt.quantize %w : tensor<1xf32> -> tensor<1x!quant.uniform<i8:f32, 0.25>>
  return %a, %b : tensor<1x!quant.uniform<i8:f32, 0.5>>, tensor<1x!quant.uniform<i8:f32, 0.25>>
}

// -----

// Only constants are packed: a quantize of a computed value (an activation)
// is left for the runtime.
// CHECK-LABEL: func.func @activation_untouched
// CHECK-SAME: (%[[X:.*]]: tensor<2xf32>)
// CHECK: %[[Q:.*]] = qnt.quantize %[[X]] : tensor<2xf32> -> tensor<2x!quant.uniform<i8:f32, 5.000000e-01>>
// CHECK-NOT: quant.scast
// CHECK: return %[[Q]]
func.func @activation_untouched(%x: tensor<2xf32>) -> tensor<2x!quant.uniform<i8:f32, 0.5>> {
  %q = qnt.quantize %x : tensor<2xf32> -> tensor<2x!quant.uniform<i8:f32, 0.5>>
  return %q : tensor<2x!quant.uniform<i8:f32, 0.5>>
}
