//===- ParallelMinWork.cpp - Small parallel loops stay on one thread ------===//
//
// Implements `qnt-parallel-min-work`. Forking and joining an OpenMP team
// costs microseconds, about what a whole small layer takes at batch 1, and
// a model runs a dozen parallel loops. Each omp.parallel gets an `if`
// clause: the team forks only when the loop's iterations times a static
// estimate of the work in one iteration reach a threshold; otherwise the
// calling thread runs the loop alone. Which thread computes an element
// never changes a result.
//
//===----------------------------------------------------------------------===//

#include "quant/Conversion/Passes.h"

#include "mlir/Dialect/OpenMP/OpenMPDialect.h"

namespace mlir::qnt {
#define GEN_PASS_DEF_PARALLELMINWORKPASS
#include "quant/Conversion/Passes.h.inc"
} // namespace mlir::qnt

using namespace mlir;

namespace {

/// Work of a call: the calls in parallel loops are the kernel library's
/// layer blocks (up to 96 rows of a GEMM each).
constexpr int64_t kCallWork = 10000;
/// Assumed trip count of a loop whose bounds are not constants.
constexpr int64_t kUnknownTrips = 16;

int64_t getConstantTrips(scf::ForOp loop) {
  std::optional<int64_t> lb = getConstantIntValue(loop.getLowerBound());
  std::optional<int64_t> ub = getConstantIntValue(loop.getUpperBound());
  std::optional<int64_t> step = getConstantIntValue(loop.getStep());
  if (!lb || !ub || !step || *step <= 0)
    return kUnknownTrips;
  return std::max<int64_t>(0, (*ub - *lb + *step - 1) / *step);
}

/// Operations executed by one run of `block`, nested loops multiplied out,
/// saturating.
int64_t estimateWork(Block &block) {
  int64_t work = 0;
  for (Operation &op : block) {
    if (op.hasTrait<OpTrait::IsTerminator>())
      continue;
    int64_t opWork = 1;
    if (isa<CallOpInterface>(op)) {
      opWork = kCallWork;
    } else if (auto loop = dyn_cast<scf::ForOp>(op)) {
      opWork = getConstantTrips(loop) * estimateWork(*loop.getBody());
    } else {
      for (Region &region : op.getRegions())
        for (Block &nested : region)
          opWork += estimateWork(nested);
    }
    work = std::min<int64_t>(work + opWork, int64_t(1) << 40);
  }
  return work;
}

struct ParallelMinWorkPass
    : qnt::impl::ParallelMinWorkPassBase<ParallelMinWorkPass> {
  using ParallelMinWorkPassBase::ParallelMinWorkPassBase;

  void runOnOperation() override {
    getOperation()->walk([&](omp::ParallelOp parallel) {
      if (parallel.getIfExpr())
        return;
      omp::LoopNestOp nest;
      parallel.walk([&](omp::LoopNestOp op) {
        if (!nest)
          nest = op;
      });
      if (!nest)
        return;
      // The trip count is computed before the parallel region, from bounds
      // defined outside it.
      for (Value bound :
           llvm::concat<Value>(nest.getLoopLowerBounds(),
                               nest.getLoopUpperBounds(), nest.getLoopSteps()))
        if (parallel->isAncestor(bound.getParentRegion()->getParentOp()))
          return;
      int64_t perIteration =
          std::max<int64_t>(1, estimateWork(nest.getRegion().front()));
      int64_t minIterations = (minWork + perIteration - 1) / perIteration;
      OpBuilder b(parallel);
      Location loc = parallel.getLoc();
      Value iterations = arith::ConstantIndexOp::create(b, loc, 1);
      for (auto [lb, ub, step] :
           llvm::zip(nest.getLoopLowerBounds(), nest.getLoopUpperBounds(),
                     nest.getLoopSteps())) {
        Value span = arith::SubIOp::create(b, loc, ub, lb);
        Value trips = arith::CeilDivSIOp::create(b, loc, span, step);
        iterations = arith::MulIOp::create(b, loc, iterations, trips);
      }
      Value enough = arith::CmpIOp::create(
          b, loc, arith::CmpIPredicate::sge, iterations,
          arith::ConstantIndexOp::create(b, loc, minIterations));
      parallel.getIfExprMutable().assign(enough);
    });
  }
};

} // namespace
