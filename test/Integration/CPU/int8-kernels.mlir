// int8 layers with constant weights run on the kernel library
// (convert-qnt-to-kernels): every case of Inputs/kernel_layers.py must equal
// its NumPy reference exactly, and equal the generic loops
// (--int8-kernels=false) byte for byte, through the JIT and through a
// quant-compile shared library, whose kernels also run capped at AVX-512
// (no AMX), at AVX2, at AVX-VNNI and at portable code (QUANT_MAX_CPU_ISA).

// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/Inputs/kernel_layers.py gen %t

// Every case is a kernel call, pools included; nothing is left for the
// generic lowering.
// RUN: quant-opt %t/layers.mlir --canonicalize --convert-qnt-to-kernels | FileCheck %s --check-prefix=IR --implicit-check-not=qnt.matmul --implicit-check-not=qnt.conv2d --implicit-check-not=linalg.generic
// IR-COUNT-8: func.call @quant_layer_run
// IR-COUNT-8: memref.global "private" constant @__quant_layer{{.*}} {alignment = 64 : i64}

// RUN: quant-compile %t/layers.mlir --target=cpu -o %t/layers.so

// Code for the baseline x86-64 CPU (no AVX): the kernels still pick their
// path at run time, with the same bits.
// RUN: quant-compile %t/layers.mlir --target=cpu --cpu=x86-64 -o %t/baseline.so
// RUN: quant-run %t/baseline.so --function=conv_s2 --input=%t/conv_s2.npy --output=%t/baseline.npz
// RUN: quant-run %t/layers.mlir --function=conv_s2 --input=%t/conv_s2.npy --output=%t/jit.npz
// RUN: cmp %t/baseline.npz %t/jit.npz

// The object file carries the kernel library: it links into a C program
// with only the runtimes the header names.
// RUN: quant-compile %t/layers.mlir --target=cpu -o %t/layers.o
// RUN: nm %t/layers.o | FileCheck %s --check-prefix=NM
// NM: T quant_layer_run
// RUN: printf 'int main(void) { return 0; }\n' > %t/main.c
// RUN: cc %t/main.c %t/layers.o %runtime_link -lstdc++ -lm -o %t/layers_main
// RUN: %t/layers_main

