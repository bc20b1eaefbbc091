// RUN: quant-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(qnt-propagate-channels-last,canonicalize))' | FileCheck %s

// A max pooling between two layers that run NHWC: the transpose to NCHW is
// folded into the pooling's input map, the pooling writes NHWC with its
// channel loop innermost among the parallel loops, and the transpose back
// to NHWC vanishes.
// CHECK-DAG: #[[$IN:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1 * 2 + d4, d2 * 2 + d5, d3)>
// CHECK-DAG: #[[$WIN:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d4, d5)>
// CHECK-DAG: #[[$OUT:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @pool_between_layers
// CHECK-SAME: (%[[X:.*]]: tensor<?x8x8x16xi8>)
// CHECK-NOT: linalg.transpose
// CHECK: %[[INIT:.*]] = linalg.fill ins(%{{.*}} : i8) outs(%{{.*}} : tensor<?x4x4x16xi8>)
// CHECK: %[[P:.*]] = linalg.generic {indexing_maps = [#[[$IN]], #[[$WIN]], #[[$OUT]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]} ins(%[[X]], %{{.*}} : tensor<?x8x8x16xi8>, tensor<2x2xi8>) outs(%[[INIT]] : tensor<?x4x4x16xi8>)
// CHECK: arith.maxui
// CHECK-NOT: linalg.transpose
// CHECK: return %[[P]]
#pool_in = affine_map<(n, c, h, w, kh, kw) -> (n, c, h * 2 + kh, w * 2 + kw)>
#pool_win = affine_map<(n, c, h, w, kh, kw) -> (kh, kw)>
#pool_out = affine_map<(n, c, h, w, kh, kw) -> (n, c, h, w)>
func.func @pool_between_layers(%x: tensor<?x8x8x16xi8>) -> tensor<?x4x4x16xi8> {
  %c0 = arith.constant 0 : index
  %zero = arith.constant 0 : i8
  %n = tensor.dim %x, %c0 : tensor<?x8x8x16xi8>
  %e0 = tensor.empty(%n) : tensor<?x16x8x8xi8>
  %t = linalg.transpose ins(%x : tensor<?x8x8x16xi8>) outs(%e0 : tensor<?x16x8x8xi8>) permutation = [0, 3, 1, 2]
  %e1 = tensor.empty(%n) : tensor<?x16x4x4xi8>
  %init = linalg.fill ins(%zero : i8) outs(%e1 : tensor<?x16x4x4xi8>) -> tensor<?x16x4x4xi8>
  %win = tensor.empty() : tensor<2x2xi8>
  %p = linalg.generic {indexing_maps = [#pool_in, #pool_win, #pool_out], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]} ins(%t, %win : tensor<?x16x8x8xi8>, tensor<2x2xi8>) outs(%init : tensor<?x16x4x4xi8>) {
  ^bb0(%in: i8, %w: i8, %out: i8):
    %m = arith.maxui %out, %in : i8
    linalg.yield %m : i8
  } -> tensor<?x16x4x4xi8>
  %e2 = tensor.empty(%n) : tensor<?x4x4x16xi8>
  %u = linalg.transpose ins(%p : tensor<?x16x4x4xi8>) outs(%e2 : tensor<?x4x4x16xi8>) permutation = [0, 2, 3, 1]
  return %u : tensor<?x4x4x16xi8>
}

// -----

// An elementwise add of two NHWC layers whose result leaves the function as
// NCHW: the add runs NHWC, one transpose remains, at the end.
// CHECK-DAG: #[[$ID:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @add_of_two_layers
// CHECK-SAME: (%[[A:.*]]: tensor<1x4x4x32xi32>, %[[B:.*]]: tensor<1x4x4x32xi32>)
// CHECK: %[[S:.*]] = linalg.generic {indexing_maps = [#[[$ID]], #[[$ID]], #[[$ID]]], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%[[A]], %[[B]] : tensor<1x4x4x32xi32>, tensor<1x4x4x32xi32>) outs(%{{.*}} : tensor<1x4x4x32xi32>)
// CHECK: %[[T:.*]] = linalg.transpose ins(%[[S]] : tensor<1x4x4x32xi32>) outs(%{{.*}} : tensor<1x32x4x4xi32>) permutation = [0, 3, 1, 2]
// CHECK-NOT: linalg.transpose
// CHECK: return %[[T]]
#id = affine_map<(n, c, h, w) -> (n, c, h, w)>
func.func @add_of_two_layers(%a: tensor<1x4x4x32xi32>, %b: tensor<1x4x4x32xi32>) -> tensor<1x32x4x4xi32> {
  %e0 = tensor.empty() : tensor<1x32x4x4xi32>
  %ta = linalg.transpose ins(%a : tensor<1x4x4x32xi32>) outs(%e0 : tensor<1x32x4x4xi32>) permutation = [0, 3, 1, 2]
  %e1 = tensor.empty() : tensor<1x32x4x4xi32>
  %tb = linalg.transpose ins(%b : tensor<1x4x4x32xi32>) outs(%e1 : tensor<1x32x4x4xi32>) permutation = [0, 3, 1, 2]
  %e2 = tensor.empty() : tensor<1x32x4x4xi32>
  %s = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%ta, %tb : tensor<1x32x4x4xi32>, tensor<1x32x4x4xi32>) outs(%e2 : tensor<1x32x4x4xi32>) {
  ^bb0(%x: i32, %y: i32, %out: i32):
    %z = arith.addi %x, %y : i32
    linalg.yield %z : i32
  } -> tensor<1x32x4x4xi32>
  return %s : tensor<1x32x4x4xi32>
}

