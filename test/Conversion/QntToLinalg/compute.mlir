// RUN: quant-opt %s --split-input-file --convert-qnt-to-linalg | FileCheck %s --implicit-check-not=qnt.

// convert-qnt-to-linalg on the integer compute ops. qnt.matmul and
// qnt.conv2d become an i32 accumulation generic (filled with 0, reduction
// loops last, zero points subtracted in i32) and an elementwise epilogue
// (bias in i64, then the float path: sitofp, mulf, roundeven, a clamp to
// the storage range and fptosi in i32 for 8- and 16-bit results; or the
// integer path: Q31 muli, rounding addi, shrsi), with per-channel operands
// read through channel maps. qnt.add and qnt.mul are one elementwise
// generic. The multipliers below are hand-computed from the scales.

// M[n] = 0.1 * {0.25, 0.125, 0.5} / 1.0 = {0.025, 0.0125, 0.05}.
// CHECK-DAG: #[[$LHS:map[0-9]*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[$RHS:map[0-9]*]] = affine_map<(d0, d1, d2) -> (d2, d1)>
// CHECK-DAG: #[[$ZPN:map[0-9]*]] = affine_map<(d0, d1, d2) -> (d1)>
// CHECK-DAG: #[[$OUT:map[0-9]*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-DAG: #[[$ID:map[0-9]*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[$CH:map[0-9]*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @matmul_float_per_axis(
// CHECK-SAME: %[[A:[^:]*]]: tensor<4x16xi8>, %[[W:[^:]*]]: tensor<16x3xi8>, %[[B:[^:]*]]: tensor<3xi32>) -> tensor<4x3xi8>
// CHECK: %[[EMPTY:.*]] = tensor.empty() : tensor<4x3xi32>
// CHECK: %[[ZERO:.*]] = arith.constant 0 : i32
// CHECK: %[[FILL:.*]] = linalg.fill ins(%[[ZERO]] : i32) outs(%[[EMPTY]] : tensor<4x3xi32>) -> tensor<4x3xi32>
// CHECK: %[[ZPS:.*]] = arith.constant dense<[1, -2, 0]> : tensor<3xi32>
// CHECK: %[[ACC:.*]] = linalg.generic {indexing_maps = [#[[$LHS]], #[[$RHS]], #[[$ZPN]], #[[$OUT]]], iterator_types = ["parallel", "parallel", "reduction"]}
// CHECK-SAME: ins(%[[A]], %[[W]], %[[ZPS]] : tensor<4x16xi8>, tensor<16x3xi8>, tensor<3xi32>) outs(%[[FILL]] : tensor<4x3xi32>)
// CHECK: ^bb0(%[[X:[a-z0-9_]+]]: i8, %[[Y:[a-z0-9_]+]]: i8, %[[Z:[a-z0-9_]+]]: i32, %[[O:[a-z0-9_]+]]: i32):
// CHECK: %[[XE:.*]] = arith.extui %[[X]] : i8 to i32
// CHECK: %[[ZPA:.*]] = arith.constant 128 : i32
// CHECK: %[[XC:.*]] = arith.subi %[[XE]], %[[ZPA]] : i32
// CHECK: %[[YE:.*]] = arith.extsi %[[Y]] : i8 to i32
// CHECK: %[[YC:.*]] = arith.subi %[[YE]], %[[Z]] : i32
// CHECK: %[[P:.*]] = arith.muli %[[XC]], %[[YC]] : i32
// CHECK: %[[S:.*]] = arith.addi %[[O]], %[[P]] : i32
// CHECK: linalg.yield %[[S]] : i32
// CHECK: } -> tensor<4x3xi32>
// CHECK: %[[MS:.*]] = arith.constant dense<[2.500000e-02, 1.250000e-02, 5.000000e-02]> : tensor<3xf32>
// CHECK: %[[OUTE:.*]] = tensor.empty() : tensor<4x3xi8>
// CHECK: %[[RES:.*]] = linalg.generic {indexing_maps = [#[[$ID]], #[[$CH]], #[[$CH]], #[[$ID]]], iterator_types = ["parallel", "parallel"]}
// CHECK-SAME: ins(%[[ACC]], %[[B]], %[[MS]] : tensor<4x3xi32>, tensor<3xi32>, tensor<3xf32>) outs(%[[OUTE]] : tensor<4x3xi8>)
// CHECK: ^bb0(%[[V:[a-z0-9_]+]]: i32, %[[BV:[a-z0-9_]+]]: i32, %[[M:[a-z0-9_]+]]: f32, %{{[a-z0-9_]+}}: i8):
// CHECK: %[[V64:.*]] = arith.extsi %[[V]] : i32 to i64
// CHECK: %[[B64:.*]] = arith.extsi %[[BV]] : i32 to i64
// CHECK: %[[SUM:.*]] = arith.addi %[[V64]], %[[B64]] : i64
// CHECK: %[[F:.*]] = arith.sitofp %[[SUM]] : i64 to f32
// CHECK: %[[FM:.*]] = arith.mulf %[[F]], %[[M]] : f32
// An 8-bit result clamps the rounded value to [lo - zp, hi - zp] =
// [-6, 124] in f32, then converts and adds the zero point in i32.
// CHECK: %[[R:.*]] = math.roundeven %[[FM]] : f32
// CHECK: %[[LO:.*]] = arith.constant -6.000000e+00 : f32
// CHECK: %[[RL:.*]] = arith.maximumf %[[R]], %[[LO]] fastmath<nnan> : f32
// CHECK: %[[HI:.*]] = arith.constant 1.240000e+02 : f32
// CHECK: %[[RC:.*]] = arith.minimumf %[[RL]], %[[HI]] fastmath<nnan> : f32
// CHECK: %[[I:.*]] = arith.fptosi %[[RC]] : f32 to i32
// CHECK: %[[ZPY:.*]] = arith.constant 3 : i32
// CHECK: %[[Q:.*]] = arith.addi %[[I]], %[[ZPY]] : i32
// CHECK: %[[T:.*]] = arith.trunci %[[Q]] : i32 to i8
// CHECK: linalg.yield %[[T]] : i8
// CHECK: return %[[RES]] : tensor<4x3xi8>
func.func @matmul_float_per_axis(%a: tensor<4x16x!quant.uniform<u8:f32, 0.1:128>>, %w: tensor<16x3x!quant.uniform<i8:f32:1, {0.25:1, 0.125:-2, 0.5}>>, %b: tensor<3xi32>) -> tensor<4x3x!quant.uniform<i8:f32, 1.0:3>> {
  %y = qnt.matmul %a, %w bias %b {clamp_min = -3 : i64} : tensor<4x16x!quant.uniform<u8:f32, 0.1:128>>, tensor<16x3x!quant.uniform<i8:f32:1, {0.25:1, 0.125:-2, 0.5}>>, tensor<3xi32> -> tensor<4x3x!quant.uniform<i8:f32, 1.0:3>>
  return %y : tensor<4x3x!quant.uniform<i8:f32, 1.0:3>>
}

