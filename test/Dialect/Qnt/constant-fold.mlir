// RUN: quant-opt %s --split-input-file --qnt-fold-qdq-pairs | FileCheck %s

// Constant evaluation of the qnt casts by --qnt-fold-qdq-pairs on the tie and
// edge vectors of unittests/Support/QuantMathTest.cpp. Every expected value
// is computed by hand: q = x is NaN ? zp : clamp(round(x / s) + zp, range),
// with x / s in f32 (f64 for f64, f32 for f16) and round half to even unless
// stated. f32 inputs that are not exact decimals are written in hex.
//
// Storage constants are signless: unsigned storage prints as the signed value
// of the same bits (u8: q - 256 for q >= 128, e.g. 136 prints as -120; u4:
// q - 16 for q >= 8).

// CHECK-LABEL: func.func @quantize_i8_ties
// 0.5, -0.5, 1.5, -1.5, 2.5, -2.5, 3.5, 0.49999997 (0x3EFFFFFF), -0.0
// CHECK-DAG:     %[[C:.*]] = arith.constant dense<[0, 0, 2, -2, 2, -2, 4, 0, 0]> : tensor<9xi8>
// CHECK:         %[[Q:.*]] = quant.scast %[[C]] : tensor<9xi8> to tensor<9x!quant.uniform<i8:f32, 1.000000e+00>>
// CHECK-NOT:     qnt.quantize
// CHECK:         return %[[Q]]
!qalias = !quant.uniform<i8:f32, 1.0>
func.func @quantize_i8_ties() -> tensor<9x!qalias> {
  %c = arith.constant dense<[0.5, -0.5, 1.5, -1.5, 2.5, -2.5, 3.5, 0x3EFFFFFF, -0.0]> : tensor<9xf32>
  %q = qnt.quantize %c : tensor<9xf32> -> tensor<9x!qalias>
  return %q : tensor<9x!qalias>
}

// -----

// CHECK-LABEL: func.func @quantize_i8_saturation
// 126.5 -> 126; 127.5 -> 128 -> 127; 128 -> 127; -127.5 -> -128;
// -128.5 -> -128 (even, in range); -129 -> -128; -129.5 -> -130 -> -128;
// +Inf -> 127; -Inf -> -128; NaN -> zp 0.
// CHECK-DAG:     %[[C:.*]] = arith.constant dense<[126, 127, 127, -128, -128, -128, -128, 127, -128, 0]> : tensor<10xi8>
// CHECK:         %[[Q:.*]] = quant.scast %[[C]] : tensor<10xi8> to tensor<10x!quant.uniform<i8:f32, 1.000000e+00>>
// CHECK:         return %[[Q]]
!qalias = !quant.uniform<i8:f32, 1.0>
func.func @quantize_i8_saturation() -> tensor<10x!qalias> {
  %c = arith.constant dense<[126.5, 127.5, 128.0, -127.5, -128.5, -129.0, -129.5, 0x7F800000, 0xFF800000, 0x7FC00000]> : tensor<10xf32>
  %q = qnt.quantize %c : tensor<10xf32> -> tensor<10x!qalias>
  return %q : tensor<10x!qalias>
}

// -----

// CHECK-LABEL: func.func @quantize_i8_scale_zero_point
// s = 0.5, zp = 3: q = round(2x) + 3.
// 0.25 -> 0+3; 0.75 -> 2+3; -0.25 -> 0+3; -1.25 -> -2+3; 61.25 -> 122+3;
// 61.75 -> 124+3 -> 127; -65.25 -> -130+3; -65.5 -> -131+3;
// -65.75 -> -132+3 -> -128; NaN -> 3; +Inf -> 127; -Inf -> -128.
// CHECK-DAG:     %[[C:.*]] = arith.constant dense<[3, 5, 3, 1, 125, 127, -127, -128, -128, 3, 127, -128]> : tensor<12xi8>
// CHECK:         %[[Q:.*]] = quant.scast %[[C]] : tensor<12xi8> to tensor<12x!quant.uniform<i8:f32, 5.000000e-01:3>>
// CHECK:         return %[[Q]]
!qalias = !quant.uniform<i8:f32, 0.5:3>
func.func @quantize_i8_scale_zero_point() -> tensor<12x!qalias> {
  %c = arith.constant dense<[0.25, 0.75, -0.25, -1.25, 61.25, 61.75, -65.25, -65.5, -65.75, 0x7FC00000, 0x7F800000, 0xFF800000]> : tensor<12xf32>
  %q = qnt.quantize %c : tensor<12xf32> -> tensor<12x!qalias>
  return %q : tensor<12x!qalias>
}

// -----