// -----

// A depthwise convolution (channels indexed g * C/g + c) after a zero
// padding: the transpose moves below the pad, the convolution reads and
// writes NHWC, and the transpose to the next layer's NHWC vanishes.
// CHECK-DAG: #[[$DIN:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1 + d5, d2 + d6, d3 + d4)>
// CHECK-DAG: #[[$DW:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d3, d4, d5, d6)>
// CHECK-DAG: #[[$DOUT:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @pad_then_depthwise
// CHECK-SAME: (%[[X:.*]]: tensor<2x6x6x16xi8>, %[[W:.*]]: tensor<16x1x3x3xi8>)
// CHECK-NOT: linalg.transpose
// CHECK: %[[PAD:.*]] = tensor.pad %[[X]] low[0, 1, 1, 0] high[0, 1, 1, 0]
// CHECK: } : tensor<2x6x6x16xi8> to tensor<2x8x8x16xi8>
// CHECK: %[[D:.*]] = linalg.generic {indexing_maps = [#[[$DIN]], #[[$DW]], #[[$DOUT]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]} ins(%[[PAD]], %[[W]] : tensor<2x8x8x16xi8>, tensor<16x1x3x3xi8>) outs(%{{.*}} : tensor<2x6x6x16xi32>)
// CHECK-NOT: linalg.transpose
// CHECK: return %[[D]]
#dw_in = affine_map<(n, g, h, w, c, kh, kw) -> (n, g + c, h + kh, w + kw)>
#dw_w = affine_map<(n, g, h, w, c, kh, kw) -> (g, c, kh, kw)>
#dw_out = affine_map<(n, g, h, w, c, kh, kw) -> (n, g, h, w)>
func.func @pad_then_depthwise(%x: tensor<2x6x6x16xi8>, %w: tensor<16x1x3x3xi8>) -> tensor<2x6x6x16xi32> {
  %zero = arith.constant 0 : i8
  %zero32 = arith.constant 0 : i32
  %e0 = tensor.empty() : tensor<2x16x6x6xi8>
  %t = linalg.transpose ins(%x : tensor<2x6x6x16xi8>) outs(%e0 : tensor<2x16x6x6xi8>) permutation = [0, 3, 1, 2]
  %padded = tensor.pad %t low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %zero : i8
  } : tensor<2x16x6x6xi8> to tensor<2x16x8x8xi8>
  %e1 = tensor.empty() : tensor<2x16x6x6xi32>
  %init = linalg.fill ins(%zero32 : i32) outs(%e1 : tensor<2x16x6x6xi32>) -> tensor<2x16x6x6xi32>
  %d = linalg.generic {indexing_maps = [#dw_in, #dw_w, #dw_out], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]} ins(%padded, %w : tensor<2x16x8x8xi8>, tensor<16x1x3x3xi8>) outs(%init : tensor<2x16x6x6xi32>) {
  ^bb0(%in: i8, %f: i8, %out: i32):
    %a = arith.extui %in : i8 to i32
    %b = arith.extsi %f : i8 to i32
    %m = arith.muli %a, %b : i32
    %s = arith.addi %out, %m : i32
    linalg.yield %s : i32
  } -> tensor<2x16x6x6xi32>
  %e2 = tensor.empty() : tensor<2x6x6x16xi32>
  %u = linalg.transpose ins(%d : tensor<2x16x6x6xi32>) outs(%e2 : tensor<2x6x6x16xi32>) permutation = [0, 2, 3, 1]
  return %u : tensor<2x6x6x16xi32>
}

