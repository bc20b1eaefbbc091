//===- RangeMethods.h - Clip ranges from calibration statistics -*- C++ -*-===//
//
// Turns the statistics of one observer into the real range a quantized
// tensor should represent: the plain range, the moving-average range, a
// percentile range, TensorRT's entropy (KL divergence) threshold, or the
// range that minimises the fake-quantization squared error. Every method is
// deterministic; none forces 0 into the range (the caller does, since that
// depends on the storage type).
//
//===----------------------------------------------------------------------===//

#ifndef QUANT_CALIBRATION_RANGEMETHODS_H
#define QUANT_CALIBRATION_RANGEMETHODS_H

#include "quant/Calibration/Statistics.h"

#include "llvm/ADT/StringRef.h"

#include <optional>

namespace mlir::qnt::calib {

/// How a range is chosen from the statistics.
enum class RangeMethod { MinMax, MovingAverage, Percentile, Entropy, Mse };

/// Parses `minmax`, `moving-average`, `percentile`, `entropy` or `mse`.
std::optional<RangeMethod> parseRangeMethod(llvm::StringRef name);
llvm::StringRef stringifyRangeMethod(RangeMethod method);

struct RangeOptions {
  RangeMethod method = RangeMethod::MinMax;
  /// For RangeMethod::Percentile: keep values up to this percentile (and
  /// down to 100 - percentile); in (50, 100].
  double percentile = 99.99;
  /// Storage bits the range will be quantized to (entropy and mse).
  unsigned bits = 8;
  /// Whether the range will be quantized symmetrically around 0.
  bool symmetric = false;
};

/// A closed real range, min <= max.
struct Range {
  double min, max;
};

/// The range `options.method` picks for `stats`. It always lies within
/// [stats.min(), stats.max()]. Fails when nothing was observed or an option
/// is out of range.
llvm::Expected<Range> computeRange(const ObserverStats &stats,
                                   const RangeOptions &options);

/// The histogram of |x|, anchored at bin 0: bin j covers [j*w, (j+1)*w).
/// Negative bin k (covering [k*w, (k+1)*w)) folds onto j = -k - 1; that is
/// exact except that a negative value lying exactly on an edge, x = -j*w,
/// lands in bin j - 1 instead of j. When the data lie far from 0 the result
/// would need more than kHistogramBins bins, so bin pairs are merged
/// (raising the exponent) until it fits, as Statistics.h does.
Histogram absoluteHistogram(const Histogram &histogram);

/// KL(P || Q) of TensorRT's entropy calibration for the threshold of the
/// first `threshold` bins of `absCounts` quantized to `levels` levels:
/// P is bins [0, threshold) with the outlier bins added into the last one;
/// Q merges the first `threshold` bins (without outliers) into `levels`
/// groups of threshold / levels bins (the last group takes the remainder)
/// and spreads each group's sum evenly over its bins where P is non-zero.
/// Both are smoothed as MXNet/ONNX Runtime do (zeros become 1e-4, taken
/// evenly from the non-zeros) and normalized. Returns +infinity when a
/// distribution is all zeros or smoothing leaves a non-positive entry.
/// Requires levels <= threshold <= absCounts.size().
double entropyDivergence(llvm::ArrayRef<uint64_t> absCounts, size_t threshold,
                         unsigned levels);

/// The threshold bin count in [levels, absCounts.size()] with the smallest
/// entropyDivergence; ties go to the larger threshold. Returns
/// absCounts.size() when that is at most `levels` (nothing to clip).
size_t selectEntropyThreshold(llvm::ArrayRef<uint64_t> absCounts,
                              unsigned levels);

} // namespace mlir::qnt::calib

#endif // QUANT_CALIBRATION_RANGEMETHODS_H
