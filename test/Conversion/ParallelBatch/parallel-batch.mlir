// RUN: quant-opt %s --split-input-file --qnt-parallel-batch=explain=true --verify-diagnostics | FileCheck %s
// RUN: not quant-opt %s --split-input-file --qnt-parallel-batch=min-samples=0 2>&1 | FileCheck %s --check-prefix=BAD-OPTION
// BAD-OPTION: error: qnt-parallel-batch: min-samples must be at least 1, got 0

// A quantized matmul on a dynamic batch runs on one slice per thread: the
// slices and the shared output carry the storage type, and the original
// body stays for one thread or a batch smaller than the thread count.

!u8 = !quant.uniform<u8:f32, 0.05:128>
!w = !quant.uniform<i8:f32, 0.02>
!y = !quant.uniform<i8:f32, 0.3:-3>

// CHECK-LABEL: func.func private @omp_get_max_threads() -> i32
// CHECK-LABEL: func.func @matmul
// CHECK-SAME: (%[[A:.*]]: tensor<?x16x!quant.uniform<u8:f32, 5.000000e-02:128>>)
// CHECK: %[[C0:.*]] = arith.constant 0 : index
// CHECK: %[[BATCH:.*]] = tensor.dim %[[A]], %[[C0]]
// CHECK: %[[T32:.*]] = call @omp_get_max_threads() : () -> i32
// CHECK: %[[T:.*]] = arith.index_cast %[[T32]] : i32 to index
// CHECK: %[[MIN:.*]] = arith.muli %[[T]], %{{.*}} : index
// CHECK: %[[MANY:.*]] = arith.cmpi sgt, %[[T]], %{{.*}} : index
// CHECK: %[[ENOUGH:.*]] = arith.cmpi sge, %[[BATCH]], %[[MIN]] : index
// CHECK: %[[USE:.*]] = arith.andi %[[MANY]], %[[ENOUGH]] : i1
// CHECK: %[[IF:.*]] = scf.if %[[USE]] -> (tensor<?x8xi8>) {
// CHECK: %[[OUT:.*]] = tensor.empty(%[[BATCH]]) : tensor<?x8xi8>
// CHECK: %[[ALL:.*]] = scf.forall (%[[I:.*]]) in (%[[T]]) shared_outs(%[[O:.*]] = %[[OUT]]) -> (tensor<?x8xi8>) {
// CHECK: %[[BEGIN:.*]] = arith.divui
// CHECK: %[[END:.*]] = arith.divui
// CHECK: %[[ROWS:.*]] = arith.subi %[[END]], %[[BEGIN]] : index
// CHECK: %[[S:.*]] = quant.scast %[[A]] : {{.*}} to tensor<?x16xi8>
// CHECK: %[[SLICE:.*]] = tensor.extract_slice %[[S]][%[[BEGIN]], 0] [%[[ROWS]], 16] [1, 1]
// CHECK: %[[Q:.*]] = quant.scast %[[SLICE]] : tensor<?x16xi8> to tensor<?x16x!quant.uniform<u8:f32, 5.000000e-02:128>>
// CHECK: %[[MM:.*]] = qnt.matmul %[[Q]]
// CHECK: %[[R:.*]] = quant.scast %[[MM]] : {{.*}} to tensor<?x8xi8>
// CHECK: scf.forall.in_parallel {
// CHECK-NEXT: tensor.parallel_insert_slice %[[R]] into %[[O]][%[[BEGIN]], 0] [%[[ROWS]], 8] [1, 1]
// CHECK: scf.yield %[[ALL]] : tensor<?x8xi8>
// CHECK: } else {
// CHECK: %[[MM2:.*]] = qnt.matmul %[[A]]
// CHECK: %[[R2:.*]] = quant.scast %[[MM2]] : {{.*}} to tensor<?x8xi8>
// CHECK: scf.yield %[[R2]] : tensor<?x8xi8>
// CHECK: %[[RES:.*]] = quant.scast %[[IF]] : tensor<?x8xi8> to tensor<?x8x!quant.uniform<i8:f32, 3.000000e-01:-3>>
// CHECK: return %[[RES]]
func.func @matmul(%a: tensor<?x16x!u8>) -> tensor<?x8x!y> {
  %w = arith.constant dense<3> : tensor<16x8xi8>
  %wq = quant.scast %w : tensor<16x8xi8> to tensor<16x8x!w>
  %y = qnt.matmul %a, %wq : tensor<?x16x!u8>, tensor<16x8x!w> -> tensor<?x8x!y>
  return %y : tensor<?x8x!y>
}

