//===- Passes.td - qnt transformation passes ---------------*- tablegen -*-===//
//
// Passes that rewrite `qnt` IR. Each pass lives in its own .cpp file.
//
//===----------------------------------------------------------------------===//

#ifndef QUANT_DIALECT_QNT_TRANSFORMS_PASSES_TD
#define QUANT_DIALECT_QNT_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def ExpandFakeQuantPass : Pass<"qnt-expand-fake-quant"> {
  let summary = "Expands each qnt.fake_quant into a quantize/dequantize pair.";
  let description = [{
    Passes that fuse or lower QDQ pairs see one form: a fake_quant becomes the
    pair of casts through the tensor type its `quant_type` describes, keeping
    its rounding mode. The result is bit-identical.

    ```mlir
    // Before
    %y = qnt.fake_quant %x as !quant.uniform<i8:f32, 0.5> : tensor<4xf32>
    // After
    %q = qnt.quantize %x : tensor<4xf32> -> tensor<4x!quant.uniform<i8:f32, 0.5>>
    %y = qnt.dequantize %q : tensor<4x!quant.uniform<i8:f32, 0.5>> -> tensor<4xf32>
    ```
  }];
  let dependentDialects = ["::mlir::qnt::QntDialect"];
  let statistics = [
    Statistic<"numExpanded", "num-expanded", "fake_quant ops expanded">
  ];
}

def FoldQdqPairsPass : Pass<"qnt-fold-qdq-pairs"> {
  let summary = "Folds quantize/dequantize round trips and constant casts.";
  let description = [{
    Removes what a graph of QDQ pairs carries redundantly:
    - `quantize(dequantize(q))` with one type is `q` when the round trip is
      exact in the expressed type (always for up to 8-bit storage in f16/f32,
      see `docs/semantics.md`);
    - `dequantize(quantize(x))` becomes one `fake_quant` (storage of at most
      16 bits);
    - with `fold-constants` (default on), quantize and dequantize of dense
      constants become constants, bit-exact with QuantMath.

    ```mlir
    // Before
    %x = qnt.dequantize %q : tensor<4x!quant.uniform<i8:f32, 0.5>> -> tensor<4xf32>
    %r = qnt.quantize %x : tensor<4xf32> -> tensor<4x!quant.uniform<i8:f32, 0.5>>
    // After: uses of %r use %q.
    ```
  }];
  let dependentDialects = ["::mlir::qnt::QntDialect",
                           "::mlir::arith::ArithDialect",
                           "::mlir::quant::QuantDialect"];
  let options = [
    Option<"foldConstants", "fold-constants", "bool", /*default=*/"true",
           "Evaluate quantize/dequantize/fake_quant of dense constants">
  ];
}

#endif // QUANT_DIALECT_QNT_TRANSFORMS_PASSES_TD
