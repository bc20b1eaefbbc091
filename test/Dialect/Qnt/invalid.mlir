// RUN: quant-opt %s --split-input-file --verify-diagnostics

// Every diagnostic of the qnt verifiers (rule IDs qnt_c1 to qnt_c10 in
// QntOps.td), plus the upstream !quant.uniform parser errors that pre-empt
// some of our checks, so that a change upstream shows up here.

// qnt_c6: the float side must be a tensor of floats.
func.func @quantize_int_input(%x: tensor<4xi32>) {
  // expected-error@+1 {{'qnt.quantize' op qnt_c6: input must be a tensor of floats, got 'tensor<4xi32>'}}
  %q = qnt.quantize %x : tensor<4xi32> -> tensor<4x!quant.uniform<i8:f32, 0.5>>
  return
}

// -----

// qnt_c1: the result must hold !quant.uniform elements.
func.func @quantize_int_result(%x: tensor<4xf32>) {
  // expected-error@+1 {{'qnt.quantize' op qnt_c1: result must be a tensor of !quant.uniform, got 'tensor<4xi8>'}}
  %q = qnt.quantize %x : tensor<4xf32> -> tensor<4xi8>
  return
}

// -----

// qnt_c1: other !quant types are not uniform.
func.func @quantize_any_type(%x: tensor<4xf32>) {
  // expected-error@+1 {{qnt_c1: expected a !quant.uniform element type (per tensor, per axis or sub-channel), got '!quant.any<i8:f32>'}}
  %q = qnt.quantize %x : tensor<4xf32> -> tensor<4x!quant.any<i8:f32>>
  return
}

// -----

// qnt_c1: 1-bit storage is below the supported range.
func.func @quantize_storage_too_narrow(%x: tensor<4xf32>) {
  // expected-error@+1 {{qnt_c1: storage type of 1 bits is outside the supported 2 to 32 bits}}
  %q = qnt.quantize %x : tensor<4xf32> -> tensor<4x!quant.uniform<i1:f32, 0.5>>
  return
}

// -----

// qnt_c1: upstream already rejects storage wider than 32 bits, so our
// check never sees it.
func.func @quantize_storage_too_wide(%x: tensor<4xf32>) {
  // expected-error@+1 {{illegal storage type size: 33}}
  %q = qnt.quantize %x : tensor<4xf32> -> tensor<4x!quant.uniform<i33:f32, 0.5>>
  return
}

// -----

// qnt_c2: upstream rejects non-positive scales while parsing.
func.func @quantize_scale_negative(%x: tensor<4xf32>) {
  // expected-error@+1 {{scale -5.000000e-01 out of expressed type range}}
  %q = qnt.quantize %x : tensor<4xf32> -> tensor<4x!quant.uniform<i8:f32, -0.5>>
  return
}

// -----

// qnt_c2: upstream rejects a zero scale while parsing.
func.func @quantize_scale_zero(%x: tensor<4xf32>) {
  // expected-error@+1 {{scale 0.000000e+00 out of expressed type range}}
  %q = qnt.quantize %x : tensor<4xf32> -> tensor<4x!quant.uniform<i8:f32, 0.0>>
  return
}

// -----

// qnt_c2: a scale that overflows f32 is rejected by upstream.
func.func @quantize_scale_inf_f32(%x: tensor<4xf32>) {
  // expected-error@+1 {{scale 1.000000e+39 out of expressed type range}}
  %q = qnt.quantize %x : tensor<4xf32> -> tensor<4x!quant.uniform<i8:f32, 1.0e39>>
  return
}

// -----

// qnt_c2: a scale that overflows f16 is rejected by upstream.
func.func @quantize_scale_too_large_f16(%x: tensor<4xf16>) {
  // expected-error@+1 {{scale 7.000000e+04 out of expressed type range}}
  %q = qnt.quantize %x : tensor<4xf16> -> tensor<4x!quant.uniform<i8:f16, 70000.0>>
  return
}

// -----

// qnt_c2: upstream's range check lets NaN through.
func.func @quantize_scale_nan(%x: tensor<4xf32>) {
  // expected-error@+1 {{qnt_c2: scale nan must be finite in the expressed type 'f32'}}
  %q = qnt.quantize %x : tensor<4xf32> -> tensor<4x!quant.uniform<i8:f32, 0x7FF8000000000000>>
  return
}

// -----

// qnt_c2: upstream accepts subnormal scales.
func.func @quantize_scale_subnormal_f32(%x: tensor<4xf32>) {
  // expected-error@+1 {{qnt_c2: scale 1.000000e-40 is subnormal in the expressed type 'f32' (subnormal scales are rejected)}}
  %q = qnt.quantize %x : tensor<4xf32> -> tensor<4x!quant.uniform<i8:f32, 1.0e-40>>
  return
}

// -----

// qnt_c2: below the smallest normal f16 (6.1e-5).
func.func @quantize_scale_subnormal_f16(%x: tensor<4xf16>) {
  // expected-error@+1 {{qnt_c2: scale 1.000000e-06 is subnormal in the expressed type 'f16'}}
  %q = qnt.quantize %x : tensor<4xf16> -> tensor<4x!quant.uniform<i8:f16, 1.0e-6>>
  return
}

// -----

// qnt_c2: just below the smallest normal f16 (2^-14 = 6.103515625e-5).
func.func @quantize_scale_subnormal_f16_edge(%x: tensor<4xf16>) {
  // expected-error@+1 {{qnt_c2: scale 6.100000e-05 is subnormal in the expressed type 'f16'}}
  %q = qnt.quantize %x : tensor<4xf16> -> tensor<4x!quant.uniform<i8:f16, 6.1e-05>>
  return
}

