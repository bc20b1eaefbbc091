// RUN: quant-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(qnt-parallel-outer-dims))' | FileCheck %s

// The innermost dimension becomes a sequential loop inside the parallel
// outer dimensions, with the body unchanged; LLVM is told not to unroll it
// before vectorizing.
// CHECK: #[[UNROLL:.*]] = #llvm.loop_unroll<disable = true>
// CHECK: #[[$ANNOTATION:.*]] = #llvm.loop_annotation<unroll = #[[UNROLL]]>
// CHECK-LABEL: func.func @three_dims
// CHECK-SAME: (%[[A:.*]]: memref<?x4x8xf32>, %[[B:.*]]: memref<?x4x8xf32>)
// CHECK: scf.parallel (%[[I:.*]], %[[J:.*]]) = (%[[C0:.*]], %[[C0]]) to (%{{.*}}, %[[C4:.*]]) step (%[[C1:.*]], %[[C1]]) {
// CHECK-NEXT: scf.for %[[K:.*]] = %[[C0]] to %[[C8:.*]] step %[[C1]] {
// CHECK-NEXT: %[[V:.*]] = memref.load %[[A]][%[[I]], %[[J]], %[[K]]]
// CHECK-NEXT: %[[W:.*]] = arith.mulf %[[V]], %[[V]]
// CHECK-NEXT: memref.store %[[W]], %[[B]][%[[I]], %[[J]], %[[K]]]
// CHECK-NEXT: } {loop_annotation = #[[$ANNOTATION]]}
// CHECK-NEXT: scf.reduce
// CHECK-NEXT: }
// CHECK-NOT: scf.parallel
func.func @three_dims(%a: memref<?x4x8xf32>, %b: memref<?x4x8xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c8 = arith.constant 8 : index
  %n = memref.dim %a, %c0 : memref<?x4x8xf32>
  scf.parallel (%i, %j, %k) = (%c0, %c0, %c0) to (%n, %c4, %c8) step (%c1, %c1, %c1) {
    %v = memref.load %a[%i, %j, %k] : memref<?x4x8xf32>
    %w = arith.mulf %v, %v : f32
    memref.store %w, %b[%i, %j, %k] : memref<?x4x8xf32>
    scf.reduce
  }
  return
}

// -----

// One-dimensional loops and loops with reductions are left alone.
// CHECK-LABEL: func.func @left_alone
// CHECK: scf.parallel (%{{.*}}) = (%{{.*}}) to (%{{.*}}) step (%{{.*}}) {
// CHECK-NOT: scf.for
// CHECK: scf.parallel (%{{.*}}, %{{.*}}) = {{.*}} init (%{{.*}}) -> f32 {
// CHECK-NOT: scf.for
func.func @left_alone(%a: memref<8xf32>, %m: memref<4x8xf32>) -> f32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c8 = arith.constant 8 : index
  %zero = arith.constant 0.0 : f32
  scf.parallel (%i) = (%c0) to (%c8) step (%c1) {
    memref.store %zero, %a[%i] : memref<8xf32>
    scf.reduce
  }
  %sum = scf.parallel (%i, %j) = (%c0, %c0) to (%c4, %c8) step (%c1, %c1) init (%zero) -> f32 {
    %v = memref.load %m[%i, %j] : memref<4x8xf32>
    scf.reduce(%v : f32) {
    ^bb0(%x: f32, %y: f32):
      %s = arith.addf %x, %y : f32
      scf.reduce.return %s : f32
    }
  }
  return %sum : f32
}

// -----

// A body that is a nest of sequential loops of more than 16 steps (a
// convolution's reduction): the last parallel dimension goes below it,
// innermost.
// CHECK-LABEL: func.func @below_reduction
// CHECK: scf.parallel (%[[I:.*]]) =
// CHECK-NEXT: scf.for %[[K:.*]] = %{{.*}} to %{{.*}} step %{{.*}} {
// CHECK-NEXT: scf.for %[[J:.*]] = %{{.*}} to %{{.*}} step %{{.*}} {
// CHECK-NEXT: %[[X:.*]] = arith.addi %[[J]], %[[K]] : index
// CHECK-NEXT: memref.load %{{.*}}[%[[I]], %[[X]]]
// CHECK: memref.store %{{.*}}, %{{.*}}[%[[I]], %[[J]]]
// CHECK-NEXT: } {loop_annotation = #[[$ANNOTATION]]}
// CHECK-NEXT: }
// CHECK-NEXT: scf.reduce
func.func @below_reduction(%in: memref<4x28xf32>, %out: memref<4x8xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c20 = arith.constant 20 : index
  %c4 = arith.constant 4 : index
  %c8 = arith.constant 8 : index
  scf.parallel (%i, %j) = (%c0, %c0) to (%c4, %c8) step (%c1, %c1) {
    scf.for %k = %c0 to %c20 step %c1 {
      %x = arith.addi %j, %k : index
      %v = memref.load %in[%i, %x] : memref<4x28xf32>
      %acc = memref.load %out[%i, %j] : memref<4x8xf32>
      %s = arith.addf %acc, %v : f32
      memref.store %s, %out[%i, %j] : memref<4x8xf32>
    }
    scf.reduce
  }
  return
}

