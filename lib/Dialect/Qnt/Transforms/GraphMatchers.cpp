//===- GraphMatchers.cpp - Matchers for the importer's float graphs -------===//
//
// See GraphMatchers.h.
//
//===----------------------------------------------------------------------===//

#include "quant/Dialect/Qnt/Transforms/GraphMatchers.h"

#include "quant/Dialect/Qnt/IR/QntOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;

/// The elements of a constant tensor, also of a `dense_resource` blob (the
/// ONNX importer's form of large initializers) of f32, 8-bit or 32-bit
/// integers.
DenseElementsAttr qnt::getDenseConstant(Value value) {
  Attribute attr;
  if (!matchPattern(value, m_Constant(&attr)))
    return {};
  if (auto dense = dyn_cast<DenseElementsAttr>(attr))
    return dense;
  auto resource = dyn_cast<DenseResourceElementsAttr>(attr);
  if (!resource)
    return {};
  ShapedType type = resource.getType();
  if (auto f32 = dyn_cast<DenseF32ResourceElementsAttr>(attr))
    if (auto data = f32.tryGetAsArrayRef())
      return DenseElementsAttr::get(type, *data);
  if (auto i8 = dyn_cast<DenseI8ResourceElementsAttr>(attr))
    if (auto data = i8.tryGetAsArrayRef())
      return DenseElementsAttr::get(type, *data);
  if (auto i32 = dyn_cast<DenseI32ResourceElementsAttr>(attr))
    if (auto data = i32.tryGetAsArrayRef())
      return DenseElementsAttr::get(type, *data);
  return {};
}

std::optional<qnt::SpatialZeroPad> qnt::matchSpatialZeroPad(Value value) {
  auto pad = value.getDefiningOp<tensor::PadOp>();
  if (!pad)
    return std::nullopt;
  Value padValue = pad.getConstantPaddingValue();
  ArrayRef<int64_t> low = pad.getStaticLow(), high = pad.getStaticHigh();
  if (!padValue || !isFloatConstant(padValue, 0.0) || low.size() != 4 ||
      low[0] || low[1] || high[0] || high[1] ||
      llvm::any_of(llvm::concat<const int64_t>(low, high),
                   ShapedType::isDynamic))
    return std::nullopt;
  return SpatialZeroPad{pad.getSource(), low[2], low[3], high[2], high[3]};
}

/// True if `value` is a float splat constant equal to `expected` (zero
/// matches both signs).
bool qnt::isFloatConstant(Value value, double expected) {
  FloatAttr attr;
  if (!matchPattern(value, m_Constant(&attr)))
    return false;
  double actual = attr.getValueAsDouble();
  return actual == expected || (std::isinf(expected) && actual == expected);
}

/// True if `value` is a linalg.fill of the constant `expected`.
bool qnt::isFilledWith(Value value, double expected) {
  auto fill = value.getDefiningOp<linalg::FillOp>();
  return fill && isFloatConstant(fill.getDpsInputOperand(0)->get(), expected);
}

/// True if `op` is an all-parallel linalg.generic with one result and an
/// identity output map.
bool qnt::isElementwise(linalg::GenericOp op) {
  return op.getNumDpsInits() == 1 && op->getNumResults() == 1 &&
         op.getNumLoops() == op.getNumParallelLoops() &&
         op.getMatchingIndexingMap(op.getDpsInitOperand(0)).isIdentity();
}

FailureOr<qnt::Clamp> qnt::matchActivation(linalg::GenericOp op) {
  if (!isElementwise(op) || op.getNumDpsInputs() != 1 ||
      !op.getMatchingIndexingMap(op.getDpsInputOperand(0)).isIdentity())
    return failure();
  Block &body = op.getRegion().front();
  Value value = body.getTerminator()->getOperand(0);
  qnt::Clamp clamp;
  bool any = false;
  while (value != body.getArgument(0)) {
    Operation *def = value.getDefiningOp();
    if (!def || def->getBlock() != &body || def->getNumOperands() != 2)
      return failure();
    FloatAttr bound;
    int constantIndex = matchPattern(def->getOperand(1), m_Constant(&bound)) ? 1
                        : matchPattern(def->getOperand(0), m_Constant(&bound))
                            ? 0
                            : -1;
    if (constantIndex < 0)
      return failure();
    double c = bound.getValueAsDouble();
    if (std::isnan(c))
      return failure();
    if (isa<arith::MaximumFOp>(def))
      clamp.lo = std::max(clamp.lo, c);
    else if (isa<arith::MinimumFOp>(def))
      clamp.hi = std::min(clamp.hi, c);
    else
      return failure();
    // max(min(x, hi), lo) equals min(max(x, lo), hi) only when lo <= hi.
    if (clamp.lo > clamp.hi)
      return failure();
    value = def->getOperand(1 - constantIndex);
    any = true;
  }
  if (!any)
    return failure();
  return clamp;
}

