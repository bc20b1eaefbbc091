// qnt.dequantize through quant-run's JIT pipeline, bit for bit against the
// independent NumPy reference Inputs/qref.py (docs/semantics.md):
// x = E(T(q - zp) * T(s)) for every storage type quant-run can pass (u8, i8,
// narrow i8, i16, i32; sub-byte storage is in subbyte.mlir), expressed types
// f32, f16, f64 and bf16, per tensor, per axis (first, middle and last
// axis), sub-channel blocks in one and two dimensions and dynamic shapes
// (also beside per-axis and blocked dimensions, which must be static). Cases
// include products that overflow to +-Inf, i32 differences that f32 rounds,
// and f16/bf16 results rounded twice (once in f32, once to the expressed
// type), as the semantics prescribe.
//
// Each `CASE:` line names a function argument and result: `gen-cases` writes
// seeded storage values (qmin, qmax, zp, zp +- 1 and 0 in every channel and
// block, the rest random in [qmin, qmax]) and `check-cases` compares each
// result with the reference, printing one `OK` line per case.

// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/Inputs/qref.py gen-cases %s %t
// RUN: quant-run %s --function=per_tensor_f32 --inputs=%t/per_tensor_f32.in.npz --output=%t/per_tensor_f32.out.npz \
// RUN:   | FileCheck %s --check-prefix=JIT-PER_TENSOR_F32
// RUN: quant-run %s --function=per_tensor_f16 --inputs=%t/per_tensor_f16.in.npz --output=%t/per_tensor_f16.out.npz \
// RUN:   | FileCheck %s --check-prefix=JIT-PER_TENSOR_F16
// RUN: quant-run %s --function=per_tensor_f64 --inputs=%t/per_tensor_f64.in.npz --output=%t/per_tensor_f64.out.npz \
// RUN:   | FileCheck %s --check-prefix=JIT-PER_TENSOR_F64
// RUN: quant-run %s --function=per_axis --inputs=%t/per_axis.in.npz --output=%t/per_axis.out.npz \
// RUN:   | FileCheck %s --check-prefix=JIT-PER_AXIS
// RUN: quant-run %s --function=sub_channel --inputs=%t/sub_channel.in.npz --output=%t/sub_channel.out.npz \
// RUN:   | FileCheck %s --check-prefix=JIT-SUB_CHANNEL
// RUN: quant-run %s --function=dynamic --inputs=%t/dynamic.in.npz --output=%t/dynamic.out.npz \
// RUN:   | FileCheck %s --check-prefix=JIT-DYNAMIC
// RUN: quant-run %s --function=bf16 --inputs=%t/bf16.in.npz --output=%t/bf16.out.npz \
// RUN:   | FileCheck %s --check-prefix=JIT-BF16
// RUN: %python %S/Inputs/qref.py check-cases %s %t | FileCheck %s --check-prefix=REF

#id1 = affine_map<(d0) -> (d0)>
#id2 = affine_map<(d0, d1) -> (d0, d1)>
#id3 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>

