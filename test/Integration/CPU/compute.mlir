// Integer compute ops through the JIT against the NumPy reference of
// Inputs/compute_ref.py (same cases, same types): integers must match
// exactly, in float and integer requantization modes.

// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/Inputs/compute_ref.py gen matmul %t
// RUN: quant-run %s --function=matmul --input=%t/a.npy --input=%t/w.npy --input=%t/b.npy --output=%t/out.npz
// RUN: %python %S/Inputs/compute_ref.py check matmul %t %t/out.npz | FileCheck %s --check-prefix=MATMUL
// MATMUL: OK matmul 20 elements

// RUN: %python %S/Inputs/compute_ref.py gen matmul_int %t
// RUN: quant-run %s --function=matmul_int --input=%t/a.npy --input=%t/w.npy --input=%t/b.npy --output=%t/out.npz
// RUN: %python %S/Inputs/compute_ref.py check matmul_int %t %t/out.npz | FileCheck %s --check-prefix=MATMUL-INT
// MATMUL-INT: OK matmul_int 20 elements

// RUN: %python %S/Inputs/compute_ref.py gen batch_matmul_i32 %t
// RUN: quant-run %s --function=batch_matmul_i32 --input=%t/a.npy --input=%t/w.npy --output=%t/out.npz
// RUN: %python %S/Inputs/compute_ref.py check batch_matmul_i32 %t %t/out.npz | FileCheck %s --check-prefix=BMM
// BMM: OK batch_matmul_i32 30 elements

// RUN: %python %S/Inputs/compute_ref.py gen matmul_extremes %t
// RUN: quant-run %s --function=matmul_extremes --input=%t/a.npy --input=%t/w.npy --output=%t/out.npz | FileCheck %s --check-prefix=EXTREMES-OUT
// 64 * 255 * (-128 - 127) = -4161600 in the first row; 0 in the second.
// EXTREMES-OUT: output_0: int32[2x3]  min -4161600 max 0 mean -2.0808e+06  [-4161600, -4161600, -4161600, 0, 0, 0]
// RUN: %python %S/Inputs/compute_ref.py check matmul_extremes %t %t/out.npz | FileCheck %s --check-prefix=EXTREMES
// EXTREMES: OK matmul_extremes 6 elements

// RUN: %python %S/Inputs/compute_ref.py gen conv_nchw %t
// RUN: quant-run %s --function=conv_nchw --input=%t/x.npy --input=%t/w.npy --input=%t/b.npy --output=%t/out.npz
// RUN: %python %S/Inputs/compute_ref.py check conv_nchw %t %t/out.npz | FileCheck %s --check-prefix=CONV
// CONV: OK conv_nchw 256 elements

// RUN: %python %S/Inputs/compute_ref.py gen conv_nchw_int %t
// RUN: quant-run %s --function=conv_nchw_int --input=%t/x.npy --input=%t/w.npy --input=%t/b.npy --output=%t/out.npz
// RUN: %python %S/Inputs/compute_ref.py check conv_nchw_int %t %t/out.npz | FileCheck %s --check-prefix=CONV-INT
// CONV-INT: OK conv_nchw_int 256 elements

// RUN: %python %S/Inputs/compute_ref.py gen conv_nhwc_depthwise %t
// RUN: quant-run %s --function=conv_nhwc_depthwise --input=%t/x.npy --input=%t/w.npy --output=%t/out.npz
// RUN: %python %S/Inputs/compute_ref.py check conv_nhwc_depthwise %t %t/out.npz | FileCheck %s --check-prefix=DW
// DW: OK conv_nhwc_depthwise 108 elements

// RUN: %python %S/Inputs/compute_ref.py gen add %t
// RUN: quant-run %s --function=add --input=%t/a.npy --input=%t/b.npy --output=%t/out.npz
// RUN: %python %S/Inputs/compute_ref.py check add %t %t/out.npz | FileCheck %s --check-prefix=ADD
// ADD: OK add 132 elements

// RUN: %python %S/Inputs/compute_ref.py gen add_int %t
// RUN: quant-run %s --function=add_int --input=%t/a.npy --input=%t/b.npy --output=%t/out.npz
// RUN: %python %S/Inputs/compute_ref.py check add_int %t %t/out.npz | FileCheck %s --check-prefix=ADD-INT
// ADD-INT: OK add_int 132 elements

// RUN: %python %S/Inputs/compute_ref.py gen mul %t
// RUN: quant-run %s --function=mul --input=%t/a.npy --input=%t/b.npy --output=%t/out.npz
// RUN: %python %S/Inputs/compute_ref.py check mul %t %t/out.npz | FileCheck %s --check-prefix=MUL
// MUL: OK mul 51 elements

