//===- RequantizeTest.cpp - Integer and float requantization tests --------===//
//
// Checks applyScale32 against a 128-bit reference that divides with floor
// semantics instead of shifting, on 10^6 random triples and the edges, and
// the fixed-point multiplier, float requantization and ONNX Runtime's float
// multipliers, addition and multiplication on hand-computed values.
//
//===----------------------------------------------------------------------===//

#include "quant/Support/QuantMath.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <limits>
#include <random>

using namespace qmath;

namespace {

/// floor((value * multiplier + 2^(shift-1)) / 2^shift), saturated to int32,
/// in 128-bit arithmetic with an explicit floor division.
int32_t referenceApplyScale(int32_t value, int32_t multiplier, int shift) {
  __int128 numerator = static_cast<__int128>(value) * multiplier +
                       (static_cast<__int128>(1) << (shift - 1));
  __int128 denominator = static_cast<__int128>(1) << shift;
  __int128 quotient = numerator / denominator;
  if (numerator % denominator != 0 && numerator < 0)
    quotient -= 1; // C++ division truncates; floor goes down
  if (quotient > std::numeric_limits<int32_t>::max())
    return std::numeric_limits<int32_t>::max();
  if (quotient < std::numeric_limits<int32_t>::min())
    return std::numeric_limits<int32_t>::min();
  return static_cast<int32_t>(quotient);
}

TEST(RequantizeTest, ApplyScaleMatchesReferenceOnRandomTriples) {
  std::mt19937_64 rng(20261122);
  std::uniform_int_distribution<int32_t> values(
      std::numeric_limits<int32_t>::min(), std::numeric_limits<int32_t>::max());
  std::uniform_int_distribution<int32_t> multipliers(
      0, std::numeric_limits<int32_t>::max());
  std::uniform_int_distribution<int> shifts(1, 62);
  int mismatches = 0;
  for (int i = 0; i < 1000000; ++i) {
    int32_t value = values(rng);
    // Half the values small, so that small shifts do not always saturate.
    if (i % 2)
      value >>= (i % 31);
    int32_t multiplier = multipliers(rng);
    int shift = shifts(rng);
    int32_t expected = referenceApplyScale(value, multiplier, shift);
    int32_t actual = applyScale32(value, multiplier, shift);
    if (actual != expected && ++mismatches <= 5)
      ADD_FAILURE() << "value " << value << " multiplier " << multiplier
                    << " shift " << shift << ": expected " << expected
                    << ", got " << actual;
  }
  EXPECT_EQ(mismatches, 0);
}

TEST(RequantizeTest, ApplyScaleEdges) {
  constexpr int32_t kMin = std::numeric_limits<int32_t>::min();
  constexpr int32_t kMax = std::numeric_limits<int32_t>::max();
  constexpr int32_t kHalf = int32_t(1) << 30; // 0.5 in Q31
  struct Case {
    int32_t value, multiplier;
    int shift;
    int32_t expected;
  } cases[] = {
      // 2^30 * 2^-31 = 0.5: x * 0.5 with ties towards +inf.
      {3, kHalf, 31, 2},   // 1.5 -> 2
      {-3, kHalf, 31, -1}, // -1.5 -> -1
      {1, kHalf, 31, 1},   // 0.5 -> 1
      {-1, kHalf, 31, 0},  // -0.5 -> 0
      {5, kHalf, 31, 3},   // 2.5 -> 3
      {-5, kHalf, 31, -2}, // -2.5 -> -2
      {kMin, kHalf, 31, -(int32_t(1) << 30)},
      {kMax, kHalf, 31, int32_t(1) << 30}, // 2^30 - 0.5 -> 2^30
      // Shift 32 halves again: 0.25.
      {kMin, kHalf, 32, -(int32_t(1) << 29)},
      {2, kHalf, 32, 1},   // 0.5 -> 1
      {-2, kHalf, 32, 0},  // -0.5 -> 0
      {6, kHalf, 32, 2},   // 1.5 -> 2
      {-6, kHalf, 32, -1}, // -1.5 -> -1
      // Largest multiplier: (2^31 - 1) * 2^-31 is just below 1.
      {kMax, kMax, 31, kMax - 1},
      {kMin, kMax, 31, kMin + 1},
      {kMin, kMax, 1, kMin}, // saturates
      {kMax, kMax, 1, kMax}, // saturates
      {100, kMax, 62, 0},    // tiny multiplier
      {0, kMax, 31, 0},
      {kMin, 0, 31, 0},
  };
  for (const Case &c : cases) {
    EXPECT_EQ(referenceApplyScale(c.value, c.multiplier, c.shift), c.expected)
        << "reference, value " << c.value << " shift " << c.shift;
    EXPECT_EQ(applyScale32(c.value, c.multiplier, c.shift), c.expected)
        << "value " << c.value << " multiplier " << c.multiplier << " shift "
        << c.shift;
  }
}

TEST(RequantizeTest, FixedPointMultiplier) {
  // 0.5 = 2^30 * 2^-31.
  auto half = getFixedPointMultiplier(0.5);
  ASSERT_TRUE(half.has_value());
  EXPECT_EQ(half->multiplier, int32_t(1) << 30);
  EXPECT_EQ(half->shift, 31);
  // 0.75 = 0.75 * 2^31 * 2^-31 = 1610612736 * 2^-31.
  auto threeQuarters = getFixedPointMultiplier(0.75);
  ASSERT_TRUE(threeQuarters.has_value());
  EXPECT_EQ(threeQuarters->multiplier, 1610612736);
  EXPECT_EQ(threeQuarters->shift, 31);
  // 1/3 = 0.666.. * 2^-1: multiplier round(2^32 / 3) = 1431655765, shift 32.
  auto third = getFixedPointMultiplier(1.0 / 3.0);
  ASSERT_TRUE(third.has_value());
  EXPECT_EQ(third->multiplier, 1431655765);
  EXPECT_EQ(third->shift, 32);
  // 1 - 2^-40 rounds up to 2^31 and renormalizes: 2^30 * 2^-30.
  auto almostOne = getFixedPointMultiplier(1.0 - std::ldexp(1.0, -40));
  ASSERT_TRUE(almostOne.has_value());
  EXPECT_EQ(almostOne->multiplier, int32_t(1) << 30);
  EXPECT_EQ(almostOne->shift, 30);
  // Out of range or invalid.
  EXPECT_FALSE(getFixedPointMultiplier(0.0).has_value());
  EXPECT_FALSE(getFixedPointMultiplier(-0.5).has_value());
  EXPECT_FALSE(getFixedPointMultiplier(std::nan("")).has_value());
  EXPECT_FALSE(getFixedPointMultiplier(std::ldexp(1.0, 31)).has_value());
  EXPECT_FALSE(getFixedPointMultiplier(std::ldexp(1.0, -40)).has_value());
}

TEST(RequantizeTest, IntegerRequantizeAddsZeroPointAndSaturates) {
  StorageRange i8{-128, 127}, u8{0, 255};
  FixedPointMultiplier half{int32_t(1) << 30, 31};
  EXPECT_EQ(requantizeInteger(5, half, 0, i8), 3);   // 2.5 -> 3
  EXPECT_EQ(requantizeInteger(-5, half, 0, i8), -2); // -2.5 -> -2
  EXPECT_EQ(requantizeInteger(-5, half, 10, i8), 8);
  EXPECT_EQ(requantizeInteger(1000, half, 0, i8), 127); // 500 saturates
  EXPECT_EQ(requantizeInteger(-1000, half, 0, i8), -128);
  EXPECT_EQ(requantizeInteger(-1000, half, 128, u8), 0);
  EXPECT_EQ(requantizeInteger(200, half, 128, u8), 228);
}

TEST(RequantizeTest, FloatRequantizeRoundsHalfToEven) {
  StorageRange i8{-128, 127};
  EXPECT_EQ(requantizeFloat<float>(5, 0.5f, 0, i8), 2);   // 2.5 -> 2
  EXPECT_EQ(requantizeFloat<float>(-5, 0.5f, 0, i8), -2); // -2.5 -> -2
  EXPECT_EQ(requantizeFloat<float>(3, 0.5f, 0, i8), 2);   // 1.5 -> 2
  EXPECT_EQ(requantizeFloat<float>(7, 0.5f, -1, i8), 3);  // 3.5 -> 4, -1
  EXPECT_EQ(requantizeFloat<float>(1000, 0.5f, 0, i8), 127);
  // The product is taken in float: 2^24 + 1 is not a float, so acc rounds
  // to 2^24 before the scale applies.
  StorageRange i32{std::numeric_limits<int32_t>::min(),
                   std::numeric_limits<int32_t>::max()};
  EXPECT_EQ(requantizeFloat<float>((1 << 24) + 1, 1.0f, 0, i32), 1 << 24);
  EXPECT_EQ(requantizeFloat<double>((1 << 24) + 1, 1.0, 0, i32), (1 << 24) + 1);
}

TEST(RequantizeTest, FloatMultiplierMultipliesScalesFirst) {
  // f32(0.1) * f32(0.2) = 0.0200000005960464 rounds up to the f32
  // 0.0200000014156103 (0x3ca3d70b); divided by f32(0.2) = 0.200000002980232
  // that is 0.10000000559, nearer to 0x3dccccce (0.100000008941) than to
  // 0x3dcccccd (0.100000001490). Dividing the exact real product once gives
  // 0x3dcccccd.
  float m = getFloatRequantizeMultiplier(0.1, 0.2, 0.2);
  uint32_t bits;
  std::memcpy(&bits, &m, sizeof(bits));
  EXPECT_EQ(bits, 0x3dccccceu);
  // Exact cases stay exact.
  EXPECT_EQ(getFloatRequantizeMultiplier(0.5, 0.25, 2.0), 0.0625f);
}

TEST(RequantizeTest, AveragePoolMultiplierMultipliesFirst) {
  // f32(0.2) * 3 = 0.6000000089 rounds to the f32 0.6000000238; f32(0.1) =
  // 0.1000000015 divided by it is 0.1666666625, nearer to 0x3e2aaaaa
  // (0.1666666567) than to 0x3e2aaaab (0.1666666716).
  float m = getAveragePoolMultiplier(0.1, 0.2, 3);
  uint32_t bits;
  std::memcpy(&bits, &m, sizeof(bits));
  EXPECT_EQ(bits, 0x3e2aaaaau);
  EXPECT_EQ(getAveragePoolMultiplier(0.5, 0.25, 4), 0.5f);
}

TEST(RequantizeTest, FloatAddFoldsZeroPointsBeforeRounding) {
  StorageRange i8{-128, 127}, u8{0, 255};
  // s_a = 0.5, s_b = 0.25, s_y = 1: ratios 0.5 and 0.25; zp_a = 3,
  // zp_b = -4, zp_y = 10: offset 10 - (1.5 - 1) = 9.5.
  FloatAddParams params = getFloatAddParams(0.5, 3, 0.25, -4, 1.0, 10);
  EXPECT_EQ(params.lhsRatio, 0.5f);
  EXPECT_EQ(params.rhsRatio, 0.25f);
  EXPECT_EQ(params.offset, 9.5f);
  EXPECT_EQ(addFloat(4, 2, params, i8), 12); // 2 + 0.5 + 9.5
  EXPECT_EQ(addFloat(5, 2, params, i8), 12); // 12.5 -> 12
  EXPECT_EQ(addFloat(7, 2, params, i8), 14); // 13.5 -> 14
  EXPECT_EQ(addFloat(127, 127, params, i8), 105);
  EXPECT_EQ(addFloat(-128, -128, params, i8), -86);
  // The tie is decided on the value with the zero point: with zp_y = 11,
  // (5 - 3) * 0.5 + (2 + 4) * 0.25 = 2.5 gives 13.5 -> 14, where
  // round(2.5) + 11 would give 13.
  FloatAddParams odd = getFloatAddParams(0.5, 3, 0.25, -4, 1.0, 11);
  EXPECT_EQ(addFloat(5, 2, odd, i8), 14);
  // Saturation: u8 with 2 * 255 * 1 + 0 = 510 -> 255; below 0 -> 0.
  FloatAddParams unit = getFloatAddParams(1.0, 0, 1.0, 0, 1.0, 0);
  EXPECT_EQ(addFloat(255, 255, unit, u8), 255);
  FloatAddParams shifted = getFloatAddParams(1.0, 100, 1.0, 100, 1.0, 0);
  EXPECT_EQ(addFloat(0, 0, shifted, u8), 0);
}

TEST(RequantizeTest, FloatMulAddsZeroPointBeforeRounding) {
  StorageRange i8{-128, 127};
  EXPECT_EQ(mulFloat(3, 0.5f, 0, i8), 2);  // 1.5 -> 2
  EXPECT_EQ(mulFloat(5, 0.5f, 0, i8), 2);  // 2.5 -> 2
  EXPECT_EQ(mulFloat(1, 0.5f, 1, i8), 2);  // 0.5 + 1 = 1.5 -> 2
  EXPECT_EQ(mulFloat(-1, 0.5f, 1, i8), 0); // -0.5 + 1 = 0.5 -> 0
  EXPECT_EQ(mulFloat(1000, 0.5f, 0, i8), 127);
  EXPECT_EQ(mulFloat(-1000, 0.5f, 0, i8), -128);
}

} // namespace
