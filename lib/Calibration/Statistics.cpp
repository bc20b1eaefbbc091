//===- Statistics.cpp - Exactly mergeable observer statistics -------------===//
//
// Nothing here rounds in a way that depends on the order of the data: counts
// are integers, the moving-average sums are exact fixed-point integers, and
// the histogram is re-binned only by merging whole bin pairs, which on
// zero-anchored power-of-two edges is exactly what binning at the coarser
// width in one pass would give.
//
//===----------------------------------------------------------------------===//

#include "quant/Calibration/Statistics.h"

#include "quant/Kernels/Int8Gemm.h"

#include "llvm/ADT/APFloat.h"
#include "llvm/ADT/bit.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"

#include <algorithm>
#include <cmath>
#include <vector>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#endif

using namespace mlir::qnt::calib;
using llvm::APInt;

//===----------------------------------------------------------------------===//
// Histogram
//===----------------------------------------------------------------------===//

double Histogram::binWidth() const { return std::ldexp(1.0, exponent); }

double Histogram::lowerEdge() const {
  return std::ldexp(static_cast<double>(firstBin), exponent);
}

double Histogram::upperEdge() const {
  return std::ldexp(static_cast<double>(firstBin) + counts.size(), exponent);
}

uint64_t Histogram::totalCount() const {
  uint64_t total = 0;
  for (uint64_t c : counts)
    total += c;
  return total;
}

int64_t mlir::qnt::calib::histogramBinIndex(float x, int exponent) {
  // |x| < 2^128 and exponent is in about [-149, 120], so the scaled value
  // lies in [2^-270, 2^278]: exact in double, and below 2^35 in magnitude
  // whenever exponent respects the floor of histogramExponent.
  return static_cast<int64_t>(
      std::floor(std::ldexp(static_cast<double>(x), -exponent)));
}

int mlir::qnt::calib::histogramExponent(float min, float max) {
  float absMax = std::max(std::fabs(min), std::fabs(max));
  int e = kMinHistogramExponent;
  if (absMax != 0)
    e = std::max(std::ilogb(absMax) - 34, kMinHistogramExponent);
  // The bin count only shrinks as e grows, so the first e that fits is the
  // smallest one above the floor. At most ~36 steps: the span is <= 2*absMax.
  while (histogramBinIndex(max, e) - histogramBinIndex(min, e) >=
         kHistogramBins)
    ++e;
  return e;
}

#if defined(__x86_64__) && defined(__GNUC__)
/// The range of values [0, n) in one pass with AVX-512 F, 16 at a time;
/// false (and no range) when any value is not finite. The zeros' signs may
/// differ from std::min/std::max's, which adding +0.0 afterwards erases.
[[gnu::target("avx512f")]] static bool
getFiniteRangeAvx512(const float *values, size_t n, float &min, float &max) {
  const __m512i exponent = _mm512_set1_epi32(0x7f800000);
  __m512 lo = _mm512_set1_ps(values[0]), hi = lo;
  __mmask16 nonFinite = 0;
  size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    __m512 x = _mm512_loadu_ps(values + i);
    nonFinite |= _mm512_cmpeq_epi32_mask(
        _mm512_and_si512(_mm512_castps_si512(x), exponent), exponent);
    lo = _mm512_min_ps(lo, x);
    hi = _mm512_max_ps(hi, x);
  }
  if (i < n) {
    const __mmask16 live = __mmask16((1u << (n - i)) - 1);
    __m512 x = _mm512_mask_loadu_ps(lo, live, values + i);
    nonFinite |= _mm512_mask_cmpeq_epi32_mask(
        live, _mm512_and_si512(_mm512_castps_si512(x), exponent), exponent);
    lo = _mm512_min_ps(lo, x);
    hi = _mm512_max_ps(hi, _mm512_mask_loadu_ps(hi, live, values + i));
  }
  if (nonFinite)
    return false;
  min = _mm512_reduce_min_ps(lo);
  max = _mm512_reduce_max_ps(hi);
  return true;
}