// Per tensor, f32.
// CASE: fn=per_tensor_f32 arg=0 res=0 name=u8 op=dequantize shape=64x8 seed=1 type=!quant.uniform<u8:f32, 0.05:128>
// REF: OK u8 512 elements
// CASE: fn=per_tensor_f32 arg=1 res=1 name=i8 op=dequantize shape=64x8 seed=2 type=!quant.uniform<i8:f32, 0.375:-3>
// REF: OK i8 512 elements
// CASE: fn=per_tensor_f32 arg=2 res=2 name=i8_narrow op=dequantize shape=512 seed=3 type=!quant.uniform<i8<-127:127>:f32, 0.0123>
// REF: OK i8_narrow 512 elements
// CASE: fn=per_tensor_f32 arg=3 res=3 name=i16 op=dequantize shape=32x16 seed=4 type=!quant.uniform<i16:f32, 0.001:-7>
// REF: OK i16 512 elements
// |q - zp| up to 2^31: T(q - zp) rounds (half to even) in f32.
// CASE: fn=per_tensor_f32 arg=4 res=4 name=i32 op=dequantize shape=1024 seed=5 type=!quant.uniform<i32:f32, 0.5:-1000>
// REF: OK i32 1024 elements
// q - zp up to 2^32 - 1 only fits a 64-bit difference.
// CASE: fn=per_tensor_f32 arg=5 res=5 name=i32_zp_min op=dequantize shape=1024 seed=6 type=!quant.uniform<i32:f32, 3.0e-3:-2147483648>
// REF: OK i32_zp_min 1024 elements
// CASE: fn=per_tensor_f32 arg=6 res=6 name=i8_min_normal op=dequantize shape=512 seed=7 type=!quant.uniform<i8:f32, 1.17549435e-38:-1>
// REF: OK i8_min_normal 512 elements
// Products beyond the f32 range are +-Inf.
// CASE: fn=per_tensor_f32 arg=7 res=7 name=i8_huge op=dequantize shape=512 seed=8 type=!quant.uniform<i8:f32, 3.0e38:3>
// REF: OK i8_huge 512 elements
// JIT-PER_TENSOR_F32: output_0: float32[64x8]
// JIT-PER_TENSOR_F32-NEXT: output_1: float32[64x8]
// JIT-PER_TENSOR_F32-NEXT: output_2: float32[512]
// JIT-PER_TENSOR_F32-NEXT: output_3: float32[32x16]
// JIT-PER_TENSOR_F32-NEXT: output_4: float32[1024]
// JIT-PER_TENSOR_F32-NEXT: output_5: float32[1024]
// JIT-PER_TENSOR_F32-NEXT: output_6: float32[512]
// JIT-PER_TENSOR_F32-NEXT: output_7: float32[512]
!u8 = !quant.uniform<u8:f32, 0.05:128>
!i8 = !quant.uniform<i8:f32, 0.375:-3>
!i8_narrow = !quant.uniform<i8<-127:127>:f32, 0.0123>
!i16 = !quant.uniform<i16:f32, 0.001:-7>
!i32 = !quant.uniform<i32:f32, 0.5:-1000>
!i32_zp_min = !quant.uniform<i32:f32, 3.0e-3:-2147483648>
!i8_min_normal = !quant.uniform<i8:f32, 1.17549435e-38:-1>
!i8_huge = !quant.uniform<i8:f32, 3.0e38:3>
func.func @per_tensor_f32(%arg0: tensor<64x8x!u8>, %arg1: tensor<64x8x!i8>, %arg2: tensor<512x!i8_narrow>, %arg3: tensor<32x16x!i16>, %arg4: tensor<1024x!i32>, %arg5: tensor<1024x!i32_zp_min>, %arg6: tensor<512x!i8_min_normal>, %arg7: tensor<512x!i8_huge>)
    -> (tensor<64x8xf32>, tensor<64x8xf32>, tensor<512xf32>, tensor<32x16xf32>, tensor<1024xf32>, tensor<1024xf32>, tensor<512xf32>, tensor<512xf32>) {
  %r0 = qnt.dequantize %arg0 : tensor<64x8x!u8> -> tensor<64x8xf32>
  %r1 = qnt.dequantize %arg1 : tensor<64x8x!i8> -> tensor<64x8xf32>
  %r2 = qnt.dequantize %arg2 : tensor<512x!i8_narrow> -> tensor<512xf32>
  %r3 = qnt.dequantize %arg3 : tensor<32x16x!i16> -> tensor<32x16xf32>
  %r4 = qnt.dequantize %arg4 : tensor<1024x!i32> -> tensor<1024xf32>
  %r5 = qnt.dequantize %arg5 : tensor<1024x!i32_zp_min> -> tensor<1024xf32>
  %r6 = qnt.dequantize %arg6 : tensor<512x!i8_min_normal> -> tensor<512xf32>
  %r7 = qnt.dequantize %arg7 : tensor<512x!i8_huge> -> tensor<512xf32>
  return %r0, %r1, %r2, %r3, %r4, %r5, %r6, %r7
      : tensor<64x8xf32>, tensor<64x8xf32>, tensor<512xf32>, tensor<32x16xf32>, tensor<1024xf32>, tensor<1024xf32>, tensor<512xf32>, tensor<512xf32>
}

