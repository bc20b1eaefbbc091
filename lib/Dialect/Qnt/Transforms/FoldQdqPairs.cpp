//===- FoldQdqPairs.cpp - Fold quantize/dequantize round trips ------------===//
//
// Implements `qnt-fold-qdq-pairs`: the exact-round-trip folders of the casts,
// dequantize(quantize) -> fake_quant, and optionally constant evaluation.
//
//===----------------------------------------------------------------------===//

#include "quant/Dialect/Qnt/IR/QntOps.h"
#include "quant/Dialect/Qnt/Transforms/Passes.h"
#include "quant/Dialect/Qnt/Transforms/Patterns.h"

#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::qnt {
#define GEN_PASS_DEF_FOLDQDQPAIRSPASS
#include "quant/Dialect/Qnt/Transforms/Passes.h.inc"
} // namespace mlir::qnt

using namespace mlir;
using namespace mlir::qnt;

namespace {

struct FoldQdqPairsPass : qnt::impl::FoldQdqPairsPassBase<FoldQdqPairsPass> {
  using FoldQdqPairsPassBase::FoldQdqPairsPassBase;

  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateQdqPairFoldingPatterns(patterns);
    if (foldConstants)
      populateConstantFoldingPatterns(patterns);
    // Op folders would also evaluate constant fake_quant ops: without
    // constant folding they are off and the round trips run as patterns.
    GreedyRewriteConfig config;
    if (!foldConstants)
      config.enableFolding(false);
    if (failed(
            applyPatternsGreedily(getOperation(), std::move(patterns), config)))
      signalPassFailure();
  }
};

} // namespace
