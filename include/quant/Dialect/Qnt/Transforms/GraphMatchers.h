//===- GraphMatchers.h - Matchers for the importer's float graphs -*- C++
//-*-===//
//
// Recognizers of the linalg-on-tensors forms the ONNX importer emits around
// convolutions and matmuls (bias adds, ReLU/Clip, max pooling, constants),
// shared by the passes that place observers and fuse QDQ pairs, so both
// agree on what a layer is.
//
//===----------------------------------------------------------------------===//

#ifndef QUANT_DIALECT_QNT_TRANSFORMS_GRAPHMATCHERS_H
#define QUANT_DIALECT_QNT_TRANSFORMS_GRAPHMATCHERS_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/BuiltinAttributes.h"

#include <limits>

namespace mlir::qnt {

/// Bounds of a ReLU/Clip generic: a chain of arith.maximumf/minimumf with
/// constants from its single input to its yield.
struct Clamp {
  double lo = -std::numeric_limits<double>::infinity();
  double hi = std::numeric_limits<double>::infinity();
};

/// A per-channel bias added by an elementwise generic: an f32 constant, or
/// the qnt.dequantize of an i32 constant (ONNX Runtime's quantizer's form).
struct BiasAdd {
  Value input; // the operand the bias is added to
  /// The f32 values, or the i32 storage values of a dequantized bias.
  DenseElementsAttr values;
  /// The quantized type a dequantized bias's values have; null for f32.
  quant::QuantizedType quantizedType;
};

/// The elements of a constant tensor, also of a `dense_resource` blob (the
/// ONNX importer's form of large initializers) of f32, 8-bit or 32-bit
/// integers.
DenseElementsAttr getDenseConstant(Value value);

/// True if `value` is a float splat constant equal to `expected` (zero
/// matches both signs).
bool isFloatConstant(Value value, double expected);

/// True if `value` is a linalg.fill of the constant `expected`.
bool isFilledWith(Value value, double expected);

/// A tensor.pad adding zeros on H and W only, with static sizes (NCHW):
/// what a convolution can take as its own padding.
struct SpatialZeroPad {
  Value source;
  int64_t top, left, bottom, right;
};

/// The zero pad that defines `value`, if it is one.
std::optional<SpatialZeroPad> matchSpatialZeroPad(Value value);

/// True if `op` is an all-parallel linalg.generic with one result and an
/// identity output map.
bool isElementwise(linalg::GenericOp op);

/// The bounds of a ReLU/Clip generic, or failure.
FailureOr<Clamp> matchActivation(linalg::GenericOp op);

/// `op` adds an f32 constant, or qnt.dequantize of a quant.scast of an i32
/// constant, (possibly reshaped to broadcast, e.g. tosa.reshape to
/// [1, F, 1, 1]) to an operand read with the identity map.
FailureOr<BiasAdd> matchBiasAdd(linalg::GenericOp op);

/// The input of a max pooling whose result holds only input values: init
/// filled with -inf or 0, input padded with -inf or 0 on H and W only.
Value getExactMaxPoolSource(linalg::PoolingNchwMaxOp pool);

/// If the body of `op` yields `Op(arg0, arg1)` (either order), returns
/// true.
template <typename OpTy> bool yieldsBinary(linalg::GenericOp op) {
  Block &body = op.getRegion().front();
  auto binary = body.getTerminator()->getOperand(0).getDefiningOp<OpTy>();
  if (!binary || binary->getBlock() != &body)
    return false;
  Value a = body.getArgument(0), b = body.getArgument(1);
  return (binary.getLhs() == a && binary.getRhs() == b) ||
         (binary.getLhs() == b && binary.getRhs() == a);
}

/// Looks through `quant.scast` round trips to the storage type and back,
/// which the ONNX importer emits between QuantizeLinear and DequantizeLinear:
///   %s = quant.scast %q : tensor<4x!q> to tensor<4xi8>
///   %r = quant.scast %s : tensor<4xi8> to tensor<4x!q>     // %r is %q
Value stripStorageCasts(Value value);

/// The quantized tensor that `value` dequantizes, or null.
Value getDequantizedSource(Value value);

/// The per-tensor quantized element type of a tensor value, or null.
quant::UniformQuantizedType getPerTensorType(Value value);

/// True if `type` is a per-tensor type with f32 as expressed type (the
/// arithmetic of the fused ops is f32, as the lowering's epilogue).
bool isF32PerTensor(quant::UniformQuantizedType type);

/// The per-tensor type equivalent to the element type of a quantized
/// activation: its own, or that of a per-axis type whose channels all share
/// one scale and zero point (the ONNX importer makes a per-axis type on
/// axis 1 of a 1-channel input from a 1-element scale tensor). Null if none.
quant::UniformQuantizedType getActivationType(Value quantized);

} // namespace mlir::qnt

#endif // QUANT_DIALECT_QNT_TRANSFORMS_GRAPHMATCHERS_H