// Per tensor, f16: the product is rounded to f32, then to f16.
// CASE: fn=per_tensor_f16 arg=0 res=0 name=i8_f16 op=dequantize shape=16x16 seed=11 type=!quant.uniform<i8:f16, 0.1:1>
// REF: OK i8_f16 256 elements
// 11-bit scale times a 16-bit difference: two roundings.
// CASE: fn=per_tensor_f16 arg=1 res=1 name=i16_f16 op=dequantize shape=64x16 seed=12 type=!quant.uniform<i16:f16, 0.1:100>
// REF: OK i16_f16 1024 elements
// q - zp up to 65535 rounds to Inf in f16.
// CASE: fn=per_tensor_f16 arg=2 res=2 name=i16_f16_overflow op=dequantize shape=32x16 seed=13 type=!quant.uniform<i16:f16, 1.0:-32768>
// REF: OK i16_f16_overflow 512 elements
// CASE: fn=per_tensor_f16 arg=3 res=3 name=u8_f16_min_normal op=dequantize shape=256 seed=14 type=!quant.uniform<u8:f16, 6.103515625e-05:7>
// REF: OK u8_f16_min_normal 256 elements
// CASE: fn=per_tensor_f16 arg=4 res=4 name=i32_f16 op=dequantize shape=256 seed=15 type=!quant.uniform<i32:f16, 0.001:-5>
// REF: OK i32_f16 256 elements
// JIT-PER_TENSOR_F16: output_0: float16[16x16]
// JIT-PER_TENSOR_F16-NEXT: output_1: float16[64x16]
// JIT-PER_TENSOR_F16-NEXT: output_2: float16[32x16]
// JIT-PER_TENSOR_F16-NEXT: output_3: float16[256]
// JIT-PER_TENSOR_F16-NEXT: output_4: float16[256]
!i8_f16 = !quant.uniform<i8:f16, 0.1:1>
!i16_f16 = !quant.uniform<i16:f16, 0.1:100>
!i16_f16_overflow = !quant.uniform<i16:f16, 1.0:-32768>
!u8_f16_min_normal = !quant.uniform<u8:f16, 6.103515625e-05:7>
!i32_f16 = !quant.uniform<i32:f16, 0.001:-5>
func.func @per_tensor_f16(%arg0: tensor<16x16x!i8_f16>, %arg1: tensor<64x16x!i16_f16>, %arg2: tensor<32x16x!i16_f16_overflow>, %arg3: tensor<256x!u8_f16_min_normal>, %arg4: tensor<256x!i32_f16>)
    -> (tensor<16x16xf16>, tensor<64x16xf16>, tensor<32x16xf16>, tensor<256xf16>, tensor<256xf16>) {
  %r0 = qnt.dequantize %arg0 : tensor<16x16x!i8_f16> -> tensor<16x16xf16>
  %r1 = qnt.dequantize %arg1 : tensor<64x16x!i16_f16> -> tensor<64x16xf16>
  %r2 = qnt.dequantize %arg2 : tensor<32x16x!i16_f16_overflow> -> tensor<32x16xf16>
  %r3 = qnt.dequantize %arg3 : tensor<256x!u8_f16_min_normal> -> tensor<256xf16>
  %r4 = qnt.dequantize %arg4 : tensor<256x!i32_f16> -> tensor<256xf16>
  return %r0, %r1, %r2, %r3, %r4
      : tensor<16x16xf16>, tensor<64x16xf16>, tensor<32x16xf16>, tensor<256xf16>, tensor<256xf16>
}