// -----

// qnt_c2: below the smallest normal bf16 (1.18e-38).
func.func @quantize_scale_subnormal_bf16(%x: tensor<4xbf16>) {
  // expected-error@+1 {{qnt_c2: scale 1.000000e-39 is subnormal in the expressed type 'bf16'}}
  %q = qnt.quantize %x : tensor<4xbf16> -> tensor<4x!quant.uniform<i8:bf16, 1.0e-39>>
  return
}

// -----

// qnt_c2: below the smallest normal f64 (2.2e-308).
func.func @quantize_scale_subnormal_f64(%x: tensor<4xf64>) {
  // expected-error@+1 {{qnt_c2: scale 1.000000e-310 is subnormal in the expressed type 'f64'}}
  %q = qnt.quantize %x : tensor<4xf64> -> tensor<4x!quant.uniform<i8:f64, 1.0e-310>>
  return
}

// -----

// qnt_c3: upstream accepts any zero point for per-tensor types.
func.func @quantize_zero_point_300_i8(%x: tensor<4xf32>) {
  // expected-error@+1 {{qnt_c3: zero point 300 is outside the storage range [-128, 127]}}
  %q = qnt.quantize %x : tensor<4xf32> -> tensor<4x!quant.uniform<i8:f32, 0.5:300>>
  return
}

// -----

// qnt_c3: one above the i8 maximum.
func.func @quantize_zero_point_128_i8(%x: tensor<4xf32>) {
  // expected-error@+1 {{qnt_c3: zero point 128 is outside the storage range [-128, 127]}}
  %q = qnt.quantize %x : tensor<4xf32> -> tensor<4x!quant.uniform<i8:f32, 0.5:128>>
  return
}

// -----

// qnt_c3: one below the u8 minimum.
func.func @quantize_zero_point_neg_u8(%x: tensor<4xf32>) {
  // expected-error@+1 {{qnt_c3: zero point -1 is outside the storage range [0, 255]}}
  %q = qnt.quantize %x : tensor<4xf32> -> tensor<4x!quant.uniform<u8:f32, 0.5:-1>>
  return
}

// -----

// qnt_c3: the range is the narrow one, not the full i8 range.
func.func @quantize_zero_point_narrow_range(%x: tensor<4xf32>) {
  // expected-error@+1 {{qnt_c3: zero point -128 is outside the storage range [-127, 127]}}
  %q = qnt.quantize %x : tensor<4xf32> -> tensor<4x!quant.uniform<i8<-127:127>:f32, 0.5:-128>>
  return
}

// -----

// Upstream rejects a storage minimum outside the storage type.
func.func @quantize_storage_min_out_of_range(%x: tensor<4xf32>) {
  // expected-error@+1 {{illegal storage type minimum: -200}}
  %q = qnt.quantize %x : tensor<4xf32> -> tensor<4x!quant.uniform<i8<-200:100>:f32, 0.5>>
  return
}

// -----

// qnt_c3: every per-axis zero point is checked.
func.func @quantize_per_axis_zero_point(%x: tensor<2xf32>) {
  // expected-error@+1 {{qnt_c3: zero point 16 is outside the storage range [0, 15]}}
  %q = qnt.quantize %x : tensor<2xf32> -> tensor<2x!quant.uniform<u4:f32:0, {0.5:3, 0.25:16}>>
  return
}

// -----

// qnt_c2: every per-axis scale is checked.
func.func @quantize_per_axis_scale(%x: tensor<2xf32>) {
  // expected-error@+1 {{qnt_c2: scale 1.000000e-40 is subnormal in the expressed type 'f32'}}
  %q = qnt.quantize %x : tensor<2xf32> -> tensor<2x!quant.uniform<i8:f32:0, {0.5, 1.0e-40}>>
  return
}

// -----

// qnt_c4
func.func @quantize_per_axis_axis_out_of_range(%x: tensor<2x3xf32>) {
  // expected-error@+1 {{qnt_c4: quantized axis 2 is out of range for a rank-2 tensor}}
  %q = qnt.quantize %x : tensor<2x3xf32> -> tensor<2x3x!quant.uniform<i8:f32:2, {0.5, 0.25, 0.125}>>
  return
}

// -----

// qnt_c4: upstream rejects a negative axis while parsing.
func.func @quantize_per_axis_negative_axis(%x: tensor<2xf32>) {
  // expected-error@+1 {{illegal quantized dimension: -1}}
  %q = qnt.quantize %x : tensor<2xf32> -> tensor<2x!quant.uniform<i8:f32:-1, {0.5, 0.25}>>
  return
}

// -----

// qnt_c4
func.func @quantize_per_axis_scale_count(%x: tensor<2x3xf32>) {
  // expected-error@+1 {{qnt_c4: 2 per-axis scales for axis 1 of size 3}}
  %q = qnt.quantize %x : tensor<2x3xf32> -> tensor<2x3x!quant.uniform<i8:f32:1, {0.5, 0.25}>>
  return
}

// -----

// qnt_c4: the scale count cannot be checked against a dynamic axis, and the
// generated code would index the scales with the run-time size.
func.func @quantize_per_axis_dynamic_axis(%x: tensor<?x4xf32>) {
  // expected-error@+1 {{'qnt.quantize' op qnt_c4: quantized axis 0 must have a static size}}
  %q = qnt.quantize %x : tensor<?x4xf32> -> tensor<?x4x!quant.uniform<i8:f32:0, {0.5, 0.25}>>
  return
}

// -----

