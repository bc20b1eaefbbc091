//===- Passes.td - quant conversion passes -----------------*- tablegen -*-===//
//
// Conversions out of the `qnt` dialect towards executable code.
//
//===----------------------------------------------------------------------===//

#ifndef QUANT_CONVERSION_PASSES_TD
#define QUANT_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertQntToLinalgPass : Pass<"convert-qnt-to-linalg", "ModuleOp"> {
  let summary = "Lowers qnt casts to linalg.generic on storage integers.";
  let description = [{
    Rewrites `qnt.quantize`, `qnt.dequantize` and `qnt.fake_quant` into
    elementwise `linalg.generic` ops with the exact arithmetic of
    `docs/semantics.md` (division in the compute type, `math.roundeven` or
    `math.round`, exact zero-point add, saturation, NaN to the zero point).
    Tensors of `!quant.uniform` become tensors of their signless storage
    type everywhere, function signatures included; `quant.scast` disappears.
    Per-axis and sub-channel parameters become constant tensors read through
    indexing maps (`d1`, `d0 floordiv 32`).

    Upstream `--lower-quant-ops` truncates instead of rounding and does not
    saturate full-range storage, so it is not used.

    ```mlir
    // Before
    %q = qnt.quantize %x : tensor<4xf32> -> tensor<4x!quant.uniform<i8:f32, 0.5>>
    // After
    %e = tensor.empty() : tensor<4xi8>
    %q = linalg.generic {...} ins(%x : tensor<4xf32>) outs(%e : tensor<4xi8>) {
      // divf, roundeven, addf zp, maximumf/minimumf, NaN select, fptosi, trunci
    }
    ```
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect",
                           "::mlir::arith::ArithDialect",
                           "::mlir::math::MathDialect",
                           "::mlir::tensor::TensorDialect"];
}

#endif // QUANT_CONVERSION_PASSES_TD
