//===- ParallelBatch.cpp - A model runs on slices of its batch in parallel ===//
//
// Implements `qnt-parallel-batch`. A batched model runs a dozen parallel
// loops, one per layer, and every one of them forks and joins the thread
// team and waits for its slowest thread. When each output row of a function
// depends only on the same row of its inputs, its threads can instead run
// the whole function on their own slices of the batch, in one parallel
// loop: one fork, one join. The analysis proves that property op by op
// (sizes computed from the batch are followed as affine expressions of it);
// a function it cannot prove is left alone.
//
//===----------------------------------------------------------------------===//

#include "quant/Conversion/Passes.h"

#include "../RuntimeSymbols.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/AffineExpr.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "quant/Dialect/Qnt/IR/QntOps.h"

namespace mlir::qnt {
#define GEN_PASS_DEF_PARALLELBATCHPASS
#include "quant/Conversion/Passes.h.inc"
} // namespace mlir::qnt

using namespace mlir;

namespace {

/// Follows, through one function, which tensors have the batch as their
/// dimension 0 and which index values are affine in the batch size (the
/// symbol s0), and fails on the first op that could mix rows of the batch.
class BatchAnalysis {
public:
  /// Empty when the function runs the same on any slice of its batch.
  std::string check(func::FuncOp func);

  bool isBatched(Value v) const { return batched.contains(v); }

private:
  /// An index value's expression in s0, or null when it does not depend on
  /// the batch size.
  AffineExpr getSizeExpr(Value v) const {
    auto it = sizes.find(v);
    return it == sizes.end() ? AffineExpr() : it->second;
  }
  bool dependsOnBatch(Value v) const {
    return batched.contains(v) || sizes.contains(v) || shapes.contains(v);
  }
  bool isBatchSize(Value v) const {
    AffineExpr e = getSizeExpr(v);
    return e && e == getAffineSymbolExpr(0, e.getContext());
  }
  std::string visit(Operation *op);
  /// Records `v` as batched: its dimension 0 must be dynamic, since a
  /// static size would hold only for the whole batch, not for a slice.
  std::string markBatched(Value v) {
    auto type = dyn_cast<RankedTensorType>(v.getType());
    if (!type || type.getRank() == 0 || !type.isDynamicDim(0))
      return "a batched tensor has a static dimension 0";
    batched.insert(v);
    return "";
  }
  std::string visitIndexArith(Operation *op);
  std::string visitStructured(linalg::LinalgOp op);

