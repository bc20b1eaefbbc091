// quant-run's input errors: each names what is wrong (the input index and
// name, the expected and the given dtype or shape, the file), exits 1 and
// writes no output file. The last run is a positive control that does write
// one.

// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/Inputs/qref.py arrays %t/x4.npy:float32::1,2,3,4 %t/x5.npy:float32::1,2,3,4,5 \
// RUN:   %t/x2x2.npy:float32:2x2:1,2,3,4 %t/x2x4.npy:float32:2x4:1,2,3,4,5,6,7,8 \
// RUN:   %t/x3x5.npy:float32:3x5:1,2,3,4,5,6,7,8,9,10,11,12,13,14,15 \
// RUN:   %t/i8.npy:int8::1,2,3,4 %t/i4bad.npy:int8::-8,7,8,0
// RUN: %python %S/Inputs/qref.py npz %t/one_extra.npz a=%t/x4.npy b=%t/x4.npy
// RUN: %python %S/Inputs/qref.py npz %t/two_named_extra.npz arg0=%t/x3x5.npy arg1=%t/i8.npy extra=%t/x4.npy
// RUN: printf 'this is not an array' > %t/garbage.npy
// RUN: head -c 136 %t/x4.npy > %t/truncated.npy

// A missing function.
// RUN: not quant-run %s --function=nope --input=%t/x4.npy --output=%t/out.npz 2>&1 \
// RUN:   | FileCheck %s --check-prefix=NOPE
// RUN: test ! -e %t/out.npz
// NOPE: quant-run: error: no function @nope with a body in the module

// No --function and several public functions, none named main.
// RUN: not quant-run %s --input=%t/x4.npy --output=%t/out.npz 2>&1 \
// RUN:   | FileCheck %s --check-prefix=CHOOSE
// RUN: test ! -e %t/out.npz
// CHOOSE: quant-run: error: the module has {{[0-9]+}} public functions and none is named main; choose one with --function=NAME

// Too few and too many inputs.
// RUN: not quant-run %s --function=two --input=%t/x3x5.npy --output=%t/out.npz 2>&1 \
// RUN:   | FileCheck %s --check-prefix=FEW
// RUN: test ! -e %t/out.npz
// FEW: quant-run: error: @two takes 2 inputs, 1 given
// RUN: not quant-run %s --function=one --input=%t/x4.npy --input=%t/x4.npy --output=%t/out.npz 2>&1 \
// RUN:   | FileCheck %s --check-prefix=MANY
// RUN: test ! -e %t/out.npz
// MANY: quant-run: error: @one takes 1 inputs, 2 given

// int8 given for float32.
// RUN: not quant-run %s --function=one --input=%t/i8.npy --output=%t/out.npz 2>&1 \
// RUN:   | FileCheck %s --check-prefix=DTYPE
// RUN: test ! -e %t/out.npz
// DTYPE: quant-run: error: input 0 ('arg0', from 'i8'): expected dtype float32 (float32[4]), given int8[4]

// float32 given for the i4 storage of input 1 (int8 one value per byte).
// RUN: not quant-run %s --function=two --input=%t/x2x4.npy --input=%t/x4.npy --output=%t/out.npz 2>&1 \
// RUN:   | FileCheck %s --check-prefix=DTYPE-Q
// RUN: test ! -e %t/out.npz
// DTYPE-Q: quant-run: error: input 1 ('arg1', from 'x4'): expected dtype int8 (int8[4]), given float32[4]

// A static dimension differs; the rank differs; a dynamic dimension accepts
// any size but the static one next to it does not.
// RUN: not quant-run %s --function=one --input=%t/x5.npy --output=%t/out.npz 2>&1 \
// RUN:   | FileCheck %s --check-prefix=SHAPE
// RUN: test ! -e %t/out.npz
// SHAPE: quant-run: error: input 0 ('arg0', from 'x5'): expected shape float32[4], given float32[5]
// RUN: not quant-run %s --function=one --input=%t/x2x2.npy --output=%t/out.npz 2>&1 \
// RUN:   | FileCheck %s --check-prefix=RANK
// RUN: test ! -e %t/out.npz
// RANK: quant-run: error: input 0 ('arg0', from 'x2x2'): expected shape float32[4], given float32[2x2]
// RUN: not quant-run %s --function=two --input=%t/x3x5.npy --input=%t/x3x5.npy --output=%t/out.npz 2>&1 \
// RUN:   | FileCheck %s --check-prefix=DYN
// RUN: test ! -e %t/out.npz
// DYN: quant-run: error: input 0 ('arg0', from 'x3x5'): expected shape float32[?x4], given float32[3x5]

// The input name of qnt.input_name appears in the message.
// RUN: not quant-run %s --function=named --input=%t/x5.npy --output=%t/out.npz 2>&1 \
// RUN:   | FileCheck %s --check-prefix=NAMED
// RUN: test ! -e %t/out.npz
// NAMED: quant-run: error: input 0 ('pixels', from 'x5'): expected shape float32[4], given float32[5]

// A sub-byte storage value outside its bits.
// RUN: not quant-run %s --function=two --input=%t/x2x4.npy --input=%t/i4bad.npy --output=%t/out.npz 2>&1 \
// RUN:   | FileCheck %s --check-prefix=SUBBYTE
// RUN: test ! -e %t/out.npz
// SUBBYTE: quant-run: error: input 1 ('arg1', from 'i4bad'): element 2 = 8 does not fit 4-bit storage [-8, 7]

