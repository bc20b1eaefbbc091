//===- MemRefCopyToLinalg.cpp - memref.copy -> linalg.copy ----------------===//
//
// Implements qnt-memref-copy-to-linalg, so that no compiled function calls
// the `memrefCopy` runtime helper.
//
//===----------------------------------------------------------------------===//

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/PatternMatch.h"
#include "quant/Conversion/Passes.h"

namespace mlir::qnt {
#define GEN_PASS_DEF_MEMREFCOPYTOLINALGPASS
#include "quant/Conversion/Passes.h.inc"
} // namespace mlir::qnt

using namespace mlir;

namespace {

struct MemRefCopyToLinalgPass
    : qnt::impl::MemRefCopyToLinalgPassBase<MemRefCopyToLinalgPass> {
  void runOnOperation() override {
    SmallVector<memref::CopyOp> copies;
    getOperation()->walk([&](memref::CopyOp op) { copies.push_back(op); });
    IRRewriter rewriter(&getContext());
    for (memref::CopyOp copy : copies) {
      // linalg.copy needs ranked operands of one element type.
      auto source = dyn_cast<MemRefType>(copy.getSource().getType());
      auto target = dyn_cast<MemRefType>(copy.getTarget().getType());
      if (!source || !target ||
          source.getElementType() != target.getElementType())
        continue;
      rewriter.setInsertionPoint(copy);
      rewriter.replaceOpWithNewOp<linalg::CopyOp>(copy, copy.getSource(),
                                                  copy.getTarget());
    }
  }
};

} // namespace