// qnt_c4
func.func @quantize_per_axis_unranked(%x: tensor<*xf32>) {
  // expected-error@+1 {{qnt_c4: per-axis quantization needs a ranked tensor}}
  %q = qnt.quantize %x : tensor<*xf32> -> tensor<*x!quant.uniform<i8:f32:0, {0.5, 0.25}>>
  return
}

// -----

// qnt_c5
func.func @quantize_sub_channel_unranked(%x: tensor<*xf32>) {
  // expected-error@+1 {{qnt_c5: sub-channel quantization needs a ranked tensor}}
  %q = qnt.quantize %x : tensor<*xf32> -> tensor<*x!quant.uniform<i8:f32:{0:2,1:1}, {{0.1, 0.2}, {0.3, 0.4}}>>
  return
}

// -----

// qnt_c5
func.func @quantize_sub_channel_rank(%x: tensor<4x2x3xf32>) {
  // expected-error@+1 {{qnt_c5: sub-channel scales have rank 2 but the tensor has rank 3}}
  %q = qnt.quantize %x : tensor<4x2x3xf32> -> tensor<4x2x3x!quant.uniform<i8:f32:{0:2,1:1}, {{0.1, 0.2}, {0.3, 0.4}}>>
  return
}

// -----

// qnt_c5: upstream does not bound the quantized dimensions.
func.func @quantize_sub_channel_dim_out_of_range(%x: tensor<4x2xf32>) {
  // expected-error@+1 {{qnt_c5: quantized dimension 2 is out of range for a rank-2 tensor}}
  %q = qnt.quantize %x : tensor<4x2xf32> -> tensor<4x2x!quant.uniform<i8:f32:{0:2,2:1}, {{0.1, 0.2}, {0.3, 0.4}}>>
  return
}

// -----

// qnt_c5
func.func @quantize_sub_channel_block_not_dividing(%x: tensor<4x2xf32>) {
  // expected-error@+1 {{qnt_c5: block size 3 does not divide dimension 0 of size 4}}
  %q = qnt.quantize %x : tensor<4x2xf32> -> tensor<4x2x!quant.uniform<i8:f32:{0:3,1:1}, {{0.1, 0.2}, {0.3, 0.4}}>>
  return
}

// -----

// qnt_c5: upstream rejects a block size of 0 while parsing.
func.func @quantize_sub_channel_block_zero(%x: tensor<4x2xf32>) {
  // expected-error@+1 {{illegal block size: 0}}
  %q = qnt.quantize %x : tensor<4x2xf32> -> tensor<4x2x!quant.uniform<i8:f32:{0:0,1:1}, {{0.1, 0.2}, {0.3, 0.4}}>>
  return
}

// -----

// qnt_c5: 4 / 1 = 4 blocks along dimension 0, 2 scales.
func.func @quantize_sub_channel_scale_entries(%x: tensor<4x2xf32>) {
  // expected-error@+1 {{qnt_c5: sub-channel scales have 2 entries along dimension 0 but it has 4 blocks}}
  %q = qnt.quantize %x : tensor<4x2xf32> -> tensor<4x2x!quant.uniform<i8:f32:{0:1,1:1}, {{0.1, 0.2}, {0.3, 0.4}}>>
  return
}

// -----

// qnt_c5: a dimension without a block size is one block.
func.func @quantize_sub_channel_implicit_block(%x: tensor<4x2xf32>) {
  // expected-error@+1 {{qnt_c5: sub-channel scales have 2 entries along dimension 1 but it has 1 blocks}}
  %q = qnt.quantize %x : tensor<4x2xf32> -> tensor<4x2x!quant.uniform<i8:f32:{0:2}, {{0.1, 0.2}, {0.3, 0.4}}>>
  return
}

// -----

// qnt_c5: a dimension with a block size must be static.
func.func @quantize_sub_channel_dynamic_blocked_dim(%x: tensor<?x4xf32>) {
  // expected-error@+1 {{'qnt.quantize' op qnt_c5: blocked dimension 0 must have a static size}}
  %q = qnt.quantize %x : tensor<?x4xf32> -> tensor<?x4x!quant.uniform<i8:f32:{0:2}, {{0.5}, {0.25}}>>
  return
}

// -----

// qnt_c5: a dynamic dimension without a block size is one block, so it cannot
// have more than one scale entry.
func.func @quantize_sub_channel_dynamic_implicit_block(%x: tensor<?x8xf32>) {
  // expected-error@+1 {{'qnt.quantize' op qnt_c5: blocked dimension 0 must have a static size}}
  %q = qnt.quantize %x : tensor<?x8xf32> -> tensor<?x8x!quant.uniform<i8:f32:{1:4}, {{0.1, 0.2}, {0.3, 0.4}}>>
  return
}

// -----

// qnt_c2: every sub-channel scale is checked.
func.func @quantize_sub_channel_scale_subnormal(%x: tensor<4x2xf32>) {
  // expected-error@+1 {{qnt_c2: scale 9.999946e-41 is subnormal in the expressed type 'f32'}}
  %q = qnt.quantize %x : tensor<4x2xf32> -> tensor<4x2x!quant.uniform<i8:f32:{0:2,1:1}, {{0.1, 1.0e-40}, {0.3, 0.4}}>>
  return
}

// -----

// qnt_c2
func.func @quantize_sub_channel_scale_nan(%x: tensor<4x2xf32>) {
  // expected-error@+1 {{qnt_c2: scale nan must be finite in the expressed type 'f32'}}
  %q = qnt.quantize %x : tensor<4x2xf32> -> tensor<4x2x!quant.uniform<i8:f32:{0:2,1:1}, {{0.1, 0x7FF8000000000000}, {0.3, 0.4}}>>
  return
}