// A file that does not exist, one that is not .npy, and a truncated one.
// RUN: not quant-run %s --function=one --input=%t/missing.npy --output=%t/out.npz 2>&1 \
// RUN:   | FileCheck %s --check-prefix=MISSING -DDIR=%t
// RUN: test ! -e %t/out.npz
// MISSING: quant-run: error: cannot read '[[DIR]]/missing.npy': No such file or directory
// RUN: not quant-run %s --function=one --input=%t/garbage.npy --output=%t/out.npz 2>&1 \
// RUN:   | FileCheck %s --check-prefix=GARBAGE
// RUN: test ! -e %t/out.npz
// GARBAGE: quant-run: error: {{.*}}garbage.npy: not a .npy file (it does not start with "\x93NUMPY")
// RUN: not quant-run %s --function=one --input=%t/truncated.npy --output=%t/out.npz 2>&1 \
// RUN:   | FileCheck %s --check-prefix=TRUNCATED
// RUN: test ! -e %t/out.npz
// TRUNCATED: quant-run: error: {{.*}}truncated.npy: truncated data: shape (4,) of float32 needs 16 bytes, the file has 8

// Both --input and --inputs.
// RUN: not quant-run %s --function=one --input=%t/x4.npy --inputs=%t/one_extra.npz --output=%t/out.npz 2>&1 \
// RUN:   | FileCheck %s --check-prefix=BOTH
// RUN: test ! -e %t/out.npz
// BOTH: quant-run: error: give inputs either with --input or with --inputs, not both

// Archives whose array count does not match: positional (names differ from
// the argument names) and by name (every name present, plus one more).
// RUN: not quant-run %s --function=one --inputs=%t/one_extra.npz --output=%t/out.npz 2>&1 \
// RUN:   | FileCheck %s --check-prefix=NPZ-POS
// RUN: test ! -e %t/out.npz
// NPZ-POS: quant-run: error: @one takes 1 inputs, 2 given
// RUN: not quant-run %s --function=two --inputs=%t/two_named_extra.npz --output=%t/out.npz 2>&1 \
// RUN:   | FileCheck %s --check-prefix=NPZ-NAMED -DDIR=%t
// RUN: test ! -e %t/out.npz
// NPZ-NAMED: quant-run: error: '[[DIR]]/two_named_extra.npz' holds 3 arrays but @two takes 2 inputs

// Signatures quant-run cannot pass: u16 storage and an unranked tensor.
// RUN: not quant-run %s --function=u16 --input=%t/x4.npy --output=%t/out.npz 2>&1 \
// RUN:   | FileCheck %s --check-prefix=U16
// RUN: test ! -e %t/out.npz
// U16: quant-run: error: argument 0 of @u16 has element type !quant.uniform<u16:f32, 5.000000e-01>, which has no NumPy dtype here
// RUN: not quant-run %s --function=unranked --input=%t/x4.npy --output=%t/out.npz 2>&1 \
// RUN:   | FileCheck %s --check-prefix=UNRANKED
// RUN: test ! -e %t/out.npz
// UNRANKED: quant-run: error: argument 0 of @unranked has type tensor<*xf32>; only ranked tensors can be passed to or returned from a run

// Positive control: valid inputs write the archive.
// RUN: quant-run %s --function=one --input=%t/x4.npy --output=%t/out.npz | FileCheck %s --check-prefix=GOOD
// RUN: test -e %t/out.npz
// GOOD: output_0: float32[4]  min 1 max 4 mean 2.5  [1, 2, 3, 4]

!qi4 = !quant.uniform<i4:f32, 0.5>
func.func @one(%x: tensor<4xf32>) -> tensor<4xf32> {
  %y = qnt.fake_quant %x as !quant.uniform<i8:f32, 0.5> : tensor<4xf32>
  return %y : tensor<4xf32>
}

func.func @two(%x: tensor<?x4xf32>, %q: tensor<4x!qi4>) -> (tensor<?x4xf32>, tensor<4xf32>) {
  %y = qnt.fake_quant %x as !quant.uniform<i8:f32, 0.5> : tensor<?x4xf32>
  %d = qnt.dequantize %q : tensor<4x!qi4> -> tensor<4xf32>
  return %y, %d : tensor<?x4xf32>, tensor<4xf32>
}

func.func @named(%x: tensor<4xf32> {qnt.input_name = "pixels"}) -> tensor<4xf32> {
  %y = qnt.fake_quant %x as !quant.uniform<i8:f32, 0.5> : tensor<4xf32>
  return %y : tensor<4xf32>
}

func.func @u16(%q: tensor<4x!quant.uniform<u16:f32, 0.5>>) -> tensor<4xf32> {
  %d = qnt.dequantize %q : tensor<4x!quant.uniform<u16:f32, 0.5>> -> tensor<4xf32>
  return %d : tensor<4xf32>
}

func.func @unranked(%x: tensor<*xf32>) -> tensor<4xf32> {
  %c = tensor.cast %x : tensor<*xf32> to tensor<4xf32>
  %y = qnt.fake_quant %c as !quant.uniform<i8:f32, 0.5> : tensor<4xf32>
  return %y : tensor<4xf32>
}
