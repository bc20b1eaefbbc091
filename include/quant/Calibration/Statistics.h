//===- Statistics.h - Exactly mergeable observer statistics -----*- C++ -*-===//
//
// What calibration records for one observed tensor: counts, the range, the
// exact sums behind the moving-average range and a fixed-edge histogram. All
// of it is a function of the multiset of observed batches only, so batch
// order, batch size and sharding (calibrating on several machines and merging
// the files) never change the result, bit for bit. Plain C++ and LLVM
// Support; no MLIR IR.
//
//===----------------------------------------------------------------------===//

#ifndef QUANT_CALIBRATION_STATISTICS_H
#define QUANT_CALIBRATION_STATISTICS_H

#include "llvm/ADT/APInt.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <vector>

namespace mlir::qnt::calib {

/// The most bins a histogram ever holds.
constexpr int64_t kHistogramBins = 2048;

/// The finest bin width is 2^kMinHistogramExponent: the spacing of float32
/// subnormals, below which no two float32 values can be told apart.
constexpr int kMinHistogramExponent = -149;

/// The moving-average sums are fixed-point integers scaled by 2^this: every
/// finite float32 is an exact multiple of 2^-149.
constexpr int kFixedPointShift = 149;

/// Width of the fixed-point sums: 128 + 149 bits for one value, a sign bit
/// and 64 bits of batch count fit in 342; rounded up to whole words.
constexpr unsigned kFixedPointBits = 384;

/// A histogram with bin edges anchored at 0 and power-of-two width
/// w = 2^exponent: bin k covers [k*w, (k+1)*w) and holds the x with
/// floor(x / w) == k (so -w/2 falls in bin -1 and 0 and -0 in bin 0).
/// `counts[i]` is bin `firstBin + i`.
struct Histogram {
  int exponent = 0;
  int64_t firstBin = 0;
  std::vector<uint64_t> counts;

  double binWidth() const;
  /// Lower edge of the first bin, firstBin * w.
  double lowerEdge() const;
  /// Upper edge of the last bin, (firstBin + counts.size()) * w.
  double upperEdge() const;
  uint64_t totalCount() const;

  bool operator==(const Histogram &other) const {
    return exponent == other.exponent && firstBin == other.firstBin &&
           counts == other.counts;
  }
  bool operator!=(const Histogram &other) const { return !(*this == other); }
};

/// The bin width exponent for data in [min, max] (finite, min <= max):
///
///   max(smallest e with floor(max/2^e) - floor(min/2^e) < kHistogramBins,
///       floorExponent(max(|min|, |max|)))
///
/// where floorExponent(a) = max(ilogb(a) - 34, -149) (-149 for a == 0). The
/// floor keeps a constant or nearly constant tensor from asking for bins
/// finer than float32 spacing (ilogb(a) - 23 is the spacing at a; 11 more
/// bits are 2048 bins' worth) and bounds every bin index by 2^35. The result
/// only grows when [min, max] widens, which is what makes merging exact.
int histogramExponent(float min, float max);

/// floor(x / 2^exponent), exact (computed in double, where scaling a float32
/// by 2^[-160, 160] never rounds, overflows or goes subnormal).
int64_t histogramBinIndex(float x, int exponent);

/// What addBatch does with NaN and infinities.
enum class NonFinitePolicy {
  /// Reject the whole batch with an error naming what was found.
  Error,
  /// Count them in nonFinite() and skip them.
  Ignore,
};

/// How addBatch may share a batch out: run(tasks, body) runs body(0), ...,
/// body(tasks - 1), up to `width` of them at once, and returns when all are
/// done (quant-calibrate: runtime::parallelFor on the compiled loops'
/// threads). Without `run`, addBatch takes one pass on the calling thread.
struct ParallelFor {
  unsigned width = 1;
  llvm::function_ref<void(unsigned tasks,
                          llvm::function_ref<void(unsigned task)> body)>
      run;
};

/// Everything an ObserverStats holds, field by field; serialization reads it
/// and rebuilds statistics from it with ObserverStats::fromState.
struct ObserverState {
  /// Batches with at least one finite value.
  uint64_t batches = 0;
  /// Finite values.
  uint64_t values = 0;
  /// NaN and infinities skipped under NonFinitePolicy::Ignore.
  uint64_t nonFinite = 0;
  /// Range of the finite values; 0 when there are none. Never -0.
  float min = 0, max = 0;
  /// Sum over batches of the batch minimum (maximum), times 2^149, as a
  /// kFixedPointBits-wide signed integer.
  llvm::APInt sumBatchMin{kFixedPointBits, 0};
  llvm::APInt sumBatchMax{kFixedPointBits, 0};
  /// Histogram of the finite values at histogramExponent(min, max), covering
  /// exactly the bins of min to max; empty when there are no values.
  Histogram histogram;
};

/// Statistics of one observer (one tensor) over all the batches it saw.
class ObserverStats {
public:
  ObserverStats() = default;

  /// Rebuilds statistics from a state, checking that it is one addBatch and
  /// merge could produce (range ordered, histogram at the right exponent and
  /// position, counts summing to values, averages inside the range).
  static llvm::Expected<ObserverStats> fromState(ObserverState state);

  /// Adds one batch (one call of the observer). An empty batch, or one with
  /// only skipped non-finite values, does not count as a batch. Under
  /// NonFinitePolicy::Error a batch with NaN or infinities is rejected whole,
  /// leaving the statistics unchanged; the message says how many of each.
  /// With `parallel`, a long batch's range and histogram are taken in
  /// slices through it, one per thread; the statistics are the same either
  /// way (integer counts, exact minima and maxima).
  llvm::Error addBatch(llvm::ArrayRef<float> values, NonFinitePolicy policy,
                       ParallelFor parallel = {});

  /// Adds `other`'s batches. Exact, associative and commutative: any
  /// grouping of shards gives the state of one pass over all batches.
  void merge(const ObserverStats &other);

  bool empty() const { return s.values == 0; }
  uint64_t batches() const { return s.batches; }
  uint64_t values() const { return s.values; }
  uint64_t nonFinite() const { return s.nonFinite; }
  float min() const { return s.min; }
  float max() const { return s.max; }
  /// Mean over batches of the batch minimum (maximum): the moving-average
  /// range. Correctly rounded from the exact sums; 0 when empty.
  double avgMin() const;
  double avgMax() const;
  const Histogram &histogram() const { return s.histogram; }
  const ObserverState &state() const { return s; }

  bool operator==(const ObserverStats &other) const;
  bool operator!=(const ObserverStats &other) const {
    return !(*this == other);
  }

private:
  /// Re-bins the histogram to `exponent` (>= the current one) and extends it
  /// to cover the bins of [newMin, newMax].
  void rebin(int exponent, float newMin, float newMax);

  ObserverState s;
};

} // namespace mlir::qnt::calib

#endif // QUANT_CALIBRATION_STATISTICS_H
