//===- QuantTypeUtils.h - Checks and queries on !quant.uniform --*- C++ -*-===//
//
// What the `qnt` verifiers demand of upstream quantized element types beyond
// upstream's own checks, and per-element access to scales and zero points
// (per tensor, per axis and sub-channel alike) for folders and lowerings.
//
//===----------------------------------------------------------------------===//

#ifndef QUANT_DIALECT_QNT_IR_QUANTTYPEUTILS_H
#define QUANT_DIALECT_QNT_IR_QUANTTYPEUTILS_H

#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "quant/Support/QuantMath.h"

namespace mlir::qnt {

/// Checks `quantType` as the element type of a tensor of type `shaped` (rules
/// qnt_c1 to qnt_c5 of docs and QntOps.td): a uniform quantized type with a
/// storage width in [minBits, maxBits]; positive, finite, normal scales; zero
/// points inside the storage range; axes, scale counts and block sizes
/// consistent with the shape.
LogicalResult verifyQuantizedType(function_ref<InFlightDiagnostic()> emitError,
                                  Type quantType, ShapedType shaped,
                                  unsigned minBits, unsigned maxBits);

/// A zero point of a sub-channel type, read with the type's signedness
/// (the attribute holds storage-width integers: u8 200 is stored as -56).
int64_t getZeroPointValue(const APInt &zeroPoint, quant::QuantizedType type);

/// The storage range of a quantized element type.
qmath::StorageRange getStorageRange(quant::QuantizedType type);

/// The scale and zero point that apply to every element of a tensor, in
/// row-major order. Only for types that verifyQuantizedType accepted on a
/// static shape.
class ElementParams {
public:
  ElementParams(quant::QuantizedType type, ArrayRef<int64_t> shape);

  /// Parameters of the element with row-major index `linearIndex`.
  std::pair<double, int64_t> get(int64_t linearIndex) const;

private:
  SmallVector<double> scales;
  SmallVector<int64_t> zeroPoints;
  /// Strides of the tensor and, per dimension, the block size (dimension size
  /// for dimensions without blocks) and the stride in the scale tensor.
  SmallVector<int64_t> shape, strides, blockSizes, paramStrides;
};

} // namespace mlir::qnt

#endif // QUANT_DIALECT_QNT_IR_QUANTTYPEUTILS_H