// -----

// qnt_c3: every sub-channel zero point is checked.
func.func @quantize_sub_channel_zero_point(%x: tensor<4x2xf32>) {
  // expected-error@+1 {{qnt_c3: zero point 20 is outside the storage range [-10, 10]}}
  %q = qnt.quantize %x : tensor<4x2xf32> -> tensor<4x2x!quant.uniform<i8<-10:10>:f32:{0:2,1:1}, {{0.1:20, 0.2}, {0.3, 0.4}}>>
  return
}

// -----

// qnt_c6
func.func @quantize_expressed_mismatch(%x: tensor<4xf16>) {
  // expected-error@+1 {{qnt_c6: expressed type 'f32' of the quantized type differs from the float element type 'f16'}}
  %q = qnt.quantize %x : tensor<4xf16> -> tensor<4x!quant.uniform<i8:f32, 0.5>>
  return
}

// -----

// qnt_c1: upstream rejects a non-float expressed type while parsing.
func.func @quantize_expressed_not_float(%x: tensor<4xf32>) {
  // expected-error@+1 {{invalid kind of type specified}}
  %q = qnt.quantize %x : tensor<4xf32> -> tensor<4x!quant.uniform<i8:i32, 0.5>>
  return
}

// -----

// qnt_c6
func.func @quantize_shape_mismatch(%x: tensor<4xf32>) {
  // expected-error@+1 {{qnt_c6: shapes of 'tensor<4xf32>' and 'tensor<2x2x!quant.uniform<i8:f32, 5.000000e-01>>' differ}}
  %q = qnt.quantize %x : tensor<4xf32> -> tensor<2x2x!quant.uniform<i8:f32, 0.5>>
  return
}

// -----

// qnt_c1
func.func @dequantize_int_input(%q: tensor<4xi8>) {
  // expected-error@+1 {{'qnt.dequantize' op qnt_c1: input must be a tensor of !quant.uniform, got 'tensor<4xi8>'}}
  %x = qnt.dequantize %q : tensor<4xi8> -> tensor<4xf32>
  return
}

// -----

// qnt_c1
func.func @dequantize_calibrated_input(%q: tensor<4x!quant.calibrated<f32<-1.0:1.0>>>) {
  // expected-error@+1 {{'qnt.dequantize' op qnt_c1: expected a !quant.uniform element type (per tensor, per axis or sub-channel), got '!quant.calibrated<f32<-1.000000e+00:1.000000e+00>>'}}
  %x = qnt.dequantize %q : tensor<4x!quant.calibrated<f32<-1.0:1.0>>> -> tensor<4xf32>
  return
}

// -----

// qnt_c6
func.func @dequantize_int_result(%q: tensor<4x!quant.uniform<i8:f32, 0.5>>) {
  // expected-error@+1 {{'qnt.dequantize' op qnt_c6: result must be a tensor of floats, got 'tensor<4xi32>'}}
  %x = qnt.dequantize %q : tensor<4x!quant.uniform<i8:f32, 0.5>> -> tensor<4xi32>
  return
}

// -----

// qnt_c6
func.func @dequantize_expressed_mismatch(%q: tensor<4x!quant.uniform<i8:f32, 0.5>>) {
  // expected-error@+1 {{'qnt.dequantize' op qnt_c6: expressed type 'f32' of the quantized type differs from the float element type 'f16'}}
  %x = qnt.dequantize %q : tensor<4x!quant.uniform<i8:f32, 0.5>> -> tensor<4xf16>
  return
}

// -----

// qnt_c6
func.func @dequantize_shape_mismatch(%q: tensor<4x!quant.uniform<i8:f32, 0.5>>) {
  // expected-error@+1 {{'qnt.dequantize' op qnt_c6: shapes of 'tensor<8xf32>' and 'tensor<4x!quant.uniform<i8:f32, 5.000000e-01>>' differ}}
  %x = qnt.dequantize %q : tensor<4x!quant.uniform<i8:f32, 0.5>> -> tensor<8xf32>
  return
}

// -----

// qnt_c1
func.func @dequantize_storage_too_narrow(%q: tensor<4x!quant.uniform<u1:f32, 0.5>>) {
  // expected-error@+1 {{'qnt.dequantize' op qnt_c1: storage type of 1 bits is outside the supported 2 to 32 bits}}
  %x = qnt.dequantize %q : tensor<4x!quant.uniform<u1:f32, 0.5>> -> tensor<4xf32>
  return
}

// -----

// qnt_c2
func.func @dequantize_scale_subnormal(%q: tensor<4x!quant.uniform<i8:f32, 1.0e-40>>) {
  // expected-error@+1 {{'qnt.dequantize' op qnt_c2: scale 1.000000e-40 is subnormal in the expressed type 'f32'}}
  %x = qnt.dequantize %q : tensor<4x!quant.uniform<i8:f32, 1.0e-40>> -> tensor<4xf32>
  return
}

// -----

// qnt_c3
func.func @dequantize_zero_point(%q: tensor<4x!quant.uniform<i8:f32, 0.5:300>>) {
  // expected-error@+1 {{'qnt.dequantize' op qnt_c3: zero point 300 is outside the storage range [-128, 127]}}
  %x = qnt.dequantize %q : tensor<4x!quant.uniform<i8:f32, 0.5:300>> -> tensor<4xf32>
  return
}

// -----

// qnt_c4
func.func @dequantize_per_axis_scale_count(%q: tensor<3x!quant.uniform<i8:f32:0, {0.5, 0.25}>>) {
  // expected-error@+1 {{'qnt.dequantize' op qnt_c4: 2 per-axis scales for axis 0 of size 3}}
  %x = qnt.dequantize %q : tensor<3x!quant.uniform<i8:f32:0, {0.5, 0.25}>> -> tensor<3xf32>
  return
}

