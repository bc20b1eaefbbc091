// RUN: quant-opt %s --qnt-lower-to-cpu-pipeline --mlir-elide-elementsattrs-if-larger=16 | FileCheck %s

// An int8 layer runs on the OpenMP team from 8M multiply-adds on (the
// kernels' work per output element is K / 32 operations against
// qnt-parallel-min-work's 262144): 512 x 1024 x 1024 does, in one task per
// thread; 4 x 96 x 40 stays on the calling thread without entering the
// OpenMP runtime.
// CHECK-LABEL: llvm.func @big
// CHECK: llvm.call @omp_get_max_threads
// CHECK: omp.parallel
// CHECK: omp.loop_nest
// CHECK-SAME: collapse(2)
// CHECK: llvm.call @quant_layer_run
// CHECK: llvm.call @quant_layer_run
// CHECK-LABEL: llvm.func @small
// CHECK-NOT: omp.parallel
// CHECK: llvm.call @quant_layer_run
// CHECK-NOT: omp.parallel
// CHECK: llvm.return
func.func @big(%a: tensor<512x1024x!quant.uniform<u8:f32, 0.02:3>>) -> tensor<512x1024x!quant.uniform<u8:f32, 0.05:5>> {
  %wc = arith.constant dense<3> : tensor<1024x1024xi8>
  %w = quant.scast %wc : tensor<1024x1024xi8> to tensor<1024x1024x!quant.uniform<i8:f32, 0.01>>
  %y = qnt.matmul %a, %w : tensor<512x1024x!quant.uniform<u8:f32, 0.02:3>>, tensor<1024x1024x!quant.uniform<i8:f32, 0.01>> -> tensor<512x1024x!quant.uniform<u8:f32, 0.05:5>>
  return %y : tensor<512x1024x!quant.uniform<u8:f32, 0.05:5>>
}

func.func @small(%a: tensor<4x96x!quant.uniform<u8:f32, 0.02:3>>) -> tensor<4x40x!quant.uniform<u8:f32, 0.05:5>> {
  %wc = arith.constant dense<3> : tensor<96x40xi8>
  %w = quant.scast %wc : tensor<96x40xi8> to tensor<96x40x!quant.uniform<i8:f32, 0.01>>
  %y = qnt.matmul %a, %w : tensor<4x96x!quant.uniform<u8:f32, 0.02:3>>, tensor<96x40x!quant.uniform<i8:f32, 0.01>> -> tensor<4x40x!quant.uniform<u8:f32, 0.05:5>>
  return %y : tensor<4x40x!quant.uniform<u8:f32, 0.05:5>>
}
