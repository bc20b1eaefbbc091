//===- QntBase.td - qnt dialect definition -----------------*- tablegen -*-===//
//
// The `qnt` dialect: fake-quant, quantize/dequantize and observer ops on top
// of the upstream `!quant.uniform` element types.
//
//===----------------------------------------------------------------------===//

#ifndef QUANT_DIALECT_QNT_IR_QNTBASE_TD
#define QUANT_DIALECT_QNT_IR_QNTBASE_TD

include "mlir/IR/OpBase.td"

def Qnt_Dialect : Dialect {
  let name = "qnt";
  let cppNamespace = "::mlir::qnt";
  let summary = "Quantization simulation, casts and calibration observers.";
  let description = [{
    The `qnt` dialect holds what a quantization compiler needs beyond the
    upstream `quant` dialect's element types: quantize/dequantize casts with an
    explicit rounding mode, QAT fake quantization, and calibration observers.
    Element types are always upstream `!quant.uniform` (per tensor, per axis
    or sub-channel/block), so `qnt` IR interoperates with other MLIR
    compilers. The arithmetic is stated exactly in `docs/semantics.md`.
  }];
  let dependentDialects = ["::mlir::quant::QuantDialect",
                           "::mlir::arith::ArithDialect"];
  let useDefaultAttributePrinterParser = 1;
  let hasConstantMaterializer = 1;
}

class Qnt_Op<string mnemonic, list<Trait> traits = []>
    : Op<Qnt_Dialect, mnemonic, traits>;

#endif // QUANT_DIALECT_QNT_IR_QNTBASE_TD
