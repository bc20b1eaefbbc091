//===- QntFolding.cpp - Constant evaluation of qnt ops --------------------===//
//
// Evaluates the casts on constants element by element with QuantMath, in the
// precision docs/semantics.md prescribes: f64 for f64, f32 for everything
// narrower, with results rounded (half to even) to the expressed type.
//
//===----------------------------------------------------------------------===//

#include "quant/Dialect/Qnt/IR/QntFolding.h"

#include "quant/Dialect/Qnt/IR/QuantTypeUtils.h"

using namespace mlir;
using namespace mlir::qnt;

qmath::Rounding qnt::toQuantMathRounding(RoundingMode mode) {
  return mode == RoundingMode::HalfAwayFromZero
             ? qmath::Rounding::HalfAwayFromZero
             : qmath::Rounding::HalfToEven;
}

/// Reads element `value` of a float constant as a double (exact).
static double toDouble(const APFloat &value) {
  APFloat copy = value;
  bool lostInfo = false;
  copy.convert(APFloat::IEEEdouble(), APFloat::rmNearestTiesToEven, &lostInfo);
  return copy.convertToDouble();
}

/// Rounds a computed value to the float type `type`, half to even.
static APFloat toFloatType(double value, FloatType type) {
  APFloat result(value);
  bool lostInfo = false;
  result.convert(type.getFloatSemantics(), APFloat::rmNearestTiesToEven,
                 &lostInfo);
  return result;
}

/// The scale rounded to the expressed type, as the generated code holds it.
static double roundScale(double scale, FloatType expressed) {
  return toDouble(toFloatType(scale, expressed));
}

/// Quantizes one value in the compute precision of `expressed`.
static int64_t quantizeOne(double x, double scale, int64_t zeroPoint,
                           qmath::StorageRange range, qmath::Rounding mode,
                           FloatType expressed) {
  if (expressed.isF64())
    return qmath::quantizeValue<double>(x, scale, zeroPoint, range, mode);
  return qmath::quantizeValue<float>(
      static_cast<float>(x), static_cast<float>(scale), zeroPoint, range, mode);
}

/// Dequantizes one value in the compute precision of `expressed`, rounded to
/// `expressed`.
static APFloat dequantizeOne(int64_t q, double scale, int64_t zeroPoint,
                             FloatType expressed) {
  if (expressed.isF64())
    return APFloat(qmath::dequantizeValue<double>(q, scale, zeroPoint));
  float value =
      qmath::dequantizeValue<float>(q, static_cast<float>(scale), zeroPoint);
  return toFloatType(value, expressed);
}

DenseElementsAttr qnt::quantizeConstant(DenseElementsAttr values,
                                        quant::QuantizedType type,
                                        RoundingMode mode) {
  auto shaped = dyn_cast<RankedTensorType>(values.getType());
  if (!shaped || !shaped.hasStaticShape())
    return {};
  auto expressed = cast<FloatType>(type.getExpressedType());
  qmath::StorageRange range = getStorageRange(type);
  qmath::Rounding rounding = toQuantMathRounding(mode);
  unsigned width = type.getStorageTypeIntegralWidth();
  ElementParams params(type, shaped.getShape());
  SmallVector<APInt> result;
  result.reserve(shaped.getNumElements());
  int64_t index = 0;
  for (APFloat value : values.getValues<APFloat>()) {
    auto [scale, zeroPoint] = params.get(index++);
    int64_t q = quantizeOne(toDouble(value), roundScale(scale, expressed),
                            zeroPoint, range, rounding, expressed);
    result.push_back(
        APInt(width, q, /*isSigned=*/true, /*implicitTrunc=*/true));
  }
  auto storageType =
      RankedTensorType::get(shaped.getShape(), type.getStorageType());
  return DenseElementsAttr::get(storageType, result);
}

