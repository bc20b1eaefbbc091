//===- QntOps.td - qnt operations --------------------------*- tablegen -*-===//
//
// Operations of the `qnt` dialect: the quantize/dequantize casts, QAT fake
// quantization and calibration observers. Verifier rule IDs (`qnt_cN`) are
// reused by the error text and by test/Dialect/Qnt/invalid.mlir.
//
//===----------------------------------------------------------------------===//

#ifndef QUANT_DIALECT_QNT_IR_QNTOPS_TD
#define QUANT_DIALECT_QNT_IR_QNTOPS_TD

include "quant/Dialect/Qnt/IR/QntBase.td"
include "quant/Dialect/Qnt/IR/QntAttrs.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/IR/BuiltinAttributeInterfaces.td"

//===----------------------------------------------------------------------===//
// Casts
//===----------------------------------------------------------------------===//

def Qnt_QuantizeOp : Qnt_Op<"quantize", [Pure]> {
  let summary = "Quantizes a float tensor to a `!quant.uniform` tensor.";
  let description = [{
    Per element, with scale `s` and zero point `zp` taken from the result's
    element type (per tensor, per axis or per block):

    ```
    q = x is NaN ? zp : clamp(round(x / s) + zp, storage_min, storage_max)
    ```

    `x / s` is computed in the expressed type (f32 for f16/bf16) and
    `round` follows `rounding` (default `half_to_even`; `half_away_from_zero`
    matches TFLite-style graphs). See `docs/semantics.md`.

    Verifier rules (shared with `qnt.dequantize` and `qnt.fake_quant`):
    - qnt_c1: the element type is `!quant.uniform` (per tensor, per axis or
      sub-channel) with a 2 to 32 bit storage type.
    - qnt_c2: every scale is positive, finite and a normal number of the
      expressed type.
    - qnt_c3: every zero point lies inside the storage range.
    - qnt_c4: per-axis: the axis is inside the rank and the number of scales
      equals the dimension's size.
    - qnt_c5: sub-channel: every quantized dimension is inside the rank, its
      block size divides the dimension and the scale tensor has one entry per
      block.
    - qnt_c6: the float element type equals the expressed type and the two
      shapes are equal.

    ```mlir
    %q = qnt.quantize %x : tensor<4xf32> -> tensor<4x!quant.uniform<i8:f32, 0.5:-1>>
    ```
  }];
  let arguments = (ins AnyTensor:$input,
                       OptionalAttr<Qnt_RoundingModeAttr>:$rounding);
  let results = (outs AnyTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
  let hasFolder = 1;
  let hasCanonicalizer = 1;
  let extraClassDeclaration = [{
    /// The rounding mode, defaulting to half to even.
    ::mlir::qnt::RoundingMode getRoundingMode() {
      return getRounding().value_or(::mlir::qnt::RoundingMode::HalfToEven);
    }
  }];
}

def Qnt_DequantizeOp : Qnt_Op<"dequantize", [Pure]> {
  let summary = "Dequantizes a `!quant.uniform` tensor to floats.";
  let description = [{
    Per element: `x = (q - zp) * s`, computed in the expressed type (f32 for
    f16/bf16, then rounded to the expressed type). Verifier rules qnt_c1 to
    qnt_c6 of `qnt.quantize` apply.

    ```mlir
    %x = qnt.dequantize %q : tensor<4x!quant.uniform<i8:f32, 0.5:-1>> -> tensor<4xf32>
    ```
  }];
  let arguments = (ins AnyTensor:$input);
  let results = (outs AnyTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
  let hasCanonicalizer = 1;
}

//===----------------------------------------------------------------------===//
// Simulation
//===----------------------------------------------------------------------===//

def Qnt_FakeQuantOp : Qnt_Op<"fake_quant",
    [Pure, AllTypesMatch<["input", "result"]>]> {
  let summary = "Quantizes and dequantizes floats in one step (QAT).";
  let description = [{
    `y = dequantize(quantize(x))` with the parameters of `quant_type`, a
    `!quant.uniform` element type: its storage type gives the bit width
    (2 to 16), signedness and narrow range (`i8<-127:127>`), its scales and
    zero points the per-tensor, per-axis or per-block parameters.

    Verifier rules: qnt_c1 to qnt_c6 of `qnt.quantize`, and
    - qnt_c7: the storage type is 2 to 16 bits wide.

    ```mlir
    %y = qnt.fake_quant %x as !quant.uniform<i8<-127:127>:f32:1, {0.1, 0.2}> : tensor<3x2xf32>
    ```
  }];
  let arguments = (ins AnyTensor:$input, TypeAttr:$quant_type,
                       OptionalAttr<Qnt_RoundingModeAttr>:$rounding);
  let results = (outs AnyTensor:$result);
  let assemblyFormat = [{
    $input `as` $quant_type attr-dict `:` type($input)
  }];
  let hasVerifier = 1;
  let hasFolder = 1;
  let extraClassDeclaration = [{
    /// The rounding mode, defaulting to half to even.
    ::mlir::qnt::RoundingMode getRoundingMode() {
      return getRounding().value_or(::mlir::qnt::RoundingMode::HalfToEven);
    }
    /// The quantized tensor type a quantize/dequantize pair would use.
    ::mlir::TensorType getQuantizedTensorType();
  }];
}

//===----------------------------------------------------------------------===//
// Calibration
//===----------------------------------------------------------------------===//

def Qnt_ObserveOp : Qnt_Op<"observe", [AllTypesMatch<["input", "result"]>,
    MemoryEffects<[MemWrite]>]> {
  let summary = "Marks a float value whose range calibration learns.";
  let description = [{
    Returns its input unchanged. When run, it records statistics of the value
    under observer `id`; after calibration `stats` holds them. The write
    effect keeps observers from being removed or merged.

    `storage` is the integer type the value will be quantized to (default
    `ui8`: unsigned 8-bit, the activation default of ONNX Runtime and
    PyTorch); `symmetric` asks for a zero point in the middle of the range.
    `qnt-fold-observers` reads both when it turns statistics into a type.

    Verifier rules:
    - qnt_c8: the input is a float tensor.
    - qnt_c9: `id` is not empty and unique among the observers of the
      enclosing module.
    - qnt_c10: statistics are finite, `min <= avg_min <= avg_max <= max` and
      `count >= 0`; a histogram has `hist_min < hist_max` and non-negative
      bins; a `histogram` observer's statistics include a histogram.
    - qnt_c20: `storage` is a signless or unsigned integer type of 2 to 16
      bits.

    ```mlir
    %y = qnt.observe %x {id = "conv1.out", kind = #qnt.observer<histogram>} : tensor<1x8xf32>
    ```
  }];
  let arguments = (ins AnyTensor:$input, StrAttr:$id,
                       Qnt_ObserverKindAttr:$kind,
                       OptionalAttr<Qnt_ObserverStatsAttr>:$stats,
                       OptionalAttr<TypeAttr>:$storage,
                       UnitAttr:$symmetric);
  let results = (outs AnyTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Integer compute
//===----------------------------------------------------------------------===//

class Qnt_RequantizedOp<string mnemonic, list<Trait> traits = []>
    : Qnt_Op<mnemonic, !listconcat([Pure], traits)> {
  code commonRequantizeDescription = [{
    The epilogue requantizes `acc` (i32, zero points already subtracted,
    plus the bias) to the result type with multiplier `M = s_lhs * s_rhs /
    s_result` (per output channel when the weights are per axis):
    - `requantize = #qnt.requantize<float>` (default): `M = f32(f32(s_lhs *
      s_rhs) / s_result)` from the f32 scales, and `q = clamp(
      round_half_even(f32(acc) * M) + zp_result)`, ONNX Runtime's
      QLinearConv/QLinearMatMul/QGemm arithmetic;
    - `requantize = #qnt.requantize<integer>`: `M` (in double) as a Q31
      multiplier and shift, `q = clamp((acc * m + 2^(shift-1)) >> shift +
      zp_result)` with 64-bit intermediates (TOSA `rescale`, single
      rounding);
    then `clamp_min`/`clamp_max` (storage values; a fused ReLU is
    `clamp_min = zp_result`) narrow the saturation range. A result of type
    i32 instead of `!quant.uniform` returns `acc` unrequantized.
  }];
}

def Qnt_MatmulOp : Qnt_RequantizedOp<"matmul"> {
  let summary = "Quantized (batch) matrix multiplication with requantization.";
  let description = [{
    `acc[b, m, n] = sum_k (lhs[b, m, k] - zp_lhs) * (rhs[b, k, n] - zp_rhs[n])
    + bias[n]` in i32, for rank-2 operands (no `b`) or rank-3 operands with
    equal batch sizes. `lhs` is per tensor; `rhs` is per tensor or per axis on
    its last dimension (output channels).

  }] # commonRequantizeDescription # [{

    Verifier rules:
    - qnt_c11: operands are `!quant.uniform` tensors of at most 16-bit
      storage with one expressed type; `lhs` per tensor, `rhs` per tensor or
      per axis on its last dimension.
    - qnt_c12: ranks are 2 or 3 and equal; K and batch sizes agree; the
      result is `[b,] m, n`.
    - qnt_c13: the bias is a 1-D i32 tensor of size n.
    - qnt_c14: the result is a per-tensor `!quant.uniform` tensor with the
      same expressed type, or an i32 tensor (then no clamp).
    - qnt_c15: `clamp_min <= clamp_max`, both inside the result storage range.
    - qnt_c16: in integer mode every multiplier has a Q31 form.
    - qnt_c17: `K * max|lhs - zp| * max|rhs - zp|` fits in i32 (no wrap).

    ```mlir
    %y = qnt.matmul %a, %w bias %b {clamp_min = -128 : i64} : tensor<4x16x!qa>, tensor<16x8x!qw>, tensor<8xi32> -> tensor<4x8x!qy>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$lhs, AnyRankedTensor:$rhs,
                       Optional<AnyRankedTensor>:$bias,
                       DefaultValuedAttr<Qnt_RequantizeModeAttr,
                           "::mlir::qnt::RequantizeMode::Float">:$requantize,
                       OptionalAttr<I64Attr>:$clamp_min,
                       OptionalAttr<I64Attr>:$clamp_max);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = [{
    $lhs `,` $rhs (`bias` $bias^)? attr-dict `:` type($lhs) `,` type($rhs)
    (`,` type($bias)^)? `->` type($result)
  }];
  let hasVerifier = 1;
}

def Qnt_Conv2DOp : Qnt_RequantizedOp<"conv2d"> {
  let summary = "Quantized 2-D convolution with groups and requantization.";
  let description = [{
    With `layout = #qnt.layout<nchw>` (default, ONNX): input `[N, C, H, W]`,
    filter `[F, C/groups, KH, KW]`, result `[N, F, OH, OW]`; with
    `#qnt.layout<nhwc>`: input `[N, H, W, C]`, filter `[KH, KW, C/groups, F]`,
    result `[N, OH, OW, F]`. Padding is `[top, left, bottom, right]` with the
    input zero point (real 0); `OH = (H + top + bottom - dh*(KH-1) - 1) / sh
    + 1`. Depthwise is `groups = C`.

    `acc[n, f, y, x] = sum_{c, i, j} (in[n, g*C/groups + c, y*sh + i*dh - top,
    x*sw + j*dw - left] - zp_in) * (filter[f, c, i, j] - zp_f[f]) + bias[f]`
    with `g = f / (F/groups)`, in i32. The filter is per tensor or per axis on
    its F dimension.

  }] # commonRequantizeDescription # [{

    Verifier rules: qnt_c11 (input per tensor, filter per tensor or per axis
    on F), qnt_c13 (bias of size F), qnt_c14, qnt_c15, qnt_c16, qnt_c17
    (with K = C/groups * KH * KW), and
    - qnt_c18: rank-4 operands; strides and dilations positive, padding
      non-negative (2, 2 and 4 values); groups divides C and F; filter
      channels equal C/groups; the result shape follows the formula.

    ```mlir
    %y = qnt.conv2d %x, %w bias %b {strides = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>} : tensor<1x3x8x8x!qx>, tensor<16x3x3x3x!qw>, tensor<16xi32> -> tensor<1x16x4x4x!qy>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$input, AnyRankedTensor:$filter,
                       Optional<AnyRankedTensor>:$bias,
                       DefaultValuedAttr<Qnt_ConvLayoutAttr,
                           "::mlir::qnt::ConvLayout::NCHW">:$layout,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$strides,
                       DefaultValuedAttr<DenseI64ArrayAttr,
                           "{0, 0, 0, 0}">:$padding,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$dilations,
                       DefaultValuedAttr<I64Attr, "1">:$groups,
                       DefaultValuedAttr<Qnt_RequantizeModeAttr,
                           "::mlir::qnt::RequantizeMode::Float">:$requantize,
                       OptionalAttr<I64Attr>:$clamp_min,
                       OptionalAttr<I64Attr>:$clamp_max);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = [{
    $input `,` $filter (`bias` $bias^)? attr-dict `:` type($input) `,`
    type($filter) (`,` type($bias)^)? `->` type($result)
  }];
  let hasVerifier = 1;
}

class Qnt_ElementwiseOp<string mnemonic, string formula>
    : Qnt_RequantizedOp<mnemonic> {
  let summary = "Elementwise " # mnemonic # " of quantized tensors.";
  let description = [{
    Per element, with `a' = a - zp_a`, `b' = b - zp_b` in i32:
  }] # formula # [{

    `clamp_min`/`clamp_max` narrow the saturation as for `qnt.matmul`.

    Verifier rules:
    - qnt_c19: operands and result are per-tensor `!quant.uniform` tensors
      of one shape and expressed type, at most 16-bit storage (8-bit in
      integer mode); qnt_c15; qnt_c16.
  }];
  let arguments = (ins AnyRankedTensor:$lhs, AnyRankedTensor:$rhs,
                       DefaultValuedAttr<Qnt_RequantizeModeAttr,
                           "::mlir::qnt::RequantizeMode::Float">:$requantize,
                       OptionalAttr<I64Attr>:$clamp_min,
                       OptionalAttr<I64Attr>:$clamp_max);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` type($lhs) `,` type($rhs) `->` type($result)
  }];
  let hasVerifier = 1;
}

