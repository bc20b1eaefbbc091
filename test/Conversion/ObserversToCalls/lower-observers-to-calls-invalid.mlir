// RUN: quant-opt %s --split-input-file --qnt-lower-observers-to-calls --verify-diagnostics

// The runtime records f32 values only.
func.func @f16_observer(%x: tensor<4xf16>) -> tensor<4xf16> {
  // expected-error@+1 {{calibration observes ranked f32 tensors only, got 'tensor<4xf16>'}}
  %a = qnt.observe %x {id = "half", kind = #qnt.observer<histogram>} : tensor<4xf16>
  return %a : tensor<4xf16>
}

// -----

// A function of that name with another signature.
// expected-error@+1 {{@quant_observe_f32 is reserved for the observer runtime}}
func.func private @quant_observe_f32(i32, memref<*xf32>)
func.func @wrong_signature(%x: tensor<4xf32>) -> tensor<4xf32> {
  %a = qnt.observe %x {id = "x", kind = #qnt.observer<histogram>} : tensor<4xf32>
  return %a : tensor<4xf32>
}

// -----

// A definition would clash with the runtime's.
// expected-error@+1 {{@quant_observe_f32 is reserved for the observer runtime}}
func.func @quant_observe_f32(%i: i64, %m: memref<*xf32>) {
  return
}
func.func @user_definition(%x: tensor<4xf32>) -> tensor<4xf32> {
  %a = qnt.observe %x {id = "x", kind = #qnt.observer<histogram>} : tensor<4xf32>
  return %a : tensor<4xf32>
}

// -----

// A symbol of that name that is not a function at all.
// expected-error@+1 {{@quant_observe_f32 is reserved for the observer runtime}}
memref.global "private" @quant_observe_f32 : memref<1xf32>
func.func @other_symbol(%x: tensor<4xf32>) -> tensor<4xf32> {
  %a = qnt.observe %x {id = "x", kind = #qnt.observer<histogram>} : tensor<4xf32>
  return %a : tensor<4xf32>
}