/// The bins of values [0, n) counted into the four sub-histograms `sub`
/// (`bins` each, from bin `first`) with AVX-512 F/DQ, 16 values at a time:
/// x * 2^-exponent in double, floored, as the scalar loop computes it. Also
/// takes their range into lo and hi. Returns false, with the counts
/// partial, as soon as a value is not finite or lies outside the bins.
///
/// The values in the bin of 0 (after a ReLU, often most of them) are only
/// counted, by mask; the other lanes' bins are compressed into a buffer
/// that a plain loop then increments. Incrementing every lane one by one
/// spent most of the time on the zeros (the bundled CNN's calibration, 41
/// to 65% zeros after its ReLUs: 23.5k -> 27.5k samples/s).
[[gnu::target("avx512f,avx512dq")]] static bool
countBinsAvx512(const float *values, size_t n, double scale, int64_t first,
                uint32_t *sub, size_t bins, float &lo, float &hi) {
  const __m512d s = _mm512_set1_pd(scale);
  const __m512i base = _mm512_set1_epi64(first);
  const __m512i binCount = _mm512_set1_epi32(int32_t(bins));
  // Bin indices fit in 32 bits (bins <= kHistogramBins); -1 matches none.
  const int64_t zeroBin = -first;
  const bool zeroInRange = zeroBin >= 0 && zeroBin < int64_t(bins);
  const __m512i zeroIndex =
      _mm512_set1_epi32(zeroInRange ? int32_t(zeroBin) : -1);
  constexpr size_t kBuffer = 1024;
  alignas(64) int32_t buffer[kBuffer + 16];
  size_t filled = 0;
  uint64_t inZeroBin = 0;
  auto flush = [&]() {
    size_t j = 0;
    for (; j + 4 <= filled; j += 4)
      for (size_t l = 0; l < 4; ++l)
        ++sub[l * bins + size_t(buffer[j + l])];
    for (; j < filled; ++j)
      ++sub[size_t(buffer[j])];
    filled = 0;
  };
  __m512 low = _mm512_set1_ps(values[0]), high = low;
  __mmask16 outside = 0;
  for (size_t i = 0; i < n && !outside; i += 16) {
    // The tail's dead lanes repeat a live value and are not counted.
    const __mmask16 live =
        n - i >= 16 ? __mmask16(0xffff) : __mmask16((1u << (n - i)) - 1);
    const __m512 x = _mm512_mask_loadu_ps(low, live, values + i);
    low = _mm512_min_ps(low, x);
    high = _mm512_max_ps(high, x);
    __m256i half[2];
    for (int h = 0; h < 2; ++h) {
      __m512d d = _mm512_mul_pd(_mm512_cvtps_pd(h ? _mm512_extractf32x8_ps(x, 1)
                                                  : _mm512_castps512_ps256(x)),
                                s);
      d = _mm512_roundscale_pd(d, _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC);
      // Saturated: NaN and infinities (converted to INT64_MIN) and values
      // far outside end up outside the bins too.
      half[h] = _mm512_cvtsepi64_epi32(
          _mm512_sub_epi64(_mm512_cvttpd_epi64(d), base));
    }
    __m512i index =
        _mm512_inserti64x4(_mm512_castsi256_si512(half[0]), half[1], 1);
    outside = _mm512_mask_cmpge_epu32_mask(live, index, binCount);
    // Not among the lanes outside: with the bin of 0 outside the bins, the
    // bin just below the first one is index -1 too.
    __mmask16 zero =
        _mm512_mask_cmpeq_epi32_mask(live & ~outside, index, zeroIndex);
    __mmask16 other = live & ~zero & ~outside;
    inZeroBin += __builtin_popcount(unsigned(zero));
    _mm512_storeu_si512(buffer + filled,
                        _mm512_maskz_compress_epi32(other, index));
    filled += __builtin_popcount(unsigned(other));
    if (filled >= kBuffer)
      flush();
  }
  flush();
  if (zeroInRange && inZeroBin)
    sub[size_t(zeroBin)] += uint32_t(inZeroBin);
  lo = _mm512_reduce_min_ps(low);
  hi = _mm512_reduce_max_ps(high);
  return !outside;
}