DenseElementsAttr qnt::dequantizeConstant(DenseElementsAttr storage,
                                          quant::QuantizedType type) {
  auto shaped = dyn_cast<RankedTensorType>(storage.getType());
  if (!shaped || !shaped.hasStaticShape())
    return {};
  auto expressed = cast<FloatType>(type.getExpressedType());
  ElementParams params(type, shaped.getShape());
  SmallVector<APFloat> result;
  result.reserve(shaped.getNumElements());
  int64_t index = 0;
  for (APInt value : storage.getValues<APInt>()) {
    auto [scale, zeroPoint] = params.get(index++);
    int64_t q = type.isSigned() ? value.getSExtValue() : value.getZExtValue();
    result.push_back(
        dequantizeOne(q, roundScale(scale, expressed), zeroPoint, expressed));
  }
  return DenseElementsAttr::get(shaped.clone(expressed), result);
}

DenseElementsAttr qnt::fakeQuantizeConstant(DenseElementsAttr values,
                                            quant::QuantizedType type,
                                            RoundingMode mode) {
  auto shaped = dyn_cast<RankedTensorType>(values.getType());
  if (!shaped || !shaped.hasStaticShape())
    return {};
  auto expressed = cast<FloatType>(type.getExpressedType());
  qmath::StorageRange range = getStorageRange(type);
  qmath::Rounding rounding = toQuantMathRounding(mode);
  ElementParams params(type, shaped.getShape());
  SmallVector<APFloat> result;
  result.reserve(shaped.getNumElements());
  int64_t index = 0;
  for (APFloat value : values.getValues<APFloat>()) {
    auto [scale, zeroPoint] = params.get(index++);
    double roundedScale = roundScale(scale, expressed);
    int64_t q = quantizeOne(toDouble(value), roundedScale, zeroPoint, range,
                            rounding, expressed);
    result.push_back(dequantizeOne(q, roundedScale, zeroPoint, expressed));
  }
  return DenseElementsAttr::get(shaped, result);
}

/// All (scale, zero point) pairs of a verified uniform type.
static SmallVector<std::pair<double, int64_t>>
getAllParams(quant::QuantizedType type) {
  SmallVector<std::pair<double, int64_t>> params;
  if (auto perTensor = dyn_cast<quant::UniformQuantizedType>(type)) {
    params.push_back({perTensor.getScale(), perTensor.getZeroPoint()});
  } else if (auto perAxis =
                 dyn_cast<quant::UniformQuantizedPerAxisType>(type)) {
    for (auto [scale, zeroPoint] :
         llvm::zip(perAxis.getScales(), perAxis.getZeroPoints()))
      params.push_back({scale, zeroPoint});
  } else if (auto sub = dyn_cast<quant::UniformQuantizedSubChannelType>(type)) {
    for (auto [scale, zeroPoint] :
         llvm::zip(sub.getScales().getValues<APFloat>(),
                   sub.getZeroPoints().getValues<APInt>()))
      params.push_back(
          {scale.convertToDouble(), getZeroPointValue(zeroPoint, type)});
  }
  return params;
}

bool qnt::isDequantizeExact(quant::QuantizedType type) {
  auto expressed = dyn_cast<FloatType>(type.getExpressedType());
  if (!expressed)
    return false;
  // Dequantize rounds (q - zp) * s to p bits and quantize divides by s in at
  // least p bits: the quotient is off by at most |q - zp| * 2^(1-p), which
  // must stay below 1/2 for the rounding to recover q.
  int precision =
      llvm::APFloat::semanticsPrecision(expressed.getFloatSemantics());
  double largest = llvm::APFloat::getLargest(expressed.getFloatSemantics())
                       .convertToDouble();
  auto params = getAllParams(type);
  if (params.empty())
    return false;
  for (auto [scale, zeroPoint] : params) {
    double span =
        static_cast<double>(std::max(type.getStorageTypeMax() - zeroPoint,
                                     zeroPoint - type.getStorageTypeMin()));
    if (span * std::ldexp(1.0, 1 - precision) >= 0.5)
      return false;
    if (span * scale >= largest)
      return false;
  }
  return true;
}