def Qnt_AddOp : Qnt_ElementwiseOp<"add", [{
    - float, ONNX Runtime's QLinearAdd (MLAS) with `lhs` as its `A`: with
      `r_a = f32(s_a / s_y)`, `r_b = f32(s_b / s_y)` and
      `c = f32(zp_y) - fma(r_a, f32(zp_a), f32(r_b * f32(zp_b)))`, on the
      stored values `q = clamp(round_half_even(fma(f32(a), r_a,
      fma(f32(b), r_b, c))))` (each fma rounds once; the zero point takes
      part in the tie);
    - integer (TFLite's reference): with `t = 2 * max(s_a, s_b)`,
      `r = apply(apply(a' << 20, s_a / t) + apply(b' << 20, s_b / t),
      t / (2^20 * s_y))`, `q = clamp(r + zp_y)`, `apply` = TOSA
      `apply_scale_32` on Q31 multipliers.
}]>;

def Qnt_MulOp : Qnt_ElementwiseOp<"mul", [{
    - float, ONNX Runtime's QLinearMul (MLAS): with `M = f32(f32(s_a *
      s_b) / s_y)`, `q = clamp(round_half_even(f32(f32(a' * b') * M) +
      f32(zp_y)))` (the zero point takes part in the tie);
    - integer: `q = clamp(apply(a' * b', s_a * s_b / s_y) + zp_y)`.
}]>;

#endif // QUANT_DIALECT_QNT_IR_QNTOPS_TD