static bool cpuHasAvx512Dq() {
  using mlir::qnt::kernels::CpuIsa;
  static const bool has = mlir::qnt::kernels::isCpuIsaAllowed(CpuIsa::Avx512) &&
                          __builtin_cpu_supports("avx512f") &&
                          __builtin_cpu_supports("avx512dq");
  return has;
}
#endif

/// floor(k / 2^shift) for any sign of k.
static int64_t floorShift(int64_t k, int shift) {
  if (shift >= 63)
    return k < 0 ? -1 : 0;
  if (k >= 0)
    return k >> shift;
  return -((-(k + 1)) >> shift) - 1;
}

//===----------------------------------------------------------------------===//
// Fixed-point sums
//===----------------------------------------------------------------------===//

/// x * 2^149 as an exact kFixedPointBits-wide integer (x finite).
static APInt toFixedPoint(float x) {
  APInt result(kFixedPointBits, 0);
  if (x == 0)
    return result;
  int exp;
  float frac = std::frexp(x, &exp); // |frac| in [0.5, 1), also for subnormals
  int64_t mantissa = static_cast<int64_t>(std::ldexp(frac, 24));
  result = APInt(kFixedPointBits, static_cast<uint64_t>(std::llabs(mantissa)));
  int shift = exp - 24 + kFixedPointShift;
  // A right shift only drops zero bits: a subnormal's mantissa has them.
  if (shift >= 0)
    result <<= shift;
  else
    result.lshrInPlace(-shift);
  if (mantissa < 0)
    result.negate();
  return result;
}

/// sum / (batches * 2^149) rounded to double.
static double fixedPointMean(const APInt &sum, uint64_t batches) {
  if (batches == 0)
    return 0;
  // 64 extra fraction bits before the integer division, then one rounding.
  APInt wide = sum.sext(512).shl(64);
  APInt quotient = wide.sdiv(APInt(512, batches));
  llvm::APFloat value(llvm::APFloat::IEEEdouble());
  value.convertFromAPInt(quotient, /*IsSigned=*/true,
                         llvm::APFloat::rmNearestTiesToEven);
  value = llvm::scalbn(value, -(kFixedPointShift + 64),
                       llvm::APFloat::rmNearestTiesToEven);
  return value.convertToDouble();
}

//===----------------------------------------------------------------------===//
// ObserverStats
//===----------------------------------------------------------------------===//

double ObserverStats::avgMin() const {
  if (empty())
    return 0;
  return std::clamp(fixedPointMean(s.sumBatchMin, s.batches), double(s.min),
                    double(s.max));
}

double ObserverStats::avgMax() const {
  if (empty())
    return 0;
  return std::clamp(fixedPointMean(s.sumBatchMax, s.batches), double(s.min),
                    double(s.max));
}

void ObserverStats::rebin(int exponent, float newMin, float newMax) {
  Histogram &h = s.histogram;
  int64_t first = histogramBinIndex(newMin, exponent);
  int64_t last = histogramBinIndex(newMax, exponent);
  // Most batches of a long calibration leave the bins as they are.
  if (!h.counts.empty() && exponent == h.exponent && first == h.firstBin &&
      last - first + 1 == int64_t(h.counts.size()))
    return;
  std::vector<uint64_t> counts(last - first + 1, 0);
  if (!h.counts.empty()) {
    int shift = exponent - h.exponent;
    for (size_t i = 0, e = h.counts.size(); i != e; ++i)
      counts[floorShift(h.firstBin + int64_t(i), shift) - first] += h.counts[i];
  }
  h.exponent = exponent;
  h.firstBin = first;
  h.counts = std::move(counts);
}

