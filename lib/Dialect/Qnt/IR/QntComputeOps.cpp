//===- QntComputeOps.cpp - Verifiers of the integer compute ops -----------===//
//
// qnt.matmul, qnt.conv2d, qnt.add and qnt.mul: operand types, shapes,
// requantization parameters and the static i32 accumulator bound.
//
//===----------------------------------------------------------------------===//

#include "quant/Dialect/Qnt/IR/QntComputeUtils.h"
#include "quant/Dialect/Qnt/IR/QntOps.h"
#include "quant/Dialect/Qnt/IR/QuantTypeUtils.h"
#include "quant/Support/QuantMath.h"

#include "mlir/IR/TypeUtilities.h"

using namespace mlir;
using namespace mlir::qnt;

//===----------------------------------------------------------------------===//
// Shared quantities
//===----------------------------------------------------------------------===//

SmallVector<double> qnt::getScales(quant::QuantizedType type) {
  if (auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(type))
    return SmallVector<double>(perAxis.getScales());
  return {cast<quant::UniformQuantizedType>(type).getScale()};
}

SmallVector<int64_t> qnt::getZeroPoints(quant::QuantizedType type) {
  if (auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(type))
    return SmallVector<int64_t>(perAxis.getZeroPoints());
  return {cast<quant::UniformQuantizedType>(type).getZeroPoint()};
}

int64_t qnt::getMaxMagnitude(quant::QuantizedType type) {
  int64_t magnitude = 0;
  for (int64_t zeroPoint : getZeroPoints(type))
    magnitude = std::max({magnitude, type.getStorageTypeMax() - zeroPoint,
                          zeroPoint - type.getStorageTypeMin()});
  return magnitude;
}

SmallVector<double> qnt::getRequantizeMultipliers(quant::QuantizedType lhs,
                                                  quant::QuantizedType rhs,
                                                  quant::QuantizedType result,
                                                  RequantizeMode mode) {
  double lhsScale = getScales(lhs).front();
  double resultScale = getScales(result).front();
  SmallVector<double> multipliers;
  for (double rhsScale : getScales(rhs))
    multipliers.push_back(mode == RequantizeMode::Float
                              ? qmath::getFloatRequantizeMultiplier(
                                    lhsScale, rhsScale, resultScale)
                              : lhsScale * rhsScale / resultScale);
  return multipliers;
}

std::pair<int64_t, int64_t>
qnt::getClampRange(quant::QuantizedType result, std::optional<int64_t> clampMin,
                   std::optional<int64_t> clampMax) {
  int64_t lo = result.getStorageTypeMin(), hi = result.getStorageTypeMax();
  if (clampMin)
    lo = std::max(lo, *clampMin);
  if (clampMax)
    hi = std::min(hi, *clampMax);
  return {lo, hi};
}

//===----------------------------------------------------------------------===//
// Shared checks
//===----------------------------------------------------------------------===//

/// qnt_c11: a quantized operand of at most 16-bit storage; per tensor, or per
/// axis on `channelAxis` when that is not negative.
static FailureOr<quant::QuantizedType>
verifyOperand(Operation *op, Value value, StringRef name, int64_t channelAxis) {
  auto tensor = cast<RankedTensorType>(value.getType());
  auto type = dyn_cast<quant::QuantizedType>(tensor.getElementType());
  if (!type)
    return op->emitOpError()
           << "qnt_c11: " << name << " must be a tensor of !quant.uniform, got "
           << tensor;
  auto emitError = [&] { return op->emitOpError(); };
  if (failed(verifyQuantizedType(emitError, type, tensor, 2, 16)))
    return failure();
  if (isa<quant::UniformQuantizedSubChannelType>(type))
    return op->emitOpError()
           << "qnt_c11: " << name << " cannot use sub-channel quantization";
  if (auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(type)) {
    if (channelAxis < 0)
      return op->emitOpError()
             << "qnt_c11: " << name << " must be quantized per tensor";
    if (perAxis.getQuantizedDimension() != channelAxis)
      return op->emitOpError()
             << "qnt_c11: " << name << " may be quantized per axis only on "
             << "its output-channel dimension " << channelAxis << ", not "
             << perAxis.getQuantizedDimension();
  }
  return type;
}