// -----

// A reduction loop whose bound depends on the point stays inside it.
// CHECK-LABEL: func.func @dependent_bound
// CHECK: scf.parallel (%{{.*}}) =
// CHECK-NEXT: scf.for %[[J:.*]] = %{{.*}} to %{{.*}} step %{{.*}} {
// CHECK-NEXT: scf.for %{{.*}} = %{{.*}} to %[[J]] step %{{.*}} {
func.func @dependent_bound(%out: memref<4x8xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c8 = arith.constant 8 : index
  %one = arith.constant 1.0 : f32
  scf.parallel (%i, %j) = (%c0, %c0) to (%c4, %c8) step (%c1, %c1) {
    scf.for %k = %c0 to %j step %c1 {
      %acc = memref.load %out[%i, %j] : memref<4x8xf32>
      %s = arith.addf %acc, %one : f32
      memref.store %s, %out[%i, %j] : memref<4x8xf32>
    }
    scf.reduce
  }
  return
}

// -----

// Of four dimensions (an NHWC pooling) the two outer ones stay parallel:
// the third becomes a sequential loop; a reduction of at most 16 constant
// steps (the pooling window) stays inside the last dimension's loop, where
// LLVM unrolls it and keeps the partial results in registers.
// CHECK-LABEL: func.func @four_dims
// CHECK: scf.parallel (%[[N:.*]], %[[H:.*]]) = (%{{.*}}, %{{.*}}) to (%{{.*}}, %{{.*}}) step (%{{.*}}, %{{.*}}) {
// CHECK-NEXT: scf.for %[[W:.*]] = %{{.*}} to %{{.*}} step %{{.*}} {
// CHECK-NEXT: scf.for %[[C:.*]] = %{{.*}} to %{{.*}} step %{{.*}} {
// CHECK-NEXT: scf.for %[[R:.*]] = %{{.*}} to %{{.*}} step %{{.*}} {
// CHECK-NEXT: %[[X:.*]] = arith.addi %[[W]], %[[R]] : index
// CHECK-NEXT: %[[V:.*]] = memref.load %{{.*}}[%[[N]], %[[H]], %[[X]], %[[C]]]
// CHECK-NEXT: %[[O:.*]] = memref.load %{{.*}}[%[[N]], %[[H]], %[[W]], %[[C]]]
// CHECK-NEXT: %[[M:.*]] = arith.maxui %[[O]], %[[V]] : i8
// CHECK-NEXT: memref.store %[[M]], %{{.*}}[%[[N]], %[[H]], %[[W]], %[[C]]]
// CHECK-NEXT: }
// CHECK-NEXT: } {loop_annotation = #[[$ANNOTATION]]}
// CHECK-NEXT: }
// CHECK-NEXT: scf.reduce
// CHECK-NOT: scf.parallel
func.func @four_dims(%in: memref<?x4x9x16xi8>, %out: memref<?x4x8x16xi8>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c4 = arith.constant 4 : index
  %c8 = arith.constant 8 : index
  %c16 = arith.constant 16 : index
  %n = memref.dim %in, %c0 : memref<?x4x9x16xi8>
  scf.parallel (%i, %j, %k, %l) = (%c0, %c0, %c0, %c0) to (%n, %c4, %c8, %c16) step (%c1, %c1, %c1, %c1) {
    scf.for %r = %c0 to %c2 step %c1 {
      %x = arith.addi %k, %r : index
      %v = memref.load %in[%i, %j, %x, %l] : memref<?x4x9x16xi8>
      %o = memref.load %out[%i, %j, %k, %l] : memref<?x4x8x16xi8>
      %m = arith.maxui %o, %v : i8
      memref.store %m, %out[%i, %j, %k, %l] : memref<?x4x8x16xi8>
    }
    scf.reduce
  }
  return
}

// -----

// A body that calls a function is not vectorized: both dimensions of a
// kernel call site stay parallel tasks.
// CHECK-LABEL: func.func @calls
// CHECK: scf.parallel (%{{.*}}, %{{.*}}) =
// CHECK-NEXT: func.call @layer
// CHECK-NOT: scf.for
func.func private @layer(index, index)
func.func @calls(%m: index, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.parallel (%i, %j) = (%c0, %c0) to (%m, %n) step (%c1, %c1) {
    func.call @layer(%i, %j) : (index, index) -> ()
    scf.reduce
  }
  return
}