/// `op` adds a constant [channels] (possibly reshaped to broadcast, e.g.
/// tosa.reshape to [1, F, 1, 1]) along loop dimension `channelDim` to an
/// operand read with the identity map.
FailureOr<qnt::BiasAdd> qnt::matchBiasAdd(linalg::GenericOp op) {
  if (!isElementwise(op) || op.getNumDpsInputs() != 2 ||
      !yieldsBinary<arith::AddFOp>(op))
    return failure();
  for (int i = 0; i < 2; ++i) {
    OpOperand *input = op.getDpsInputOperand(i);
    OpOperand *bias = op.getDpsInputOperand(1 - i);
    if (!op.getMatchingIndexingMap(input).isIdentity())
      continue;
    Value biasValue = bias->get();
    while (Operation *def = biasValue.getDefiningOp()) {
      if (isa<tosa::ReshapeOp, tensor::ReshapeOp, tensor::ExpandShapeOp,
              tensor::CollapseShapeOp>(def))
        biasValue = def->getOperand(0);
      else
        break;
    }
    DenseElementsAttr values = getDenseConstant(biasValue);
    if (values && values.getElementType().isF32())
      return qnt::BiasAdd{input->get(), values, {}};
    // An i32 bias with its quantized type:
    //   %q = quant.scast %cst : tensor<Fxi32> to
    //   tensor<Fx!quant.uniform<i32:..>> %b = qnt.dequantize %q
    auto dequantize = biasValue.getDefiningOp<qnt::DequantizeOp>();
    auto storageCast =
        dequantize ? dequantize.getInput().getDefiningOp<quant::StorageCastOp>()
                   : quant::StorageCastOp();
    if (!storageCast)
      continue;
    values = getDenseConstant(storageCast.getInput());
    auto type = dyn_cast<quant::QuantizedType>(
        cast<ShapedType>(storageCast.getType()).getElementType());
    if (!values || !values.getElementType().isInteger(32) ||
        !isa_and_present<quant::UniformQuantizedType,
                         quant::UniformQuantizedPerAxisType>(type))
      continue;
    return qnt::BiasAdd{input->get(), values, type};
  }
  return failure();
}

/// True if every output window of a 2-D pooling touches at least one input
/// element (so a -inf padding never reaches the result).
static bool
windowsTouchInput(ArrayRef<int64_t> inSize, ArrayRef<int64_t> outSize,
                  ArrayRef<int64_t> kernel, ArrayRef<int64_t> padLow,
                  ArrayRef<int64_t> strides, ArrayRef<int64_t> dilations) {
  for (int d = 0; d < 2; ++d)
    for (int64_t o = 0; o < outSize[d]; ++o) {
      bool touches = false;
      for (int64_t k = 0; k < kernel[d] && !touches; ++k) {
        int64_t pos = o * strides[d] + k * dilations[d] - padLow[d];
        touches = pos >= 0 && pos < inSize[d];
      }
      if (!touches)
        return false;
    }
  return true;
}

