//===- ParallelOuterDims.cpp - Inner scf.parallel dims become scf.for -----===//
//
// Implements `qnt-parallel-outer-dims`. The OpenMP lowering collapses every
// dimension of an scf.parallel into one linear index and recovers the
// indices with divisions, which leaves LLVM's loop vectorizer nothing to
// work on; with the innermost dimension as a sequential loop, below the
// reduction loops of each point (convolutions, pooling), the loops of
// compiled models become unit-stride inner loops that it vectorizes, while
// the outer dimensions stay parallel.
//
//===----------------------------------------------------------------------===//

#include "quant/Conversion/Passes.h"

#include "mlir/AsmParser/AsmParser.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/IRMapping.h"

#include <functional>

namespace mlir::qnt {
#define GEN_PASS_DEF_PARALLELOUTERDIMSPASS
#include "quant/Conversion/Passes.h.inc"
} // namespace mlir::qnt

using namespace mlir;

namespace {

/// The perfectly nested scf.for loops that make up the body of `op`
/// (outermost first), when the body is one such nest whose bounds are
/// defined outside `op`; empty otherwise.
SmallVector<scf::ForOp> getReductionNest(scf::ParallelOp op) {
  SmallVector<scf::ForOp> nest;
  Block *body = op.getBody();
  while (true) {
    auto ops = body->without_terminator();
    if (!llvm::hasSingleElement(ops))
      break;
    auto loop = dyn_cast<scf::ForOp>(*ops.begin());
    if (!loop || loop.getNumRegionIterArgs() != 0)
      break;
    for (Value bound :
         {loop.getLowerBound(), loop.getUpperBound(), loop.getStep()})
      if (op->isAncestor(bound.getParentRegion()->getParentOp()))
        return {};
    nest.push_back(loop);
    body = loop.getBody();
  }
  return nest;
}

struct ParallelOuterDimsPass
    : qnt::impl::ParallelOuterDimsPassBase<ParallelOuterDimsPass> {
  /// LLVM loop metadata for the new innermost loop (scf-to-cf and the LLVM
  /// lowering carry `loop_annotation` to the latch branch): vectorize, and
  /// do not unroll first. Its trip count is often a small constant (16
  /// channels), which LLVM's full unrolling would otherwise turn into
  /// scalar code before the loop vectorizer, with its run-time alias
  /// checks between input and output buffers, sees the loop.
  Attribute getVectorizeAnnotation() {
    if (!vectorizeAnnotation)
      vectorizeAnnotation = parseAttribute(
          "#llvm.loop_annotation<unroll = <disable = true>>", &getContext());
    return vectorizeAnnotation;
  }
  Attribute vectorizeAnnotation;

  void runOnOperation() override {
    SmallVector<scf::ParallelOp> loops;
    // A body that calls a function (a kernel library's block of a layer)
    // is not vectorized: all its dimensions stay parallel tasks.
    getOperation()->walk([&](scf::ParallelOp op) {
      if (op.getNumLoops() > 1 && op.getNumReductions() == 0 &&
          !op.getBody()
               ->walk([](CallOpInterface) { return WalkResult::interrupt(); })
               .wasInterrupted())
        loops.push_back(op);
    });
    for (scf::ParallelOp op : loops)
      rewrite(op);
  }

  /// Dimensions that stay parallel. OpenMP recovers each collapsed index
  /// with a division per iteration: over (N, H) of an NHWC pooling that is
  /// one per output row; over (N, H, W) it was one per pixel of 16 channels,
  /// more than the pixel's own work.
  static constexpr unsigned kParallelDims = 2;
  /// Most reduction steps per point kept inside the last dimension's loop.
  static constexpr int64_t kMaxInlineSteps = 16;

  /// parallel(outer, middle, last) { for r1 { ... for rk { body } } }
  /// becomes parallel(outer) { for middle { for r1 { ... for rk { for last
  /// { body } } } } }: at most kParallelDims outer dimensions stay parallel
  /// and the last runs innermost, below the reduction loops of each point.
  /// Iterations of a parallel loop are independent, and every point still
  /// sees its reduction steps in order, so results are unchanged.
  void rewrite(scf::ParallelOp op) {
    const unsigned last = op.getNumLoops() - 1;
    const unsigned outer = std::min(last, kParallelDims);
    SmallVector<scf::ForOp> nest = getReductionNest(op);
    // A reduction of a few constant steps (a 2 x 2 pooling window) stays
    // inside the last dimension's loop: LLVM unrolls it there, and the
    // vectorized loop keeps its partial results in registers instead of
    // reading and writing the output once per step.
    int64_t reductionSteps = 1;
    for (scf::ForOp loop : nest) {
      std::optional<llvm::APInt> trips = loop.getStaticTripCount();
      reductionSteps = trips && trips->getZExtValue() <= kMaxInlineSteps
                           ? reductionSteps * int64_t(trips->getZExtValue())
                           : kMaxInlineSteps + 1;
      reductionSteps = std::min(reductionSteps, kMaxInlineSteps + 1);
    }
    if (!nest.empty() && reductionSteps <= kMaxInlineSteps)
      nest.clear();
    OpBuilder b(op);
    Location loc = op.getLoc();
    auto lbs = op.getLowerBound(), ubs = op.getUpperBound(),
         steps = op.getStep();
    SmallVector<Value> ivs = op.getInductionVars();
    Block *innermost = nest.empty() ? op.getBody() : nest.back().getBody();
    IRMapping mapping;
    // Builds the sequential loops from `level` on: the middle parallel
    // dimensions, the loops of `nest`, then the last dimension around the
    // innermost body.
    const unsigned middle = last - outer;
    std::function<void(OpBuilder &, Location, unsigned)> build =
        [&](OpBuilder &fb, Location fl, unsigned level) {
          if (level < middle) {
            unsigned dim = outer + level;
            scf::ForOp::create(
                fb, fl, lbs[dim], ubs[dim], steps[dim], ValueRange{},
                [&](OpBuilder &nb, Location nl, Value iv, ValueRange) {
                  mapping.map(ivs[dim], iv);
                  build(nb, nl, level + 1);
                  scf::YieldOp::create(nb, nl);
                });
            return;
          }
          if (level < middle + nest.size()) {
            scf::ForOp loop = nest[level - middle];
            scf::ForOp::create(
                fb, fl, loop.getLowerBound(), loop.getUpperBound(),
                loop.getStep(), ValueRange{},
                [&](OpBuilder &nb, Location nl, Value iv, ValueRange) {
                  mapping.map(loop.getInductionVar(), iv);
                  build(nb, nl, level + 1);
                  scf::YieldOp::create(nb, nl);
                });
            return;
          }
          auto loop = scf::ForOp::create(
              fb, fl, lbs.back(), ubs.back(), steps.back(), ValueRange{},
              [&](OpBuilder &nb, Location nl, Value iv, ValueRange) {
                mapping.map(ivs.back(), iv);
                for (Operation &nested : innermost->without_terminator())
                  nb.clone(nested, mapping);
                scf::YieldOp::create(nb, nl);
              });
          loop->setAttr("loop_annotation", getVectorizeAnnotation());
        };
    scf::ParallelOp::create(
        b, loc, lbs.take_front(outer), ubs.take_front(outer),
        steps.take_front(outer),
        [&](OpBuilder &pb, Location pl, ValueRange outerIvs) {
          mapping.map(ArrayRef<Value>(ivs).take_front(outer), outerIvs);
          build(pb, pl, 0);
          scf::ReduceOp::create(pb, pl);
        });
    op.erase();
  }
};

} // namespace
