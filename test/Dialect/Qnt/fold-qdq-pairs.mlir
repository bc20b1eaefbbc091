// RUN: quant-opt %s --split-input-file --qnt-fold-qdq-pairs | FileCheck %s
// RUN: quant-opt %s --split-input-file --qnt-fold-qdq-pairs=fold-constants=false | FileCheck %s --check-prefix=NOCONST

!q8 = !quant.uniform<i8:f32, 0.5:-1>

// quantize(dequantize(q)) with one type is q (exact for i8 in f32).
// CHECK-LABEL: func.func @requantize_same_type
// CHECK-SAME: (%[[Q:.*]]: tensor<4x!quant.uniform<i8:f32, 5.000000e-01:-1>>)
// CHECK-NEXT: return %[[Q]]
// NOCONST-LABEL: func.func @requantize_same_type
// NOCONST-SAME: (%[[Q:.*]]: tensor<4x!quant.uniform<i8:f32, 5.000000e-01:-1>>)
// NOCONST-NEXT: return %[[Q]]
func.func @requantize_same_type(%q: tensor<4x!q8>) -> tensor<4x!q8> {
  %x = qnt.dequantize %q : tensor<4x!q8> -> tensor<4xf32>
  %r = qnt.quantize %x : tensor<4xf32> -> tensor<4x!q8>
  return %r : tensor<4x!q8>
}

// -----

// A different target type is a real requantization and stays.
// CHECK-LABEL: func.func @requantize_other_type
// CHECK: qnt.dequantize
// CHECK: qnt.quantize
func.func @requantize_other_type(%q: tensor<4x!quant.uniform<i8:f32, 0.5>>) -> tensor<4x!quant.uniform<i8:f32, 0.25>> {
  %x = qnt.dequantize %q : tensor<4x!quant.uniform<i8:f32, 0.5>> -> tensor<4xf32>
  %r = qnt.quantize %x : tensor<4xf32> -> tensor<4x!quant.uniform<i8:f32, 0.25>>
  return %r : tensor<4x!quant.uniform<i8:f32, 0.25>>
}

// -----

// 16-bit storage in f16 is not an exact round trip (11-bit precision): kept.
// CHECK-LABEL: func.func @inexact_i16_f16
// CHECK: qnt.dequantize
// CHECK: qnt.quantize
func.func @inexact_i16_f16(%q: tensor<4x!quant.uniform<i16:f16, 0.5>>) -> tensor<4x!quant.uniform<i16:f16, 0.5>> {
  %x = qnt.dequantize %q : tensor<4x!quant.uniform<i16:f16, 0.5>> -> tensor<4xf16>
  %r = qnt.quantize %x : tensor<4xf16> -> tensor<4x!quant.uniform<i16:f16, 0.5>>
  return %r : tensor<4x!quant.uniform<i16:f16, 0.5>>
}

// -----

// 16-bit storage in f32 and per-axis i8 in f16 are exact: folded.
// CHECK-LABEL: func.func @exact_wide
// CHECK-SAME: (%[[A:.*]]: tensor<4x!quant.uniform<i16:f32, 5.000000e-01>>, %[[B:.*]]: tensor<2x3x!quant.uniform<i8:f16:0, {1.000000e-01,2.000000e+00:5}>>)
// CHECK-NEXT: return %[[A]], %[[B]]
func.func @exact_wide(%a: tensor<4x!quant.uniform<i16:f32, 0.5>>, %b: tensor<2x3x!quant.uniform<i8:f16:0, {0.1, 2.0:5}>>)
    -> (tensor<4x!quant.uniform<i16:f32, 0.5>>, tensor<2x3x!quant.uniform<i8:f16:0, {0.1, 2.0:5}>>) {
  %x = qnt.dequantize %a : tensor<4x!quant.uniform<i16:f32, 0.5>> -> tensor<4xf32>
  %r = qnt.quantize %x : tensor<4xf32> -> tensor<4x!quant.uniform<i16:f32, 0.5>>
  %y = qnt.dequantize %b : tensor<2x3x!quant.uniform<i8:f16:0, {0.1, 2.0:5}>> -> tensor<2x3xf16>
  %s = qnt.quantize %y : tensor<2x3xf16> -> tensor<2x3x!quant.uniform<i8:f16:0, {0.1, 2.0:5}>>
  return %r, %s : tensor<4x!quant.uniform<i16:f32, 0.5>>, tensor<2x3x!quant.uniform<i8:f16:0, {0.1, 2.0:5}>>
}

