// RUN: quant-opt %s --split-input-file --pass-pipeline='builtin.module(qnt-parallel-min-work{min-work=1000})' | FileCheck %s

// A loop of 3 operations per iteration runs in parallel only from 334
// iterations on (the count comes from the bounds, here dynamic) and with
// more than one OpenMP thread (asked once, on entry); otherwise its copy as
// a sequential loop runs.
// CHECK: func.func private @omp_get_max_threads() -> i32
// CHECK-LABEL: func.func @elementwise
// CHECK-SAME: (%[[A:.*]]: memref<?xf32>, %[[N:.*]]: index)
// CHECK-NEXT: %[[T:.*]] = call @omp_get_max_threads() : () -> i32
// CHECK-NEXT: %[[ONE:.*]] = arith.constant 1 : i32
// CHECK-NEXT: %[[MULTI:.*]] = arith.cmpi sgt, %[[T]], %[[ONE]] : i32
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG: %[[C1:.*]] = arith.constant 1 : index
// CHECK: %[[SPAN:.*]] = arith.subi %[[N]], %[[C0]] : index
// CHECK: %[[TRIPS:.*]] = arith.ceildivsi %[[SPAN]], %[[C1]] : index
// CHECK: %[[ITERS:.*]] = arith.muli %{{.*}}, %[[TRIPS]] : index
// CHECK: %[[MIN:.*]] = arith.constant 334 : index
// CHECK: %[[LARGE:.*]] = arith.cmpi sge, %[[ITERS]], %[[MIN]] : index
// CHECK: %[[IF:.*]] = arith.andi %[[LARGE]], %[[MULTI]] : i1
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
// is guarded by the thread count alone.
// CHECK-LABEL: func.func @nested_and_calls
// CHECK: %[[MULTI:.*]] = arith.cmpi sgt, %{{.*}}, %{{.*}} : i32
// CHECK: %[[MIN:.*]] = arith.constant 42 : index
// CHECK: %[[LARGE:.*]] = arith.cmpi sge, %{{.*}}, %[[MIN]] : index
// CHECK: arith.andi %[[LARGE]], %[[MULTI]] : i1
// CHECK: scf.parallel
// CHECK: } else {
// CHECK-NEXT: scf.for
// CHECK-NEXT: scf.for
// CHECK: scf.if %[[MULTI]] {
// CHECK-NEXT: scf.parallel (%{{.*}}, %{{.*}}) =
// CHECK-NEXT: func.call @kernel
// CHECK: } else {
// CHECK-NEXT: scf.for
// CHECK-NEXT: scf.for
// CHECK-NEXT: func.call @kernel
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
// CHECK-NOT: omp_get_max_threads
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

// -----

// A module whose omp_get_max_threads is another function: loops are
// guarded by their work only, and a function without parallel loops asks
// nothing.
// CHECK-LABEL: func.func @foreign_thread_count
// CHECK-NOT: call @omp_get_max_threads
// CHECK: %[[LARGE:.*]] = arith.cmpi sge
// CHECK-NEXT: scf.if %[[LARGE]] {
// CHECK-LABEL: func.func @no_loops
// CHECK-NOT: call
// CHECK: return
func.func private @omp_get_max_threads() -> i64
func.func @foreign_thread_count(%a: memref<?xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.parallel (%i) = (%c0) to (%n) step (%c1) {
    %v = memref.load %a[%i] : memref<?xf32>
    memref.store %v, %a[%i] : memref<?xf32>
    scf.reduce
  }
  return
}
func.func @no_loops(%a: memref<?xf32>) {
  return
}

// -----

// A loop with a work per point (a kernel call site's) counts the points of
// its iteration space, the product of its spans, whatever its steps:
// 1000 / 0.25 = 4000 points here. The attribute goes with the guard.
// CHECK-LABEL: func.func @point_work
// CHECK-SAME: (%[[M:.*]]: index, %[[S:.*]]: index)
// CHECK: %[[MULTI:.*]] = arith.cmpi sgt
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG: %[[C40:.*]] = arith.constant 40 : index
// CHECK: %[[ROWS:.*]] = arith.subi %[[M]], %[[C0]] : index
// CHECK: %[[PART:.*]] = arith.muli %{{.*}}, %[[ROWS]] : index
// CHECK: %[[COLS:.*]] = arith.subi %[[C40]], %[[C0]] : index
// CHECK: %[[POINTS:.*]] = arith.muli %[[PART]], %[[COLS]] : index
// CHECK: %[[MIN:.*]] = arith.constant 4000 : index
// CHECK: %[[LARGE:.*]] = arith.cmpi sge, %[[POINTS]], %[[MIN]] : index
// CHECK: arith.andi %[[LARGE]], %[[MULTI]] : i1
// CHECK: scf.parallel
// CHECK-NOT: qnt.point_work
// CHECK: return
func.func private @layer(index, index)
func.func @point_work(%m: index, %step: index) {
  %c0 = arith.constant 0 : index
  %c40 = arith.constant 40 : index
  scf.parallel (%i, %j) = (%c0, %c0) to (%m, %c40) step (%step, %step) {
    func.call @layer(%i, %j) : (index, index) -> ()
    scf.reduce
  } {qnt.point_work = 2.500000e-01 : f64}
  return
}

// -----

// Enough work in a single point: guarded by the thread count alone.
// CHECK-LABEL: func.func @point_work_large
// CHECK: %[[MULTI:.*]] = arith.cmpi sgt
// CHECK-NOT: arith.cmpi sge
// CHECK: scf.if %[[MULTI]] {
func.func private @big_layer(index)
func.func @point_work_large(%m: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.parallel (%i) = (%c0) to (%m) step (%c1) {
    func.call @big_layer(%i) : (index) -> ()
    scf.reduce
  } {qnt.point_work = 5.000000e+03 : f64}
  return
}
