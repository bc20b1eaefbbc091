//===- CollapseElementwiseDims.cpp - One loop over contiguous dimensions --===//
//
// Implements `qnt-collapse-elementwise-dims`. An elementwise linalg.generic
// over a feature map loops over each of its dimensions; the innermost one is
// often a row of a few pixels (28 floats of an image), which LLVM vectorizes
// with a scalar remainder per row. Where a run of static dimensions after
// the first is contiguous, in order, in every operand, the op becomes one
// over a single dimension of their product between reshapes (upstream
// linalg::populateCollapseDimensions); bufferization turns those reshapes of
// contiguous buffers into views. The first (batch) dimension stays for the
// parallel split.
//
//===----------------------------------------------------------------------===//

#include "quant/Conversion/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::qnt {
#define GEN_PASS_DEF_COLLAPSEELEMENTWISEDIMSPASS
#include "quant/Conversion/Passes.h.inc"
} // namespace mlir::qnt

using namespace mlir;

namespace {

/// Maximal runs of at least two static loop dimensions from dimension 1 on
/// that are contiguous in every indexing map of an all-parallel generic
/// whose maps are projected permutations.
SmallVector<ReassociationIndices> getCollapsibleRuns(linalg::LinalgOp op) {
  auto generic = dyn_cast<linalg::GenericOp>(op.getOperation());
  if (!generic || generic.getNumLoops() < 3 ||
      generic.getNumParallelLoops() != generic.getNumLoops() ||
      !generic.hasPureTensorSemantics())
    return {};
  SmallVector<int64_t> ranges = generic.getStaticLoopRanges();
  SmallVector<AffineMap> maps = generic.getIndexingMapsArray();
  // Dimensions and nothing else: upstream's collapsing turns a constant
  // index (a broadcast along a unit dimension, `(0, d3, 0, 0)`) into a
  // dimension.
  if (!llvm::all_of(maps, [](AffineMap map) {
        return map.isProjectedPermutation(/*allowZeroInResults=*/false);
      }))
    return {};
  SmallVector<ReassociationIndices> runs;
  const int64_t loops = generic.getNumLoops();
  for (int64_t first = 1; first < loops;) {
    ReassociationIndices run{first};
    for (int64_t next = first + 1;
         next < loops && !ShapedType::isDynamic(ranges[first]) &&
         !ShapedType::isDynamic(ranges[next]);
         ++next) {
      ReassociationIndices longer = run;
      longer.push_back(next);
      if (!linalg::areDimSequencesPreserved(maps, {longer}))
        break;
      run = std::move(longer);
    }
    first += int64_t(run.size());
    if (run.size() > 1)
      runs.push_back(std::move(run));
  }
  return runs;
}

struct CollapseElementwiseDimsPass
    : qnt::impl::CollapseElementwiseDimsPassBase<CollapseElementwiseDimsPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    linalg::populateCollapseDimensions(patterns, getCollapsibleRuns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