// -----

// dequantize(quantize(x)) becomes one fake_quant carrying the rounding mode.
// CHECK-LABEL: func.func @qdq_to_fake_quant
// CHECK-SAME: (%[[X:.*]]: tensor<4xf32>)
// CHECK-NEXT: %[[Y:.*]] = qnt.fake_quant %[[X]] as !quant.uniform<u8:f32, 2.500000e-01:128> {rounding = #qnt.rounding<half_away_from_zero>} : tensor<4xf32>
// CHECK-NEXT: return %[[Y]]
func.func @qdq_to_fake_quant(%x: tensor<4xf32>) -> tensor<4xf32> {
  %q = qnt.quantize %x {rounding = #qnt.rounding<half_away_from_zero>} : tensor<4xf32> -> tensor<4x!quant.uniform<u8:f32, 0.25:128>>
  %y = qnt.dequantize %q : tensor<4x!quant.uniform<u8:f32, 0.25:128>> -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// 32-bit storage has no fake_quant form: the pair stays.
// CHECK-LABEL: func.func @qdq_i32
// CHECK: qnt.quantize
// CHECK: qnt.dequantize
// CHECK-NOT: qnt.fake_quant
func.func @qdq_i32(%x: tensor<4xf32>) -> tensor<4xf32> {
  %q = qnt.quantize %x : tensor<4xf32> -> tensor<4x!quant.uniform<i32:f32, 0.001>>
  %y = qnt.dequantize %q : tensor<4x!quant.uniform<i32:f32, 0.001>> -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// fake_quant is idempotent for equal parameters and rounding.
// CHECK-LABEL: func.func @fake_quant_twice
// CHECK-SAME: (%[[X:.*]]: tensor<4xf32>)
// CHECK-NEXT: %[[Y:.*]] = qnt.fake_quant %[[X]] as !quant.uniform<i8:f32, 5.000000e-01> : tensor<4xf32>
// CHECK-NEXT: %[[Z:.*]] = qnt.fake_quant %[[Y]] as !quant.uniform<i8:f32, 2.500000e-01> : tensor<4xf32>
// CHECK-NEXT: return %[[Z]]
func.func @fake_quant_twice(%x: tensor<4xf32>) -> tensor<4xf32> {
  %a = qnt.fake_quant %x as !quant.uniform<i8:f32, 0.5> : tensor<4xf32>
  %b = qnt.fake_quant %a as !quant.uniform<i8:f32, 0.5> : tensor<4xf32>
  %c = qnt.fake_quant %b as !quant.uniform<i8:f32, 0.25> : tensor<4xf32>
  return %c : tensor<4xf32>
}

// -----

// With fold-constants=false a constant operand is left for later passes.
// CHECK-LABEL: func.func @constant
// 1.0/0.5 = 2; 1.25/0.5 = 2.5 ties to even 2; -2000 saturates to -128.
// CHECK: %[[C:.*]] = arith.constant dense<[2, 2, -128]> : tensor<3xi8>
// CHECK: quant.scast %[[C]]
// NOCONST-LABEL: func.func @constant
// NOCONST: %[[C:.*]] = arith.constant dense<[1.000000e+00, 1.250000e+00, -1.000000e+03]> : tensor<3xf32>
// NOCONST: qnt.quantize %[[C]]
func.func @constant() -> tensor<3x!quant.uniform<i8:f32, 0.5>> {
  %c = arith.constant dense<[1.0, 1.25, -1000.0]> : tensor<3xf32>
  %q = qnt.quantize %c : tensor<3xf32> -> tensor<3x!quant.uniform<i8:f32, 0.5>>
  return %q : tensor<3x!quant.uniform<i8:f32, 0.5>>
}