namespace {
/// A batch goes to separate threads in slices of at least this many values
/// (shorter ones would cost more in starting threads and adding
/// sub-histograms than they save), one slice per thread: more slices than
/// threads each zero and add their own sub-histograms (bundled CNN, 2
/// threads: 4 slices took the statistics 0.14 s, 2 slices 0.125 s).
constexpr size_t kMinSliceValues = size_t(1) << 13;
constexpr unsigned kMaxSlices = 16;
/// Values a 32-bit sub-histogram counts at most before it is added in.
constexpr size_t kMaxSubHistogramValues = size_t(1) << 31;

/// `count` values cut in `slices` consecutive slices of `per` values (the
/// last one shorter).
struct Slicing {
  size_t count;
  unsigned slices;
  size_t per;
  Slicing(size_t count, unsigned slices)
      : count(count), slices(slices), per((count + slices - 1) / slices) {}
  size_t begin(unsigned slice) const {
    return std::min(count, size_t(slice) * per);
  }
  size_t end(unsigned slice) const {
    return std::min(count, begin(slice) + per);
  }
};

/// The range of a batch from the ranges of its `slices` slices, when every
/// slice succeeded (`ok`); false otherwise.
bool combineRanges(const bool *ok, const float *lo, const float *hi,
                   unsigned slices, float &min, float &max) {
  if (!std::all_of(ok, ok + slices, [](bool sliceOk) { return sliceOk; }))
    return false;
  min = *std::min_element(lo, lo + slices);
  max = *std::max_element(hi, hi + slices);
  return true;
}

/// Runs body over the slices, on several threads when `parallel` is given.
void forEachSlice(ParallelFor parallel, unsigned slices,
                  llvm::function_ref<void(unsigned)> body) {
  if (slices > 1 && parallel.run)
    parallel.run(slices, body);
  else
    for (unsigned slice = 0; slice < slices; ++slice)
      body(slice);
}

/// Counts x in its bin of `counts` (relative to bin `first`) unless it is
/// not finite: histogramBinIndex with the power of two hoisted out of the
/// loop (multiplying by 2^-exponent is the same exact scaling as ldexp) and
/// floor by truncation (|scaled| < 2^35 here), so no libm call per value.
inline void countValue(float x, double scale, int64_t first, uint32_t *counts) {
  if (!std::isfinite(x))
    return;
  double scaled = static_cast<double>(x) * scale;
  int64_t bin = static_cast<int64_t>(scaled);
  bin -= static_cast<double>(bin) > scaled;
  ++counts[bin - first];
}

/// Counts values [0, n) (n <= kMaxSubHistogramValues) into four interleaved
/// sub-histograms `sub` of `bins` each: runs of equal values (the zeros
/// after a ReLU) would otherwise increment one counter back to back, each
/// increment waiting for the last. With `allFinite`, all the values lie in
/// the bins.
void countSlice(const float *values, size_t n, bool allFinite, double scale,
                int64_t first, uint32_t *sub, size_t bins) {
#if defined(__x86_64__) && defined(__GNUC__)
  float lo, hi;
  if (allFinite && n && cpuHasAvx512Dq()) {
    countBinsAvx512(values, n, scale, first, sub, bins, lo, hi);
    return;
  }
#endif
  size_t i = 0;
  for (; i + 4 <= n; i += 4)
    for (size_t l = 0; l < 4; ++l)
      countValue(values[i + l], scale, first, sub + l * bins);
  for (; i < n; ++i)
    countValue(values[i], scale, first, sub);
}
} // namespace