// Per tensor, f64.
// CASE: fn=per_tensor_f64 arg=0 res=0 name=u8_f64 op=dequantize shape=16x16 seed=21 type=!quant.uniform<u8:f64, 0.1:10>
// REF: OK u8_f64 256 elements
// CASE: fn=per_tensor_f64 arg=1 res=1 name=i32_f64 op=dequantize shape=1024 seed=22 type=!quant.uniform<i32:f64, 3.0e-3:-2147483648>
// REF: OK i32_f64 1024 elements
// CASE: fn=per_tensor_f64 arg=2 res=2 name=i16_f64_min_normal op=dequantize shape=256 seed=23 type=!quant.uniform<i16:f64, 2.2250738585072014e-308:-3>
// REF: OK i16_f64_min_normal 256 elements
// CASE: fn=per_tensor_f64 arg=3 res=3 name=i8_f64_huge op=dequantize shape=256 seed=24 type=!quant.uniform<i8:f64, 1.0e307:0>
// REF: OK i8_f64_huge 256 elements
// JIT-PER_TENSOR_F64: output_0: float64[16x16]
// JIT-PER_TENSOR_F64-NEXT: output_1: float64[1024]
// JIT-PER_TENSOR_F64-NEXT: output_2: float64[256]
// JIT-PER_TENSOR_F64-NEXT: output_3: float64[256]
!u8_f64 = !quant.uniform<u8:f64, 0.1:10>
!i32_f64 = !quant.uniform<i32:f64, 3.0e-3:-2147483648>
!i16_f64_min_normal = !quant.uniform<i16:f64, 2.2250738585072014e-308:-3>
!i8_f64_huge = !quant.uniform<i8:f64, 1.0e307:0>
func.func @per_tensor_f64(%arg0: tensor<16x16x!u8_f64>, %arg1: tensor<1024x!i32_f64>, %arg2: tensor<256x!i16_f64_min_normal>, %arg3: tensor<256x!i8_f64_huge>)
    -> (tensor<16x16xf64>, tensor<1024xf64>, tensor<256xf64>, tensor<256xf64>) {
  %r0 = qnt.dequantize %arg0 : tensor<16x16x!u8_f64> -> tensor<16x16xf64>
  %r1 = qnt.dequantize %arg1 : tensor<1024x!i32_f64> -> tensor<1024xf64>
  %r2 = qnt.dequantize %arg2 : tensor<256x!i16_f64_min_normal> -> tensor<256xf64>
  %r3 = qnt.dequantize %arg3 : tensor<256x!i8_f64_huge> -> tensor<256xf64>
  return %r0, %r1, %r2, %r3
      : tensor<16x16xf64>, tensor<1024xf64>, tensor<256xf64>, tensor<256xf64>
}

// Per axis: first, middle and last axis.
// CASE: fn=per_axis arg=0 res=0 name=axis0 op=dequantize shape=4x64 seed=31 type=!quant.uniform<i8:f32:0, {0.1:-3, 0.25, 0.03:5, 1.5:127}>
// REF: OK axis0 256 elements
// CASE: fn=per_axis arg=1 res=1 name=axis_last op=dequantize shape=8x16x3 seed=32 type=!quant.uniform<u8:f32:2, {0.02:128, 0.5, 3.0:255}>
// REF: OK axis_last 384 elements
// CASE: fn=per_axis arg=2 res=2 name=axis_mid_f16 op=dequantize shape=8x4x8 seed=33 type=!quant.uniform<i16:f16:1, {0.01:-100, 0.5:32767, 2.0, 0.125:-32768}>
// REF: OK axis_mid_f16 256 elements
// CASE: fn=per_axis arg=3 res=3 name=axis_last_f64 op=dequantize shape=40x3 seed=34 type=!quant.uniform<i32:f64:1, {0.1, 0.02:-5, 1.0e-5:100}>
// REF: OK axis_last_f64 120 elements
// JIT-PER_AXIS: output_0: float32[4x64]
// JIT-PER_AXIS-NEXT: output_1: float32[8x16x3]
// JIT-PER_AXIS-NEXT: output_2: float16[8x4x8]
// JIT-PER_AXIS-NEXT: output_3: float64[40x3]
!axis0 = !quant.uniform<i8:f32:0, {0.1:-3, 0.25, 0.03:5, 1.5:127}>
!axis_last = !quant.uniform<u8:f32:2, {0.02:128, 0.5, 3.0:255}>
!axis_mid_f16 = !quant.uniform<i16:f16:1, {0.01:-100, 0.5:32767, 2.0, 0.125:-32768}>
!axis_last_f64 = !quant.uniform<i32:f64:1, {0.1, 0.02:-5, 1.0e-5:100}>
func.func @per_axis(%arg0: tensor<4x64x!axis0>, %arg1: tensor<8x16x3x!axis_last>, %arg2: tensor<8x4x8x!axis_mid_f16>, %arg3: tensor<40x3x!axis_last_f64>)
    -> (tensor<4x64xf32>, tensor<8x16x3xf32>, tensor<8x4x8xf16>, tensor<40x3xf64>) {
  %r0 = qnt.dequantize %arg0 : tensor<4x64x!axis0> -> tensor<4x64xf32>
  %r1 = qnt.dequantize %arg1 : tensor<8x16x3x!axis_last> -> tensor<8x16x3xf32>
  %r2 = qnt.dequantize %arg2 : tensor<8x4x8x!axis_mid_f16> -> tensor<8x4x8xf16>
  %r3 = qnt.dequantize %arg3 : tensor<40x3x!axis_last_f64> -> tensor<40x3xf64>
  return %r0, %r1, %r2, %r3
      : tensor<4x64xf32>, tensor<8x16x3xf32>, tensor<8x4x8xf16>, tensor<40x3xf64>
}

