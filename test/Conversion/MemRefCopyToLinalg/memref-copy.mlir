// RUN: quant-opt %s --split-input-file --qnt-memref-copy-to-linalg | FileCheck %s

// qnt-memref-copy-to-linalg: every memref.copy with ranked operands becomes
// linalg.copy on the same operands (so that no compiled code calls
// `memrefCopy`); a copy with an unranked side cannot be a linalg.copy and
// is left alone.

// A copy into a strided view, as bufferization emits for tensor.pad.
// CHECK-LABEL: func.func @copy_strided
// CHECK-SAME: (%[[SRC:.*]]: memref<4xi8>, %[[DST:.*]]: memref<4xi8, strided<[1], offset: 2>>)
// CHECK-NEXT: linalg.copy ins(%[[SRC]] : memref<4xi8>) outs(%[[DST]] : memref<4xi8, strided<[1], offset: 2>>)
// CHECK-NOT: memref.copy
// CHECK: return
func.func @copy_strided(%a: memref<4xi8>, %b: memref<4xi8, strided<[1], offset: 2>>) {
  memref.copy %a, %b : memref<4xi8> to memref<4xi8, strided<[1], offset: 2>>
  return
}

// -----

// CHECK-LABEL: func.func @copy_dynamic
// CHECK-SAME: (%[[SRC:.*]]: memref<?x?xf32>, %[[DST:.*]]: memref<?x?xf32>)
// CHECK-NEXT: linalg.copy ins(%[[SRC]] : memref<?x?xf32>) outs(%[[DST]] : memref<?x?xf32>)
// CHECK-NOT: memref.copy
func.func @copy_dynamic(%a: memref<?x?xf32>, %b: memref<?x?xf32>) {
  memref.copy %a, %b : memref<?x?xf32> to memref<?x?xf32>
  return
}

// -----

// Rank 0 is ranked.
// CHECK-LABEL: func.func @copy_rank0
// CHECK-NEXT: linalg.copy ins(%{{.*}} : memref<f32>) outs(%{{.*}} : memref<f32>)
// CHECK-NOT: memref.copy
func.func @copy_rank0(%a: memref<f32>, %b: memref<f32>) {
  memref.copy %a, %b : memref<f32> to memref<f32>
  return
}

// -----

// Copies nested in regions are rewritten too, each one in place.
// CHECK-LABEL: func.func @copy_nested
// CHECK-SAME: (%[[A:[^:]*]]: memref<4xi8>, %[[B:[^:]*]]: memref<4xi8>
// CHECK: scf.for
// CHECK-NEXT: linalg.copy ins(%[[A]] : memref<4xi8>) outs(%[[B]] : memref<4xi8>)
// CHECK-NEXT: linalg.copy ins(%[[B]] : memref<4xi8>) outs(%[[A]] : memref<4xi8>)
// CHECK-NEXT: }
// CHECK-NOT: memref.copy
func.func @copy_nested(%a: memref<4xi8>, %b: memref<4xi8>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.for %i = %c0 to %n step %c1 {
    memref.copy %a, %b : memref<4xi8> to memref<4xi8>
    memref.copy %b, %a : memref<4xi8> to memref<4xi8>
  }
  return
}

// -----

// Unranked copies stay memref.copy.
// CHECK-LABEL: func.func @copy_unranked
// CHECK-NEXT: memref.copy %{{.*}}, %{{.*}} : memref<*xf32> to memref<*xf32>
// CHECK-NOT: linalg.copy
func.func @copy_unranked(%a: memref<*xf32>, %b: memref<*xf32>) {
  memref.copy %a, %b : memref<*xf32> to memref<*xf32>
  return
}

// -----

// One unranked side is enough to keep the copy.
// CHECK-LABEL: func.func @copy_ranked_to_unranked
// CHECK-NEXT: memref.copy %{{.*}}, %{{.*}} : memref<4xf32> to memref<*xf32>
// CHECK-NOT: linalg.copy
func.func @copy_ranked_to_unranked(%a: memref<4xf32>, %b: memref<*xf32>) {
  memref.copy %a, %b : memref<4xf32> to memref<*xf32>
  return
}