// RUN: %python %S/Inputs/kernel_layers.py check-all %t quant-run %t/layers.so | FileCheck %s
// CHECK: OK mm_m1 10 elements, generic loops identical, shared library identical, at most AVX-512 identical, at most AVX2 identical, at most AVX-VNNI identical, portable identical
// CHECK: OK mm_tail 60600 elements, generic loops identical, shared library identical, at most AVX-512 identical, at most AVX2 identical, at most AVX-VNNI identical, portable identical
// CHECK: OK mm_i32 910 elements, generic loops identical, shared library identical, at most AVX-512 identical, at most AVX2 identical, at most AVX-VNNI identical, portable identical
// CHECK: OK mm_amx 20000 elements, generic loops identical, shared library identical, at most AVX-512 identical, at most AVX2 identical, at most AVX-VNNI identical, portable identical
// CHECK: OK mm_deep 800 elements, generic loops identical, shared library identical, at most AVX-512 identical, at most AVX2 identical, at most AVX-VNNI identical, portable identical
// CHECK: OK mm_fused 6750 elements, generic loops identical, shared library identical, at most AVX-512 identical, at most AVX2 identical, at most AVX-VNNI identical, portable identical
// CHECK: OK mm_rows 22000 elements, generic loops identical, shared library identical, at most AVX-512 identical, at most AVX2 identical, at most AVX-VNNI identical, portable identical
// CHECK: OK mm_cols 20352 elements, generic loops identical, shared library identical, at most AVX-512 identical, at most AVX2 identical, at most AVX-VNNI identical, portable identical
// CHECK: OK mm_slice 48 elements, generic loops identical, shared library identical, at most AVX-512 identical, at most AVX2 identical, at most AVX-VNNI identical, portable identical
// CHECK: OK conv_s2 630 elements, generic loops identical, shared library identical, at most AVX-512 identical, at most AVX2 identical, at most AVX-VNNI identical, portable identical
// CHECK: OK conv_dil 6300 elements, generic loops identical, shared library identical, at most AVX-512 identical, at most AVX2 identical, at most AVX-VNNI identical, portable identical
// CHECK: OK conv_c1 2520 elements, generic loops identical, shared library identical, at most AVX-512 identical, at most AVX2 identical, at most AVX-VNNI identical, portable identical
// CHECK: OK conv_c1_s2 3150 elements, generic loops identical, shared library identical, at most AVX-512 identical, at most AVX2 identical, at most AVX-VNNI identical, portable identical
// CHECK: OK conv_c2 960 elements, generic loops identical, shared library identical, at most AVX-512 identical, at most AVX2 identical, at most AVX-VNNI identical, portable identical
// CHECK: OK conv_c16 {{[0-9]+}} elements, generic loops identical, shared library identical, at most AVX-512 identical, at most AVX2 identical, at most AVX-VNNI identical, portable identical
// CHECK: OK conv_c3 {{[0-9]+}} elements, generic loops identical, shared library identical, at most AVX-512 identical, at most AVX2 identical, at most AVX-VNNI identical, portable identical
// CHECK: OK conv_c8_s2 {{[0-9]+}} elements, generic loops identical, shared library identical, at most AVX-512 identical, at most AVX2 identical, at most AVX-VNNI identical, portable identical
// CHECK: OK conv_1x1_c5 {{[0-9]+}} elements, generic loops identical, shared library identical, at most AVX-512 identical, at most AVX2 identical, at most AVX-VNNI identical, portable identical
// CHECK: OK dw_c16 {{[0-9]+}} elements, generic loops identical, shared library identical, at most AVX-512 identical, at most AVX2 identical, at most AVX-VNNI identical, portable identical
// CHECK: OK dw_c40_s2 {{[0-9]+}} elements, generic loops identical, shared library identical, at most AVX-512 identical, at most AVX2 identical, at most AVX-VNNI identical, portable identical
// CHECK: OK dw_s8_zp {{[0-9]+}} elements, generic loops identical, shared library identical, at most AVX-512 identical, at most AVX2 identical, at most AVX-VNNI identical, portable identical
// CHECK: OK dw_i32 {{[0-9]+}} elements, generic loops identical, shared library identical, at most AVX-512 identical, at most AVX2 identical, at most AVX-VNNI identical, portable identical
// CHECK: OK pool_c16 {{[0-9]+}} elements, generic loops identical, shared library identical, at most AVX-512 identical, at most AVX2 identical, at most AVX-VNNI identical, portable identical
// CHECK: OK pool_c1 {{[0-9]+}} elements, generic loops identical, shared library identical, at most AVX-512 identical, at most AVX2 identical, at most AVX-VNNI identical, portable identical
// CHECK: OK pool_nhwc {{[0-9]+}} elements, generic loops identical, shared library identical, at most AVX-512 identical, at most AVX2 identical, at most AVX-VNNI identical, portable identical
// CHECK: OK pool_overlap {{[0-9]+}} elements, generic loops identical, shared library identical, at most AVX-512 identical, at most AVX2 identical, at most AVX-VNNI identical, portable identical
// CHECK: OK pool_dw {{[0-9]+}} elements, generic loops identical, shared library identical, at most AVX-512 identical, at most AVX2 identical, at most AVX-VNNI identical, portable identical
// CHECK: OK mm_k64 3500 elements, generic loops identical, shared library identical, at most AVX-512 identical, at most AVX2 identical, at most AVX-VNNI identical, portable identical
// CHECK: OK conv_nhwc 5120 elements, generic loops identical, shared library identical, at most AVX-512 identical, at most AVX2 identical, at most AVX-VNNI identical, portable identical
