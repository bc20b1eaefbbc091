// Debian's unmodified mlir-opt-22 parses qnt IR and runs a quant pass through
// the plugin. An instrumented plugin cannot load into the uninstrumented tool.
// UNSUPPORTED: sanitizers
// RUN: %mlir-opt %s --load-dialect-plugin=%quant_lib_dir/QuantPlugin%shlibext \
// RUN:   --load-pass-plugin=%quant_lib_dir/QuantPlugin%shlibext \
// RUN:   --pass-pipeline="builtin.module(qnt-expand-fake-quant)" | FileCheck %s

// CHECK-LABEL: func.func @expand
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>)
// CHECK: %[[Q:.*]] = qnt.quantize %[[X]] {rounding = #qnt.rounding<half_away_from_zero>} : tensor<2x3xf32> -> tensor<2x3x!quant.uniform<i4:f32:0, {1.000000e-01,2.000000e-01:1}>>
// CHECK: %[[D:.*]] = qnt.dequantize %[[Q]] : tensor<2x3x!quant.uniform<i4:f32:0, {1.000000e-01,2.000000e-01:1}>> -> tensor<2x3xf32>
// CHECK: return %[[D]]
func.func @expand(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %y = qnt.fake_quant %x as !quant.uniform<i4:f32:0, {0.1, 0.2:1}> {rounding = #qnt.rounding<half_away_from_zero>} : tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}
