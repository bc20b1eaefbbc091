// Sub-byte storage (i4, u4, i2, u2, narrow i4<-7:7> and u4<1:15>) through
// quant-run's JIT pipeline, bit for bit against the independent NumPy
// reference Inputs/qref.py (docs/semantics.md): qnt.quantize,
// qnt.dequantize and qnt.fake_quant, per tensor (f32, f16, f64), per axis and
// in sub-channel blocks, both rounding modes. quant-run passes sub-byte
// values one per byte: i4/i2 as int8 in [-8, 7] / [-2, 1], u4/u2 as uint8 in
// [0, 15] / [0, 3].
//
// Each `CASE:` line names a function argument and result; see quantize.mlir.

// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/Inputs/qref.py gen-cases %s %t
// RUN: quant-run %s --function=quantize_subbyte --inputs=%t/quantize_subbyte.in.npz --output=%t/quantize_subbyte.out.npz \
// RUN:   | FileCheck %s --check-prefix=JIT-QUANTIZE_SUBBYTE
// RUN: quant-run %s --function=dequantize_subbyte --inputs=%t/dequantize_subbyte.in.npz --output=%t/dequantize_subbyte.out.npz \
// RUN:   | FileCheck %s --check-prefix=JIT-DEQUANTIZE_SUBBYTE
// RUN: quant-run %s --function=fake_quant_subbyte --inputs=%t/fake_quant_subbyte.in.npz --output=%t/fake_quant_subbyte.out.npz \
// RUN:   | FileCheck %s --check-prefix=JIT-FAKE_QUANT_SUBBYTE
// RUN: %python %S/Inputs/qref.py check-cases %s %t | FileCheck %s --check-prefix=REF

#id1 = affine_map<(d0) -> (d0)>
#id2 = affine_map<(d0, d1) -> (d0, d1)>
#id3 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>

