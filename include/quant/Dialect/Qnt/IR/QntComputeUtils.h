//===- QntComputeUtils.h - Shared facts of integer compute ops --*- C++ -*-===//
//
// Quantities the verifiers of qnt.matmul/conv2d/add/mul check and their
// lowerings use: requantization multipliers per output channel, zero points
// and the largest magnitude an operand contributes to an accumulator.
//
//===----------------------------------------------------------------------===//

#ifndef QUANT_DIALECT_QNT_IR_QNTCOMPUTEUTILS_H
#define QUANT_DIALECT_QNT_IR_QNTCOMPUTEUTILS_H

#include "quant/Dialect/Qnt/IR/QntDialect.h"

#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/BuiltinTypes.h"

namespace mlir::qnt {

/// Scales of a per-tensor or per-axis type, one per channel (one for a per
/// tensor type).
SmallVector<double> getScales(quant::QuantizedType type);

/// Zero points of a per-tensor or per-axis type, one per channel.
SmallVector<int64_t> getZeroPoints(quant::QuantizedType type);

/// max |q - zp| over the storage range and all zero points.
int64_t getMaxMagnitude(quant::QuantizedType type);

/// Requantization multipliers of s_lhs * s_rhs[c] / s_result, one per
/// output channel of the rhs (one if it is per tensor). Float mode computes
/// each as ONNX Runtime does, f32(f32(s_lhs * s_rhs[c]) / s_result)
/// (qmath::getFloatRequantizeMultiplier; the double holds that f32 exactly);
/// integer mode divides in double, for the Q31 form.
SmallVector<double> getRequantizeMultipliers(quant::QuantizedType lhs,
                                             quant::QuantizedType rhs,
                                             quant::QuantizedType result,
                                             RequantizeMode mode);

/// The effective saturation range of a requantizing op's result.
std::pair<int64_t, int64_t> getClampRange(quant::QuantizedType result,
                                          std::optional<int64_t> clampMin,
                                          std::optional<int64_t> clampMax);

} // namespace mlir::qnt

#endif // QUANT_DIALECT_QNT_IR_QNTCOMPUTEUTILS_H