// -----

// Sizes computed from the batch are followed: a Flatten reshapes to
// (batch * 12 / 12, 12); a pad that leaves the batch alone, an elementwise
// generic and a matmul with constant weights keep rows apart. Two batched
// arguments must have the same batch at run time.
// CHECK-LABEL: func.func @float_layers
// CHECK-SAME: (%[[X:.*]]: tensor<?x3x4xf32>, %[[Z:.*]]: tensor<?x5xf32>)
// CHECK: %[[BATCH:.*]] = tensor.dim %[[X]]
// CHECK: %[[OTHER:.*]] = tensor.dim %[[Z]]
// CHECK: %[[SAME:.*]] = arith.cmpi eq, %[[BATCH]], %[[OTHER]] : index
// CHECK: scf.forall
// CHECK-DAG: tensor.extract_slice %[[X]]
// CHECK-DAG: tensor.extract_slice %[[Z]]
// CHECK: tensor.reshape
// CHECK: tensor.pad
// CHECK: linalg.matmul
// CHECK: linalg.generic
// CHECK: tensor.parallel_insert_slice
// CHECK: } else {
#id = affine_map<(d0, d1) -> (d0, d1)>
func.func @float_layers(%x: tensor<?x3x4xf32>, %z: tensor<?x5xf32>) -> tensor<?x5xf32> {
  %c0 = arith.constant 0 : index
  %c12 = arith.constant 12 : index
  %zero = arith.constant 0.0 : f32
  %n = tensor.dim %x, %c0 : tensor<?x3x4xf32>
  %flat = arith.muli %n, %c12 : index
  %rows = arith.divui %flat, %c12 : index
  %shape = tensor.from_elements %rows, %c12 : tensor<2xindex>
  %r = tensor.reshape %x(%shape) : (tensor<?x3x4xf32>, tensor<2xindex>) -> tensor<?x12xf32>
  %p = tensor.pad %r low[0, 1] high[0, 1] {
  ^bb0(%i: index, %j: index):
    tensor.yield %zero : f32
  } : tensor<?x12xf32> to tensor<?x14xf32>
  %w = arith.constant dense<0.5> : tensor<14x5xf32>
  %e = tensor.empty(%n) : tensor<?x5xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<?x5xf32>) -> tensor<?x5xf32>
  %m = linalg.matmul ins(%p, %w : tensor<?x14xf32>, tensor<14x5xf32>) outs(%f : tensor<?x5xf32>) -> tensor<?x5xf32>
  %s = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%m, %z : tensor<?x5xf32>, tensor<?x5xf32>) outs(%e : tensor<?x5xf32>) {
  ^bb0(%u: f32, %v: f32, %o: f32):
    %sum = arith.addf %u, %v : f32
    linalg.yield %sum : f32
  } -> tensor<?x5xf32>
  return %s : tensor<?x5xf32>
}

// -----

// CHECK-LABEL: func.func @static_batch
// CHECK-NOT: scf.forall
// expected-remark @below {{runs layer by layer: no argument has a dynamic dimension 0}}
func.func @static_batch(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  return %x : tensor<4x8xf32>
}

// -----

