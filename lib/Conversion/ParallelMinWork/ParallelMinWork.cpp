//===- ParallelMinWork.cpp - Small parallel loops stay on one thread ------===//
//
// Implements `qnt-parallel-min-work`. Forking and joining an OpenMP team
// costs microseconds, about what a whole small layer takes at batch 1, and
// a model runs a dozen parallel loops. Before the OpenMP lowering, each
// scf.parallel is put under an scf.if: it runs in parallel only when its
// iterations times a static estimate of the work in one iteration reach a
// threshold; otherwise a copy of it as nested scf.for loops runs on the
// calling thread, without calling the OpenMP runtime at all (a serialized
// OpenMP loop still enters the runtime, whose bookkeeping is not free). So
// does every loop when the runtime has one thread (omp_get_max_threads(),
// asked once per run of the function). Which thread computes an element
// never changes a result.
//
//===----------------------------------------------------------------------===//

#include "quant/Conversion/Passes.h"

#include "../RuntimeSymbols.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/SCF/Transforms/Transforms.h"
#include "mlir/IR/PatternMatch.h"

#include <cmath>

namespace mlir::qnt {
#define GEN_PASS_DEF_PARALLELMINWORKPASS
#include "quant/Conversion/Passes.h.inc"
} // namespace mlir::qnt

using namespace mlir;

namespace {

/// Work of a call in a loop without a work per point (kPointWorkAttr).
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
    ModuleOp module = getOperation();
    IRRewriter rewriter(&getContext());
    // With another symbol of the runtime function's name, loops are guarded
    // by their work only.
    const bool canAsk = qnt::canUseThreadCount(module);
    for (auto func : llvm::to_vector(module.getOps<func::FuncOp>())) {
      // Outermost loops without results (a sequential copy of a loop with
      // reductions would need their combiners); loops nested in one are
      // made sequential in its copy too.
      SmallVector<scf::ParallelOp> loops;
      func->walk([&](scf::ParallelOp op) {
        if (op.getNumResults() == 0 && !op->getParentOfType<scf::ParallelOp>())
          loops.push_back(op);
      });
      if (loops.empty())
        continue;
      // threads > 1, asked on entry the first time a loop needs it.
      Value multiThreaded;
      auto getMultiThreaded = [&]() -> Value {
        if (multiThreaded || !canAsk)
          return multiThreaded;
        OpBuilder::InsertionGuard insertion(rewriter);
        func::FuncOp threadCount =
            qnt::getThreadCountFunction(rewriter, module);
        rewriter.setInsertionPointToStart(&func.getBody().front());
        Location loc = func.getLoc();
        Value threads =
            func::CallOp::create(rewriter, loc, threadCount).getResult(0);
        multiThreaded = arith::CmpIOp::create(
            rewriter, loc, arith::CmpIPredicate::sgt, threads,
            arith::ConstantIntOp::create(rewriter, loc, 1, 32));
        return multiThreaded;
      };
      for (scf::ParallelOp op : loops)
        if (failed(guard(rewriter, op, getMultiThreaded)))
          return signalPassFailure();
    }
  }

  /// Parallel loops nested in `op` (a model's slice of the batch, from
  /// qnt-parallel-batch) become sequential: the team is already busy, and a
  /// serialized OpenMP loop still enters the runtime.
  static LogicalResult serializeNested(IRRewriter &rewriter, Operation *op) {
    SmallVector<scf::ParallelOp> nested;
    op->walk([&](scf::ParallelOp inner) {
      if (inner != op && inner.getNumResults() == 0)
        nested.push_back(inner); // inner loops first
    });
    for (scf::ParallelOp loop : nested)
      if (failed(scf::parallelForToNestedFors(rewriter, loop)))
        return failure();
    return success();
  }

  /// scf.if (iterations >= min and threads > 1) { op } else { op as nested
  /// scf.for }; the iterations are not compared when one is enough work,
  /// and the thread count not when getMultiThreaded gives null.
  LogicalResult guard(IRRewriter &rewriter, scf::ParallelOp op,
                      function_ref<Value()> getMultiThreaded) {
    // A loop over slices of the batch was already given its condition
    // (enough rows for every thread); its body's work is not known here.
    bool slices = false;
    op.getBody()->walk([&](scf::ParallelOp) { slices = true; });
    if (failed(serializeNested(rewriter, op)))
      return failure();
    if (slices)
      return success();
    // With a work per point (a kernel call's), the loop's points are
    // counted (the product of its spans), else its iterations.
    auto pointWork = op->getAttrOfType<FloatAttr>(qnt::kPointWorkAttr);
    op->removeAttr(qnt::kPointWorkAttr);
    double perUnit = pointWork ? pointWork.getValueAsDouble()
                               : double(estimateWork(*op.getBody()));
    int64_t minUnits =
        int64_t(std::min(std::ceil(double(minWork) / std::max(perUnit, 1e-9)),
                         double(int64_t(1) << 62)));
    Value multiThreaded = getMultiThreaded();
    if (minUnits <= 1 && !multiThreaded)
      return success();
    Location loc = op.getLoc();
    rewriter.setInsertionPoint(op);
    Value enough = multiThreaded;
    if (minUnits > 1) {
      Value units = arith::ConstantIndexOp::create(rewriter, loc, 1);
      for (auto [lb, ub, step] :
           llvm::zip(op.getLowerBound(), op.getUpperBound(), op.getStep())) {
        Value span = arith::SubIOp::create(rewriter, loc, ub, lb);
        Value trips =
            pointWork ? span
                      : arith::CeilDivSIOp::create(rewriter, loc, span, step);
        units = arith::MulIOp::create(rewriter, loc, units, trips);
      }
      Value large = arith::CmpIOp::create(
          rewriter, loc, arith::CmpIPredicate::sge, units,
          arith::ConstantIndexOp::create(rewriter, loc, minUnits));
      enough = multiThreaded
                   ? arith::AndIOp::create(rewriter, loc, large, multiThreaded)
                   : large;
    }
    auto branch = scf::IfOp::create(rewriter, loc, TypeRange{}, enough,
                                    /*withElseRegion=*/true);
    rewriter.moveOpBefore(op, branch.thenBlock()->getTerminator());
    rewriter.setInsertionPoint(branch.elseBlock()->getTerminator());
    auto copy = cast<scf::ParallelOp>(rewriter.clone(*op));
    return scf::parallelForToNestedFors(rewriter, copy);
  }
};

} // namespace
