//===- ParallelOuterDims.cpp - Inner scf.parallel dims become scf.for -----===//
//
// Implements `qnt-parallel-outer-dims`. The OpenMP lowering collapses every
// dimension of an scf.parallel into one linear index and recovers the
// indices with divisions, which leaves LLVM's loop vectorizer nothing to
// work on; with the innermost dimension as a sequential loop, the
// elementwise and pooling loops of compiled models become unit-stride inner
// loops that it vectorizes, while the outer dimensions stay parallel.
//
//===----------------------------------------------------------------------===//

#include "quant/Conversion/Passes.h"

#include "mlir/IR/IRMapping.h"

namespace mlir::qnt {
#define GEN_PASS_DEF_PARALLELOUTERDIMSPASS
#include "quant/Conversion/Passes.h.inc"
} // namespace mlir::qnt

using namespace mlir;

namespace {

struct ParallelOuterDimsPass
    : qnt::impl::ParallelOuterDimsPassBase<ParallelOuterDimsPass> {
  void runOnOperation() override {
    SmallVector<scf::ParallelOp> loops;
    getOperation()->walk([&](scf::ParallelOp op) {
      if (op.getNumLoops() > 1 && op.getNumReductions() == 0)
        loops.push_back(op);
    });
    for (scf::ParallelOp op : loops) {
      unsigned outer = op.getNumLoops() - 1;
      OpBuilder b(op);
      Location loc = op.getLoc();
      auto lbs = op.getLowerBound(), ubs = op.getUpperBound(),
           steps = op.getStep();
      scf::ParallelOp::create(
          b, loc, lbs.take_front(outer), ubs.take_front(outer),
          steps.take_front(outer),
          [&](OpBuilder &pb, Location pl, ValueRange outerIvs) {
            scf::ForOp::create(
                pb, pl, lbs.back(), ubs.back(), steps.back(), ValueRange{},
                [&](OpBuilder &fb, Location fl, Value iv, ValueRange) {
                  IRMapping mapping;
                  SmallVector<Value> ivs = op.getInductionVars();
                  mapping.map(ArrayRef<Value>(ivs).take_front(outer), outerIvs);
                  mapping.map(ivs.back(), iv);
                  for (Operation &nested : op.getBody()->without_terminator())
                    fb.clone(nested, mapping);
                  scf::YieldOp::create(fb, fl);
                });
            scf::ReduceOp::create(pb, pl);
          });
      op.erase();
    }
  }
};

} // namespace