// -----

// qnt_c4
func.func @dequantize_per_axis_dynamic_axis(%q: tensor<4x?x!quant.uniform<i8:f32:1, {0.5, 0.25}>>) {
  // expected-error@+1 {{'qnt.dequantize' op qnt_c4: quantized axis 1 must have a static size}}
  %x = qnt.dequantize %q : tensor<4x?x!quant.uniform<i8:f32:1, {0.5, 0.25}>> -> tensor<4x?xf32>
  return
}

// -----

// qnt_c5
func.func @dequantize_sub_channel_block(%q: tensor<6x!quant.uniform<i8:f32:{0:4}, {0.5, 0.25}>>) {
  // expected-error@+1 {{'qnt.dequantize' op qnt_c5: block size 4 does not divide dimension 0 of size 6}}
  %x = qnt.dequantize %q : tensor<6x!quant.uniform<i8:f32:{0:4}, {0.5, 0.25}>> -> tensor<6xf32>
  return
}

// -----

// qnt_c5
func.func @dequantize_sub_channel_dynamic_blocked_dim(%q: tensor<2x?x!quant.uniform<i8:f32:{1:2}, {{0.5, 0.25}}>>) {
  // expected-error@+1 {{'qnt.dequantize' op qnt_c5: blocked dimension 1 must have a static size}}
  %x = qnt.dequantize %q : tensor<2x?x!quant.uniform<i8:f32:{1:2}, {{0.5, 0.25}}>> -> tensor<2x?xf32>
  return
}

// -----

// qnt_c6
func.func @fake_quant_int_input(%x: tensor<4xi32>) {
  // expected-error@+1 {{'qnt.fake_quant' op qnt_c6: input must be a tensor of floats, got 'tensor<4xi32>'}}
  %y = qnt.fake_quant %x as !quant.uniform<i8:f32, 0.5> : tensor<4xi32>
  return
}

// -----

// qnt_c1
func.func @fake_quant_not_quantized(%x: tensor<4xf32>) {
  // expected-error@+1 {{'qnt.fake_quant' op qnt_c1: expected a !quant.uniform element type (per tensor, per axis or sub-channel), got 'i8'}}
  %y = qnt.fake_quant %x as i8 : tensor<4xf32>
  return
}

// -----

// qnt_c7: fake quantization simulates at most 16 bits.
func.func @fake_quant_storage_i32(%x: tensor<4xf32>) {
  // expected-error@+1 {{'qnt.fake_quant' op qnt_c1: storage type of 32 bits is outside the supported 2 to 16 bits}}
  %y = qnt.fake_quant %x as !quant.uniform<i32:f32, 0.5> : tensor<4xf32>
  return
}

// -----

// qnt_c7: one bit above the limit.
func.func @fake_quant_storage_i17(%x: tensor<4xf32>) {
  // expected-error@+1 {{'qnt.fake_quant' op qnt_c1: storage type of 17 bits is outside the supported 2 to 16 bits}}
  %y = qnt.fake_quant %x as !quant.uniform<i17:f32, 0.5> : tensor<4xf32>
  return
}

// -----

// qnt_c7: one bit below the limit.
func.func @fake_quant_storage_i1(%x: tensor<4xf32>) {
  // expected-error@+1 {{'qnt.fake_quant' op qnt_c1: storage type of 1 bits is outside the supported 2 to 16 bits}}
  %y = qnt.fake_quant %x as !quant.uniform<i1:f32, 0.5> : tensor<4xf32>
  return
}

// -----

// qnt_c6
func.func @fake_quant_expressed_mismatch(%x: tensor<4xf16>) {
  // expected-error@+1 {{'qnt.fake_quant' op qnt_c6: expressed type 'f32' of the quantized type differs from the float element type 'f16'}}
  %y = qnt.fake_quant %x as !quant.uniform<i8:f32, 0.5> : tensor<4xf16>
  return
}

// -----

// qnt_c2
func.func @fake_quant_scale_nan(%x: tensor<4xf16>) {
  // expected-error@+1 {{'qnt.fake_quant' op qnt_c2: scale nan must be finite in the expressed type 'f16'}}
  %y = qnt.fake_quant %x as !quant.uniform<i8:f16, 0x7FF8000000000000> : tensor<4xf16>
  return
}

// -----

// qnt_c2
func.func @fake_quant_scale_subnormal(%x: tensor<4xf16>) {
  // expected-error@+1 {{'qnt.fake_quant' op qnt_c2: scale 1.000000e-05 is subnormal in the expressed type 'f16'}}
  %y = qnt.fake_quant %x as !quant.uniform<i8:f16, 1.0e-5> : tensor<4xf16>
  return
}

// -----

// qnt_c3
func.func @fake_quant_zero_point(%x: tensor<4xf32>) {
  // expected-error@+1 {{'qnt.fake_quant' op qnt_c3: zero point 16 is outside the storage range [0, 15]}}
  %y = qnt.fake_quant %x as !quant.uniform<u4:f32, 0.5:16> : tensor<4xf32>
  return
}

// -----

// qnt_c4
func.func @fake_quant_per_axis_unranked(%x: tensor<*xf32>) {
  // expected-error@+1 {{'qnt.fake_quant' op qnt_c4: per-axis quantization needs a ranked tensor}}
  %y = qnt.fake_quant %x as !quant.uniform<i8:f32:0, {0.5}> : tensor<*xf32>
  return
}