// qnt.quantize to sub-byte storage.
// CASE: fn=quantize_subbyte arg=0 res=0 name=q_i4 op=quantize shape=16x16 seed=1 type=!quant.uniform<i4:f32, 0.25:-1>
// REF: OK q_i4 256 elements
// CASE: fn=quantize_subbyte arg=0 res=1 name=q_i4_away op=quantize shape=16x16 rounding=half_away_from_zero type=!quant.uniform<i4:f32, 0.25:-1>
// REF: OK q_i4_away 256 elements
// CASE: fn=quantize_subbyte arg=1 res=2 name=q_u4 op=quantize shape=16x16 seed=2 type=!quant.uniform<u4:f32, 0.1:8>
// REF: OK q_u4 256 elements
// CASE: fn=quantize_subbyte arg=1 res=3 name=q_u4_away op=quantize shape=16x16 rounding=half_away_from_zero type=!quant.uniform<u4:f32, 0.1:8>
// REF: OK q_u4_away 256 elements
// CASE: fn=quantize_subbyte arg=2 res=4 name=q_i2 op=quantize shape=256 seed=3 type=!quant.uniform<i2:f32, 1.0:-2>
// REF: OK q_i2 256 elements
// CASE: fn=quantize_subbyte arg=3 res=5 name=q_u2_away op=quantize shape=256 seed=4 rounding=half_away_from_zero type=!quant.uniform<u2:f32, 0.5:1>
// REF: OK q_u2_away 256 elements
// CASE: fn=quantize_subbyte arg=4 res=6 name=q_i4_narrow op=quantize shape=256 seed=5 type=!quant.uniform<i4<-7:7>:f32, 0.3>
// REF: OK q_i4_narrow 256 elements
// CASE: fn=quantize_subbyte arg=5 res=7 name=q_u4_narrow op=quantize shape=256 seed=6 type=!quant.uniform<u4<1:15>:f32, 0.3:8>
// REF: OK q_u4_narrow 256 elements
// CASE: fn=quantize_subbyte arg=6 res=8 name=q_i4_f16_away op=quantize shape=256 seed=7 rounding=half_away_from_zero type=!quant.uniform<i4:f16, 0.1:3>
// REF: OK q_i4_f16_away 256 elements
// CASE: fn=quantize_subbyte arg=7 res=9 name=q_u4_f64 op=quantize shape=256 seed=8 type=!quant.uniform<u4:f64, 0.7:15>
// REF: OK q_u4_f64 256 elements
// CASE: fn=quantize_subbyte arg=8 res=10 name=q_i4_axis1 op=quantize shape=32x4 seed=9 type=!quant.uniform<i4:f32:1, {0.1:-8, 0.2, 0.3:7, 0.05:1}>
// REF: OK q_i4_axis1 128 elements
// int4 weights with blocks of 32 along the last dimension.
// CASE: fn=quantize_subbyte arg=9 res=11 name=q_i4_block op=quantize shape=2x64 seed=10 type=!quant.uniform<i4:f32:{0:1,1:32}, {{0.01, 0.02:-1}, {0.5:3, 0.125:-8}}>
// REF: OK q_i4_block 128 elements
// CASE: fn=quantize_subbyte arg=10 res=12 name=q_u4_block2d_away op=quantize shape=4x8 seed=11 rounding=half_away_from_zero type=!quant.uniform<u4:f32:{0:2,1:4}, {{0.1:8, 0.2:0}, {0.3:15, 0.4:3}}>
// REF: OK q_u4_block2d_away 32 elements
// JIT-QUANTIZE_SUBBYTE: output_0: int8[16x16]
// JIT-QUANTIZE_SUBBYTE-NEXT: output_1: int8[16x16]
// JIT-QUANTIZE_SUBBYTE-NEXT: output_2: uint8[16x16]
// JIT-QUANTIZE_SUBBYTE-NEXT: output_3: uint8[16x16]
// JIT-QUANTIZE_SUBBYTE-NEXT: output_4: int8[256]
// JIT-QUANTIZE_SUBBYTE-NEXT: output_5: uint8[256]
// JIT-QUANTIZE_SUBBYTE-NEXT: output_6: int8[256]
// JIT-QUANTIZE_SUBBYTE-NEXT: output_7: uint8[256]
// JIT-QUANTIZE_SUBBYTE-NEXT: output_8: int8[256]
// JIT-QUANTIZE_SUBBYTE-NEXT: output_9: uint8[256]
// JIT-QUANTIZE_SUBBYTE-NEXT: output_10: int8[32x4]
// JIT-QUANTIZE_SUBBYTE-NEXT: output_11: int8[2x64]
// JIT-QUANTIZE_SUBBYTE-NEXT: output_12: uint8[4x8]
!q_i4 = !quant.uniform<i4:f32, 0.25:-1>
!q_i4_away = !quant.uniform<i4:f32, 0.25:-1>
!q_u4 = !quant.uniform<u4:f32, 0.1:8>
!q_u4_away = !quant.uniform<u4:f32, 0.1:8>
!q_i2 = !quant.uniform<i2:f32, 1.0:-2>
!q_u2_away = !quant.uniform<u2:f32, 0.5:1>
!q_i4_narrow = !quant.uniform<i4<-7:7>:f32, 0.3>
!q_u4_narrow = !quant.uniform<u4<1:15>:f32, 0.3:8>
!q_i4_f16_away = !quant.uniform<i4:f16, 0.1:3>
!q_u4_f64 = !quant.uniform<u4:f64, 0.7:15>
!q_i4_axis1 = !quant.uniform<i4:f32:1, {0.1:-8, 0.2, 0.3:7, 0.05:1}>
!q_i4_block = !quant.uniform<i4:f32:{0:1,1:32}, {{0.01, 0.02:-1}, {0.5:3, 0.125:-8}}>
!q_u4_block2d_away = !quant.uniform<u4:f32:{0:2,1:4}, {{0.1:8, 0.2:0}, {0.3:15, 0.4:3}}>
func.func @quantize_subbyte(%arg0: tensor<16x16xf32>, %arg1: tensor<16x16xf32>, %arg2: tensor<256xf32>, %arg3: tensor<256xf32>, %arg4: tensor<256xf32>, %arg5: tensor<256xf32>, %arg6: tensor<256xf16>, %arg7: tensor<256xf64>, %arg8: tensor<32x4xf32>, %arg9: tensor<2x64xf32>, %arg10: tensor<4x8xf32>)
    -> (tensor<16x16x!q_i4>, tensor<16x16x!q_i4_away>, tensor<16x16x!q_u4>, tensor<16x16x!q_u4_away>, tensor<256x!q_i2>, tensor<256x!q_u2_away>, tensor<256x!q_i4_narrow>, tensor<256x!q_u4_narrow>, tensor<256x!q_i4_f16_away>, tensor<256x!q_u4_f64>, tensor<32x4x!q_i4_axis1>, tensor<2x64x!q_i4_block>, tensor<4x8x!q_u4_block2d_away>) {
  %r0 = qnt.quantize %arg0 : tensor<16x16xf32> -> tensor<16x16x!q_i4>
  %r1 = qnt.quantize %arg0 {rounding = #qnt.rounding<half_away_from_zero>} : tensor<16x16xf32> -> tensor<16x16x!q_i4_away>
  %r2 = qnt.quantize %arg1 : tensor<16x16xf32> -> tensor<16x16x!q_u4>
  %r3 = qnt.quantize %arg1 {rounding = #qnt.rounding<half_away_from_zero>} : tensor<16x16xf32> -> tensor<16x16x!q_u4_away>
  %r4 = qnt.quantize %arg2 : tensor<256xf32> -> tensor<256x!q_i2>
  %r5 = qnt.quantize %arg3 {rounding = #qnt.rounding<half_away_from_zero>} : tensor<256xf32> -> tensor<256x!q_u2_away>
  %r6 = qnt.quantize %arg4 : tensor<256xf32> -> tensor<256x!q_i4_narrow>
  %r7 = qnt.quantize %arg5 : tensor<256xf32> -> tensor<256x!q_u4_narrow>
  %r8 = qnt.quantize %arg6 {rounding = #qnt.rounding<half_away_from_zero>} : tensor<256xf16> -> tensor<256x!q_i4_f16_away>
  %r9 = qnt.quantize %arg7 : tensor<256xf64> -> tensor<256x!q_u4_f64>
  %r10 = qnt.quantize %arg8 : tensor<32x4xf32> -> tensor<32x4x!q_i4_axis1>
  %r11 = qnt.quantize %arg9 : tensor<2x64xf32> -> tensor<2x64x!q_i4_block>
  %r12 = qnt.quantize %arg10 {rounding = #qnt.rounding<half_away_from_zero>} : tensor<4x8xf32> -> tensor<4x8x!q_u4_block2d_away>
  return %r0, %r1, %r2, %r3, %r4, %r5, %r6, %r7, %r8, %r9, %r10, %r11, %r12
      : tensor<16x16x!q_i4>, tensor<16x16x!q_i4_away>, tensor<16x16x!q_u4>, tensor<16x16x!q_u4_away>, tensor<256x!q_i2>, tensor<256x!q_u2_away>, tensor<256x!q_i4_narrow>, tensor<256x!q_u4_narrow>, tensor<256x!q_i4_f16_away>, tensor<256x!q_u4_f64>, tensor<32x4x!q_i4_axis1>, tensor<2x64x!q_i4_block>, tensor<4x8x!q_u4_block2d_away>
}

// qnt.dequantize from sub-byte storage.
// CASE: fn=dequantize_subbyte arg=0 res=0 name=d_i4 op=dequantize shape=16x16 seed=21 type=!quant.uniform<i4:f32, 0.25:-1>
// REF: OK d_i4 256 elements
// CASE: fn=dequantize_subbyte arg=1 res=1 name=d_u4 op=dequantize shape=16x16 seed=22 type=!quant.uniform<u4:f32, 0.1:8>
// REF: OK d_u4 256 elements
// CASE: fn=dequantize_subbyte arg=2 res=2 name=d_i2 op=dequantize shape=64 seed=23 type=!quant.uniform<i2:f32, 1.0:-2>
// REF: OK d_i2 64 elements
// CASE: fn=dequantize_subbyte arg=3 res=3 name=d_u2 op=dequantize shape=64 seed=24 type=!quant.uniform<u2:f32, 0.5:1>
// REF: OK d_u2 64 elements
// CASE: fn=dequantize_subbyte arg=4 res=4 name=d_i4_narrow op=dequantize shape=64 seed=25 type=!quant.uniform<i4<-7:7>:f32, 0.3>
// REF: OK d_i4_narrow 64 elements
// CASE: fn=dequantize_subbyte arg=5 res=5 name=d_u4_narrow op=dequantize shape=64 seed=26 type=!quant.uniform<u4<1:15>:f32, 0.3:8>
// REF: OK d_u4_narrow 64 elements
// CASE: fn=dequantize_subbyte arg=6 res=6 name=d_i4_f16 op=dequantize shape=64 seed=27 type=!quant.uniform<i4:f16, 0.1:3>
// REF: OK d_i4_f16 64 elements
// CASE: fn=dequantize_subbyte arg=7 res=7 name=d_u4_f64 op=dequantize shape=64 seed=28 type=!quant.uniform<u4:f64, 0.7:15>
// REF: OK d_u4_f64 64 elements
// CASE: fn=dequantize_subbyte arg=8 res=8 name=d_i4_axis0 op=dequantize shape=4x32 seed=29 type=!quant.uniform<i4:f32:0, {0.1:-8, 0.2, 0.3:7, 0.05:1}>
// REF: OK d_i4_axis0 128 elements
// CASE: fn=dequantize_subbyte arg=9 res=9 name=d_i4_block op=dequantize shape=2x64 seed=30 type=!quant.uniform<i4:f32:{0:1,1:32}, {{0.01, 0.02:-1}, {0.5:3, 0.125:-8}}>
// REF: OK d_i4_block 128 elements
// CASE: fn=dequantize_subbyte arg=10 res=10 name=d_u4_block2d op=dequantize shape=4x8 seed=31 type=!quant.uniform<u4:f32:{0:2,1:4}, {{0.1:8, 0.2:0}, {0.3:15, 0.4:3}}>
// REF: OK d_u4_block2d 32 elements
// JIT-DEQUANTIZE_SUBBYTE: output_0: float32[16x16]
// JIT-DEQUANTIZE_SUBBYTE-NEXT: output_1: float32[16x16]
// JIT-DEQUANTIZE_SUBBYTE-NEXT: output_2: float32[64]
// JIT-DEQUANTIZE_SUBBYTE-NEXT: output_3: float32[64]
// JIT-DEQUANTIZE_SUBBYTE-NEXT: output_4: float32[64]
// JIT-DEQUANTIZE_SUBBYTE-NEXT: output_5: float32[64]
// JIT-DEQUANTIZE_SUBBYTE-NEXT: output_6: float16[64]
// JIT-DEQUANTIZE_SUBBYTE-NEXT: output_7: float64[64]
// JIT-DEQUANTIZE_SUBBYTE-NEXT: output_8: float32[4x32]
// JIT-DEQUANTIZE_SUBBYTE-NEXT: output_9: float32[2x64]
// JIT-DEQUANTIZE_SUBBYTE-NEXT: output_10: float32[4x8]
!d_i4 = !quant.uniform<i4:f32, 0.25:-1>
!d_u4 = !quant.uniform<u4:f32, 0.1:8>
!d_i2 = !quant.uniform<i2:f32, 1.0:-2>
!d_u2 = !quant.uniform<u2:f32, 0.5:1>
!d_i4_narrow = !quant.uniform<i4<-7:7>:f32, 0.3>
!d_u4_narrow = !quant.uniform<u4<1:15>:f32, 0.3:8>
!d_i4_f16 = !quant.uniform<i4:f16, 0.1:3>
!d_u4_f64 = !quant.uniform<u4:f64, 0.7:15>
!d_i4_axis0 = !quant.uniform<i4:f32:0, {0.1:-8, 0.2, 0.3:7, 0.05:1}>
!d_i4_block = !quant.uniform<i4:f32:{0:1,1:32}, {{0.01, 0.02:-1}, {0.5:3, 0.125:-8}}>
!d_u4_block2d = !quant.uniform<u4:f32:{0:2,1:4}, {{0.1:8, 0.2:0}, {0.3:15, 0.4:3}}>
func.func @dequantize_subbyte(%arg0: tensor<16x16x!d_i4>, %arg1: tensor<16x16x!d_u4>, %arg2: tensor<64x!d_i2>, %arg3: tensor<64x!d_u2>, %arg4: tensor<64x!d_i4_narrow>, %arg5: tensor<64x!d_u4_narrow>, %arg6: tensor<64x!d_i4_f16>, %arg7: tensor<64x!d_u4_f64>, %arg8: tensor<4x32x!d_i4_axis0>, %arg9: tensor<2x64x!d_i4_block>, %arg10: tensor<4x8x!d_u4_block2d>)
    -> (tensor<16x16xf32>, tensor<16x16xf32>, tensor<64xf32>, tensor<64xf32>, tensor<64xf32>, tensor<64xf32>, tensor<64xf16>, tensor<64xf64>, tensor<4x32xf32>, tensor<2x64xf32>, tensor<4x8xf32>) {
  %r0 = qnt.dequantize %arg0 : tensor<16x16x!d_i4> -> tensor<16x16xf32>
  %r1 = qnt.dequantize %arg1 : tensor<16x16x!d_u4> -> tensor<16x16xf32>
  %r2 = qnt.dequantize %arg2 : tensor<64x!d_i2> -> tensor<64xf32>
  %r3 = qnt.dequantize %arg3 : tensor<64x!d_u2> -> tensor<64xf32>
  %r4 = qnt.dequantize %arg4 : tensor<64x!d_i4_narrow> -> tensor<64xf32>
  %r5 = qnt.dequantize %arg5 : tensor<64x!d_u4_narrow> -> tensor<64xf32>
  %r6 = qnt.dequantize %arg6 : tensor<64x!d_i4_f16> -> tensor<64xf16>
  %r7 = qnt.dequantize %arg7 : tensor<64x!d_u4_f64> -> tensor<64xf64>
  %r8 = qnt.dequantize %arg8 : tensor<4x32x!d_i4_axis0> -> tensor<4x32xf32>
  %r9 = qnt.dequantize %arg9 : tensor<2x64x!d_i4_block> -> tensor<2x64xf32>
  %r10 = qnt.dequantize %arg10 : tensor<4x8x!d_u4_block2d> -> tensor<4x8xf32>
  return %r0, %r1, %r2, %r3, %r4, %r5, %r6, %r7, %r8, %r9, %r10
      : tensor<16x16xf32>, tensor<16x16xf32>, tensor<64xf32>, tensor<64xf32>, tensor<64xf32>, tensor<64xf32>, tensor<64xf16>, tensor<64xf64>, tensor<4x32xf32>, tensor<2x64xf32>, tensor<4x8xf32>
}

// qnt.fake_quant with sub-byte storage.
// CASE: fn=fake_quant_subbyte arg=0 res=0 name=f_i4 op=fake_quant shape=16x16 seed=41 type=!quant.uniform<i4:f32, 0.25:-1>
// REF: OK f_i4 256 elements
// CASE: fn=fake_quant_subbyte arg=0 res=1 name=f_i4_away op=fake_quant shape=16x16 rounding=half_away_from_zero type=!quant.uniform<i4:f32, 0.25:-1>
// REF: OK f_i4_away 256 elements
// CASE: fn=fake_quant_subbyte arg=1 res=2 name=f_u4 op=fake_quant shape=16x16 seed=42 type=!quant.uniform<u4:f32, 0.1:8>
// REF: OK f_u4 256 elements
// CASE: fn=fake_quant_subbyte arg=2 res=3 name=f_i2_away op=fake_quant shape=256 seed=43 rounding=half_away_from_zero type=!quant.uniform<i2:f32, 1.0:-2>
// REF: OK f_i2_away 256 elements
// CASE: fn=fake_quant_subbyte arg=3 res=4 name=f_u2 op=fake_quant shape=256 seed=44 type=!quant.uniform<u2:f32, 0.5:1>
// REF: OK f_u2 256 elements
// CASE: fn=fake_quant_subbyte arg=4 res=5 name=f_i4_narrow op=fake_quant shape=256 seed=45 type=!quant.uniform<i4<-7:7>:f32, 0.3>
// REF: OK f_i4_narrow 256 elements
// CASE: fn=fake_quant_subbyte arg=5 res=6 name=f_i4_f16 op=fake_quant shape=256 seed=46 type=!quant.uniform<i4:f16, 0.1:3>
// REF: OK f_i4_f16 256 elements
// CASE: fn=fake_quant_subbyte arg=6 res=7 name=f_u4_f64_away op=fake_quant shape=256 seed=47 rounding=half_away_from_zero type=!quant.uniform<u4:f64, 0.7:15>
// REF: OK f_u4_f64_away 256 elements
// CASE: fn=fake_quant_subbyte arg=7 res=8 name=f_i4_axis_last op=fake_quant shape=32x4 seed=48 type=!quant.uniform<i4:f32:1, {0.1:-8, 0.2, 0.3:7, 0.05:1}>
// REF: OK f_i4_axis_last 128 elements
// CASE: fn=fake_quant_subbyte arg=8 res=9 name=f_i4_block op=fake_quant shape=2x64 seed=49 type=!quant.uniform<i4:f32:{0:1,1:32}, {{0.01, 0.02:-1}, {0.5:3, 0.125:-8}}>
// REF: OK f_i4_block 128 elements
// CASE: fn=fake_quant_subbyte arg=9 res=10 name=f_u4_block2d_away op=fake_quant shape=4x8 seed=50 rounding=half_away_from_zero type=!quant.uniform<u4:f32:{0:2,1:4}, {{0.1:8, 0.2:0}, {0.3:15, 0.4:3}}>
// REF: OK f_u4_block2d_away 32 elements
// CASE: fn=fake_quant_subbyte arg=10 res=11 name=f_i4_dyn op=fake_quant shape=5x16 seed=51 type=!quant.uniform<i4:f32, 0.25:-1>
// REF: OK f_i4_dyn 80 elements
// JIT-FAKE_QUANT_SUBBYTE: output_0: float32[16x16]
// JIT-FAKE_QUANT_SUBBYTE-NEXT: output_1: float32[16x16]
// JIT-FAKE_QUANT_SUBBYTE-NEXT: output_2: float32[16x16]
// JIT-FAKE_QUANT_SUBBYTE-NEXT: output_3: float32[256]
// JIT-FAKE_QUANT_SUBBYTE-NEXT: output_4: float32[256]
// JIT-FAKE_QUANT_SUBBYTE-NEXT: output_5: float32[256]
// JIT-FAKE_QUANT_SUBBYTE-NEXT: output_6: float16[256]
// JIT-FAKE_QUANT_SUBBYTE-NEXT: output_7: float64[256]
// JIT-FAKE_QUANT_SUBBYTE-NEXT: output_8: float32[32x4]
// JIT-FAKE_QUANT_SUBBYTE-NEXT: output_9: float32[2x64]
// JIT-FAKE_QUANT_SUBBYTE-NEXT: output_10: float32[4x8]
// JIT-FAKE_QUANT_SUBBYTE-NEXT: output_11: float32[5x16]
!f_i4 = !quant.uniform<i4:f32, 0.25:-1>
!f_i4_away = !quant.uniform<i4:f32, 0.25:-1>
!f_u4 = !quant.uniform<u4:f32, 0.1:8>
!f_i2_away = !quant.uniform<i2:f32, 1.0:-2>
!f_u2 = !quant.uniform<u2:f32, 0.5:1>
!f_i4_narrow = !quant.uniform<i4<-7:7>:f32, 0.3>
!f_i4_f16 = !quant.uniform<i4:f16, 0.1:3>
!f_u4_f64_away = !quant.uniform<u4:f64, 0.7:15>
!f_i4_axis_last = !quant.uniform<i4:f32:1, {0.1:-8, 0.2, 0.3:7, 0.05:1}>
!f_i4_block = !quant.uniform<i4:f32:{0:1,1:32}, {{0.01, 0.02:-1}, {0.5:3, 0.125:-8}}>
!f_u4_block2d_away = !quant.uniform<u4:f32:{0:2,1:4}, {{0.1:8, 0.2:0}, {0.3:15, 0.4:3}}>
!f_i4_dyn = !quant.uniform<i4:f32, 0.25:-1>
func.func @fake_quant_subbyte(%arg0: tensor<16x16xf32>, %arg1: tensor<16x16xf32>, %arg2: tensor<256xf32>, %arg3: tensor<256xf32>, %arg4: tensor<256xf32>, %arg5: tensor<256xf16>, %arg6: tensor<256xf64>, %arg7: tensor<32x4xf32>, %arg8: tensor<2x64xf32>, %arg9: tensor<4x8xf32>, %arg10: tensor<?x16xf32>)
    -> (tensor<16x16xf32>, tensor<16x16xf32>, tensor<16x16xf32>, tensor<256xf32>, tensor<256xf32>, tensor<256xf32>, tensor<256xf16>, tensor<256xf64>, tensor<32x4xf32>, tensor<2x64xf32>, tensor<4x8xf32>, tensor<?x16xf32>) {
  %r0 = qnt.fake_quant %arg0 as !f_i4 : tensor<16x16xf32>
  %r1 = qnt.fake_quant %arg0 as !f_i4_away {rounding = #qnt.rounding<half_away_from_zero>} : tensor<16x16xf32>
  %r2 = qnt.fake_quant %arg1 as !f_u4 : tensor<16x16xf32>
  %r3 = qnt.fake_quant %arg2 as !f_i2_away {rounding = #qnt.rounding<half_away_from_zero>} : tensor<256xf32>
  %r4 = qnt.fake_quant %arg3 as !f_u2 : tensor<256xf32>
  %r5 = qnt.fake_quant %arg4 as !f_i4_narrow : tensor<256xf32>
  %r6 = qnt.fake_quant %arg5 as !f_i4_f16 : tensor<256xf16>
  %r7 = qnt.fake_quant %arg6 as !f_u4_f64_away {rounding = #qnt.rounding<half_away_from_zero>} : tensor<256xf64>
  %r8 = qnt.fake_quant %arg7 as !f_i4_axis_last : tensor<32x4xf32>
  %r9 = qnt.fake_quant %arg8 as !f_i4_block : tensor<2x64xf32>
  %r10 = qnt.fake_quant %arg9 as !f_u4_block2d_away {rounding = #qnt.rounding<half_away_from_zero>} : tensor<4x8xf32>
  %r11 = qnt.fake_quant %arg10 as !f_i4_dyn : tensor<?x16xf32>
  return %r0, %r1, %r2, %r3, %r4, %r5, %r6, %r7, %r8, %r9, %r10, %r11
      : tensor<16x16xf32>, tensor<16x16xf32>, tensor<16x16xf32>, tensor<256xf32>, tensor<256xf32>, tensor<256xf32>, tensor<256xf16>, tensor<256xf64>, tensor<32x4xf32>, tensor<2x64xf32>, tensor<4x8xf32>, tensor<?x16xf32>
}
