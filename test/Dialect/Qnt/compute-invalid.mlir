// RUN: quant-opt %s --split-input-file --verify-diagnostics

// Every diagnostic of the integer compute verifiers (QntComputeOps.cpp,
// rule IDs qnt_c11 to qnt_c19 in QntOps.td), plus the shared
// !quant.uniform checks (qnt_c1, qnt_c4) as the compute ops reach them.

//===----------------------------------------------------------------------===//
// qnt_c11: operand element types
//===----------------------------------------------------------------------===//

// qnt_c11: lhs is a float tensor.
!qw = !quant.uniform<i8:f32, 0.25>
!qy = !quant.uniform<i8:f32, 1.0:3>
func.func @matmul_lhs_float(%a: tensor<4x16xf32>, %w: tensor<16x8x!qw>) -> tensor<4x8x!qy> {
  // expected-error@+1 {{'qnt.matmul' op qnt_c11: lhs must be a tensor of !quant.uniform, got 'tensor<4x16xf32>'}}
  %y = qnt.matmul %a, %w : tensor<4x16xf32>, tensor<16x8x!qw> -> tensor<4x8x!qy>
  return %y : tensor<4x8x!qy>
}

// -----

// qnt_c11: rhs holds plain storage integers.
!qa = !quant.uniform<i8:f32, 0.5:-1>
!qy = !quant.uniform<i8:f32, 1.0:3>
func.func @matmul_rhs_integer(%a: tensor<4x16x!qa>, %w: tensor<16x8xi8>) -> tensor<4x8x!qy> {
  // expected-error@+1 {{'qnt.matmul' op qnt_c11: rhs must be a tensor of !quant.uniform, got 'tensor<16x8xi8>'}}
  %y = qnt.matmul %a, %w : tensor<4x16x!qa>, tensor<16x8xi8> -> tensor<4x8x!qy>
  return %y : tensor<4x8x!qy>
}

// -----

// qnt_c11: lhs must be per tensor.
!qw = !quant.uniform<i8:f32, 0.25>
!qy = !quant.uniform<i8:f32, 1.0:3>
func.func @matmul_lhs_per_axis(%a: tensor<4x2x!quant.uniform<i8:f32:1, {0.5, 0.25}>>, %w: tensor<2x8x!qw>) -> tensor<4x8x!qy> {
  // expected-error@+1 {{'qnt.matmul' op qnt_c11: lhs must be quantized per tensor}}
  %y = qnt.matmul %a, %w : tensor<4x2x!quant.uniform<i8:f32:1, {0.5, 0.25}>>, tensor<2x8x!qw> -> tensor<4x8x!qy>
  return %y : tensor<4x8x!qy>
}

// -----

// qnt_c11: per-axis rhs on K (axis 0) instead of N (axis 1).
!qa = !quant.uniform<i8:f32, 0.5:-1>
!qy = !quant.uniform<i8:f32, 1.0:3>
func.func @matmul_rhs_wrong_axis(%a: tensor<4x2x!qa>, %w: tensor<2x3x!quant.uniform<i8:f32:0, {0.5, 0.25}>>) -> tensor<4x3x!qy> {
  // expected-error@+1 {{'qnt.matmul' op qnt_c11: rhs may be quantized per axis only on its output-channel dimension 1, not 0}}
  %y = qnt.matmul %a, %w : tensor<4x2x!qa>, tensor<2x3x!quant.uniform<i8:f32:0, {0.5, 0.25}>> -> tensor<4x3x!qy>
  return %y : tensor<4x3x!qy>
}

// -----

// qnt_c11: batched, the output-channel dimension of rhs is 2.
!qa = !quant.uniform<i8:f32, 0.5:-1>
!qy = !quant.uniform<i8:f32, 1.0:3>
func.func @batch_matmul_rhs_wrong_axis(%a: tensor<2x4x2x!qa>, %w: tensor<2x2x3x!quant.uniform<i8:f32:1, {0.5, 0.25}>>) -> tensor<2x4x3x!qy> {
  // expected-error@+1 {{'qnt.matmul' op qnt_c11: rhs may be quantized per axis only on its output-channel dimension 2, not 1}}
  %y = qnt.matmul %a, %w : tensor<2x4x2x!qa>, tensor<2x2x3x!quant.uniform<i8:f32:1, {0.5, 0.25}>> -> tensor<2x4x3x!qy>
  return %y : tensor<2x4x3x!qy>
}

// -----

// qnt_c11: sub-channel (blockwise) weights are not supported by compute ops.
!qa = !quant.uniform<i8:f32, 0.5:-1>
!qy = !quant.uniform<i8:f32, 1.0:3>
func.func @matmul_rhs_sub_channel(%a: tensor<4x4x!qa>, %w: tensor<4x2x!quant.uniform<i8:f32:{0:2, 1:1}, {{0.1, 0.2}, {0.3, 0.4}}>>) -> tensor<4x2x!qy> {
  // expected-error@+1 {{'qnt.matmul' op qnt_c11: rhs cannot use sub-channel quantization}}
  %y = qnt.matmul %a, %w : tensor<4x4x!qa>, tensor<4x2x!quant.uniform<i8:f32:{0:2, 1:1}, {{0.1, 0.2}, {0.3, 0.4}}>> -> tensor<4x2x!qy>
  return %y : tensor<4x2x!qy>
}

// -----

// qnt_c11 (via qnt_c1): operand storage wider than 16 bits.
!qw = !quant.uniform<i8:f32, 0.25>
!qy = !quant.uniform<i8:f32, 1.0:3>
func.func @matmul_lhs_storage_i32(%a: tensor<4x16x!quant.uniform<i32:f32, 0.5>>, %w: tensor<16x8x!qw>) -> tensor<4x8x!qy> {
  // expected-error@+1 {{'qnt.matmul' op qnt_c1: storage type of 32 bits is outside the supported 2 to 16 bits}}
  %y = qnt.matmul %a, %w : tensor<4x16x!quant.uniform<i32:f32, 0.5>>, tensor<16x8x!qw> -> tensor<4x8x!qy>
  return %y : tensor<4x8x!qy>
}

// -----

// qnt_c11 (via qnt_c1): 17-bit storage is the first width rejected.
!qa = !quant.uniform<i8:f32, 0.5:-1>
!qy = !quant.uniform<i8:f32, 1.0:3>
func.func @matmul_rhs_storage_i17(%a: tensor<4x16x!qa>, %w: tensor<16x8x!quant.uniform<i17:f32, 0.25>>) -> tensor<4x8x!qy> {
  // expected-error@+1 {{'qnt.matmul' op qnt_c1: storage type of 17 bits is outside the supported 2 to 16 bits}}
  %y = qnt.matmul %a, %w : tensor<4x16x!qa>, tensor<16x8x!quant.uniform<i17:f32, 0.25>> -> tensor<4x8x!qy>
  return %y : tensor<4x8x!qy>
}

// -----

// qnt_c11 (via qnt_c4): per-axis scale count must match the axis size.
!qa = !quant.uniform<i8:f32, 0.5:-1>
!qy = !quant.uniform<i8:f32, 1.0:3>
func.func @matmul_rhs_per_axis_count(%a: tensor<4x16x!qa>, %w: tensor<16x8x!quant.uniform<i8:f32:1, {0.5, 0.25}>>) -> tensor<4x8x!qy> {
  // expected-error@+1 {{'qnt.matmul' op qnt_c4: 2 per-axis scales for axis 1 of size 8}}
  %y = qnt.matmul %a, %w : tensor<4x16x!qa>, tensor<16x8x!quant.uniform<i8:f32:1, {0.5, 0.25}>> -> tensor<4x8x!qy>
  return %y : tensor<4x8x!qy>
}

// -----

// qnt_c11: conv2d input is a float tensor.
!qf = !quant.uniform<i8:f32, 0.25>
!qy = !quant.uniform<i8:f32, 1.0:3>
func.func @conv_input_float(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3x!qf>) -> tensor<1x4x6x6x!qy> {
  // expected-error@+1 {{'qnt.conv2d' op qnt_c11: input must be a tensor of !quant.uniform, got 'tensor<1x3x8x8xf32>'}}
  %y = qnt.conv2d %x, %w : tensor<1x3x8x8xf32>, tensor<4x3x3x3x!qf> -> tensor<1x4x6x6x!qy>
  return %y : tensor<1x4x6x6x!qy>
}

// -----