// CHECK-NOT: scf.forall
!q = !quant.uniform<u8:f32, 0.1>
// expected-remark @below {{runs layer by layer: an observer sees the whole batch}}
func.func @observed(%x: tensor<?x8xf32>) -> tensor<?x8xf32> {
  %o = qnt.observe %x {id = "x", kind = #qnt.observer<min_max>} : tensor<?x8xf32>
  return %o : tensor<?x8xf32>
}

// -----

// CHECK-NOT: scf.forall
#in = affine_map<(d0, d1) -> (d0, d1)>
#out = affine_map<(d0, d1) -> (d1)>
// expected-remark @below {{runs layer by layer: structured op reduces over the batch}}
func.func @sum_over_batch(%x: tensor<?x8xf32>) -> tensor<?x8xf32> {
  %zero = arith.constant dense<0.0> : tensor<8xf32>
  %s = linalg.generic {indexing_maps = [#in, #out], iterator_types = ["reduction", "parallel"]}
      ins(%x : tensor<?x8xf32>) outs(%zero : tensor<8xf32>) {
  ^bb0(%a: f32, %b: f32):
    %t = arith.addf %a, %b : f32
    linalg.yield %t : f32
  } -> tensor<8xf32>
  return %x : tensor<?x8xf32>
}

// -----

// CHECK-NOT: scf.forall
#map = affine_map<(d0, d1) -> (d0, d1)>
// expected-remark @below {{runs layer by layer: structured op reads its batch index}}
func.func @batch_index(%x: tensor<?x8xf32>) -> tensor<?x8xf32> {
  %s = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<?x8xf32>) outs(%x : tensor<?x8xf32>) {
  ^bb0(%a: f32, %b: f32):
    %i = linalg.index 0 : index
    %c = arith.index_cast %i : index to i32
    %f = arith.sitofp %c : i32 to f32
    %t = arith.addf %a, %f : f32
    linalg.yield %t : f32
  } -> tensor<?x8xf32>
  return %s : tensor<?x8xf32>
}

// -----

// CHECK-NOT: scf.forall
#map = affine_map<(d0, d1) -> (d0, d1)>
// expected-remark @below {{runs layer by layer: a body uses the batch from outside}}
func.func @captured_batch_size(%x: tensor<?x8xf32>) -> tensor<?x8xf32> {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?x8xf32>
  %s = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<?x8xf32>) outs(%x : tensor<?x8xf32>) {
  ^bb0(%a: f32, %b: f32):
    %c = arith.index_cast %n : index to i32
    %f = arith.sitofp %c : i32 to f32
    %t = arith.divf %a, %f : f32
    linalg.yield %t : f32
  } -> tensor<?x8xf32>
  return %s : tensor<?x8xf32>
}

// -----

// CHECK-NOT: scf.forall
#t = affine_map<(d0, d1) -> (d1, d0)>
#i = affine_map<(d0, d1) -> (d0, d1)>
// expected-remark @below {{runs layer by layer: structured op reads or writes the batch of an unbatched tensor}}
func.func @transpose(%x: tensor<?x8xf32>, %y: tensor<8x?xf32>) -> tensor<8x?xf32> {
  %s = linalg.generic {indexing_maps = [#t, #i], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<?x8xf32>) outs(%y : tensor<8x?xf32>) {
  ^bb0(%a: f32, %b: f32):
    linalg.yield %a : f32
  } -> tensor<8x?xf32>
  return %s : tensor<8x?xf32>
}

// -----

// CHECK-NOT: scf.forall
#t = affine_map<(d0, d1) -> (d1, d0)>
#i = affine_map<(d0, d1) -> (d0, d1)>
// expected-remark @below {{runs layer by layer: structured op indexes the batch with other loops}}
func.func @two_batch_loops(%x: tensor<?x?xf32>, %z: tensor<?x?xf32>) -> tensor<?x?xf32> {
  %s = linalg.generic {indexing_maps = [#t, #i], iterator_types = ["parallel", "parallel"]}
      ins(%z : tensor<?x?xf32>) outs(%x : tensor<?x?xf32>) {
  ^bb0(%a: f32, %b: f32):
    linalg.yield %a : f32
  } -> tensor<?x?xf32>
  return %s : tensor<?x?xf32>
}

// -----

// CHECK-NOT: scf.forall
// expected-remark @below {{runs layer by layer: collapse_shape merges the batch}}
func.func @merge_batch(%x: tensor<?x8xf32>) -> tensor<?xf32> {
  %c = tensor.collapse_shape %x [[0, 1]] : tensor<?x8xf32> into tensor<?xf32>
  return %c : tensor<?xf32>
}

// -----

// CHECK-NOT: scf.forall
// expected-remark @below {{runs layer by layer: reshape does not keep the batch as dimension 0}}
func.func @flatten_batch(%x: tensor<?x8xf32>) -> tensor<?x8xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %n = tensor.dim %x, %c0 : tensor<?x8xf32>
  %all = arith.muli %n, %c8 : index
  %shape = tensor.from_elements %c1, %all : tensor<2xindex>
  %r = tensor.reshape %x(%shape) : (tensor<?x8xf32>, tensor<2xindex>) -> tensor<1x?xf32>
  return %x : tensor<?x8xf32>
}

// -----

// CHECK-NOT: scf.forall
// expected-remark @below {{runs layer by layer: tensor.empty sized by the batch in another way}}
func.func @twice_the_batch(%x: tensor<?x8xf32>) -> tensor<?x8xf32> {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %n = tensor.dim %x, %c0 : tensor<?x8xf32>
  %twice = arith.muli %n, %c2 : index
  %e = tensor.empty(%twice) : tensor<?x8xf32>
  return %e : tensor<?x8xf32>
}

// -----

// CHECK-NOT: scf.forall
// expected-remark @below {{runs layer by layer: batch size used by arith.index_cast}}
func.func @size_as_data(%x: tensor<?x8xf32>) -> (tensor<?x8xf32>, i64) {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?x8xf32>
  %i = arith.index_cast %n : index to i64
  return %x, %i : tensor<?x8xf32>, i64
}

// -----

// CHECK-NOT: scf.forall
// expected-remark @below {{runs layer by layer: tensor.pad pads the batch, or by position}}
func.func @pad_batch(%x: tensor<?x8xf32>) -> tensor<?x8xf32> {
  %zero = arith.constant 0.0 : f32
  %p = tensor.pad %x low[1, 0] high[0, 0] {
  ^bb0(%i: index, %j: index):
    tensor.yield %zero : f32
  } : tensor<?x8xf32> to tensor<?x8xf32>
  return %p : tensor<?x8xf32>
}

// -----

// CHECK-NOT: scf.forall
!u = !quant.uniform<u8:f32, 0.05:128>
!s = !quant.uniform<i8:f32, 0.02>
// expected-remark @below {{runs layer by layer: weights depend on the batch}}
func.func @batched_weights(%a: tensor<?x16x!u>, %b: tensor<?x8x!s>) -> tensor<?x8xi32> {
  %y = qnt.matmul %a, %b : tensor<?x16x!u>, tensor<?x8x!s> -> tensor<?x8xi32>
  return %y : tensor<?x8xi32>
}

// -----

// CHECK-NOT: scf.forall
func.func private @log(tensor<?x8xf32>)
// expected-remark @below {{runs layer by layer: op with side effects}}
func.func @side_effect(%x: tensor<?x8xf32>) -> tensor<?x8xf32> {
  func.call @log(%x) : (tensor<?x8xf32>) -> ()
  return %x : tensor<?x8xf32>
}

// -----

// CHECK-NOT: scf.forall
// expected-remark @below {{runs layer by layer: a result is not batched, or has another dynamic dimension}}
func.func @unbatched_result(%x: tensor<?x8xf32>) -> tensor<8xf32> {
  %c = arith.constant dense<1.0> : tensor<8xf32>
  return %c : tensor<8xf32>
}

// -----

// CHECK-NOT: scf.forall
// expected-remark @below {{runs layer by layer: a body uses the batch from outside}}
func.func @pad_reads_batch(%x: tensor<?x8xf32>) -> tensor<?x8xf32> {
  %c = arith.constant dense<1.0> : tensor<2x8xf32>
  %p = tensor.pad %c low[1, 0] high[0, 0] {
  ^bb0(%i: index, %j: index):
    %v = tensor.extract %x[%i, %j] : tensor<?x8xf32>
    tensor.yield %v : f32
  } : tensor<2x8xf32> to tensor<3x8xf32>
  return %x : tensor<?x8xf32>
}

// -----

// A batch matmul pairs lhs[b] with rhs[b]: a constant rhs with a batch of
// its own cannot be sliced with the lhs.
// CHECK-NOT: scf.forall
!u8 = !quant.uniform<u8:f32, 0.05:128>
!w = !quant.uniform<i8:f32, 0.02>
!y = !quant.uniform<i8:f32, 0.3:-3>
// expected-remark @below {{runs layer by layer: batch matmul of an unbatched operand}}
func.func @batch_matmul_constant(%a: tensor<?x4x16x!u8>) -> tensor<?x4x8x!y> {
  %wb = arith.constant dense<3> : tensor<2x16x8xi8>
  %wq = quant.scast %wb : tensor<2x16x8xi8> to tensor<2x16x8x!w>
  %y = qnt.matmul %a, %wq : tensor<?x4x16x!u8>, tensor<2x16x8x!w> -> tensor<?x4x8x!y>
  return %y : tensor<?x4x8x!y>
}

// -----

// A static size that holds only for the whole batch does not hold for a
// slice.
// CHECK-NOT: scf.forall
// expected-remark @below {{runs layer by layer: a batched tensor has a static dimension 0}}
func.func @static_rows(%x: tensor<?x2x4xf32>) -> tensor<?x2x4xf32> {
  %c0 = arith.constant 0 : index
  %c8 = arith.constant 8 : index
  %n = tensor.dim %x, %c0 : tensor<?x2x4xf32>
  %shape = tensor.from_elements %n, %c8 : tensor<2xindex>
  %r = tensor.reshape %x(%shape) : (tensor<?x2x4xf32>, tensor<2xindex>) -> tensor<4x8xf32>
  return %x : tensor<?x2x4xf32>
}

// -----

// (2 s0 - 3) / 2 + 2 is s0 for a whole batch of 2 or more, but a
// truncating division of a negative numerator (a 1-row slice) is not a
// floor division.
// CHECK-NOT: scf.forall
// expected-remark @below {{runs layer by layer: batch size in unsupported arithmetic}}
func.func @negative_division(%x: tensor<?x8xf32>) -> tensor<?x8xf32> {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  %n = tensor.dim %x, %c0 : tensor<?x8xf32>
  %a = arith.muli %n, %c2 : index
  %b = arith.subi %a, %c3 : index
  %q = arith.divsi %b, %c2 : index
  %m = arith.addi %q, %c2 : index
  %e = tensor.empty(%m) : tensor<?x8xf32>
  return %e : tensor<?x8xf32>
}

// -----

// CHECK-NOT: scf.forall
// expected-remark @below {{runs layer by layer: no results}}
func.func @no_results(%x: tensor<?x8xf32>) {
  return
}

// -----

// CHECK-NOT: scf.forall
// expected-remark @below {{runs layer by layer: collapse_shape merges the batch}}
func.func @collapse_to_scalar(%x: tensor<?xf32>) -> tensor<?xf32> {
  %s = tensor.collapse_shape %x [] : tensor<?xf32> into tensor<f32>
  return %x : tensor<?xf32>
}

// -----

// CHECK-NOT: scf.forall
// expected-remark @below {{functions run layer by layer: the module defines omp_get_max_threads otherwise}}
func.func private @omp_get_max_threads() -> i64
func.func @other_thread_count(%x: tensor<?x8xf32>) -> tensor<?x8xf32> {
  return %x : tensor<?x8xf32>
}
