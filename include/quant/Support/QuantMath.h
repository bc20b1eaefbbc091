//===- QuantMath.h - Scalar quantization arithmetic -------------*- C++ -*-===//
//
// The single definition of quantization arithmetic: storage ranges, rounding,
// saturation, quantize/dequantize of one value, and scale/zero point chosen
// from a range. The constant folders, the passes and the tests all use it;
// docs/semantics.md states the same rules in prose.
//
//===----------------------------------------------------------------------===//

#ifndef QUANT_SUPPORT_QUANTMATH_H
#define QUANT_SUPPORT_QUANTMATH_H

#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>

namespace qmath {

/// How a quotient is rounded to an integer.
enum class Rounding { HalfToEven, HalfAwayFromZero };

/// The closed integer range [min, max] a storage type holds.
struct StorageRange {
  int64_t min;
  int64_t max;
};

/// The range of a `bits`-wide integer; `narrowRange` drops the most negative
/// value of a signed type (i8: [-127, 127]) and the 0 of an unsigned type
/// (u8: [1, 255]). Returns nullopt unless 2 <= bits <= 32.
std::optional<StorageRange> getStorageRange(unsigned bits, bool isSigned,
                                            bool narrowRange = false);

/// Rounds `x` to an integral value of the same type. Does not depend on the
/// floating-point environment. NaN and infinities are returned unchanged.
template <typename T> T roundToIntegral(T x, Rounding mode) {
  if (!std::isfinite(x))
    return x;
  if (mode == Rounding::HalfAwayFromZero)
    return std::round(x);
  // x - floor(x) is exact for every finite float, so the tie test is exact.
  T lower = std::floor(x);
  T fraction = x - lower;
  T result = lower;
  if (fraction > T(0.5) ||
      (fraction == T(0.5) && std::fmod(lower, T(2)) != T(0)))
    result = lower + T(1);
  // -0.5 rounds to -0, as IEEE roundToIntegralTiesToEven does.
  return std::copysign(result, x);
}

/// Clamps an integral value held in a double to `range` (infinities
/// saturate). The argument must not be NaN.
inline int64_t saturate(double value, StorageRange range) {
  if (value <= static_cast<double>(range.min))
    return range.min;
  if (value >= static_cast<double>(range.max))
    return range.max;
  return static_cast<int64_t>(value);
}

/// q = clamp(round(x / scale) + zeroPoint, range); NaN maps to zeroPoint.
/// The division and rounding happen in T (the expressed type, or f32 for
/// f16/bf16); the zero point is added exactly.
template <typename T>
int64_t quantizeValue(T x, T scale, int64_t zeroPoint, StorageRange range,
                      Rounding mode = Rounding::HalfToEven) {
  if (std::isnan(x))
    return zeroPoint;
  T rounded = roundToIntegral<T>(x / scale, mode);
  return saturate(static_cast<double>(rounded) + static_cast<double>(zeroPoint),
                  range);
}

/// x = (q - zeroPoint) * scale, the difference converted to T first.
template <typename T> T dequantizeValue(int64_t q, T scale, int64_t zeroPoint) {
  return static_cast<T>(q - zeroPoint) * scale;
}

/// dequantize(quantize(x)).
template <typename T>
T fakeQuantizeValue(T x, T scale, int64_t zeroPoint, StorageRange range,
                    Rounding mode = Rounding::HalfToEven) {
  return dequantizeValue<T>(quantizeValue<T>(x, scale, zeroPoint, range, mode),
                            scale, zeroPoint);
}

/// Why a scale is unusable.
enum class ScaleStatus { Ok, NotPositive, NotFinite, Subnormal };

/// Checks a scale once rounded to T: it must be positive, finite and normal.
/// (Subnormal scales flush to zero under FTZ/DAZ and lose bits.)
template <typename T> ScaleStatus checkScale(double scale) {
  if (std::isnan(scale) || std::isinf(scale))
    return ScaleStatus::NotFinite;
  if (!(scale > 0))
    return ScaleStatus::NotPositive;
  T rounded = static_cast<T>(scale);
  if (std::isinf(rounded))
    return ScaleStatus::NotFinite;
  if (rounded < std::numeric_limits<T>::min())
    return ScaleStatus::Subnormal;
  return ScaleStatus::Ok;
}

/// A scale and zero point chosen for a range.
struct QuantParams {
  double scale;
  int64_t zeroPoint;
  /// The range was so small that the scale was raised to the smallest normal
  /// f32 (callers warn about it).
  bool scaleFloored = false;
};

/// The smallest scale a parameter choice returns: the smallest normal f32.
constexpr double kMinScale = 1.17549435082228750797e-38;

/// Affine parameters covering [min, max] widened to include 0, so that 0 is
/// exact: scale = (max - min) / (qmax - qmin), zp = round(qmin - min / scale).
/// A degenerate range (min = max = 0) gives scale 1, zp at the value nearest
/// 0. Returns nullopt when min or max is not finite, min > max, or max - min
/// overflows a double.
std::optional<QuantParams> chooseAsymmetricParams(double min, double max,
                                                  StorageRange range);

/// Symmetric parameters: scale = max(|min|, |max|) / ((qmax - qmin) / 2);
/// zp is 0 for signed ranges and (qmin + qmax + 1) / 2 for unsigned ones
/// (128 for u8). A zero range gives scale 1. Returns nullopt when min or max
/// is not finite or min > max.
std::optional<QuantParams> chooseSymmetricParams(double min, double max,
                                                 StorageRange range);

//===----------------------------------------------------------------------===//
// Requantization of i32 accumulators
//===----------------------------------------------------------------------===//

/// A real multiplier as a Q31 integer and a right shift:
/// real = multiplier * 2^-shift with multiplier in [2^30, 2^31).
struct FixedPointMultiplier {
  int32_t multiplier;
  int shift;
};

/// The fixed-point form of `real`, exact to 31 significant bits (rounded
/// half to even). Returns nullopt unless 0 < real and the shift lands in
/// [1, 62] (real in about [2^-32, 2^30)).
std::optional<FixedPointMultiplier> getFixedPointMultiplier(double real);

/// TOSA `apply_scale_32` with single rounding: (value * multiplier +
/// 2^(shift-1)) >> shift in 64-bit arithmetic (ties round towards +inf),
/// saturated to int32 where TOSA leaves the result undefined. Requires
/// multiplier >= 0 and 1 <= shift <= 62.
inline int32_t applyScale32(int32_t value, int32_t multiplier, int shift) {
  int64_t product = static_cast<int64_t>(value) * multiplier;
  int64_t rounded = (product + (int64_t(1) << (shift - 1))) >> shift;
  if (rounded > std::numeric_limits<int32_t>::max())
    return std::numeric_limits<int32_t>::max();
  if (rounded < std::numeric_limits<int32_t>::min())
    return std::numeric_limits<int32_t>::min();
  return static_cast<int32_t>(rounded);
}

/// Integer-only requantization (targets without floating point):
/// clamp(applyScale32(acc, multiplier, shift) + zeroPoint, range).
inline int64_t requantizeInteger(int32_t acc, FixedPointMultiplier scale,
                                 int64_t zeroPoint, StorageRange range) {
  return saturate(
      static_cast<double>(applyScale32(acc, scale.multiplier, scale.shift)) +
          static_cast<double>(zeroPoint),
      range);
}

/// The float requantization multiplier of a product of two quantized values,
/// as ONNX Runtime computes it for QLinearConv, QLinearMatMul, QGemm (alpha
/// 1) and QLinearMul: M = f32(f32(lhsScale * rhsScale) / resultScale), each
/// scale first rounded to f32. (The real quotient rounded once to f32 can
/// differ from it in the last bit.)
inline float getFloatRequantizeMultiplier(double lhsScale, double rhsScale,
                                          double resultScale) {
  float product = static_cast<float>(lhsScale) * static_cast<float>(rhsScale);
  return product / static_cast<float>(resultScale);
}

/// The multiplier of a global average pool of `count` quantized values, as
/// ONNX Runtime's QLinearGlobalAveragePool (MLAS) computes it:
/// f32(inputScale) / (f32(outputScale) * f32(count)), in f32; it applies
/// to the i32 sum of (q - zp_in) like a requantization multiplier.
inline float getAveragePoolMultiplier(double inputScale, double outputScale,
                                      int64_t count) {
  float denominator =
      static_cast<float>(outputScale) * static_cast<float>(count);
  return static_cast<float>(inputScale) / denominator;
}

/// Float requantization of an accumulator with the multiplier above:
/// clamp(round_half_even(T(acc) * scale) + zeroPoint, range).
template <typename T>
int64_t requantizeFloat(int32_t acc, T scale, int64_t zeroPoint,
                        StorageRange range) {
  T rounded =
      roundToIntegral<T>(static_cast<T>(acc) * scale, Rounding::HalfToEven);
  return saturate(static_cast<double>(rounded) + static_cast<double>(zeroPoint),
                  range);
}

/// The constants of a float quantized addition in ONNX Runtime's QLinearAdd
/// form (MLAS): lhsRatio = f32(s_a / s_y), rhsRatio = f32(s_b / s_y) and
/// offset = f32(zp_y) - fma(lhsRatio, f32(zp_a), f32(rhsRatio * f32(zp_b))),
/// which folds all three zero points.
struct FloatAddParams {
  float lhsRatio;
  float rhsRatio;
  float offset;
};

inline FloatAddParams getFloatAddParams(double lhsScale, int64_t lhsZeroPoint,
                                        double rhsScale, int64_t rhsZeroPoint,
                                        double resultScale,
                                        int64_t resultZeroPoint) {
  float resultScaleF = static_cast<float>(resultScale);
  float lhsRatio = static_cast<float>(lhsScale) / resultScaleF;
  float rhsRatio = static_cast<float>(rhsScale) / resultScaleF;
  float rhsPart = rhsRatio * static_cast<float>(rhsZeroPoint);
  float offset = static_cast<float>(resultZeroPoint) -
                 std::fma(lhsRatio, static_cast<float>(lhsZeroPoint), rhsPart);
  return {lhsRatio, rhsRatio, offset};
}

/// Float quantized addition of the stored values `lhs` and `rhs` (zero
/// points not subtracted): clamp(round_half_even(fma(f32(lhs), lhsRatio,
/// fma(f32(rhs), rhsRatio, offset))), range), two single-rounding fmas.
inline int64_t addFloat(int64_t lhs, int64_t rhs, FloatAddParams params,
                        StorageRange range) {
  float value = std::fma(
      static_cast<float>(lhs), params.lhsRatio,
      std::fma(static_cast<float>(rhs), params.rhsRatio, params.offset));
  return saturate(
      static_cast<double>(roundToIntegral<float>(value, Rounding::HalfToEven)),
      range);
}

/// Float quantized multiplication as ONNX Runtime's QLinearMul (MLAS)
/// computes it, with `product` = (a - zp_a) * (b - zp_b) and `multiplier`
/// from getFloatRequantizeMultiplier: the zero point is added in f32 before
/// the rounding, clamp(round_half_even(f32(f32(product) * multiplier) +
/// f32(zeroPoint)), range).
inline int64_t mulFloat(int64_t product, float multiplier, int64_t zeroPoint,
                        StorageRange range) {
  float scaled = static_cast<float>(product) * multiplier;
  float value = scaled + static_cast<float>(zeroPoint);
  return saturate(
      static_cast<double>(roundToIntegral<float>(value, Rounding::HalfToEven)),
      range);
}

} // namespace qmath

#endif // QUANT_SUPPORT_QUANTMATH_H