  DenseSet<Value> batched;
  DenseMap<Value, AffineExpr> sizes;
  /// Shape tensors (tensor.from_elements) with an element that depends on
  /// the batch size: the expressions of their elements, null if it does not.
  DenseMap<Value, SmallVector<AffineExpr>> shapes;
};

std::string BatchAnalysis::check(func::FuncOp func) {
  if (func.isExternal() || !llvm::hasSingleElement(func.getBody()))
    return "not a function with one block";
  for (BlockArgument arg : func.getArguments()) {
    auto type = dyn_cast<RankedTensorType>(arg.getType());
    if (type && type.getRank() > 0 && type.isDynamicDim(0))
      batched.insert(arg);
  }
  if (batched.empty())
    return "no argument has a dynamic dimension 0";
  if (func.getNumResults() == 0)
    return "no results";
  for (Operation &op : func.getBody().front()) {
    if (auto ret = dyn_cast<func::ReturnOp>(op)) {
      for (Value v : ret.getOperands()) {
        auto type = dyn_cast<RankedTensorType>(v.getType());
        if (!batched.contains(v) || !type || !type.isDynamicDim(0) ||
            llvm::count_if(type.getShape(), ShapedType::isDynamic) != 1)
          return "a result is not batched, or has another dynamic dimension";
      }
      continue;
    }
    std::string reason = visit(&op);
    if (!reason.empty())
      return reason;
  }
  return "";
}

/// Whether `e` is at least 0 for every s0 >= 1: sums, products and
/// divisions by positive constants of s0 and non-negative constants.
bool isNeverNegative(AffineExpr e) {
  if (auto c = dyn_cast<AffineConstantExpr>(e))
    return c.getValue() >= 0;
  if (isa<AffineSymbolExpr>(e))
    return true;
  auto bin = dyn_cast<AffineBinaryOpExpr>(e);
  if (!bin || e.getKind() == AffineExprKind::Mod)
    return false;
  return isNeverNegative(bin.getLHS()) && isNeverNegative(bin.getRHS());
}

std::string BatchAnalysis::visitIndexArith(Operation *op) {
  AffineExpr lhs = getSizeExpr(op->getOperand(0));
  AffineExpr rhs = getSizeExpr(op->getOperand(1));
  auto constantOf = [&](Value v) -> AffineExpr {
    if (std::optional<int64_t> c = getConstantIntValue(v))
      return getAffineConstantExpr(*c, op->getContext());
    return {};
  };
  if (!lhs)
    lhs = constantOf(op->getOperand(0));
  if (!rhs)
    rhs = constantOf(op->getOperand(1));
  if (!lhs || !rhs)
    return "batch size combined with an unknown value";
  std::optional<int64_t> divisor = getConstantIntValue(op->getOperand(1));
  // Truncating and unsigned divisions are floor and ceiling divisions only
  // of numerators that are never negative, for any slice size s0 >= 1.
  bool exactDivision =
      isa<arith::FloorDivSIOp, arith::CeilDivSIOp>(op) || isNeverNegative(lhs);
  AffineExpr result;
  if (isa<arith::AddIOp>(op))
    result = lhs + rhs;
  else if (isa<arith::SubIOp>(op))
    result = lhs - rhs;
  else if (isa<arith::MulIOp>(op) &&
           (isa<AffineConstantExpr>(lhs) || isa<AffineConstantExpr>(rhs)))
    result = lhs * rhs;
  else if (isa<arith::DivUIOp, arith::DivSIOp, arith::FloorDivSIOp>(op) &&
           divisor && *divisor > 0 && exactDivision)
    result = lhs.floorDiv(*divisor);
  else if (isa<arith::CeilDivUIOp, arith::CeilDivSIOp>(op) && divisor &&
           *divisor > 0 && exactDivision)
    result = lhs.ceilDiv(*divisor);
  else
    return "batch size in unsupported arithmetic";
  sizes[op->getResult(0)] = simplifyAffineExpr(result, 0, 1);
  return "";
}

std::string BatchAnalysis::visitStructured(linalg::LinalgOp op) {
  if (!op.hasPureTensorSemantics())
    return "structured op on buffers";
  std::optional<unsigned> batchLoop;
  for (OpOperand &operand : op->getOpOperands()) {
    if (!batched.contains(operand.get()))
      continue;
    AffineMap map = op.getMatchingIndexingMap(&operand);
    if (map.getNumResults() == 0 || !isa<AffineDimExpr>(map.getResult(0)))
      return "structured op indexes the batch with other loops";
    unsigned dim = cast<AffineDimExpr>(map.getResult(0)).getPosition();
    if (batchLoop && *batchLoop != dim)
      return "structured op indexes the batch with other loops";
    batchLoop = dim;
  }
  if (!batchLoop) {
    for (Value v : op->getOperands())
      if (dependsOnBatch(v))
        return "structured op on a batch size";
    return "";
  }
  if (op.getIteratorTypesArray()[*batchLoop] != utils::IteratorType::parallel)
    return "structured op reduces over the batch";
  for (OpOperand &operand : op->getOpOperands()) {
    AffineMap map = op.getMatchingIndexingMap(&operand);
    bool indexed = map.isFunctionOfDim(*batchLoop);
    bool isInit = op.isDpsInit(&operand);
    if (batched.contains(operand.get())) {
      if (llvm::any_of(map.getResults().drop_front(), [&](AffineExpr e) {
            return e.isFunctionOfDim(*batchLoop);
          }))
        return "structured op indexes the batch twice";
    } else if (indexed || isInit) {
      return "structured op reads or writes the batch of an unbatched tensor";
    }
  }
  bool usesBatchIndex = false;
  op->walk([&](linalg::IndexOp index) {
    usesBatchIndex |= index.getDim() == *batchLoop;
  });
  if (usesBatchIndex)
    return "structured op reads its batch index";
  for (Value result : op->getResults())
    if (std::string reason = markBatched(result); !reason.empty())
      return reason;
  return "";
}

std::string BatchAnalysis::visit(Operation *op) {
  if (isa<qnt::ObserveOp>(op))
    return "an observer sees the whole batch";
  if (op->getNumRegions() && !isa<linalg::LinalgOp, tensor::PadOp>(op))
    return "op with regions";
  // A body that captures a batch size or a batched tensor would see the
  // slice's instead (the sets hold only values of the function's block).
  bool captures = false;
  op->walk([&](Operation *nested) {
    if (nested != op)
      captures |= llvm::any_of(nested->getOperands(),
                               [&](Value v) { return dependsOnBatch(v); });
  });
  if (captures)
    return "a body uses the batch from outside";
  if (!isMemoryEffectFree(op))
    return "op with side effects";
  if (auto pad = dyn_cast<tensor::PadOp>(op)) {
    for (Value v : op->getOperands())
      if (sizes.contains(v))
        return "tensor.pad sized by the batch";
    if (!batched.contains(pad.getSource()))
      return "";
    // A padding value from outside the pad cannot read the batch index.
    if (pad.getStaticLow().front() != 0 || pad.getStaticHigh().front() != 0 ||
        !pad.getConstantPaddingValue())
      return "tensor.pad pads the batch, or by position";
    return markBatched(pad.getResult());
  }
  bool anyBatched = llvm::any_of(op->getOperands(),
                                 [&](Value v) { return batched.contains(v); });

  if (auto dim = dyn_cast<tensor::DimOp>(op)) {
    std::optional<int64_t> index = dim.getConstantIndex();
    if (batched.contains(dim.getSource())) {
      if (!index)
        return "tensor.dim of an unknown dimension";
      if (*index == 0)
        sizes[dim.getResult()] = getAffineSymbolExpr(0, op->getContext());
    }
    return "";
  }
  if (isa<arith::AddIOp, arith::SubIOp, arith::MulIOp, arith::DivUIOp,
          arith::DivSIOp, arith::FloorDivSIOp, arith::CeilDivUIOp,
          arith::CeilDivSIOp>(op) &&
      op->getResult(0).getType().isIndex()) {
    if (!sizes.contains(op->getOperand(0)) &&
        !sizes.contains(op->getOperand(1)))
      return "";
    return visitIndexArith(op);
  }
  if (auto empty = dyn_cast<tensor::EmptyOp>(op)) {
    RankedTensorType type = empty.getType();
    for (int64_t d = 0; d < type.getRank(); ++d) {
      if (!type.isDynamicDim(d))
        continue;
      Value size = empty.getDynamicSize(d);
      if (d == 0 && isBatchSize(size))
        batched.insert(empty.getResult());
      else if (sizes.contains(size))
        return "tensor.empty sized by the batch in another way";
    }
    return "";
  }
  if (auto elements = dyn_cast<tensor::FromElementsOp>(op)) {
    if (!llvm::any_of(elements.getElements(),
                      [&](Value v) { return sizes.contains(v); }))
      return "";
    SmallVector<AffineExpr> exprs;
    for (Value v : elements.getElements())
      exprs.push_back(getSizeExpr(v));
    shapes[elements.getResult()] = exprs;
    return "";
  }
  if (auto reshape = dyn_cast<tensor::ReshapeOp>(op)) {
    auto it = shapes.find(reshape.getShape());
    if (!batched.contains(reshape.getSource()))
      return it == shapes.end() ? "" : "unbatched tensor reshaped by the batch";
    if (it == shapes.end() || it->second.empty() ||
        !isBatchSize(reshape.getShape().getDefiningOp()->getOperand(0)) ||
        llvm::any_of(ArrayRef(it->second).drop_front(),
                     [](AffineExpr e) { return bool(e); }))
      return "reshape does not keep the batch as dimension 0";
    return markBatched(reshape.getResult());
  }
  if (auto collapse = dyn_cast<tensor::CollapseShapeOp>(op)) {
    if (!anyBatched)
      return "";
    if (collapse.getReassociationIndices().empty() ||
        collapse.getReassociationIndices().front().size() != 1)
      return "collapse_shape merges the batch";
    return markBatched(collapse.getResult());
  }
  if (auto expand = dyn_cast<tensor::ExpandShapeOp>(op)) {
    if (!anyBatched) {
      for (Value v : expand.getOutputShape())
        if (sizes.contains(v))
          return "unbatched tensor expanded by the batch";
      return "";
    }
    if (expand.getReassociationIndices().front().size() != 1)
      return "expand_shape splits the batch";
    SmallVector<OpFoldResult> shape = expand.getMixedOutputShape();
    auto first = dyn_cast<Value>(shape.front());
    if (!first || !isBatchSize(first))
      return "expand_shape sizes dimension 0 otherwise";
    for (OpFoldResult size : ArrayRef(shape).drop_front())
      if (auto v = dyn_cast<Value>(size); v && sizes.contains(v))
        return "expand_shape sizes another dimension by the batch";
    return markBatched(expand.getResult());
  }

  // Everything else: no index operand may depend on the batch size.
  for (Value v : op->getOperands())
    if (sizes.contains(v) || shapes.contains(v))
      return "batch size used by " + op->getName().getStringRef().str();
  if (!anyBatched)
    return "";
  if (isa<quant::StorageCastOp, qnt::QuantizeOp, qnt::DequantizeOp,
          qnt::FakeQuantOp, qnt::AddOp, qnt::MulOp>(op)) {
    // Elementwise, without broadcasting against an unbatched operand.
    for (Value v : op->getOperands())
      if (isa<TensorType>(v.getType()) && !batched.contains(v))
        return "elementwise op mixes batched and unbatched tensors";
    return markBatched(op->getResult(0));
  }
  if (auto matmul = dyn_cast<qnt::MatmulOp>(op);
      matmul && matmul.getLhs().getType().getRank() == 3) {
    // A batch matmul pairs lhs[b] with rhs[b]: both must be sliced alike.
    if (!batched.contains(matmul.getLhs()) ||
        !batched.contains(matmul.getRhs()) ||
        (matmul.getBias() && batched.contains(matmul.getBias())))
      return "batch matmul of an unbatched operand";
    return markBatched(op->getResult(0));
  }
  if (isa<qnt::Conv2DOp, qnt::MatmulOp>(op)) {
    // Input rows times constant weights.
    if (!batched.contains(op->getOperand(0)) ||
        llvm::any_of(op->getOperands().drop_front(),
                     [&](Value v) { return batched.contains(v); }))
      return "weights depend on the batch";
    return markBatched(op->getResult(0));
  }
  if (auto structured = dyn_cast<linalg::LinalgOp>(op))
    return visitStructured(structured);
  return "unknown op " + op->getName().getStringRef().str() +
         " on a batched tensor";
}

struct ParallelBatchPass : qnt::impl::ParallelBatchPassBase<ParallelBatchPass> {
  using ParallelBatchPassBase::ParallelBatchPassBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (minSamples < 1) {
      module.emitError() << "qnt-parallel-batch: min-samples must be at "
                            "least 1, got "
                         << static_cast<int64_t>(minSamples);
      return signalPassFailure();
    }
    // The thread count comes from the OpenMP runtime, declared here unless
    // the module already has that symbol with this type.
    if (!qnt::canUseThreadCount(module)) {
      if (explain)
        module.lookupSymbol(qnt::kThreadCountFunction)->emitRemark()
            << "functions run layer by layer: the module defines "
            << qnt::kThreadCountFunction << " otherwise";
      return;
    }
    for (auto func : llvm::to_vector(module.getOps<func::FuncOp>())) {
      if (!func.isPublic() || func.isExternal())
        continue;
      BatchAnalysis analysis;
      std::string reason = analysis.check(func);
      if (!reason.empty()) {
        if (explain)
          func->emitRemark() << "runs layer by layer: " << reason;
        continue;
      }
      rewrite(func, analysis);
    }
  }

