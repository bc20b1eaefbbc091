// RUN: quant-opt %s --split-input-file --convert-qnt-to-linalg | FileCheck %s --implicit-check-not=qnt.

// convert-qnt-to-linalg on the casts: each of qnt.quantize, qnt.dequantize
// and qnt.fake_quant becomes one elementwise linalg.generic with the
// arithmetic of docs/semantics.md; !quant.uniform tensors become their
// signless storage tensors (function signatures included) and quant.scast
// disappears. Per-axis and sub-channel parameters are constant tensors read
// through indexing maps.

// CHECK-DAG: #[[$ID:map[0-9]*]] = affine_map<(d0) -> (d0)>
// CHECK-LABEL: func.func @quantize_u8(
// CHECK-SAME: %[[ARG:.*]]: tensor<4xf32>) -> tensor<4xi8>
// CHECK: %[[EMPTY:.*]] = tensor.empty() : tensor<4xi8>
// CHECK: %[[RES:.*]] = linalg.generic {indexing_maps = [#[[$ID]], #[[$ID]]], iterator_types = ["parallel"]}
// CHECK-SAME: ins(%[[ARG]] : tensor<4xf32>) outs(%[[EMPTY]] : tensor<4xi8>)
// CHECK: ^bb0(%[[X:[a-z0-9_]+]]: f32, %{{[a-z0-9_]+}}: i8):
// CHECK-DAG: %[[S:.*]] = arith.constant 5.000000e-01 : f32
// CHECK-DAG: %[[ZP:.*]] = arith.constant 10 : i32
// CHECK: %[[DIV:.*]] = arith.divf %[[X]], %[[S]] : f32
// CHECK: %[[RND:.*]] = math.roundeven %[[DIV]] : f32
// CHECK: %[[ZPF:.*]] = arith.sitofp %[[ZP]] : i32 to f32
// CHECK: %[[ADD:.*]] = arith.addf %[[RND]], %[[ZPF]] : f32
// CHECK-DAG: %[[LO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[MAX:.*]] = arith.maximumf %[[ADD]], %[[LO]] : f32
// CHECK-DAG: %[[HI:.*]] = arith.constant 2.550000e+02 : f32
// CHECK: %[[MIN:.*]] = arith.minimumf %[[MAX]], %[[HI]] : f32
// CHECK: %[[NAN:.*]] = arith.cmpf uno, %[[X]], %[[X]] : f32
// CHECK: %[[SEL:.*]] = arith.select %[[NAN]], %[[ZPF]], %[[MIN]] : f32
// CHECK: %[[INT:.*]] = arith.fptosi %[[SEL]] : f32 to i32
// CHECK: %[[TR:.*]] = arith.trunci %[[INT]] : i32 to i8
// CHECK: linalg.yield %[[TR]] : i8
// CHECK: } -> tensor<4xi8>
// CHECK: return %[[RES]] : tensor<4xi8>
func.func @quantize_u8(%x: tensor<4xf32>) -> tensor<4x!quant.uniform<u8:f32, 0.5:10>> {
  %q = qnt.quantize %x : tensor<4xf32> -> tensor<4x!quant.uniform<u8:f32, 0.5:10>>
  return %q : tensor<4x!quant.uniform<u8:f32, 0.5:10>>
}

// -----

