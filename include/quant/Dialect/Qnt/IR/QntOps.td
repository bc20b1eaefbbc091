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

    Verifier rules:
    - qnt_c8: the input is a float tensor.
    - qnt_c9: `id` is not empty and unique among the observers of the
      enclosing module.
    - qnt_c10: statistics are finite, `min <= avg_min <= avg_max <= max` and
      `count >= 0`; a histogram has `hist_min < hist_max` and non-negative
      bins; a `histogram` observer's statistics include a histogram.

    ```mlir
    %y = qnt.observe %x {id = "conv1.out", kind = #qnt.observer<histogram>} : tensor<1x8xf32>
    ```
  }];
  let arguments = (ins AnyTensor:$input, StrAttr:$id,
                       Qnt_ObserverKindAttr:$kind,
                       OptionalAttr<Qnt_ObserverStatsAttr>:$stats);
  let results = (outs AnyTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
  let hasVerifier = 1;
}

#endif // QUANT_DIALECT_QNT_IR_QNTOPS_TD
