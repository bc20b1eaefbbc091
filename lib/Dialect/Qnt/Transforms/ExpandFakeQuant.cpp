//===- ExpandFakeQuant.cpp - fake_quant -> quantize + dequantize ----------===//
//
// Implements `qnt-expand-fake-quant`, so that later passes see QAT graphs in
// the same QDQ form as calibrated ones.
//
//===----------------------------------------------------------------------===//

#include "quant/Dialect/Qnt/IR/QntOps.h"
#include "quant/Dialect/Qnt/Transforms/Passes.h"
#include "quant/Dialect/Qnt/Transforms/Patterns.h"

#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::qnt {
#define GEN_PASS_DEF_EXPANDFAKEQUANTPASS
#include "quant/Dialect/Qnt/Transforms/Passes.h.inc"
} // namespace mlir::qnt

using namespace mlir;
using namespace mlir::qnt;

/// fake_quant(x) -> dequantize(quantize(x)) through the tensor type of its
/// quant_type, keeping the rounding mode on the quantize.
static void expandFakeQuant(RewriterBase &rewriter, FakeQuantOp op) {
  rewriter.setInsertionPoint(op);
  auto quantize =
      QuantizeOp::create(rewriter, op.getLoc(), op.getQuantizedTensorType(),
                         op.getInput(), op.getRoundingAttr());
  rewriter.replaceOpWithNewOp<DequantizeOp>(op, op.getType(), quantize);
}

namespace {

struct ExpandFakeQuant : OpRewritePattern<FakeQuantOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(FakeQuantOp op,
                                PatternRewriter &rewriter) const override {
    expandFakeQuant(rewriter, op);
    return success();
  }
};

struct ExpandFakeQuantPass
    : qnt::impl::ExpandFakeQuantPassBase<ExpandFakeQuantPass> {
  void runOnOperation() override {
    // One rewrite per op and no folding: the expansion must not be undone
    // by the dequantize(quantize) canonicalization.
    SmallVector<FakeQuantOp> ops;
    getOperation()->walk([&](FakeQuantOp op) { ops.push_back(op); });
    IRRewriter rewriter(&getContext());
    for (FakeQuantOp op : ops)
      expandFakeQuant(rewriter, op);
    numExpanded += ops.size();
  }
};

} // namespace

void qnt::populateExpandFakeQuantPatterns(RewritePatternSet &patterns) {
  patterns.add<ExpandFakeQuant>(patterns.getContext());
}
