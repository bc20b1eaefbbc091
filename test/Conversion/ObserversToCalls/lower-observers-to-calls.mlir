// RUN: quant-opt %s --split-input-file --qnt-lower-observers-to-calls | FileCheck %s --implicit-check-not=qnt.observe

// qnt-lower-observers-to-calls: each observer becomes a read-only buffer of
// its tensor, a cast to an unranked memref and a call of the runtime with
// the observer's index in the module's walk order; the result is the input.

// CHECK-LABEL: func.func private @quant_observe_f32(i64, memref<*xf32>) attributes {llvm.emit_c_interface}
// CHECK-LABEL: func.func @chain
// CHECK-SAME: (%[[X:.*]]: tensor<?x3xf32>)
// CHECK-NEXT: %[[B0:.*]] = bufferization.to_buffer %[[X]] read_only : tensor<?x3xf32> to memref<?x3xf32>
// CHECK-NEXT: %[[U0:.*]] = memref.cast %[[B0]] : memref<?x3xf32> to memref<*xf32>
// CHECK-NEXT: %[[I0:.*]] = arith.constant 0 : i64
// CHECK-NEXT: call @quant_observe_f32(%[[I0]], %[[U0]]) : (i64, memref<*xf32>) -> ()
// CHECK-NEXT: %[[B1:.*]] = bufferization.to_buffer %[[X]] read_only : tensor<?x3xf32> to memref<?x3xf32>
// CHECK-NEXT: %[[U1:.*]] = memref.cast %[[B1]] : memref<?x3xf32> to memref<*xf32>
// CHECK-NEXT: %[[I1:.*]] = arith.constant 1 : i64
// CHECK-NEXT: call @quant_observe_f32(%[[I1]], %[[U1]]) : (i64, memref<*xf32>) -> ()
// CHECK-NEXT: return %[[X]], %[[X]]
func.func @chain(%x: tensor<?x3xf32>) -> (tensor<?x3xf32>, tensor<?x3xf32>) {
  %a = qnt.observe %x {id = "first", kind = #qnt.observer<histogram>} : tensor<?x3xf32>
  %b = qnt.observe %a {id = "second", kind = #qnt.observer<histogram>} : tensor<?x3xf32>
  return %a, %b : tensor<?x3xf32>, tensor<?x3xf32>
}

// -----

// Indices follow the walk order over the whole module (function by
// function, in program order), not the ids; one declaration serves all.
// CHECK-COUNT-1: func.func private @quant_observe_f32
// CHECK-LABEL: func.func @g
// CHECK: %[[I0:.*]] = arith.constant 0 : i64
// CHECK-NEXT: call @quant_observe_f32(%[[I0]], %{{.*}})
// CHECK: %[[I1:.*]] = arith.constant 1 : i64
// CHECK-NEXT: call @quant_observe_f32(%[[I1]], %{{.*}})
// CHECK-LABEL: func.func @h
// CHECK: %[[I2:.*]] = arith.constant 2 : i64
// CHECK-NEXT: call @quant_observe_f32(%[[I2]], %{{.*}})
// CHECK-NOT: func.func private @quant_observe_f32
func.func @g(%x: tensor<2xf32>, %y: tensor<1x2x3xf32>) -> (tensor<2xf32>, tensor<1x2x3xf32>) {
  %a = qnt.observe %x {id = "z", kind = #qnt.observer<min_max>} : tensor<2xf32>
  %b = qnt.observe %y {id = "a", kind = #qnt.observer<histogram>} : tensor<1x2x3xf32>
  return %a, %b : tensor<2xf32>, tensor<1x2x3xf32>
}
func.func @h(%x: tensor<2xf32>) -> tensor<2xf32> {
  %a = qnt.observe %x {id = "m", kind = #qnt.observer<histogram>} : tensor<2xf32>
  return %a : tensor<2xf32>
}

// -----

// An existing declaration of the runtime function is reused, with the C
// interface attribute the runtime's entry point needs.
// CHECK-LABEL: func.func private @quant_observe_f32(i64, memref<*xf32>) attributes {llvm.emit_c_interface}
// CHECK-NOT: @quant_observe_f32(i64
// CHECK-LABEL: func.func @existing_declaration
// CHECK: call @quant_observe_f32
func.func private @quant_observe_f32(i64, memref<*xf32>)
func.func @existing_declaration(%x: tensor<2xf32>) -> tensor<2xf32> {
  %a = qnt.observe %x {id = "x", kind = #qnt.observer<histogram>} : tensor<2xf32>
  return %a : tensor<2xf32>
}

// -----

// Without observers the module is unchanged: no declaration.
// CHECK-NOT: quant_observe_f32
// CHECK-LABEL: func.func @no_observers
// CHECK-NOT: quant_observe_f32
func.func @no_observers(%x: tensor<2xf32>) -> tensor<2xf32> {
  return %x : tensor<2xf32>
}
