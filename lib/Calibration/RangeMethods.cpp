//===- RangeMethods.cpp - Clip ranges from calibration statistics ---------===//
//
// The histogram-based methods (percentile, entropy, mse) work on the fixed
// zero-anchored bins of Statistics.h, so their answer depends only on the
// observed values, never on how calibration was batched or sharded. Every
// loop runs in a fixed order and ties are broken explicitly, so the same
// statistics always give the same range.
//
//===----------------------------------------------------------------------===//

#include "quant/Calibration/RangeMethods.h"

#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"

#include <algorithm>
#include <cmath>
#include <limits>

using namespace mlir::qnt::calib;

std::optional<RangeMethod>
mlir::qnt::calib::parseRangeMethod(llvm::StringRef name) {
  return llvm::StringSwitch<std::optional<RangeMethod>>(name)
      .Case("minmax", RangeMethod::MinMax)
      .Case("moving-average", RangeMethod::MovingAverage)
      .Case("percentile", RangeMethod::Percentile)
      .Case("entropy", RangeMethod::Entropy)
      .Case("mse", RangeMethod::Mse)
      .Default(std::nullopt);
}

llvm::StringRef mlir::qnt::calib::stringifyRangeMethod(RangeMethod method) {
  switch (method) {
  case RangeMethod::MinMax:
    return "minmax";
  case RangeMethod::MovingAverage:
    return "moving-average";
  case RangeMethod::Percentile:
    return "percentile";
  case RangeMethod::Entropy:
    return "entropy";
  case RangeMethod::Mse:
    return "mse";
  }
  return "unknown";
}

//===----------------------------------------------------------------------===//
// Percentile
//===----------------------------------------------------------------------===//

/// The value below which `rank` of the histogram's counts lie, interpolating
/// linearly inside the bin that holds it (values spread evenly in the bin).
static double histogramQuantile(const Histogram &h, double rank) {
  double width = h.binWidth();
  uint64_t before = 0;
  for (size_t i = 0, e = h.counts.size(); i != e; ++i) {
    uint64_t c = h.counts[i];
    if (c == 0)
      continue;
    if (double(before + c) >= rank) {
      double fraction = std::max(0.0, rank - double(before)) / double(c);
      return std::ldexp(double(h.firstBin + int64_t(i)), h.exponent) +
             fraction * width;
    }
    before += c;
  }
  return h.upperEdge();
}

static Range percentileRange(const ObserverStats &stats, double percentile) {
  double min = stats.min(), max = stats.max();
  double total = double(stats.values());
  const Histogram &h = stats.histogram();
  double upper =
      std::clamp(histogramQuantile(h, percentile / 100 * total), min, max);
  double lower = min;
  if (min < 0)
    lower = std::clamp(histogramQuantile(h, (100 - percentile) / 100 * total),
                       min, upper);
  return {lower, upper};
}

//===----------------------------------------------------------------------===//
// Entropy
//===----------------------------------------------------------------------===//

Histogram mlir::qnt::calib::absoluteHistogram(const Histogram &histogram) {
  Histogram result;
  result.exponent = histogram.exponent;
  if (histogram.counts.empty())
    return result;
  int64_t first = histogram.firstBin;
  int64_t last = first + int64_t(histogram.counts.size()) - 1;
  // |bin| < 2^35, so shifts stay small; bin pairs merge until it fits.
  int64_t end = std::max<int64_t>(last + 1, -first);
  int shift = 0;
  while (((end - 1) >> shift) + 1 > kHistogramBins)
    ++shift;
  result.exponent += shift;
  result.counts.assign(((end - 1) >> shift) + 1, 0);
  for (size_t i = 0, e = histogram.counts.size(); i != e; ++i) {
    int64_t k = first + int64_t(i);
    result.counts[(k >= 0 ? k : -k - 1) >> shift] += histogram.counts[i];
  }
  return result;
}