// -----

// Transposes compose: inverse ones vanish, others become one.
// CHECK-LABEL: func.func @compose
// CHECK-SAME: (%[[X:.*]]: tensor<1x2x3x4xf32>)
// CHECK: %[[T:.*]] = linalg.transpose ins(%[[X]] : tensor<1x2x3x4xf32>) outs(%{{.*}} : tensor<1x4x3x2xf32>) permutation = [0, 3, 2, 1]
// CHECK-NOT: linalg.transpose
// CHECK: return %[[X]], %[[T]]
func.func @compose(%x: tensor<1x2x3x4xf32>) -> (tensor<1x2x3x4xf32>, tensor<1x4x3x2xf32>) {
  %e0 = tensor.empty() : tensor<1x4x2x3xf32>
  %t = linalg.transpose ins(%x : tensor<1x2x3x4xf32>) outs(%e0 : tensor<1x4x2x3xf32>) permutation = [0, 3, 1, 2]
  %e1 = tensor.empty() : tensor<1x2x3x4xf32>
  %back = linalg.transpose ins(%t : tensor<1x4x2x3xf32>) outs(%e1 : tensor<1x2x3x4xf32>) permutation = [0, 2, 3, 1]
  %e2 = tensor.empty() : tensor<1x4x3x2xf32>
  %swap = linalg.transpose ins(%t : tensor<1x4x2x3xf32>) outs(%e2 : tensor<1x4x3x2xf32>) permutation = [0, 1, 3, 2]
  return %back, %swap : tensor<1x2x3x4xf32>, tensor<1x4x3x2xf32>
}

// -----