// -----

// qnt_c4
func.func @fake_quant_per_axis_axis_out_of_range(%x: tensor<2xf32>) {
  // expected-error@+1 {{'qnt.fake_quant' op qnt_c4: quantized axis 1 is out of range for a rank-1 tensor}}
  %y = qnt.fake_quant %x as !quant.uniform<i8:f32:1, {0.5, 0.25}> : tensor<2xf32>
  return
}

// -----

// qnt_c4
func.func @fake_quant_per_axis_scale_count(%x: tensor<?x3xf32>) {
  // expected-error@+1 {{'qnt.fake_quant' op qnt_c4: 2 per-axis scales for axis 1 of size 3}}
  %y = qnt.fake_quant %x as !quant.uniform<i8:f32:1, {0.5, 0.25}> : tensor<?x3xf32>
  return
}

// -----

// qnt_c4
func.func @fake_quant_per_axis_dynamic_axis(%x: tensor<?x4xf32>) {
  // expected-error@+1 {{'qnt.fake_quant' op qnt_c4: quantized axis 0 must have a static size}}
  %y = qnt.fake_quant %x as !quant.uniform<i8:f32:0, {0.5, 0.25}> : tensor<?x4xf32>
  return
}

// -----

// qnt_c5
func.func @fake_quant_sub_channel_rank(%x: tensor<4xf32>) {
  // expected-error@+1 {{'qnt.fake_quant' op qnt_c5: sub-channel scales have rank 2 but the tensor has rank 1}}
  %y = qnt.fake_quant %x as !quant.uniform<i8:f32:{0:2}, {{0.1}, {0.2}}> : tensor<4xf32>
  return
}

// -----

// qnt_c5
func.func @fake_quant_sub_channel_block(%x: tensor<4x2xf32>) {
  // expected-error@+1 {{'qnt.fake_quant' op qnt_c5: block size 3 does not divide dimension 0 of size 4}}
  %y = qnt.fake_quant %x as !quant.uniform<i8:f32:{0:3}, {{0.1}, {0.2}}> : tensor<4x2xf32>
  return
}

// -----

// qnt_c5
func.func @fake_quant_sub_channel_dynamic_blocked_dim(%x: tensor<?x4xf32>) {
  // expected-error@+1 {{'qnt.fake_quant' op qnt_c5: blocked dimension 0 must have a static size}}
  %y = qnt.fake_quant %x as !quant.uniform<i8:f32:{0:2}, {{0.5}, {0.25}}> : tensor<?x4xf32>
  return
}

// -----

// qnt_c5: the dynamic dimension 0 is one block; two scale entries along it.
func.func @fake_quant_sub_channel_dynamic_implicit_block(%x: tensor<?x4xf32>) {
  // expected-error@+1 {{'qnt.fake_quant' op qnt_c5: blocked dimension 0 must have a static size}}
  %y = qnt.fake_quant %x as !quant.uniform<i8:f32:{1:4}, {{0.5}, {0.25}}> : tensor<?x4xf32>
  return
}

// -----

// AllTypesMatch: the result type is the input type.
func.func @fake_quant_result_type(%x: tensor<4xf32>) {
  // expected-error@+1 {{'qnt.fake_quant' op failed to verify that all of {input, result} have same type}}
  %y = "qnt.fake_quant"(%x) {quant_type = !quant.uniform<i8:f32, 0.5>} : (tensor<4xf32>) -> tensor<4xf16>
  return
}

// -----

