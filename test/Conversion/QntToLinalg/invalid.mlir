// RUN: quant-opt %s --split-input-file --convert-qnt-to-linalg --verify-diagnostics

// convert-qnt-to-linalg rejects unranked tensors on qnt ops and unranked
// quantized tensors anywhere, up front: storage layout, per-axis parameters
// and loop nests need a rank. The first unranked type of the op is named.

func.func @unranked_quantize(%x: tensor<*xf32>) -> tensor<*x!quant.uniform<i8:f32, 0.5>> {
  // expected-error@+1 {{convert-qnt-to-linalg: unranked tensor 'tensor<*xf32>' is not supported; give the tensor a rank}}
  %q = qnt.quantize %x : tensor<*xf32> -> tensor<*x!quant.uniform<i8:f32, 0.5>>
  return %q : tensor<*x!quant.uniform<i8:f32, 0.5>>
}

// -----

func.func @unranked_dequantize(%q: tensor<*x!quant.uniform<u8:f16, 0.5:3>>) -> tensor<*xf16> {
  // expected-error@+1 {{convert-qnt-to-linalg: unranked tensor 'tensor<*x!quant.uniform<u8:f16, 5.000000e-01:3>>' is not supported; give the tensor a rank}}
  %x = qnt.dequantize %q : tensor<*x!quant.uniform<u8:f16, 0.5:3>> -> tensor<*xf16>
  return %x : tensor<*xf16>
}

// -----

// Any op carrying one is rejected, not only qnt ops.
func.func @unranked_return(%q: tensor<*x!quant.uniform<i8:f32, 0.5>>) -> tensor<*x!quant.uniform<i8:f32, 0.5>> {
  // expected-error@+1 {{convert-qnt-to-linalg: unranked tensor 'tensor<*x!quant.uniform<i8:f32, 5.000000e-01>>' is not supported; give the tensor a rank}}
  return %q : tensor<*x!quant.uniform<i8:f32, 0.5>>
}

// -----

// The first offending op is reported, once.
func.func @unranked_first_only(%x: tensor<*xf32>) -> tensor<*xf32> {
  // expected-error@+1 {{convert-qnt-to-linalg: unranked tensor}}
  %q = qnt.quantize %x : tensor<*xf32> -> tensor<*x!quant.uniform<i8:f32, 0.5>>
  %y = qnt.dequantize %q : tensor<*x!quant.uniform<i8:f32, 0.5>> -> tensor<*xf32>
  return %y : tensor<*xf32>
}

// -----

// qnt.fake_quant on an unranked float tensor carries no quantized tensor
// type; qnt ops with unranked operands are rejected all the same.
func.func @unranked_fake_quant(%x: tensor<*xf32>) -> tensor<*xf32> {
  // expected-error@+1 {{convert-qnt-to-linalg: unranked tensor 'tensor<*xf32>' is not supported; give the tensor a rank}}
  %f = qnt.fake_quant %x as !quant.uniform<i8:f32, 0.5> : tensor<*xf32>
  return %f : tensor<*xf32>
}

// -----

// Observers need the calibration runtime; compiling them is an error.
func.func @observer(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error@+1 {{convert-qnt-to-linalg: qnt.observe 'conv1.out' has no lowering outside calibration; fold observers into quantization parameters or remove them before compiling}}
  %y = qnt.observe %x {id = "conv1.out", kind = #qnt.observer<min_max>} : tensor<4xf32>
  return %y : tensor<4xf32>
}
