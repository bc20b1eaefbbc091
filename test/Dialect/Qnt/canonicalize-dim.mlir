// RUN: quant-opt %s --canonicalize | FileCheck %s

// Sizes read through qnt.quantize, qnt.dequantize and quant.scast are read
// off the cast's operand, so that a cast kept only for its size goes away.

!q = !quant.uniform<u8:f32, 0.5:3>

// CHECK-LABEL: func.func @dims_through_casts
// CHECK-SAME: (%[[X:.*]]: tensor<?x4xf32>, %[[Q:.*]]: tensor<?x?x!quant.uniform
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG: %[[C1:.*]] = arith.constant 1 : index
// CHECK-DAG: %[[D0:.*]] = tensor.dim %[[X]], %[[C0]] : tensor<?x4xf32>
// CHECK-DAG: %[[D1:.*]] = tensor.dim %[[Q]], %[[C0]] : tensor<?x?x!quant.uniform
// CHECK-DAG: %[[D2:.*]] = tensor.dim %[[Q]], %[[C1]] : tensor<?x?x!quant.uniform
// CHECK-NOT: qnt.
// CHECK-NOT: quant.scast
// CHECK: return %[[D0]], %[[D1]], %[[D2]]
func.func @dims_through_casts(%x: tensor<?x4xf32>, %q: tensor<?x?x!q>)
    -> (index, index, index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %a = qnt.quantize %x : tensor<?x4xf32> -> tensor<?x4x!q>
  %d0 = tensor.dim %a, %c0 : tensor<?x4x!q>
  %f = qnt.dequantize %q : tensor<?x?x!q> -> tensor<?x?xf32>
  %d1 = tensor.dim %f, %c0 : tensor<?x?xf32>
  %s = quant.scast %q : tensor<?x?x!q> to tensor<?x?xi8>
  %d2 = tensor.dim %s, %c1 : tensor<?x?xi8>
  return %d0, %d1, %d2 : index, index, index
}

// Other producers keep their size reads.
// CHECK-LABEL: func.func @dim_of_other_op
// CHECK: %[[F:.*]] = qnt.fake_quant
// CHECK: tensor.dim %[[F]]
func.func @dim_of_other_op(%x: tensor<?xf32>) -> index {
  %c0 = arith.constant 0 : index
  %f = qnt.fake_quant %x as !q : tensor<?xf32>
  %d = tensor.dim %f, %c0 : tensor<?xf32>
  return %d : index
}
