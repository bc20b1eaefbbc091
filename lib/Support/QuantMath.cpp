//===- QuantMath.cpp - Scalar quantization arithmetic ---------------------===//
//
// Storage ranges and the choice of scale and zero point for a range. The
// per-value arithmetic is inline in the header.
//
//===----------------------------------------------------------------------===//

#include "quant/Support/QuantMath.h"

#include <algorithm>

using namespace qmath;

std::optional<StorageRange> qmath::getStorageRange(unsigned bits, bool isSigned,
                                                   bool narrowRange) {
  if (bits < 2 || bits > 32)
    return std::nullopt;
  StorageRange range;
  if (isSigned) {
    range.min = -(int64_t(1) << (bits - 1));
    range.max = (int64_t(1) << (bits - 1)) - 1;
  } else {
    range.min = 0;
    range.max = (int64_t(1) << bits) - 1;
  }
  if (narrowRange)
    range.min += 1;
  return range;
}

/// Raises a scale below the smallest normal f32 to it.
static QuantParams floorScale(double scale, int64_t zeroPoint) {
  if (scale >= kMinScale)
    return {scale, zeroPoint, false};
  return {kMinScale, zeroPoint, true};
}

std::optional<QuantParams> qmath::chooseAsymmetricParams(double min, double max,
                                                         StorageRange range) {
  if (!std::isfinite(min) || !std::isfinite(max) || min > max)
    return std::nullopt;
  // Widen to include 0 so that zero (padding, ReLU outputs) is exact.
  min = std::min(min, 0.0);
  max = std::max(max, 0.0);
  double levels = static_cast<double>(range.max - range.min);
  if (max == min) {
    int64_t zeroPoint = std::clamp<int64_t>(0, range.min, range.max);
    return QuantParams{1.0, zeroPoint, false};
  }
  double scale = (max - min) / levels;
  if (!std::isfinite(scale)) // max - min overflowed a double
    return std::nullopt;
  QuantParams params = floorScale(scale, 0);
  double zeroPoint = roundToIntegral<double>(static_cast<double>(range.min) -
                                                 min / params.scale,
                                             Rounding::HalfToEven);
  params.zeroPoint = saturate(zeroPoint, range);
  return params;
}

std::optional<QuantParams> qmath::chooseSymmetricParams(double min, double max,
                                                        StorageRange range) {
  if (!std::isfinite(min) || !std::isfinite(max) || min > max)
    return std::nullopt;
  double absMax = std::max(std::fabs(min), std::fabs(max));
  int64_t zeroPoint = range.min < 0 ? 0 : (range.min + range.max + 1) / 2;
  if (absMax == 0)
    return QuantParams{1.0, zeroPoint, false};
  double scale = absMax / (static_cast<double>(range.max - range.min) / 2.0);
  return floorScale(scale, zeroPoint);
}

std::optional<FixedPointMultiplier>
qmath::getFixedPointMultiplier(double real) {
  if (!(real > 0) || !std::isfinite(real))
    return std::nullopt;
  // real = fraction * 2^exponent with fraction in [0.5, 1).
  int exponent = 0;
  double fraction = std::frexp(real, &exponent);
  double scaled =
      roundToIntegral<double>(std::ldexp(fraction, 31), Rounding::HalfToEven);
  // Rounding up to 2^31 moves one binade up.
  if (scaled == std::ldexp(1.0, 31)) {
    scaled /= 2;
    ++exponent;
  }
  int shift = 31 - exponent;
  if (shift < 1 || shift > 62)
    return std::nullopt;
  return FixedPointMultiplier{static_cast<int32_t>(scaled), shift};
}
