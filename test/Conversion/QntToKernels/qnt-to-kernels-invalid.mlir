// RUN: quant-opt %s --convert-qnt-to-kernels --verify-diagnostics

!qa = !quant.uniform<u8:f32, 0.05:128>
!qw = !quant.uniform<i8:f32, 0.02>
!qy = !quant.uniform<u8:f32, 0.3:3>

// The kernel library's entry point cannot be another symbol.
// expected-error @+1 {{@quant_layer_run is reserved for the kernel library}}
func.func @quant_layer_run(%x: i64) {
  return
}

func.func @uses_kernels(%a: tensor<4x3x!qa>) -> tensor<4x2x!qy> {
  %c = arith.constant dense<1> : tensor<3x2xi8>
  %w = quant.scast %c : tensor<3x2xi8> to tensor<3x2x!qw>
  %y = qnt.matmul %a, %w : tensor<4x3x!qa>, tensor<3x2x!qw> -> tensor<4x2x!qy>
  return %y : tensor<4x2x!qy>
}