llvm::Error ObserverStats::addBatch(llvm::ArrayRef<float> values,
                                    NonFinitePolicy policy,
                                    ParallelFor parallel) {
  uint64_t nan = 0, posInf = 0, negInf = 0, finite = 0;
  float batchMin = 0, batchMax = 0;
  const unsigned slices = parallel.run
                              ? unsigned(std::clamp<size_t>(
                                    values.size() / kMinSliceValues, 1,
                                    std::clamp(parallel.width, 1u, kMaxSlices)))
                              : 1;
  // Where the counts go: four sub-histograms per slice, in this thread's
  // buffer. The tasks get its address (`subData`): in them, the name `sub`
  // would be each thread's own buffer.
  thread_local std::vector<uint32_t> sub;
  auto addCounts = [&](size_t bins) {
    for (size_t part = 0; part < size_t(slices) * 4; ++part)
      for (size_t b = 0; b < bins; ++b)
        s.histogram.counts[b] += sub[part * bins + b];
  };
  auto commit = [&](float batchMin, float batchMax, float newMin, float newMax,
                    uint64_t finite) {
    s.min = newMin;
    s.max = newMax;
    s.batches += 1;
    s.values += finite;
    s.sumBatchMin += toFixedPoint(batchMin);
    s.sumBatchMax += toFixedPoint(batchMax);
  };

#if defined(__x86_64__) && defined(__GNUC__)
  // After the first batch, most fall inside the bins there are: count them
  // at those bins while taking their range, in one pass, and keep the
  // counts when the range leaves the bins as they are (the same exponent
  // and first and last bin, so the same counts as two passes). Otherwise,
  // or on a non-finite value, two passes.
  if (!empty() && !values.empty() && cpuHasAvx512Dq() &&
      values.size() <= slices * kMaxSubHistogramValues) {
    const Histogram &h = s.histogram;
    const size_t bins = h.counts.size();
    const double scale = std::ldexp(1.0, -h.exponent);
    sub.resize(size_t(slices) * 4 * bins);
    uint32_t *const subData = sub.data();
    Slicing slicing(values.size(), slices);
    float lo[kMaxSlices], hi[kMaxSlices];
    bool inBins[kMaxSlices];
    forEachSlice(parallel, slices, [&](unsigned slice) {
      uint32_t *counts = subData + size_t(slice) * 4 * bins;
      std::fill(counts, counts + 4 * bins, 0);
      size_t begin = slicing.begin(slice);
      inBins[slice] = countBinsAvx512(
          values.data() + begin, slicing.end(slice) - begin, scale, h.firstBin,
          counts, bins, lo[slice], hi[slice]);
    });
    float passMin, passMax;
    if (combineRanges(inBins, lo, hi, slices, passMin, passMax)) {
      passMin += 0.0f;
      passMax += 0.0f;
      float newMin = std::min(s.min, passMin);
      float newMax = std::max(s.max, passMax);
      int exponent = histogramExponent(newMin, newMax);
      if (exponent == h.exponent &&
          histogramBinIndex(newMin, exponent) == h.firstBin &&
          histogramBinIndex(newMax, exponent) - h.firstBin + 1 ==
              int64_t(bins)) {
        addCounts(bins);
        commit(passMin, passMax, newMin, newMax, values.size());
        return llvm::Error::success();
      }
    }
  }
#endif

  // Usually every value is finite: check that and take the range in one
  // AVX-512 pass (per slice), or count the others without branches (the
  // loop vectorizes), then take the range with four independent chains.
  uint64_t nonFiniteCount = 0;
  bool ranged = false;
#if defined(__x86_64__) && defined(__GNUC__)
  if (!values.empty() && cpuHasAvx512Dq()) {
    // Every slice holds values: the last one is short by less than a slice.
    Slicing slicing(values.size(), slices);
    float lo[kMaxSlices], hi[kMaxSlices];
    bool finiteSlice[kMaxSlices];
    forEachSlice(parallel, slices, [&](unsigned slice) {
      size_t begin = slicing.begin(slice);
      finiteSlice[slice] = getFiniteRangeAvx512(values.data() + begin,
                                                slicing.end(slice) - begin,
                                                lo[slice], hi[slice]);
    });
    ranged = combineRanges(finiteSlice, lo, hi, slices, batchMin, batchMax);
  }
#endif
  if (ranged) {
    finite = values.size();
  } else {
    for (float x : values)
      nonFiniteCount +=
          (llvm::bit_cast<uint32_t>(x) & 0x7f800000u) == 0x7f800000u;
    if (nonFiniteCount == 0 && !values.empty()) {
      float lo[4], hi[4];
      std::fill(lo, lo + 4, values[0]);
      std::fill(hi, hi + 4, values[0]);
      size_t i = 0, n = values.size();
      for (; i + 4 <= n; i += 4)
        for (int l = 0; l < 4; ++l) {
          lo[l] = std::min(lo[l], values[i + l]);
          hi[l] = std::max(hi[l], values[i + l]);
        }
      for (; i < n; ++i) {
        lo[0] = std::min(lo[0], values[i]);
        hi[0] = std::max(hi[0], values[i]);
      }
      batchMin = std::min(std::min(lo[0], lo[1]), std::min(lo[2], lo[3]));
      batchMax = std::max(std::max(hi[0], hi[1]), std::max(hi[2], hi[3]));
      finite = n;
    } else {
      for (float x : values) {
        if (std::isnan(x)) {
          ++nan;
        } else if (std::isinf(x)) {
          ++(x > 0 ? posInf : negInf);
        } else {
          batchMin = finite ? std::min(batchMin, x) : x;
          batchMax = finite ? std::max(batchMax, x) : x;
          ++finite;
        }
      }
    }
  }
  uint64_t nonFinite = nan + posInf + negInf;
  if (nonFinite && policy == NonFinitePolicy::Error) {
    std::string kinds;
    auto add = [&](uint64_t n, llvm::StringRef what) {
      if (!n)
        return;
      kinds +=
          (kinds.empty() ? "" : ", ") + std::to_string(n) + " " + what.str();
    };
    add(nan, "NaN");
    add(posInf, "+Inf");
    add(negInf, "-Inf");
    return llvm::createStringError(
        llvm::formatv("{0} non-finite value{1} ({2})", nonFinite,
                      nonFinite == 1 ? "" : "s", kinds)
            .str());
  }
  s.nonFinite += nonFinite;
  if (!finite)
    return llvm::Error::success();

  // Adding +0 turns -0 into +0, so the range has one representation.
  batchMin += 0.0f;
  batchMax += 0.0f;
  float newMin = empty() ? batchMin : std::min(s.min, batchMin);
  float newMax = empty() ? batchMax : std::max(s.max, batchMax);
  rebin(histogramExponent(newMin, newMax), newMin, newMax);
  Histogram &h = s.histogram;
  const double scale = std::ldexp(1.0, -h.exponent);
  const size_t bins = h.counts.size();
  sub.resize(size_t(slices) * 4 * bins);
  uint32_t *const subData = sub.data();
  for (size_t done = 0, n = values.size(); done < n;) {
    Slicing slicing(std::min(n - done, slices * kMaxSubHistogramValues),
                    slices);
    forEachSlice(parallel, slices, [&](unsigned slice) {
      uint32_t *counts = subData + size_t(slice) * 4 * bins;
      std::fill(counts, counts + 4 * bins, 0);
      size_t begin = slicing.begin(slice);
      countSlice(values.data() + done + begin, slicing.end(slice) - begin,
                 nonFiniteCount == 0, scale, h.firstBin, counts, bins);
    });
    addCounts(bins);
    done += slicing.count;
  }
  commit(batchMin, batchMax, newMin, newMax, finite);
  return llvm::Error::success();
}

