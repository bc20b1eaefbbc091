//===- ObserversToCalls.cpp - qnt.observe -> observer runtime calls -------===//
//
// Implements `qnt-lower-observers-to-calls`, the calibration-only lowering
// of observers: the runtime (lib/Runtime/ObserverRuntime.cpp) receives each
// observed tensor as an unranked memref and updates its statistics.
//
//===----------------------------------------------------------------------===//

#include "quant/Conversion/Passes.h"

#include "../RuntimeSymbols.h"
#include "quant/Dialect/Qnt/IR/QntOps.h"

namespace mlir::qnt {
#define GEN_PASS_DEF_LOWEROBSERVERSTOCALLSPASS
#include "quant/Conversion/Passes.h.inc"
} // namespace mlir::qnt

using namespace mlir;
using namespace mlir::qnt;

namespace {

struct LowerObserversToCallsPass
    : qnt::impl::LowerObserversToCallsPassBase<LowerObserversToCallsPass> {
  using LowerObserversToCallsPassBase::LowerObserversToCallsPassBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<ObserveOp> observers;
    module.walk([&](ObserveOp op) { observers.push_back(op); });
    if (observers.empty())
      return;

    MLIRContext *ctx = &getContext();
    auto unranked = UnrankedMemRefType::get(Float32Type::get(ctx), 0);
    auto calleeType =
        FunctionType::get(ctx, {IntegerType::get(ctx, 64), unranked}, {});
    // Any other symbol of that name (not only a func.func of another type)
    // would clash with the declaration or the runtime's definition.
    if (Operation *existing = module.lookupSymbol(qnt::kObserveFunction)) {
      auto func = dyn_cast<func::FuncOp>(existing);
      if (!func || func.getFunctionType() != calleeType ||
          !func.isDeclaration()) {
        existing->emitError() << "@" << qnt::kObserveFunction
                              << " is reserved for the observer runtime";
        return signalPassFailure();
      }
      // The runtime only defines the C interface entry point.
      func->setAttr("llvm.emit_c_interface", UnitAttr::get(ctx));
    } else {
      OpBuilder builder = OpBuilder::atBlockBegin(module.getBody());
      auto decl = func::FuncOp::create(builder, module.getLoc(),
                                       qnt::kObserveFunction, calleeType);
      decl.setPrivate();
      decl->setAttr("llvm.emit_c_interface", UnitAttr::get(ctx));
    }

    for (auto [index, op] : llvm::enumerate(observers)) {
      auto type = cast<TensorType>(op.getInput().getType());
      if (!type.getElementType().isF32() || !type.hasRank()) {
        op.emitError() << "calibration observes ranked f32 tensors only, got "
                       << type;
        return signalPassFailure();
      }
      OpBuilder builder(op);
      Location loc = op.getLoc();
      auto buffer = bufferization::ToBufferOp::create(
          builder, loc, MemRefType::get(type.getShape(), type.getElementType()),
          op.getInput(), /*read_only=*/true);
      auto cast = memref::CastOp::create(builder, loc, unranked, buffer);
      auto id = arith::ConstantIntOp::create(builder, loc, index, 64);
      func::CallOp::create(builder, loc, qnt::kObserveFunction, TypeRange{},
                           ValueRange{id, cast});
      op.replaceAllUsesWith(op.getInput());
      op.erase();
    }
  }
};

} // namespace
