// RUN: quant-opt %s --split-input-file --convert-qnt-to-kernels | FileCheck %s

!qa = !quant.uniform<u8:f32, 0.05:128>
!qw = !quant.uniform<i8<-127:127>:f32:1, {0.02, 0.01}>
!qy = !quant.uniform<i8:f32, 0.3:-3>

// A matmul with constant weights becomes a packed blob and parallel calls
// over blocks of rows and columns; the result is the storage buffer the
// calls fill, seen as a tensor again.
// CHECK-LABEL: func.func private @quant_layer_run(!llvm.ptr, !llvm.ptr, i64, i64, i64, i64, i64, i64, i64, i64, i64, !llvm.ptr)
// CHECK-LABEL: func.func @matmul
// CHECK-SAME: (%[[A:.*]]: tensor<?x3x!quant.uniform
// CHECK: %[[S:.*]] = quant.scast %[[A]] : tensor<?x3x!quant.uniform<u8:f32, 5.000000e-02:128>> to tensor<?x3xi8>
// CHECK: %[[M:.*]] = tensor.dim %[[S]], %{{.*}} : tensor<?x3xi8>
// CHECK: %[[IN:.*]] = bufferization.to_buffer %[[S]] read_only : tensor<?x3xi8> to memref<?x3xi8, strided<[?, ?], offset: ?>>
// CHECK: %[[OUT:.*]] = memref.alloc(%[[M]]) {alignment = 64 : i64} : memref<?x2xi8>
// CHECK: memref.get_global @[[BLOB:__quant_layer[_0-9]*]] : memref<{{[0-9]+}}xi8>
// One task per OpenMP thread, at least 48 rows each: the row step is
// max(ceil(M / max(min(T, ceil(M / 48)), 1)), 1). Threads left without
// rows split the columns in multiples of 64 (here all 2 in one task). The
// loop carries the layer's work per output element, K / 32 operations, for
// qnt-parallel-min-work.
// CHECK: %[[T32:.*]] = call @omp_get_max_threads() : () -> i32
// CHECK: %[[TI:.*]] = arith.index_cast %[[T32]] : i32 to index
// CHECK: %[[T:.*]] = arith.maxsi %[[TI]], %{{.*}} : index
// CHECK: %[[C48:.*]] = arith.constant 48 : index
// CHECK: %[[MOST:.*]] = arith.ceildivui %[[M]], %[[C48]] : index
// CHECK: %[[FEW:.*]] = arith.minui %[[T]], %[[MOST]] : index
// CHECK: %[[TASKS:.*]] = arith.maxui %[[FEW]], %{{.*}} : index
// CHECK: %[[PER:.*]] = arith.ceildivui %[[M]], %[[TASKS]] : index
// CHECK: %[[STEP:.*]] = arith.maxui %[[PER]], %{{.*}} : index
// CHECK: %[[SPLIT:.*]] = arith.ceildivui %[[T]], %[[TASKS]] : index
// CHECK: %[[COLTASKS:.*]] = arith.minui %[[SPLIT]], %{{.*}} : index
// CHECK: %[[COLS:.*]] = arith.ceildivui %{{.*}}, %[[COLTASKS]] : index
// CHECK: %[[QUANTA:.*]] = arith.ceildivui %[[COLS]], %{{.*}} : index
// CHECK: %[[COLSTEP:.*]] = arith.muli %[[QUANTA]], %{{.*}} : index
// CHECK: scf.parallel (%[[R:.*]], %[[C:.*]]) = (%{{.*}}, %{{.*}}) to (%[[M]], %{{.*}}) step (%[[STEP]], %[[COLSTEP]])
// CHECK: func.call @quant_layer_run(
// CHECK: } {qnt.point_work = 9.375000e-02 : f64}
// CHECK: %[[RES:.*]] = bufferization.to_tensor %[[OUT]] restrict writable : memref<?x2xi8> to tensor<?x2xi8>
// CHECK: %[[Y:.*]] = quant.scast %[[RES]] : tensor<?x2xi8> to tensor<?x2x!quant.uniform<i8:f32, 3.000000e-01:-3>>
// CHECK: return %[[Y]]
// CHECK: memref.global "private" constant @[[BLOB]] : memref<{{[0-9]+}}xi8> = dense<{{.*}}> {alignment = 64 : i64}
func.func @matmul(%a: tensor<?x3x!qa>) -> tensor<?x2x!qy> {
  %wc = arith.constant dense<[[1, -2], [3, 4], [-5, 6]]> : tensor<3x2xi8>
  %w = quant.scast %wc : tensor<3x2xi8> to tensor<3x2x!qw>
  %b = arith.constant dense<[10, -20]> : tensor<2xi32>
  %y = qnt.matmul %a, %w bias %b {clamp_min = -3 : i64} : tensor<?x3x!qa>, tensor<3x2x!qw>, tensor<2xi32> -> tensor<?x2x!qy>
  return %y : tensor<?x2x!qy>
}

