// RUN: quant-opt %s --qnt-lower-to-cpu-pipeline | FileCheck %s \
// RUN:   --implicit-check-not=qnt. --implicit-check-not=linalg. \
// RUN:   --implicit-check-not=memref.copy --implicit-check-not=func.func \
// RUN:   --implicit-check-not=memref. --implicit-check-not=tensor. \
// RUN:   --implicit-check-not=arith. --implicit-check-not=math. \
// RUN:   --implicit-check-not=scf. --implicit-check-not=cf. \
// RUN:   --implicit-check-not=bufferization. \
// RUN:   --implicit-check-not=unrealized_conversion_cast \
// RUN:   --implicit-check-not=memrefCopy
// RUN: true | not quant-opt %s --pass-pipeline='builtin.module(qnt-lower-to-cpu-pipeline{foo=1})' 2>&1 | FileCheck %s --check-prefix=OPTS
// RUN: true | not quant-opt %s --pass-pipeline='builtin.module(qnt-lower-to-cpu-pipeline{float-kernels=maybe})' 2>&1 | FileCheck %s --check-prefix=OPTS-VALUE
// OPTS-VALUE: error: qnt-lower-to-cpu-pipeline takes only int8-kernels=true|false and float-kernels=true|false, got 'float-kernels=maybe'
// Both kernel options off: the same LLVM-dialect form (checked below).
// RUN: quant-opt %s --pass-pipeline='builtin.module(qnt-lower-to-cpu-pipeline{int8-kernels=false float-kernels=false})' | FileCheck %s \
// RUN:   --implicit-check-not=qnt. --implicit-check-not=linalg. --implicit-check-not=quant_layer_run

// qnt-lower-to-cpu-pipeline takes tensor-level qnt IR to the LLVM dialect:
// nothing but llvm.* ops remain, every public function gets a C interface
// wrapper, rounding half to even is the LLVM intrinsic, and the copy that
// bufferizing the padded convolution's tensor.pad creates is lowered to
// loops rather than a call to the `memrefCopy` runtime helper.

!qa = !quant.uniform<i8:f32, 0.5:-1>
!qw = !quant.uniform<i8:f32, 0.25>
!qy = !quant.uniform<i8:f32, 1.0:3>

// CHECK-LABEL: llvm.func @quantize_matmul(
// CHECK-SAME: attributes {llvm.emit_c_interface}
// quantize, then the float requantization epilogue.
// CHECK: llvm.intr.roundeven
// CHECK: llvm.intr.roundeven
// CHECK: llvm.return
// CHECK-LABEL: llvm.func @_mlir_ciface_quantize_matmul(
// CHECK: llvm.call @quantize_matmul(
func.func @quantize_matmul(%x: tensor<4x16xf32>, %w: tensor<16x8x!qw>, %b: tensor<8xi32>) -> tensor<4x8x!qy> {
  %a = qnt.quantize %x : tensor<4x16xf32> -> tensor<4x16x!qa>
  %y = qnt.matmul %a, %w bias %b : tensor<4x16x!qa>, tensor<16x8x!qw>, tensor<8xi32> -> tensor<4x8x!qy>
  return %y : tensor<4x8x!qy>
}

// CHECK-LABEL: llvm.func @padded_conv(
// CHECK-SAME: attributes {llvm.emit_c_interface}
// CHECK: llvm.return
// CHECK-LABEL: llvm.func @_mlir_ciface_padded_conv(
// CHECK: llvm.call @padded_conv(
func.func @padded_conv(%x: tensor<1x2x4x4x!quant.uniform<u8:f32, 0.1:128>>, %w: tensor<2x2x3x3x!qw>) -> tensor<1x2x4x4xi32> {
  %y = qnt.conv2d %x, %w {padding = array<i64: 1, 1, 1, 1>} : tensor<1x2x4x4x!quant.uniform<u8:f32, 0.1:128>>, tensor<2x2x3x3x!qw> -> tensor<1x2x4x4xi32>
  return %y : tensor<1x2x4x4xi32>
}

// The pipeline has no options; asking for one fails the pass manager.
// (`true |` is there because lit substitutes LLVM's `not` only after a
// pipe; outside Integration/CPU it is not on PATH at the start of a line.)
// OPTS: error: qnt-lower-to-cpu-pipeline takes only int8-kernels=true|false and float-kernels=true|false, got 'foo=1'
// OPTS-NEXT: failed to add `qnt-lower-to-cpu-pipeline` with options `foo=1`
