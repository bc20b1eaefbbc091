// RUN: quant-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(qnt-parallel-min-work{min-work=1000}))' | FileCheck %s

// A loop of 3 operations per iteration forks only from 334 iterations on;
// the count comes from the bounds, here dynamic.
// CHECK-LABEL: func.func @elementwise
// CHECK-SAME: (%{{.*}}: memref<?xf32>, %[[N:.*]]: index)
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG: %[[C1:.*]] = arith.constant 1 : index
// CHECK: %[[SPAN:.*]] = arith.subi %[[N]], %[[C0]] : index
// CHECK: %[[TRIPS:.*]] = arith.ceildivsi %[[SPAN]], %[[C1]] : index
// CHECK: %[[ITERS:.*]] = arith.muli %{{.*}}, %[[TRIPS]] : index
// CHECK: %[[MIN:.*]] = arith.constant 334 : index
// CHECK: %[[IF:.*]] = arith.cmpi sge, %[[ITERS]], %[[MIN]] : index
// CHECK: omp.parallel if(%[[IF]])
func.func @elementwise(%a: memref<?xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  omp.parallel {
    omp.wsloop {
      omp.loop_nest (%i) : index = (%c0) to (%n) step (%c1) {
        %v = memref.load %a[%i] : memref<?xf32>
        %w = arith.mulf %v, %v : f32
        memref.store %w, %a[%i] : memref<?xf32>
        omp.yield
      }
    }
    omp.terminator
  }
  return
}

// -----

// Nested loops multiply out (8 x 3 operations: 42 iterations), and a call
// counts as a kernel block: one iteration is already enough.
// CHECK-LABEL: func.func @nested_and_calls
// CHECK: %[[MIN:.*]] = arith.constant 42 : index
// CHECK: arith.cmpi sge, %{{.*}}, %[[MIN]] : index
// CHECK: omp.parallel if(
// CHECK: %[[ITERS:.*]] = arith.muli
// CHECK-NEXT: %[[ONE:.*]] = arith.constant 1 : index
// CHECK-NEXT: arith.cmpi sge, %[[ITERS]], %[[ONE]] : index
// CHECK: omp.parallel if(
func.func private @kernel(index)
func.func @nested_and_calls(%a: memref<?x8xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  omp.parallel {
    omp.wsloop {
      omp.loop_nest (%i) : index = (%c0) to (%n) step (%c1) {
        scf.for %j = %c0 to %c8 step %c1 {
          %v = memref.load %a[%i, %j] : memref<?x8xf32>
          %w = arith.mulf %v, %v : f32
          memref.store %w, %a[%i, %j] : memref<?x8xf32>
        }
        omp.yield
      }
    }
    omp.terminator
  }
  omp.parallel {
    omp.wsloop {
      omp.loop_nest (%i) : index = (%c0) to (%n) step (%c1) {
        func.call @kernel(%i) : (index) -> ()
        omp.yield
      }
    }
    omp.terminator
  }
  return
}

// -----

// Bounds defined inside the region cannot be evaluated before it, and an
// existing if clause is kept.
// CHECK-LABEL: func.func @left_alone
// CHECK: omp.parallel {
// CHECK: omp.parallel if(%{{.*}}) {
// CHECK-NOT: arith.cmpi
func.func @left_alone(%a: memref<?xindex>, %n: index, %cond: i1) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  omp.parallel {
    %m = arith.addi %n, %c1 : index
    omp.wsloop {
      omp.loop_nest (%i) : index = (%c0) to (%m) step (%c1) {
        memref.store %n, %a[%i] : memref<?xindex>
        omp.yield
      }
    }
    omp.terminator
  }
  omp.parallel if(%cond) {
    omp.wsloop {
      omp.loop_nest (%i) : index = (%c0) to (%n) step (%c1) {
        omp.yield
      }
    }
    omp.terminator
  }
  return
}