// qnt_c11: conv2d filter holds storage integers.
!qx = !quant.uniform<u8:f32, 0.1:128>
!qy = !quant.uniform<i8:f32, 1.0:3>
func.func @conv_filter_integer(%x: tensor<1x3x8x8x!qx>, %w: tensor<4x3x3x3xi8>) -> tensor<1x4x6x6x!qy> {
  // expected-error@+1 {{'qnt.conv2d' op qnt_c11: filter must be a tensor of !quant.uniform, got 'tensor<4x3x3x3xi8>'}}
  %y = qnt.conv2d %x, %w : tensor<1x3x8x8x!qx>, tensor<4x3x3x3xi8> -> tensor<1x4x6x6x!qy>
  return %y : tensor<1x4x6x6x!qy>
}

// -----

// qnt_c11: conv2d input must be per tensor.
!qf = !quant.uniform<i8:f32, 0.25>
!qy = !quant.uniform<i8:f32, 1.0:3>
func.func @conv_input_per_axis(%x: tensor<1x2x8x8x!quant.uniform<i8:f32:1, {0.5, 0.25}>>, %w: tensor<4x2x3x3x!qf>) -> tensor<1x4x6x6x!qy> {
  // expected-error@+1 {{'qnt.conv2d' op qnt_c11: input must be quantized per tensor}}
  %y = qnt.conv2d %x, %w : tensor<1x2x8x8x!quant.uniform<i8:f32:1, {0.5, 0.25}>>, tensor<4x2x3x3x!qf> -> tensor<1x4x6x6x!qy>
  return %y : tensor<1x4x6x6x!qy>
}

// -----

// qnt_c11: an NCHW filter is per axis on F (axis 0), not on C.
!qx = !quant.uniform<u8:f32, 0.1:128>
!qy = !quant.uniform<i8:f32, 1.0:3>
func.func @conv_nchw_filter_wrong_axis(%x: tensor<1x2x8x8x!qx>, %w: tensor<4x2x3x3x!quant.uniform<i8:f32:1, {0.5, 0.25}>>) -> tensor<1x4x6x6x!qy> {
  // expected-error@+1 {{'qnt.conv2d' op qnt_c11: filter may be quantized per axis only on its output-channel dimension 0, not 1}}
  %y = qnt.conv2d %x, %w : tensor<1x2x8x8x!qx>, tensor<4x2x3x3x!quant.uniform<i8:f32:1, {0.5, 0.25}>> -> tensor<1x4x6x6x!qy>
  return %y : tensor<1x4x6x6x!qy>
}

// -----

