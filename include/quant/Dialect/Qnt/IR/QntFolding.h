//===- QntFolding.h - Constant evaluation of qnt ops ------------*- C++ -*-===//
//
// Bit-exact evaluation of quantize, dequantize and fake_quant on dense
// constants, following QuantMath. Used by the folders and canonicalization
// patterns of the dialect.
//
//===----------------------------------------------------------------------===//

#ifndef QUANT_DIALECT_QNT_IR_QNTFOLDING_H
#define QUANT_DIALECT_QNT_IR_QNTFOLDING_H

#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "quant/Dialect/Qnt/IR/QntDialect.h"
#include "quant/Support/QuantMath.h"

namespace mlir::qnt {

/// QuantMath's rounding for the dialect's rounding attribute.
qmath::Rounding toQuantMathRounding(RoundingMode mode);

/// Quantizes float constant `values` to a constant of the storage type
/// (`tensor<...xiN>`, signless). Null if the shape is not static.
DenseElementsAttr quantizeConstant(DenseElementsAttr values,
                                   quant::QuantizedType type,
                                   RoundingMode mode);

/// Dequantizes storage constant `storage` to a float constant of `type`'s
/// expressed type.
DenseElementsAttr dequantizeConstant(DenseElementsAttr storage,
                                     quant::QuantizedType type);

/// Fake-quantizes float constant `values`.
DenseElementsAttr fakeQuantizeConstant(DenseElementsAttr values,
                                       quant::QuantizedType type,
                                       RoundingMode mode);

/// True when quantize(dequantize(q)) == q for every storage value q, in the
/// precision of `type`'s expressed type (so that QDQ pairs may fold).
bool isDequantizeExact(quant::QuantizedType type);

class QuantizeOp;
class FakeQuantOp;

/// `q` for quantize(dequantize(q)) when the round trip is exact; else null.
Value getExactRoundTripSource(QuantizeOp op);

/// `x` for fake_quant(fake_quant(x)) with equal parameters when fake
/// quantization is idempotent for them; else null.
Value getIdempotentSource(FakeQuantOp op);

} // namespace mlir::qnt

#endif // QUANT_DIALECT_QNT_IR_QNTFOLDING_H
