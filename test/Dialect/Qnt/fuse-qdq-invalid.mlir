// RUN: quant-opt %s --split-input-file --qnt-fuse-qdq --verify-diagnostics | FileCheck %s

// s_x * s_w = 1e-10 * 1e-10 in f32 makes the bias 1.0 quantize to 1e20,
// outside i32: the layer stays in float, with a warning.
!qx = !quant.uniform<i8:f32, 1.0e-10>
!qw = !quant.uniform<i8<-127:127>:f32, 1.0e-10>
!qy = !quant.uniform<i8:f32, 0.5>
#id = affine_map<(d0, d1) -> (d0, d1)>
#ch = affine_map<(d0, d1) -> (d1)>

// CHECK-LABEL: func.func @bias_overflow
// CHECK: linalg.matmul
// CHECK-NOT: qnt.matmul
func.func @bias_overflow(%arg0: tensor<1x2x!qx>) -> tensor<1x2x!qy> {
  %zero = arith.constant 0.0 : f32
  %a = qnt.dequantize %arg0 : tensor<1x2x!qx> -> tensor<1x2xf32>
  %w = arith.constant dense<1.0e-9> : tensor<2x2xf32>
  %wq = qnt.quantize %w : tensor<2x2xf32> -> tensor<2x2x!qw>
  %wd = qnt.dequantize %wq : tensor<2x2x!qw> -> tensor<2x2xf32>
  %e = tensor.empty() : tensor<1x2xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x2xf32>) -> tensor<1x2xf32>
  // expected-warning@+1 {{layer linalg.matmul stays in float: its bias does not fit in i32 (channel 1: 1.000000e+00 / (s_x * s_w = 1.000000e-20)}}
  %mm = linalg.matmul ins(%a, %wd : tensor<1x2xf32>, tensor<2x2xf32>) outs(%init : tensor<1x2xf32>) -> tensor<1x2xf32>
  %b = arith.constant dense<[0.0, 1.0]> : tensor<2xf32>
  %biased = linalg.generic {indexing_maps = [#id, #ch, #id], iterator_types = ["parallel", "parallel"]} ins(%mm, %b : tensor<1x2xf32>, tensor<2xf32>) outs(%e : tensor<1x2xf32>) {
  ^bb0(%in: f32, %in2: f32, %out: f32):
    %s = arith.addf %in, %in2 : f32
    linalg.yield %s : f32
  } -> tensor<1x2xf32>
  %y = qnt.quantize %biased : tensor<1x2xf32> -> tensor<1x2x!qy>
  return %y : tensor<1x2x!qy>
}

// -----

// 16-bit operands: 3 products of 32768 * 32767 can wrap the i32 accumulator
// (qnt_c17), so no qnt.matmul is created.
!qx = !quant.uniform<i16:f32, 0.001>
!qw = !quant.uniform<i16:f32, 0.001>
!qy = !quant.uniform<i8:f32, 0.5>

// CHECK-LABEL: func.func @accumulator_bound
// CHECK: linalg.matmul
// CHECK-NOT: qnt.matmul
func.func @accumulator_bound(%arg0: tensor<1x3x!qx>) -> tensor<1x2x!qy> {
  %zero = arith.constant 0.0 : f32
  %a = qnt.dequantize %arg0 : tensor<1x3x!qx> -> tensor<1x3xf32>
  %w = arith.constant dense<1.0> : tensor<3x2xf32>
  %wq = qnt.quantize %w : tensor<3x2xf32> -> tensor<3x2x!qw>
  %wd = qnt.dequantize %wq : tensor<3x2x!qw> -> tensor<3x2xf32>
  %e = tensor.empty() : tensor<1x2xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x2xf32>) -> tensor<1x2xf32>
  // expected-warning@+1 {{layer linalg.matmul stays in float: the fused qnt.matmul would not verify: 'qnt.matmul' op qnt_c17: the i32 accumulator can overflow}}
  %mm = linalg.matmul ins(%a, %wd : tensor<1x3xf32>, tensor<3x2xf32>) outs(%init : tensor<1x2xf32>) -> tensor<1x2xf32>
  %y = qnt.quantize %mm : tensor<1x2xf32> -> tensor<1x2x!qy>
  return %y : tensor<1x2x!qy>
}

// -----

// An i32 bias whose scale is f32(0.03), one unit below the accumulator's
// f32(0.1) * f32(0.3) = 0.030000001192092896: not fused, with a warning.
!qa = !quant.uniform<i8:f32, 0.1>
!qw = !quant.uniform<i8<-127:127>:f32, 0.3>
!qb = !quant.uniform<i32:f32, 0.03>
!qy = !quant.uniform<i8:f32, 0.25>
#id = affine_map<(d0, d1) -> (d0, d1)>
#ch = affine_map<(d0, d1) -> (d1)>

