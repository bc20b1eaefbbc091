// RUN: quant-opt %s --split-input-file --qnt-insert-observers --verify-diagnostics
// RUN: not quant-opt %s --qnt-insert-observers=skip-kinds=pool 2>&1 | FileCheck %s --check-prefix=KIND
// RUN: not quant-opt %s --qnt-insert-observers="skip-names=(conv" 2>&1 | FileCheck %s --check-prefix=REGEX
// RUN: not quant-opt %s --qnt-insert-observers=weight-granularity=per-group 2>&1 | FileCheck %s --check-prefix=GRAN
// RUN: not quant-opt %s --qnt-insert-observers=weight-bits=1 2>&1 | FileCheck %s --check-prefix=BITS
// RUN: not quant-opt %s --qnt-insert-observers=activation-bits=17 2>&1 | FileCheck %s --check-prefix=ABITS

// Option errors are reported on the module, before anything is rewritten.
// KIND: error: qnt-insert-observers: unknown op kind 'pool' in skip-kinds (expected conv, matmul, add or concat)
// REGEX: error: qnt-insert-observers: invalid regular expression '(conv' in skip-names: parentheses not balanced
// GRAN: error: qnt-insert-observers: weight-granularity must be per-channel or per-tensor, got 'per-group'
// BITS: error: qnt-insert-observers: bit widths must be 2 to 16, got weight-bits=1 activation-bits=8
// ABITS: error: qnt-insert-observers: bit widths must be 2 to 16, got weight-bits=8 activation-bits=17

// A NaN weight cannot be quantized: the error names the constant (its ONNX
// initializer name) and the flat index. The importer's NameLoc here has
// no file location, so the diagnostic has an unknown location.
func.func @nan_weight(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  // expected-error@unknown {{weight 'fc.weight' has a non-finite value (nan) at flat index 3; it cannot be quantized}}
  %w = arith.constant dense<[[1.0, 2.0], [3.0, 0x7FC00000]]> : tensor<2x2xf32> loc("fc.weight")
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x2xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x2xf32>) -> tensor<1x2xf32>
  %y = linalg.matmul ins(%x, %w : tensor<1x2xf32>, tensor<2x2xf32>) outs(%init : tensor<1x2xf32>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}

// -----

// An infinite weight too.
func.func @inf_weight(%x: tensor<1x1x2x2xf32>) -> tensor<1x2x2x2xf32> {
  // expected-error@unknown {{weight 'conv1.weight' has a non-finite value (-INF) at flat index 1; it cannot be quantized}}
  %w = arith.constant dense<[[[[1.0]]], [[[0xFF800000]]]]> : tensor<2x1x1x1xf32> loc("conv1.weight")
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x2x2x2xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  %y = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x1x2x2xf32>, tensor<2x1x1x1xf32>) outs(%init : tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  return %y : tensor<1x2x2x2xf32>
}
