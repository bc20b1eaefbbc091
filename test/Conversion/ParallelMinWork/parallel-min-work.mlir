// RUN: quant-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(qnt-parallel-min-work{min-work=1000}))' | FileCheck %s

// A loop of 3 operations per iteration runs in parallel only from 334
// iterations on (the count comes from the bounds, here dynamic); below, its
// copy as a sequential loop runs.
// CHECK-LABEL: func.func @elementwise
// CHECK-SAME: (%[[A:.*]]: memref<?xf32>, %[[N:.*]]: index)
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG: %[[C1:.*]] = arith.constant 1 : index
// CHECK: %[[SPAN:.*]] = arith.subi %[[N]], %[[C0]] : index
// CHECK: %[[TRIPS:.*]] = arith.ceildivsi %[[SPAN]], %[[C1]] : index
// CHECK: %[[ITERS:.*]] = arith.muli %{{.*}}, %[[TRIPS]] : index
// CHECK: %[[MIN:.*]] = arith.constant 334 : index
// CHECK: %[[IF:.*]] = arith.cmpi sge, %[[ITERS]], %[[MIN]] : index
// CHECK: scf.if %[[IF]] {
// CHECK-NEXT: scf.parallel (%[[I:.*]]) = (%[[C0]]) to (%[[N]]) step (%[[C1]]) {
// CHECK-NEXT: %[[V:.*]] = memref.load %[[A]][%[[I]]]
// CHECK-NEXT: %[[W:.*]] = arith.mulf %[[V]], %[[V]]
// CHECK-NEXT: memref.store %[[W]], %[[A]][%[[I]]]
// CHECK-NEXT: scf.reduce
// CHECK-NEXT: }
// CHECK-NEXT: } else {
// CHECK-NEXT: scf.for %[[J:.*]] = %[[C0]] to %[[N]] step %[[C1]] {
// CHECK-NEXT: %[[X:.*]] = memref.load %[[A]][%[[J]]]
// CHECK-NEXT: %[[Y:.*]] = arith.mulf %[[X]], %[[X]]
// CHECK-NEXT: memref.store %[[Y]], %[[A]][%[[J]]]
// CHECK-NEXT: }
// CHECK-NEXT: }
func.func @elementwise(%a: memref<?xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.parallel (%i) = (%c0) to (%n) step (%c1) {
    %v = memref.load %a[%i] : memref<?xf32>
    %w = arith.mulf %v, %v : f32
    memref.store %w, %a[%i] : memref<?xf32>
    scf.reduce
  }
  return
}

// -----

// Nested loops multiply out (8 x 3 operations: 42 iterations), and a call
// counts as a kernel block: one iteration is already enough, so that loop
// is not guarded at all.
// CHECK-LABEL: func.func @nested_and_calls
// CHECK: %[[MIN:.*]] = arith.constant 42 : index
// CHECK: arith.cmpi sge, %{{.*}}, %[[MIN]] : index
// CHECK: scf.parallel
// CHECK: } else {
// CHECK-NEXT: scf.for
// CHECK-NEXT: scf.for
// CHECK: scf.parallel (%{{.*}}, %{{.*}}) =
// CHECK-NEXT: func.call @kernel
// CHECK-NOT: scf.if
// CHECK: return
func.func private @kernel(index)
func.func @nested_and_calls(%a: memref<?x8xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  scf.parallel (%i) = (%c0) to (%n) step (%c1) {
    scf.for %j = %c0 to %c8 step %c1 {
      %v = memref.load %a[%i, %j] : memref<?x8xf32>
      %w = arith.mulf %v, %v : f32
      memref.store %w, %a[%i, %j] : memref<?x8xf32>
    }
    scf.reduce
  }
  scf.parallel (%i, %k) = (%c0, %c0) to (%n, %c8) step (%c1, %c1) {
    func.call @kernel(%i) : (index) -> ()
    scf.reduce
  }
  return
}

// -----

// Loops with reductions (a sequential copy would need their combiners) are
// left alone.
// CHECK-LABEL: func.func @left_alone
// CHECK-NOT: scf.if
// CHECK: scf.parallel
// CHECK-NOT: scf.if
func.func @left_alone(%a: memref<?xf32>, %n: index) -> f32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %zero = arith.constant 0.0 : f32
  %sum = scf.parallel (%i) = (%c0) to (%n) step (%c1) init (%zero) -> f32 {
    %v = memref.load %a[%i] : memref<?xf32>
    scf.reduce(%v : f32) {
    ^bb0(%x: f32, %y: f32):
      %s = arith.addf %x, %y : f32
      scf.reduce.return %s : f32
    }
  }
  return %sum : f32
}

// -----

// A parallel loop nested in one (the layers of a slice of the batch, from
// qnt-parallel-batch) is sequential: the team is busy. The loop over slices
// is not guarded: qnt-parallel-batch gave it its condition.
// CHECK-LABEL: func.func @nested_parallel
// CHECK-NOT: scf.if
// CHECK: scf.parallel
// CHECK-NEXT: scf.for
// CHECK-NOT: scf.parallel
// CHECK-NOT: scf.if
// CHECK: return
func.func @nested_parallel(%a: memref<?x8xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  scf.parallel (%i) = (%c0) to (%n) step (%c1) {
    scf.parallel (%j) = (%c0) to (%c8) step (%c1) {
      %v = memref.load %a[%i, %j] : memref<?x8xf32>
      memref.store %v, %a[%i, %j] : memref<?x8xf32>
      scf.reduce
    }
    scf.reduce
  }
  return
}
