//===- FoldFakeQuant.cpp - QAT graphs to the calibrated QDQ form ----------===//
//
// Implements `qnt-fold-fake-quant`: fake_quant expansion, removal of storage
// cast round trips and per-axis types that are per tensor in disguise, so
// that trained and calibrated graphs reach qnt-fuse-qdq in one form.
//
//===----------------------------------------------------------------------===//

#include "quant/Dialect/Qnt/IR/QntOps.h"
#include "quant/Dialect/Qnt/Transforms/Passes.h"
#include "quant/Dialect/Qnt/Transforms/Patterns.h"

#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::qnt {
#define GEN_PASS_DEF_FOLDFAKEQUANTPASS
#include "quant/Dialect/Qnt/Transforms/Passes.h.inc"
} // namespace mlir::qnt

using namespace mlir;
using namespace mlir::qnt;

namespace {

/// scast(scast(x : T) : storage) : T -> x.
struct StorageCastRoundTrip : OpRewritePattern<quant::StorageCastOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(quant::StorageCastOp op,
                                PatternRewriter &rewriter) const override {
    auto inner = op.getInput().getDefiningOp<quant::StorageCastOp>();
    if (!inner || inner.getInput().getType() != op.getType())
      return rewriter.notifyMatchFailure(op, "not a round trip");
    rewriter.replaceOp(op, inner.getInput());
    return success();
  }
};

/// The per-tensor type a per-axis type with one scale and zero point on
/// every channel stands for.
quant::UniformQuantizedType getPerTensorEquivalent(Type type) {
  auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(type);
  if (!perAxis || perAxis.getScales().empty())
    return nullptr;
  ArrayRef<double> scales = perAxis.getScales();
  ArrayRef<int64_t> zeroPoints = perAxis.getZeroPoints();
  if (!llvm::all_equal(scales) || !llvm::all_equal(zeroPoints))
    return nullptr;
  return quant::UniformQuantizedType::get(
      perAxis.getFlags(), perAxis.getStorageType(), perAxis.getExpressedType(),
      scales.front(), zeroPoints.front(), perAxis.getStorageTypeMin(),
      perAxis.getStorageTypeMax());
}

/// quantize -> per-axis type with equal channels, read only by
/// dequantizes: both sides take the per-tensor type.
struct UniformPerAxisToPerTensor : OpRewritePattern<QuantizeOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(QuantizeOp op,
                                PatternRewriter &rewriter) const override {
    auto type = cast<ShapedType>(op.getType());
    quant::UniformQuantizedType perTensor =
        getPerTensorEquivalent(type.getElementType());
    if (!perTensor)
      return rewriter.notifyMatchFailure(op, "not a uniform per-axis type");
    if (!llvm::all_of(op->getUsers(), llvm::IsaPred<DequantizeOp>))
      return rewriter.notifyMatchFailure(op, "read by more than dequantize");
    auto quantize =
        QuantizeOp::create(rewriter, op.getLoc(), type.clone(perTensor),
                           op.getInput(), op.getRoundingAttr());
    for (Operation *user : llvm::make_early_inc_range(op->getUsers()))
      rewriter.replaceOpWithNewOp<DequantizeOp>(
          user, user->getResult(0).getType(), quantize);
    rewriter.eraseOp(op);
    return success();
  }
};

struct FoldFakeQuantPass : qnt::impl::FoldFakeQuantPassBase<FoldFakeQuantPass> {
  using FoldFakeQuantPassBase::FoldFakeQuantPassBase;

  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateExpandFakeQuantPatterns(patterns);
    patterns.add<StorageCastRoundTrip, UniformPerAxisToPerTensor>(
        &getContext());
    // Only these patterns: canonicalization would fold the pairs back into
    // fake_quant and the weight casts into float constants.
    GreedyRewriteConfig config;
    config.enableFolding(false);
    if (failed(
            applyPatternsGreedily(getOperation(), std::move(patterns), config)))
      signalPassFailure();
  }
};

} // namespace