void ObserverStats::merge(const ObserverStats &other) {
  s.nonFinite += other.s.nonFinite;
  if (other.empty())
    return;
  if (empty()) {
    uint64_t nonFinite = s.nonFinite;
    s = other.s;
    s.nonFinite = nonFinite;
    return;
  }
  float newMin = std::min(s.min, other.s.min);
  float newMax = std::max(s.max, other.s.max);
  int exponent = histogramExponent(newMin, newMax);
  rebin(exponent, newMin, newMax);
  // Fold the other histogram in at the common exponent.
  const Histogram &o = other.s.histogram;
  Histogram &h = s.histogram;
  int shift = exponent - o.exponent;
  for (size_t i = 0, e = o.counts.size(); i != e; ++i)
    h.counts[floorShift(o.firstBin + int64_t(i), shift) - h.firstBin] +=
        o.counts[i];

  s.min = newMin;
  s.max = newMax;
  s.batches += other.s.batches;
  s.values += other.s.values;
  s.sumBatchMin += other.s.sumBatchMin;
  s.sumBatchMax += other.s.sumBatchMax;
}

bool ObserverStats::operator==(const ObserverStats &other) const {
  const ObserverState &a = s, &b = other.s;
  return a.batches == b.batches && a.values == b.values &&
         a.nonFinite == b.nonFinite &&
         llvm::bit_cast<uint32_t>(a.min) == llvm::bit_cast<uint32_t>(b.min) &&
         llvm::bit_cast<uint32_t>(a.max) == llvm::bit_cast<uint32_t>(b.max) &&
         a.sumBatchMin == b.sumBatchMin && a.sumBatchMax == b.sumBatchMax &&
         a.histogram == b.histogram;
}