/// qnt_c14/c15/c16: the result type, clamps and multipliers. Returns the
/// quantized result type, or null for an i32 result.
static FailureOr<quant::QuantizedType>
verifyResult(Operation *op, RankedTensorType resultType,
             quant::QuantizedType lhs, quant::QuantizedType rhs,
             RequantizeMode mode, std::optional<int64_t> clampMin,
             std::optional<int64_t> clampMax, bool allowI32) {
  Type element = resultType.getElementType();
  if (element.isInteger(32) && allowI32) {
    if (clampMin || clampMax)
      return op->emitOpError()
             << "qnt_c15: an i32 result is not requantized and takes no "
                "clamp";
    return quant::QuantizedType();
  }
  auto result = dyn_cast<quant::UniformQuantizedType>(element);
  if (!result)
    return op->emitOpError()
           << "qnt_c14: result must be a per-tensor !quant.uniform tensor"
           << (allowI32 ? " or an i32 tensor" : "") << ", got " << resultType;
  auto emitError = [&] { return op->emitOpError(); };
  if (failed(verifyQuantizedType(emitError, result, resultType, 2, 16)))
    return failure();
  if (result.getExpressedType() != lhs.getExpressedType() ||
      rhs.getExpressedType() != lhs.getExpressedType())
    return op->emitOpError() << "qnt_c14: operands and result must share one "
                                "expressed type";
  int64_t lo = result.getStorageTypeMin(), hi = result.getStorageTypeMax();
  for (auto [name, bound] : {std::make_pair("clamp_min", clampMin),
                             std::make_pair("clamp_max", clampMax)})
    if (bound && (*bound < lo || *bound > hi))
      return op->emitOpError() << "qnt_c15: " << name << " " << *bound
                               << " is outside the result storage range [" << lo
                               << ", " << hi << "]";
  if (clampMin && clampMax && *clampMin > *clampMax)
    return op->emitOpError() << "qnt_c15: clamp_min " << *clampMin
                             << " exceeds clamp_max " << *clampMax;
  if (mode == RequantizeMode::Integer)
    for (double multiplier :
         getRequantizeMultipliers(lhs, rhs, result, RequantizeMode::Integer))
      if (!qmath::getFixedPointMultiplier(multiplier))
        return op->emitOpError()
               << "qnt_c16: requantization multiplier " << multiplier
               << " has no Q31 multiplier and shift in [1, 62]";
  return cast<quant::QuantizedType>(result);
}

/// qnt_c17: k products of the operands' largest magnitudes must fit in i32.
static LogicalResult verifyAccumulatorBound(Operation *op, int64_t k,
                                            quant::QuantizedType lhs,
                                            quant::QuantizedType rhs) {
  if (ShapedType::isDynamic(k))
    return op->emitOpError()
           << "qnt_c17: the reduction size must be static to bound the i32 "
              "accumulator";
  double bound =
      static_cast<double>(k) * getMaxMagnitude(lhs) * getMaxMagnitude(rhs);
  if (bound > static_cast<double>(std::numeric_limits<int32_t>::max()))
    return op->emitOpError()
           << "qnt_c17: the i32 accumulator can overflow: " << k
           << " products of magnitude up to " << getMaxMagnitude(lhs) << " * "
           << getMaxMagnitude(rhs) << " exceed 2^31 - 1; split the reduction";
  return success();
}

/// qnt_c13: a 1-D i32 bias with one value per output channel.
static LogicalResult verifyBias(Operation *op, Value bias, int64_t channels) {
  if (!bias)
    return success();
  auto type = cast<RankedTensorType>(bias.getType());
  if (type.getRank() != 1 || !type.getElementType().isInteger(32))
    return op->emitOpError()
           << "qnt_c13: bias must be a 1-D i32 tensor, got " << type;
  if (!ShapedType::isDynamic(channels) &&
      !ShapedType::isDynamic(type.getDimSize(0)) &&
      type.getDimSize(0) != channels)
    return op->emitOpError()
           << "qnt_c13: bias has " << type.getDimSize(0) << " values for "
           << channels << " output channels";
  return success();
}

/// A dimension size for messages: "?" when dynamic.
static std::string dimStr(int64_t dim) {
  return ShapedType::isDynamic(dim) ? "?" : std::to_string(dim);
}

/// True if two dimension sizes can be equal.
static bool compatible(int64_t a, int64_t b) {
  return ShapedType::isDynamic(a) || ShapedType::isDynamic(b) || a == b;
}

//===----------------------------------------------------------------------===//
// MatmulOp
//===----------------------------------------------------------------------===//

