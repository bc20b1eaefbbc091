// Ahead-of-time compilation: a C program linked with quant-compile's object
// file gets the same outputs as quant-run gets from the shared library and
// from the JIT; the expected values are computed by hand below.

// RUN: rm -rf %t && mkdir -p %t
// RUN: quant-compile %s --target=cpu -o %t/aot.o
// RUN: quant-compile %s --target=cpu -o %t/aot.so --header=%t/aot-so.h
// RUN: cc -I%t %S/Inputs/aot_main.c %t/aot.o %runtime_link -lm -o %t/aot_main
// RUN: %t/aot_main | FileCheck %s --check-prefix=C
// RUN: %python -c "import numpy as np; np.save('%t/a.npy', np.array([[0, 128, 255, 100], [3, 200, 17, 129]], np.uint8)); np.save('%t/w.npy', np.array([[1, -2, 3], [-128, 127, 0], [5, 6, -7], [-8, 9, 10]], np.int8)); np.save('%t/b.npy', np.array([-100, 0, 250], np.int32)); np.save('%t/x.npy', np.array([0.5, 1.5, 2.5, -0.5, 1000, -1000], np.float32))"
// RUN: quant-run %t/aot.so --function=mm --input=%t/a.npy --input=%t/w.npy --input=%t/b.npy | FileCheck %s --check-prefix=MM
// RUN: quant-run %s --function=mm --input=%t/a.npy --input=%t/w.npy --input=%t/b.npy | FileCheck %s --check-prefix=MM
// RUN: quant-run %t/aot.so --function=quantize --input=%t/x.npy | FileCheck %s --check-prefix=Q
// RUN: quant-run %s --function=quantize --input=%t/x.npy | FileCheck %s --check-prefix=Q
// RUN: FileCheck %s --check-prefix=HEADER < %t/aot-so.h

// acc = (a - 128) @ w + b, then round_half_even(acc * 0.25) - 1, i8:
//   row 0: a - 128 = [-128, 0, 127, -28]
//     n0: -128 + 635 + 224 - 100 = 631   -> 157.75 -> 158 - 1 = 157 -> 127
//     n1: 256 + 762 - 252 + 0 = 766      -> 191.5  -> 192 - 1 = 191 -> 127
//     n2: -384 - 889 - 280 + 250 = -1303 -> -325.75 -> -326 - 1 -> -128
//   row 1: a - 128 = [-125, 72, -111, 1]
//     n0: -125 - 9216 - 555 - 8 - 100 = -10004 -> -2501 - 1 -> -128
//     n1: 250 + 9144 - 666 + 9 = 8737        -> 2184.25 -> 127
//     n2: -375 + 0 + 777 + 10 + 250 = 662    -> 165.5 -> 166 - 1 = 165 -> 127
// C: mm: 127 127 -128 -128 127 127
// MM: output_0: int8[2x3]  min -128 max 127 mean 42  [127, 127, -128, -128, 127, 127]

// quantize to u8 (scale 0.5, zero point 10): x / 0.5 + 10, half to even,
// saturated: [11, 13, 15, 9, 255, 0].
// C: quantize: 11 13 15 9 255 0
// Q: output_0: uint8[6]  min 0 max 255 mean 50.5  [11, 13, 15, 9, 255, 0]

// HEADER: typedef struct {
// HEADER: } quant_memref_2d;
// HEADER: void _mlir_ciface_mm(quant_memref_2d *results, quant_memref_2d *arg0, quant_memref_2d *arg1, quant_memref_1d *arg2);
// HEADER: void _mlir_ciface_quantize(quant_memref_1d *results, quant_memref_1d *arg0);

func.func @mm(%a: tensor<2x4x!quant.uniform<u8:f32, 0.5:128>>, %w: tensor<4x3x!quant.uniform<i8:f32, 0.125>>, %b: tensor<3xi32>) -> tensor<2x3x!quant.uniform<i8:f32, 0.25:-1>> {
  %y = qnt.matmul %a, %w bias %b : tensor<2x4x!quant.uniform<u8:f32, 0.5:128>>, tensor<4x3x!quant.uniform<i8:f32, 0.125>>, tensor<3xi32> -> tensor<2x3x!quant.uniform<i8:f32, 0.25:-1>>
  return %y : tensor<2x3x!quant.uniform<i8:f32, 0.25:-1>>
}

func.func @quantize(%x: tensor<6xf32>) -> tensor<6x!quant.uniform<u8:f32, 0.5:10>> {
  %q = qnt.quantize %x : tensor<6xf32> -> tensor<6x!quant.uniform<u8:f32, 0.5:10>>
  return %q : tensor<6x!quant.uniform<u8:f32, 0.5:10>>
}