// half_away_from_zero rounds with math.round; i8 bounds are [-128, 127].
// CHECK-LABEL: func.func @quantize_half_away_from_zero(
// CHECK-SAME: tensor<4xf32>) -> tensor<4xi8>
// CHECK: ^bb0(%[[X:[a-z0-9_]+]]: f32, %{{[a-z0-9_]+}}: i8):
// CHECK-DAG: %[[ZP:.*]] = arith.constant -3 : i32
// CHECK: %[[DIV:.*]] = arith.divf %[[X]], %{{.*}} : f32
// CHECK-NOT: math.roundeven
// CHECK: %[[RND:.*]] = math.round %[[DIV]] : f32
// CHECK: %[[ZPF:.*]] = arith.sitofp %[[ZP]] : i32 to f32
// CHECK: arith.addf %[[RND]], %[[ZPF]] : f32
// CHECK: arith.constant -1.280000e+02 : f32
// CHECK: arith.maximumf
// CHECK: arith.constant 1.270000e+02 : f32
// CHECK: arith.minimumf
// CHECK: arith.cmpf uno, %[[X]], %[[X]] : f32
// CHECK: arith.select
// CHECK: arith.fptosi %{{.*}} : f32 to i32
// CHECK: arith.trunci %{{.*}} : i32 to i8
func.func @quantize_half_away_from_zero(%x: tensor<4xf32>) -> tensor<4x!quant.uniform<i8:f32, 0.5:-3>> {
  %q = qnt.quantize %x {rounding = #qnt.rounding<half_away_from_zero>} : tensor<4xf32> -> tensor<4x!quant.uniform<i8:f32, 0.5:-3>>
  return %q : tensor<4x!quant.uniform<i8:f32, 0.5:-3>>
}

// -----

// f16 computes in f32: the input is extended first and the NaN test reads
// the extended value.
// CHECK-LABEL: func.func @quantize_f16(
// CHECK-SAME: tensor<4xf16>) -> tensor<4xi8>
// CHECK: ^bb0(%[[X:[a-z0-9_]+]]: f16, %{{[a-z0-9_]+}}: i8):
// CHECK: %[[XF:.*]] = arith.extf %[[X]] : f16 to f32
// CHECK: arith.divf %[[XF]], %{{.*}} : f32
// CHECK: math.roundeven %{{.*}} : f32
// CHECK: arith.cmpf uno, %[[XF]], %[[XF]] : f32
// CHECK: arith.fptosi %{{.*}} : f32 to i32
func.func @quantize_f16(%x: tensor<4xf16>) -> tensor<4x!quant.uniform<i8:f16, 0.5:-3>> {
  %q = qnt.quantize %x : tensor<4xf16> -> tensor<4x!quant.uniform<i8:f16, 0.5:-3>>
  return %q : tensor<4x!quant.uniform<i8:f16, 0.5:-3>>
}

// -----

// f64 computes in f64, without extension.
// CHECK-LABEL: func.func @quantize_f64(
// CHECK-SAME: tensor<4xf64>) -> tensor<4xi8>
// CHECK: ^bb0(%[[X:[a-z0-9_]+]]: f64, %{{[a-z0-9_]+}}: i8):
// CHECK-NOT: arith.extf
// CHECK: arith.constant 1.000000e-01 : f64
// CHECK: arith.divf %[[X]], %{{.*}} : f64
// CHECK: math.roundeven %{{.*}} : f64
// CHECK: arith.sitofp %{{.*}} : i32 to f64
// CHECK: arith.fptosi %{{.*}} : f64 to i32
// CHECK: arith.trunci %{{.*}} : i32 to i8
func.func @quantize_f64(%x: tensor<4xf64>) -> tensor<4x!quant.uniform<i8:f64, 0.1>> {
  %q = qnt.quantize %x : tensor<4xf64> -> tensor<4x!quant.uniform<i8:f64, 0.1>>
  return %q : tensor<4x!quant.uniform<i8:f64, 0.1>>
}

// -----

// 32-bit storage: the zero-point add and the clamp run in f64 (f32 cannot
// hold every i32) and the conversion goes through i64.
// CHECK-LABEL: func.func @quantize_i32_storage(
// CHECK-SAME: tensor<4xf32>) -> tensor<4xi32>
// CHECK-DAG: %[[ZP:.*]] = arith.constant 7 : i64
// CHECK: %[[RND:.*]] = math.roundeven %{{.*}} : f32
// CHECK: %[[WIDE:.*]] = arith.extf %[[RND]] : f32 to f64
// CHECK: %[[ZPF:.*]] = arith.sitofp %[[ZP]] : i64 to f64
// CHECK: arith.addf %[[WIDE]], %[[ZPF]] : f64
// CHECK: arith.constant 0xC1E0000000000000 : f64
// CHECK: arith.maximumf %{{.*}} : f64
// CHECK: arith.constant 0x41DFFFFFFFC00000 : f64
// CHECK: arith.minimumf %{{.*}} : f64
// CHECK: arith.select %{{.*}} : f64
// CHECK: arith.fptosi %{{.*}} : f64 to i64
// CHECK: arith.trunci %{{.*}} : i64 to i32
func.func @quantize_i32_storage(%x: tensor<4xf32>) -> tensor<4x!quant.uniform<i32:f32, 0.5:7>> {
  %q = qnt.quantize %x : tensor<4xf32> -> tensor<4x!quant.uniform<i32:f32, 0.5:7>>
  return %q : tensor<4x!quant.uniform<i32:f32, 0.5:7>>
}

// -----

// Per axis 0 of a 2-D tensor whose other dimension is dynamic (a quantized
// axis must be static): scales and zero points are constant tensors read
// through (d0, d1) -> (d0); the dynamic result size comes from the input.
// CHECK-DAG: #[[$ID:map[0-9]*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[$AXIS:map[0-9]*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func.func @quantize_per_axis_dynamic(
// CHECK-SAME: %[[ARG:.*]]: tensor<2x?xf32>) -> tensor<2x?xi16>
// CHECK-DAG: %[[SCALES:.*]] = arith.constant dense<[5.000000e-01, 2.500000e-01]> : tensor<2xf32>
// CHECK-DAG: %[[ZPS:.*]] = arith.constant dense<[0, -5]> : tensor<2xi32>
// CHECK-DAG: %[[C1:.*]] = arith.constant 1 : index
// CHECK: %[[DIM:.*]] = tensor.dim %[[ARG]], %[[C1]] : tensor<2x?xf32>
// CHECK: %[[EMPTY:.*]] = tensor.empty(%[[DIM]]) : tensor<2x?xi16>
// CHECK: linalg.generic {indexing_maps = [#[[$ID]], #[[$AXIS]], #[[$AXIS]], #[[$ID]]], iterator_types = ["parallel", "parallel"]}
// CHECK-SAME: ins(%[[ARG]], %[[SCALES]], %[[ZPS]] : tensor<2x?xf32>, tensor<2xf32>, tensor<2xi32>) outs(%[[EMPTY]] : tensor<2x?xi16>)
// CHECK: ^bb0(%[[X:[a-z0-9_]+]]: f32, %[[S:[a-z0-9_]+]]: f32, %[[Z:[a-z0-9_]+]]: i32, %{{[a-z0-9_]+}}: i16):
// CHECK: arith.divf %[[X]], %[[S]] : f32
// CHECK: arith.sitofp %[[Z]] : i32 to f32
// CHECK: arith.constant -3.276800e+04 : f32
// CHECK: arith.constant 3.276700e+04 : f32
// CHECK: arith.trunci %{{.*}} : i32 to i16
func.func @quantize_per_axis_dynamic(%x: tensor<2x?xf32>) -> tensor<2x?x!quant.uniform<i16:f32:0, {0.5, 0.25:-5}>> {
  %q = qnt.quantize %x : tensor<2x?xf32> -> tensor<2x?x!quant.uniform<i16:f32:0, {0.5, 0.25:-5}>>
  return %q : tensor<2x?x!quant.uniform<i16:f32:0, {0.5, 0.25:-5}>>
}

// -----

// Rank 0: a generic without loops.
// CHECK-DAG: #[[$MAP:map[0-9]*]] = affine_map<() -> ()>
// CHECK-LABEL: func.func @quantize_rank0(
// CHECK-SAME: tensor<f32>) -> tensor<i8>
// CHECK: linalg.generic {indexing_maps = [#[[$MAP]], #[[$MAP]]], iterator_types = []}
// CHECK: } -> tensor<i8>
func.func @quantize_rank0(%x: tensor<f32>) -> tensor<!quant.uniform<i8:f32, 0.5>> {
  %q = qnt.quantize %x : tensor<f32> -> tensor<!quant.uniform<i8:f32, 0.5>>
  return %q : tensor<!quant.uniform<i8:f32, 0.5>>
}

// -----

// Signed storage is sign-extended; the difference is exact in i32.
// CHECK-DAG: #[[$ID:map[0-9]*]] = affine_map<(d0) -> (d0)>
// CHECK-LABEL: func.func @dequantize_i8(
// CHECK-SAME: %[[ARG:.*]]: tensor<4xi8>) -> tensor<4xf32>
// CHECK: %[[EMPTY:.*]] = tensor.empty() : tensor<4xf32>
// CHECK: %[[RES:.*]] = linalg.generic {indexing_maps = [#[[$ID]], #[[$ID]]], iterator_types = ["parallel"]}
// CHECK-SAME: ins(%[[ARG]] : tensor<4xi8>) outs(%[[EMPTY]] : tensor<4xf32>)
// CHECK: ^bb0(%[[Q:[a-z0-9_]+]]: i8, %{{[a-z0-9_]+}}: f32):
// CHECK-DAG: %[[S:.*]] = arith.constant 2.500000e-01 : f32
// CHECK-DAG: %[[ZP:.*]] = arith.constant -3 : i32
// CHECK: %[[EXT:.*]] = arith.extsi %[[Q]] : i8 to i32
// CHECK: %[[SUB:.*]] = arith.subi %[[EXT]], %[[ZP]] : i32
// CHECK: %[[F:.*]] = arith.sitofp %[[SUB]] : i32 to f32
// CHECK: %[[MUL:.*]] = arith.mulf %[[F]], %[[S]] : f32
// CHECK-NOT: arith.truncf
// CHECK: linalg.yield %[[MUL]] : f32
// CHECK: return %[[RES]] : tensor<4xf32>
func.func @dequantize_i8(%q: tensor<4x!quant.uniform<i8:f32, 0.25:-3>>) -> tensor<4xf32> {
  %x = qnt.dequantize %q : tensor<4x!quant.uniform<i8:f32, 0.25:-3>> -> tensor<4xf32>
  return %x : tensor<4xf32>
}

// -----

// Unsigned storage is zero-extended; f16 results are truncated from f32;
// per axis 1 reads parameters through (d0, d1) -> (d1).
// CHECK-DAG: #[[$ID:map[0-9]*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[$AXIS:map[0-9]*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @dequantize_u8_f16_per_axis(
// CHECK-SAME: %[[ARG:.*]]: tensor<2x3xi8>) -> tensor<2x3xf16>
// CHECK-DAG: %[[SCALES:.*]] = arith.constant dense<[5.000000e-01, 2.500000e-01, 1.250000e-01]> : tensor<3xf32>
// CHECK-DAG: %[[ZPS:.*]] = arith.constant dense<[1, 2, 255]> : tensor<3xi32>
// CHECK: linalg.generic {indexing_maps = [#[[$ID]], #[[$AXIS]], #[[$AXIS]], #[[$ID]]], iterator_types = ["parallel", "parallel"]}
// CHECK-SAME: ins(%[[ARG]], %[[SCALES]], %[[ZPS]] : tensor<2x3xi8>, tensor<3xf32>, tensor<3xi32>)
// CHECK: ^bb0(%[[Q:[a-z0-9_]+]]: i8, %[[S:[a-z0-9_]+]]: f32, %[[Z:[a-z0-9_]+]]: i32, %{{[a-z0-9_]+}}: f16):
// CHECK-NOT: arith.extsi
// CHECK: %[[EXT:.*]] = arith.extui %[[Q]] : i8 to i32
// CHECK: %[[SUB:.*]] = arith.subi %[[EXT]], %[[Z]] : i32
// CHECK: %[[F:.*]] = arith.sitofp %[[SUB]] : i32 to f32
// CHECK: %[[MUL:.*]] = arith.mulf %[[F]], %[[S]] : f32
// CHECK: %[[TR:.*]] = arith.truncf %[[MUL]] : f32 to f16
// CHECK: linalg.yield %[[TR]] : f16
func.func @dequantize_u8_f16_per_axis(%q: tensor<2x3x!quant.uniform<u8:f16:1, {0.5:1, 0.25:2, 0.125:255}>>) -> tensor<2x3xf16> {
  %x = qnt.dequantize %q : tensor<2x3x!quant.uniform<u8:f16:1, {0.5:1, 0.25:2, 0.125:255}>> -> tensor<2x3xf16>
  return %x : tensor<2x3xf16>
}

// -----

// bf16 results are truncated from f32 too.
// CHECK-LABEL: func.func @dequantize_bf16(
// CHECK-SAME: tensor<4xi8>) -> tensor<4xbf16>
// CHECK: arith.mulf %{{.*}} : f32
// CHECK: arith.truncf %{{.*}} : f32 to bf16
func.func @dequantize_bf16(%q: tensor<4x!quant.uniform<i8:bf16, 0.5>>) -> tensor<4xbf16> {
  %x = qnt.dequantize %q : tensor<4x!quant.uniform<i8:bf16, 0.5>> -> tensor<4xbf16>
  return %x : tensor<4xbf16>
}

// -----

// 32-bit unsigned storage: zero-extended to i64, difference in i64.
// CHECK-LABEL: func.func @dequantize_u32(
// CHECK-SAME: tensor<4xi32>) -> tensor<4xf32>
// CHECK: ^bb0(%[[Q:[a-z0-9_]+]]: i32, %{{[a-z0-9_]+}}: f32):
// CHECK-DAG: %[[ZP:.*]] = arith.constant 7 : i64
// CHECK: %[[EXT:.*]] = arith.extui %[[Q]] : i32 to i64
// CHECK: %[[SUB:.*]] = arith.subi %[[EXT]], %[[ZP]] : i64
// CHECK: arith.sitofp %[[SUB]] : i64 to f32
func.func @dequantize_u32(%q: tensor<4x!quant.uniform<u32:f32, 0.5:7>>) -> tensor<4xf32> {
  %x = qnt.dequantize %q : tensor<4x!quant.uniform<u32:f32, 0.5:7>> -> tensor<4xf32>
  return %x : tensor<4xf32>
}

// -----

// fake_quant: quantize then dequantize in one body, floats in and out.
// CHECK-DAG: #[[$ID:map[0-9]*]] = affine_map<(d0) -> (d0)>
// CHECK-LABEL: func.func @fake_quant(
// CHECK-SAME: %[[ARG:.*]]: tensor<4xf32>) -> tensor<4xf32>
// CHECK: %[[EMPTY:.*]] = tensor.empty() : tensor<4xf32>
// CHECK: linalg.generic {indexing_maps = [#[[$ID]], #[[$ID]]], iterator_types = ["parallel"]}
// CHECK-SAME: ins(%[[ARG]] : tensor<4xf32>) outs(%[[EMPTY]] : tensor<4xf32>)
// CHECK: ^bb0(%[[X:[a-z0-9_]+]]: f32, %{{[a-z0-9_]+}}: f32):
// CHECK-DAG: %[[S:.*]] = arith.constant 5.000000e-01 : f32
// CHECK-DAG: %[[ZP:.*]] = arith.constant -1 : i32
// CHECK: arith.divf %[[X]], %[[S]] : f32
// CHECK: math.roundeven
// CHECK: arith.addf
// CHECK: arith.maximumf
// CHECK: arith.minimumf
// CHECK: arith.cmpf uno, %[[X]], %[[X]] : f32
// CHECK: arith.select
// CHECK: %[[INT:.*]] = arith.fptosi %{{.*}} : f32 to i32
// CHECK: %[[Q:.*]] = arith.trunci %[[INT]] : i32 to i8
// CHECK: %[[EXT:.*]] = arith.extsi %[[Q]] : i8 to i32
// CHECK: %[[SUB:.*]] = arith.subi %[[EXT]], %[[ZP]] : i32
// CHECK: %[[F:.*]] = arith.sitofp %[[SUB]] : i32 to f32
// CHECK: %[[MUL:.*]] = arith.mulf %[[F]], %[[S]] : f32
// CHECK: linalg.yield %[[MUL]] : f32
func.func @fake_quant(%x: tensor<4xf32>) -> tensor<4xf32> {
  %f = qnt.fake_quant %x as !quant.uniform<i8:f32, 0.5:-1> : tensor<4xf32>
  return %f : tensor<4xf32>
}

// -----

// Sub-channel blocks of 32 along dimension 1: (d0, d1) -> (0, d1 floordiv 32).
// Dimension 0 has no block size, so it is one block and may be dynamic.
// CHECK-DAG: #[[$ID:map[0-9]*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[$BLK:map[0-9]*]] = affine_map<(d0, d1) -> (0, d1 floordiv 32)>
// CHECK-LABEL: func.func @fake_quant_blocks(
// CHECK-SAME: %[[ARG:.*]]: tensor<?x64xf32>) -> tensor<?x64xf32>
// CHECK-DAG: %[[SCALES:.*]] = arith.constant dense<{{\[\[}}1.000000e-01, 2.000000e-01]]> : tensor<1x2xf32>
// CHECK-DAG: %[[ZPS:.*]] = arith.constant dense<0> : tensor<1x2xi32>
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : index
// CHECK: %[[DIM:.*]] = tensor.dim %[[ARG]], %[[C0]] : tensor<?x64xf32>
// CHECK: %[[EMPTY:.*]] = tensor.empty(%[[DIM]]) : tensor<?x64xf32>
// CHECK: linalg.generic {indexing_maps = [#[[$ID]], #[[$BLK]], #[[$BLK]], #[[$ID]]], iterator_types = ["parallel", "parallel"]}
// CHECK-SAME: ins(%[[ARG]], %[[SCALES]], %[[ZPS]] : tensor<?x64xf32>, tensor<1x2xf32>, tensor<1x2xi32>) outs(%[[EMPTY]] : tensor<?x64xf32>)
// CHECK: ^bb0(%[[X:[a-z0-9_]+]]: f32, %[[S:[a-z0-9_]+]]: f32, %[[Z:[a-z0-9_]+]]: i32, %{{[a-z0-9_]+}}: f32):
// CHECK: arith.divf %[[X]], %[[S]] : f32
// CHECK: arith.constant -8.000000e+00 : f32
// CHECK: arith.constant 7.000000e+00 : f32
// CHECK: arith.trunci %{{.*}} : i32 to i4
// CHECK: arith.extsi %{{.*}} : i4 to i32
// CHECK: arith.subi %{{.*}}, %[[Z]] : i32
// CHECK: arith.mulf %{{.*}}, %[[S]] : f32
func.func @fake_quant_blocks(%x: tensor<?x64xf32>) -> tensor<?x64xf32> {
  %f = qnt.fake_quant %x as !quant.uniform<i4:f32:{1:32}, {{0.1, 0.2}}> : tensor<?x64xf32>
  return %f : tensor<?x64xf32>
}

// -----

// Blocks on both dimensions: (d0 floordiv 2, d1 floordiv 32); u8 f16 with
// f16-rounded scales, half away from zero.
// CHECK-DAG: #[[$BLK:map[0-9]*]] = affine_map<(d0, d1) -> (d0 floordiv 2, d1 floordiv 32)>
// CHECK-LABEL: func.func @fake_quant_blocks_2d(
// CHECK-SAME: tensor<4x64xf16>) -> tensor<4x64xf16>
// CHECK-DAG: arith.constant dense<{{\[\[}}0.0999755859, 0.199951172], [0.300048828, 0.399902344]]> : tensor<2x2xf32>
// CHECK-DAG: arith.constant dense<{{\[\[}}1, 2], [3, 4]]> : tensor<2x2xi32>
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[$BLK]], #[[$BLK]], #{{.*}}]
// CHECK: arith.extf %{{.*}} : f16 to f32
// CHECK: math.round %{{.*}} : f32
// CHECK: arith.trunci %{{.*}} : i32 to i8
// CHECK: arith.extui %{{.*}} : i8 to i32
// CHECK: arith.truncf %{{.*}} : f32 to f16
func.func @fake_quant_blocks_2d(%x: tensor<4x64xf16>) -> tensor<4x64xf16> {
  %f = qnt.fake_quant %x as !quant.uniform<u8:f16:{0:2,1:32}, {{0.1:1, 0.2:2}, {0.3:3, 0.4:4}}> {rounding = #qnt.rounding<half_away_from_zero>} : tensor<4x64xf16>
  return %f : tensor<4x64xf16>
}

// -----

// quant.scast from storage to quantized disappears: the generic reads the
// argument directly.
// CHECK-LABEL: func.func @scast_from_storage(
// CHECK-SAME: %[[ARG:.*]]: tensor<4xi8>) -> tensor<4xf32>
// CHECK-NOT: quant.scast
// CHECK: linalg.generic
// CHECK-SAME: ins(%[[ARG]] : tensor<4xi8>)
// CHECK-NOT: quant.scast
func.func @scast_from_storage(%s: tensor<4xi8>) -> tensor<4xf32> {
  %q = quant.scast %s : tensor<4xi8> to tensor<4x!quant.uniform<i8:f32, 0.5>>
  %x = qnt.dequantize %q : tensor<4x!quant.uniform<i8:f32, 0.5>> -> tensor<4xf32>
  return %x : tensor<4xf32>
}

// -----

// quant.scast from quantized to storage disappears: the generic's result is
// returned.
// CHECK-LABEL: func.func @scast_to_storage(
// CHECK-SAME: tensor<4xf32>) -> tensor<4xi8>
// CHECK-NOT: quant.scast
// CHECK: %[[RES:.*]] = linalg.generic
// CHECK-NOT: quant.scast
// CHECK: return %[[RES]] : tensor<4xi8>
func.func @scast_to_storage(%x: tensor<4xf32>) -> tensor<4xi8> {
  %q = qnt.quantize %x : tensor<4xf32> -> tensor<4x!quant.uniform<i8:f32, 0.5>>
  %s = quant.scast %q : tensor<4x!quant.uniform<i8:f32, 0.5>> to tensor<4xi8>
  return %s : tensor<4xi8>
}

// -----

// Quantized tensors passed through calls and declarations become storage
// tensors; unrelated types are untouched.
// CHECK-LABEL: func.func @call_quantized(
// CHECK-SAME: %[[ARG:.*]]: tensor<4xi8>, %[[F:.*]]: tensor<*xf32>) -> (tensor<4xi8>, tensor<*xf32>)
// CHECK: %[[R:.*]] = call @external(%[[ARG]]) : (tensor<4xi8>) -> tensor<4xi8>
// CHECK: return %[[R]], %[[F]] : tensor<4xi8>, tensor<*xf32>
// CHECK: func.func private @external(tensor<4xi8>) -> tensor<4xi8>
func.func @call_quantized(%q: tensor<4x!quant.uniform<u8:f32, 0.5:3>>, %f: tensor<*xf32>) -> (tensor<4x!quant.uniform<u8:f32, 0.5:3>>, tensor<*xf32>) {
  %r = call @external(%q) : (tensor<4x!quant.uniform<u8:f32, 0.5:3>>) -> tensor<4x!quant.uniform<u8:f32, 0.5:3>>
  return %r, %f : tensor<4x!quant.uniform<u8:f32, 0.5:3>>, tensor<*xf32>
}
func.func private @external(tensor<4x!quant.uniform<u8:f32, 0.5:3>>) -> tensor<4x!quant.uniform<u8:f32, 0.5:3>>