// qnt_c11: an NHWC filter [KH, KW, C, F] is per axis on F (axis 3).
!qx = !quant.uniform<u8:f32, 0.1:128>
!qy = !quant.uniform<i8:f32, 1.0:3>
func.func @conv_nhwc_filter_wrong_axis(%x: tensor<1x8x8x2x!qx>, %w: tensor<3x3x2x4x!quant.uniform<i8:f32:2, {0.5, 0.25}>>) -> tensor<1x6x6x4x!qy> {
  // expected-error@+1 {{'qnt.conv2d' op qnt_c11: filter may be quantized per axis only on its output-channel dimension 3, not 2}}
  %y = qnt.conv2d %x, %w {layout = #qnt.layout<nhwc>} : tensor<1x8x8x2x!qx>, tensor<3x3x2x4x!quant.uniform<i8:f32:2, {0.5, 0.25}>> -> tensor<1x6x6x4x!qy>
  return %y : tensor<1x6x6x4x!qy>
}

// -----

// qnt_c11: a sub-channel conv2d filter.
!qx = !quant.uniform<u8:f32, 0.1:128>
!qy = !quant.uniform<i8:f32, 1.0:3>
func.func @conv_filter_sub_channel(%x: tensor<1x1x3x3x!qx>, %w: tensor<2x1x1x1x!quant.uniform<i8:f32:{0:1}, {{{{0.1}}}, {{{0.2}}}}>>) -> tensor<1x2x3x3x!qy> {
  // expected-error@+1 {{'qnt.conv2d' op qnt_c11: filter cannot use sub-channel quantization}}
  %y = qnt.conv2d %x, %w : tensor<1x1x3x3x!qx>, tensor<2x1x1x1x!quant.uniform<i8:f32:{0:1}, {{{{0.1}}}, {{{0.2}}}}>> -> tensor<1x2x3x3x!qy>
  return %y : tensor<1x2x3x3x!qy>
}

// -----

// qnt_c11: qnt.add operands are quantized.
!qb = !quant.uniform<i8:f32, 0.25>
!qy = !quant.uniform<i8:f32, 1.0:3>
func.func @add_lhs_float(%a: tensor<4xf32>, %b: tensor<4x!qb>) -> tensor<4x!qy> {
  // expected-error@+1 {{'qnt.add' op qnt_c11: lhs must be a tensor of !quant.uniform, got 'tensor<4xf32>'}}
  %y = qnt.add %a, %b : tensor<4xf32>, tensor<4x!qb> -> tensor<4x!qy>
  return %y : tensor<4x!qy>
}

// -----

// qnt_c11: qnt.mul operands are per tensor, rhs included.
!qa = !quant.uniform<i8:f32, 0.5:-1>
!qy = !quant.uniform<i8:f32, 1.0:3>
func.func @mul_rhs_per_axis(%a: tensor<2x!qa>, %b: tensor<2x!quant.uniform<i8:f32:0, {0.5, 0.25}>>) -> tensor<2x!qy> {
  // expected-error@+1 {{'qnt.mul' op qnt_c11: rhs must be quantized per tensor}}
  %y = qnt.mul %a, %b : tensor<2x!qa>, tensor<2x!quant.uniform<i8:f32:0, {0.5, 0.25}>> -> tensor<2x!qy>
  return %y : tensor<2x!qy>
}

// -----

// qnt_c11 (via qnt_c1): 32-bit storage for an elementwise operand.
!qb = !quant.uniform<i8:f32, 0.25>
!qy = !quant.uniform<i8:f32, 1.0:3>
func.func @add_lhs_storage_i32(%a: tensor<4x!quant.uniform<i32:f32, 0.5>>, %b: tensor<4x!qb>) -> tensor<4x!qy> {
  // expected-error@+1 {{'qnt.add' op qnt_c1: storage type of 32 bits is outside the supported 2 to 16 bits}}
  %y = qnt.add %a, %b : tensor<4x!quant.uniform<i32:f32, 0.5>>, tensor<4x!qb> -> tensor<4x!qy>
  return %y : tensor<4x!qy>
}

//===----------------------------------------------------------------------===//
// qnt_c12: matmul shapes
//===----------------------------------------------------------------------===//

// -----

// qnt_c12: rank 1 is neither a matrix nor a batch of matrices.
!qa = !quant.uniform<i8:f32, 0.5:-1>
!qw = !quant.uniform<i8:f32, 0.25>
!qy = !quant.uniform<i8:f32, 1.0:3>
func.func @matmul_rank1(%a: tensor<16x!qa>, %w: tensor<16x!qw>) -> tensor<1x!qy> {
  // expected-error@+1 {{'qnt.matmul' op qnt_c12: operands and result must all have rank 2, or all rank 3 (batched)}}
  %y = qnt.matmul %a, %w : tensor<16x!qa>, tensor<16x!qw> -> tensor<1x!qy>
  return %y : tensor<1x!qy>
}

// -----

// qnt_c12: rank 4 is not a batched matmul either.
!qa = !quant.uniform<i8:f32, 0.5:-1>
!qw = !quant.uniform<i8:f32, 0.25>
!qy = !quant.uniform<i8:f32, 1.0:3>
func.func @matmul_rank4(%a: tensor<1x2x4x16x!qa>, %w: tensor<1x2x16x8x!qw>) -> tensor<1x2x4x8x!qy> {
  // expected-error@+1 {{'qnt.matmul' op qnt_c12: operands and result must all have rank 2, or all rank 3 (batched)}}
  %y = qnt.matmul %a, %w : tensor<1x2x4x16x!qa>, tensor<1x2x16x8x!qw> -> tensor<1x2x4x8x!qy>
  return %y : tensor<1x2x4x8x!qy>
}

// -----

// qnt_c12: rank-3 lhs with a rank-2 rhs (no broadcasting).
!qa = !quant.uniform<i8:f32, 0.5:-1>
!qw = !quant.uniform<i8:f32, 0.25>
!qy = !quant.uniform<i8:f32, 1.0:3>
func.func @matmul_rank_mismatch(%a: tensor<2x4x16x!qa>, %w: tensor<16x8x!qw>) -> tensor<2x4x8x!qy> {
  // expected-error@+1 {{'qnt.matmul' op qnt_c12: operands and result must all have rank 2, or all rank 3 (batched)}}
  %y = qnt.matmul %a, %w : tensor<2x4x16x!qa>, tensor<16x8x!qw> -> tensor<2x4x8x!qy>
  return %y : tensor<2x4x8x!qy>
}

// -----

// qnt_c12: result rank differs from the operands'.
!qa = !quant.uniform<i8:f32, 0.5:-1>
!qw = !quant.uniform<i8:f32, 0.25>
!qy = !quant.uniform<i8:f32, 1.0:3>
func.func @matmul_result_rank(%a: tensor<4x16x!qa>, %w: tensor<16x8x!qw>) -> tensor<1x4x8x!qy> {
  // expected-error@+1 {{'qnt.matmul' op qnt_c12: operands and result must all have rank 2, or all rank 3 (batched)}}
  %y = qnt.matmul %a, %w : tensor<4x16x!qa>, tensor<16x8x!qw> -> tensor<1x4x8x!qy>
  return %y : tensor<1x4x8x!qy>
}

// -----

// qnt_c12: the contraction sizes differ.
!qa = !quant.uniform<i8:f32, 0.5:-1>
!qw = !quant.uniform<i8:f32, 0.25>
!qy = !quant.uniform<i8:f32, 1.0:3>
func.func @matmul_k_mismatch(%a: tensor<4x16x!qa>, %w: tensor<15x8x!qw>) -> tensor<4x8x!qy> {
  // expected-error@+1 {{'qnt.matmul' op qnt_c12: lhs has K = 16 but rhs has K = 15}}
  %y = qnt.matmul %a, %w : tensor<4x16x!qa>, tensor<15x8x!qw> -> tensor<4x8x!qy>
  return %y : tensor<4x8x!qy>
}

// -----

// qnt_c12: batch sizes of lhs and rhs differ.
!qa = !quant.uniform<i8:f32, 0.5:-1>
!qw = !quant.uniform<i8:f32, 0.25>
!qy = !quant.uniform<i8:f32, 1.0:3>
func.func @batch_matmul_batch_mismatch(%a: tensor<2x4x16x!qa>, %w: tensor<3x16x8x!qw>) -> tensor<2x4x8x!qy> {
  // expected-error@+1 {{'qnt.matmul' op qnt_c12: batch sizes differ}}
  %y = qnt.matmul %a, %w : tensor<2x4x16x!qa>, tensor<3x16x8x!qw> -> tensor<2x4x8x!qy>
  return %y : tensor<2x4x8x!qy>
}

// -----

// qnt_c12: the result batch differs from the operands'.
!qa = !quant.uniform<i8:f32, 0.5:-1>
!qw = !quant.uniform<i8:f32, 0.25>
func.func @batch_matmul_result_batch(%a: tensor<2x4x16x!qa>, %w: tensor<2x16x8x!qw>) -> tensor<3x4x8xi32> {
  // expected-error@+1 {{'qnt.matmul' op qnt_c12: batch sizes differ}}
  %y = qnt.matmul %a, %w : tensor<2x4x16x!qa>, tensor<2x16x8x!qw> -> tensor<3x4x8xi32>
  return %y : tensor<3x4x8xi32>
}

// -----

// qnt_c12: the result is [m, n].
!qa = !quant.uniform<i8:f32, 0.5:-1>
!qw = !quant.uniform<i8:f32, 0.25>
!qy = !quant.uniform<i8:f32, 1.0:3>
func.func @matmul_result_shape(%a: tensor<4x16x!qa>, %w: tensor<16x8x!qw>) -> tensor<4x9x!qy> {
  // expected-error@+1 {{'qnt.matmul' op qnt_c12: result shape 'tensor<4x9x!quant.uniform<i8:f32, 1.000000e+00:3>>' is not [m, n] = [4, 8]}}
  %y = qnt.matmul %a, %w : tensor<4x16x!qa>, tensor<16x8x!qw> -> tensor<4x9x!qy>
  return %y : tensor<4x9x!qy>
}

// -----

// qnt_c12: dynamic sizes must still agree where they are known.
!qa = !quant.uniform<i8:f32, 0.5:-1>
!qw = !quant.uniform<i8:f32, 0.25>
func.func @matmul_result_shape_dynamic(%a: tensor<?x16x!qa>, %w: tensor<16x8x!qw>) -> tensor<?x7xi32> {
  // expected-error@+1 {{'qnt.matmul' op qnt_c12: result shape 'tensor<?x7xi32>' is not [m, n]}}
  %y = qnt.matmul %a, %w : tensor<?x16x!qa>, tensor<16x8x!qw> -> tensor<?x7xi32>
  return %y : tensor<?x7xi32>
}

//===----------------------------------------------------------------------===//
// qnt_c13: bias
//===----------------------------------------------------------------------===//

// -----

// qnt_c13: the bias is 1-D.
!qa = !quant.uniform<i8:f32, 0.5:-1>
!qw = !quant.uniform<i8:f32, 0.25>
!qy = !quant.uniform<i8:f32, 1.0:3>
func.func @matmul_bias_rank(%a: tensor<4x16x!qa>, %w: tensor<16x8x!qw>, %b: tensor<1x8xi32>) -> tensor<4x8x!qy> {
  // expected-error@+1 {{'qnt.matmul' op qnt_c13: bias must be a 1-D i32 tensor, got 'tensor<1x8xi32>'}}
  %y = qnt.matmul %a, %w bias %b : tensor<4x16x!qa>, tensor<16x8x!qw>, tensor<1x8xi32> -> tensor<4x8x!qy>
  return %y : tensor<4x8x!qy>
}

// -----

// qnt_c13: the bias is i32, not the storage type.
!qa = !quant.uniform<i8:f32, 0.5:-1>
!qw = !quant.uniform<i8:f32, 0.25>
!qy = !quant.uniform<i8:f32, 1.0:3>
func.func @matmul_bias_type(%a: tensor<4x16x!qa>, %w: tensor<16x8x!qw>, %b: tensor<8xi8>) -> tensor<4x8x!qy> {
  // expected-error@+1 {{'qnt.matmul' op qnt_c13: bias must be a 1-D i32 tensor, got 'tensor<8xi8>'}}
  %y = qnt.matmul %a, %w bias %b : tensor<4x16x!qa>, tensor<16x8x!qw>, tensor<8xi8> -> tensor<4x8x!qy>
  return %y : tensor<4x8x!qy>
}

// -----

// qnt_c13: a float bias is rejected too.
!qx = !quant.uniform<u8:f32, 0.1:128>
!qf = !quant.uniform<i8:f32, 0.25>
!qy = !quant.uniform<i8:f32, 1.0:3>
func.func @conv_bias_float(%x: tensor<1x3x8x8x!qx>, %w: tensor<4x3x3x3x!qf>, %b: tensor<4xf32>) -> tensor<1x4x6x6x!qy> {
  // expected-error@+1 {{'qnt.conv2d' op qnt_c13: bias must be a 1-D i32 tensor, got 'tensor<4xf32>'}}
  %y = qnt.conv2d %x, %w bias %b : tensor<1x3x8x8x!qx>, tensor<4x3x3x3x!qf>, tensor<4xf32> -> tensor<1x4x6x6x!qy>
  return %y : tensor<1x4x6x6x!qy>
}

// -----

// qnt_c13: one bias value per output channel.
!qa = !quant.uniform<i8:f32, 0.5:-1>
!qw = !quant.uniform<i8:f32, 0.25>
!qy = !quant.uniform<i8:f32, 1.0:3>
func.func @matmul_bias_size(%a: tensor<4x16x!qa>, %w: tensor<16x8x!qw>, %b: tensor<7xi32>) -> tensor<4x8x!qy> {
  // expected-error@+1 {{'qnt.matmul' op qnt_c13: bias has 7 values for 8 output channels}}
  %y = qnt.matmul %a, %w bias %b : tensor<4x16x!qa>, tensor<16x8x!qw>, tensor<7xi32> -> tensor<4x8x!qy>
  return %y : tensor<4x8x!qy>
}

// -----

// qnt_c13: conv2d bias has F values (F = 4 here, not C = 3).
!qx = !quant.uniform<u8:f32, 0.1:128>
!qf = !quant.uniform<i8:f32, 0.25>
!qy = !quant.uniform<i8:f32, 1.0:3>
func.func @conv_bias_size(%x: tensor<1x3x8x8x!qx>, %w: tensor<4x3x3x3x!qf>, %b: tensor<3xi32>) -> tensor<1x4x6x6x!qy> {
  // expected-error@+1 {{'qnt.conv2d' op qnt_c13: bias has 3 values for 4 output channels}}
  %y = qnt.conv2d %x, %w bias %b : tensor<1x3x8x8x!qx>, tensor<4x3x3x3x!qf>, tensor<3xi32> -> tensor<1x4x6x6x!qy>
  return %y : tensor<1x4x6x6x!qy>
}

//===----------------------------------------------------------------------===//
// qnt_c14: result type
//===----------------------------------------------------------------------===//

// -----

// qnt_c14: a float result is neither quantized nor the i32 accumulator.
!qa = !quant.uniform<i8:f32, 0.5:-1>
!qw = !quant.uniform<i8:f32, 0.25>
func.func @matmul_result_float(%a: tensor<4x16x!qa>, %w: tensor<16x8x!qw>) -> tensor<4x8xf32> {
  // expected-error@+1 {{'qnt.matmul' op qnt_c14: result must be a per-tensor !quant.uniform tensor or an i32 tensor, got 'tensor<4x8xf32>'}}
  %y = qnt.matmul %a, %w : tensor<4x16x!qa>, tensor<16x8x!qw> -> tensor<4x8xf32>
  return %y : tensor<4x8xf32>
}

// -----

// qnt_c14: only i32 is the unrequantized accumulator, not i16.
!qx = !quant.uniform<u8:f32, 0.1:128>
!qf = !quant.uniform<i8:f32, 0.25>
func.func @conv_result_i16(%x: tensor<1x3x8x8x!qx>, %w: tensor<4x3x3x3x!qf>) -> tensor<1x4x6x6xi16> {
  // expected-error@+1 {{'qnt.conv2d' op qnt_c14: result must be a per-tensor !quant.uniform tensor or an i32 tensor, got 'tensor<1x4x6x6xi16>'}}
  %y = qnt.conv2d %x, %w : tensor<1x3x8x8x!qx>, tensor<4x3x3x3x!qf> -> tensor<1x4x6x6xi16>
  return %y : tensor<1x4x6x6xi16>
}

// -----

// qnt_c14: a per-axis result is not supported.
!qa = !quant.uniform<i8:f32, 0.5:-1>
!qw = !quant.uniform<i8:f32, 0.25>
func.func @matmul_result_per_axis(%a: tensor<4x16x!qa>, %w: tensor<16x2x!qw>) -> tensor<4x2x!quant.uniform<i8:f32:1, {0.5, 0.25}>> {
  // expected-error@+1 {{'qnt.matmul' op qnt_c14: result must be a per-tensor !quant.uniform tensor or an i32 tensor}}
  %y = qnt.matmul %a, %w : tensor<4x16x!qa>, tensor<16x2x!qw> -> tensor<4x2x!quant.uniform<i8:f32:1, {0.5, 0.25}>>
  return %y : tensor<4x2x!quant.uniform<i8:f32:1, {0.5, 0.25}>>
}

// -----

// qnt_c14 (via qnt_c1): result storage wider than 16 bits.
!qa = !quant.uniform<i8:f32, 0.5:-1>
!qw = !quant.uniform<i8:f32, 0.25>
func.func @matmul_result_storage_i32(%a: tensor<4x16x!qa>, %w: tensor<16x8x!qw>) -> tensor<4x8x!quant.uniform<i32:f32, 1.0>> {
  // expected-error@+1 {{'qnt.matmul' op qnt_c1: storage type of 32 bits is outside the supported 2 to 16 bits}}
  %y = qnt.matmul %a, %w : tensor<4x16x!qa>, tensor<16x8x!qw> -> tensor<4x8x!quant.uniform<i32:f32, 1.0>>
  return %y : tensor<4x8x!quant.uniform<i32:f32, 1.0>>
}

// -----

// qnt_c14: the result expresses f16 while the operands express f32.
!qa = !quant.uniform<i8:f32, 0.5:-1>
!qw = !quant.uniform<i8:f32, 0.25>
func.func @matmul_result_expressed(%a: tensor<4x16x!qa>, %w: tensor<16x8x!qw>) -> tensor<4x8x!quant.uniform<i8:f16, 1.0>> {
  // expected-error@+1 {{'qnt.matmul' op qnt_c14: operands and result must share one expressed type}}
  %y = qnt.matmul %a, %w : tensor<4x16x!qa>, tensor<16x8x!qw> -> tensor<4x8x!quant.uniform<i8:f16, 1.0>>
  return %y : tensor<4x8x!quant.uniform<i8:f16, 1.0>>
}

// -----

// qnt_c14: the operands disagree on the expressed type.
!qx = !quant.uniform<u8:f32, 0.1:128>
!qy = !quant.uniform<i8:f32, 1.0:3>
func.func @conv_filter_expressed(%x: tensor<1x3x8x8x!qx>, %w: tensor<4x3x3x3x!quant.uniform<i8:bf16, 0.25>>) -> tensor<1x4x6x6x!qy> {
  // expected-error@+1 {{'qnt.conv2d' op qnt_c14: operands and result must share one expressed type}}
  %y = qnt.conv2d %x, %w : tensor<1x3x8x8x!qx>, tensor<4x3x3x3x!quant.uniform<i8:bf16, 0.25>> -> tensor<1x4x6x6x!qy>
  return %y : tensor<1x4x6x6x!qy>
}

// -----

// qnt_c14: qnt.add has no i32 result form.
!qa = !quant.uniform<i8:f32, 0.5:-1>
!qb = !quant.uniform<i8:f32, 0.25>
func.func @add_result_i32(%a: tensor<4x!qa>, %b: tensor<4x!qb>) -> tensor<4xi32> {
  // expected-error@+1 {{'qnt.add' op qnt_c14: result must be a per-tensor !quant.uniform tensor, got 'tensor<4xi32>'}}
  %y = qnt.add %a, %b : tensor<4x!qa>, tensor<4x!qb> -> tensor<4xi32>
  return %y : tensor<4xi32>
}

// -----

// qnt_c14: qnt.mul has no i32 result form.
!qa = !quant.uniform<i8:f32, 0.5:-1>
!qb = !quant.uniform<i8:f32, 0.25>
func.func @mul_result_i32(%a: tensor<4x!qa>, %b: tensor<4x!qb>) -> tensor<4xi32> {
  // expected-error@+1 {{'qnt.mul' op qnt_c14: result must be a per-tensor !quant.uniform tensor, got 'tensor<4xi32>'}}
  %y = qnt.mul %a, %b : tensor<4x!qa>, tensor<4x!qb> -> tensor<4xi32>
  return %y : tensor<4xi32>
}

// -----

// qnt_c14: elementwise operands share the expressed type.
!qa = !quant.uniform<i8:f32, 0.5:-1>
!qy = !quant.uniform<i8:f32, 1.0:3>
func.func @mul_rhs_expressed(%a: tensor<4x!qa>, %b: tensor<4x!quant.uniform<i8:f16, 0.25>>) -> tensor<4x!qy> {
  // expected-error@+1 {{'qnt.mul' op qnt_c14: operands and result must share one expressed type}}
  %y = qnt.mul %a, %b : tensor<4x!qa>, tensor<4x!quant.uniform<i8:f16, 0.25>> -> tensor<4x!qy>
  return %y : tensor<4x!qy>
}

//===----------------------------------------------------------------------===//
// qnt_c15: clamps
//===----------------------------------------------------------------------===//

// -----

// qnt_c15: clamp_max above the i8 storage range.
!qa = !quant.uniform<i8:f32, 0.5:-1>
!qw = !quant.uniform<i8:f32, 0.25>
!qy = !quant.uniform<i8:f32, 1.0:3>
func.func @matmul_clamp_max_range(%a: tensor<4x16x!qa>, %w: tensor<16x8x!qw>) -> tensor<4x8x!qy> {
  // expected-error@+1 {{'qnt.matmul' op qnt_c15: clamp_max 200 is outside the result storage range [-128, 127]}}
  %y = qnt.matmul %a, %w {clamp_max = 200 : i64} : tensor<4x16x!qa>, tensor<16x8x!qw> -> tensor<4x8x!qy>
  return %y : tensor<4x8x!qy>
}

// -----

// qnt_c15: clamp_min below the u8 storage range.
!qx = !quant.uniform<u8:f32, 0.1:128>
!qf = !quant.uniform<i8:f32, 0.25>
func.func @conv_clamp_min_range(%x: tensor<1x3x8x8x!qx>, %w: tensor<4x3x3x3x!qf>) -> tensor<1x4x6x6x!quant.uniform<u8:f32, 1.0:3>> {
  // expected-error@+1 {{'qnt.conv2d' op qnt_c15: clamp_min -1 is outside the result storage range [0, 255]}}
  %y = qnt.conv2d %x, %w {clamp_min = -1 : i64} : tensor<1x3x8x8x!qx>, tensor<4x3x3x3x!qf> -> tensor<1x4x6x6x!quant.uniform<u8:f32, 1.0:3>>
  return %y : tensor<1x4x6x6x!quant.uniform<u8:f32, 1.0:3>>
}

// -----

// qnt_c15: the range is the narrow one of a narrow-range result.
!qa = !quant.uniform<i8:f32, 0.5:-1>
!qb = !quant.uniform<i8:f32, 0.25>
func.func @add_clamp_min_narrow(%a: tensor<4x!qa>, %b: tensor<4x!qb>) -> tensor<4x!quant.uniform<i8<-127:127>:f32, 1.0>> {
  // expected-error@+1 {{'qnt.add' op qnt_c15: clamp_min -128 is outside the result storage range [-127, 127]}}
  %y = qnt.add %a, %b {clamp_min = -128 : i64} : tensor<4x!qa>, tensor<4x!qb> -> tensor<4x!quant.uniform<i8<-127:127>:f32, 1.0>>
  return %y : tensor<4x!quant.uniform<i8<-127:127>:f32, 1.0>>
}

// -----

// qnt_c15: an empty clamp range.
!qa = !quant.uniform<i8:f32, 0.5:-1>
!qw = !quant.uniform<i8:f32, 0.25>
!qy = !quant.uniform<i8:f32, 1.0:3>
func.func @matmul_clamp_inverted(%a: tensor<4x16x!qa>, %w: tensor<16x8x!qw>) -> tensor<4x8x!qy> {
  // expected-error@+1 {{'qnt.matmul' op qnt_c15: clamp_min 10 exceeds clamp_max 9}}
  %y = qnt.matmul %a, %w {clamp_min = 10 : i64, clamp_max = 9 : i64} : tensor<4x16x!qa>, tensor<16x8x!qw> -> tensor<4x8x!qy>
  return %y : tensor<4x8x!qy>
}

// -----

// qnt_c15: an empty clamp range on qnt.mul.
!qa = !quant.uniform<i8:f32, 0.5:-1>
!qb = !quant.uniform<i8:f32, 0.25>
!qy = !quant.uniform<i8:f32, 1.0:3>
func.func @mul_clamp_inverted(%a: tensor<4x!qa>, %b: tensor<4x!qb>) -> tensor<4x!qy> {
  // expected-error@+1 {{'qnt.mul' op qnt_c15: clamp_min 0 exceeds clamp_max -1}}
  %y = qnt.mul %a, %b {clamp_min = 0 : i64, clamp_max = -1 : i64} : tensor<4x!qa>, tensor<4x!qb> -> tensor<4x!qy>
  return %y : tensor<4x!qy>
}

// -----

// qnt_c15: an i32 result is the raw accumulator and takes no clamp.
!qa = !quant.uniform<i8:f32, 0.5:-1>
!qw = !quant.uniform<i8:f32, 0.25>
func.func @matmul_i32_clamp(%a: tensor<4x16x!qa>, %w: tensor<16x8x!qw>) -> tensor<4x8xi32> {
  // expected-error@+1 {{'qnt.matmul' op qnt_c15: an i32 result is not requantized and takes no clamp}}
  %y = qnt.matmul %a, %w {clamp_min = 0 : i64} : tensor<4x16x!qa>, tensor<16x8x!qw> -> tensor<4x8xi32>
  return %y : tensor<4x8xi32>
}

// -----

// qnt_c15: clamp_max alone on an i32 conv2d result.
!qx = !quant.uniform<u8:f32, 0.1:128>
!qf = !quant.uniform<i8:f32, 0.25>
func.func @conv_i32_clamp(%x: tensor<1x3x8x8x!qx>, %w: tensor<4x3x3x3x!qf>) -> tensor<1x4x6x6xi32> {
  // expected-error@+1 {{'qnt.conv2d' op qnt_c15: an i32 result is not requantized and takes no clamp}}
  %y = qnt.conv2d %x, %w {clamp_max = 100 : i64} : tensor<1x3x8x8x!qx>, tensor<4x3x3x3x!qf> -> tensor<1x4x6x6xi32>
  return %y : tensor<1x4x6x6xi32>
}

//===----------------------------------------------------------------------===//
// qnt_c16: Q31 multipliers in integer mode
//===----------------------------------------------------------------------===//

// -----

// qnt_c16: M = 1 * 1 / 1e-10 = 1e10 needs more than 30 integer bits.
!q1 = !quant.uniform<i8:f32, 1.0>
!qy = !quant.uniform<i8:f32, 1.0e-10>
func.func @matmul_integer_multiplier_huge(%a: tensor<4x16x!q1>, %w: tensor<16x8x!q1>) -> tensor<4x8x!qy> {
  // expected-error@+1 {{'qnt.matmul' op qnt_c16: requantization multiplier 1.000000e+10 has no Q31 multiplier and shift in [1, 62]}}
  %y = qnt.matmul %a, %w {requantize = #qnt.requantize<integer>} : tensor<4x16x!q1>, tensor<16x8x!q1> -> tensor<4x8x!qy>
  return %y : tensor<4x8x!qy>
}

// -----

// qnt_c16: one per-channel multiplier (1e-6 * 1e-6 / 1 = 1e-12 < 2^-32)
// is below the smallest Q31 form; the other channel is fine.
!qa = !quant.uniform<i8:f32, 1.0e-6>
!qy = !quant.uniform<i8:f32, 1.0>
func.func @matmul_integer_multiplier_tiny(%a: tensor<4x16x!qa>, %w: tensor<16x2x!quant.uniform<i8:f32:1, {1.0e6, 1.0e-6}>>) -> tensor<4x2x!qy> {
  // expected-error@+1 {{'qnt.matmul' op qnt_c16: requantization multiplier 1.000000e-12 has no Q31 multiplier and shift in [1, 62]}}
  %y = qnt.matmul %a, %w {requantize = #qnt.requantize<integer>} : tensor<4x16x!qa>, tensor<16x2x!quant.uniform<i8:f32:1, {1.0e6, 1.0e-6}>> -> tensor<4x2x!qy>
  return %y : tensor<4x2x!qy>
}

// -----

// qnt_c16: the same huge multiplier on conv2d.
!q1 = !quant.uniform<i8:f32, 1.0>
!qy = !quant.uniform<i8:f32, 1.0e-10>
func.func @conv_integer_multiplier_huge(%x: tensor<1x3x8x8x!q1>, %w: tensor<4x3x3x3x!q1>) -> tensor<1x4x6x6x!qy> {
  // expected-error@+1 {{'qnt.conv2d' op qnt_c16: requantization multiplier 1.000000e+10 has no Q31 multiplier and shift in [1, 62]}}
  %y = qnt.conv2d %x, %w {requantize = #qnt.requantize<integer>} : tensor<1x3x8x8x!q1>, tensor<4x3x3x3x!q1> -> tensor<1x4x6x6x!qy>
  return %y : tensor<1x4x6x6x!qy>
}

// -----

// qnt_c16: add's output multiplier 2 * 1 / (2^20 * 1e-20) is far above 2^30.
!q1 = !quant.uniform<i8:f32, 1.0>
!qy = !quant.uniform<i8:f32, 1.0e-20>
func.func @add_integer_multiplier_huge(%a: tensor<4x!q1>, %b: tensor<4x!q1>) -> tensor<4x!qy> {
  // expected-error@+1 {{'qnt.add' op qnt_c16: requantization multiplier 1.907349e+14 has no Q31 multiplier and shift in [1, 62]}}
  %y = qnt.add %a, %b {requantize = #qnt.requantize<integer>} : tensor<4x!q1>, tensor<4x!q1> -> tensor<4x!qy>
  return %y : tensor<4x!qy>
}

// -----

// qnt_c16: add's input multiplier s_a / (2 * s_b) = 5e-13 is below 2^-32.
!qa = !quant.uniform<i8:f32, 1.0e-12>
!q1 = !quant.uniform<i8:f32, 1.0>
func.func @add_integer_multiplier_tiny(%a: tensor<4x!qa>, %b: tensor<4x!q1>) -> tensor<4x!q1> {
  // expected-error@+1 {{'qnt.add' op qnt_c16: requantization multiplier 5.000000e-13 has no Q31 multiplier and shift in [1, 62]}}
  %y = qnt.add %a, %b {requantize = #qnt.requantize<integer>} : tensor<4x!qa>, tensor<4x!q1> -> tensor<4x!q1>
  return %y : tensor<4x!q1>
}

// -----

// qnt_c16: mul's multiplier 1 * 1 / 1e-10.
!q1 = !quant.uniform<i8:f32, 1.0>
!qy = !quant.uniform<i8:f32, 1.0e-10>
func.func @mul_integer_multiplier_huge(%a: tensor<4x!q1>, %b: tensor<4x!q1>) -> tensor<4x!qy> {
  // expected-error@+1 {{'qnt.mul' op qnt_c16: requantization multiplier 1.000000e+10 has no Q31 multiplier and shift in [1, 62]}}
  %y = qnt.mul %a, %b {requantize = #qnt.requantize<integer>} : tensor<4x!q1>, tensor<4x!q1> -> tensor<4x!qy>
  return %y : tensor<4x!qy>
}

//===----------------------------------------------------------------------===//
// qnt_c17: i32 accumulator bound
//===----------------------------------------------------------------------===//

// -----

// qnt_c17: 131072 * 128 * 128 = 2^31 is one more than i32 holds (131071
// passes, see compute-ops.mlir).
!q1 = !quant.uniform<i8:f32, 1.0>
func.func @matmul_accumulator_edge(%a: tensor<1x131072x!q1>, %w: tensor<131072x1x!q1>) -> tensor<1x1xi32> {
  // expected-error@+1 {{'qnt.matmul' op qnt_c17: the i32 accumulator can overflow: 131072 products of magnitude up to 128 * 128 exceed 2^31 - 1; split the reduction}}
  %y = qnt.matmul %a, %w : tensor<1x131072x!q1>, tensor<131072x1x!q1> -> tensor<1x1xi32>
  return %y : tensor<1x1xi32>
}

// -----

// qnt_c17: K = 140000 i8 x i8.
!q1 = !quant.uniform<i8:f32, 1.0>
func.func @matmul_accumulator_overflow(%a: tensor<4x140000x!q1>, %w: tensor<140000x8x!q1>) -> tensor<4x8xi32> {
  // expected-error@+1 {{'qnt.matmul' op qnt_c17: the i32 accumulator can overflow: 140000 products of magnitude up to 128 * 128 exceed 2^31 - 1; split the reduction}}
  %y = qnt.matmul %a, %w : tensor<4x140000x!q1>, tensor<140000x8x!q1> -> tensor<4x8xi32>
  return %y : tensor<4x8xi32>
}

// -----

// qnt_c17: the zero point widens the magnitude: u8 with zp 0 reaches 255,
// i8 with zp 127 reaches 255; 33026 * 255 * 255 > 2^31 - 1 (33025 fits).
func.func @matmul_accumulator_zero_points(%a: tensor<1x33026x!quant.uniform<u8:f32, 1.0>>, %w: tensor<33026x1x!quant.uniform<i8:f32, 1.0:127>>) -> tensor<1x1xi32> {
  // expected-error@+1 {{'qnt.matmul' op qnt_c17: the i32 accumulator can overflow: 33026 products of magnitude up to 255 * 255 exceed 2^31 - 1; split the reduction}}
  %y = qnt.matmul %a, %w : tensor<1x33026x!quant.uniform<u8:f32, 1.0>>, tensor<33026x1x!quant.uniform<i8:f32, 1.0:127>> -> tensor<1x1xi32>
  return %y : tensor<1x1xi32>
}

// -----

// qnt_c17: a dynamic K cannot be bounded.
!qa = !quant.uniform<i8:f32, 0.5:-1>
!qw = !quant.uniform<i8:f32, 0.25>
!qy = !quant.uniform<i8:f32, 1.0:3>
func.func @matmul_dynamic_k(%a: tensor<4x?x!qa>, %w: tensor<?x8x!qw>) -> tensor<4x8x!qy> {
  // expected-error@+1 {{'qnt.matmul' op qnt_c17: the reduction size must be static to bound the i32 accumulator}}
  %y = qnt.matmul %a, %w : tensor<4x?x!qa>, tensor<?x8x!qw> -> tensor<4x8x!qy>
  return %y : tensor<4x8x!qy>
}

// -----

// qnt_c17: conv2d reduces over C/groups * KH * KW = 35000 * 2 * 2.
!q1 = !quant.uniform<i8:f32, 1.0>
func.func @conv_accumulator_overflow(%x: tensor<1x35000x2x2x!q1>, %w: tensor<1x35000x2x2x!q1>) -> tensor<1x1x1x1xi32> {
  // expected-error@+1 {{'qnt.conv2d' op qnt_c17: the i32 accumulator can overflow: 140000 products of magnitude up to 128 * 128 exceed 2^31 - 1; split the reduction}}
  %y = qnt.conv2d %x, %w : tensor<1x35000x2x2x!q1>, tensor<1x35000x2x2x!q1> -> tensor<1x1x1x1xi32>
  return %y : tensor<1x1x1x1xi32>
}

//===----------------------------------------------------------------------===//
// qnt_c18: conv2d shapes and attributes
//===----------------------------------------------------------------------===//

// -----

// qnt_c18: the input is rank 4.
!qx = !quant.uniform<u8:f32, 0.1:128>
!qf = !quant.uniform<i8:f32, 0.25>
!qy = !quant.uniform<i8:f32, 1.0:3>
func.func @conv_rank(%x: tensor<3x8x8x!qx>, %w: tensor<4x3x3x3x!qf>) -> tensor<1x4x6x6x!qy> {
  // expected-error@+1 {{'qnt.conv2d' op qnt_c18: input, filter and result must have rank 4}}
  %y = qnt.conv2d %x, %w : tensor<3x8x8x!qx>, tensor<4x3x3x3x!qf> -> tensor<1x4x6x6x!qy>
  return %y : tensor<1x4x6x6x!qy>
}

// -----

// qnt_c18: three strides for two spatial dimensions.
!qx = !quant.uniform<u8:f32, 0.1:128>
!qf = !quant.uniform<i8:f32, 0.25>
!qy = !quant.uniform<i8:f32, 1.0:3>
func.func @conv_strides_count(%x: tensor<1x3x8x8x!qx>, %w: tensor<4x3x3x3x!qf>) -> tensor<1x4x6x6x!qy> {
  // expected-error@+1 {{'qnt.conv2d' op qnt_c18: expected 2 strides, 2 dilations and 4 paddings [top, left, bottom, right]}}
  %y = qnt.conv2d %x, %w {strides = array<i64: 1, 1, 1>} : tensor<1x3x8x8x!qx>, tensor<4x3x3x3x!qf> -> tensor<1x4x6x6x!qy>
  return %y : tensor<1x4x6x6x!qy>
}

// -----

// qnt_c18: one dilation.
!qx = !quant.uniform<u8:f32, 0.1:128>
!qf = !quant.uniform<i8:f32, 0.25>
!qy = !quant.uniform<i8:f32, 1.0:3>
func.func @conv_dilations_count(%x: tensor<1x3x8x8x!qx>, %w: tensor<4x3x3x3x!qf>) -> tensor<1x4x6x6x!qy> {
  // expected-error@+1 {{'qnt.conv2d' op qnt_c18: expected 2 strides, 2 dilations and 4 paddings [top, left, bottom, right]}}
  %y = qnt.conv2d %x, %w {dilations = array<i64: 1>} : tensor<1x3x8x8x!qx>, tensor<4x3x3x3x!qf> -> tensor<1x4x6x6x!qy>
  return %y : tensor<1x4x6x6x!qy>
}

// -----

// qnt_c18: symmetric two-value padding is not accepted; four values are.
!qx = !quant.uniform<u8:f32, 0.1:128>
!qf = !quant.uniform<i8:f32, 0.25>
!qy = !quant.uniform<i8:f32, 1.0:3>
func.func @conv_padding_count(%x: tensor<1x3x8x8x!qx>, %w: tensor<4x3x3x3x!qf>) -> tensor<1x4x8x8x!qy> {
  // expected-error@+1 {{'qnt.conv2d' op qnt_c18: expected 2 strides, 2 dilations and 4 paddings [top, left, bottom, right]}}
  %y = qnt.conv2d %x, %w {padding = array<i64: 1, 1>} : tensor<1x3x8x8x!qx>, tensor<4x3x3x3x!qf> -> tensor<1x4x8x8x!qy>
  return %y : tensor<1x4x8x8x!qy>
}

// -----

// qnt_c18: a zero stride.
!qx = !quant.uniform<u8:f32, 0.1:128>
!qf = !quant.uniform<i8:f32, 0.25>
!qy = !quant.uniform<i8:f32, 1.0:3>
func.func @conv_stride_zero(%x: tensor<1x3x8x8x!qx>, %w: tensor<4x3x3x3x!qf>) -> tensor<1x4x6x6x!qy> {
  // expected-error@+1 {{'qnt.conv2d' op qnt_c18: strides and dilations must be positive and paddings non-negative}}
  %y = qnt.conv2d %x, %w {strides = array<i64: 1, 0>} : tensor<1x3x8x8x!qx>, tensor<4x3x3x3x!qf> -> tensor<1x4x6x6x!qy>
  return %y : tensor<1x4x6x6x!qy>
}

// -----

// qnt_c18: a negative dilation.
!qx = !quant.uniform<u8:f32, 0.1:128>
!qf = !quant.uniform<i8:f32, 0.25>
!qy = !quant.uniform<i8:f32, 1.0:3>
func.func @conv_dilation_negative(%x: tensor<1x3x8x8x!qx>, %w: tensor<4x3x3x3x!qf>) -> tensor<1x4x6x6x!qy> {
  // expected-error@+1 {{'qnt.conv2d' op qnt_c18: strides and dilations must be positive and paddings non-negative}}
  %y = qnt.conv2d %x, %w {dilations = array<i64: -1, 1>} : tensor<1x3x8x8x!qx>, tensor<4x3x3x3x!qf> -> tensor<1x4x6x6x!qy>
  return %y : tensor<1x4x6x6x!qy>
}

// -----

// qnt_c18: a negative padding (a crop) is not a convolution padding.
!qx = !quant.uniform<u8:f32, 0.1:128>
!qf = !quant.uniform<i8:f32, 0.25>
!qy = !quant.uniform<i8:f32, 1.0:3>
func.func @conv_padding_negative(%x: tensor<1x3x8x8x!qx>, %w: tensor<4x3x3x3x!qf>) -> tensor<1x4x5x6x!qy> {
  // expected-error@+1 {{'qnt.conv2d' op qnt_c18: strides and dilations must be positive and paddings non-negative}}
  %y = qnt.conv2d %x, %w {padding = array<i64: 0, 0, -1, 0>} : tensor<1x3x8x8x!qx>, tensor<4x3x3x3x!qf> -> tensor<1x4x5x6x!qy>
  return %y : tensor<1x4x5x6x!qy>
}

// -----

// qnt_c18: groups = 2 does not divide C = 3.
!qx = !quant.uniform<u8:f32, 0.1:128>
!qf = !quant.uniform<i8:f32, 0.25>
!qy = !quant.uniform<i8:f32, 1.0:3>
func.func @conv_groups_channels(%x: tensor<1x3x8x8x!qx>, %w: tensor<4x1x3x3x!qf>) -> tensor<1x4x6x6x!qy> {
  // expected-error@+1 {{'qnt.conv2d' op qnt_c18: groups 2 must divide the 3 input channels and the 4 filters}}
  %y = qnt.conv2d %x, %w {groups = 2 : i64} : tensor<1x3x8x8x!qx>, tensor<4x1x3x3x!qf> -> tensor<1x4x6x6x!qy>
  return %y : tensor<1x4x6x6x!qy>
}

// -----

// qnt_c18: groups = 4 divides C = 4 but not F = 6.
!qx = !quant.uniform<u8:f32, 0.1:128>
!qf = !quant.uniform<i8:f32, 0.25>
!qy = !quant.uniform<i8:f32, 1.0:3>
func.func @conv_groups_filters(%x: tensor<1x4x8x8x!qx>, %w: tensor<6x1x3x3x!qf>) -> tensor<1x6x6x6x!qy> {
  // expected-error@+1 {{'qnt.conv2d' op qnt_c18: groups 4 must divide the 4 input channels and the 6 filters}}
  %y = qnt.conv2d %x, %w {groups = 4 : i64} : tensor<1x4x8x8x!qx>, tensor<6x1x3x3x!qf> -> tensor<1x6x6x6x!qy>
  return %y : tensor<1x6x6x6x!qy>
}

// -----

// qnt_c18: groups must be positive.
!qx = !quant.uniform<u8:f32, 0.1:128>
!qf = !quant.uniform<i8:f32, 0.25>
!qy = !quant.uniform<i8:f32, 1.0:3>
func.func @conv_groups_zero(%x: tensor<1x3x8x8x!qx>, %w: tensor<4x3x3x3x!qf>) -> tensor<1x4x6x6x!qy> {
  // expected-error@+1 {{'qnt.conv2d' op qnt_c18: groups 0 must divide the 3 input channels and the 4 filters}}
  %y = qnt.conv2d %x, %w {groups = 0 : i64} : tensor<1x3x8x8x!qx>, tensor<4x3x3x3x!qf> -> tensor<1x4x6x6x!qy>
  return %y : tensor<1x4x6x6x!qy>
}

// -----

// qnt_c18: with groups = 2 and C = 4, each filter sees 2 channels, not 4.
!qx = !quant.uniform<u8:f32, 0.1:128>
!qf = !quant.uniform<i8:f32, 0.25>
!qy = !quant.uniform<i8:f32, 1.0:3>
func.func @conv_filter_channels(%x: tensor<1x4x8x8x!qx>, %w: tensor<4x4x3x3x!qf>) -> tensor<1x4x6x6x!qy> {
  // expected-error@+1 {{'qnt.conv2d' op qnt_c18: filter has 4 channels per group, expected 2}}
  %y = qnt.conv2d %x, %w {groups = 2 : i64} : tensor<1x4x8x8x!qx>, tensor<4x4x3x3x!qf> -> tensor<1x4x6x6x!qy>
  return %y : tensor<1x4x6x6x!qy>
}

// -----

// qnt_c18: NHWC filter channels are dimension 2 of [KH, KW, C, F].
!qx = !quant.uniform<u8:f32, 0.1:128>
!qf = !quant.uniform<i8:f32, 0.25>
!qy = !quant.uniform<i8:f32, 1.0:3>
func.func @conv_nhwc_filter_channels(%x: tensor<1x8x8x3x!qx>, %w: tensor<3x3x4x4x!qf>) -> tensor<1x6x6x4x!qy> {
  // expected-error@+1 {{'qnt.conv2d' op qnt_c18: filter has 4 channels per group, expected 3}}
  %y = qnt.conv2d %x, %w {layout = #qnt.layout<nhwc>} : tensor<1x8x8x3x!qx>, tensor<3x3x4x4x!qf> -> tensor<1x6x6x4x!qy>
  return %y : tensor<1x6x6x4x!qy>
}

// -----

// qnt_c18: a dynamic kernel height.
!qx = !quant.uniform<u8:f32, 0.1:128>
!qf = !quant.uniform<i8:f32, 0.25>
!qy = !quant.uniform<i8:f32, 1.0:3>
func.func @conv_filter_dynamic_kh(%x: tensor<1x3x8x8x!qx>, %w: tensor<4x3x?x3x!qf>) -> tensor<1x4x?x6x!qy> {
  // expected-error@+1 {{'qnt.conv2d' op qnt_c18: filter sizes must be static}}
  %y = qnt.conv2d %x, %w : tensor<1x3x8x8x!qx>, tensor<4x3x?x3x!qf> -> tensor<1x4x?x6x!qy>
  return %y : tensor<1x4x?x6x!qy>
}

// -----

// qnt_c18: a dynamic filter channel count.
!qx = !quant.uniform<u8:f32, 0.1:128>
!qf = !quant.uniform<i8:f32, 0.25>
!qy = !quant.uniform<i8:f32, 1.0:3>
func.func @conv_filter_dynamic_channels(%x: tensor<1x3x8x8x!qx>, %w: tensor<4x?x3x3x!qf>) -> tensor<1x4x6x6x!qy> {
  // expected-error@+1 {{'qnt.conv2d' op qnt_c18: filter sizes must be static}}
  %y = qnt.conv2d %x, %w : tensor<1x3x8x8x!qx>, tensor<4x?x3x3x!qf> -> tensor<1x4x6x6x!qy>
  return %y : tensor<1x4x6x6x!qy>
}

// -----

// qnt_c18: a 3x3 kernel on a 2x2 input without padding.
!qx = !quant.uniform<u8:f32, 0.1:128>
!qf = !quant.uniform<i8:f32, 0.25>
!qy = !quant.uniform<i8:f32, 1.0:3>
func.func @conv_kernel_too_large(%x: tensor<1x1x2x2x!qx>, %w: tensor<1x1x3x3x!qf>) -> tensor<1x1x1x1x!qy> {
  // expected-error@+1 {{'qnt.conv2d' op qnt_c18: the dilated kernel does not fit the padded input}}
  %y = qnt.conv2d %x, %w : tensor<1x1x2x2x!qx>, tensor<1x1x3x3x!qf> -> tensor<1x1x1x1x!qy>
  return %y : tensor<1x1x1x1x!qy>
}

// -----

// qnt_c18: a 3x3 kernel with dilation 3 spans 7 > 5 + 1 padding in W.
!qx = !quant.uniform<u8:f32, 0.1:128>
!qf = !quant.uniform<i8:f32, 0.25>
!qy = !quant.uniform<i8:f32, 1.0:3>
func.func @conv_dilated_kernel_too_large(%x: tensor<1x1x7x5x!qx>, %w: tensor<1x1x3x3x!qf>) -> tensor<1x1x1x1x!qy> {
  // expected-error@+1 {{'qnt.conv2d' op qnt_c18: the dilated kernel does not fit the padded input}}
  %y = qnt.conv2d %x, %w {dilations = array<i64: 3, 3>, padding = array<i64: 0, 1, 0, 0>} : tensor<1x1x7x5x!qx>, tensor<1x1x3x3x!qf> -> tensor<1x1x1x1x!qy>
  return %y : tensor<1x1x1x1x!qy>
}

// -----

// qnt_c18: OH = (8 + 1 + 1 - 3) / 2 + 1 = 4, not 5.
!qx = !quant.uniform<u8:f32, 0.1:128>
!qf = !quant.uniform<i8:f32, 0.25>
!qy = !quant.uniform<i8:f32, 1.0:3>
func.func @conv_result_shape(%x: tensor<1x3x8x8x!qx>, %w: tensor<4x3x3x3x!qf>) -> tensor<1x4x5x4x!qy> {
  // expected-error@+1 {{'qnt.conv2d' op qnt_c18: result shape 'tensor<1x4x5x4x!quant.uniform<i8:f32, 1.000000e+00:3>>' differs from the computed 'tensor<1x4x4x4x!quant.uniform<i8:f32, 1.000000e+00:3>>'}}
  %y = qnt.conv2d %x, %w {strides = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>} : tensor<1x3x8x8x!qx>, tensor<4x3x3x3x!qf> -> tensor<1x4x5x4x!qy>
  return %y : tensor<1x4x5x4x!qy>
}

// -----

// qnt_c18: an NCHW-shaped result for an NHWC convolution.
!qx = !quant.uniform<u8:f32, 0.1:128>
!qf = !quant.uniform<i8:f32, 0.25>
func.func @conv_nhwc_result_shape(%x: tensor<1x8x8x3x!qx>, %w: tensor<3x3x3x4x!qf>) -> tensor<1x4x6x6xi32> {
  // expected-error@+1 {{'qnt.conv2d' op qnt_c18: result shape 'tensor<1x4x6x6xi32>' differs from the computed 'tensor<1x6x6x4xi32>'}}
  %y = qnt.conv2d %x, %w {layout = #qnt.layout<nhwc>} : tensor<1x8x8x3x!qx>, tensor<3x3x3x4x!qf> -> tensor<1x4x6x6xi32>
  return %y : tensor<1x4x6x6xi32>
}

//===----------------------------------------------------------------------===//
// qnt_c19: elementwise ops
//===----------------------------------------------------------------------===//

// -----

// qnt_c19: operand shapes differ (no broadcasting).
!qa = !quant.uniform<i8:f32, 0.5:-1>
!qb = !quant.uniform<i8:f32, 0.25>
!qy = !quant.uniform<i8:f32, 1.0:3>
func.func @add_shape_mismatch(%a: tensor<4x!qa>, %b: tensor<1x!qb>) -> tensor<4x!qy> {
  // expected-error@+1 {{'qnt.add' op qnt_c19: operands and result must have one shape}}
  %y = qnt.add %a, %b : tensor<4x!qa>, tensor<1x!qb> -> tensor<4x!qy>
  return %y : tensor<4x!qy>
}

// -----

// qnt_c19: the result shape differs from the operands'.
!qa = !quant.uniform<i8:f32, 0.5:-1>
!qb = !quant.uniform<i8:f32, 0.25>
!qy = !quant.uniform<i8:f32, 1.0:3>
func.func @mul_result_shape(%a: tensor<2x3x!qa>, %b: tensor<2x3x!qb>) -> tensor<3x2x!qy> {
  // expected-error@+1 {{'qnt.mul' op qnt_c19: operands and result must have one shape}}
  %y = qnt.mul %a, %b : tensor<2x3x!qa>, tensor<2x3x!qb> -> tensor<3x2x!qy>
  return %y : tensor<3x2x!qy>
}

// -----

// qnt_c19: ranks differ.
!qa = !quant.uniform<i8:f32, 0.5:-1>
!qb = !quant.uniform<i8:f32, 0.25>
!qy = !quant.uniform<i8:f32, 1.0:3>
func.func @add_rank_mismatch(%a: tensor<4x!qa>, %b: tensor<4x!qb>) -> tensor<1x4x!qy> {
  // expected-error@+1 {{'qnt.add' op qnt_c19: operands and result must have one shape}}
  %y = qnt.add %a, %b : tensor<4x!qa>, tensor<4x!qb> -> tensor<1x4x!qy>
  return %y : tensor<1x4x!qy>
}

// -----

// qnt_c19: 16-bit storage is fine in float mode but not in integer mode.
!qa = !quant.uniform<i16:f32, 0.5>
!qb = !quant.uniform<i8:f32, 0.25>
!qy = !quant.uniform<i8:f32, 1.0:3>
func.func @add_integer_i16_operand(%a: tensor<4x!qa>, %b: tensor<4x!qb>) -> tensor<4x!qy> {
  // expected-error@+1 {{'qnt.add' op qnt_c19: integer requantization supports at most 8-bit storage}}
  %y = qnt.add %a, %b {requantize = #qnt.requantize<integer>} : tensor<4x!qa>, tensor<4x!qb> -> tensor<4x!qy>
  return %y : tensor<4x!qy>
}

// -----

// qnt_c19: a 16-bit result in integer mode.
!qa = !quant.uniform<i8:f32, 0.5:-1>
!qb = !quant.uniform<u8:f32, 0.25:3>
func.func @mul_integer_i16_result(%a: tensor<4x!qa>, %b: tensor<4x!qb>) -> tensor<4x!quant.uniform<u16:f32, 1.0>> {
  // expected-error@+1 {{'qnt.mul' op qnt_c19: integer requantization supports at most 8-bit storage}}
  %y = qnt.mul %a, %b {requantize = #qnt.requantize<integer>} : tensor<4x!qa>, tensor<4x!qb> -> tensor<4x!quant.uniform<u16:f32, 1.0>>
  return %y : tensor<4x!quant.uniform<u16:f32, 1.0>>
}

// -----

// qnt_c18: only the batch of a convolution input may be dynamic.
func.func @conv_dynamic_spatial(%x: tensor<1x3x?x8x!quant.uniform<u8:f32, 0.1:128>>, %w: tensor<4x3x3x3x!quant.uniform<i8:f32, 0.1>>) -> tensor<1x4x?x6xi32> {
  // expected-error@+1 {{qnt_c18: input channels and spatial sizes must be static (only the batch may be dynamic)}}
  %y = qnt.conv2d %x, %w : tensor<1x3x?x8x!quant.uniform<u8:f32, 0.1:128>>, tensor<4x3x3x3x!quant.uniform<i8:f32, 0.1>> -> tensor<1x4x?x6xi32>
  return %y : tensor<1x4x?x6xi32>
}

// -----

// qnt_c18: window attributes are bounded so that sizes cannot overflow.
func.func @conv_huge_dilation(%x: tensor<1x3x4x4x!quant.uniform<u8:f32, 0.1:128>>, %w: tensor<4x3x3x3x!quant.uniform<i8:f32, 0.1>>) -> tensor<1x4x6x2xi32> {
  // expected-error@+1 {{qnt_c18: strides, dilations and paddings must not exceed 2^30}}
  %y = qnt.conv2d %x, %w {dilations = array<i64: 9223372036854775807, 1>} : tensor<1x3x4x4x!quant.uniform<u8:f32, 0.1:128>>, tensor<4x3x3x3x!quant.uniform<i8:f32, 0.1>> -> tensor<1x4x6x2xi32>
  return %y : tensor<1x4x6x2xi32>
}

// -----

// qnt_c18: the filter count is static.
func.func @conv_dynamic_filters(%x: tensor<1x4x8x8x!quant.uniform<u8:f32, 0.1:128>>, %w: tensor<?x2x3x3x!quant.uniform<i8:f32, 0.1>>) -> tensor<1x4x6x6xi32> {
  // expected-error@+1 {{qnt_c18: filter sizes must be static}}
  %y = qnt.conv2d %x, %w {groups = 2 : i64} : tensor<1x4x8x8x!quant.uniform<u8:f32, 0.1:128>>, tensor<?x2x3x3x!quant.uniform<i8:f32, 0.1>> -> tensor<1x4x6x6xi32>
  return %y : tensor<1x4x6x6xi32>
}