// The quotient is an f32 division by 0.1f (0x3DCCCCCD), not decimal:
// 1.55f (0x3FC66666) / 0.1f = 15.499999f -> 15 (decimal suggests 16);
// 0.35f (0x3EB33333) / 0.1f = 3.5f exactly -> 4 (even);
// 0.25 / 0.1f = 2.5f -> 2; 0.15f (0x3E19999A) / 0.1f = 1.5f -> 2;
// -1.55f (0xBFC66666) -> -15.
// CHECK-LABEL: func.func @quantize_f32_scale_tenth
// CHECK-DAG:     %[[C:.*]] = arith.constant dense<[15, 4, 2, 2, -15]> : tensor<5xi8>
// CHECK:         %[[Q:.*]] = quant.scast %[[C]] : tensor<5xi8> to tensor<5x!quant.uniform<i8:f32, 1.000000e-01>>
// CHECK:         return %[[Q]]
!qalias = !quant.uniform<i8:f32, 0.1>
func.func @quantize_f32_scale_tenth() -> tensor<5x!qalias> {
  %c = arith.constant dense<[0x3FC66666, 0x3EB33333, 0.25, 0x3E19999A, 0xBFC66666]> : tensor<5xf32>
  %q = qnt.quantize %c : tensor<5xf32> -> tensor<5x!qalias>
  return %q : tensor<5x!qalias>
}

// -----

// u8, s = 1, zp = 128. q: -0.5 -> 128; 0.5 -> 128; 1.5 -> 130; -1.5 -> 126;
// 8 -> 136; 126.5 -> 254; 127.5 -> 256 -> 255; -127.5 -> 0; -128.5 -> 0;
// NaN -> 128; +Inf -> 255; -Inf -> 0.
// Printed as i8: 128 -> -128, 130 -> -126, 136 -> -120, 254 -> -2, 255 -> -1.
// CHECK-LABEL: func.func @quantize_u8_zero_point
// CHECK-DAG:     %[[C:.*]] = arith.constant dense<[-128, -128, -126, 126, -120, -2, -1, 0, 0, -128, -1, 0]> : tensor<12xi8>
// CHECK:         %[[Q:.*]] = quant.scast %[[C]] : tensor<12xi8> to tensor<12x!quant.uniform<u8:f32, 1.000000e+00:128>>
// CHECK:         return %[[Q]]
!qalias = !quant.uniform<u8:f32, 1.0:128>
func.func @quantize_u8_zero_point() -> tensor<12x!qalias> {
  %c = arith.constant dense<[-0.5, 0.5, 1.5, -1.5, 8.0, 126.5, 127.5, -127.5, -128.5, 0x7FC00000, 0x7F800000, 0xFF800000]> : tensor<12xf32>
  %q = qnt.quantize %c : tensor<12xf32> -> tensor<12x!qalias>
  return %q : tensor<12x!qalias>
}

// -----

// u8, s = 1, zp = 0: -0.5 -> 0; -1 -> 0; 254.5 -> 254 (prints -2);
// 255.5 -> 256 -> 255 (prints -1).
// CHECK-LABEL: func.func @quantize_u8_no_zero_point
// CHECK-DAG:     %[[C:.*]] = arith.constant dense<[0, 0, -2, -1]> : tensor<4xi8>
// CHECK:         %[[Q:.*]] = quant.scast %[[C]] : tensor<4xi8> to tensor<4x!quant.uniform<u8:f32, 1.000000e+00>>
// CHECK:         return %[[Q]]
!qalias = !quant.uniform<u8:f32, 1.0>
func.func @quantize_u8_no_zero_point() -> tensor<4x!qalias> {
  %c = arith.constant dense<[-0.5, -1.0, 254.5, 255.5]> : tensor<4xf32>
  %q = qnt.quantize %c : tensor<4xf32> -> tensor<4x!qalias>
  return %q : tensor<4x!qalias>
}

// -----

// i4 [-8, 7]: 2.5 -> 2; 6.5 -> 6; 7.5 -> 8 -> 7; -8.5 -> -8; -9 -> -8;
// +Inf -> 7; -Inf -> -8; NaN -> 0.
// CHECK-LABEL: func.func @quantize_i4
// CHECK-DAG:     %[[C:.*]] = arith.constant dense<[2, 6, 7, -8, -8, 7, -8, 0]> : tensor<8xi4>
// CHECK:         %[[Q:.*]] = quant.scast %[[C]] : tensor<8xi4> to tensor<8x!quant.uniform<i4:f32, 1.000000e+00>>
// CHECK:         return %[[Q]]
!qalias = !quant.uniform<i4:f32, 1.0>
func.func @quantize_i4() -> tensor<8x!qalias> {
  %c = arith.constant dense<[2.5, 6.5, 7.5, -8.5, -9.0, 0x7F800000, 0xFF800000, 0x7FC00000]> : tensor<8xf32>
  %q = qnt.quantize %c : tensor<8xf32> -> tensor<8x!qalias>
  return %q : tensor<8x!qalias>
}