  /// func @f(%x) { body; return %y }
  /// becomes
  /// func @f(%x) {
  ///   %r = scf.if (threads > 1 and batch >= minSamples * threads) {
  ///     scf.forall (%t) in (threads) shared_outs(%o = empty) {
  ///       body on %x[t * batch / threads, (t + 1) * batch / threads)
  ///       insert its %y into %o at the same rows
  ///     }
  ///   } else { body }
  ///   return %r
  /// }
  void rewrite(func::FuncOp func, const BatchAnalysis &analysis) {
    MLIRContext *ctx = func.getContext();
    Block &body = func.getBody().front();
    Location loc = func.getLoc();
    OpBuilder b(ctx);
    func::FuncOp threadsFn = qnt::getThreadCountFunction(b, getOperation());

    SmallVector<BlockArgument> sliced;
    for (BlockArgument arg : func.getArguments())
      if (analysis.isBatched(arg))
        sliced.push_back(arg);

    // The original body moves into the else branch.
    Block *original = new Block();
    original->getOperations().splice(original->end(), body.getOperations());

    b.setInsertionPointToStart(&body);
    Value c0 = arith::ConstantIndexOp::create(b, loc, 0);
    Value batch = tensor::DimOp::create(b, loc, sliced.front(), c0);
    Value threads = arith::IndexCastOp::create(
        b, loc, b.getIndexType(),
        func::CallOp::create(b, loc, threadsFn, ValueRange{}).getResult(0));
    Value minBatch = arith::MulIOp::create(
        b, loc, threads, arith::ConstantIndexOp::create(b, loc, minSamples));
    Value many =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sgt, threads,
                              arith::ConstantIndexOp::create(b, loc, 1));
    Value enough = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sge,
                                         batch, minBatch);
    Value use = arith::AndIOp::create(b, loc, many, enough);
    // Every batched argument must have the same batch to be sliced alike.
    for (BlockArgument arg : ArrayRef(sliced).drop_front()) {
      Value other = tensor::DimOp::create(b, loc, arg, c0);
      Value same =
          arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, batch, other);
      use = arith::AndIOp::create(b, loc, use, same);
    }

    // The new structure carries quantized tensors as their storage, the
    // only form that the later conversions of scf and tensor ops know.
    TypeRange resultTypes = func.getResultTypes();
    SmallVector<Type> storageTypes =
        llvm::map_to_vector(resultTypes, toStorage);
    auto branch = scf::IfOp::create(b, loc, storageTypes, use,
                                    /*withElseRegion=*/true);

    // Else: the original body, its return a yield.
    Block *elseBlock = branch.elseBlock();
    elseBlock->getOperations().splice(elseBlock->end(),
                                      original->getOperations());
    delete original;
    auto ret = cast<func::ReturnOp>(elseBlock->back());
    b.setInsertionPoint(ret);
    SmallVector<Value> returned =
        llvm::map_to_vector(ret.getOperands(), [&](Value v) {
          return castTo(b, ret.getLoc(), v, toStorage(v.getType()));
        });
    scf::YieldOp::create(b, ret.getLoc(), returned);
    ret->erase();

    // Then: one slice of the batch per thread.
    b.setInsertionPointToEnd(branch.thenBlock());
    SmallVector<Value> outs;
    for (Type type : storageTypes) {
      auto tensorType = cast<RankedTensorType>(type);
      outs.push_back(tensor::EmptyOp::create(b, loc, tensorType.getShape(),
                                             tensorType.getElementType(),
                                             ValueRange{batch}));
    }
    auto forall = scf::ForallOp::create(b, loc, ArrayRef<OpFoldResult>{threads},
                                        outs, std::nullopt);
    scf::YieldOp::create(b, loc, forall.getResults());

    scf::InParallelOp inParallel = forall.getTerminator();
    b.setInsertionPoint(inParallel);
    Value t = forall.getInductionVar(0);
    auto firstRowOf = [&](Value slice) -> Value {
      return arith::DivUIOp::create(
          b, loc, arith::MulIOp::create(b, loc, slice, batch), threads);
    };
    Value begin = firstRowOf(t);
    Value end = firstRowOf(arith::AddIOp::create(
        b, loc, t, arith::ConstantIndexOp::create(b, loc, 1)));
    Value rows = arith::SubIOp::create(b, loc, end, begin);
    IRMapping mapping;
    for (BlockArgument arg : sliced) {
      Value storage = castTo(b, loc, arg, toStorage(arg.getType()));
      Value slice = extractRows(b, loc, storage, begin, rows);
      mapping.map(arg, castTo(b, loc, slice, arg.getType()));
    }
    for (Operation &op : elseBlock->without_terminator())
      b.clone(op, mapping);
    b.setInsertionPointToEnd(inParallel.getBody());
    for (auto [value, out] : llvm::zip(returned, forall.getRegionIterArgs()))
      insertRows(b, loc, mapping.lookupOrDefault(value), out, begin, rows);

    b.setInsertionPointToEnd(&body);
    func::ReturnOp::create(
        b, loc,
        llvm::map_to_vector(llvm::zip(branch.getResults(), resultTypes),
                            [&](auto pair) {
                              auto [v, type] = pair;
                              return castTo(b, loc, v, type);
                            }));
  }

  /// A tensor of quantized values as its storage integers.
  static Type toStorage(Type type) {
    auto tensor = cast<RankedTensorType>(type);
    if (!isa<quant::QuantizedType>(tensor.getElementType()))
      return type;
    return quant::QuantizedType::castToStorageType(tensor);
  }

  static Value castTo(OpBuilder &b, Location loc, Value v, Type type) {
    if (v.getType() == type)
      return v;
    return quant::StorageCastOp::create(b, loc, type, v);
  }

  static SmallVector<OpFoldResult> rowsOf(OpBuilder &b, Value tensor,
                                          Value begin, Value rows,
                                          SmallVector<OpFoldResult> &offsets,
                                          SmallVector<OpFoldResult> &strides) {
    auto type = cast<RankedTensorType>(tensor.getType());
    SmallVector<OpFoldResult> sizes{rows};
    offsets.assign({begin});
    strides.assign(type.getRank(), b.getIndexAttr(1));
    for (int64_t d = 1; d < type.getRank(); ++d) {
      offsets.push_back(b.getIndexAttr(0));
      sizes.push_back(b.getIndexAttr(type.getDimSize(d)));
    }
    return sizes;
  }

  static Value extractRows(OpBuilder &b, Location loc, Value tensor,
                           Value begin, Value rows) {
    SmallVector<OpFoldResult> offsets, strides;
    SmallVector<OpFoldResult> sizes =
        rowsOf(b, tensor, begin, rows, offsets, strides);
    auto type = cast<RankedTensorType>(tensor.getType());
    // Dynamic dimensions other than the batch keep the argument's size.
    for (int64_t d = 1; d < type.getRank(); ++d)
      if (type.isDynamicDim(d))
        sizes[d] = tensor::DimOp::create(b, loc, tensor, d).getResult();
    return tensor::ExtractSliceOp::create(b, loc, tensor, offsets, sizes,
                                          strides);
  }

  static void insertRows(OpBuilder &b, Location loc, Value slice, Value into,
                         Value begin, Value rows) {
    SmallVector<OpFoldResult> offsets, strides;
    SmallVector<OpFoldResult> sizes =
        rowsOf(b, into, begin, rows, offsets, strides);
    tensor::ParallelInsertSliceOp::create(b, loc, slice, into, offsets, sizes,
                                          strides);
  }
};

} // namespace