LogicalResult MatmulOp::verify() {
  auto lhsType = getLhs().getType(), rhsType = getRhs().getType();
  auto resultType = getResult().getType();
  int64_t rank = lhsType.getRank();
  if ((rank != 2 && rank != 3) || rhsType.getRank() != rank ||
      resultType.getRank() != rank)
    return emitOpError() << "qnt_c12: operands and result must all have rank "
                            "2, or all rank 3 (batched)";
  auto lhs = verifyOperand(*this, getLhs(), "lhs", -1);
  if (failed(lhs))
    return failure();
  auto rhs = verifyOperand(*this, getRhs(), "rhs", rank - 1);
  if (failed(rhs))
    return failure();
  int64_t m = lhsType.getDimSize(rank - 2), k = lhsType.getDimSize(rank - 1);
  int64_t n = rhsType.getDimSize(rank - 1);
  if (!compatible(k, rhsType.getDimSize(rank - 2)))
    return emitOpError() << "qnt_c12: lhs has K = " << k
                         << " but rhs has K = " << rhsType.getDimSize(rank - 2);
  if (rank == 3 &&
      (!compatible(lhsType.getDimSize(0), rhsType.getDimSize(0)) ||
       !compatible(lhsType.getDimSize(0), resultType.getDimSize(0))))
    return emitOpError() << "qnt_c12: batch sizes differ";
  if (!compatible(resultType.getDimSize(rank - 2), m) ||
      !compatible(resultType.getDimSize(rank - 1), n))
    return emitOpError() << "qnt_c12: result shape " << resultType
                         << " is not [m, n] = [" << dimStr(m) << ", "
                         << dimStr(n) << "]";
  if (failed(verifyBias(*this, getBias(), n)))
    return failure();
  if (failed(verifyResult(*this, resultType, *lhs, *rhs, getRequantize(),
                          getClampMin(), getClampMax(), /*allowI32=*/true)))
    return failure();
  return verifyAccumulatorBound(*this, k, *lhs, *rhs);
}

//===----------------------------------------------------------------------===//
// Conv2DOp
//===----------------------------------------------------------------------===//

LogicalResult Conv2DOp::verify() {
  auto inputType = getInput().getType(), filterType = getFilter().getType();
  auto resultType = getResult().getType();
  if (inputType.getRank() != 4 || filterType.getRank() != 4 ||
      resultType.getRank() != 4)
    return emitOpError() << "qnt_c18: input, filter and result must have "
                            "rank 4";
  if (getStrides().size() != 2 || getDilations().size() != 2 ||
      getPadding().size() != 4)
    return emitOpError() << "qnt_c18: expected 2 strides, 2 dilations and 4 "
                            "paddings [top, left, bottom, right]";
  if (llvm::any_of(getStrides(), [](int64_t s) { return s <= 0; }) ||
      llvm::any_of(getDilations(), [](int64_t d) { return d <= 0; }) ||
      llvm::any_of(getPadding(), [](int64_t p) { return p < 0; }))
    return emitOpError() << "qnt_c18: strides and dilations must be positive "
                            "and paddings non-negative";
  bool nchw = getLayout() == ConvLayout::NCHW;
  // Dimension positions of each operand in this layout.
  int64_t inC = nchw ? 1 : 3, inH = nchw ? 2 : 1, inW = nchw ? 3 : 2;
  int64_t fF = nchw ? 0 : 3, fC = nchw ? 1 : 2, fH = nchw ? 2 : 0,
          fW = nchw ? 3 : 1;
  auto input = verifyOperand(*this, getInput(), "input", -1);
  if (failed(input))
    return failure();
  auto filter = verifyOperand(*this, getFilter(), "filter", fF);
  if (failed(filter))
    return failure();
  int64_t groups = getGroups();
  int64_t channels = inputType.getDimSize(inC);
  int64_t filters = filterType.getDimSize(fF);
  int64_t filterChannels = filterType.getDimSize(fC);
  if (groups <= 0 ||
      (!ShapedType::isDynamic(channels) && channels % groups != 0) ||
      (!ShapedType::isDynamic(filters) && filters % groups != 0))
    return emitOpError() << "qnt_c18: groups " << groups << " must divide the "
                         << dimStr(channels) << " input channels and the "
                         << dimStr(filters) << " filters";
  if (!ShapedType::isDynamic(channels) &&
      !compatible(filterChannels, channels / groups))
    return emitOpError() << "qnt_c18: filter has " << filterChannels
                         << " channels per group, expected "
                         << channels / groups;
  int64_t kh = filterType.getDimSize(fH), kw = filterType.getDimSize(fW);
  if (!filterType.hasStaticShape())
    return emitOpError() << "qnt_c18: filter sizes must be static";
  // Channels and spatial sizes fix the loop bounds and output sizes; only
  // the batch may be dynamic.
  if (inputType.isDynamicDim(inC) || inputType.isDynamicDim(inH) ||
      inputType.isDynamicDim(inW))
    return emitOpError() << "qnt_c18: input channels and spatial sizes must "
                            "be static (only the batch may be dynamic)";
  // Bounded attributes keep the size arithmetic below free of overflow.
  constexpr int64_t kMaxWindow = int64_t(1) << 30;
  for (int64_t v :
       llvm::concat<const int64_t>(getStrides(), getDilations(), getPadding()))
    if (v > kMaxWindow)
      return emitOpError() << "qnt_c18: strides, dilations and paddings must "
                              "not exceed 2^30";
  ArrayRef<int64_t> pad = getPadding(), stride = getStrides(),
                    dilation = getDilations();
  auto outputSize = [&](int64_t size, int64_t kernel, int64_t before,
                        int64_t after, int64_t s, int64_t d) -> int64_t {
    if (ShapedType::isDynamic(size))
      return ShapedType::kDynamic;
    int64_t span = size + before + after - d * (kernel - 1) - 1;
    return span < 0 ? -1 : span / s + 1;
  };
  int64_t oh = outputSize(inputType.getDimSize(inH), kh, pad[0], pad[2],
                          stride[0], dilation[0]);
  int64_t ow = outputSize(inputType.getDimSize(inW), kw, pad[1], pad[3],
                          stride[1], dilation[1]);
  if (oh == -1 || ow == -1)
    return emitOpError() << "qnt_c18: the dilated kernel does not fit the "
                            "padded input";
  SmallVector<int64_t> expected =
      nchw ? SmallVector<int64_t>{inputType.getDimSize(0), filters, oh, ow}
           : SmallVector<int64_t>{inputType.getDimSize(0), oh, ow, filters};
  for (auto [dim, want] : llvm::zip(resultType.getShape(), expected))
    if (!compatible(dim, want))
      return emitOpError() << "qnt_c18: result shape " << resultType
                           << " differs from the computed "
                           << RankedTensorType::get(
                                  expected, resultType.getElementType());
  if (failed(verifyBias(*this, getBias(), filters)))
    return failure();
  if (failed(verifyResult(*this, resultType, *input, *filter, getRequantize(),
                          getClampMin(), getClampMax(), /*allowI32=*/true)))
    return failure();
  return verifyAccumulatorBound(*this, filterChannels * kh * kw, *input,
                                *filter);
}