// -----

// u4 [0, 15], zp 8: 7.5 -> 8+8 = 16 -> 15 (prints -1); -8.5 -> -8+8 = 0;
// NaN -> 8 (prints -8); 0.5 -> 0+8 = 8 (prints -8); -1.5 -> -2+8 = 6.
// CHECK-LABEL: func.func @quantize_u4
// CHECK-DAG:     %[[C:.*]] = arith.constant dense<[-1, 0, -8, -8, 6]> : tensor<5xi4>
// CHECK:         %[[Q:.*]] = quant.scast %[[C]] : tensor<5xi4> to tensor<5x!quant.uniform<u4:f32, 1.000000e+00:8>>
// CHECK:         return %[[Q]]
!qalias = !quant.uniform<u4:f32, 1.0:8>
func.func @quantize_u4() -> tensor<5x!qalias> {
  %c = arith.constant dense<[7.5, -8.5, 0x7FC00000, 0.5, -1.5]> : tensor<5xf32>
  %q = qnt.quantize %c : tensor<5xf32> -> tensor<5x!qalias>
  return %q : tensor<5x!qalias>
}

// -----

// i16: 1000.5 -> 1000; 32766.5 -> 32766; 32767.5 -> 32768 -> 32767;
// -32768.5 -> -32768; -32769 -> -32768; +Inf -> 32767.
// CHECK-LABEL: func.func @quantize_i16
// CHECK-DAG:     %[[C:.*]] = arith.constant dense<[1000, 32766, 32767, -32768, -32768, 32767]> : tensor<6xi16>
// CHECK:         %[[Q:.*]] = quant.scast %[[C]] : tensor<6xi16> to tensor<6x!quant.uniform<i16:f32, 1.000000e+00>>
// CHECK:         return %[[Q]]
!qalias = !quant.uniform<i16:f32, 1.0>
func.func @quantize_i16() -> tensor<6x!qalias> {
  %c = arith.constant dense<[1000.5, 32766.5, 32767.5, -32768.5, -32769.0, 0x7F800000]> : tensor<6xf32>
  %q = qnt.quantize %c : tensor<6xf32> -> tensor<6x!qalias>
  return %q : tensor<6x!qalias>
}

// -----

// Narrow i8 [-127, 127]: 126.5 -> 126; 127.5 -> 127; -126.5 -> -126;
// -127.5 -> -128 -> -127; -128 -> -127; -Inf -> -127; NaN -> 0.
// CHECK-LABEL: func.func @quantize_narrow_range
// CHECK-DAG:     %[[C:.*]] = arith.constant dense<[126, 127, -126, -127, -127, -127, 0]> : tensor<7xi8>
// CHECK:         %[[Q:.*]] = quant.scast %[[C]] : tensor<7xi8> to tensor<7x!quant.uniform<i8<-127:127>:f32, 1.000000e+00>>
// CHECK:         return %[[Q]]
!qalias = !quant.uniform<i8<-127:127>:f32, 1.0>
func.func @quantize_narrow_range() -> tensor<7x!qalias> {
  %c = arith.constant dense<[126.5, 127.5, -126.5, -127.5, -128.0, 0xFF800000, 0x7FC00000]> : tensor<7xf32>
  %q = qnt.quantize %c : tensor<7xf32> -> tensor<7x!qalias>
  return %q : tensor<7x!qalias>
}

// -----

