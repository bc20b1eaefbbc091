//===- OpsReduction.cpp - ONNX reductions, comparisons and selection ------===//
//
// ReduceMin/Max/Sum/Mean/Prod (axes as attribute or input, keepdims,
// noop_with_empty_axes), comparisons, logical ops, Where, ConstantOfShape
// and Expand.
//
//===----------------------------------------------------------------------===//

#include "OpBuilders.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include <limits>

using namespace mlir;
using namespace mlir::qnt::onnx_frontend;

namespace {

enum class Reduce { Min, Max, Sum, Mean, Prod };

template <Reduce Kind>
LogicalResult importReduce(GraphImporter &im, const onnx::NodeProto &node) {
  Value input = im.getInput(node, 0);
  if (!input)
    return failure();
  auto type = getTensorType(input);
  int64_t rank = type.getRank();
  Type element = type.getElementType();
  // Axes: attribute before opset 18 (13 for ReduceSum), input after.
  std::optional<SmallVector<int64_t>> axes = im.getInts(node, "axes");
  if (!axes && im.hasInput(node, 1)) {
    axes = im.getConstantInts(node, 1);
    if (!axes)
      return im.emitError(node) << "axes must be a constant";
  }
  bool keepDims = im.getInt(node, "keepdims", 1) != 0;
  if ((!axes || axes->empty()) && im.getInt(node, "noop_with_empty_axes", 0)) {
    im.setOutput(node, 0, input);
    return success();
  }
  SmallVector<int64_t> normalized;
  if (!axes || axes->empty()) {
    for (int64_t i = 0; i < rank; ++i)
      normalized.push_back(i);
  } else {
    for (int64_t axis : *axes) {
      auto n = normalizeAxis(im, node, axis, rank);
      if (failed(n))
        return failure();
      normalized.push_back(*n);
    }
    llvm::sort(normalized);
    normalized.erase(std::unique(normalized.begin(), normalized.end()),
                     normalized.end());
  }
  bool isFloat = isa<FloatType>(element);
  if (!isFloat && Kind == Reduce::Mean)
    return im.emitError(node) << "ReduceMean needs a float tensor";
  TypedAttr init;
  double initValue = Kind == Reduce::Min    ? INFINITY
                     : Kind == Reduce::Max  ? -INFINITY
                     : Kind == Reduce::Prod ? 1.0
                                            : 0.0;
  if (isFloat) {
    init = FloatAttr::get(element, initValue);
  } else {
    unsigned width = element.getIntOrFloatBitWidth();
    APInt value = Kind == Reduce::Min   ? APInt::getSignedMaxValue(width)
                  : Kind == Reduce::Max ? APInt::getSignedMinValue(width)
                                        : APInt(width, Kind == Reduce::Prod);
    init = IntegerAttr::get(element, value);
  }
  OpBuilder &b = im.builder;
  Location loc = im.getLoc(node);
  Value reduced = buildReduction(
      b, loc, input, normalized, keepDims, init,
      [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
        switch (Kind) {
        case Reduce::Min:
          return isFloat
                     ? arith::MinimumFOp::create(nb, l, a[0], a[1]).getResult()
                     : arith::MinSIOp::create(nb, l, a[0], a[1]).getResult();
        case Reduce::Max:
          return isFloat
                     ? arith::MaximumFOp::create(nb, l, a[0], a[1]).getResult()
                     : arith::MaxSIOp::create(nb, l, a[0], a[1]).getResult();
        case Reduce::Prod:
          return isFloat ? arith::MulFOp::create(nb, l, a[0], a[1]).getResult()
                         : arith::MulIOp::create(nb, l, a[0], a[1]).getResult();
        default:
          return isFloat ? arith::AddFOp::create(nb, l, a[0], a[1]).getResult()
                         : arith::AddIOp::create(nb, l, a[0], a[1]).getResult();
        }
      });
  if (Kind == Reduce::Mean) {
    int64_t count = 1;
    for (int64_t axis : normalized) {
      if (type.isDynamicDim(axis))
        return im.emitError(node) << "ReduceMean over a dynamic dimension is "
                                     "not supported";
      count *= type.getDimSize(axis);
    }
    auto mean = buildElementwise(im, node, reduced, element,
                                 [&](OpBuilder &nb, Location l, ValueRange a) {
                                   return arith::DivFOp::create(
                                       nb, l, a[0],
                                       scalarConstant(nb, l, element, count));
                                 });
    if (failed(mean))
      return failure();
    reduced = *mean;
  }
  im.setOutput(node, 0, reduced);
  return success();
}

/// Comparisons produce i1.
template <arith::CmpFPredicate FloatPred, arith::CmpIPredicate IntPred>
LogicalResult importCompare(GraphImporter &im, const onnx::NodeProto &node) {
  Value lhs = im.getInput(node, 0), rhs = im.getInput(node, 1);
  if (!lhs || !rhs)
    return failure();
  Type element = getTensorType(lhs).getElementType();
  bool isUnsigned = im.isUnsigned(node.input(0));
  auto result = buildElementwise(
      im, node, {lhs, rhs}, im.builder.getI1Type(),
      [&](OpBuilder &b, Location l, ValueRange a) -> Value {
        if (isa<FloatType>(element))
          return arith::CmpFOp::create(b, l, FloatPred, a[0], a[1]);
        arith::CmpIPredicate pred = IntPred;
        if (isUnsigned && pred == arith::CmpIPredicate::slt)
          pred = arith::CmpIPredicate::ult;
        if (isUnsigned && pred == arith::CmpIPredicate::sgt)
          pred = arith::CmpIPredicate::ugt;
        return arith::CmpIOp::create(b, l, pred, a[0], a[1]);
      });
  if (failed(result))
    return failure();
  im.setOutput(node, 0, *result);
  return success();
}

template <typename OpTy>
LogicalResult importLogical(GraphImporter &im, const onnx::NodeProto &node) {
  Value lhs = im.getInput(node, 0), rhs = im.getInput(node, 1);
  if (!lhs || !rhs)
    return failure();
  auto result = buildElementwise(im, node, {lhs, rhs}, im.builder.getI1Type(),
                                 [](OpBuilder &b, Location l, ValueRange a) {
                                   return OpTy::create(b, l, a[0], a[1]);
                                 });
  if (failed(result))
    return failure();
  im.setOutput(node, 0, *result);
  return success();
}

LogicalResult importNot(GraphImporter &im, const onnx::NodeProto &node) {
  Value input = im.getInput(node, 0);
  if (!input)
    return failure();
  auto result = buildElementwise(
      im, node, input, im.builder.getI1Type(),
      [](OpBuilder &b, Location l, ValueRange a) {
        Value one = arith::ConstantIntOp::create(b, l, b.getI1Type(), 1);
        return arith::XOrIOp::create(b, l, a[0], one);
      });
  if (failed(result))
    return failure();
  im.setOutput(node, 0, *result);
  return success();
}

LogicalResult importWhere(GraphImporter &im, const onnx::NodeProto &node) {
  Value cond = im.getInput(node, 0), x = im.getInput(node, 1),
        y = im.getInput(node, 2);
  if (!cond || !x || !y)
    return failure();
  auto result = buildElementwise(
      im, node, {cond, x, y}, getTensorType(x).getElementType(),
      [](OpBuilder &b, Location l, ValueRange a) {
        return arith::SelectOp::create(b, l, a[0], a[1], a[2]);
      });
  if (failed(result))
    return failure();
  im.setOutput(node, 0, *result);
  return success();
}

/// ConstantOfShape with a constant shape: a splat constant.
LogicalResult importConstantOfShape(GraphImporter &im,
                                    const onnx::NodeProto &node) {
  auto shape = im.getConstantInts(node, 0);
  if (!shape)
    return im.emitError(node) << "the shape must be a constant";
  Attribute value = FloatAttr::get(im.builder.getF32Type(), 0.0);
  if (const onnx::AttributeProto *attr = im.getAttr(node, "value")) {
    FailureOr<ElementsAttr> tensor =
        im.convertTensor(attr->t(), im.getLoc(node));
    if (failed(tensor))
      return failure();
    auto dense = dyn_cast<DenseElementsAttr>(*tensor);
    if (!dense || dense.getNumElements() != 1)
      return im.emitError(node) << "value must hold one element";
    value = *dense.value_begin<Attribute>();
  }
  auto type = RankedTensorType::get(*shape, cast<TypedAttr>(value).getType());
  im.setConstantOutput(node, 0, DenseElementsAttr::get(type, value));
  return success();
}

/// Expand: broadcast to a constant shape.
LogicalResult importExpand(GraphImporter &im, const onnx::NodeProto &node) {
  Value input = im.getInput(node, 0);
  auto shape = im.getConstantInts(node, 1);
  if (!input)
    return failure();
  if (!shape)
    return im.emitError(node) << "the shape must be a constant";
  auto type = getTensorType(input);
  Value target = tensor::EmptyOp::create(im.builder, im.getLoc(node), *shape,
                                         type.getElementType());
  // Broadcast against an empty tensor of the target shape (ONNX lets either
  // side be larger).
  auto result = buildElementwise(
      im, node, {input, target}, type.getElementType(),
      [](OpBuilder &, Location, ValueRange a) { return a[0]; });
  if (failed(result))
    return failure();
  im.setOutput(node, 0, *result);
  return success();
}

} // namespace

void mlir::qnt::onnx_frontend::registerReductionOps(
    llvm::StringMap<OpHandler> &handlers) {
  handlers["ReduceMin"] = importReduce<Reduce::Min>;
  handlers["ReduceMax"] = importReduce<Reduce::Max>;
  handlers["ReduceSum"] = importReduce<Reduce::Sum>;
  handlers["ReduceMean"] = importReduce<Reduce::Mean>;
  handlers["ReduceProd"] = importReduce<Reduce::Prod>;
  handlers["Equal"] =
      importCompare<arith::CmpFPredicate::OEQ, arith::CmpIPredicate::eq>;
  handlers["Less"] =
      importCompare<arith::CmpFPredicate::OLT, arith::CmpIPredicate::slt>;
  handlers["Greater"] =
      importCompare<arith::CmpFPredicate::OGT, arith::CmpIPredicate::sgt>;
  handlers["And"] = importLogical<arith::AndIOp>;
  handlers["Or"] = importLogical<arith::OrIOp>;
  handlers["Xor"] = importLogical<arith::XOrIOp>;
  handlers["Not"] = importNot;
  handlers["Where"] = importWhere;
  handlers["ConstantOfShape"] = importConstantOfShape;
  handlers["Expand"] = importExpand;
}