// RUN: %python %S/Inputs/compute_ref.py gen mul_int %t
// RUN: quant-run %s --function=mul_int --input=%t/a.npy --input=%t/b.npy --output=%t/out.npz
// RUN: %python %S/Inputs/compute_ref.py check mul_int %t %t/out.npz | FileCheck %s --check-prefix=MUL-INT
// MUL-INT: OK mul_int 51 elements

// RUN: %python %S/Inputs/compute_ref.py gen matmul_multiplier %t
// RUN: quant-run %s --function=matmul_multiplier --input=%t/a.npy --input=%t/w.npy --output=%t/out.npz
// RUN: %python %S/Inputs/compute_ref.py check matmul_multiplier %t %t/out.npz | FileCheck %s --check-prefix=MM-MULT
// MM-MULT: OK matmul_multiplier 256 elements

// RUN: %python %S/Inputs/compute_ref.py gen mul_ties %t
// RUN: quant-run %s --function=mul_ties --input=%t/a.npy --input=%t/b.npy --output=%t/out.npz
// RUN: %python %S/Inputs/compute_ref.py check mul_ties %t %t/out.npz | FileCheck %s --check-prefix=MUL-TIES
// MUL-TIES: OK mul_ties 576 elements

!u8a = !quant.uniform<u8:f32, 0.05:128>
!wpc = !quant.uniform<i8:f32:1, {0.02, 0.01, 0.04, 0.03}>
!i8y = !quant.uniform<i8:f32, 0.3:-3>

func.func @matmul(%a: tensor<?x16x!u8a>, %w: tensor<16x4x!wpc>, %b: tensor<4xi32>) -> tensor<?x4x!i8y> {
  %y = qnt.matmul %a, %w bias %b {clamp_min = -3 : i64} : tensor<?x16x!u8a>, tensor<16x4x!wpc>, tensor<4xi32> -> tensor<?x4x!i8y>
  return %y : tensor<?x4x!i8y>
}