// -----

// Layers with the same blob share one global (the two branches of a
// function that qnt-parallel-batch split), a different blob gets its own.
!qa = !quant.uniform<u8:f32, 0.05:128>
!qw = !quant.uniform<i8:f32, 0.02>
!qy = !quant.uniform<i8:f32, 0.3:-3>
// CHECK-LABEL: func.func @same_weights
// CHECK: memref.get_global @[[SHARED:__quant_layer[_0-9]*]] :
// CHECK: memref.get_global @[[SHARED]] :
// CHECK: memref.get_global @[[OTHER:__quant_layer[_0-9]*]] :
// CHECK: memref.get_global @[[SHARED]] :
// CHECK: memref.global "private" constant @[[SHARED]] :
// CHECK-NEXT: memref.global "private" constant @[[OTHER]] :
// CHECK-NOT: memref.global
func.func @same_weights(%a: tensor<?x3x!qa>) -> (tensor<?x2x!qy>, tensor<?x2x!qy>, tensor<?x2x!qy>) {
  %wc = arith.constant dense<[[1, -2], [3, 4], [-5, 6]]> : tensor<3x2xi8>
  %w = quant.scast %wc : tensor<3x2xi8> to tensor<3x2x!qw>
  %wc2 = arith.constant dense<[[1, -2], [3, 4], [-5, 7]]> : tensor<3x2xi8>
  %w2 = quant.scast %wc2 : tensor<3x2xi8> to tensor<3x2x!qw>
  %y0 = qnt.matmul %a, %w : tensor<?x3x!qa>, tensor<3x2x!qw> -> tensor<?x2x!qy>
  %y1 = qnt.matmul %a, %w : tensor<?x3x!qa>, tensor<3x2x!qw> -> tensor<?x2x!qy>
  %y2 = qnt.matmul %a, %w2 : tensor<?x3x!qa>, tensor<3x2x!qw> -> tensor<?x2x!qy>
  %y3 = qnt.matmul %a, %w : tensor<?x3x!qa>, tensor<3x2x!qw> -> tensor<?x2x!qy>
  return %y0, %y1, %y3 : tensor<?x2x!qy>, tensor<?x2x!qy>, tensor<?x2x!qy>
}

// -----

!qa = !quant.uniform<u8:f32, 0.05:128>
!qw = !quant.uniform<i8:f32, 0.02>
!qwu = !quant.uniform<u8:f32, 0.02:3>
!qa16 = !quant.uniform<i16:f32, 0.05>
!qy = !quant.uniform<u8:f32, 0.3:3>

