// RUN: quant-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(qnt-collapse-elementwise-dims))' | FileCheck %s

#id4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#nhwc = affine_map<(d0, d1, d2, d3) -> (d0, d2, d3, d1)>

// An image quantized from NCHW into NHWC: H and W are contiguous in both
// operands and become one loop of 784; the batch stays a loop of its own.
// CHECK-LABEL: func.func @nchw_to_nhwc
// CHECK-SAME: (%[[X:.*]]: tensor<?x1x28x28xf32>
// CHECK-DAG: %[[XC:.*]] = tensor.collapse_shape %[[X]] {{\[}}[0], [1], [2, 3]] : tensor<?x1x28x28xf32> into tensor<?x1x784xf32>
// CHECK-DAG: %[[EC:.*]] = tensor.collapse_shape %{{.*}} {{\[}}[0], [1, 2], [3]] : tensor<?x28x28x1xi8> into tensor<?x784x1xi8>
// CHECK: %[[G:.*]] = linalg.generic {indexing_maps = [#{{.*}}, #{{.*}}], iterator_types = ["parallel", "parallel", "parallel"]} ins(%[[XC]] : tensor<?x1x784xf32>) outs(%[[EC]] : tensor<?x784x1xi8>)
// CHECK: %[[Y:.*]] = tensor.expand_shape %[[G]] {{\[}}[0], [1, 2], [3]] output_shape [%{{.*}}, 28, 28, 1] : tensor<?x784x1xi8> into tensor<?x28x28x1xi8>
// CHECK: return %[[Y]]
func.func @nchw_to_nhwc(%x: tensor<?x1x28x28xf32>, %e: tensor<?x28x28x1xi8>) -> tensor<?x28x28x1xi8> {
  %r = linalg.generic {indexing_maps = [#id4, #nhwc], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%x : tensor<?x1x28x28xf32>) outs(%e : tensor<?x28x28x1xi8>) {
  ^bb0(%in: f32, %out: i8):
    %i = arith.fptosi %in : f32 to i8
    linalg.yield %i : i8
  } -> tensor<?x28x28x1xi8>
  return %r : tensor<?x28x28x1xi8>
}

// -----

#id4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>

// An add of two NHWC feature maps: one loop over H x W x C.
// CHECK-LABEL: func.func @add_nhwc
// CHECK: tensor.collapse_shape %{{.*}} {{\[}}[0], [1, 2, 3]] : tensor<?x14x14x16xi8> into tensor<?x3136xi8>
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel"]} ins(%{{.*}}, %{{.*}} : tensor<?x3136xi8>, tensor<?x3136xi8>)
// CHECK: tensor.expand_shape %{{.*}} {{\[}}[0], [1, 2, 3]] output_shape [%{{.*}}, 14, 14, 16]
func.func @add_nhwc(%a: tensor<?x14x14x16xi8>, %b: tensor<?x14x14x16xi8>, %e: tensor<?x14x14x16xi8>) -> tensor<?x14x14x16xi8> {
  %r = linalg.generic {indexing_maps = [#id4, #id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%a, %b : tensor<?x14x14x16xi8>, tensor<?x14x14x16xi8>) outs(%e : tensor<?x14x14x16xi8>) {
  ^bb0(%x: i8, %y: i8, %out: i8):
    %s = arith.addi %x, %y : i8
    linalg.yield %s : i8
  } -> tensor<?x14x14x16xi8>
  return %r : tensor<?x14x14x16xi8>
}

// -----

#id4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#perchannel = affine_map<(d0, d1, d2, d3) -> (0, d1, 0, 0)>
#hw = affine_map<(d0, d1, d2, d3) -> (d0, d2, d1, d3)>
#win = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2 * 2 + d4, d3 * 2 + d5)>
#w = affine_map<(d0, d1, d2, d3, d4, d5) -> (d4, d5)>
#o = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3)>
#id3 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>

// Left alone: a map with a constant index (a per-channel broadcast, which
// upstream's collapsing would turn into a dimension), H and W swapped (no
// run is contiguous in both operands), a reduction (a pool), dynamic inner
// dimensions, and ops of fewer than three loops.
// CHECK-LABEL: func.func @kept
// CHECK-NOT: tensor.collapse_shape
// CHECK-NOT: tensor.expand_shape
// CHECK: return
func.func @kept(%x: tensor<?x4x5x6xf32>, %p: tensor<1x4x1x1xf32>, %e: tensor<?x4x5x6xf32>,
                %t: tensor<?x5x4x6xf32>, %q: tensor<?x4x6x6xi8>, %pe: tensor<?x4x3x3xi8>,
                %d: tensor<?x?x?xf32>, %m: tensor<3x5xf32>)
    -> (tensor<?x4x5x6xf32>, tensor<?x5x4x6xf32>, tensor<?x4x3x3xi8>, tensor<?x?x?xf32>, tensor<3x5xf32>) {
  %0 = linalg.generic {indexing_maps = [#id4, #perchannel, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%x, %p : tensor<?x4x5x6xf32>, tensor<1x4x1x1xf32>) outs(%e : tensor<?x4x5x6xf32>) {
  ^bb0(%a: f32, %b: f32, %out: f32):
    %s = arith.mulf %a, %b : f32
    linalg.yield %s : f32
  } -> tensor<?x4x5x6xf32>
  %1 = linalg.generic {indexing_maps = [#id4, #hw], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%x : tensor<?x4x5x6xf32>) outs(%t : tensor<?x5x4x6xf32>) {
  ^bb0(%a: f32, %out: f32):
    linalg.yield %a : f32
  } -> tensor<?x5x4x6xf32>
  %win = tensor.empty() : tensor<2x2xi8>
  %2 = linalg.generic {indexing_maps = [#win, #w, #o], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]} ins(%q, %win : tensor<?x4x6x6xi8>, tensor<2x2xi8>) outs(%pe : tensor<?x4x3x3xi8>) {
  ^bb0(%a: i8, %unused: i8, %out: i8):
    %s = arith.maxui %out, %a : i8
    linalg.yield %s : i8
  } -> tensor<?x4x3x3xi8>
  %3 = linalg.generic {indexing_maps = [#id3, #id3], iterator_types = ["parallel", "parallel", "parallel"]} ins(%d : tensor<?x?x?xf32>) outs(%d : tensor<?x?x?xf32>) {
  ^bb0(%a: f32, %out: f32):
    %s = arith.addf %a, %a : f32
    linalg.yield %s : f32
  } -> tensor<?x?x?xf32>
  %4 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%m : tensor<3x5xf32>) outs(%m : tensor<3x5xf32>) {
  ^bb0(%a: f32, %out: f32):
    %s = arith.addf %a, %a : f32
    linalg.yield %s : f32
  } -> tensor<3x5xf32>
  return %0, %1, %2, %3, %4 : tensor<?x4x5x6xf32>, tensor<?x5x4x6xf32>, tensor<?x4x3x3xi8>, tensor<?x?x?xf32>, tensor<3x5xf32>
}
