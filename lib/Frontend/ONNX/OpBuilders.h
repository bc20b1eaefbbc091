//===- OpBuilders.h - IR building blocks for ONNX op handlers ---*- C++ -*-===//
//
// NumPy-broadcasting elementwise generics, reductions, constants and type
// helpers shared by the Ops*.cpp handlers.
//
//===----------------------------------------------------------------------===//

#ifndef QUANT_LIB_FRONTEND_ONNX_OPBUILDERS_H
#define QUANT_LIB_FRONTEND_ONNX_OPBUILDERS_H

#include "GraphImporter.h"

namespace mlir::qnt::onnx_frontend {

using BodyFn = function_ref<Value(OpBuilder &, Location, ValueRange)>;

/// The NumPy broadcast of `operands`' shapes, or failure (with an error at
/// `node`) when static sizes disagree.
FailureOr<SmallVector<int64_t>> broadcastShapes(GraphImporter &importer,
                                                const onnx::NodeProto &node,
                                                ValueRange operands);

/// A linalg.generic over the broadcast shape of `operands` computing
/// `body(element values)` into `resultElement`.
FailureOr<Value> buildElementwise(GraphImporter &importer,
                                  const onnx::NodeProto &node,
                                  ValueRange operands, Type resultElement,
                                  BodyFn body);

/// tensor.empty of `shape` (dynamic sizes taken from `like`'s dims at the
/// same positions) and element `element`.
Value buildEmpty(OpBuilder &b, Location loc, ArrayRef<int64_t> shape,
                 Type element, Value like);

/// A reduction of `input` over `axes` (sorted, non-negative) with `init`
/// and `combine(acc, element)`; `keepDims` keeps reduced dims as size 1.
Value buildReduction(OpBuilder &b, Location loc, Value input,
                     ArrayRef<int64_t> axes, bool keepDims, TypedAttr init,
                     BodyFn combine);

/// A scalar constant of `type` (float or integer) with value `value`.
Value scalarConstant(OpBuilder &b, Location loc, Type type, double value);

/// `value` with its dimensions permuted: result dimension i is `perm[i]`.
Value buildTranspose(OpBuilder &b, Location loc, Value value,
                     ArrayRef<int32_t> perm);

/// Reshapes `value` to `shape` (tosa.reshape when static, else
/// tensor.reshape with sizes computed from `value`).
Value buildReshape(OpBuilder &b, Location loc, Value value,
                   ArrayRef<int64_t> shape);

/// A 2-D matmul `lhs [M, K] x rhs [K, N]` (linalg.matmul with indexing
/// maps) with optional transposes of either operand; zero-initialized.
Value buildMatmul2D(OpBuilder &b, Location loc, Value lhs, Value rhs,
                    bool transLhs, bool transRhs);

/// Normalizes a possibly negative axis; error at `node` if out of range.
FailureOr<int64_t> normalizeAxis(GraphImporter &importer,
                                 const onnx::NodeProto &node, int64_t axis,
                                 int64_t rank);

/// Spatial parameters of a 2-D window op (Conv, pooling): kernel, strides,
/// dilations, padding resolved from pads or auto_pad, output sizes.
struct Window {
  int64_t kernel[2], stride[2], dilation[2];
  int64_t padBegin[2], padEnd[2];
  int64_t out[2];
};

/// Reads kernel/strides/dilations/pads/auto_pad for spatial sizes `in`;
/// `ceilMode` rounds output sizes up (pooling).
FailureOr<Window> getWindow(GraphImporter &importer,
                            const onnx::NodeProto &node, ArrayRef<int64_t> in,
                            ArrayRef<int64_t> kernel, bool ceilMode);

/// Pads the spatial dims (2, 3) of an NCHW tensor with `value`.
Value padSpatial(OpBuilder &b, Location loc, Value input, const Window &w,
                 double value);

/// Strides or dilations of linalg's named convolution and pooling ops
/// (a tensor<2xi64> elements attribute, not an array attribute).
DenseIntElementsAttr getWindowAttr(OpBuilder &b, int64_t first, int64_t second);

/// The ranked tensor type of a value.
inline RankedTensorType getTensorType(Value value) {
  return cast<RankedTensorType>(value.getType());
}

} // namespace mlir::qnt::onnx_frontend

#endif // QUANT_LIB_FRONTEND_ONNX_OPBUILDERS_H
