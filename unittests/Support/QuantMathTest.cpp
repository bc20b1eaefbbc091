//===- QuantMathTest.cpp - Tests of the scalar quantization arithmetic ----===//
//
// Checks QuantMath against hand-written tables and against an independent
// reference built on std::nearbyint under the default FE_TONEAREST mode:
// storage ranges, rounding ties, saturation at the storage edges, NaN and
// infinities, scale checks and the choice of scale and zero point. No
// expected value is produced by the code under test.
//
//===----------------------------------------------------------------------===//

#include "quant/Support/QuantMath.h"

#include <gtest/gtest.h>

#include <cfenv>
#include <cfloat>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

using namespace qmath;

namespace {

// Storage ranges written out by hand, so that the quantize tests do not
// depend on getStorageRange.
constexpr StorageRange kI2{-2, 1};
constexpr StorageRange kI4{-8, 7};
constexpr StorageRange kU4{0, 15};
constexpr StorageRange kI8{-128, 127};
constexpr StorageRange kU8{0, 255};
constexpr StorageRange kI8Narrow{-127, 127};
constexpr StorageRange kU8Narrow{1, 255};
constexpr StorageRange kI16{-32768, 32767};
constexpr StorageRange kU16{0, 65535};
constexpr StorageRange kI32{-2147483648LL, 2147483647LL};

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr Rounding kEven = Rounding::HalfToEven;
constexpr Rounding kAway = Rounding::HalfAwayFromZero;

/// One quantize vector whose x, scale and x / scale are exact in f32, so that
/// f32 and f64 give the same (hand-computed) result.
struct QuantizeVector {
  const char *what;
  double x;
  double scale;
  int64_t zeroPoint;
  StorageRange range;
  Rounding mode;
  int64_t expected;
};

/// Checks `v` with quantizeValue<float> and quantizeValue<double>.
void expectQuantizes(const QuantizeVector &v) {
  SCOPED_TRACE(v.what);
  // A vector must be exact in f32; otherwise it belongs in a precision-
  // specific test.
  ASSERT_TRUE(std::isnan(v.x) ||
              static_cast<double>(static_cast<float>(v.x)) == v.x);
  ASSERT_EQ(static_cast<double>(static_cast<float>(v.scale)), v.scale);
  EXPECT_EQ(quantizeValue<float>(static_cast<float>(v.x),
                                 static_cast<float>(v.scale), v.zeroPoint,
                                 v.range, v.mode),
            v.expected)
      << "f32";
  EXPECT_EQ(quantizeValue<double>(v.x, v.scale, v.zeroPoint, v.range, v.mode),
            v.expected)
      << "f64";
}

template <size_t N> void expectAllQuantize(const QuantizeVector (&table)[N]) {
  for (const QuantizeVector &v : table)
    expectQuantizes(v);
}

/// Reference quantization: std::nearbyint (round half to even under the
/// default rounding mode) of the quotient computed in T, then clamped.
template <typename T>
int64_t referenceQuantize(T x, T scale, int64_t zeroPoint, StorageRange r) {
  if (std::isnan(x))
    return zeroPoint;
  T q = std::nearbyint(x / scale);
  if (q <= static_cast<T>(r.min - zeroPoint))
    return r.min;
  if (q >= static_cast<T>(r.max - zeroPoint))
    return r.max;
  return static_cast<int64_t>(q) + zeroPoint;
}

//===----------------------------------------------------------------------===//
// getStorageRange
//===----------------------------------------------------------------------===//

void expectRange(unsigned bits, bool isSigned, bool narrow, int64_t min,
                 int64_t max) {
  SCOPED_TRACE(std::to_string(bits) + (isSigned ? " signed" : " unsigned") +
               (narrow ? " narrow" : ""));
  std::optional<StorageRange> range = getStorageRange(bits, isSigned, narrow);
  ASSERT_TRUE(range.has_value());
  EXPECT_EQ(range->min, min);
  EXPECT_EQ(range->max, max);
}

TEST(QuantMathTest, StorageRangeRejectsWidthsOutside2To32) {
  for (bool isSigned : {true, false}) {
    for (bool narrow : {false, true}) {
      EXPECT_FALSE(getStorageRange(0, isSigned, narrow).has_value());
      EXPECT_FALSE(getStorageRange(1, isSigned, narrow).has_value());
      EXPECT_FALSE(getStorageRange(33, isSigned, narrow).has_value());
      EXPECT_FALSE(getStorageRange(64, isSigned, narrow).has_value());
    }
  }
}

TEST(QuantMathTest, StorageRangeOfSignedAndUnsignedTypes) {
  expectRange(2, true, false, -2, 1);
  expectRange(2, false, false, 0, 3);
  expectRange(4, true, false, -8, 7);
  expectRange(4, false, false, 0, 15);
  expectRange(8, true, false, -128, 127);
  expectRange(8, false, false, 0, 255);
  expectRange(16, true, false, -32768, 32767);
  expectRange(16, false, false, 0, 65535);
  expectRange(32, true, false, -2147483648LL, 2147483647LL);
  expectRange(32, false, false, 0, 4294967295LL);
}

TEST(QuantMathTest, StorageRangeNarrowDropsLowestValue) {
  expectRange(2, true, true, -1, 1);
  expectRange(2, false, true, 1, 3);
  expectRange(4, true, true, -7, 7);
  expectRange(4, false, true, 1, 15);
  expectRange(8, true, true, -127, 127);
  expectRange(8, false, true, 1, 255);
  expectRange(16, true, true, -32767, 32767);
  expectRange(32, true, true, -2147483647LL, 2147483647LL);
  expectRange(32, false, true, 1, 4294967295LL);
}

//===----------------------------------------------------------------------===//
// roundToIntegral
//===----------------------------------------------------------------------===//

TEST(QuantMathTest, RoundsHalfToEven) {
  // {input, expected}, all exact in f32 and f64.
  const double table[][2] = {
      {0.5, 0},     {-0.5, 0},      {1.5, 2},       {-1.5, -2},
      {2.5, 2},     {-2.5, -2},     {3.5, 4},       {-3.5, -4},
      {126.5, 126}, {127.5, 128},   {-127.5, -128}, {-128.5, -128},
      {0.25, 0},    {0.75, 1},      {-0.75, -1},    {1.0, 1},
      {-7.0, -7},   {1000.5, 1000}, {1001.5, 1002}, {-1001.5, -1002},
  };
  for (const auto &row : table) {
    SCOPED_TRACE(row[0]);
    EXPECT_EQ(roundToIntegral<float>(static_cast<float>(row[0]), kEven),
              static_cast<float>(row[1]));
    EXPECT_EQ(roundToIntegral<double>(row[0], kEven), row[1]);
  }
}

TEST(QuantMathTest, RoundsHalfAwayFromZero) {
  const double table[][2] = {
      {0.5, 1},  {-0.5, -1},  {1.5, 2},       {-1.5, -2},
      {2.5, 3},  {-2.5, -3},  {126.5, 127},   {-128.5, -129},
      {0.25, 0}, {-0.75, -1}, {1000.5, 1001}, {-1001.5, -1002},
  };
  for (const auto &row : table) {
    SCOPED_TRACE(row[0]);
    EXPECT_EQ(roundToIntegral<float>(static_cast<float>(row[0]), kAway),
              static_cast<float>(row[1]));
    EXPECT_EQ(roundToIntegral<double>(row[0], kAway), row[1]);
  }
}

TEST(QuantMathTest, RoundsValuesNextToTies) {
  // The neighbours of 0.5 are not ties in either mode.
  float belowHalf = std::nextafter(0.5f, 0.0f); // 0.49999997f
  float aboveHalf = std::nextafter(0.5f, 1.0f);
  EXPECT_EQ(belowHalf, 0x1.fffffep-2f);
  for (Rounding mode : {kEven, kAway}) {
    EXPECT_EQ(roundToIntegral<float>(belowHalf, mode), 0.0f);
    EXPECT_EQ(roundToIntegral<float>(-belowHalf, mode), 0.0f);
    EXPECT_EQ(roundToIntegral<float>(aboveHalf, mode), 1.0f);
    EXPECT_EQ(roundToIntegral<float>(-aboveHalf, mode), -1.0f);
    EXPECT_EQ(roundToIntegral<double>(std::nextafter(2.5, 0.0), mode), 2.0);
    EXPECT_EQ(roundToIntegral<double>(std::nextafter(2.5, 3.0), mode), 3.0);
  }
}

TEST(QuantMathTest, RoundsLargeRepresentableTies) {
  // 2^23 - 0.5 and 2^22 + 0.5 are the largest f32 ties near 2^23 (2^23 + 0.5
  // is not an f32); 2^52 - 0.5 is the f64 counterpart.
  EXPECT_EQ(roundToIntegral<float>(8388607.5f, kEven), 8388608.0f);
  EXPECT_EQ(roundToIntegral<float>(8388606.5f, kEven), 8388606.0f);
  EXPECT_EQ(roundToIntegral<float>(-8388607.5f, kEven), -8388608.0f);
  EXPECT_EQ(roundToIntegral<float>(4194304.5f, kEven), 4194304.0f);
  EXPECT_EQ(roundToIntegral<float>(8388606.5f, kAway), 8388607.0f);
  EXPECT_EQ(roundToIntegral<float>(-8388606.5f, kAway), -8388607.0f);
  EXPECT_EQ(roundToIntegral<double>(4503599627370495.5, kEven),
            4503599627370496.0);
  EXPECT_EQ(roundToIntegral<double>(4503599627370494.5, kEven),
            4503599627370494.0);
  EXPECT_EQ(roundToIntegral<double>(4503599627370494.5, kAway),
            4503599627370495.0);
  // Values at or above 2^23 (f32) / 2^52 (f64) are already integral.
  for (Rounding mode : {kEven, kAway}) {
    EXPECT_EQ(roundToIntegral<float>(8388608.0f, mode), 8388608.0f);
    EXPECT_EQ(roundToIntegral<float>(16777217.0f, mode), 16777217.0f);
    EXPECT_EQ(roundToIntegral<float>(1e30f, mode), 1e30f);
    EXPECT_EQ(roundToIntegral<float>(FLT_MAX, mode), FLT_MAX);
    EXPECT_EQ(roundToIntegral<float>(-FLT_MAX, mode), -FLT_MAX);
    EXPECT_EQ(roundToIntegral<double>(4503599627370497.0, mode),
              4503599627370497.0);
    EXPECT_EQ(roundToIntegral<double>(DBL_MAX, mode), DBL_MAX);
  }
}

TEST(QuantMathTest, RoundingKeepsZeroSignAndNonFinite) {
  for (Rounding mode : {kEven, kAway}) {
    float negZero = roundToIntegral<float>(-0.0f, mode);
    EXPECT_EQ(negZero, 0.0f);
    EXPECT_TRUE(std::signbit(negZero));
    EXPECT_FALSE(std::signbit(roundToIntegral<float>(0.0f, mode)));
    EXPECT_TRUE(std::signbit(roundToIntegral<double>(-0.0, mode)));
    EXPECT_EQ(roundToIntegral<float>(INFINITY, mode), INFINITY);
    EXPECT_EQ(roundToIntegral<float>(-INFINITY, mode), -INFINITY);
    EXPECT_EQ(roundToIntegral<double>(kInf, mode), kInf);
    EXPECT_EQ(roundToIntegral<double>(-kInf, mode), -kInf);
    EXPECT_TRUE(std::isnan(roundToIntegral<float>(NAN, mode)));
    EXPECT_TRUE(std::isnan(roundToIntegral<double>(kNaN, mode)));
    // Subnormals round to zero.
    EXPECT_EQ(roundToIntegral<float>(1e-45f, mode), 0.0f);
    EXPECT_EQ(roundToIntegral<double>(5e-324, mode), 0.0);
  }
}

TEST(QuantMathTest, RoundingMatchesNearbyintOnAGrid) {
  ASSERT_EQ(std::fegetround(), FE_TONEAREST);
  for (int i = -4000; i <= 4000; ++i) {
    float xf = static_cast<float>(i) / 8.0f;
    double xd = static_cast<double>(i) / 8.0;
    EXPECT_EQ(roundToIntegral<float>(xf, kEven), std::nearbyint(xf)) << xf;
    EXPECT_EQ(roundToIntegral<double>(xd, kEven), std::nearbyint(xd)) << xd;
    EXPECT_EQ(roundToIntegral<float>(xf, kAway), std::round(xf)) << xf;
  }
}

TEST(QuantMathTest, RoundingIgnoresTheFloatingPointEnvironment) {
  // volatile keeps the compiler from evaluating the calls at compile time in
  // the default mode.
  volatile float tie = 2.5f;
  volatile double negativeTie = -2.5;
  volatile float third = 0.75f;
  for (int mode : {FE_UPWARD, FE_DOWNWARD, FE_TOWARDZERO}) {
    ASSERT_EQ(std::fesetround(mode), 0);
    float even = roundToIntegral<float>(tie, kEven);
    double evenNeg = roundToIntegral<double>(negativeTie, kEven);
    float away = roundToIntegral<float>(tie, kAway);
    float up = roundToIntegral<float>(third, kEven);
    std::fesetround(FE_TONEAREST);
    EXPECT_EQ(even, 2.0f) << "mode " << mode;
    EXPECT_EQ(evenNeg, -2.0) << "mode " << mode;
    EXPECT_EQ(away, 3.0f) << "mode " << mode;
    EXPECT_EQ(up, 1.0f) << "mode " << mode;
  }
}

//===----------------------------------------------------------------------===//
// quantizeValue: hand-computed tie and edge vectors, f32 and f64
//===----------------------------------------------------------------------===//

TEST(QuantMathTest, QuantizeRoundsTiesHalfToEven) {
  const QuantizeVector table[] = {
      {"0.5 -> 0", 0.5, 1, 0, kI8, kEven, 0},
      {"-0.5 -> 0", -0.5, 1, 0, kI8, kEven, 0},
      {"1.5 -> 2", 1.5, 1, 0, kI8, kEven, 2},
      {"-1.5 -> -2", -1.5, 1, 0, kI8, kEven, -2},
      {"2.5 -> 2", 2.5, 1, 0, kI8, kEven, 2},
      {"-2.5 -> -2", -2.5, 1, 0, kI8, kEven, -2},
      {"3.5 -> 4", 3.5, 1, 0, kI8, kEven, 4},
      {"0.49999997 -> 0", 0x1.fffffep-2, 1, 0, kI8, kEven, 0},
      {"0 -> 0", 0.0, 1, 0, kI8, kEven, 0},
      {"-0 -> 0", -0.0, 1, 0, kI8, kEven, 0},
      {"subnormal -> 0", 0x1p-149, 1, 0, kI8, kEven, 0},
  };
  expectAllQuantize(table);
}

TEST(QuantMathTest, QuantizeSaturatesAtI8Edges) {
  const QuantizeVector table[] = {
      {"126.5 -> 126", 126.5, 1, 0, kI8, kEven, 126},
      {"127 -> 127", 127.0, 1, 0, kI8, kEven, 127},
      {"127.25 -> 127", 127.25, 1, 0, kI8, kEven, 127},
      {"127.5 -> 128 -> 127", 127.5, 1, 0, kI8, kEven, 127},
      {"128 -> 127", 128.0, 1, 0, kI8, kEven, 127},
      {"1e30f -> 127", static_cast<double>(1e30f), 1, 0, kI8, kEven, 127},
      {"-127.5 -> -128", -127.5, 1, 0, kI8, kEven, -128},
      {"-128 -> -128", -128.0, 1, 0, kI8, kEven, -128},
      {"-128.5 -> -128 (even, in range)", -128.5, 1, 0, kI8, kEven, -128},
      {"-129 -> -128", -129.0, 1, 0, kI8, kEven, -128},
      {"-129.5 -> -130 -> -128", -129.5, 1, 0, kI8, kEven, -128},
      {"+Inf -> 127", kInf, 1, 0, kI8, kEven, 127},
      {"-Inf -> -128", -kInf, 1, 0, kI8, kEven, -128},
      {"NaN -> zp 0", kNaN, 1, 0, kI8, kEven, 0},
  };
  expectAllQuantize(table);
}

TEST(QuantMathTest, QuantizeAppliesScaleAndZeroPoint) {
  // scale 0.5, zero point 3: q = round(2x) + 3.
  const QuantizeVector table[] = {
      {"0.25 -> round(0.5)+3 = 3", 0.25, 0.5, 3, kI8, kEven, 3},
      {"0.75 -> round(1.5)+3 = 5", 0.75, 0.5, 3, kI8, kEven, 5},
      {"-0.25 -> round(-0.5)+3 = 3", -0.25, 0.5, 3, kI8, kEven, 3},
      {"-1.25 -> round(-2.5)+3 = 1", -1.25, 0.5, 3, kI8, kEven, 1},
      {"61.25 -> 122+3 = 125", 61.25, 0.5, 3, kI8, kEven, 125},
      {"61.75 -> 124+3 -> 127", 61.75, 0.5, 3, kI8, kEven, 127},
      {"-65.25 -> -130+3 = -127", -65.25, 0.5, 3, kI8, kEven, -127},
      {"-65.5 -> -131+3 = -128", -65.5, 0.5, 3, kI8, kEven, -128},
      {"-65.75 -> -132+3 -> -128", -65.75, 0.5, 3, kI8, kEven, -128},
      {"NaN -> zp 3", kNaN, 0.5, 3, kI8, kEven, 3},
      {"+Inf -> 127", kInf, 0.5, 3, kI8, kEven, 127},
      {"-Inf -> -128", -kInf, 0.5, 3, kI8, kEven, -128},
      // scale 4, zero point -5: q = round(x / 4) - 5.
      {"10 -> round(2.5)-5 = -3", 10.0, 4, -5, kI8, kEven, -3},
      {"-6 -> round(-1.5)-5 = -7", -6.0, 4, -5, kI8, kEven, -7},
      {"530 -> round(132.5)-5 = 127", 530.0, 4, -5, kI8, kEven, 127},
      {"-494 -> round(-123.5)-5 -> -128", -494.0, 4, -5, kI8, kEven, -128},
      {"-490 -> round(-122.5)-5 = -127", -490.0, 4, -5, kI8, kEven, -127},
      // The quotient overflows to +Inf for a finite x.
      {"FLT_MAX / 0.25 -> +Inf -> 127", FLT_MAX, 0.25, 0, kI8, kEven, 127},
  };
  expectAllQuantize(table);
}

TEST(QuantMathTest, QuantizeToUnsignedStorage) {
  const QuantizeVector table[] = {
      // u8, zero point 128.
      {"u8 -0.5 -> 128", -0.5, 1, 128, kU8, kEven, 128},
      {"u8 0.5 -> 128", 0.5, 1, 128, kU8, kEven, 128},
      {"u8 1.5 -> 130", 1.5, 1, 128, kU8, kEven, 130},
      {"u8 -1.5 -> 126", -1.5, 1, 128, kU8, kEven, 126},
      {"u8 126.5 -> 254", 126.5, 1, 128, kU8, kEven, 254},
      {"u8 127.5 -> 256 -> 255", 127.5, 1, 128, kU8, kEven, 255},
      {"u8 -127.5 -> 0", -127.5, 1, 128, kU8, kEven, 0},
      {"u8 -128.5 -> 0", -128.5, 1, 128, kU8, kEven, 0},
      {"u8 -129 -> 0", -129.0, 1, 128, kU8, kEven, 0},
      {"u8 NaN -> 128", kNaN, 1, 128, kU8, kEven, 128},
      {"u8 +Inf -> 255", kInf, 1, 128, kU8, kEven, 255},
      {"u8 -Inf -> 0", -kInf, 1, 128, kU8, kEven, 0},
      // u8, zero point 0.
      {"u8 -0.5 -> 0", -0.5, 1, 0, kU8, kEven, 0},
      {"u8 -1 -> 0", -1.0, 1, 0, kU8, kEven, 0},
      {"u8 254.5 -> 254", 254.5, 1, 0, kU8, kEven, 254},
      {"u8 255.5 -> 256 -> 255", 255.5, 1, 0, kU8, kEven, 255},
      // u4 [0, 15].
      {"u4 14.5 -> 14", 14.5, 1, 0, kU4, kEven, 14},
      {"u4 15.5 -> 15", 15.5, 1, 0, kU4, kEven, 15},
      {"u4 -0.5 -> 0", -0.5, 1, 0, kU4, kEven, 0},
      {"u4 zp 8: 7.5 -> 16 -> 15", 7.5, 1, 8, kU4, kEven, 15},
      {"u4 zp 8: -8.5 -> 0", -8.5, 1, 8, kU4, kEven, 0},
      {"u4 zp 8: NaN -> 8", kNaN, 1, 8, kU4, kEven, 8},
      // u16.
      {"u16 65534.5 -> 65534", 65534.5, 1, 0, kU16, kEven, 65534},
      {"u16 65535.5 -> 65535", 65535.5, 1, 0, kU16, kEven, 65535},
  };
  expectAllQuantize(table);
}

TEST(QuantMathTest, QuantizeToNarrowAndWideSignedStorage) {
  const QuantizeVector table[] = {
      // i4 [-8, 7].
      {"i4 2.5 -> 2", 2.5, 1, 0, kI4, kEven, 2},
      {"i4 6.5 -> 6", 6.5, 1, 0, kI4, kEven, 6},
      {"i4 7.5 -> 8 -> 7", 7.5, 1, 0, kI4, kEven, 7},
      {"i4 -8.5 -> -8", -8.5, 1, 0, kI4, kEven, -8},
      {"i4 -9 -> -8", -9.0, 1, 0, kI4, kEven, -8},
      {"i4 +Inf -> 7", kInf, 1, 0, kI4, kEven, 7},
      {"i4 -Inf -> -8", -kInf, 1, 0, kI4, kEven, -8},
      // i2 [-2, 1].
      {"i2 0.5 -> 0", 0.5, 1, 0, kI2, kEven, 0},
      {"i2 0.75 -> 1", 0.75, 1, 0, kI2, kEven, 1},
      {"i2 1.5 -> 2 -> 1", 1.5, 1, 0, kI2, kEven, 1},
      {"i2 -1.5 -> -2", -1.5, 1, 0, kI2, kEven, -2},
      {"i2 -2.5 -> -2", -2.5, 1, 0, kI2, kEven, -2},
      {"i2 -3 -> -2", -3.0, 1, 0, kI2, kEven, -2},
      // i16 [-32768, 32767].
      {"i16 1000.5 -> 1000", 1000.5, 1, 0, kI16, kEven, 1000},
      {"i16 32766.5 -> 32766", 32766.5, 1, 0, kI16, kEven, 32766},
      {"i16 32767.5 -> 32767", 32767.5, 1, 0, kI16, kEven, 32767},
      {"i16 -32768.5 -> -32768", -32768.5, 1, 0, kI16, kEven, -32768},
      {"i16 -32769 -> -32768", -32769.0, 1, 0, kI16, kEven, -32768},
      // i32: the bounds are f32-exact powers of two.
      {"i32 2^31 -> 2^31-1", 2147483648.0, 1, 0, kI32, kEven, 2147483647LL},
      {"i32 -2^31 -> -2^31", -2147483648.0, 1, 0, kI32, kEven, -2147483648LL},
      {"i32 -2^32 -> -2^31", -4294967296.0, 1, 0, kI32, kEven, -2147483648LL},
      {"i32 +Inf", kInf, 1, 0, kI32, kEven, 2147483647LL},
      {"i32 1e6+0.5 -> 1e6", 1000000.5, 1, 0, kI32, kEven, 1000000},
  };
  expectAllQuantize(table);
}

TEST(QuantMathTest, QuantizeToNarrowRange) {
  const QuantizeVector table[] = {
      {"i8n 126.5 -> 126", 126.5, 1, 0, kI8Narrow, kEven, 126},
      {"i8n 127.5 -> 127", 127.5, 1, 0, kI8Narrow, kEven, 127},
      {"i8n -126.5 -> -126", -126.5, 1, 0, kI8Narrow, kEven, -126},
      {"i8n -127 -> -127", -127.0, 1, 0, kI8Narrow, kEven, -127},
      {"i8n -127.5 -> -128 -> -127", -127.5, 1, 0, kI8Narrow, kEven, -127},
      {"i8n -128 -> -127", -128.0, 1, 0, kI8Narrow, kEven, -127},
      {"i8n -Inf -> -127", -kInf, 1, 0, kI8Narrow, kEven, -127},
      {"i8n NaN -> 0", kNaN, 1, 0, kI8Narrow, kEven, 0},
      {"u8n zp 128: -127 -> 1", -127.0, 1, 128, kU8Narrow, kEven, 1},
      {"u8n zp 128: -127.5 -> 0 -> 1", -127.5, 1, 128, kU8Narrow, kEven, 1},
      {"u8n zp 128: -Inf -> 1", -kInf, 1, 128, kU8Narrow, kEven, 1},
      {"u8n zp 128: 127.5 -> 255", 127.5, 1, 128, kU8Narrow, kEven, 255},
  };
  expectAllQuantize(table);
}

TEST(QuantMathTest, QuantizeRoundsHalfAwayFromZero) {
  const QuantizeVector table[] = {
      {"0.5 -> 1", 0.5, 1, 0, kI8, kAway, 1},
      {"-0.5 -> -1", -0.5, 1, 0, kI8, kAway, -1},
      {"1.5 -> 2", 1.5, 1, 0, kI8, kAway, 2},
      {"2.5 -> 3", 2.5, 1, 0, kI8, kAway, 3},
      {"-2.5 -> -3", -2.5, 1, 0, kI8, kAway, -3},
      {"0.49999997 -> 0", 0x1.fffffep-2, 1, 0, kI8, kAway, 0},
      {"126.5 -> 127", 126.5, 1, 0, kI8, kAway, 127},
      {"127.5 -> 128 -> 127", 127.5, 1, 0, kI8, kAway, 127},
      {"-127.5 -> -128", -127.5, 1, 0, kI8, kAway, -128},
      {"-128.5 -> -129 -> -128", -128.5, 1, 0, kI8, kAway, -128},
      {"scale 0.5 zp 3: -1.25 -> -3+3 = 0", -1.25, 0.5, 3, kI8, kAway, 0},
      {"scale 0.5 zp 3: 0.25 -> 1+3 = 4", 0.25, 0.5, 3, kI8, kAway, 4},
      {"u8 zp 128: -0.5 -> 127", -0.5, 1, 128, kU8, kAway, 127},
      {"i4 6.5 -> 7", 6.5, 1, 0, kI4, kAway, 7},
      {"NaN -> zp 3", kNaN, 0.5, 3, kI8, kAway, 3},
      {"+Inf -> 127", kInf, 1, 0, kI8, kAway, 127},
      {"-Inf -> -128", -kInf, 1, 0, kI8, kAway, -128},
  };
  expectAllQuantize(table);
}

//===----------------------------------------------------------------------===//
// quantizeValue: quotients that are not what decimal arithmetic suggests
//===----------------------------------------------------------------------===//

TEST(QuantMathTest, QuantizeDividesInF32) {
  // 1.55f = 1.54999995..., and 1.55f / 0.1f rounds to 15.499999f in f32:
  // decimal arithmetic suggests round(15.5) = 16, f32 gives 15.
  float x = 1.55f, scale = 0.1f;
  float quotient = x / scale;
  EXPECT_LT(quotient, 15.5f);
  int64_t expected = static_cast<int64_t>(std::nearbyint(quotient));
  EXPECT_EQ(expected, 15);
  EXPECT_EQ(quantizeValue<float>(x, scale, 0, kI8), expected);
  EXPECT_EQ(quantizeValue<float>(-x, scale, 0, kI8), -expected);
  // 0.65f / 0.1f = 6.4999995f: half away from zero gives 6, not 7.
  EXPECT_LT(0.65f / 0.1f, 6.5f);
  EXPECT_EQ(quantizeValue<float>(0.65f, 0.1f, 0, kI8, kAway), 6);
  EXPECT_EQ(quantizeValue<float>(-0.65f, 0.1f, 0, kI8, kAway), -6);
  // 0.35f / 0.1f rounds to exactly 3.5f in f32, a tie: 4 (even).
  EXPECT_EQ(0.35f / 0.1f, 3.5f);
  EXPECT_EQ(quantizeValue<float>(0.35f, 0.1f, 0, kI8), 4);
  EXPECT_EQ(quantizeValue<float>(0.25f, 0.1f, 0, kI8), 2);
  EXPECT_EQ(quantizeValue<float>(0.15f, 0.1f, 0, kI8), 2);
  EXPECT_EQ(quantizeValue<float>(0.15f, 0.1f, 0, kI8, kAway), 2);
}

TEST(QuantMathTest, QuantizeDividesInF64) {
  // 0.35 / 0.1 = 3.4999999999999996 in f64 (f32 gives the tie 3.5 -> 4).
  double quotient = 0.35 / 0.1;
  EXPECT_LT(quotient, 3.5);
  EXPECT_EQ(static_cast<int64_t>(std::nearbyint(quotient)), 3);
  EXPECT_EQ(quantizeValue<double>(0.35, 0.1, 0, kI8), 3);
  EXPECT_EQ(quantizeValue<double>(0.35, 0.1, 0, kI8, kAway), 3);
  // 0.15 / 0.1 = 1.4999999999999998.
  EXPECT_LT(0.15 / 0.1, 1.5);
  EXPECT_EQ(quantizeValue<double>(0.15, 0.1, 0, kI8), 1);
  EXPECT_EQ(quantizeValue<double>(-0.15, 0.1, 5, kI8), 4);
  // 0.25 / 0.1 is exactly 2.5: the tie goes to 2.
  EXPECT_EQ(0.25 / 0.1, 2.5);
  EXPECT_EQ(quantizeValue<double>(0.25, 0.1, 0, kI8), 2);
}

TEST(QuantMathTest, QuantizeMatchesNearbyintReference) {
  ASSERT_EQ(std::fegetround(), FE_TONEAREST);
  const double scales[] = {1.0, 0.5, 0.25, 0.1, 3.0, 2.0 / 255.0, 0.007};
  const int64_t zeroPoints[] = {0, 3, -5, 127};
  for (double scale : scales) {
    for (int64_t zeroPoint : zeroPoints) {
      for (int i = -2400; i <= 2400; ++i) {
        double xd = i / 16.0 * (scale < 0.5 ? 0.1 : 1.0) + 0.05 * (i % 3);
        float xf = static_cast<float>(xd);
        float sf = static_cast<float>(scale);
        ASSERT_EQ(quantizeValue<float>(xf, sf, zeroPoint, kI8),
                  referenceQuantize<float>(xf, sf, zeroPoint, kI8))
            << "f32 x=" << xf << " scale=" << sf << " zp=" << zeroPoint;
        ASSERT_EQ(quantizeValue<double>(xd, scale, zeroPoint, kI8),
                  referenceQuantize<double>(xd, scale, zeroPoint, kI8))
            << "f64 x=" << xd << " scale=" << scale << " zp=" << zeroPoint;
      }
    }
  }
}

//===----------------------------------------------------------------------===//
// dequantizeValue and fakeQuantizeValue
//===----------------------------------------------------------------------===//

TEST(QuantMathTest, DequantizesWithScaleAndZeroPoint) {
  EXPECT_EQ(dequantizeValue<float>(5, 0.5f, 3), 1.0f);
  EXPECT_EQ(dequantizeValue<double>(5, 0.5, 3), 1.0);
  EXPECT_EQ(dequantizeValue<float>(-128, 1.0f, 0), -128.0f);
  EXPECT_EQ(dequantizeValue<float>(127, 0.25f, 0), 31.75f);
  EXPECT_EQ(dequantizeValue<float>(0, 0.5f, 128), -64.0f);
  EXPECT_EQ(dequantizeValue<float>(255, 0.5f, 128), 63.5f);
  EXPECT_EQ(dequantizeValue<double>(3, 0.5, 3), 0.0);
  EXPECT_EQ(dequantizeValue<float>(-8, 2.0f, -8), 0.0f);
  EXPECT_EQ(dequantizeValue<float>(7, 2.0f, -8), 30.0f);
  // The difference is formed in int64_t and converted to T once: for i32
  // extremes it is 2^32 - 1, which f32 rounds to 2^32 and f64 holds exactly.
  EXPECT_EQ(dequantizeValue<float>(2147483647LL, 1.0f, -2147483648LL),
            4294967296.0f);
  EXPECT_EQ(dequantizeValue<double>(2147483647LL, 1.0, -2147483648LL),
            4294967295.0);
  EXPECT_EQ(dequantizeValue<double>(-2147483648LL, 0.5, 2147483647LL),
            -2147483647.5);
}

TEST(QuantMathTest, FakeQuantizesToTheGrid) {
  // i8, scale 0.5, zero point 0.
  EXPECT_EQ(fakeQuantizeValue<float>(0.3f, 0.5f, 0, kI8), 0.5f);
  EXPECT_EQ(fakeQuantizeValue<float>(0.25f, 0.5f, 0, kI8), 0.0f);
  EXPECT_EQ(fakeQuantizeValue<float>(0.75f, 0.5f, 0, kI8), 1.0f);
  EXPECT_EQ(fakeQuantizeValue<float>(-0.75f, 0.5f, 0, kI8), -1.0f);
  EXPECT_EQ(fakeQuantizeValue<float>(100.0f, 0.5f, 0, kI8), 63.5f);
  EXPECT_EQ(fakeQuantizeValue<float>(-100.0f, 0.5f, 0, kI8), -64.0f);
  EXPECT_EQ(fakeQuantizeValue<float>(INFINITY, 0.5f, 0, kI8), 63.5f);
  EXPECT_EQ(fakeQuantizeValue<float>(-INFINITY, 0.5f, 0, kI8), -64.0f);
  EXPECT_EQ(fakeQuantizeValue<float>(NAN, 0.5f, 0, kI8), 0.0f);
  // Zero point 3: the grid is shifted, saturation at (-128 - 3) * 0.5.
  EXPECT_EQ(fakeQuantizeValue<double>(-100.0, 0.5, 3, kI8), -65.5);
  EXPECT_EQ(fakeQuantizeValue<double>(100.0, 0.5, 3, kI8), 62.0);
  EXPECT_EQ(fakeQuantizeValue<double>(kNaN, 0.5, 3, kI8), 0.0);
  EXPECT_EQ(fakeQuantizeValue<double>(-1.25, 0.5, 3, kI8), -1.0);
  // Half away from zero.
  EXPECT_EQ(fakeQuantizeValue<float>(0.25f, 0.5f, 0, kI8, kAway), 0.5f);
  EXPECT_EQ(fakeQuantizeValue<double>(-1.25, 0.5, 3, kI8, kAway), -1.5);
  // Narrow range and u4.
  EXPECT_EQ(fakeQuantizeValue<float>(-200.0f, 1.0f, 0, kI8Narrow), -127.0f);
  EXPECT_EQ(fakeQuantizeValue<float>(100.0f, 0.25f, 8, kU4), 1.75f);
  EXPECT_EQ(fakeQuantizeValue<float>(-100.0f, 0.25f, 8, kU4), -2.0f);
}

//===----------------------------------------------------------------------===//
// checkScale
//===----------------------------------------------------------------------===//

TEST(QuantMathTest, ChecksScales) {
  // Not positive.
  EXPECT_EQ(checkScale<float>(0.0), ScaleStatus::NotPositive);
  EXPECT_EQ(checkScale<double>(0.0), ScaleStatus::NotPositive);
  EXPECT_EQ(checkScale<float>(-0.0), ScaleStatus::NotPositive);
  EXPECT_EQ(checkScale<float>(-1.0), ScaleStatus::NotPositive);
  EXPECT_EQ(checkScale<double>(-1e-40), ScaleStatus::NotPositive);
  // Not finite.
  EXPECT_EQ(checkScale<float>(kNaN), ScaleStatus::NotFinite);
  EXPECT_EQ(checkScale<double>(kNaN), ScaleStatus::NotFinite);
  EXPECT_EQ(checkScale<float>(kInf), ScaleStatus::NotFinite);
  EXPECT_EQ(checkScale<double>(kInf), ScaleStatus::NotFinite);
  EXPECT_EQ(checkScale<float>(-kInf), ScaleStatus::NotFinite);
  EXPECT_EQ(checkScale<double>(-kInf), ScaleStatus::NotFinite);
  // 1e39 overflows f32 but is an ordinary f64.
  EXPECT_EQ(checkScale<float>(1e39), ScaleStatus::NotFinite);
  EXPECT_EQ(checkScale<double>(1e39), ScaleStatus::Ok);
  EXPECT_EQ(checkScale<float>(static_cast<double>(FLT_MAX)), ScaleStatus::Ok);
  // 1e-40 is subnormal in f32, normal in f64.
  EXPECT_EQ(checkScale<float>(1e-40), ScaleStatus::Subnormal);
  EXPECT_EQ(checkScale<double>(1e-40), ScaleStatus::Ok);
  // 1e-50 rounds to 0 in f32.
  EXPECT_EQ(checkScale<float>(1e-50), ScaleStatus::Subnormal);
  // The smallest normals are accepted; the next value down is not.
  EXPECT_EQ(checkScale<float>(static_cast<double>(FLT_MIN)), ScaleStatus::Ok);
  EXPECT_EQ(
      checkScale<float>(static_cast<double>(std::nextafter(FLT_MIN, 0.0f))),
      ScaleStatus::Subnormal);
  EXPECT_EQ(checkScale<double>(DBL_MIN), ScaleStatus::Ok);
  EXPECT_EQ(checkScale<double>(5e-324), ScaleStatus::Subnormal);
  EXPECT_EQ(checkScale<double>(std::nextafter(DBL_MIN, 0.0)),
            ScaleStatus::Subnormal);
  // Ordinary scales.
  EXPECT_EQ(checkScale<float>(1.0), ScaleStatus::Ok);
  EXPECT_EQ(checkScale<float>(0.1), ScaleStatus::Ok);
  EXPECT_EQ(checkScale<double>(2.0 / 255.0), ScaleStatus::Ok);
}

//===----------------------------------------------------------------------===//
// chooseAsymmetricParams
//===----------------------------------------------------------------------===//

void expectParams(std::optional<QuantParams> params, double scale,
                  int64_t zeroPoint, bool floored = false) {
  ASSERT_TRUE(params.has_value());
  EXPECT_DOUBLE_EQ(params->scale, scale);
  EXPECT_EQ(params->zeroPoint, zeroPoint);
  EXPECT_EQ(params->scaleFloored, floored);
}

TEST(QuantMathTest, ChoosesAsymmetricParams) {
  // [-1, 1] u8: scale 2/255, zp = round(0 + 1 / (2/255)) = round(127.5) = 128.
  {
    SCOPED_TRACE("[-1, 1] u8");
    expectParams(chooseAsymmetricParams(-1, 1, kU8), 2.0 / 255, 128);
  }
  // [-1, 1] i8: zp = round(-128 + 127.5) = round(-0.5) = 0 (half to even).
  {
    SCOPED_TRACE("[-1, 1] i8");
    expectParams(chooseAsymmetricParams(-1, 1, kI8), 2.0 / 255, 0);
  }
  // [0, 6] i8: scale 6/255, zp = -128 - 0 = -128; u8: zp 0.
  {
    SCOPED_TRACE("[0, 6]");
    expectParams(chooseAsymmetricParams(0, 6, kI8), 6.0 / 255, -128);
    expectParams(chooseAsymmetricParams(0, 6, kU8), 6.0 / 255, 0);
  }
  // [-6, 0] i8: zp = round(-128 + 255) = 127.
  {
    SCOPED_TRACE("[-6, 0] i8");
    expectParams(chooseAsymmetricParams(-6, 0, kI8), 6.0 / 255, 127);
  }
  // [-3, 1] u8: scale 4/255, zp = round(3 * 255 / 4) = round(191.25) = 191.
  {
    SCOPED_TRACE("[-3, 1] u8");
    expectParams(chooseAsymmetricParams(-3, 1, kU8), 4.0 / 255, 191);
  }
  // [2, 5] is widened to [0, 5].
  {
    SCOPED_TRACE("[2, 5] u8");
    expectParams(chooseAsymmetricParams(2, 5, kU8), 5.0 / 255, 0);
  }
  // [-1, 2] i4: scale 3/15 = 0.2, zp = round(-8 + 5) = -3.
  {
    SCOPED_TRACE("[-1, 2] i4");
    expectParams(chooseAsymmetricParams(-1, 2, kI4), 0.2, -3);
  }
  // Narrow i8: [-1, 1] with 254 levels: scale 2/254, zp round(-127 + 127) = 0.
  {
    SCOPED_TRACE("[-1, 1] i8 narrow");
    expectParams(chooseAsymmetricParams(-1, 1, kI8Narrow), 2.0 / 254, 0);
  }
}

TEST(QuantMathTest, ChoosesAsymmetricParamsForDegenerateRanges) {
  // min = max = 0: scale 1, zero point the storage value nearest 0.
  expectParams(chooseAsymmetricParams(0, 0, kU8), 1.0, 0);
  expectParams(chooseAsymmetricParams(0, 0, kI8), 1.0, 0);
  expectParams(chooseAsymmetricParams(0, 0, kU8Narrow), 1.0, 1);
  expectParams(chooseAsymmetricParams(-0.0, 0.0, kI4), 1.0, 0);
  // min = max = 3 is widened to [0, 3].
  expectParams(chooseAsymmetricParams(3, 3, kU8), 3.0 / 255, 0);
  expectParams(chooseAsymmetricParams(3, 3, kI8), 3.0 / 255, -128);
  // min = max = -2 is widened to [-2, 0]: zp = qmin + 255.
  expectParams(chooseAsymmetricParams(-2, -2, kU8), 2.0 / 255, 255);
  expectParams(chooseAsymmetricParams(-2, -2, kI8), 2.0 / 255, 127);
}

TEST(QuantMathTest, FloorsTinyAsymmetricScales) {
  constexpr double flt_min = 1.17549435082228750797e-38;
  ASSERT_EQ(kMinScale, flt_min);
  ASSERT_EQ(kMinScale, static_cast<double>(FLT_MIN));
  // [0, 1e-45]: 1e-45 / 255 is far below FLT_MIN.
  expectParams(chooseAsymmetricParams(0, 1e-45, kU8), flt_min, 0, true);
  expectParams(chooseAsymmetricParams(-1e-45, 1e-45, kI8), flt_min, -128, true);
  // [-1e-36, 1e-36] i8: 2e-36 / 255 < FLT_MIN; with the floored scale
  // zp = round(-128 + 1e-36 / FLT_MIN) = round(-128 + 85.07) = -43.
  expectParams(chooseAsymmetricParams(-1e-36, 1e-36, kI8), flt_min, -43, true);
  // A range whose scale is exactly representable and normal is not floored.
  expectParams(chooseAsymmetricParams(0, 255 * 1e-30, kU8), 1e-30, 0, false);
}

TEST(QuantMathTest, RejectsInvalidAsymmetricRanges) {
  EXPECT_FALSE(chooseAsymmetricParams(kNaN, 1, kI8).has_value());
  EXPECT_FALSE(chooseAsymmetricParams(-1, kNaN, kI8).has_value());
  EXPECT_FALSE(chooseAsymmetricParams(-kInf, 1, kI8).has_value());
  EXPECT_FALSE(chooseAsymmetricParams(-1, kInf, kI8).has_value());
  EXPECT_FALSE(chooseAsymmetricParams(-kInf, kInf, kU8).has_value());
  EXPECT_FALSE(chooseAsymmetricParams(1, -1, kI8).has_value());
  EXPECT_FALSE(chooseAsymmetricParams(3, 2, kU8).has_value());
}

//===----------------------------------------------------------------------===//
// chooseSymmetricParams
//===----------------------------------------------------------------------===//

TEST(QuantMathTest, ChoosesSymmetricParams) {
  // i8 [-2, 1]: absmax 2, (127 + 128) / 2 = 127.5 levels per side, zp 0.
  expectParams(chooseSymmetricParams(-2, 1, kI8), 2 / 127.5, 0);
  // Narrow i8 [-127, 127]: 254 / 2 = 127, scale = absmax / 127.
  expectParams(chooseSymmetricParams(-2, 1, kI8Narrow), 2.0 / 127, 0);
  expectParams(chooseSymmetricParams(-0.5, 3, kI8Narrow), 3.0 / 127, 0);
  // u8: zp (0 + 255 + 1) / 2 = 128, scale absmax / 127.5.
  expectParams(chooseSymmetricParams(-2, 1, kU8), 2 / 127.5, 128);
  // Narrow u8 [1, 255]: zp (1 + 255 + 1) / 2 = 128, scale absmax / 127.
  expectParams(chooseSymmetricParams(-2, 1, kU8Narrow), 2.0 / 127, 128);
  // i4: absmax / 7.5, zp 0; u4: zp 8.
  expectParams(chooseSymmetricParams(-1, 3, kI4), 3 / 7.5, 0);
  expectParams(chooseSymmetricParams(-1, 3, kU4), 3 / 7.5, 8);
  // i2 [-2, 1]: absmax / 1.5.
  expectParams(chooseSymmetricParams(-3, 0, kI2), 2.0, 0);
  // u16: zp 32768.
  expectParams(chooseSymmetricParams(-1, 1, kU16), 1 / 32767.5, 32768);
  // The range need not contain 0: [3, 5] and [-5, -3] have absmax 5.
  expectParams(chooseSymmetricParams(3, 5, kI8), 5 / 127.5, 0);
  expectParams(chooseSymmetricParams(-5, -3, kI8), 5 / 127.5, 0);
}

TEST(QuantMathTest, ChoosesSymmetricParamsForDegenerateAndTinyRanges) {
  expectParams(chooseSymmetricParams(0, 0, kI8), 1.0, 0);
  expectParams(chooseSymmetricParams(0, 0, kU8), 1.0, 128);
  expectParams(chooseSymmetricParams(-0.0, -0.0, kI8Narrow), 1.0, 0);
  // min = max = 3: absmax 3.
  expectParams(chooseSymmetricParams(3, 3, kI8), 3 / 127.5, 0);
  // Tiny ranges are floored to FLT_MIN.
  expectParams(chooseSymmetricParams(-1e-45, 1e-45, kI8),
               static_cast<double>(FLT_MIN), 0, true);
  expectParams(chooseSymmetricParams(0, 1e-40, kU8),
               static_cast<double>(FLT_MIN), 128, true);
}

TEST(QuantMathTest, RejectsInvalidSymmetricRanges) {
  EXPECT_FALSE(chooseSymmetricParams(kNaN, 1, kI8).has_value());
  EXPECT_FALSE(chooseSymmetricParams(-1, kNaN, kI8).has_value());
  EXPECT_FALSE(chooseSymmetricParams(-kInf, 1, kI8).has_value());
  EXPECT_FALSE(chooseSymmetricParams(-1, kInf, kU8).has_value());
  EXPECT_FALSE(chooseSymmetricParams(1, -1, kI8).has_value());
}

} // namespace
