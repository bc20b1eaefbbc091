//===- PackWeights.cpp - Quantize constant weights offline ----------------===//
//
// Implements `qnt-pack-weights`. The canonicalizer folds quantize of inline
// dense constants too, but not of dense_resource blobs (where every real
// model keeps its weights), and canonicalization would also fold the QDQ
// pairs qnt-fuse-qdq needs; this pass does only the weights.
//
//===----------------------------------------------------------------------===//

#include "quant/Dialect/Qnt/IR/QntFolding.h"
#include "quant/Dialect/Qnt/IR/QntOps.h"
#include "quant/Dialect/Qnt/Transforms/GraphMatchers.h"
#include "quant/Dialect/Qnt/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Quant/IR/Quant.h"

namespace mlir::qnt {
#define GEN_PASS_DEF_PACKWEIGHTSPASS
#include "quant/Dialect/Qnt/Transforms/Passes.h.inc"
} // namespace mlir::qnt

using namespace mlir;
using namespace mlir::qnt;

namespace {

struct PackWeightsPass : qnt::impl::PackWeightsPassBase<PackWeightsPass> {
  using PackWeightsPassBase::PackWeightsPassBase;

  void runOnOperation() override {
    SmallVector<QuantizeOp> quantizes;
    getOperation()->walk([&](QuantizeOp op) {
      if (op.getInput().getDefiningOp<arith::ConstantOp>())
        quantizes.push_back(op);
    });
    for (QuantizeOp op : quantizes) {
      auto constant = op.getInput().getDefiningOp<arith::ConstantOp>();
      DenseElementsAttr values = getDenseConstant(constant);
      auto element = dyn_cast<quant::QuantizedType>(
          cast<ShapedType>(op.getType()).getElementType());
      if (!values || !isa<FloatType>(values.getElementType()) || !element)
        continue;
      DenseElementsAttr storage =
          quantizeConstant(values, element, op.getRoundingMode());
      if (!storage)
        continue;
      OpBuilder builder(op);
      auto packed = arith::ConstantOp::create(builder, op.getLoc(), storage);
      auto cast = quant::StorageCastOp::create(builder, op.getLoc(),
                                               op.getType(), packed);
      op.replaceAllUsesWith(cast.getResult());
      op.erase();
      if (constant->use_empty())
        constant.erase();
      ++numPacked;
    }
  }
};

} // namespace