func.func @matmul_int(%a: tensor<5x16x!u8a>, %w: tensor<16x4x!wpc>, %b: tensor<4xi32>) -> tensor<5x4x!i8y> {
  %y = qnt.matmul %a, %w bias %b {requantize = #qnt.requantize<integer>, clamp_min = -3 : i64} : tensor<5x16x!u8a>, tensor<16x4x!wpc>, tensor<4xi32> -> tensor<5x4x!i8y>
  return %y : tensor<5x4x!i8y>
}

func.func @batch_matmul_i32(%a: tensor<2x3x7x!quant.uniform<i8:f32, 0.5:3>>, %w: tensor<2x7x5x!quant.uniform<i8:f32, 0.25:-2>>) -> tensor<2x3x5xi32> {
  %y = qnt.matmul %a, %w : tensor<2x3x7x!quant.uniform<i8:f32, 0.5:3>>, tensor<2x7x5x!quant.uniform<i8:f32, 0.25:-2>> -> tensor<2x3x5xi32>
  return %y : tensor<2x3x5xi32>
}

func.func @matmul_extremes(%a: tensor<2x64x!quant.uniform<u8:f32, 1.0>>, %w: tensor<64x3x!quant.uniform<i8:f32, 1.0:127>>) -> tensor<2x3xi32> {
  %y = qnt.matmul %a, %w : tensor<2x64x!quant.uniform<u8:f32, 1.0>>, tensor<64x3x!quant.uniform<i8:f32, 1.0:127>> -> tensor<2x3xi32>
  return %y : tensor<2x3xi32>
}

!u8x = !quant.uniform<u8:f32, 0.1:100>
!wconv = !quant.uniform<i8:f32:0, {0.05, 0.02, 0.01, 0.04}>
!u8y = !quant.uniform<u8:f32, 0.5:10>

func.func @conv_nchw(%x: tensor<?x4x9x9x!u8x>, %w: tensor<4x2x3x3x!wconv>, %b: tensor<4xi32>) -> tensor<?x4x4x8x!u8y> {
  %y = qnt.conv2d %x, %w bias %b {groups = 2 : i64, strides = array<i64: 2, 1>, padding = array<i64: 1, 2, 0, 1>, dilations = array<i64: 1, 2>} : tensor<?x4x9x9x!u8x>, tensor<4x2x3x3x!wconv>, tensor<4xi32> -> tensor<?x4x4x8x!u8y>
  return %y : tensor<?x4x4x8x!u8y>
}

func.func @conv_nchw_int(%x: tensor<2x4x9x9x!u8x>, %w: tensor<4x2x3x3x!wconv>, %b: tensor<4xi32>) -> tensor<2x4x4x8x!u8y> {
  %y = qnt.conv2d %x, %w bias %b {groups = 2 : i64, strides = array<i64: 2, 1>, padding = array<i64: 1, 2, 0, 1>, dilations = array<i64: 1, 2>, requantize = #qnt.requantize<integer>} : tensor<2x4x9x9x!u8x>, tensor<4x2x3x3x!wconv>, tensor<4xi32> -> tensor<2x4x4x8x!u8y>
  return %y : tensor<2x4x4x8x!u8y>
}

func.func @conv_nhwc_depthwise(%x: tensor<1x6x6x3x!quant.uniform<i8:f32, 0.05:-1>>, %w: tensor<3x3x1x3x!quant.uniform<i8:f32, 0.02>>) -> tensor<1x6x6x3x!quant.uniform<i8:f32, 0.1>> {
  %y = qnt.conv2d %x, %w {layout = #qnt.layout<nhwc>, groups = 3 : i64, padding = array<i64: 1, 1, 1, 1>, clamp_min = 0 : i64, clamp_max = 100 : i64} : tensor<1x6x6x3x!quant.uniform<i8:f32, 0.05:-1>>, tensor<3x3x1x3x!quant.uniform<i8:f32, 0.02>> -> tensor<1x6x6x3x!quant.uniform<i8:f32, 0.1>>
  return %y : tensor<1x6x6x3x!quant.uniform<i8:f32, 0.1>>
}

!ua = !quant.uniform<u8:f32, 0.1:120>
!ub = !quant.uniform<u8:f32, 0.05:30>
!uy = !quant.uniform<u8:f32, 0.12:60>

func.func @add(%a: tensor<4x33x!ua>, %b: tensor<4x33x!ub>) -> tensor<4x33x!uy> {
  %y = qnt.add %a, %b : tensor<4x33x!ua>, tensor<4x33x!ub> -> tensor<4x33x!uy>
  return %y : tensor<4x33x!uy>
}

func.func @add_int(%a: tensor<4x33x!ua>, %b: tensor<4x33x!ub>) -> tensor<4x33x!uy> {
  %y = qnt.add %a, %b {requantize = #qnt.requantize<integer>} : tensor<4x33x!ua>, tensor<4x33x!ub> -> tensor<4x33x!uy>
  return %y : tensor<4x33x!uy>
}

!ma = !quant.uniform<i8:f32, 0.1:5>
!mb = !quant.uniform<i8:f32, 0.2:-7>
!my = !quant.uniform<i8:f32, 0.25:-1>

func.func @mul(%a: tensor<3x17x!ma>, %b: tensor<3x17x!mb>) -> tensor<3x17x!my> {
  %y = qnt.mul %a, %b : tensor<3x17x!ma>, tensor<3x17x!mb> -> tensor<3x17x!my>
  return %y : tensor<3x17x!my>
}

func.func @mul_int(%a: tensor<3x17x!ma>, %b: tensor<3x17x!mb>) -> tensor<3x17x!my> {
  %y = qnt.mul %a, %b {requantize = #qnt.requantize<integer>} : tensor<3x17x!ma>, tensor<3x17x!mb> -> tensor<3x17x!my>
  return %y : tensor<3x17x!my>
}

func.func @matmul_multiplier(%a: tensor<256x1x!quant.uniform<i8:f32, 0.1>>, %w: tensor<1x1x!quant.uniform<i8:f32, 0.2>>) -> tensor<256x1x!quant.uniform<i8:f32, 0.2>> {
  %y = qnt.matmul %a, %w : tensor<256x1x!quant.uniform<i8:f32, 0.1>>, tensor<1x1x!quant.uniform<i8:f32, 0.2>> -> tensor<256x1x!quant.uniform<i8:f32, 0.2>>
  return %y : tensor<256x1x!quant.uniform<i8:f32, 0.2>>
}

func.func @mul_ties(%a: tensor<24x24x!quant.uniform<i8:f32, 0.5>>, %b: tensor<24x24x!quant.uniform<i8:f32, 0.5>>) -> tensor<24x24x!quant.uniform<i8:f32, 0.5:1>> {
  %y = qnt.mul %a, %b : tensor<24x24x!quant.uniform<i8:f32, 0.5>>, tensor<24x24x!quant.uniform<i8:f32, 0.5>> -> tensor<24x24x!quant.uniform<i8:f32, 0.5:1>>
  return %y : tensor<24x24x!quant.uniform<i8:f32, 0.5:1>>
}
