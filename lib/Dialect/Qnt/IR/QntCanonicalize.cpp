//===- QntCanonicalize.cpp - qnt canonicalization patterns ----------------===//
//
// Rewrites that need new ops and so cannot be folders: QDQ pairs become one
// fake_quant, quantize/dequantize of constants become constants (a
// quantized tensor constant is a storage constant behind `quant.scast`), and
// a dequantize-reshape-quantize round trip reshapes the storage.
//
//===----------------------------------------------------------------------===//

#include "quant/Dialect/Qnt/IR/QntOps.h"

#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "quant/Dialect/Qnt/IR/QntFolding.h"
#include "quant/Dialect/Qnt/Transforms/Patterns.h"

using namespace mlir;
using namespace mlir::qnt;

namespace {

/// dequantize(quantize(x)) -> fake_quant(x), for storage of at most 16 bits.
///
///   %q = qnt.quantize %x : tensor<4xf32> -> tensor<4x!q>
///   %y = qnt.dequantize %q : tensor<4x!q> -> tensor<4xf32>
/// becomes
///   %y = qnt.fake_quant %x as !q : tensor<4xf32>
struct DequantizeOfQuantize : OpRewritePattern<DequantizeOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(DequantizeOp op,
                                PatternRewriter &rewriter) const override {
    auto quantize = op.getInput().getDefiningOp<QuantizeOp>();
    if (!quantize)
      return rewriter.notifyMatchFailure(op, "input is not a qnt.quantize");
    if (quantize.getInput().getType() != op.getType())
      return rewriter.notifyMatchFailure(op, "float types differ");
    auto element =
        cast<quant::QuantizedType>(quantize.getType().getElementType());
    if (element.getStorageTypeIntegralWidth() > 16)
      return rewriter.notifyMatchFailure(op, "fake_quant holds <= 16 bits");
    rewriter.replaceOpWithNewOp<FakeQuantOp>(op, op.getType(),
                                             quantize.getInput(), element,
                                             quantize.getRoundingAttr());
    return success();
  }
};

/// quantize(constant) -> scast(storage constant).
///
///   %c = arith.constant dense<[1.0, 2.0]> : tensor<2xf32>
///   %q = qnt.quantize %c : tensor<2xf32> -> tensor<2x!quant.uniform<i8:f32,
///   0.5>>
/// becomes
///   %s = arith.constant dense<[2, 4]> : tensor<2xi8>
///   %q = quant.scast %s : tensor<2xi8> to tensor<2x!quant.uniform<i8:f32,
///   0.5>>
struct QuantizeOfConstant : OpRewritePattern<QuantizeOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(QuantizeOp op,
                                PatternRewriter &rewriter) const override {
    DenseElementsAttr values;
    if (!matchPattern(op.getInput(), m_Constant(&values)))
      return rewriter.notifyMatchFailure(op, "input is not a dense constant");
    auto element = cast<quant::QuantizedType>(op.getType().getElementType());
    DenseElementsAttr storage =
        quantizeConstant(values, element, op.getRoundingMode());
    if (!storage)
      return rewriter.notifyMatchFailure(op, "shape is not static");
    auto constant = arith::ConstantOp::create(rewriter, op.getLoc(), storage);
    rewriter.replaceOpWithNewOp<quant::StorageCastOp>(op, op.getType(),
                                                      constant);
    return success();
  }
};

/// dequantize(scast(storage constant)) -> float constant.
struct DequantizeOfConstant : OpRewritePattern<DequantizeOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(DequantizeOp op,
                                PatternRewriter &rewriter) const override {
    auto cast = op.getInput().getDefiningOp<quant::StorageCastOp>();
    DenseElementsAttr storage;
    if (!cast || !matchPattern(cast.getInput(), m_Constant(&storage)))
      return rewriter.notifyMatchFailure(op, "input is not a storage constant");
    auto element = llvm::cast<quant::QuantizedType>(
        op.getInput().getType().getElementType());
    DenseElementsAttr values = dequantizeConstant(storage, element);
    if (!values)
      return rewriter.notifyMatchFailure(op, "shape is not static");
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(op, values);
    return success();
  }
};

/// tensor.dim(quantize, dequantize or quant.scast(x)) -> tensor.dim(x):
/// they keep the shape, and reading a size should not keep a cast alive (a
/// quant.scast left for a size does not bufferize) nor a tensor (the float
/// side of a pool fused into its producer).
struct DimOfElementwiseCast : OpRewritePattern<tensor::DimOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(tensor::DimOp op,
                                PatternRewriter &rewriter) const override {
    Operation *source = op.getSource().getDefiningOp();
    if (!isa_and_nonnull<QuantizeOp, DequantizeOp, quant::StorageCastOp>(
            source))
      return rewriter.notifyMatchFailure(op, "not a shape-keeping cast");
    rewriter.modifyOpInPlace(
        op, [&] { op.getSourceMutable().assign(source->getOperand(0)); });
    return success();
  }
};