// A generic whose only user transposes it to NHWC writes NHWC itself; with
// one channel (an image input) its loops keep their order.
// CHECK-DAG: #[[$NCHW:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[$NHWC:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d2, d3, d1)>
// CHECK-LABEL: func.func @producer_writes_nhwc
// CHECK-NOT: linalg.transpose
// CHECK: %[[Q:.*]] = linalg.generic {indexing_maps = [#[[$NCHW]], #[[$NHWC]]], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%{{.*}} : tensor<?x1x4x4xf32>) outs(%{{.*}} : tensor<?x4x4x1xi8>)
// CHECK-NOT: linalg.transpose
// CHECK: return %[[Q]]
#id4 = affine_map<(n, c, h, w) -> (n, c, h, w)>
func.func @producer_writes_nhwc(%x: tensor<?x1x4x4xf32>) -> tensor<?x4x4x1xi8> {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?x1x4x4xf32>
  %e0 = tensor.empty(%n) : tensor<?x1x4x4xi8>
  %q = linalg.generic {indexing_maps = [#id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%x : tensor<?x1x4x4xf32>) outs(%e0 : tensor<?x1x4x4xi8>) {
  ^bb0(%in: f32, %out: i8):
    %i = arith.fptosi %in : f32 to i8
    linalg.yield %i : i8
  } -> tensor<?x1x4x4xi8>
  %e1 = tensor.empty(%n) : tensor<?x4x4x1xi8>
  %t = linalg.transpose ins(%q : tensor<?x1x4x4xi8>) outs(%e1 : tensor<?x4x4x1xi8>) permutation = [0, 2, 3, 1]
  return %t : tensor<?x4x4x1xi8>
}

// -----

// Left NCHW: a generic reading linalg.index (renaming its loops would
// change the indices) only folds the transpose into its input map, and a
// producer with another user keeps its transpose.
// CHECK-DAG: #[[$FOLDED:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d2, d3, d1)>
// CHECK-DAG: #[[$SAME:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @left_nchw
// CHECK-SAME: (%[[X:.*]]: tensor<1x4x4x16xi32>)
// CHECK: %[[I:.*]] = linalg.generic {indexing_maps = [#[[$FOLDED]], #[[$SAME]]], {{.*}} ins(%[[X]] : tensor<1x4x4x16xi32>) outs(%{{.*}} : tensor<1x16x4x4xi32>)
// CHECK: linalg.index 1
// CHECK: %[[G:.*]] = linalg.generic {{.*}} outs(%{{.*}} : tensor<1x16x4x4xi32>)
// CHECK: %[[T:.*]] = linalg.transpose ins(%[[G]] : tensor<1x16x4x4xi32>) {{.*}} permutation = [0, 2, 3, 1]
// CHECK: return %[[I]], %[[G]], %[[T]]
#id4 = affine_map<(n, c, h, w) -> (n, c, h, w)>
func.func @left_nchw(%x: tensor<1x4x4x16xi32>) -> (tensor<1x16x4x4xi32>, tensor<1x16x4x4xi32>, tensor<1x4x4x16xi32>) {
  %e0 = tensor.empty() : tensor<1x16x4x4xi32>
  %t = linalg.transpose ins(%x : tensor<1x4x4x16xi32>) outs(%e0 : tensor<1x16x4x4xi32>) permutation = [0, 3, 1, 2]
  %e1 = tensor.empty() : tensor<1x16x4x4xi32>
  %i = linalg.generic {indexing_maps = [#id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%t : tensor<1x16x4x4xi32>) outs(%e1 : tensor<1x16x4x4xi32>) {
  ^bb0(%in: i32, %out: i32):
    %c = linalg.index 1 : index
    %ci = arith.index_cast %c : index to i32
    %s = arith.addi %in, %ci : i32
    linalg.yield %s : i32
  } -> tensor<1x16x4x4xi32>
  %cst = arith.constant dense<1> : tensor<1x16x4x4xi32>
  %e2 = tensor.empty() : tensor<1x16x4x4xi32>
  %g = linalg.generic {indexing_maps = [#id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%cst : tensor<1x16x4x4xi32>) outs(%e2 : tensor<1x16x4x4xi32>) {
  ^bb0(%in: i32, %out: i32):
    %s = arith.muli %in, %in : i32
    linalg.yield %s : i32
  } -> tensor<1x16x4x4xi32>
  %e3 = tensor.empty() : tensor<1x4x4x16xi32>
  %u = linalg.transpose ins(%g : tensor<1x16x4x4xi32>) outs(%e3 : tensor<1x4x4x16xi32>) permutation = [0, 2, 3, 1]
  return %i, %g, %u : tensor<1x16x4x4xi32>, tensor<1x16x4x4xi32>, tensor<1x4x4x16xi32>
}

// -----

// A named pooling that reads a transpose becomes its generic, which then
// runs NHWC.
// CHECK-LABEL: func.func @named_pooling
// CHECK-SAME: (%[[X:.*]]: tensor<2x8x8x16xf32>)
// CHECK-NOT: linalg.transpose
// CHECK-NOT: linalg.pooling_nchw_max
// CHECK: %[[P:.*]] = linalg.generic {{.*}} ins(%[[X]], %{{.*}} : tensor<2x8x8x16xf32>, tensor<2x2xf32>) outs(%{{.*}} : tensor<2x4x4x16xf32>)
// CHECK: arith.maximumf
// CHECK: %[[T:.*]] = linalg.transpose ins(%[[P]] : tensor<2x4x4x16xf32>) {{.*}} permutation = [0, 3, 1, 2]
// CHECK: return %[[T]]
func.func @named_pooling(%x: tensor<2x8x8x16xf32>) -> tensor<2x16x4x4xf32> {
  %ninf = arith.constant 0xFF800000 : f32
  %e0 = tensor.empty() : tensor<2x16x8x8xf32>
  %t = linalg.transpose ins(%x : tensor<2x8x8x16xf32>) outs(%e0 : tensor<2x16x8x8xf32>) permutation = [0, 3, 1, 2]
  %e1 = tensor.empty() : tensor<2x16x4x4xf32>
  %init = linalg.fill ins(%ninf : f32) outs(%e1 : tensor<2x16x4x4xf32>) -> tensor<2x16x4x4xf32>
  %win = tensor.empty() : tensor<2x2xf32>
  %p = linalg.pooling_nchw_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%t, %win : tensor<2x16x8x8xf32>, tensor<2x2xf32>) outs(%init : tensor<2x16x4x4xf32>) -> tensor<2x16x4x4xf32>
  return %p : tensor<2x16x4x4xf32>
}

// -----

// A constant read along the innermost loop (d1) on its first dimension is
// stored transposed, so that the loop reads it contiguously.
// CHECK-DAG: #[[$ROWS:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @contiguous_constant
// CHECK: %[[C:.*]] = arith.constant dense<{{\[}}[1, 4], [2, 5], [3, 6]]> : tensor<3x2xi32>
// CHECK: linalg.generic {indexing_maps = [#[[$ROWS]], #[[$ROWS]], #[[$ROWS]]], {{.*}} ins(%{{.*}}, %[[C]] : tensor<3x2xi32>, tensor<3x2xi32>)
#rows = affine_map<(i, j) -> (i, j)>
#cols = affine_map<(i, j) -> (j, i)>
func.func @contiguous_constant(%x: tensor<3x2xi32>) -> tensor<3x2xi32> {
  %w = arith.constant dense<[[1, 2, 3], [4, 5, 6]]> : tensor<2x3xi32>
  %e = tensor.empty() : tensor<3x2xi32>
  %y = linalg.generic {indexing_maps = [#rows, #cols, #rows], iterator_types = ["parallel", "parallel"]} ins(%x, %w : tensor<3x2xi32>, tensor<2x3xi32>) outs(%e : tensor<3x2xi32>) {
  ^bb0(%a: i32, %b: i32, %out: i32):
    %s = arith.addi %a, %b : i32
    linalg.yield %s : i32
  } -> tensor<3x2xi32>
  return %y : tensor<3x2xi32>
}

// -----

// A depthwise Conv as the ONNX frontend writes it: a grouped convolution
// with one channel and one filter per group between reshapes. It becomes a
// depthwise convolution that reads and writes NHWC (channels innermost
// among its parallel loops, then the two kernel loops in their order), its
// constant filter stored [KH, KW, C] (channel c of tap (0, 0) holds 9c), and
// no transpose is left.
// CHECK-DAG: #[[$GIN:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1 + d4, d2 + d5, d3)>
// CHECK-DAG: #[[$GW:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d4, d5, d3)>
// CHECK-DAG: #[[$GOUT:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @grouped_one_per_group
// CHECK-SAME: (%[[X:.*]]: tensor<?x5x5x8xf32>)
// CHECK-NOT: linalg.transpose
// CHECK-NOT: tensor.reshape
// CHECK-DAG: %[[W:.*]] = arith.constant dense<{{\[}}{{\[}}[0.000000e+00, 9.000000e+00, 1.800000e+01, 2.700000e+01, {{.*}}> : tensor<3x3x8xf32>
// CHECK-DAG: %[[INIT:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<?x3x3x8xf32>)
// CHECK: %[[D:.*]] = linalg.generic {indexing_maps = [#[[$GIN]], #[[$GW]], #[[$GOUT]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]} ins(%[[X]], %[[W]] : tensor<?x5x5x8xf32>, tensor<3x3x8xf32>) outs(%[[INIT]] : tensor<?x3x3x8xf32>)
// CHECK: arith.mulf
// CHECK: arith.addf
// CHECK-NOT: linalg.transpose
// CHECK-NOT: linalg.conv_2d_ngchw_gfchw
// CHECK: return %[[D]]
func.func @grouped_one_per_group(%x: tensor<?x5x5x8xf32>) -> tensor<?x3x3x8xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %c5 = arith.constant 5 : index
  %c8 = arith.constant 8 : index
  %zero = arith.constant 0.0 : f32
  %w = arith.constant dense<[[[[[0.0, 1.0, 2.0], [3.0, 4.0, 5.0], [6.0, 7.0, 8.0]]]], [[[[9.0, 10.0, 11.0], [12.0, 13.0, 14.0], [15.0, 16.0, 17.0]]]], [[[[18.0, 19.0, 20.0], [21.0, 22.0, 23.0], [24.0, 25.0, 26.0]]]], [[[[27.0, 28.0, 29.0], [30.0, 31.0, 32.0], [33.0, 34.0, 35.0]]]], [[[[36.0, 37.0, 38.0], [39.0, 40.0, 41.0], [42.0, 43.0, 44.0]]]], [[[[45.0, 46.0, 47.0], [48.0, 49.0, 50.0], [51.0, 52.0, 53.0]]]], [[[[54.0, 55.0, 56.0], [57.0, 58.0, 59.0], [60.0, 61.0, 62.0]]]], [[[[63.0, 64.0, 65.0], [66.0, 67.0, 68.0], [69.0, 70.0, 71.0]]]]]> : tensor<8x1x1x3x3xf32>
  %n = tensor.dim %x, %c0 : tensor<?x5x5x8xf32>
  %e0 = tensor.empty(%n) : tensor<?x8x5x5xf32>
  %t = linalg.transpose ins(%x : tensor<?x5x5x8xf32>) outs(%e0 : tensor<?x8x5x5xf32>) permutation = [0, 3, 1, 2]
  %s5 = tensor.from_elements %n, %c8, %c1, %c5, %c5 : tensor<5xindex>
  %g = tensor.reshape %t(%s5) : (tensor<?x8x5x5xf32>, tensor<5xindex>) -> tensor<?x8x1x5x5xf32>
  %e1 = tensor.empty(%n) : tensor<?x8x1x3x3xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e1 : tensor<?x8x1x3x3xf32>) -> tensor<?x8x1x3x3xf32>
  %y = linalg.conv_2d_ngchw_gfchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%g, %w : tensor<?x8x1x5x5xf32>, tensor<8x1x1x3x3xf32>) outs(%init : tensor<?x8x1x3x3xf32>) -> tensor<?x8x1x3x3xf32>
  %s4 = tensor.from_elements %n, %c8, %c3, %c3 : tensor<4xindex>
  %r = tensor.reshape %y(%s4) : (tensor<?x8x1x3x3xf32>, tensor<4xindex>) -> tensor<?x8x3x3xf32>
  %e2 = tensor.empty(%n) : tensor<?x3x3x8xf32>
  %u = linalg.transpose ins(%r : tensor<?x8x3x3xf32>) outs(%e2 : tensor<?x3x3x8xf32>) permutation = [0, 2, 3, 1]
  return %u : tensor<?x3x3x8xf32>
}