// Sub-channel blocks in one and in two dimensions.
// CASE: fn=sub_channel arg=0 res=0 name=block1d op=dequantize shape=4x32 seed=41 type=!quant.uniform<i8:f32:{1:8}, {{0.1:1, 0.2:-2, 0.05, 1.0:100}}>
// REF: OK block1d 128 elements
// CASE: fn=sub_channel arg=1 res=1 name=block2d op=dequantize shape=8x16 seed=42 type=!quant.uniform<u8:f32:{0:4,1:8}, {{0.1:10, 0.2:128}, {0.3, 0.04:255}}>
// REF: OK block2d 128 elements
// CASE: fn=sub_channel arg=2 res=2 name=block2d_f64 op=dequantize shape=6x6 seed=43 type=!quant.uniform<i16:f64:{0:3,1:2}, {{0.1:5, 0.002, 7.5:-300}, {1.0e-3:32767, 0.25:-32768, 3.0}}>
// REF: OK block2d_f64 36 elements
// CASE: fn=sub_channel arg=3 res=3 name=block_f16 op=dequantize shape=32x5 seed=44 type=!quant.uniform<u8:f16:{0:16}, {{0.5:3}, {0.0625:200}}>
// REF: OK block_f16 160 elements
// CASE: fn=sub_channel arg=4 res=4 name=block2d_i32 op=dequantize shape=4x4 seed=45 type=!quant.uniform<i32:f32:{0:2,1:2}, {{0.5:-7, 1.0e-3}, {3.0:2147483647, 0.1:-2147483648}}>
// REF: OK block2d_i32 16 elements
// JIT-SUB_CHANNEL: output_0: float32[4x32]
// JIT-SUB_CHANNEL-NEXT: output_1: float32[8x16]
// JIT-SUB_CHANNEL-NEXT: output_2: float64[6x6]
// JIT-SUB_CHANNEL-NEXT: output_3: float16[32x5]
// JIT-SUB_CHANNEL-NEXT: output_4: float32[4x4]
!block1d = !quant.uniform<i8:f32:{1:8}, {{0.1:1, 0.2:-2, 0.05, 1.0:100}}>
!block2d = !quant.uniform<u8:f32:{0:4,1:8}, {{0.1:10, 0.2:128}, {0.3, 0.04:255}}>
!block2d_f64 = !quant.uniform<i16:f64:{0:3,1:2}, {{0.1:5, 0.002, 7.5:-300}, {1.0e-3:32767, 0.25:-32768, 3.0}}>
!block_f16 = !quant.uniform<u8:f16:{0:16}, {{0.5:3}, {0.0625:200}}>
!block2d_i32 = !quant.uniform<i32:f32:{0:2,1:2}, {{0.5:-7, 1.0e-3}, {3.0:2147483647, 0.1:-2147483648}}>
func.func @sub_channel(%arg0: tensor<4x32x!block1d>, %arg1: tensor<8x16x!block2d>, %arg2: tensor<6x6x!block2d_f64>, %arg3: tensor<32x5x!block_f16>, %arg4: tensor<4x4x!block2d_i32>)
    -> (tensor<4x32xf32>, tensor<8x16xf32>, tensor<6x6xf64>, tensor<32x5xf16>, tensor<4x4xf32>) {
  %r0 = qnt.dequantize %arg0 : tensor<4x32x!block1d> -> tensor<4x32xf32>
  %r1 = qnt.dequantize %arg1 : tensor<8x16x!block2d> -> tensor<8x16xf32>
  %r2 = qnt.dequantize %arg2 : tensor<6x6x!block2d_f64> -> tensor<6x6xf64>
  %r3 = qnt.dequantize %arg3 : tensor<32x5x!block_f16> -> tensor<32x5xf16>
  %r4 = qnt.dequantize %arg4 : tensor<4x4x!block2d_i32> -> tensor<4x4xf32>
  return %r0, %r1, %r2, %r3, %r4
      : tensor<4x32xf32>, tensor<8x16xf32>, tensor<6x6xf64>, tensor<32x5xf16>, tensor<4x4xf32>
}