// Left to convert-qnt-to-linalg: weights that are not constants, unsigned
// weights, 16-bit inputs, batched matmuls, grouped convolutions and biases
// that are not constants.
// CHECK-LABEL: func.func @not_kernels
// CHECK-NOT: quant_layer_run
// CHECK-COUNT-6: qnt.
// CHECK-NOT: quant_layer_run
func.func @not_kernels(%a: tensor<4x3x!qa>, %wa: tensor<3x2x!qw>,
                       %a16: tensor<4x3x!qa16>, %b3: tensor<2x4x3x!qa>,
                       %x: tensor<1x4x5x5x!qa>, %bias: tensor<2xi32>)
    -> (tensor<4x2x!qy>, tensor<4x2x!qy>, tensor<4x2x!qy>, tensor<2x4x2x!qy>,
        tensor<1x4x3x3x!qy>, tensor<4x2x!qy>) {
  %r0 = qnt.matmul %a, %wa : tensor<4x3x!qa>, tensor<3x2x!qw> -> tensor<4x2x!qy>
  %uc = arith.constant dense<1> : tensor<3x2xi8>
  %wu = quant.scast %uc : tensor<3x2xi8> to tensor<3x2x!qwu>
  %r1 = qnt.matmul %a, %wu : tensor<4x3x!qa>, tensor<3x2x!qwu> -> tensor<4x2x!qy>
  %sc = arith.constant dense<1> : tensor<3x2xi8>
  %ws = quant.scast %sc : tensor<3x2xi8> to tensor<3x2x!qw>
  %r2 = qnt.matmul %a16, %ws : tensor<4x3x!qa16>, tensor<3x2x!qw> -> tensor<4x2x!qy>
  %c3 = arith.constant dense<1> : tensor<2x3x2xi8>
  %w3 = quant.scast %c3 : tensor<2x3x2xi8> to tensor<2x3x2x!qw>
  %r3 = qnt.matmul %b3, %w3 : tensor<2x4x3x!qa>, tensor<2x3x2x!qw> -> tensor<2x4x2x!qy>
  %cg = arith.constant dense<1> : tensor<4x2x3x3xi8>
  %wg = quant.scast %cg : tensor<4x2x3x3xi8> to tensor<4x2x3x3x!qw>
  %r4 = qnt.conv2d %x, %wg {groups = 2 : i64} : tensor<1x4x5x5x!qa>, tensor<4x2x3x3x!qw> -> tensor<1x4x3x3x!qy>
  %r5 = qnt.matmul %a, %ws bias %bias : tensor<4x3x!qa>, tensor<3x2x!qw>, tensor<2xi32> -> tensor<4x2x!qy>
  return %r0, %r1, %r2, %r3, %r4, %r5 : tensor<4x2x!qy>, tensor<4x2x!qy>, tensor<4x2x!qy>, tensor<2x4x2x!qy>, tensor<1x4x3x3x!qy>, tensor<4x2x!qy>
}

// -----

!qa = !quant.uniform<u8:f32, 0.05:128>
!qw = !quant.uniform<i8:f32, 0.02>
!qy = !quant.uniform<u8:f32, 0.3>
#in = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2 * 2 + d4, d3 * 2 + d5)>
#dilated = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2 * 2 + d4 * 2, d3 * 2 + d5)>
#win = affine_map<(d0, d1, d2, d3, d4, d5) -> (d4, d5)>
#out = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3)>