// -----

// A filter that is not a constant is collapsed to [C, KH, KW] instead.
// CHECK-LABEL: func.func @grouped_filter_argument
// CHECK-SAME: (%[[X:.*]]: tensor<2x8x5x5xf32>, %[[W:.*]]: tensor<8x1x1x3x3xf32>)
// CHECK: %[[F:.*]] = tensor.collapse_shape %[[W]] {{\[}}[0, 1, 2], [3], [4]] : tensor<8x1x1x3x3xf32> into tensor<8x3x3xf32>
// CHECK: %[[D:.*]] = linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%[[X]], %[[F]] : tensor<2x8x5x5xf32>, tensor<8x3x3xf32>) outs(%{{.*}} : tensor<2x8x2x2xf32>)
// CHECK: return %[[D]]
func.func @grouped_filter_argument(%x: tensor<2x8x5x5xf32>, %w: tensor<8x1x1x3x3xf32>) -> tensor<2x8x2x2xf32> {
  %zero = arith.constant 0.0 : f32
  %s5 = arith.constant dense<[2, 8, 1, 5, 5]> : tensor<5xindex>
  %g = tensor.reshape %x(%s5) : (tensor<2x8x5x5xf32>, tensor<5xindex>) -> tensor<2x8x1x5x5xf32>
  %e = tensor.empty() : tensor<2x8x1x2x2xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<2x8x1x2x2xf32>) -> tensor<2x8x1x2x2xf32>
  %y = linalg.conv_2d_ngchw_gfchw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%g, %w : tensor<2x8x1x5x5xf32>, tensor<8x1x1x3x3xf32>) outs(%init : tensor<2x8x1x2x2xf32>) -> tensor<2x8x1x2x2xf32>
  %s4 = arith.constant dense<[2, 8, 2, 2]> : tensor<4xindex>
  %r = tensor.reshape %y(%s4) : (tensor<2x8x1x2x2xf32>, tensor<4xindex>) -> tensor<2x8x2x2xf32>
  return %r : tensor<2x8x2x2xf32>
}