/// Shortest-ish text that reads back as the same float.
static std::string printFloat(float x) {
  return llvm::formatv("{0}", llvm::format("%.9g", double(x))).str();
}

static llvm::Error invalid(const llvm::Twine &message) {
  return llvm::createStringError(message);
}

llvm::Expected<ObserverStats> ObserverStats::fromState(ObserverState state) {
  if (state.sumBatchMin.getBitWidth() != kFixedPointBits ||
      state.sumBatchMax.getBitWidth() != kFixedPointBits)
    return invalid("batch sums must be " + llvm::Twine(kFixedPointBits) +
                   "-bit integers");
  const Histogram &h = state.histogram;
  if (state.values == 0) {
    if (state.batches != 0 || state.min != 0 || state.max != 0 ||
        !state.sumBatchMin.isZero() || !state.sumBatchMax.isZero() ||
        !h.counts.empty() || h.exponent != 0 || h.firstBin != 0)
      return invalid("statistics with no values must have zero batches, "
                     "range, sums and an empty histogram");
    ObserverStats stats;
    stats.s = std::move(state);
    stats.s.min = stats.s.max = 0.0f; // never -0
    return stats;
  }
  if (state.batches == 0 || state.batches > state.values)
    return invalid(llvm::formatv("{0} batches cannot hold {1} values",
                                 state.batches, state.values)
                       .str());
  if (!std::isfinite(state.min) || !std::isfinite(state.max))
    return invalid("min and max must be finite");
  state.min += 0.0f;
  state.max += 0.0f;
  if (state.min > state.max)
    return invalid(llvm::formatv("min {0} is greater than max {1}",
                                 printFloat(state.min), printFloat(state.max))
                       .str());
  int exponent = histogramExponent(state.min, state.max);
  if (h.counts.size() > size_t(kHistogramBins))
    return invalid(llvm::formatv("histogram has {0} bins (at most {1})",
                                 h.counts.size(), kHistogramBins)
                       .str());
  if (h.exponent != exponent)
    return invalid(llvm::formatv("histogram exponent is {0}, expected {1} "
                                 "for the range [{2}, {3}]",
                                 h.exponent, exponent, printFloat(state.min),
                                 printFloat(state.max))
                       .str());
  int64_t first = histogramBinIndex(state.min, exponent);
  int64_t last = histogramBinIndex(state.max, exponent);
  if (h.firstBin != first || int64_t(h.counts.size()) != last - first + 1)
    return invalid(
        llvm::formatv("histogram covers bins [{0}, {1}], expected "
                      "[{2}, {3}] for the range [{4}, {5}]",
                      h.firstBin, h.firstBin + int64_t(h.counts.size()) - 1,
                      first, last, printFloat(state.min), printFloat(state.max))
            .str());
  uint64_t total = 0;
  for (uint64_t c : h.counts) {
    if (c > UINT64_MAX - total)
      return invalid("histogram counts overflow");
    total += c;
  }
  if (total != state.values)
    return invalid(llvm::formatv("histogram counts sum to {0} but values is "
                                 "{1}",
                                 total, state.values)
                       .str());
  if (h.counts.front() == 0 || h.counts.back() == 0)
    return invalid("the histogram bins of min and max must not be empty");
  APInt batches(kFixedPointBits, state.batches);
  APInt lowest = toFixedPoint(state.min) * batches;
  APInt highest = toFixedPoint(state.max) * batches;
  if (state.sumBatchMin.slt(lowest) || state.sumBatchMin.sgt(highest) ||
      state.sumBatchMax.slt(lowest) || state.sumBatchMax.sgt(highest))
    return invalid("average batch minimum or maximum lies outside [min, max]");
  if (state.sumBatchMin.sgt(state.sumBatchMax))
    return invalid("sum of batch minima exceeds sum of batch maxima");
  ObserverStats stats;
  stats.s = std::move(state);
  return stats;
}