// half_away_from_zero: 0.5 -> 1; -0.5 -> -1; 1.5 -> 2; 2.5 -> 3;
// -2.5 -> -3; 126.5 -> 127; 127.5 -> 128 -> 127; -128.5 -> -129 -> -128;
// 0.49999997 (0x3EFFFFFF) -> 0.
// CHECK-LABEL: func.func @quantize_half_away_from_zero
// CHECK-DAG:     %[[C:.*]] = arith.constant dense<[1, -1, 2, 3, -3, 127, 127, -128, 0]> : tensor<9xi8>
// CHECK:         %[[Q:.*]] = quant.scast %[[C]] : tensor<9xi8> to tensor<9x!quant.uniform<i8:f32, 1.000000e+00>>
// CHECK:         return %[[Q]]
!qalias = !quant.uniform<i8:f32, 1.0>
func.func @quantize_half_away_from_zero() -> tensor<9x!qalias> {
  %c = arith.constant dense<[0.5, -0.5, 1.5, 2.5, -2.5, 126.5, 127.5, -128.5, 0x3EFFFFFF]> : tensor<9xf32>
  %q = qnt.quantize %c {rounding = #qnt.rounding<half_away_from_zero>} : tensor<9xf32> -> tensor<9x!qalias>
  return %q : tensor<9x!qalias>
}

// -----

// half_away_from_zero with s = 0.1f: 0.65f (0x3F266666) / 0.1f = 6.4999995f
// -> 6 (decimal suggests 7); -0.65f -> -6; 0.15f / 0.1f = 1.5f -> 2.
// CHECK-LABEL: func.func @quantize_half_away_scale_tenth
// CHECK-DAG:     %[[C:.*]] = arith.constant dense<[6, -6, 2]> : tensor<3xi8>
// CHECK:         %[[Q:.*]] = quant.scast %[[C]]
// CHECK:         return %[[Q]]
!qalias = !quant.uniform<i8:f32, 0.1>
func.func @quantize_half_away_scale_tenth() -> tensor<3x!qalias> {
  %c = arith.constant dense<[0x3F266666, 0xBF266666, 0x3E19999A]> : tensor<3xf32>
  %q = qnt.quantize %c {rounding = #qnt.rounding<half_away_from_zero>} : tensor<3xf32> -> tensor<3x!qalias>
  return %q : tensor<3x!qalias>
}

// -----

// Per axis 0: row 0 has s = 1, zp = 0; row 1 has s = 0.5, zp = 3.
// Row 0: 2.5 -> 2; -2.5 -> -2; 127.5 -> 127.
// Row 1: 0.75 -> 2+3 = 5; -1.25 -> -2+3 = 1; -65.75 -> -132+3 -> -128.
// CHECK-LABEL: func.func @quantize_per_axis
// CHECK-DAG:     %[[C:.*]] = arith.constant dense<{{\[}}[2, -2, 127], [5, 1, -128]]> : tensor<2x3xi8>
// CHECK:         %[[Q:.*]] = quant.scast %[[C]] : tensor<2x3xi8> to tensor<2x3x!quant.uniform<i8:f32:0, {1.000000e+00,5.000000e-01:3}>>
// CHECK:         return %[[Q]]
!qalias = !quant.uniform<i8:f32:0, {1.0, 0.5:3}>
func.func @quantize_per_axis() -> tensor<2x3x!qalias> {
  %c = arith.constant dense<[[2.5, -2.5, 127.5], [0.75, -1.25, -65.75]]> : tensor<2x3xf32>
  %q = qnt.quantize %c : tensor<2x3xf32> -> tensor<2x3x!qalias>
  return %q : tensor<2x3x!qalias>
}

// -----

// Per axis 1: column 0 has s = 1, zp = 0; column 1 has s = 4, zp = -5.
// Column 0: 2.5 -> 2; -1.5 -> -2. Column 1: 10 / 4 = 2.5 -> 2-5 = -3;
// -6 / 4 = -1.5 -> -2-5 = -7.
// CHECK-LABEL: func.func @quantize_per_axis_inner
// CHECK-DAG:     %[[C:.*]] = arith.constant dense<{{\[}}[2, -3], [-2, -7]]> : tensor<2x2xi8>
// CHECK:         %[[Q:.*]] = quant.scast %[[C]]
// CHECK:         return %[[Q]]
!qalias = !quant.uniform<i8:f32:1, {1.0, 4.0:-5}>
func.func @quantize_per_axis_inner() -> tensor<2x2x!qalias> {
  %c = arith.constant dense<[[2.5, 10.0], [-1.5, -6.0]]> : tensor<2x2xf32>
  %q = qnt.quantize %c : tensor<2x2xf32> -> tensor<2x2x!qalias>
  return %q : tensor<2x2x!qalias>
}

// -----

// Sub-channel: blocks of 1 x 2, scales {{1, 0.5:3}, {4:-5, 2}}.
// Row 0, block 0 (s 1): 2.5 -> 2; -0.5 -> 0.
// Row 0, block 1 (s 0.5, zp 3): 0.75 -> 5; -65.75 -> -128.
// Row 1, block 0 (s 4, zp -5): 10 -> -3; -6 -> -7.
// Row 1, block 1 (s 2): 5 / 2 = 2.5 -> 2; 3 / 2 = 1.5 -> 2.
// CHECK-LABEL: func.func @quantize_sub_channel
// CHECK-DAG:     %[[C:.*]] = arith.constant dense<{{\[}}[2, 0, 5, -128], [-3, -7, 2, 2]]> : tensor<2x4xi8>
// CHECK:         %[[Q:.*]] = quant.scast %[[C]] : tensor<2x4xi8> to tensor<2x4x!quant.uniform
// CHECK:         return %[[Q]]
!qalias = !quant.uniform<i8:f32:{0:1, 1:2}, {{1.0, 0.5:3}, {4.0:-5, 2.0}}>
func.func @quantize_sub_channel() -> tensor<2x4x!qalias> {
  %c = arith.constant dense<[[2.5, -0.5, 0.75, -65.75], [10.0, -6.0, 5.0, 3.0]]> : tensor<2x4xf32>
  %q = qnt.quantize %c : tensor<2x4xf32> -> tensor<2x4x!qalias>
  return %q : tensor<2x4x!qalias>
}

// -----

// f64 divides in f64: 0.35 / 0.1 = 3.4999999999999996 -> 3 (f32 gives 4);
// 0.15 / 0.1 = 1.4999999999999998 -> 1; 0.25 / 0.1 = 2.5 -> 2;
// -0.35 -> -3; NaN -> 0; +Inf -> 127; -Inf -> -128.
// CHECK-LABEL: func.func @quantize_f64
// CHECK-DAG:     %[[C:.*]] = arith.constant dense<[3, 1, 2, -3, 0, 127, -128]> : tensor<7xi8>
// CHECK:         %[[Q:.*]] = quant.scast %[[C]] : tensor<7xi8> to tensor<7x!quant.uniform<i8:f64, 1.000000e-01>>
// CHECK:         return %[[Q]]
!qalias = !quant.uniform<i8:f64, 0.1>
func.func @quantize_f64() -> tensor<7x!qalias> {
  %c = arith.constant dense<[0.35, 0.15, 0.25, -0.35, 0x7FF8000000000000, 0x7FF0000000000000, 0xFFF0000000000000]> : tensor<7xf64>
  %q = qnt.quantize %c : tensor<7xf64> -> tensor<7x!qalias>
  return %q : tensor<7x!qalias>
}

// -----

// f16 computes in f32: s = 0.5, zp = 3 as in @quantize_i8_scale_zero_point.
// 0.25 -> 3; 0.75 -> 5; -1.25 -> 1; 61.75 -> 127; NaN (0x7E00) -> 3;
// +Inf (0x7C00) -> 127; -Inf (0xFC00) -> -128.
// CHECK-LABEL: func.func @quantize_f16
// CHECK-DAG:     %[[C:.*]] = arith.constant dense<[3, 5, 1, 127, 3, 127, -128]> : tensor<7xi8>
// CHECK:         %[[Q:.*]] = quant.scast %[[C]] : tensor<7xi8> to tensor<7x!quant.uniform<i8:f16, 5.000000e-01:3>>
// CHECK:         return %[[Q]]
!qalias = !quant.uniform<i8:f16, 0.5:3>
func.func @quantize_f16() -> tensor<7x!qalias> {
  %c = arith.constant dense<[0.25, 0.75, -1.25, 61.75, 0x7E00, 0x7C00, 0xFC00]> : tensor<7xf16>
  %q = qnt.quantize %c : tensor<7xf16> -> tensor<7x!qalias>
  return %q : tensor<7x!qalias>
}

// -----

// An f16 type holds its scale as an f16: 0.1 becomes 0.0999755859375
// (1638 * 2^-14), so 0.25 / s = 2.5006... -> 3, not the tie 2.5 -> 2 of f32;
// 0.5 / s = 5.0012... -> 5.
// CHECK-LABEL: func.func @quantize_f16_scale_rounded
// CHECK-DAG:     %[[C:.*]] = arith.constant dense<[3, 5]> : tensor<2xi8>
// CHECK:         %[[Q:.*]] = quant.scast %[[C]]
// CHECK:         return %[[Q]]
!qalias = !quant.uniform<i8:f16, 0.1>
func.func @quantize_f16_scale_rounded() -> tensor<2x!qalias> {
  %c = arith.constant dense<[0.25, 0.5]> : tensor<2xf16>
  %q = qnt.quantize %c : tensor<2xf16> -> tensor<2x!qalias>
  return %q : tensor<2x!qalias>
}

// -----

// fake_quant, i8, s = 0.5: 0.3 -> q 1 -> 0.5; 0.25 -> q 0 -> 0;
// 0.75 -> q 2 -> 1; -0.75 -> q -2 -> -1; 100 -> q 127 -> 63.5;
// -100 -> q -128 -> -64; +Inf -> 63.5; -Inf -> -64; NaN -> q 0 -> 0.
// CHECK-LABEL: func.func @fake_quant_f32
// CHECK-DAG:     %[[C:.*]] = arith.constant dense<[5.000000e-01, 0.000000e+00, 1.000000e+00, -1.000000e+00, 6.350000e+01, -6.400000e+01, 6.350000e+01, -6.400000e+01, 0.000000e+00]> : tensor<9xf32>
// CHECK-NOT:     qnt.fake_quant
// CHECK:         return %[[C]]
func.func @fake_quant_f32() -> tensor<9xf32> {
  %c = arith.constant dense<[0x3E99999A, 0.25, 0.75, -0.75, 100.0, -100.0, 0x7F800000, 0xFF800000, 0x7FC00000]> : tensor<9xf32>
  %y = qnt.fake_quant %c as !quant.uniform<i8:f32, 0.5> : tensor<9xf32>
  return %y : tensor<9xf32>
}

// -----

// fake_quant, i8, s = 0.5, zp = 3: -100 -> q -128 -> (-131) * 0.5 = -65.5;
// 100 -> q 127 -> 124 * 0.5 = 62; -1.25 -> q 1 -> -1;
// half away from zero in the second op: -1.25 -> q 0 -> -1.5;
// 0.25 -> q 4 -> 0.5.
// CHECK-LABEL: func.func @fake_quant_zero_point
// CHECK-DAG:     %[[A:.*]] = arith.constant dense<[-6.550000e+01, 6.200000e+01, -1.000000e+00]> : tensor<3xf32>
// CHECK-DAG:     %[[B:.*]] = arith.constant dense<[-1.500000e+00, 5.000000e-01]> : tensor<2xf32>
// CHECK-NOT:     qnt.fake_quant
// CHECK:         return %[[A]], %[[B]]
func.func @fake_quant_zero_point() -> (tensor<3xf32>, tensor<2xf32>) {
  %a = arith.constant dense<[-100.0, 100.0, -1.25]> : tensor<3xf32>
  %y = qnt.fake_quant %a as !quant.uniform<i8:f32, 0.5:3> : tensor<3xf32>
  %b = arith.constant dense<[-1.25, 0.25]> : tensor<2xf32>
  %z = qnt.fake_quant %b as !quant.uniform<i8:f32, 0.5:3> {rounding = #qnt.rounding<half_away_from_zero>} : tensor<2xf32>
  return %y, %z : tensor<3xf32>, tensor<2xf32>
}

// -----

// fake_quant, narrow i8, u4 and per axis.
// i8<-127:127>, s = 1: -200 -> -127; 127.5 -> 127.
// u4, s = 0.25, zp = 8: 100 -> q 15 -> 1.75; -100 -> q 0 -> -2.
// Per axis 0 {1, 0.5:3}: row 0: 2.5 -> 2; row 1: -1.25 -> q 1 -> -1.
// CHECK-LABEL: func.func @fake_quant_ranges
// CHECK-DAG:     %[[A:.*]] = arith.constant dense<[-1.270000e+02, 1.270000e+02]> : tensor<2xf32>
// CHECK-DAG:     %[[B:.*]] = arith.constant dense<[1.750000e+00, -2.000000e+00]> : tensor<2xf32>
// CHECK-DAG:     %[[C:.*]] = arith.constant dense<{{\[}}[2.000000e+00], [-1.000000e+00]]> : tensor<2x1xf32>
// CHECK-NOT:     qnt.fake_quant
// CHECK:         return %[[A]], %[[B]], %[[C]]
func.func @fake_quant_ranges() -> (tensor<2xf32>, tensor<2xf32>, tensor<2x1xf32>) {
  %a = arith.constant dense<[-200.0, 127.5]> : tensor<2xf32>
  %x = qnt.fake_quant %a as !quant.uniform<i8<-127:127>:f32, 1.0> : tensor<2xf32>
  %b = arith.constant dense<[100.0, -100.0]> : tensor<2xf32>
  %y = qnt.fake_quant %b as !quant.uniform<u4:f32, 0.25:8> : tensor<2xf32>
  %c = arith.constant dense<[[2.5], [-1.25]]> : tensor<2x1xf32>
  %z = qnt.fake_quant %c as !quant.uniform<i8:f32:0, {1.0, 0.5:3}> : tensor<2x1xf32>
  return %x, %y, %z : tensor<2xf32>, tensor<2xf32>, tensor<2x1xf32>
}

// -----

// fake_quant in f64 and f16. f64, s = 0.1: 0.35 -> q 3 -> 3 * 0.1 =
// 0.30000000000000004; f16, s = 0.5, zp = 3: 61.75 -> q 127 -> 62;
// -0.75 -> q 1 -> -1.
// CHECK-LABEL: func.func @fake_quant_f64_f16
// CHECK-DAG:     %[[A:.*]] = arith.constant dense<[0.30000000000000004, -1.280000e+01]> : tensor<2xf64>
// CHECK-DAG:     %[[B:.*]] = arith.constant dense<[6.200000e+01, -1.000000e+00]> : tensor<2xf16>
// CHECK-NOT:     qnt.fake_quant
// CHECK:         return %[[A]], %[[B]]
func.func @fake_quant_f64_f16() -> (tensor<2xf64>, tensor<2xf16>) {
  %a = arith.constant dense<[0.35, -100.0]> : tensor<2xf64>
  %x = qnt.fake_quant %a as !quant.uniform<i8:f64, 0.1> : tensor<2xf64>
  %b = arith.constant dense<[61.75, -0.75]> : tensor<2xf16>
  %y = qnt.fake_quant %b as !quant.uniform<i8:f16, 0.5:3> : tensor<2xf16>
  return %x, %y : tensor<2xf64>, tensor<2xf16>
}

// -----

// dequantize(scast(storage constant)): i8, s = 0.5, zp = 3:
// -128 -> -65.5; 127 -> 62; 0 -> -1.5; 5 -> 1.
// u8, s = 0.5, zp = 128; the storage constant holds the i8 spelling of the
// u8 bits: -120 is 136 -> 4; 0 -> -64; -1 is 255 -> 63.5; -128 is 128 -> 0.
// CHECK-LABEL: func.func @dequantize_constant
// CHECK-DAG:     %[[A:.*]] = arith.constant dense<[-6.550000e+01, 6.200000e+01, -1.500000e+00, 1.000000e+00]> : tensor<4xf32>
// CHECK-DAG:     %[[B:.*]] = arith.constant dense<[4.000000e+00, -6.400000e+01, 6.350000e+01, 0.000000e+00]> : tensor<4xf32>
// CHECK-NOT:     qnt.dequantize
// CHECK:         return %[[A]], %[[B]]
func.func @dequantize_constant() -> (tensor<4xf32>, tensor<4xf32>) {
  %s = arith.constant dense<[-128, 127, 0, 5]> : tensor<4xi8>
  %q = quant.scast %s : tensor<4xi8> to tensor<4x!quant.uniform<i8:f32, 0.5:3>>
  %x = qnt.dequantize %q : tensor<4x!quant.uniform<i8:f32, 0.5:3>> -> tensor<4xf32>
  %t = arith.constant dense<[-120, 0, -1, -128]> : tensor<4xi8>
  %r = quant.scast %t : tensor<4xi8> to tensor<4x!quant.uniform<u8:f32, 0.5:128>>
  %y = qnt.dequantize %r : tensor<4x!quant.uniform<u8:f32, 0.5:128>> -> tensor<4xf32>
  return %x, %y : tensor<4xf32>, tensor<4xf32>
}

// -----

// dequantize of a per-axis i4 constant in f64 (axis 1: {0.25, 2:-3}):
// [[-8, -8], [7, 7]] -> [[-2, (-8+3)*2 = -10], [1.75, (7+3)*2 = 20]].
// CHECK-LABEL: func.func @dequantize_per_axis_f64
// CHECK-DAG:     %[[A:.*]] = arith.constant dense<{{\[}}[-2.000000e+00, -1.000000e+01], [1.750000e+00, 2.000000e+01]]> : tensor<2x2xf64>
// CHECK-NOT:     qnt.dequantize
// CHECK:         return %[[A]]
func.func @dequantize_per_axis_f64() -> tensor<2x2xf64> {
  %s = arith.constant dense<[[-8, -8], [7, 7]]> : tensor<2x2xi4>
  %q = quant.scast %s : tensor<2x2xi4> to tensor<2x2x!quant.uniform<i4:f64:1, {0.25, 2.0:-3}>>
  %x = qnt.dequantize %q : tensor<2x2x!quant.uniform<i4:f64:1, {0.25, 2.0:-3}>> -> tensor<2x2xf64>
  return %x : tensor<2x2xf64>
}

// -----

// dequantize(quantize(constant)) evaluates to fake-quantized floats:
// i8, s = 0.5: 2.25 -> q round(4.5) = 4 -> 2; -0.25 -> q 0 -> 0.
// CHECK-LABEL: func.func @qdq_of_constant
// CHECK-DAG:     %[[A:.*]] = arith.constant dense<[2.000000e+00, 0.000000e+00]> : tensor<2xf32>
// CHECK-NOT:     qnt.
// CHECK:         return %[[A]]
func.func @qdq_of_constant() -> tensor<2xf32> {
  %c = arith.constant dense<[2.25, -0.25]> : tensor<2xf32>
  %q = qnt.quantize %c : tensor<2xf32> -> tensor<2x!quant.uniform<i8:f32, 0.5>>
  %x = qnt.dequantize %q : tensor<2x!quant.uniform<i8:f32, 0.5>> -> tensor<2xf32>
  return %x : tensor<2xf32>
}

// -----

// quantize(dequantize(q)) with f32 and i8 is exact: it folds to q.
// CHECK-LABEL: func.func @roundtrip_f32_folds
// CHECK-SAME:    (%[[ARG:[a-z0-9]+]]: tensor<4x!quant.uniform<i8:f32, 5.000000e-01:3>>)
// CHECK-NOT:     qnt.
// CHECK:         return %[[ARG]]
!qalias = !quant.uniform<i8:f32, 0.5:3>
func.func @roundtrip_f32_folds(%q: tensor<4x!qalias>) -> tensor<4x!qalias> {
  %x = qnt.dequantize %q : tensor<4x!qalias> -> tensor<4xf32>
  %r = qnt.quantize %x : tensor<4xf32> -> tensor<4x!qalias>
  return %r : tensor<4x!qalias>
}

// -----

// bf16 has 8 significant bits: (q - zp) * s for |q - zp| up to 128 is not
// always exact, so quantize(dequantize(q)) stays.
// CHECK-LABEL: func.func @roundtrip_bf16_stays
// CHECK-SAME:    (%[[ARG:[a-z0-9]+]]: tensor<4x!quant.uniform<i8:bf16, 5.000000e-01>>)
// CHECK:         %[[X:.*]] = qnt.dequantize %[[ARG]] : tensor<4x!quant.uniform<i8:bf16, 5.000000e-01>> -> tensor<4xbf16>
// CHECK:         %[[R:.*]] = qnt.quantize %[[X]] : tensor<4xbf16> -> tensor<4x!quant.uniform<i8:bf16, 5.000000e-01>>
// CHECK:         return %[[R]]
!qalias = !quant.uniform<i8:bf16, 0.5>
func.func @roundtrip_bf16_stays(%q: tensor<4x!qalias>) -> tensor<4x!qalias> {
  %x = qnt.dequantize %q : tensor<4x!qalias> -> tensor<4xbf16>
  %r = qnt.quantize %x : tensor<4xbf16> -> tensor<4x!qalias>
  return %r : tensor<4x!qalias>
}

// -----

// dequantize(quantize(x)) of a non-constant becomes one fake_quant that keeps
// the rounding mode.
// CHECK-LABEL: func.func @qdq_to_fake_quant
// CHECK-SAME:    (%[[ARG:[a-z0-9]+]]: tensor<4xf32>)
// CHECK:         %[[A:.*]] = qnt.fake_quant %[[ARG]] as !quant.uniform<i8:f32, 5.000000e-01> : tensor<4xf32>
// CHECK:         %[[B:.*]] = qnt.fake_quant %[[ARG]] as !quant.uniform<u8:f32, 2.500000e-01:128> {rounding = #qnt.rounding<half_away_from_zero>} : tensor<4xf32>
// CHECK-NOT:     qnt.quantize
// CHECK-NOT:     qnt.dequantize
// CHECK:         return %[[A]], %[[B]]
func.func @qdq_to_fake_quant(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %q = qnt.quantize %x : tensor<4xf32> -> tensor<4x!quant.uniform<i8:f32, 0.5>>
  %y = qnt.dequantize %q : tensor<4x!quant.uniform<i8:f32, 0.5>> -> tensor<4xf32>
  %r = qnt.quantize %x {rounding = #qnt.rounding<half_away_from_zero>} : tensor<4xf32> -> tensor<4x!quant.uniform<u8:f32, 0.25:128>>
  %z = qnt.dequantize %r : tensor<4x!quant.uniform<u8:f32, 0.25:128>> -> tensor<4xf32>
  return %y, %z : tensor<4xf32>, tensor<4xf32>
}

// -----

// Sub-channel u8 with zero points >= 128 (valid: inside [0, 255]). The
// zero points are held at the storage width, so unsigned ones must be read
// zero-extended (200, not -56).
// Blocks of 1 x 2, scales {{0.5:200}, {1:10}}.
// Row 0 (s 0.5, zp 200): 1.25 -> round(2.5) + 200 = 202 -> (202 - 200) * 0.5
// = 1; -101 -> -202 + 200 = -2 -> 0 -> (0 - 200) * 0.5 = -100.
// Row 1 (s 1, zp 10): -10.5 -> -10 + 10 = 0 -> -10; 250 -> 260 -> 255 -> 245.
// CHECK-LABEL: func.func @fake_quant_sub_channel_u8
// CHECK-DAG:     %[[A:.*]] = arith.constant dense<{{\[}}[1.000000e+00, -1.000000e+02], [-1.000000e+01, 2.450000e+02]]> : tensor<2x2xf32>
// CHECK-NOT:     qnt.fake_quant
// CHECK:         return %[[A]]
func.func @fake_quant_sub_channel_u8() -> tensor<2x2xf32> {
  %c = arith.constant dense<[[1.25, -101.0], [-10.5, 250.0]]> : tensor<2x2xf32>
  %y = qnt.fake_quant %c as !quant.uniform<u8:f32:{0:1, 1:2}, {{0.5:200}, {1.0:10}}> : tensor<2x2xf32>
  return %y : tensor<2x2xf32>
}