/// Replaces zeros by eps and takes the same total evenly from the non-zeros
/// (MXNet's and ONNX Runtime's smooth_distribution). False when all are 0.
static bool smoothDistribution(std::vector<double> &d) {
  constexpr double eps = 1e-4;
  size_t zeros = std::count(d.begin(), d.end(), 0.0);
  size_t nonZeros = d.size() - zeros;
  if (nonZeros == 0)
    return false;
  double eps1 = eps * double(zeros) / double(nonZeros);
  for (double &x : d)
    x = x == 0 ? eps : x - eps1;
  return true;
}

double mlir::qnt::calib::entropyDivergence(llvm::ArrayRef<uint64_t> absCounts,
                                           size_t threshold, unsigned levels) {
  const double inf = std::numeric_limits<double>::infinity();
  if (levels == 0 || threshold < levels || threshold > absCounts.size())
    return inf;
  // Reference: the clipped distribution, outliers piled into the last bin.
  std::vector<double> p(threshold);
  for (size_t j = 0; j != threshold; ++j)
    p[j] = double(absCounts[j]);
  uint64_t outliers = 0;
  for (size_t j = threshold; j != absCounts.size(); ++j)
    outliers += absCounts[j];
  p[threshold - 1] += double(outliers);

  // Candidate: `levels` groups, each spread over its bins where p != 0.
  std::vector<double> q(threshold, 0.0);
  size_t groupSize = threshold / levels;
  for (unsigned g = 0; g != levels; ++g) {
    size_t start = g * groupSize;
    size_t stop = g + 1 == levels ? threshold : start + groupSize;
    uint64_t sum = 0;
    size_t nonZeros = 0;
    for (size_t j = start; j != stop; ++j) {
      sum += absCounts[j];
      nonZeros += p[j] != 0;
    }
    if (nonZeros == 0)
      continue;
    for (size_t j = start; j != stop; ++j)
      if (p[j] != 0)
        q[j] = double(sum) / double(nonZeros);
  }

  if (!smoothDistribution(p) || !smoothDistribution(q))
    return inf;
  double pTotal = 0, qTotal = 0;
  for (size_t j = 0; j != threshold; ++j) {
    if (p[j] <= 0 || q[j] <= 0)
      return inf;
    pTotal += p[j];
    qTotal += q[j];
  }
  double divergence = 0;
  for (size_t j = 0; j != threshold; ++j) {
    double pj = p[j] / pTotal, qj = q[j] / qTotal;
    divergence += pj * std::log(pj / qj);
  }
  return divergence;
}

size_t
mlir::qnt::calib::selectEntropyThreshold(llvm::ArrayRef<uint64_t> absCounts,
                                         unsigned levels) {
  size_t n = absCounts.size();
  if (n <= levels || levels == 0)
    return n;
  // Downwards with a strict comparison: ties keep the larger threshold.
  size_t best = n;
  double bestDivergence = std::numeric_limits<double>::infinity();
  for (size_t i = n; i >= levels; --i) {
    double divergence = entropyDivergence(absCounts, i, levels);
    if (divergence < bestDivergence) {
      bestDivergence = divergence;
      best = i;
    }
  }
  return best;
}

static Range entropyRange(const ObserverStats &stats,
                          const RangeOptions &options) {
  double min = stats.min(), max = stats.max();
  unsigned levels = (min >= 0 && !options.symmetric) ? 1u << options.bits
                                                     : 1u << (options.bits - 1);
  Histogram absolute = absoluteHistogram(stats.histogram());
  // ReLU outputs put a spike of exact zeros in bin 0 that would otherwise
  // dominate the divergence and pull the threshold far into the data; like
  // NVIDIA's pytorch-quantization calibrator, bin 0 takes bin 1's count.
  if (absolute.counts.size() > 1)
    absolute.counts[0] = absolute.counts[1];
  size_t threshold = selectEntropyThreshold(absolute.counts, levels);
  double t = std::ldexp(double(threshold), absolute.exponent);
  double lower = min < 0 ? std::clamp(-t, min, max) : min;
  double upper = max > 0 ? std::clamp(t, lower, max) : max;
  return {lower, upper};
}