// ODS: quant_type is required.
func.func @fake_quant_missing_quant_type(%x: tensor<4xf32>) {
  // expected-error@+1 {{'qnt.fake_quant' op requires attribute 'quant_type'}}
  %y = "qnt.fake_quant"(%x) : (tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

// qnt_c8
func.func @observe_int_input(%x: tensor<4xi8>) {
  // expected-error@+1 {{'qnt.observe' op qnt_c8: observed value must be a tensor of floats, got 'tensor<4xi8>'}}
  %y = qnt.observe %x {id = "a", kind = #qnt.observer<min_max>} : tensor<4xi8>
  return
}

// -----

// qnt_c9
func.func @observe_empty_id(%x: tensor<4xf32>) {
  // expected-error@+1 {{'qnt.observe' op qnt_c9: observer id must not be empty}}
  %y = qnt.observe %x {id = "", kind = #qnt.observer<min_max>} : tensor<4xf32>
  return
}

// -----

// qnt_c20
func.func @observe_signed_storage(%x: tensor<4xf32>) {
  // expected-error@+1 {{'qnt.observe' op qnt_c20: observer storage must be a signless or unsigned integer type of 2 to 16 bits, got 'si8'}}
  %y = qnt.observe %x {id = "a", kind = #qnt.observer<min_max>, storage = si8} : tensor<4xf32>
  return
}

// -----

// qnt_c20
func.func @observe_wide_storage(%x: tensor<4xf32>) {
  // expected-error@+1 {{'qnt.observe' op qnt_c20: observer storage must be a signless or unsigned integer type of 2 to 16 bits, got 'i32'}}
  %y = qnt.observe %x {id = "a", kind = #qnt.observer<min_max>, storage = i32} : tensor<4xf32>
  return
}

// -----

// qnt_c20
func.func @observe_float_storage(%x: tensor<4xf32>) {
  // expected-error@+1 {{'qnt.observe' op qnt_c20: observer storage must be a signless or unsigned integer type of 2 to 16 bits, got 'f16'}}
  %y = qnt.observe %x {id = "a", kind = #qnt.observer<min_max>, storage = f16} : tensor<4xf32>
  return
}

// -----

// qnt_c9: the error is on the duplicate, a note on the first use.
func.func @observe_duplicate_id(%x: tensor<4xf32>) {
  // expected-note@+1 {{first use of observer id 'conv1.out'}}
  %y = qnt.observe %x {id = "conv1.out", kind = #qnt.observer<min_max>} : tensor<4xf32>
  %z = qnt.observe %y {id = "conv1.in", kind = #qnt.observer<min_max>} : tensor<4xf32>
  // expected-error@+1 {{'qnt.observe' op qnt_c9: observer id 'conv1.out' is not unique in the module}}
  %w = qnt.observe %z {id = "conv1.out", kind = #qnt.observer<histogram>} : tensor<4xf32>
  return
}

// -----

// qnt_c9: ids are unique in the module, not just in a function.
func.func @observe_duplicate_id_f(%x: tensor<4xf32>) {
  // expected-note@+1 {{first use of observer id 'a'}}
  %y = qnt.observe %x {id = "a", kind = #qnt.observer<min_max>} : tensor<4xf32>
  return
}
func.func @observe_duplicate_id_g(%x: tensor<4xf32>) {
  // expected-error@+1 {{'qnt.observe' op qnt_c9: observer id 'a' is not unique in the module}}
  %y = qnt.observe %x {id = "a", kind = #qnt.observer<min_max>} : tensor<4xf32>
  return
}

// -----

// AllTypesMatch: the result type is the input type.
func.func @observe_result_type(%x: tensor<4xf32>) {
  // expected-error@+1 {{'qnt.observe' op failed to verify that all of {input, result} have same type}}
  %y = "qnt.observe"(%x) {id = "a", kind = #qnt.observer<min_max>} : (tensor<4xf32>) -> tensor<8xf32>
  return
}

// -----

// ODS: kind is required.
func.func @observe_missing_kind(%x: tensor<4xf32>) {
  // expected-error@+1 {{'qnt.observe' op requires attribute 'kind'}}
  %y = "qnt.observe"(%x) {id = "a"} : (tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

// qnt_c10
func.func @observe_histogram_without_histogram(%x: tensor<4xf32>) {
  // expected-error@+1 {{'qnt.observe' op qnt_c10: statistics of a histogram observer must include a histogram}}
  %y = qnt.observe %x {id = "a", kind = #qnt.observer<histogram>, stats = #qnt.stats<count = 1, min = -1.0, max = 1.0, avg_min = -1.0, avg_max = 1.0>} : tensor<4xf32>
  return
}

// -----

// qnt_c10: an empty bin list is no histogram.
func.func @observe_histogram_empty_bins(%x: tensor<4xf32>) {
  // expected-error@+1 {{qnt_c10: a histogram needs at least one bin}}
  %y = qnt.observe %x {id = "a", kind = #qnt.observer<histogram>, stats = #qnt.stats<count = 1, min = -1.0, max = 1.0, avg_min = -1.0, avg_max = 1.0, hist_min = -1.0, hist_max = 1.0, histogram = []>} : tensor<4xf32>
  return
}

// -----

// qnt_c10
func.func @stats_negative_count(%x: tensor<4xf32>) {
  // expected-error@+1 {{qnt_c10: statistics count -1 must not be negative}}
  %y = qnt.observe %x {id = "a", kind = #qnt.observer<min_max>, stats = #qnt.stats<count = -1, min = -1.0, max = 1.0, avg_min = -1.0, avg_max = 1.0>} : tensor<4xf32>
  return
}

// -----

// qnt_c10: -inf written as the bits of an f64.
func.func @stats_min_not_finite(%x: tensor<4xf32>) {
  // expected-error@+1 {{qnt_c10: statistic 'min' must be finite}}
  %y = qnt.observe %x {id = "a", kind = #qnt.observer<min_max>, stats = #qnt.stats<count = 1, min = 0xFFF0000000000000, max = 1.0, avg_min = -1.0, avg_max = 1.0>} : tensor<4xf32>
  return
}

// -----

// qnt_c10: +inf.
func.func @stats_max_not_finite(%x: tensor<4xf32>) {
  // expected-error@+1 {{qnt_c10: statistic 'max' must be finite}}
  %y = qnt.observe %x {id = "a", kind = #qnt.observer<min_max>, stats = #qnt.stats<count = 1, min = -1.0, max = 0x7FF0000000000000, avg_min = -1.0, avg_max = 1.0>} : tensor<4xf32>
  return
}

// -----

// qnt_c10: NaN.
func.func @stats_avg_min_not_finite(%x: tensor<4xf32>) {
  // expected-error@+1 {{qnt_c10: statistic 'avg_min' must be finite}}
  %y = qnt.observe %x {id = "a", kind = #qnt.observer<min_max>, stats = #qnt.stats<count = 1, min = -1.0, max = 1.0, avg_min = 0x7FF8000000000000, avg_max = 1.0>} : tensor<4xf32>
  return
}

// -----

// qnt_c10: NaN.
func.func @stats_avg_max_not_finite(%x: tensor<4xf32>) {
  // expected-error@+1 {{qnt_c10: statistic 'avg_max' must be finite}}
  %y = qnt.observe %x {id = "a", kind = #qnt.observer<min_max>, stats = #qnt.stats<count = 1, min = -1.0, max = 1.0, avg_min = -1.0, avg_max = 0x7FF8000000000000>} : tensor<4xf32>
  return
}

// -----

// qnt_c10
func.func @stats_hist_min_not_finite(%x: tensor<4xf32>) {
  // expected-error@+1 {{qnt_c10: statistic 'hist_min' must be finite}}
  %y = qnt.observe %x {id = "a", kind = #qnt.observer<histogram>, stats = #qnt.stats<count = 1, min = -1.0, max = 1.0, avg_min = -1.0, avg_max = 1.0, hist_min = 0xFFF0000000000000, hist_max = 1.0, histogram = [1]>} : tensor<4xf32>
  return
}

// -----

// qnt_c10
func.func @stats_hist_max_not_finite(%x: tensor<4xf32>) {
  // expected-error@+1 {{qnt_c10: statistic 'hist_max' must be finite}}
  %y = qnt.observe %x {id = "a", kind = #qnt.observer<histogram>, stats = #qnt.stats<count = 1, min = -1.0, max = 1.0, avg_min = -1.0, avg_max = 1.0, hist_min = -1.0, hist_max = 0x7FF0000000000000, histogram = [1]>} : tensor<4xf32>
  return
}

// -----

// qnt_c10
func.func @stats_min_above_max(%x: tensor<4xf32>) {
  // expected-error@+1 {{qnt_c10: statistics must satisfy min <= avg_min <= avg_max <= max, got 1.000000e+00, -1.000000e+00, 1.000000e+00, -1.000000e+00}}
  %y = qnt.observe %x {id = "a", kind = #qnt.observer<min_max>, stats = #qnt.stats<count = 1, min = 1.0, max = -1.0, avg_min = -1.0, avg_max = 1.0>} : tensor<4xf32>
  return
}

// -----

// qnt_c10
func.func @stats_avg_min_below_min(%x: tensor<4xf32>) {
  // expected-error@+1 {{qnt_c10: statistics must satisfy min <= avg_min <= avg_max <= max, got -1.000000e+00, -2.000000e+00, 1.000000e+00, 1.000000e+00}}
  %y = qnt.observe %x {id = "a", kind = #qnt.observer<min_max>, stats = #qnt.stats<count = 1, min = -1.0, max = 1.0, avg_min = -2.0, avg_max = 1.0>} : tensor<4xf32>
  return
}

// -----

// qnt_c10
func.func @stats_avg_min_above_avg_max(%x: tensor<4xf32>) {
  // expected-error@+1 {{qnt_c10: statistics must satisfy min <= avg_min <= avg_max <= max, got -1.000000e+00, 5.000000e-01, 0.000000e+00, 1.000000e+00}}
  %y = qnt.observe %x {id = "a", kind = #qnt.observer<min_max>, stats = #qnt.stats<count = 1, min = -1.0, max = 1.0, avg_min = 0.5, avg_max = 0.0>} : tensor<4xf32>
  return
}

// -----

// qnt_c10
func.func @stats_avg_max_above_max(%x: tensor<4xf32>) {
  // expected-error@+1 {{qnt_c10: statistics must satisfy min <= avg_min <= avg_max <= max, got -1.000000e+00, -1.000000e+00, 2.000000e+00, 1.000000e+00}}
  %y = qnt.observe %x {id = "a", kind = #qnt.observer<min_max>, stats = #qnt.stats<count = 1, min = -1.0, max = 1.0, avg_min = -1.0, avg_max = 2.0>} : tensor<4xf32>
  return
}

// -----

// qnt_c10: hist_min == hist_max is an empty range.
func.func @stats_empty_histogram_range(%x: tensor<4xf32>) {
  // expected-error@+1 {{qnt_c10: histogram range [1.000000e+00, 1.000000e+00] is empty}}
  %y = qnt.observe %x {id = "a", kind = #qnt.observer<histogram>, stats = #qnt.stats<count = 1, min = -1.0, max = 1.0, avg_min = -1.0, avg_max = 1.0, hist_min = 1.0, hist_max = 1.0, histogram = [1, 2]>} : tensor<4xf32>
  return
}

// -----

// qnt_c10
func.func @stats_reversed_histogram_range(%x: tensor<4xf32>) {
  // expected-error@+1 {{qnt_c10: histogram range [1.000000e+00, -1.000000e+00] is empty}}
  %y = qnt.observe %x {id = "a", kind = #qnt.observer<histogram>, stats = #qnt.stats<count = 1, min = -1.0, max = 1.0, avg_min = -1.0, avg_max = 1.0, hist_min = 1.0, hist_max = -1.0, histogram = [1, 2]>} : tensor<4xf32>
  return
}

// -----

// qnt_c10
func.func @stats_negative_bin(%x: tensor<4xf32>) {
  // expected-error@+1 {{qnt_c10: histogram bin count -2 must not be negative}}
  %y = qnt.observe %x {id = "a", kind = #qnt.observer<histogram>, stats = #qnt.stats<count = 1, min = -1.0, max = 1.0, avg_min = -1.0, avg_max = 1.0, hist_min = -1.0, hist_max = 1.0, histogram = [1, -2, 3]>} : tensor<4xf32>
  return
}

// -----

// qnt_c9: each module is its own id scope; a nested module's observers
// neither hide a duplicate in the outer module nor clash with it.
module @inner {
  func.func @g(%x: tensor<4xf32>) {
    %y = qnt.observe %x {id = "a", kind = #qnt.observer<min_max>} : tensor<4xf32>
    return
  }
}
func.func @outer(%x: tensor<4xf32>) {
  // expected-note@+1 {{first use of observer id 'a'}}
  %y = qnt.observe %x {id = "a", kind = #qnt.observer<min_max>} : tensor<4xf32>
  // expected-error@+1 {{'qnt.observe' op qnt_c9: observer id 'a' is not unique in the module}}
  %z = qnt.observe %x {id = "a", kind = #qnt.observer<min_max>} : tensor<4xf32>
  return
}