//===----------------------------------------------------------------------===//
// AddOp, MulOp
//===----------------------------------------------------------------------===//

/// qnt_c19 and the result checks shared by add and mul.
static LogicalResult verifyElementwise(Operation *op, Value lhsValue,
                                       Value rhsValue, RankedTensorType result,
                                       RequantizeMode mode,
                                       std::optional<int64_t> clampMin,
                                       std::optional<int64_t> clampMax,
                                       bool isMul) {
  auto lhsType = cast<RankedTensorType>(lhsValue.getType());
  auto rhsType = cast<RankedTensorType>(rhsValue.getType());
  if (failed(verifyCompatibleShape(lhsType, rhsType)) ||
      failed(verifyCompatibleShape(lhsType, result)))
    return op->emitOpError() << "qnt_c19: operands and result must have one "
                                "shape";
  auto lhs = verifyOperand(op, lhsValue, "lhs", -1);
  if (failed(lhs))
    return failure();
  auto rhs = verifyOperand(op, rhsValue, "rhs", -1);
  if (failed(rhs))
    return failure();
  auto resultQuant = verifyResult(op, result, *lhs, *rhs, RequantizeMode::Float,
                                  clampMin, clampMax, /*allowI32=*/false);
  if (failed(resultQuant))
    return failure();
  if (mode != RequantizeMode::Integer)
    return success();
  for (quant::QuantizedType type : {*lhs, *rhs, *resultQuant})
    if (type.getStorageTypeIntegralWidth() > 8)
      return op->emitOpError() << "qnt_c19: integer requantization supports "
                                  "at most 8-bit storage";
  // The multipliers of docs/semantics.md must have Q31 forms.
  double sa = getScales(*lhs).front(), sb = getScales(*rhs).front();
  double sy = getScales(*resultQuant).front();
  SmallVector<double> multipliers;
  if (isMul) {
    multipliers.push_back(sa * sb / sy);
  } else {
    double twice = 2 * std::max(sa, sb);
    multipliers = {sa / twice, sb / twice, twice / (std::ldexp(1.0, 20) * sy)};
  }
  for (double multiplier : multipliers)
    if (!qmath::getFixedPointMultiplier(multiplier))
      return op->emitOpError()
             << "qnt_c16: requantization multiplier " << multiplier
             << " has no Q31 multiplier and shift in [1, 62]";
  return success();
}

LogicalResult AddOp::verify() {
  return verifyElementwise(*this, getLhs(), getRhs(), getResult().getType(),
                           getRequantize(), getClampMin(), getClampMax(),
                           /*isMul=*/false);
}

LogicalResult MulOp::verify() {
  return verifyElementwise(*this, getLhs(), getRhs(), getResult().getType(),
                           getRequantize(), getClampMin(), getClampMax(),
                           /*isMul=*/true);
}