/// quantize(reshape(dequantize(q))) -> scast(reshape(scast(q))) when the
/// round trip is exact and the scale is per tensor (a reshape may move the
/// axis of per-channel scales): the reshape moves storage instead, and
/// neither float tensor is computed. A Flatten between a pooled activation
/// and a Gemm quantized with the same range leaves this behind.
///
///   %f = qnt.dequantize %q : tensor<?x64x1x1x!q> -> tensor<?x64x1x1xf32>
///   %r = tensor.collapse_shape %f [[0], [1, 2, 3]] : ... into tensor<?x64xf32>
///   %y = qnt.quantize %r : tensor<?x64xf32> -> tensor<?x64x!q>
/// becomes
///   %s = quant.scast %q : tensor<?x64x1x1x!q> to tensor<?x64x1x1xi8>
///   %t = tensor.collapse_shape %s [[0], [1, 2, 3]] : ... into tensor<?x64xi8>
///   %y = quant.scast %t : tensor<?x64xi8> to tensor<?x64x!q>
struct QuantizeOfReshapedDequantize : OpRewritePattern<QuantizeOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(QuantizeOp op,
                                PatternRewriter &rewriter) const override {
    Operation *reshape = op.getInput().getDefiningOp();
    if (!isa_and_nonnull<tensor::ReshapeOp, tensor::CollapseShapeOp,
                         tensor::ExpandShapeOp>(reshape))
      return rewriter.notifyMatchFailure(op, "input is not a reshape");
    auto dequantize = reshape->getOperand(0).getDefiningOp<DequantizeOp>();
    if (!dequantize)
      return rewriter.notifyMatchFailure(op, "reshape of no qnt.dequantize");
    auto element =
        dyn_cast<quant::UniformQuantizedType>(op.getType().getElementType());
    if (!element ||
        dequantize.getInput().getType().getElementType() != Type(element))
      return rewriter.notifyMatchFailure(op, "not one per-tensor type");
    if (!isDequantizeExact(element))
      return rewriter.notifyMatchFailure(op, "round trip is not exact");
    Location loc = op.getLoc();
    Value input = dequantize.getInput();
    Value storage = quant::StorageCastOp::create(
        rewriter, loc, quant::QuantizedType::castToStorageType(input.getType()),
        input);
    IRMapping mapping;
    mapping.map(reshape->getOperand(0), storage);
    Operation *moved = rewriter.clone(*reshape, mapping);
    moved->getResult(0).setType(
        quant::QuantizedType::castToStorageType(op.getType()));
    rewriter.replaceOpWithNewOp<quant::StorageCastOp>(op, op.getType(),
                                                      moved->getResult(0));
    return success();
  }
};

/// The round-trip folders as patterns, for drivers that run without
/// folding (and so without constant evaluation).
struct QuantizeOfDequantize : OpRewritePattern<QuantizeOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(QuantizeOp op,
                                PatternRewriter &rewriter) const override {
    Value source = getExactRoundTripSource(op);
    if (!source)
      return rewriter.notifyMatchFailure(op, "not an exact round trip");
    rewriter.replaceOp(op, source);
    return success();
  }
};

struct FakeQuantOfFakeQuant : OpRewritePattern<FakeQuantOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(FakeQuantOp op,
                                PatternRewriter &rewriter) const override {
    Value source = getIdempotentSource(op);
    if (!source)
      return rewriter.notifyMatchFailure(op, "not an idempotent pair");
    rewriter.replaceOp(op, source);
    return success();
  }
};

} // namespace

void qnt::populateQdqPairFoldingPatterns(RewritePatternSet &patterns) {
  patterns
      .add<DequantizeOfQuantize, QuantizeOfDequantize, FakeQuantOfFakeQuant>(
          patterns.getContext());
}

void qnt::populateConstantFoldingPatterns(RewritePatternSet &patterns) {
  patterns.add<QuantizeOfConstant, DequantizeOfConstant>(patterns.getContext());
}

void QuantizeOp::getCanonicalizationPatterns(RewritePatternSet &patterns,
                                             MLIRContext *context) {
  patterns.add<QuantizeOfConstant, QuantizeOfReshapedDequantize>(context);
}

void DequantizeOp::getCanonicalizationPatterns(RewritePatternSet &patterns,
                                               MLIRContext *context) {
  // Registered once for the three casts it reads through.
  patterns.add<DequantizeOfQuantize, DequantizeOfConstant,
               DimOfElementwiseCast>(context);
}