// CHECK-LABEL: func.func @i32_bias_scale_mismatch
// CHECK: linalg.matmul
// CHECK-NOT: qnt.matmul
func.func @i32_bias_scale_mismatch(%arg0: tensor<1x2x!qa>) -> tensor<1x2x!qy> {
  %zero = arith.constant 0.0 : f32
  %a = qnt.dequantize %arg0 : tensor<1x2x!qa> -> tensor<1x2xf32>
  %ws = arith.constant dense<[[1, 2], [3, 4]]> : tensor<2x2xi8>
  %wq = quant.scast %ws : tensor<2x2xi8> to tensor<2x2x!qw>
  %wd = qnt.dequantize %wq : tensor<2x2x!qw> -> tensor<2x2xf32>
  %e = tensor.empty() : tensor<1x2xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x2xf32>) -> tensor<1x2xf32>
  // expected-warning@+1 {{layer linalg.matmul stays in float: its i32 bias is not on the accumulator's grid (channel 0: scale 2.999999933e-02, zero point 0; s_x * s_w = 3.000000119e-02, zero point 0)}}
  %mm = linalg.matmul ins(%a, %wd : tensor<1x2xf32>, tensor<2x2xf32>) outs(%init : tensor<1x2xf32>) -> tensor<1x2xf32>
  %bs = arith.constant dense<[7, -7]> : tensor<2xi32>
  %bq = quant.scast %bs : tensor<2xi32> to tensor<2x!qb>
  %b = qnt.dequantize %bq : tensor<2x!qb> -> tensor<2xf32>
  %biased = linalg.generic {indexing_maps = [#id, #ch, #id], iterator_types = ["parallel", "parallel"]} ins(%mm, %b : tensor<1x2xf32>, tensor<2xf32>) outs(%e : tensor<1x2xf32>) {
  ^bb0(%in: f32, %in2: f32, %out: f32):
    %s = arith.addf %in, %in2 : f32
    linalg.yield %s : f32
  } -> tensor<1x2xf32>
  %y = qnt.quantize %biased : tensor<1x2xf32> -> tensor<1x2x!qy>
  return %y : tensor<1x2x!qy>
}

// -----

// A per-channel i32 bias with a nonzero zero point on channel 1: not fused.
!qa = !quant.uniform<i8:f32, 0.5>
!qw = !quant.uniform<i8<-127:127>:f32:1, {0.25, 0.125}>
!qb = !quant.uniform<i32:f32:0, {0.125, 0.0625:4}>
!qy = !quant.uniform<i8:f32, 0.25>
#id = affine_map<(d0, d1) -> (d0, d1)>
#ch = affine_map<(d0, d1) -> (d1)>

// CHECK-LABEL: func.func @i32_bias_zero_point
// CHECK: linalg.matmul
// CHECK-NOT: qnt.matmul
func.func @i32_bias_zero_point(%arg0: tensor<1x2x!qa>) -> tensor<1x2x!qy> {
  %zero = arith.constant 0.0 : f32
  %a = qnt.dequantize %arg0 : tensor<1x2x!qa> -> tensor<1x2xf32>
  %ws = arith.constant dense<[[1, 2], [3, 4]]> : tensor<2x2xi8>
  %wq = quant.scast %ws : tensor<2x2xi8> to tensor<2x2x!qw>
  %wd = qnt.dequantize %wq : tensor<2x2x!qw> -> tensor<2x2xf32>
  %e = tensor.empty() : tensor<1x2xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x2xf32>) -> tensor<1x2xf32>
  // expected-warning@+1 {{its i32 bias is not on the accumulator's grid (channel 1: scale 6.250000000e-02, zero point 4; s_x * s_w = 6.250000000e-02, zero point 0)}}
  %mm = linalg.matmul ins(%a, %wd : tensor<1x2xf32>, tensor<2x2xf32>) outs(%init : tensor<1x2xf32>) -> tensor<1x2xf32>
  %bs = arith.constant dense<[7, -7]> : tensor<2xi32>
  %bq = quant.scast %bs : tensor<2xi32> to tensor<2x!qb>
  %b = qnt.dequantize %bq : tensor<2x!qb> -> tensor<2xf32>
  %biased = linalg.generic {indexing_maps = [#id, #ch, #id], iterator_types = ["parallel", "parallel"]} ins(%mm, %b : tensor<1x2xf32>, tensor<2xf32>) outs(%e : tensor<1x2xf32>) {
  ^bb0(%in: f32, %in2: f32, %out: f32):
    %s = arith.addf %in, %in2 : f32
    linalg.yield %s : f32
  } -> tensor<1x2xf32>
  %y = qnt.quantize %biased : tensor<1x2xf32> -> tensor<1x2x!qy>
  return %y : tensor<1x2x!qy>
}