// -----

// Per tensor, float mode: the multiplier 0.5 * 0.25 / 0.1 = 1.25 is a
// constant in the body; no bias, so the epilogue reads the accumulator only.
// CHECK-LABEL: func.func @matmul_float_per_tensor(
// CHECK: linalg.generic
// CHECK: linalg.generic
// CHECK-SAME: ins(%{{[^ ]*}} : tensor<4x8xi32>) outs(%{{.*}} : tensor<4x8xi8>)
// CHECK: ^bb0(%[[V:[a-z0-9_]+]]: i32, %{{[a-z0-9_]+}}: i8):
// CHECK: %[[V64:.*]] = arith.extsi %[[V]] : i32 to i64
// CHECK-DAG: %[[M:.*]] = arith.constant 1.250000e+00 : f32
// CHECK: %[[F:.*]] = arith.sitofp %[[V64]] : i64 to f32
// CHECK: arith.mulf %[[F]], %[[M]] : f32
// CHECK: math.roundeven
func.func @matmul_float_per_tensor(%a: tensor<4x16x!quant.uniform<i8:f32, 0.5:-1>>, %w: tensor<16x8x!quant.uniform<i8:f32, 0.25>>) -> tensor<4x8x!quant.uniform<i8:f32, 0.1>> {
  %y = qnt.matmul %a, %w : tensor<4x16x!quant.uniform<i8:f32, 0.5:-1>>, tensor<16x8x!quant.uniform<i8:f32, 0.25>> -> tensor<4x8x!quant.uniform<i8:f32, 0.1>>
  return %y : tensor<4x8x!quant.uniform<i8:f32, 0.1>>
}

// -----