// A 2 x 2 max pool of a convolution's result, on storage as the ONNX
// frontend writes it, goes into the layer: the calls cover the 3 x 3 pooled
// pixels of each item and write the pool's result; the batch size read off
// the convolution's result is the input's.
// CHECK-LABEL: func.func private @quant_layer_run
// CHECK-LABEL: func.func @pool
// CHECK-SAME: (%[[X:.*]]: tensor<?x2x6x6x
// CHECK: %[[S:.*]] = quant.scast %[[X]]
// CHECK: linalg.transpose ins(%[[S]] : tensor<?x2x6x6xi8>) outs(%{{.*}} : tensor<?x6x6x2xi8>) permutation = [0, 2, 3, 1]
// CHECK: %[[B:.*]] = tensor.dim %[[S]], %{{.*}} : tensor<?x2x6x6xi8>
// CHECK: memref.alloc(%[[B]]) {alignment = 64 : i64} : memref<?x3x3x4xi8>
// CHECK: arith.muli %[[B]], %c9{{.*}} : index
// CHECK: func.call @quant_layer_run(
// CHECK: %[[T:.*]] = linalg.transpose ins(%{{.*}} : tensor<?x3x3x4xi8>) outs(%{{.*}} : tensor<?x4x3x3xi8>) permutation = [0, 3, 1, 2]
// CHECK-NOT: linalg.generic
// CHECK: tensor.empty(%[[B]]) : tensor<?x4x3x3xi8>
// CHECK-NOT: linalg.generic
// CHECK: %[[Y:.*]] = quant.scast %[[T]] : tensor<?x4x3x3xi8> to tensor<?x4x3x3x!quant.uniform<u8:f32, 3.000000e-01>>
// CHECK: return %[[Y]]
func.func @pool(%x: tensor<?x2x6x6x!qa>) -> tensor<?x4x3x3x!qy> {
  %wc = arith.constant dense<1> : tensor<4x2x3x3xi8>
  %w = quant.scast %wc : tensor<4x2x3x3xi8> to tensor<4x2x3x3x!qw>
  %c = qnt.conv2d %x, %w {clamp_min = 2 : i64, padding = array<i64: 1, 1, 1, 1>} : tensor<?x2x6x6x!qa>, tensor<4x2x3x3x!qw> -> tensor<?x4x6x6x!qy>
  %c0 = arith.constant 0 : index
  %n = tensor.dim %c, %c0 : tensor<?x4x6x6x!qy>
  %cs = quant.scast %c : tensor<?x4x6x6x!qy> to tensor<?x4x6x6xi8>
  %e = tensor.empty(%n) : tensor<?x4x3x3xi8>
  %lowest = arith.constant 0 : i8
  %init = linalg.fill ins(%lowest : i8) outs(%e : tensor<?x4x3x3xi8>) -> tensor<?x4x3x3xi8>
  %win = tensor.empty() : tensor<2x2xi8>
  %p = linalg.generic {indexing_maps = [#in, #win, #out], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]} ins(%cs, %win : tensor<?x4x6x6xi8>, tensor<2x2xi8>) outs(%init : tensor<?x4x3x3xi8>) {
  ^bb0(%in: i8, %unused: i8, %acc: i8):
    %m = arith.maxui %acc, %in : i8
    linalg.yield %m : i8
  } -> tensor<?x4x3x3xi8>
  %y = quant.scast %p : tensor<?x4x3x3xi8> to tensor<?x4x3x3x!qy>
  return %y : tensor<?x4x3x3x!qy>
}

// Pools the layer does not take stay: an init above the clamp's minimum
// (it would raise results), windows with a dilation, a signed maximum of
// unsigned storage, a convolution result read elsewhere too, and a pooled
// result whose channels are dynamic (the calls allocate with a dynamic
// batch only). The convolutions still become kernel calls.
// CHECK-LABEL: func.func @pools_kept
// CHECK: func.call @quant_layer_run(
// CHECK: linalg.generic
// CHECK: func.call @quant_layer_run(
// CHECK: linalg.generic
// CHECK: func.call @quant_layer_run(
// CHECK: linalg.generic
// CHECK: func.call @quant_layer_run(
// CHECK: linalg.generic
// CHECK: func.call @quant_layer_run(
// CHECK: linalg.generic
func.func @pools_kept(%x: tensor<1x2x6x6x!qa>) -> (tensor<1x4x3x3xi8>, tensor<1x4x2x3xi8>, tensor<1x4x3x3xi8>, tensor<1x4x3x3xi8>, tensor<1x4x6x6x!qy>, tensor<1x?x3x3xi8>) {
  %wc = arith.constant dense<1> : tensor<4x2x3x3xi8>
  %w = quant.scast %wc : tensor<4x2x3x3xi8> to tensor<4x2x3x3x!qw>
  %win = tensor.empty() : tensor<2x2xi8>
  %c1 = qnt.conv2d %x, %w {clamp_min = 2 : i64, padding = array<i64: 1, 1, 1, 1>} : tensor<1x2x6x6x!qa>, tensor<4x2x3x3x!qw> -> tensor<1x4x6x6x!qy>
  %s1 = quant.scast %c1 : tensor<1x4x6x6x!qy> to tensor<1x4x6x6xi8>
  %e1 = tensor.empty() : tensor<1x4x3x3xi8>
  %three = arith.constant 3 : i8
  %i1 = linalg.fill ins(%three : i8) outs(%e1 : tensor<1x4x3x3xi8>) -> tensor<1x4x3x3xi8>
  %p1 = linalg.generic {indexing_maps = [#in, #win, #out], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]} ins(%s1, %win : tensor<1x4x6x6xi8>, tensor<2x2xi8>) outs(%i1 : tensor<1x4x3x3xi8>) {
  ^bb0(%in: i8, %unused: i8, %acc: i8):
    %m = arith.maxui %acc, %in : i8
    linalg.yield %m : i8
  } -> tensor<1x4x3x3xi8>
  %c2 = qnt.conv2d %x, %w {padding = array<i64: 1, 1, 1, 1>} : tensor<1x2x6x6x!qa>, tensor<4x2x3x3x!qw> -> tensor<1x4x6x6x!qy>
  %s2 = quant.scast %c2 : tensor<1x4x6x6x!qy> to tensor<1x4x6x6xi8>
  %e2 = tensor.empty() : tensor<1x4x2x3xi8>
  %zero = arith.constant 0 : i8
  %i2 = linalg.fill ins(%zero : i8) outs(%e2 : tensor<1x4x2x3xi8>) -> tensor<1x4x2x3xi8>
  %p2 = linalg.generic {indexing_maps = [#dilated, #win, #out], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]} ins(%s2, %win : tensor<1x4x6x6xi8>, tensor<2x2xi8>) outs(%i2 : tensor<1x4x2x3xi8>) {
  ^bb0(%in: i8, %unused: i8, %acc: i8):
    %m = arith.maxui %acc, %in : i8
    linalg.yield %m : i8
  } -> tensor<1x4x2x3xi8>
  %c3 = qnt.conv2d %x, %w {padding = array<i64: 1, 1, 1, 1>} : tensor<1x2x6x6x!qa>, tensor<4x2x3x3x!qw> -> tensor<1x4x6x6x!qy>
  %s3 = quant.scast %c3 : tensor<1x4x6x6x!qy> to tensor<1x4x6x6xi8>
  %i3 = linalg.fill ins(%zero : i8) outs(%e1 : tensor<1x4x3x3xi8>) -> tensor<1x4x3x3xi8>
  %p3 = linalg.generic {indexing_maps = [#in, #win, #out], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]} ins(%s3, %win : tensor<1x4x6x6xi8>, tensor<2x2xi8>) outs(%i3 : tensor<1x4x3x3xi8>) {
  ^bb0(%in: i8, %unused: i8, %acc: i8):
    %m = arith.maxsi %acc, %in : i8
    linalg.yield %m : i8
  } -> tensor<1x4x3x3xi8>
  %c4 = qnt.conv2d %x, %w {padding = array<i64: 1, 1, 1, 1>} : tensor<1x2x6x6x!qa>, tensor<4x2x3x3x!qw> -> tensor<1x4x6x6x!qy>
  %s4 = quant.scast %c4 : tensor<1x4x6x6x!qy> to tensor<1x4x6x6xi8>
  %p4 = linalg.generic {indexing_maps = [#in, #win, #out], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]} ins(%s4, %win : tensor<1x4x6x6xi8>, tensor<2x2xi8>) outs(%i3 : tensor<1x4x3x3xi8>) {
  ^bb0(%in: i8, %unused: i8, %acc: i8):
    %m = arith.maxui %acc, %in : i8
    linalg.yield %m : i8
  } -> tensor<1x4x3x3xi8>
  %c5 = qnt.conv2d %x, %w {padding = array<i64: 1, 1, 1, 1>} : tensor<1x2x6x6x!qa>, tensor<4x2x3x3x!qw> -> tensor<1x4x6x6x!qy>
  %s5 = quant.scast %c5 : tensor<1x4x6x6x!qy> to tensor<1x4x6x6xi8>
  %four = arith.constant 4 : index
  %e5 = tensor.empty(%four) : tensor<1x?x3x3xi8>
  %i5 = linalg.fill ins(%zero : i8) outs(%e5 : tensor<1x?x3x3xi8>) -> tensor<1x?x3x3xi8>
  %p5 = linalg.generic {indexing_maps = [#in, #win, #out], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]} ins(%s5, %win : tensor<1x4x6x6xi8>, tensor<2x2xi8>) outs(%i5 : tensor<1x?x3x3xi8>) {
  ^bb0(%in: i8, %unused: i8, %acc: i8):
    %m = arith.maxui %acc, %in : i8
    linalg.yield %m : i8
  } -> tensor<1x?x3x3xi8>
  return %p1, %p2, %p3, %p4, %c4, %p5 : tensor<1x4x3x3xi8>, tensor<1x4x2x3xi8>, tensor<1x4x3x3xi8>, tensor<1x4x3x3xi8>, tensor<1x4x6x6x!qy>, tensor<1x?x3x3xi8>
}
