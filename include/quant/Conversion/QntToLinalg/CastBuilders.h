//===- CastBuilders.h - Scalar bodies of quantize and dequantize -*- C++
//-*-===//
//
// The per-element arithmetic of docs/semantics.md as IR builders, shared by
// convert-qnt-to-linalg (parameters from types) and the ONNX importer
// (parameters as run-time operands).
//
//===----------------------------------------------------------------------===//

#ifndef QUANT_CONVERSION_QNTTOLINALG_CASTBUILDERS_H
#define QUANT_CONVERSION_QNTTOLINALG_CASTBUILDERS_H

#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/Builders.h"
#include "quant/Dialect/Qnt/IR/QntDialect.h"

namespace mlir::qnt {

/// The arithmetic types of one cast: the expressed type, the type divisions
/// and products run in (f64 for f64, f32 otherwise), the type of the
/// zero-point add and clamp (f64 for storage wider than 16 bits, where f32
/// cannot hold every storage value), and the integer type of zero points.
struct CastTypes {
  FloatType expressed, compute, clamp;
  IntegerType storage, wide;
  bool isSigned;

  explicit CastTypes(quant::QuantizedType type, MLIRContext *ctx) {
    expressed = cast<FloatType>(type.getExpressedType());
    FloatType f32 = Float32Type::get(ctx), f64 = Float64Type::get(ctx);
    compute = expressed.isF64() ? f64 : f32;
    unsigned width = type.getStorageTypeIntegralWidth();
    clamp = width > 16 ? f64 : compute;
    storage = IntegerType::get(ctx, width);
    wide = IntegerType::get(ctx, width > 16 ? 64 : 32);
    isSigned = type.isSigned();
  }
};

/// The scale and zero point of one element: the scale in the compute type,
/// the zero point in the wide integer type.
struct ElementParamsValues {
  Value scale, zeroPoint;
};

/// q = x is NaN ? zp : clamp(round(x / s) + zp, qmin, qmax) in the storage
/// type of `type` (only its storage and expressed types are used).
Value buildQuantize(OpBuilder &b, Location loc, Value x,
                    ElementParamsValues params, quant::QuantizedType type,
                    const CastTypes &types, RoundingMode mode);

/// x = E((q - zp) * s) in the expressed type.
Value buildDequantize(OpBuilder &b, Location loc, Value q,
                      ElementParamsValues params, const CastTypes &types);

} // namespace mlir::qnt

#endif // QUANT_CONVERSION_QNTTOLINALG_CASTBUILDERS_H