//===----------------------------------------------------------------------===//
// Mean squared error
//===----------------------------------------------------------------------===//

/// Number of clip fractions alpha = k / kMseSteps, k = 1..kMseSteps, tried.
constexpr int kMseSteps = 256;

/// Squared error of fake-quantizing the histogram to [lo, hi] with
/// `steps` + 1 evenly spaced levels from lo (asymmetric), or to the signed
/// levels -steps..steps times hi / steps (symmetric, lo == -hi). Each bin
/// counts as its centre, clamped to the data range.
static double fakeQuantError(const Histogram &h, double dataMin, double dataMax,
                             double lo, double hi, double steps,
                             bool symmetric) {
  double scale = symmetric ? hi / steps : (hi - lo) / steps;
  double error = 0;
  for (size_t i = 0, e = h.counts.size(); i != e; ++i) {
    if (h.counts[i] == 0)
      continue;
    double x = std::clamp(
        std::ldexp(double(h.firstBin + int64_t(i)) + 0.5, h.exponent), dataMin,
        dataMax);
    double y;
    if (scale == 0)
      y = symmetric ? 0.0 : std::clamp(x, lo, hi);
    else if (symmetric)
      y = std::clamp(std::round(x / scale), -steps, steps) * scale;
    else
      y = lo + std::clamp(std::round((x - lo) / scale), 0.0, steps) * scale;
    error += double(h.counts[i]) * (x - y) * (x - y);
  }
  return error;
}

static Range mseRange(const ObserverStats &stats, const RangeOptions &options) {
  double min = stats.min(), max = stats.max();
  const Histogram &h = stats.histogram();
  bool symmetric = options.symmetric;
  double steps = symmetric ? double((1u << (options.bits - 1)) - 1)
                           : double((1u << options.bits) - 1);
  // Asymmetric ranges shrink towards the point of [min, max] nearest 0.
  double anchor = std::clamp(0.0, min, max);
  double absMax = std::max(std::fabs(min), std::fabs(max));
  auto candidate = [&](int k) -> Range {
    double alpha = double(k) / kMseSteps;
    if (symmetric)
      return {-alpha * absMax, alpha * absMax};
    return {anchor + alpha * (min - anchor), anchor + alpha * (max - anchor)};
  };
  int bestK = kMseSteps;
  double bestError = std::numeric_limits<double>::infinity();
  // Downwards with a strict comparison: ties keep the larger alpha.
  for (int k = kMseSteps; k >= 1; --k) {
    Range r = candidate(k);
    double error = fakeQuantError(h, min, max, r.min, r.max, steps, symmetric);
    if (error < bestError) {
      bestError = error;
      bestK = k;
    }
  }
  Range r = candidate(bestK);
  double lower = std::clamp(r.min, min, max);
  double upper = std::clamp(r.max, lower, max);
  return {lower, upper};
}

//===----------------------------------------------------------------------===//
// computeRange
//===----------------------------------------------------------------------===//

llvm::Expected<Range>
mlir::qnt::calib::computeRange(const ObserverStats &stats,
                               const RangeOptions &options) {
  if (stats.empty())
    return llvm::createStringError("no values were observed");
  switch (options.method) {
  case RangeMethod::MinMax:
    return Range{stats.min(), stats.max()};
  case RangeMethod::MovingAverage:
    return Range{stats.avgMin(), stats.avgMax()};
  case RangeMethod::Percentile:
    if (!(options.percentile > 50 && options.percentile <= 100))
      return llvm::createStringError(
          llvm::formatv("percentile must be in (50, 100], got {0}",
                        llvm::format("%g", options.percentile))
              .str());
    return percentileRange(stats, options.percentile);
  case RangeMethod::Entropy:
  case RangeMethod::Mse:
    if (options.bits < 2 || options.bits > 16)
      return llvm::createStringError(
          llvm::formatv("bits must be in [2, 16], got {0}", options.bits)
              .str());
    if (options.method == RangeMethod::Entropy)
      return entropyRange(stats, options);
    return mseRange(stats, options);
  }
  return llvm::createStringError("unknown range method");
}
