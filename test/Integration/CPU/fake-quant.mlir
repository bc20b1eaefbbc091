// qnt.fake_quant through quant-run's JIT pipeline, bit for bit against the
// independent NumPy reference Inputs/qref.py (docs/semantics.md):
// dequantize(quantize(x)) with no fused shortcut, for the storage types
// fake_quant accepts (u8, i8, narrow i8, i16; sub-byte storage is in
// subbyte.mlir), expressed types f32, f16, f64 and bf16, per tensor, per axis
// (first, middle and last axis), sub-channel blocks in one and two
// dimensions, dynamic shapes (also beside per-axis and blocked dimensions,
// which must be static) and both rounding modes.
//
// Each `CASE:` line names a function argument and result: `gen-cases` writes
// seeded inputs (random values plus, in every channel and block, ties
// (k + 0.5) * s, their one-ulp neighbours, saturation edges, +-Inf, NaN, +-0,
// denormals and huge values) and `check-cases` compares each result with the
// reference, printing one `OK` line per case.

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
// CASE: fn=per_tensor_f32 arg=0 res=0 name=u8 op=fake_quant shape=64x8 seed=1 type=!quant.uniform<u8:f32, 0.05:128>
// REF: OK u8 512 elements
// CASE: fn=per_tensor_f32 arg=1 res=1 name=i8_away op=fake_quant shape=64x8 seed=2 rounding=half_away_from_zero type=!quant.uniform<i8:f32, 0.375:-3>
// REF: OK i8_away 512 elements
// CASE: fn=per_tensor_f32 arg=1 res=2 name=i8_even op=fake_quant shape=64x8 rounding=half_to_even type=!quant.uniform<i8:f32, 0.375:-3>
// REF: OK i8_even 512 elements
// CASE: fn=per_tensor_f32 arg=2 res=3 name=i8_narrow op=fake_quant shape=512 seed=3 type=!quant.uniform<i8<-127:127>:f32, 0.0123>
// REF: OK i8_narrow 512 elements
// CASE: fn=per_tensor_f32 arg=3 res=4 name=i16 op=fake_quant shape=32x16 seed=4 type=!quant.uniform<i16:f32, 0.001:-7>
// REF: OK i16 512 elements
// CASE: fn=per_tensor_f32 arg=4 res=5 name=i16_away op=fake_quant shape=32x16 seed=0 rounding=half_away_from_zero type=!quant.uniform<i16:f32, 0.001:-7>
// REF: OK i16_away 512 elements
// CASE: fn=per_tensor_f32 arg=5 res=6 name=i8_min_normal op=fake_quant shape=512 seed=7 type=!quant.uniform<i8:f32, 1.17549435e-38:-1>
// REF: OK i8_min_normal 512 elements
// Saturated values dequantize beyond the f32 range: +-Inf.
// CASE: fn=per_tensor_f32 arg=6 res=7 name=u8_huge op=fake_quant shape=512 seed=8 type=!quant.uniform<u8:f32, 3.0e38:3>
// REF: OK u8_huge 512 elements
// JIT-PER_TENSOR_F32: output_0: float32[64x8]
// JIT-PER_TENSOR_F32-NEXT: output_1: float32[64x8]
// JIT-PER_TENSOR_F32-NEXT: output_2: float32[64x8]
// JIT-PER_TENSOR_F32-NEXT: output_3: float32[512]
// JIT-PER_TENSOR_F32-NEXT: output_4: float32[32x16]
// JIT-PER_TENSOR_F32-NEXT: output_5: float32[32x16]
// JIT-PER_TENSOR_F32-NEXT: output_6: float32[512]
// JIT-PER_TENSOR_F32-NEXT: output_7: float32[512]
!u8 = !quant.uniform<u8:f32, 0.05:128>
!i8_away = !quant.uniform<i8:f32, 0.375:-3>
!i8_even = !quant.uniform<i8:f32, 0.375:-3>
!i8_narrow = !quant.uniform<i8<-127:127>:f32, 0.0123>
!i16 = !quant.uniform<i16:f32, 0.001:-7>
!i16_away = !quant.uniform<i16:f32, 0.001:-7>
!i8_min_normal = !quant.uniform<i8:f32, 1.17549435e-38:-1>
!u8_huge = !quant.uniform<u8:f32, 3.0e38:3>
func.func @per_tensor_f32(%arg0: tensor<64x8xf32>, %arg1: tensor<64x8xf32>, %arg2: tensor<512xf32>, %arg3: tensor<32x16xf32>, %arg4: tensor<32x16xf32>, %arg5: tensor<512xf32>, %arg6: tensor<512xf32>)
    -> (tensor<64x8xf32>, tensor<64x8xf32>, tensor<64x8xf32>, tensor<512xf32>, tensor<32x16xf32>, tensor<32x16xf32>, tensor<512xf32>, tensor<512xf32>) {
  %r0 = qnt.fake_quant %arg0 as !u8 : tensor<64x8xf32>
  %r1 = qnt.fake_quant %arg1 as !i8_away {rounding = #qnt.rounding<half_away_from_zero>} : tensor<64x8xf32>
  %r2 = qnt.fake_quant %arg1 as !i8_even {rounding = #qnt.rounding<half_to_even>} : tensor<64x8xf32>
  %r3 = qnt.fake_quant %arg2 as !i8_narrow : tensor<512xf32>
  %r4 = qnt.fake_quant %arg3 as !i16 : tensor<32x16xf32>
  %r5 = qnt.fake_quant %arg4 as !i16_away {rounding = #qnt.rounding<half_away_from_zero>} : tensor<32x16xf32>
  %r6 = qnt.fake_quant %arg5 as !i8_min_normal : tensor<512xf32>
  %r7 = qnt.fake_quant %arg6 as !u8_huge : tensor<512xf32>
  return %r0, %r1, %r2, %r3, %r4, %r5, %r6, %r7
      : tensor<64x8xf32>, tensor<64x8xf32>, tensor<64x8xf32>, tensor<512xf32>, tensor<32x16xf32>, tensor<32x16xf32>, tensor<512xf32>, tensor<512xf32>
}

// Per tensor, f16.
// CASE: fn=per_tensor_f16 arg=0 res=0 name=i8_f16 op=fake_quant shape=16x16 seed=11 type=!quant.uniform<i8:f16, 0.1:1>
// REF: OK i8_f16 256 elements
// CASE: fn=per_tensor_f16 arg=1 res=1 name=i8_f16_away op=fake_quant shape=16x16 seed=12 rounding=half_away_from_zero type=!quant.uniform<i8:f16, 0.125:-5>
// REF: OK i8_f16_away 256 elements
// 11-bit scale times a 16-bit difference: the product rounds twice.
// CASE: fn=per_tensor_f16 arg=2 res=2 name=i16_f16 op=fake_quant shape=64x16 seed=13 type=!quant.uniform<i16:f16, 0.1:100>
// REF: OK i16_f16 1024 elements
// CASE: fn=per_tensor_f16 arg=3 res=3 name=i16_f16_overflow_away op=fake_quant shape=32x16 seed=14 rounding=half_away_from_zero type=!quant.uniform<i16:f16, 1.0:-32768>
// REF: OK i16_f16_overflow_away 512 elements
// CASE: fn=per_tensor_f16 arg=4 res=4 name=u8_f16_min_normal op=fake_quant shape=256 seed=15 type=!quant.uniform<u8:f16, 6.103515625e-05:7>
// REF: OK u8_f16_min_normal 256 elements
// JIT-PER_TENSOR_F16: output_0: float16[16x16]
// JIT-PER_TENSOR_F16-NEXT: output_1: float16[16x16]
// JIT-PER_TENSOR_F16-NEXT: output_2: float16[64x16]
// JIT-PER_TENSOR_F16-NEXT: output_3: float16[32x16]
// JIT-PER_TENSOR_F16-NEXT: output_4: float16[256]
!i8_f16 = !quant.uniform<i8:f16, 0.1:1>
!i8_f16_away = !quant.uniform<i8:f16, 0.125:-5>
!i16_f16 = !quant.uniform<i16:f16, 0.1:100>
!i16_f16_overflow_away = !quant.uniform<i16:f16, 1.0:-32768>
!u8_f16_min_normal = !quant.uniform<u8:f16, 6.103515625e-05:7>
func.func @per_tensor_f16(%arg0: tensor<16x16xf16>, %arg1: tensor<16x16xf16>, %arg2: tensor<64x16xf16>, %arg3: tensor<32x16xf16>, %arg4: tensor<256xf16>)
    -> (tensor<16x16xf16>, tensor<16x16xf16>, tensor<64x16xf16>, tensor<32x16xf16>, tensor<256xf16>) {
  %r0 = qnt.fake_quant %arg0 as !i8_f16 : tensor<16x16xf16>
  %r1 = qnt.fake_quant %arg1 as !i8_f16_away {rounding = #qnt.rounding<half_away_from_zero>} : tensor<16x16xf16>
  %r2 = qnt.fake_quant %arg2 as !i16_f16 : tensor<64x16xf16>
  %r3 = qnt.fake_quant %arg3 as !i16_f16_overflow_away {rounding = #qnt.rounding<half_away_from_zero>} : tensor<32x16xf16>
  %r4 = qnt.fake_quant %arg4 as !u8_f16_min_normal : tensor<256xf16>
  return %r0, %r1, %r2, %r3, %r4
      : tensor<16x16xf16>, tensor<16x16xf16>, tensor<64x16xf16>, tensor<32x16xf16>, tensor<256xf16>
}

// Per tensor, f64.
// CASE: fn=per_tensor_f64 arg=0 res=0 name=u8_f64 op=fake_quant shape=16x16 seed=21 type=!quant.uniform<u8:f64, 0.1:10>
// REF: OK u8_f64 256 elements
// CASE: fn=per_tensor_f64 arg=1 res=1 name=i16_f64_away op=fake_quant shape=1024 seed=22 rounding=half_away_from_zero type=!quant.uniform<i16:f64, 3.0e-3:7>
// REF: OK i16_f64_away 1024 elements
// CASE: fn=per_tensor_f64 arg=2 res=2 name=i8_f64_min_normal op=fake_quant shape=256 seed=23 type=!quant.uniform<i8:f64, 2.2250738585072014e-308:-3>
// REF: OK i8_f64_min_normal 256 elements
// JIT-PER_TENSOR_F64: output_0: float64[16x16]
// JIT-PER_TENSOR_F64-NEXT: output_1: float64[1024]
// JIT-PER_TENSOR_F64-NEXT: output_2: float64[256]
!u8_f64 = !quant.uniform<u8:f64, 0.1:10>
!i16_f64_away = !quant.uniform<i16:f64, 3.0e-3:7>
!i8_f64_min_normal = !quant.uniform<i8:f64, 2.2250738585072014e-308:-3>
func.func @per_tensor_f64(%arg0: tensor<16x16xf64>, %arg1: tensor<1024xf64>, %arg2: tensor<256xf64>)
    -> (tensor<16x16xf64>, tensor<1024xf64>, tensor<256xf64>) {
  %r0 = qnt.fake_quant %arg0 as !u8_f64 : tensor<16x16xf64>
  %r1 = qnt.fake_quant %arg1 as !i16_f64_away {rounding = #qnt.rounding<half_away_from_zero>} : tensor<1024xf64>
  %r2 = qnt.fake_quant %arg2 as !i8_f64_min_normal : tensor<256xf64>
  return %r0, %r1, %r2
      : tensor<16x16xf64>, tensor<1024xf64>, tensor<256xf64>
}

// Per axis: first, middle and last axis.
// CASE: fn=per_axis arg=0 res=0 name=axis0 op=fake_quant shape=4x64 seed=31 type=!quant.uniform<i8:f32:0, {0.1:-3, 0.25, 0.03:5, 1.5:127}>
// REF: OK axis0 256 elements
// CASE: fn=per_axis arg=1 res=1 name=axis_last_away op=fake_quant shape=8x16x3 seed=32 rounding=half_away_from_zero type=!quant.uniform<u8:f32:2, {0.02:128, 0.5, 3.0:255}>
// REF: OK axis_last_away 384 elements
// CASE: fn=per_axis arg=2 res=2 name=axis_mid_f16 op=fake_quant shape=8x4x8 seed=33 type=!quant.uniform<i16:f16:1, {0.01:-100, 0.5:32767, 2.0, 0.125:-32768}>
// REF: OK axis_mid_f16 256 elements
// CASE: fn=per_axis arg=3 res=3 name=axis_last_f64 op=fake_quant shape=40x3 seed=34 rounding=half_away_from_zero type=!quant.uniform<i8<-127:127>:f64:1, {0.1, 0.02:-5, 1.0e-5:100}>
// REF: OK axis_last_f64 120 elements
// JIT-PER_AXIS: output_0: float32[4x64]
// JIT-PER_AXIS-NEXT: output_1: float32[8x16x3]
// JIT-PER_AXIS-NEXT: output_2: float16[8x4x8]
// JIT-PER_AXIS-NEXT: output_3: float64[40x3]
!axis0 = !quant.uniform<i8:f32:0, {0.1:-3, 0.25, 0.03:5, 1.5:127}>
!axis_last_away = !quant.uniform<u8:f32:2, {0.02:128, 0.5, 3.0:255}>
!axis_mid_f16 = !quant.uniform<i16:f16:1, {0.01:-100, 0.5:32767, 2.0, 0.125:-32768}>
!axis_last_f64 = !quant.uniform<i8<-127:127>:f64:1, {0.1, 0.02:-5, 1.0e-5:100}>
func.func @per_axis(%arg0: tensor<4x64xf32>, %arg1: tensor<8x16x3xf32>, %arg2: tensor<8x4x8xf16>, %arg3: tensor<40x3xf64>)
    -> (tensor<4x64xf32>, tensor<8x16x3xf32>, tensor<8x4x8xf16>, tensor<40x3xf64>) {
  %r0 = qnt.fake_quant %arg0 as !axis0 : tensor<4x64xf32>
  %r1 = qnt.fake_quant %arg1 as !axis_last_away {rounding = #qnt.rounding<half_away_from_zero>} : tensor<8x16x3xf32>
  %r2 = qnt.fake_quant %arg2 as !axis_mid_f16 : tensor<8x4x8xf16>
  %r3 = qnt.fake_quant %arg3 as !axis_last_f64 {rounding = #qnt.rounding<half_away_from_zero>} : tensor<40x3xf64>
  return %r0, %r1, %r2, %r3
      : tensor<4x64xf32>, tensor<8x16x3xf32>, tensor<8x4x8xf16>, tensor<40x3xf64>
}

// Sub-channel blocks in one and in two dimensions.
// CASE: fn=sub_channel arg=0 res=0 name=block1d op=fake_quant shape=4x32 seed=41 type=!quant.uniform<i8:f32:{1:8}, {{0.1:1, 0.2:-2, 0.05, 1.0:100}}>
// REF: OK block1d 128 elements
// CASE: fn=sub_channel arg=1 res=1 name=block2d_away op=fake_quant shape=8x16 seed=42 rounding=half_away_from_zero type=!quant.uniform<u8:f32:{0:4,1:8}, {{0.1:10, 0.2:128}, {0.3, 0.04:255}}>
// REF: OK block2d_away 128 elements
// CASE: fn=sub_channel arg=2 res=2 name=block2d_f64 op=fake_quant shape=6x6 seed=43 type=!quant.uniform<i16:f64:{0:3,1:2}, {{0.1:5, 0.002, 7.5:-300}, {1.0e-3:32767, 0.25:-32768, 3.0}}>
// REF: OK block2d_f64 36 elements
// CASE: fn=sub_channel arg=3 res=3 name=block_f16 op=fake_quant shape=32x5 seed=44 type=!quant.uniform<u8:f16:{0:16}, {{0.5:3}, {0.0625:200}}>
// REF: OK block_f16 160 elements
// JIT-SUB_CHANNEL: output_0: float32[4x32]
// JIT-SUB_CHANNEL-NEXT: output_1: float32[8x16]
// JIT-SUB_CHANNEL-NEXT: output_2: float64[6x6]
// JIT-SUB_CHANNEL-NEXT: output_3: float16[32x5]
!block1d = !quant.uniform<i8:f32:{1:8}, {{0.1:1, 0.2:-2, 0.05, 1.0:100}}>
!block2d_away = !quant.uniform<u8:f32:{0:4,1:8}, {{0.1:10, 0.2:128}, {0.3, 0.04:255}}>
!block2d_f64 = !quant.uniform<i16:f64:{0:3,1:2}, {{0.1:5, 0.002, 7.5:-300}, {1.0e-3:32767, 0.25:-32768, 3.0}}>
!block_f16 = !quant.uniform<u8:f16:{0:16}, {{0.5:3}, {0.0625:200}}>
func.func @sub_channel(%arg0: tensor<4x32xf32>, %arg1: tensor<8x16xf32>, %arg2: tensor<6x6xf64>, %arg3: tensor<32x5xf16>)
    -> (tensor<4x32xf32>, tensor<8x16xf32>, tensor<6x6xf64>, tensor<32x5xf16>) {
  %r0 = qnt.fake_quant %arg0 as !block1d : tensor<4x32xf32>
  %r1 = qnt.fake_quant %arg1 as !block2d_away {rounding = #qnt.rounding<half_away_from_zero>} : tensor<8x16xf32>
  %r2 = qnt.fake_quant %arg2 as !block2d_f64 : tensor<6x6xf64>
  %r3 = qnt.fake_quant %arg3 as !block_f16 : tensor<32x5xf16>
  return %r0, %r1, %r2, %r3
      : tensor<4x32xf32>, tensor<8x16xf32>, tensor<6x6xf64>, tensor<32x5xf16>
}

// Dynamic shapes: the run-time sizes come from the inputs.
// CASE: fn=dynamic arg=0 res=0 name=u8_dyn op=fake_quant shape=67x8 seed=51 type=!quant.uniform<u8:f32, 0.05:128>
// REF: OK u8_dyn 536 elements
// CASE: fn=dynamic arg=1 res=1 name=i8_dyn2_away op=fake_quant shape=13x7 seed=52 rounding=half_away_from_zero type=!quant.uniform<i8:f32, 0.25:-1>
// REF: OK i8_dyn2_away 91 elements
// CASE: fn=dynamic arg=2 res=2 name=axis_last_dyn op=fake_quant shape=50x4 seed=53 type=!quant.uniform<i16:f16:1, {0.01:-100, 0.5:32767, 2.0, 0.125:-32768}>
// REF: OK axis_last_dyn 200 elements
// Per axis 0 of a tensor whose dimension 1 is dynamic: a quantized axis
// must have a static size (a dynamic one is rejected, see
// test/Dialect/Qnt/invalid.mlir).
// CASE: fn=dynamic arg=3 res=3 name=axis0_dyn op=fake_quant shape=3x16 seed=54 type=!quant.uniform<i8:f32:0, {0.2:1, 0.05:-1, 0.7}>
// REF: OK axis0_dyn 48 elements
// Blocks along the static dimension 1; the dynamic dimension 0 is one block.
// CASE: fn=dynamic arg=4 res=4 name=block_dyn op=fake_quant shape=9x8 seed=55 type=!quant.uniform<i8:f32:{1:4}, {{0.1:1, 0.3:-1}}>
// REF: OK block_dyn 72 elements
// Blocks along the static dimension 0; the dynamic dimension 1 is one block.
// CASE: fn=dynamic arg=5 res=5 name=block0_dyn op=fake_quant shape=4x11 seed=56 type=!quant.uniform<i8:f32:{0:2}, {{0.4:2}, {0.15:-3}}>
// REF: OK block0_dyn 44 elements
// JIT-DYNAMIC: output_0: float32[67x8]
// JIT-DYNAMIC-NEXT: output_1: float32[13x7]
// JIT-DYNAMIC-NEXT: output_2: float16[50x4]
// JIT-DYNAMIC-NEXT: output_3: float32[3x16]
// JIT-DYNAMIC-NEXT: output_4: float32[9x8]
// JIT-DYNAMIC-NEXT: output_5: float32[4x11]
!u8_dyn = !quant.uniform<u8:f32, 0.05:128>
!i8_dyn2_away = !quant.uniform<i8:f32, 0.25:-1>
!axis_last_dyn = !quant.uniform<i16:f16:1, {0.01:-100, 0.5:32767, 2.0, 0.125:-32768}>
!axis0_dyn = !quant.uniform<i8:f32:0, {0.2:1, 0.05:-1, 0.7}>
!block_dyn = !quant.uniform<i8:f32:{1:4}, {{0.1:1, 0.3:-1}}>
!block0_dyn = !quant.uniform<i8:f32:{0:2}, {{0.4:2}, {0.15:-3}}>
func.func @dynamic(%arg0: tensor<?x8xf32>, %arg1: tensor<?x?xf32>, %arg2: tensor<?x4xf16>, %arg3: tensor<3x?xf32>, %arg4: tensor<?x8xf32>, %arg5: tensor<4x?xf32>)
    -> (tensor<?x8xf32>, tensor<?x?xf32>, tensor<?x4xf16>, tensor<3x?xf32>, tensor<?x8xf32>, tensor<4x?xf32>) {
  %r0 = qnt.fake_quant %arg0 as !u8_dyn : tensor<?x8xf32>
  %r1 = qnt.fake_quant %arg1 as !i8_dyn2_away {rounding = #qnt.rounding<half_away_from_zero>} : tensor<?x?xf32>
  %r2 = qnt.fake_quant %arg2 as !axis_last_dyn : tensor<?x4xf16>
  %r3 = qnt.fake_quant %arg3 as !axis0_dyn : tensor<3x?xf32>
  %r4 = qnt.fake_quant %arg4 as !block_dyn : tensor<?x8xf32>
  %r5 = qnt.fake_quant %arg5 as !block0_dyn : tensor<4x?xf32>
  return %r0, %r1, %r2, %r3, %r4, %r5
      : tensor<?x8xf32>, tensor<?x?xf32>, tensor<?x4xf16>, tensor<3x?xf32>, tensor<?x8xf32>, tensor<4x?xf32>
}

// bf16 cannot cross quant-run: f32 in, truncated (half to even) to bf16,
// the bf16 result extended to f32.
// CASE: fn=bf16 arg=0 res=0 name=u8_bf16 op=fake_quant shape=64x8 seed=61 type=!quant.uniform<u8:bf16, 0.1:128>
// REF: OK u8_bf16 512 elements
// CASE: fn=bf16 arg=1 res=1 name=i8_bf16_axis_away op=fake_quant shape=40x3 seed=62 rounding=half_away_from_zero type=!quant.uniform<i8:bf16:1, {0.0078125:-1, 3.0, 0.3:4}>
// REF: OK i8_bf16_axis_away 120 elements
// CASE: fn=bf16 arg=2 res=2 name=i16_bf16_block op=fake_quant shape=4x16 seed=63 type=!quant.uniform<i16:bf16:{0:2}, {{0.001:-9}, {1.5:0}}>
// REF: OK i16_bf16_block 64 elements
// JIT-BF16: output_0: float32[64x8]
// JIT-BF16-NEXT: output_1: float32[40x3]
// JIT-BF16-NEXT: output_2: float32[4x16]
!u8_bf16 = !quant.uniform<u8:bf16, 0.1:128>
!i8_bf16_axis_away = !quant.uniform<i8:bf16:1, {0.0078125:-1, 3.0, 0.3:4}>
!i16_bf16_block = !quant.uniform<i16:bf16:{0:2}, {{0.001:-9}, {1.5:0}}>
func.func @bf16(%arg0: tensor<64x8xf32>, %arg1: tensor<40x3xf32>, %arg2: tensor<4x16xf32>)
    -> (tensor<64x8xf32>, tensor<40x3xf32>, tensor<4x16xf32>) {
  %et0 = tensor.empty() : tensor<64x8xbf16>
  %t0 = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%arg0 : tensor<64x8xf32>) outs(%et0 : tensor<64x8xbf16>) {
  ^bb0(%in: f32, %out: bf16):
    %c = arith.truncf %in : f32 to bf16
    linalg.yield %c : bf16
  } -> tensor<64x8xbf16>
  %r0 = qnt.fake_quant %t0 as !u8_bf16 : tensor<64x8xbf16>
  %ex0 = tensor.empty() : tensor<64x8xf32>
  %x0 = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%r0 : tensor<64x8xbf16>) outs(%ex0 : tensor<64x8xf32>) {
  ^bb0(%in: bf16, %out: f32):
    %c = arith.extf %in : bf16 to f32
    linalg.yield %c : f32
  } -> tensor<64x8xf32>
  %et1 = tensor.empty() : tensor<40x3xbf16>
  %t1 = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%arg1 : tensor<40x3xf32>) outs(%et1 : tensor<40x3xbf16>) {
  ^bb0(%in: f32, %out: bf16):
    %c = arith.truncf %in : f32 to bf16
    linalg.yield %c : bf16
  } -> tensor<40x3xbf16>
  %r1 = qnt.fake_quant %t1 as !i8_bf16_axis_away {rounding = #qnt.rounding<half_away_from_zero>} : tensor<40x3xbf16>
  %ex1 = tensor.empty() : tensor<40x3xf32>
  %x1 = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%r1 : tensor<40x3xbf16>) outs(%ex1 : tensor<40x3xf32>) {
  ^bb0(%in: bf16, %out: f32):
    %c = arith.extf %in : bf16 to f32
    linalg.yield %c : f32
  } -> tensor<40x3xf32>
  %et2 = tensor.empty() : tensor<4x16xbf16>
  %t2 = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%arg2 : tensor<4x16xf32>) outs(%et2 : tensor<4x16xbf16>) {
  ^bb0(%in: f32, %out: bf16):
    %c = arith.truncf %in : f32 to bf16
    linalg.yield %c : bf16
  } -> tensor<4x16xbf16>
  %r2 = qnt.fake_quant %t2 as !i16_bf16_block : tensor<4x16xbf16>
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
