// fp32 matmuls and convolutions with constant weights run on the kernel
// library (convert-linalg-to-kernels): every case of Inputs/float_layers.py,
// through the kernels and through the generic loops (--float-kernels=false),
// within 1e-4 (relative to the output's scale) of a float64 NumPy reference.

// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/Inputs/float_layers.py gen %t

// Every case is a kernel call; a zero pad before a convolution becomes its
// padding (the pad is dead and canonicalized away), bias adds and ReLUs
// after a layer its epilogue, a max pool after that part of the layer.
// RUN: quant-opt %t/layers.mlir --convert-linalg-to-kernels --canonicalize | FileCheck %s --check-prefix=IR --implicit-check-not=linalg.matmul --implicit-check-not=linalg.conv_2d --implicit-check-not=tensor.pad --implicit-check-not=linalg.generic --implicit-check-not=linalg.pooling
// IR-COUNT-12: call @quant_float_layer_run
// IR-COUNT-12: memref.global "private" constant @__quant_layer{{.*}} {alignment = 64 : i64}

// RUN: %python %S/Inputs/float_layers.py check-all %t quant-run | FileCheck %s
// CHECK: OK mm_m1 1x10: kernels and generic loops within 1e-4 of the float64 reference
// CHECK: OK mm_wide 13x600: kernels and generic loops within 1e-4 of the float64 reference
// CHECK: OK mm_transposed 20x45: kernels and generic loops within 1e-4 of the float64 reference
// CHECK: OK conv_pad 3x40x11x9: kernels and generic loops within 1e-4 of the float64 reference
// CHECK: OK conv_strided 2x7x5x8: kernels and generic loops within 1e-4 of the float64 reference
// CHECK: OK conv_c16_s2 {{[0-9x]+}}: kernels and generic loops within 1e-4 of the float64 reference
// CHECK: OK conv_c1 2x20x8x7: kernels and generic loops within 1e-4 of the float64 reference
// CHECK: OK conv_c16_narrow 2x16x6x14: kernels and generic loops within 1e-4 of the float64 reference
// CHECK: OK conv_c1_narrow 2x16x5x28: kernels and generic loops within 1e-4 of the float64 reference
// CHECK: OK conv_pool 3x20x6x6: kernels and generic loops within 1e-4 of the float64 reference
// CHECK: OK conv_pool_overlap 2x7x6x3: kernels and generic loops within 1e-4 of the float64 reference
// CHECK: OK conv_pool_1x1 2x8x5x6: kernels and generic loops within 1e-4 of the float64 reference