// Batched, integer mode, per tensor. M = 0.5 * 0.25 / 1 = 0.125 = 2^30 / 2^33:
// multiplier 1073741824, shift 33, rounding 2^32. zp_rhs = 0 is not
// subtracted.
// CHECK-DAG: #[[$LHS:map[0-9]*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d3)>
// CHECK-DAG: #[[$RHS:map[0-9]*]] = affine_map<(d0, d1, d2, d3) -> (d0, d3, d2)>
// CHECK-DAG: #[[$OUT:map[0-9]*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
// CHECK-DAG: #[[$ID:map[0-9]*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @batch_matmul_integer(
// CHECK-SAME: %[[A:[^:]*]]: tensor<2x4x16xi8>, %[[W:[^:]*]]: tensor<2x16x8xi8>) -> tensor<2x4x8xi8>
// CHECK: %[[FILL:.*]] = linalg.fill ins(%{{.*}} : i32) outs(%{{.*}} : tensor<2x4x8xi32>)
// CHECK: %[[ACC:.*]] = linalg.generic {indexing_maps = [#[[$LHS]], #[[$RHS]], #[[$OUT]]], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
// CHECK-SAME: ins(%[[A]], %[[W]] : tensor<2x4x16xi8>, tensor<2x16x8xi8>) outs(%[[FILL]] : tensor<2x4x8xi32>)
// CHECK: ^bb0(%[[X:[a-z0-9_]+]]: i8, %[[Y:[a-z0-9_]+]]: i8, %[[O:[a-z0-9_]+]]: i32):
// CHECK: %[[XE:.*]] = arith.extsi %[[X]] : i8 to i32
// CHECK: %[[ZPA:.*]] = arith.constant -1 : i32
// CHECK: %[[XC:.*]] = arith.subi %[[XE]], %[[ZPA]] : i32
// CHECK: %[[YE:.*]] = arith.extsi %[[Y]] : i8 to i32
// CHECK-NEXT: %[[P:.*]] = arith.muli %[[XC]], %[[YE]] : i32
// CHECK-NEXT: arith.addi %[[O]], %[[P]] : i32
// CHECK: linalg.generic {indexing_maps = [#[[$ID]], #[[$ID]]], iterator_types = ["parallel", "parallel", "parallel"]}
// CHECK-SAME: ins(%[[ACC]] : tensor<2x4x8xi32>)
// CHECK: ^bb0(%[[V:[a-z0-9_]+]]: i32, %{{[a-z0-9_]+}}: i8):
// CHECK: %[[V64:.*]] = arith.extsi %[[V]] : i32 to i64
// CHECK: arith.constant -2147483648 : i64
// CHECK: %[[SAT0:.*]] = arith.maxsi %[[V64]], %{{.*}} : i64
// CHECK: arith.constant 2147483647 : i64
// CHECK: %[[SAT:.*]] = arith.minsi %[[SAT0]], %{{.*}} : i64
// CHECK-NOT: arith.sitofp
// CHECK: %[[MUL:.*]] = arith.constant 1073741824 : i64
// CHECK: %[[PR:.*]] = arith.muli %[[SAT]], %[[MUL]] : i64
// CHECK: %[[RND:.*]] = arith.constant 4294967296 : i64
// CHECK: %[[PRR:.*]] = arith.addi %[[PR]], %[[RND]] : i64
// CHECK: %[[SH:.*]] = arith.constant 33 : i64
// CHECK: %[[SC:.*]] = arith.shrsi %[[PRR]], %[[SH]] : i64
// CHECK: arith.maxsi %[[SC]], %{{.*}} : i64
// CHECK: %[[SC32:.*]] = arith.minsi %{{.*}} : i64
// CHECK: %[[ZPY:.*]] = arith.constant 3 : i64
// CHECK: arith.addi %[[SC32]], %[[ZPY]] : i64
// CHECK: arith.constant -128 : i64
// CHECK: arith.maxsi
// CHECK: arith.constant 127 : i64
// CHECK: arith.minsi
// CHECK: arith.trunci %{{.*}} : i64 to i8
// CHECK-NOT: math.roundeven
// CHECK: return
func.func @batch_matmul_integer(%a: tensor<2x4x16x!quant.uniform<i8:f32, 0.5:-1>>, %w: tensor<2x16x8x!quant.uniform<i8:f32, 0.25>>) -> tensor<2x4x8x!quant.uniform<i8:f32, 1.0:3>> {
  %y = qnt.matmul %a, %w {requantize = #qnt.requantize<integer>} : tensor<2x4x16x!quant.uniform<i8:f32, 0.5:-1>>, tensor<2x16x8x!quant.uniform<i8:f32, 0.25>> -> tensor<2x4x8x!quant.uniform<i8:f32, 1.0:3>>
  return %y : tensor<2x4x8x!quant.uniform<i8:f32, 1.0:3>>
}

// -----

// Integer mode, per axis: M[n] = 0.5 * {0.25, 0.5, 1.0} / 1 = {2^-3, 2^-2,
// 2^-1}, i.e. multiplier 2^30 with shifts {33, 32, 31}, packed as
// (2^30 << 8) | shift = 274877906944 + shift; the body unpacks them.
// Equal non-zero zero points (2) are subtracted as one constant.
// CHECK-DAG: #[[$ID:map[0-9]*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[$CH:map[0-9]*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @matmul_integer_per_axis(
// CHECK: ^bb0(%[[X:[a-z0-9_]+]]: i8, %[[Y:[a-z0-9_]+]]: i8, %{{[a-z0-9_]+}}: i32):
// CHECK: %[[YE:.*]] = arith.extsi %[[Y]] : i8 to i32
// CHECK: %[[ZPW:.*]] = arith.constant 2 : i32
// CHECK: arith.subi %[[YE]], %[[ZPW]] : i32
// CHECK: %[[PACKED:.*]] = arith.constant dense<[274877906977, 274877906976, 274877906975]> : tensor<3xi64>
// CHECK: linalg.generic {indexing_maps = [#[[$ID]], #[[$CH]], #[[$ID]]], iterator_types = ["parallel", "parallel"]}
// CHECK-SAME: ins(%{{[^ ]*}}, %[[PACKED]] : tensor<4x3xi32>, tensor<3xi64>)
// CHECK: ^bb0(%[[V:[a-z0-9_]+]]: i32, %[[PM:[a-z0-9_]+]]: i64, %{{[a-z0-9_]+}}: i8):
// CHECK: %[[SAT:.*]] = arith.minsi
// CHECK: %[[C8:.*]] = arith.constant 8 : i64
// CHECK: %[[M:.*]] = arith.shrsi %[[PM]], %[[C8]] : i64
// CHECK: %[[C255:.*]] = arith.constant 255 : i64
// CHECK: %[[SHIFT:.*]] = arith.andi %[[PM]], %[[C255]] : i64
// CHECK: %[[ONE:.*]] = arith.constant 1 : i64
// CHECK: %[[SM1:.*]] = arith.subi %[[SHIFT]], %[[ONE]] : i64
// CHECK: %[[ROUND:.*]] = arith.shli %[[ONE]], %[[SM1]] : i64
// CHECK: %[[PR:.*]] = arith.muli %[[SAT]], %[[M]] : i64
// CHECK: %[[PRR:.*]] = arith.addi %[[PR]], %[[ROUND]] : i64
// CHECK: %[[SC:.*]] = arith.shrsi %[[PRR]], %[[SHIFT]] : i64
// CHECK: arith.addi %[[SC]], %{{.*}} : i64
// CHECK: arith.trunci %{{.*}} : i64 to i8
func.func @matmul_integer_per_axis(%a: tensor<4x16x!quant.uniform<i8:f32, 0.5>>, %w: tensor<16x3x!quant.uniform<i8:f32:1, {0.25:2, 0.5:2, 1.0:2}>>) -> tensor<4x3x!quant.uniform<i8:f32, 1.0>> {
  %y = qnt.matmul %a, %w {requantize = #qnt.requantize<integer>} : tensor<4x16x!quant.uniform<i8:f32, 0.5>>, tensor<16x3x!quant.uniform<i8:f32:1, {0.25:2, 0.5:2, 1.0:2}>> -> tensor<4x3x!quant.uniform<i8:f32, 1.0>>
  return %y : tensor<4x3x!quant.uniform<i8:f32, 1.0>>
}

// -----

// An i32 result without bias is the accumulator itself: no epilogue.
// CHECK-LABEL: func.func @matmul_i32(
// CHECK-SAME: -> tensor<4x8xi32>
// CHECK: linalg.fill
// CHECK: %[[ACC:.*]] = linalg.generic
// CHECK: } -> tensor<4x8xi32>
// CHECK-NEXT: return %[[ACC]] : tensor<4x8xi32>
func.func @matmul_i32(%a: tensor<4x16x!quant.uniform<i8:f32, 0.5:-1>>, %w: tensor<16x8x!quant.uniform<i8:f32, 0.25>>) -> tensor<4x8xi32> {
  %y = qnt.matmul %a, %w : tensor<4x16x!quant.uniform<i8:f32, 0.5:-1>>, tensor<16x8x!quant.uniform<i8:f32, 0.25>> -> tensor<4x8xi32>
  return %y : tensor<4x8xi32>
}

// -----

// An i32 result with bias: the epilogue only adds the bias, in i32.
// CHECK-DAG: #[[$ID:map[0-9]*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[$CH:map[0-9]*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @matmul_i32_bias(
// CHECK-SAME: %[[B:[^:]*]]: tensor<2xi32>) -> tensor<4x2xi32>
// CHECK: %[[ACC:.*]] = linalg.generic
// CHECK: %[[E:.*]] = tensor.empty() : tensor<4x2xi32>
// CHECK: %[[RES:.*]] = linalg.generic {indexing_maps = [#[[$ID]], #[[$CH]], #[[$ID]]], iterator_types = ["parallel", "parallel"]}
// CHECK-SAME: ins(%[[ACC]], %[[B]] : tensor<4x2xi32>, tensor<2xi32>) outs(%[[E]] : tensor<4x2xi32>)
// CHECK: ^bb0(%[[V:[a-z0-9_]+]]: i32, %[[BV:[a-z0-9_]+]]: i32, %{{[a-z0-9_]+}}: i32):
// CHECK-NEXT: %[[S:.*]] = arith.addi %[[V]], %[[BV]] : i32
// CHECK-NEXT: linalg.yield %[[S]] : i32
// CHECK: return %[[RES]]
func.func @matmul_i32_bias(%a: tensor<4x16x!quant.uniform<i8:f32, 0.5>>, %w: tensor<16x2x!quant.uniform<i8:f32, 0.25>>, %b: tensor<2xi32>) -> tensor<4x2xi32> {
  %y = qnt.matmul %a, %w bias %b : tensor<4x16x!quant.uniform<i8:f32, 0.5>>, tensor<16x2x!quant.uniform<i8:f32, 0.25>>, tensor<2xi32> -> tensor<4x2xi32>
  return %y : tensor<4x2xi32>
}

// -----

// A dynamic M: the accumulator and the result take their size from lhs.
// CHECK-LABEL: func.func @matmul_dynamic_m(
// CHECK-SAME: %[[A:[^:]*]]: tensor<?x16xi8>
// CHECK: %[[C0:.*]] = arith.constant 0 : index
// CHECK: %[[DIM:.*]] = tensor.dim %[[A]], %[[C0]] : tensor<?x16xi8>
// CHECK: tensor.empty(%[[DIM]]) : tensor<?x8xi32>
// CHECK: linalg.fill
// CHECK: %[[ACC:.*]] = linalg.generic
// CHECK: tensor.dim %[[ACC]], %{{.*}} : tensor<?x8xi32>
// CHECK: tensor.empty(%{{.*}}) : tensor<?x8xi8>
// CHECK: } -> tensor<?x8xi8>
func.func @matmul_dynamic_m(%a: tensor<?x16x!quant.uniform<i8:f32, 0.5>>, %w: tensor<16x8x!quant.uniform<i8:f32, 0.25>>) -> tensor<?x8x!quant.uniform<i8:f32, 1.0>> {
  %y = qnt.matmul %a, %w : tensor<?x16x!quant.uniform<i8:f32, 0.5>>, tensor<16x8x!quant.uniform<i8:f32, 0.25>> -> tensor<?x8x!quant.uniform<i8:f32, 1.0>>
  return %y : tensor<?x8x!quant.uniform<i8:f32, 1.0>>
}

// -----

// NCHW, groups 2 (2 filters and 2 channels per group), strides [2, 1],
// dilations [1, 2], padding [1, 2, 0, 1] with the u8 zero point 128 (as
// the i8 bit pattern -128). Per-axis filter zero points {1, -1, 0, 0} on F;
// M[f] = f32(f32(0.1) * f32({0.05, 0.02, 0.01, 0.04})) / f32(0.5) (NumPy
// float32) = {0.0100000007, 0.004, 0.002, 0.008}: the f32 product of the
// scales rounds up (the real quotient would give 0.00999999977).
// CHECK-DAG: #[[$IN:map[0-9]*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, (d1 floordiv 2) * 2 + d4, d2 * 2 + d5, d3 + d6 * 2)>
// CHECK-DAG: #[[$FLT:map[0-9]*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d1, d4, d5, d6)>
// CHECK-DAG: #[[$ZPF:map[0-9]*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d1)>
// CHECK-DAG: #[[$OUT:map[0-9]*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[$ID:map[0-9]*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[$CH:map[0-9]*]] = affine_map<(d0, d1, d2, d3) -> (d1)>
// CHECK-LABEL: func.func @conv_nchw(
// CHECK-SAME: %[[X:[^:]*]]: tensor<?x4x9x9xi8>, %[[W:[^:]*]]: tensor<4x2x3x3xi8>, %[[B:[^:]*]]: tensor<4xi32>) -> tensor<?x4x4x8xi8>
// CHECK: %[[PADV:.*]] = arith.constant -128 : i8
// CHECK: %[[PAD:.*]] = tensor.pad %[[X]] low[0, 0, 1, 2] high[0, 0, 0, 1]
// CHECK: tensor.yield %[[PADV]] : i8
// CHECK: } : tensor<?x4x9x9xi8> to tensor<?x4x10x12xi8>
// CHECK: %[[DIM:.*]] = tensor.dim %[[X]], %{{.*}} : tensor<?x4x9x9xi8>
// CHECK: %[[E:.*]] = tensor.empty(%[[DIM]]) : tensor<?x4x4x8xi32>
// CHECK: %[[ZERO:.*]] = arith.constant 0 : i32
// CHECK: %[[FILL:.*]] = linalg.fill ins(%[[ZERO]] : i32) outs(%[[E]] : tensor<?x4x4x8xi32>)
// CHECK: %[[ZPS:.*]] = arith.constant dense<[1, -1, 0, 0]> : tensor<4xi32>
// CHECK: %[[ACC:.*]] = linalg.generic {indexing_maps = [#[[$IN]], #[[$FLT]], #[[$ZPF]], #[[$OUT]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
// CHECK-SAME: ins(%[[PAD]], %[[W]], %[[ZPS]] : tensor<?x4x10x12xi8>, tensor<4x2x3x3xi8>, tensor<4xi32>) outs(%[[FILL]] : tensor<?x4x4x8xi32>)
// CHECK: arith.extui %{{.*}} : i8 to i32
// CHECK: arith.constant 128 : i32
// CHECK: arith.subi
// CHECK: arith.extsi %{{.*}} : i8 to i32
// CHECK: arith.subi
// CHECK: arith.muli
// CHECK: arith.addi
// CHECK: %[[MS:.*]] = arith.constant dense<[0.0100000007, 4.000000e-03, 2.000000e-03, 8.000000e-03]> : tensor<4xf32>
// CHECK: linalg.generic {indexing_maps = [#[[$ID]], #[[$CH]], #[[$CH]], #[[$ID]]], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
// CHECK-SAME: ins(%[[ACC]], %[[B]], %[[MS]] : tensor<?x4x4x8xi32>, tensor<4xi32>, tensor<4xf32>)
// CHECK: arith.addi %{{.*}} : i64
// CHECK: arith.sitofp %{{.*}} : i64 to f32
// CHECK: arith.mulf
// CHECK: math.roundeven
// CHECK: arith.constant -1.000000e+01 : f32
// CHECK: arith.constant 2.450000e+02 : f32
// CHECK: arith.constant 10 : i32
// CHECK: arith.trunci %{{.*}} : i32 to i8
func.func @conv_nchw(%x: tensor<?x4x9x9x!quant.uniform<u8:f32, 0.1:128>>, %w: tensor<4x2x3x3x!quant.uniform<i8:f32:0, {0.05:1, 0.02:-1, 0.01, 0.04}>>, %b: tensor<4xi32>) -> tensor<?x4x4x8x!quant.uniform<u8:f32, 0.5:10>> {
  %y = qnt.conv2d %x, %w bias %b {groups = 2 : i64, strides = array<i64: 2, 1>, padding = array<i64: 1, 2, 0, 1>, dilations = array<i64: 1, 2>} : tensor<?x4x9x9x!quant.uniform<u8:f32, 0.1:128>>, tensor<4x2x3x3x!quant.uniform<i8:f32:0, {0.05:1, 0.02:-1, 0.01, 0.04}>>, tensor<4xi32> -> tensor<?x4x4x8x!quant.uniform<u8:f32, 0.5:10>>
  return %y : tensor<?x4x4x8x!quant.uniform<u8:f32, 0.5:10>>
}

// -----

// NCHW defaults (no padding, stride and dilation 1, one group) with an i32
// result: no tensor.pad, plain window maps, no epilogue.
// CHECK-DAG: #[[$IN:map[0-9]*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, (d1 floordiv 4) * 3 + d4, d2 + d5, d3 + d6)>
// CHECK-LABEL: func.func @conv_nchw_defaults_i32(
// CHECK-SAME: %[[X:[^:]*]]: tensor<1x3x8x8xi8>
// CHECK-NOT: tensor.pad
// CHECK: %[[ACC:.*]] = linalg.generic {indexing_maps = [#[[$IN]], #{{.*}}, #{{.*}}]
// CHECK-SAME: ins(%[[X]], %{{.*}} : tensor<1x3x8x8xi8>, tensor<4x3x3x3xi8>)
// CHECK: ^bb0(%[[I:[a-z0-9_]+]]: i8, %[[F:[a-z0-9_]+]]: i8, %[[O:[a-z0-9_]+]]: i32):
// CHECK-NEXT: %[[IE:.*]] = arith.extsi %[[I]] : i8 to i32
// CHECK-NEXT: %[[FE:.*]] = arith.extsi %[[F]] : i8 to i32
// CHECK-NEXT: %[[P:.*]] = arith.muli %[[IE]], %[[FE]] : i32
// CHECK-NEXT: %[[S:.*]] = arith.addi %[[O]], %[[P]] : i32
// CHECK-NEXT: linalg.yield %[[S]] : i32
// CHECK: return %[[ACC]] : tensor<1x4x6x6xi32>
func.func @conv_nchw_defaults_i32(%x: tensor<1x3x8x8x!quant.uniform<i8:f32, 0.05>>, %w: tensor<4x3x3x3x!quant.uniform<i8:f32, 0.5>>) -> tensor<1x4x6x6xi32> {
  %y = qnt.conv2d %x, %w : tensor<1x3x8x8x!quant.uniform<i8:f32, 0.05>>, tensor<4x3x3x3x!quant.uniform<i8:f32, 0.5>> -> tensor<1x4x6x6xi32>
  return %y : tensor<1x4x6x6xi32>
}

// -----

// NHWC depthwise (groups = C = 3), padding 1 with the i8 zero point -1,
// per-axis filter on F (dimension 3, zero points {2, 0, 0}), integer mode
// with a ReLU-like clamp [0, 100]. M[f] = 0.05 * {0.5, 0.25, 1.0} / 0.1 =
// {2^-2, 2^-3, 2^-1}: shifts {32, 33, 31}.
// CHECK-DAG: #[[$IN:map[0-9]*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1 + d5, d2 + d6, d3 + d4)>
// CHECK-DAG: #[[$FLT:map[0-9]*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d5, d6, d4, d3)>
// CHECK-DAG: #[[$ZPF:map[0-9]*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d3)>
// CHECK-DAG: #[[$OUT:map[0-9]*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[$ID:map[0-9]*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[$CH:map[0-9]*]] = affine_map<(d0, d1, d2, d3) -> (d3)>
// CHECK-LABEL: func.func @conv_nhwc_depthwise_integer(
// CHECK-SAME: %[[X:[^:]*]]: tensor<1x6x6x3xi8>, %[[W:[^:]*]]: tensor<3x3x1x3xi8>) -> tensor<1x6x6x3xi8>
// CHECK: %[[PADV:.*]] = arith.constant -1 : i8
// CHECK: %[[PAD:.*]] = tensor.pad %[[X]] low[0, 1, 1, 0] high[0, 1, 1, 0]
// CHECK: tensor.yield %[[PADV]] : i8
// CHECK: } : tensor<1x6x6x3xi8> to tensor<1x8x8x3xi8>
// CHECK: %[[ZPS:.*]] = arith.constant dense<[2, 0, 0]> : tensor<3xi32>
// CHECK: %[[ACC:.*]] = linalg.generic {indexing_maps = [#[[$IN]], #[[$FLT]], #[[$ZPF]], #[[$OUT]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
// CHECK-SAME: ins(%[[PAD]], %[[W]], %[[ZPS]] : tensor<1x8x8x3xi8>, tensor<3x3x1x3xi8>, tensor<3xi32>)
// CHECK: %[[PACKED:.*]] = arith.constant dense<[274877906976, 274877906977, 274877906975]> : tensor<3xi64>
// CHECK: linalg.generic {indexing_maps = [#[[$ID]], #[[$CH]], #[[$ID]]], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
// CHECK-SAME: ins(%[[ACC]], %[[PACKED]] : tensor<1x6x6x3xi32>, tensor<3xi64>)
// CHECK: arith.shrsi
// CHECK: arith.andi
// CHECK: arith.muli
// CHECK: arith.addi
// CHECK: arith.shrsi
// CHECK: arith.constant 0 : i64
// CHECK: arith.maxsi
// CHECK: arith.constant 100 : i64
// CHECK: arith.minsi
// CHECK: arith.trunci %{{.*}} : i64 to i8
func.func @conv_nhwc_depthwise_integer(%x: tensor<1x6x6x3x!quant.uniform<i8:f32, 0.05:-1>>, %w: tensor<3x3x1x3x!quant.uniform<i8:f32:3, {0.5:2, 0.25, 1.0}>>) -> tensor<1x6x6x3x!quant.uniform<i8:f32, 0.1>> {
  %y = qnt.conv2d %x, %w {layout = #qnt.layout<nhwc>, groups = 3 : i64, padding = array<i64: 1, 1, 1, 1>, requantize = #qnt.requantize<integer>, clamp_min = 0 : i64, clamp_max = 100 : i64} : tensor<1x6x6x3x!quant.uniform<i8:f32, 0.05:-1>>, tensor<3x3x1x3x!quant.uniform<i8:f32:3, {0.5:2, 0.25, 1.0}>> -> tensor<1x6x6x3x!quant.uniform<i8:f32, 0.1>>
  return %y : tensor<1x6x6x3x!quant.uniform<i8:f32, 0.1>>
}

// -----

// NHWC, one group, with bias: the bias is read on dimension 3.
// CHECK-DAG: #[[$CH:map[0-9]*]] = affine_map<(d0, d1, d2, d3) -> (d3)>
// CHECK-LABEL: func.func @conv_nhwc_bias(
// CHECK-SAME: %[[B:[^:]*]]: tensor<4xi32>) -> tensor<1x4x4x4xi8>
// CHECK: %[[ACC:.*]] = linalg.generic
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[$CH]], #{{.*}}]
// CHECK-SAME: ins(%[[ACC]], %[[B]] : tensor<1x4x4x4xi32>, tensor<4xi32>)
func.func @conv_nhwc_bias(%x: tensor<1x8x8x3x!quant.uniform<i8:f32, 0.1>>, %w: tensor<3x3x3x4x!quant.uniform<i8:f32, 0.25>>, %b: tensor<4xi32>) -> tensor<1x4x4x4x!quant.uniform<i8:f32, 1.0>> {
  %y = qnt.conv2d %x, %w bias %b {layout = #qnt.layout<nhwc>, strides = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>} : tensor<1x8x8x3x!quant.uniform<i8:f32, 0.1>>, tensor<3x3x3x4x!quant.uniform<i8:f32, 0.25>>, tensor<4xi32> -> tensor<1x4x4x4x!quant.uniform<i8:f32, 1.0>>
  return %y : tensor<1x4x4x4x!quant.uniform<i8:f32, 1.0>>
}

// -----

// qnt.add, float mode, ONNX Runtime's QLinearAdd: r_a = 0.5 / 2 = 0.25,
// r_b = 0.25 / 2 = 0.125, c = 60 - (0.25 * 120 + 0.125 * -2) = 30.25;
// fma(a, r_a, fma(b, r_b, c)) on the stored (not centered) values, rounded
// half to even and saturated to [0, 200] (clamp_max).
// CHECK-DAG: #[[$ID:map[0-9]*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @add_float(
// CHECK-SAME: %[[A:[^:]*]]: tensor<4x?xi8>, %[[B:[^:]*]]: tensor<4x?xi8>) -> tensor<4x?xi8>
// CHECK: %[[DIM:.*]] = tensor.dim %[[A]], %{{.*}} : tensor<4x?xi8>
// CHECK: %[[E:.*]] = tensor.empty(%[[DIM]]) : tensor<4x?xi8>
// CHECK: linalg.generic {indexing_maps = [#[[$ID]], #[[$ID]], #[[$ID]]], iterator_types = ["parallel", "parallel"]}
// CHECK-SAME: ins(%[[A]], %[[B]] : tensor<4x?xi8>, tensor<4x?xi8>) outs(%[[E]] : tensor<4x?xi8>)
// CHECK: ^bb0(%[[X:[a-z0-9_]+]]: i8, %[[Y:[a-z0-9_]+]]: i8, %{{[a-z0-9_]+}}: i8):
// CHECK-NOT: arith.subi
// CHECK: %[[YE:.*]] = arith.extsi %[[Y]] : i8 to i32
// CHECK: %[[YF:.*]] = arith.sitofp %[[YE]] : i32 to f32
// CHECK: %[[RB:.*]] = arith.constant 1.250000e-01 : f32
// CHECK: %[[C:.*]] = arith.constant 3.025000e+01 : f32
// CHECK: %[[T:.*]] = math.fma %[[YF]], %[[RB]], %[[C]] : f32
// CHECK: %[[XE:.*]] = arith.extui %[[X]] : i8 to i32
// CHECK: %[[XF:.*]] = arith.sitofp %[[XE]] : i32 to f32
// CHECK: %[[RA:.*]] = arith.constant 2.500000e-01 : f32
// CHECK: %[[S:.*]] = math.fma %[[XF]], %[[RA]], %[[T]] : f32
// CHECK: math.roundeven %[[S]] : f32
// CHECK: arith.constant 0.000000e+00 : f32
// CHECK: arith.constant 2.000000e+02 : f32
// CHECK: arith.fptosi %{{.*}} : f32 to i32
// CHECK: arith.trunci %{{.*}} : i32 to i8
func.func @add_float(%a: tensor<4x?x!quant.uniform<u8:f32, 0.5:120>>, %b: tensor<4x?x!quant.uniform<i8:f32, 0.25:-2>>) -> tensor<4x?x!quant.uniform<u8:f32, 2.0:60>> {
  %y = qnt.add %a, %b {clamp_max = 200 : i64} : tensor<4x?x!quant.uniform<u8:f32, 0.5:120>>, tensor<4x?x!quant.uniform<i8:f32, 0.25:-2>> -> tensor<4x?x!quant.uniform<u8:f32, 2.0:60>>
  return %y : tensor<4x?x!quant.uniform<u8:f32, 2.0:60>>
}

// -----

// qnt.add, integer mode (TFLite): t = 2 * max(0.5, 0.25) = 1; a' << 20 times
// 0.5 (2^30, shift 31), b' << 20 times 0.25 (2^30, shift 32), the sum times
// t / (2^20 * 1) = 2^-20 (2^30, shift 50, rounding 2^49).
// CHECK-LABEL: func.func @add_integer(
// CHECK: ^bb0(%[[X:[a-z0-9_]+]]: i8, %[[Y:[a-z0-9_]+]]: i8, %{{[a-z0-9_]+}}: i8):
// CHECK: %[[XC:.*]] = arith.subi %{{.*}}, %{{.*}} : i64
// CHECK: %[[YC:.*]] = arith.subi %{{.*}}, %{{.*}} : i64
// CHECK: %[[C20:.*]] = arith.constant 20 : i64
// CHECK: %[[XS:.*]] = arith.shli %[[XC]], %[[C20]] : i64
// CHECK: arith.constant 1073741824 : i64
// CHECK: arith.muli %[[XS]], %{{.*}} : i64
// CHECK: arith.constant 1073741824 : i64
// CHECK: arith.addi
// CHECK: arith.constant 31 : i64
// CHECK: arith.shrsi
// CHECK: %[[RA:.*]] = arith.minsi %{{.*}} : i64
// CHECK: %[[YS:.*]] = arith.shli %[[YC]], %[[C20]] : i64
// CHECK: arith.muli %[[YS]], %{{.*}} : i64
// CHECK: arith.constant 2147483648 : i64
// CHECK: arith.addi
// CHECK: arith.constant 32 : i64
// CHECK: arith.shrsi
// CHECK: %[[RB:.*]] = arith.minsi %{{.*}} : i64
// CHECK: %[[SUM:.*]] = arith.addi %[[RA]], %[[RB]] : i64
// CHECK: arith.muli %[[SUM]], %{{.*}} : i64
// CHECK: arith.constant 562949953421312 : i64
// CHECK: arith.addi
// CHECK: arith.constant 50 : i64
// CHECK: arith.shrsi
// CHECK: arith.constant 60 : i64
// CHECK: arith.addi
// CHECK: arith.constant 255 : i64
// CHECK: arith.trunci %{{.*}} : i64 to i8
// CHECK-NOT: arith.sitofp
// CHECK-NOT: math.roundeven
// CHECK: return
func.func @add_integer(%a: tensor<4x!quant.uniform<u8:f32, 0.5:120>>, %b: tensor<4x!quant.uniform<i8:f32, 0.25:-2>>) -> tensor<4x!quant.uniform<u8:f32, 1.0:60>> {
  %y = qnt.add %a, %b {requantize = #qnt.requantize<integer>} : tensor<4x!quant.uniform<u8:f32, 0.5:120>>, tensor<4x!quant.uniform<i8:f32, 0.25:-2>> -> tensor<4x!quant.uniform<u8:f32, 1.0:60>>
  return %y : tensor<4x!quant.uniform<u8:f32, 1.0:60>>
}

// -----

// qnt.mul, float mode, ONNX Runtime's QLinearMul: the product of the
// centered values in i64, times f32(0.5 * 0.25) / 1 = 0.125 in f32, plus the
// zero point -5 in f32 before the rounding.
// CHECK-LABEL: func.func @mul_float(
// CHECK: %[[XC:.*]] = arith.subi %{{.*}}, %{{.*}} : i64
// CHECK: %[[YC:.*]] = arith.subi %{{.*}}, %{{.*}} : i64
// CHECK: %[[P:.*]] = arith.muli %[[XC]], %[[YC]] : i64
// CHECK: %[[F:.*]] = arith.sitofp %[[P]] : i64 to f32
// CHECK: %[[M:.*]] = arith.constant 1.250000e-01 : f32
// CHECK: %[[FM:.*]] = arith.mulf %[[F]], %[[M]] : f32
// CHECK: %[[ZP:.*]] = arith.constant -5.000000e+00 : f32
// CHECK: %[[FZ:.*]] = arith.addf %[[FM]], %[[ZP]] : f32
// CHECK: math.roundeven %[[FZ]] : f32
// CHECK: arith.constant -1.280000e+02 : f32
// CHECK: arith.constant 1.270000e+02 : f32
// CHECK: arith.fptosi %{{.*}} : f32 to i32
// CHECK: arith.trunci %{{.*}} : i32 to i8
func.func @mul_float(%a: tensor<4x!quant.uniform<u8:f32, 0.5:120>>, %b: tensor<4x!quant.uniform<i8:f32, 0.25:-2>>) -> tensor<4x!quant.uniform<i8:f32, 1.0:-5>> {
  %y = qnt.mul %a, %b : tensor<4x!quant.uniform<u8:f32, 0.5:120>>, tensor<4x!quant.uniform<i8:f32, 0.25:-2>> -> tensor<4x!quant.uniform<i8:f32, 1.0:-5>>
  return %y : tensor<4x!quant.uniform<i8:f32, 1.0:-5>>
}

// -----

// qnt.mul, integer mode: M = 0.125 = 2^30 / 2^33; clamp_min -5.
// CHECK-LABEL: func.func @mul_integer(
// CHECK: %[[P:.*]] = arith.muli %{{.*}}, %{{.*}} : i64
// CHECK: %[[MUL:.*]] = arith.constant 1073741824 : i64
// CHECK: %[[PM:.*]] = arith.muli %[[P]], %[[MUL]] : i64
// CHECK: %[[RND:.*]] = arith.constant 4294967296 : i64
// CHECK: %[[PR:.*]] = arith.addi %[[PM]], %[[RND]] : i64
// CHECK: %[[SH:.*]] = arith.constant 33 : i64
// CHECK: arith.shrsi %[[PR]], %[[SH]] : i64
// CHECK: arith.constant -5 : i64
// CHECK: arith.addi
// CHECK: arith.constant -5 : i64
// CHECK: arith.maxsi
// CHECK: arith.constant 127 : i64
// CHECK: arith.minsi
// CHECK: arith.trunci %{{.*}} : i64 to i8
// CHECK-NOT: math.roundeven
// CHECK: return
func.func @mul_integer(%a: tensor<4x!quant.uniform<u8:f32, 0.5:120>>, %b: tensor<4x!quant.uniform<i8:f32, 0.25:-2>>) -> tensor<4x!quant.uniform<i8:f32, 1.0:-5>> {
  %y = qnt.mul %a, %b {requantize = #qnt.requantize<integer>, clamp_min = -5 : i64} : tensor<4x!quant.uniform<u8:f32, 0.5:120>>, tensor<4x!quant.uniform<i8:f32, 0.25:-2>> -> tensor<4x!quant.uniform<i8:f32, 1.0:-5>>
  return %y : tensor<4x!quant.uniform<i8:f32, 1.0:-5>>
}