// Dynamic shapes: the run-time sizes come from the inputs.
// CASE: fn=dynamic arg=0 res=0 name=u8_dyn op=dequantize shape=67x8 seed=51 type=!quant.uniform<u8:f32, 0.05:128>
// REF: OK u8_dyn 536 elements
// CASE: fn=dynamic arg=1 res=1 name=i8_dyn2 op=dequantize shape=13x7 seed=52 type=!quant.uniform<i8:f32, 0.25:-1>
// REF: OK i8_dyn2 91 elements
// CASE: fn=dynamic arg=2 res=2 name=axis_last_dyn op=dequantize shape=50x4 seed=53 type=!quant.uniform<i16:f16:1, {0.01:-100, 0.5:32767, 2.0, 0.125:-32768}>
// REF: OK axis_last_dyn 200 elements
// Per axis 0 of a tensor whose dimension 1 is dynamic: a quantized axis
// must have a static size (a dynamic one is rejected, see
// test/Dialect/Qnt/invalid.mlir).
// CASE: fn=dynamic arg=3 res=3 name=axis0_dyn op=dequantize shape=3x16 seed=54 type=!quant.uniform<i8:f32:0, {0.2:1, 0.05:-1, 0.7}>
// REF: OK axis0_dyn 48 elements
// Blocks along the static dimension 1; the dynamic dimension 0 is one block.
// CASE: fn=dynamic arg=4 res=4 name=block_dyn op=dequantize shape=9x8 seed=55 type=!quant.uniform<i8:f32:{1:4}, {{0.1:1, 0.3:-1}}>
// REF: OK block_dyn 72 elements
// Blocks along the static dimension 0; the dynamic dimension 1 is one block.
// CASE: fn=dynamic arg=5 res=5 name=block0_dyn op=dequantize shape=4x11 seed=56 type=!quant.uniform<i8:f32:{0:2}, {{0.4:2}, {0.15:-3}}>
// REF: OK block0_dyn 44 elements
// JIT-DYNAMIC: output_0: float32[67x8]
// JIT-DYNAMIC-NEXT: output_1: float32[13x7]
// JIT-DYNAMIC-NEXT: output_2: float16[50x4]
// JIT-DYNAMIC-NEXT: output_3: float32[3x16]
// JIT-DYNAMIC-NEXT: output_4: float32[9x8]
// JIT-DYNAMIC-NEXT: output_5: float32[4x11]
!u8_dyn = !quant.uniform<u8:f32, 0.05:128>
!i8_dyn2 = !quant.uniform<i8:f32, 0.25:-1>
!axis_last_dyn = !quant.uniform<i16:f16:1, {0.01:-100, 0.5:32767, 2.0, 0.125:-32768}>
!axis0_dyn = !quant.uniform<i8:f32:0, {0.2:1, 0.05:-1, 0.7}>
!block_dyn = !quant.uniform<i8:f32:{1:4}, {{0.1:1, 0.3:-1}}>
!block0_dyn = !quant.uniform<i8:f32:{0:2}, {{0.4:2}, {0.15:-3}}>
func.func @dynamic(%arg0: tensor<?x8x!u8_dyn>, %arg1: tensor<?x?x!i8_dyn2>, %arg2: tensor<?x4x!axis_last_dyn>, %arg3: tensor<3x?x!axis0_dyn>, %arg4: tensor<?x8x!block_dyn>, %arg5: tensor<4x?x!block0_dyn>)
    -> (tensor<?x8xf32>, tensor<?x?xf32>, tensor<?x4xf16>, tensor<3x?xf32>, tensor<?x8xf32>, tensor<4x?xf32>) {
  %r0 = qnt.dequantize %arg0 : tensor<?x8x!u8_dyn> -> tensor<?x8xf32>
  %r1 = qnt.dequantize %arg1 : tensor<?x?x!i8_dyn2> -> tensor<?x?xf32>
  %r2 = qnt.dequantize %arg2 : tensor<?x4x!axis_last_dyn> -> tensor<?x4xf16>
  %r3 = qnt.dequantize %arg3 : tensor<3x?x!axis0_dyn> -> tensor<3x?xf32>
  %r4 = qnt.dequantize %arg4 : tensor<?x8x!block_dyn> -> tensor<?x8xf32>
  %r5 = qnt.dequantize %arg5 : tensor<4x?x!block0_dyn> -> tensor<4x?xf32>
  return %r0, %r1, %r2, %r3, %r4, %r5
      : tensor<?x8xf32>, tensor<?x?xf32>, tensor<?x4xf16>, tensor<3x?xf32>, tensor<?x8xf32>, tensor<4x?xf32>
}