// -----

// Two channels per group is not a depthwise convolution: it stays.
// CHECK-LABEL: func.func @grouped_two_per_group
// CHECK: linalg.conv_2d_ngchw_gfchw
// CHECK-NOT: linalg.depthwise_conv_2d_nchw_chw
func.func @grouped_two_per_group(%x: tensor<1x16x5x5xf32>, %w: tensor<8x1x2x3x3xf32>) -> tensor<1x8x3x3xf32> {
  %zero = arith.constant 0.0 : f32
  %s5 = arith.constant dense<[1, 8, 2, 5, 5]> : tensor<5xindex>
  %g = tensor.reshape %x(%s5) : (tensor<1x16x5x5xf32>, tensor<5xindex>) -> tensor<1x8x2x5x5xf32>
  %e = tensor.empty() : tensor<1x8x1x3x3xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x8x1x3x3xf32>) -> tensor<1x8x1x3x3xf32>
  %y = linalg.conv_2d_ngchw_gfchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%g, %w : tensor<1x8x2x5x5xf32>, tensor<8x1x2x3x3xf32>) outs(%init : tensor<1x8x1x3x3xf32>) -> tensor<1x8x1x3x3xf32>
  %s4 = arith.constant dense<[1, 8, 3, 3]> : tensor<4xindex>
  %r = tensor.reshape %y(%s4) : (tensor<1x8x1x3x3xf32>, tensor<4xindex>) -> tensor<1x8x3x3xf32>
  return %r : tensor<1x8x3x3xf32>
}