/// The input of a max pooling whose result holds only input values: init
/// filled with -inf or 0, input padded with -inf or 0 on H and W only.
Value qnt::getExactMaxPoolSource(linalg::PoolingNchwMaxOp pool) {
  Value init = pool.getDpsInitOperand(0)->get();
  double inf = std::numeric_limits<double>::infinity();
  bool zeroInit = isFilledWith(init, 0.0);
  if (!zeroInit && !isFilledWith(init, -inf))
    return {};
  Value input = pool.getDpsInputOperand(0)->get();
  auto inType = dyn_cast<RankedTensorType>(input.getType());
  auto outType = dyn_cast<RankedTensorType>(pool->getResult(0).getType());
  auto window =
      dyn_cast<RankedTensorType>(pool.getDpsInputOperand(1)->get().getType());
  if (!inType || !outType || !window || !window.hasStaticShape())
    return {};
  SmallVector<int64_t> padLow = {0, 0};
  SmallVector<int64_t> inSize = {inType.getDimSize(2), inType.getDimSize(3)};
  bool negInfPad = false;
  if (auto pad = input.getDefiningOp<tensor::PadOp>()) {
    Value padValue = pad.getConstantPaddingValue();
    negInfPad = padValue && isFloatConstant(padValue, -inf);
    if (!padValue || (!negInfPad && !isFloatConstant(padValue, 0.0)))
      return {};
    ArrayRef<int64_t> low = pad.getStaticLow(), high = pad.getStaticHigh();
    if (low.size() != 4 || low[0] || low[1] || high[0] || high[1] ||
        ShapedType::isDynamic(low[2]) || ShapedType::isDynamic(low[3]))
      return {};
    padLow = {low[2], low[3]};
    auto srcType = pad.getSourceType();
    inSize = {srcType.getDimSize(2), srcType.getDimSize(3)};
    input = pad.getSource();
  }
  if (negInfPad && !zeroInit) {
    SmallVector<int64_t> outSize = {outType.getDimSize(2),
                                    outType.getDimSize(3)};
    if (llvm::any_of(llvm::concat<int64_t>(inSize, outSize),
                     ShapedType::isDynamic))
      return {};
    SmallVector<int64_t> strides(pool.getStrides().getValues<int64_t>());
    SmallVector<int64_t> dilations(pool.getDilations().getValues<int64_t>());
    if (!windowsTouchInput(inSize, outSize, window.getShape(), padLow, strides,
                           dilations))
      return {};
  }
  return input;
}

/// Looks through `quant.scast` round trips to the storage type and back,
/// which the ONNX importer emits between QuantizeLinear and DequantizeLinear:
///   %s = quant.scast %q : tensor<4x!q> to tensor<4xi8>
///   %r = quant.scast %s : tensor<4xi8> to tensor<4x!q>     // %r is %q
Value qnt::stripStorageCasts(Value value) {
  while (auto outer = value.getDefiningOp<quant::StorageCastOp>()) {
    auto inner = outer.getInput().getDefiningOp<quant::StorageCastOp>();
    if (!inner || inner.getInput().getType() != value.getType())
      break;
    value = inner.getInput();
  }
  return value;
}

/// The quantized tensor that `value` dequantizes, or null.
Value qnt::getDequantizedSource(Value value) {
  auto dequantize = value.getDefiningOp<qnt::DequantizeOp>();
  return dequantize ? stripStorageCasts(dequantize.getInput()) : Value();
}

/// The per-tensor quantized element type of a tensor value, or null.
quant::UniformQuantizedType qnt::getPerTensorType(Value value) {
  auto tensor = dyn_cast<RankedTensorType>(value.getType());
  return tensor ? dyn_cast<quant::UniformQuantizedType>(tensor.getElementType())
                : quant::UniformQuantizedType();
}

/// True if `type` is a per-tensor type with f32 as expressed type (the
/// bias and clamp arithmetic below is f32, as the lowering's epilogue).
bool qnt::isF32PerTensor(quant::UniformQuantizedType type) {
  return type && type.getExpressedType().isF32();
}

/// The per-tensor type equivalent to the element type of a quantized
/// activation: its own, or that of a per-axis type whose channels all share
/// one scale and zero point (the ONNX importer makes a per-axis type on
/// axis 1 of a 1-channel input from a 1-element scale tensor). Null if none.
quant::UniformQuantizedType qnt::getActivationType(Value quantized) {
  auto tensor = dyn_cast<RankedTensorType>(quantized.getType());
  if (!tensor)
    return {};
  Type element = tensor.getElementType();
  auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(element);
  if (!perAxis)
    return dyn_cast<quant::UniformQuantizedType>(element);
  ArrayRef<double> scales = perAxis.getScales();
  ArrayRef<int64_t> zeroPoints = perAxis.getZeroPoints();
  if (llvm::any_of(scales, [&](double s) { return s != scales.front(); }) ||
      llvm::any_of(zeroPoints,
                   [&](int64_t z) { return z != zeroPoints.front(); }))
    return {};
  return quant::UniformQuantizedType::get(
      perAxis.getFlags(), perAxis.getStorageType(), perAxis.getExpressedType(),
      scales.front(), zeroPoints.front(), perAxis.getStorageTypeMin(),
      perAxis.getStorageTypeMax());
}