// bf16 cannot cross quant-run: the bf16 result is extended to f32.
// CASE: fn=bf16 arg=0 res=0 name=u8_bf16 op=dequantize shape=64x8 seed=61 type=!quant.uniform<u8:bf16, 0.1:128>
// REF: OK u8_bf16 512 elements
// CASE: fn=bf16 arg=1 res=1 name=i8_bf16_axis op=dequantize shape=40x3 seed=62 type=!quant.uniform<i8:bf16:1, {0.0078125:-1, 3.0, 0.3:4}>
// REF: OK i8_bf16_axis 120 elements
// CASE: fn=bf16 arg=2 res=2 name=i16_bf16_block op=dequantize shape=4x16 seed=63 type=!quant.uniform<i16:bf16:{0:2}, {{0.001:-9}, {1.5:0}}>
// REF: OK i16_bf16_block 64 elements
// JIT-BF16: output_0: float32[64x8]
// JIT-BF16-NEXT: output_1: float32[40x3]
// JIT-BF16-NEXT: output_2: float32[4x16]
!u8_bf16 = !quant.uniform<u8:bf16, 0.1:128>
!i8_bf16_axis = !quant.uniform<i8:bf16:1, {0.0078125:-1, 3.0, 0.3:4}>
!i16_bf16_block = !quant.uniform<i16:bf16:{0:2}, {{0.001:-9}, {1.5:0}}>
func.func @bf16(%arg0: tensor<64x8x!u8_bf16>, %arg1: tensor<40x3x!i8_bf16_axis>, %arg2: tensor<4x16x!i16_bf16_block>)
    -> (tensor<64x8xf32>, tensor<40x3xf32>, tensor<4x16xf32>) {
  %r0 = qnt.dequantize %arg0 : tensor<64x8x!u8_bf16> -> tensor<64x8xbf16>
  %ex0 = tensor.empty() : tensor<64x8xf32>
  %x0 = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%r0 : tensor<64x8xbf16>) outs(%ex0 : tensor<64x8xf32>) {
  ^bb0(%in: bf16, %out: f32):
    %c = arith.extf %in : bf16 to f32
    linalg.yield %c : f32
  } -> tensor<64x8xf32>
  %r1 = qnt.dequantize %arg1 : tensor<40x3x!i8_bf16_axis> -> tensor<40x3xbf16>
  %ex1 = tensor.empty() : tensor<40x3xf32>
  %x1 = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%r1 : tensor<40x3xbf16>) outs(%ex1 : tensor<40x3xf32>) {
  ^bb0(%in: bf16, %out: f32):
    %c = arith.extf %in : bf16 to f32
    linalg.yield %c : f32
  } -> tensor<40x3xf32>
  %r2 = qnt.dequantize %arg2 : tensor<4x16x!i16_bf16_block> -> tensor<4x16xbf16>
  %ex2 = tensor.empty() : tensor<4x16xf32>
  %x2 = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%r2 : tensor<4x16xbf16>) outs(%ex2 : tensor<4x16xf32>) {
  ^bb0(%in: bf16, %out: f32):
    %c = arith.extf %in : bf16 to f32
    linalg.yield %c : f32
  } -> tensor<4x16xf32>
  return %x0, %x1, %x2
      : tensor<64x8xf32>, tensor<40x3xf32>, tensor<4x16xf32>
}