// -----

// The observer runtime of calibration runs reads a layer's NHWC result as it
// is (its statistics do not depend on the order of the elements): the
// transpose to NCHW is not materialized for it. A buffer passed to another
// function keeps its transpose.
// CHECK-LABEL: func.func @observe_untransposed
// CHECK-SAME: (%[[X:.*]]: tensor<?x4x4x16xf32>)
// CHECK: %[[B:.*]] = bufferization.to_buffer %[[X]] read_only : tensor<?x4x4x16xf32> to memref<?x4x4x16xf32>
// CHECK: %[[U:.*]] = memref.cast %[[B]] : memref<?x4x4x16xf32> to memref<*xf32>
// CHECK: call @quant_observe_f32(%{{.*}}, %[[U]])
// CHECK: %[[T:.*]] = linalg.transpose ins(%[[X]]
// CHECK: %[[B2:.*]] = bufferization.to_buffer %[[T]] read_only : tensor<?x16x4x4xf32> to memref<?x16x4x4xf32>
// CHECK: %[[U2:.*]] = memref.cast %[[B2]]
// CHECK: call @elsewhere(%[[U2]])
func.func private @quant_observe_f32(i64, memref<*xf32>)
func.func private @elsewhere(memref<*xf32>)
func.func @observe_untransposed(%x: tensor<?x4x4x16xf32>) {
  %c0 = arith.constant 0 : index
  %id = arith.constant 3 : i64
  %n = tensor.dim %x, %c0 : tensor<?x4x4x16xf32>
  %e = tensor.empty(%n) : tensor<?x16x4x4xf32>
  %t = linalg.transpose ins(%x : tensor<?x4x4x16xf32>) outs(%e : tensor<?x16x4x4xf32>) permutation = [0, 3, 1, 2]
  %b = bufferization.to_buffer %t read_only : tensor<?x16x4x4xf32> to memref<?x16x4x4xf32>
  %u = memref.cast %b : memref<?x16x4x4xf32> to memref<*xf32>
  call @quant_observe_f32(%id, %u) : (i64, memref<*xf32>) -> ()
  %e2 = tensor.empty(%n) : tensor<?x16x4x4xf32>
  %t2 = linalg.transpose ins(%x : tensor<?x4x4x16xf32>) outs(%e2 : tensor<?x16x4x4xf32>) permutation = [0, 3, 1, 2]
  %b2 = bufferization.to_buffer %t2 read_only : tensor<?x16x4x4xf32> to memref<?x16x4x4xf32>
  %u2 = memref.cast %b2 : memref<?x16x4x4xf32> to memref<*xf32>
  call @elsewhere(%u2) : (memref<*xf32>) -> ()
  return
}
