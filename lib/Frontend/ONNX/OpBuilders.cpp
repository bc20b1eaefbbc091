//===- OpBuilders.cpp - IR building blocks for ONNX op handlers -----------===//
//
// Broadcasting elementwise generics and reductions on tensors.
//
//===----------------------------------------------------------------------===//

#include "OpBuilders.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"

using namespace mlir;
using namespace mlir::qnt::onnx_frontend;

FailureOr<SmallVector<int64_t>> mlir::qnt::onnx_frontend::broadcastShapes(
    GraphImporter &importer, const onnx::NodeProto &node, ValueRange operands) {
  int64_t rank = 0;
  for (Value operand : operands)
    rank = std::max(rank, getTensorType(operand).getRank());
  SmallVector<int64_t> shape(rank, 1);
  for (Value operand : operands) {
    ArrayRef<int64_t> dims = getTensorType(operand).getShape();
    int64_t offset = rank - dims.size();
    for (auto [i, dim] : llvm::enumerate(dims)) {
      int64_t &out = shape[offset + i];
      if (dim == 1)
        continue;
      if (out == 1 || ShapedType::isDynamic(out)) {
        // A dynamic size never broadcasts: it must match the others.
        if (!(ShapedType::isDynamic(out) && !ShapedType::isDynamic(dim)))
          out = ShapedType::isDynamic(out) ? out : dim;
        if (ShapedType::isDynamic(out) && !ShapedType::isDynamic(dim))
          out = dim;
        continue;
      }
      if (!ShapedType::isDynamic(dim) && dim != out)
        return importer.emitError(node)
               << "operand shapes " << getTensorType(operands.front())
               << " and " << getTensorType(operand)
               << " do not broadcast (dimension " << offset + i << ": " << out
               << " vs " << dim << ")";
    }
  }
  return shape;
}

Value mlir::qnt::onnx_frontend::buildEmpty(OpBuilder &b, Location loc,
                                           ArrayRef<int64_t> shape,
                                           Type element, Value like) {
  // Dynamic sizes come from `like`, aligned at the trailing dimensions
  // (NumPy style: a rank-3 [seq, batch, in] gives the batch of a rank-2
  // [batch, hidden]).
  SmallVector<Value> dynamic;
  auto likeType = like ? getTensorType(like) : RankedTensorType();
  for (auto [i, dim] : llvm::enumerate(shape)) {
    if (!ShapedType::isDynamic(dim))
      continue;
    int64_t likeDim = (likeType ? likeType.getRank() : 0) -
                      static_cast<int64_t>(shape.size()) + i;
    assert(likeDim >= 0 && "dynamic size without a matching dimension");
    dynamic.push_back(tensor::DimOp::create(b, loc, like, likeDim));
  }
  return tensor::EmptyOp::create(b, loc, shape, element, dynamic);
}

FailureOr<Value> mlir::qnt::onnx_frontend::buildElementwise(
    GraphImporter &importer, const onnx::NodeProto &node, ValueRange operands,
    Type resultElement, BodyFn body) {
  OpBuilder &b = importer.builder;
  Location loc = importer.getLoc(node);
  auto shape = broadcastShapes(importer, node, operands);
  if (failed(shape))
    return failure();
  int64_t rank = shape->size();
  MLIRContext *ctx = b.getContext();
  // Dynamic result sizes come from an operand that has them dynamic.
  Value like;
  for (Value operand : operands)
    if (getTensorType(operand).getRank() == rank &&
        (!like || getTensorType(operand).getNumDynamicDims() >
                      getTensorType(like).getNumDynamicDims()))
      like = operand;
  for (auto [i, dim] : llvm::enumerate(*shape))
    if (ShapedType::isDynamic(dim) &&
        (!like || !getTensorType(like).isDynamicDim(i)))
      return importer.emitError(node)
             << "cannot broadcast a dynamic dimension of a lower-rank operand";
  Value init = buildEmpty(b, loc, *shape, resultElement, like);
  SmallVector<AffineMap> maps;
  for (Value operand : operands) {
    ArrayRef<int64_t> dims = getTensorType(operand).getShape();
    int64_t offset = rank - dims.size();
    SmallVector<AffineExpr> exprs;
    for (auto [i, dim] : llvm::enumerate(dims))
      exprs.push_back(dim == 1 && (*shape)[offset + i] != 1
                          ? getAffineConstantExpr(0, ctx)
                          : getAffineDimExpr(offset + i, ctx));
    maps.push_back(AffineMap::get(rank, 0, exprs, ctx));
  }
  maps.push_back(b.getMultiDimIdentityMap(rank));
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      b, loc, init.getType(), operands, ValueRange{init}, maps, iterators,
      [&](OpBuilder &nested, Location l, ValueRange args) {
        Value result = body(nested, l, args.drop_back());
        linalg::YieldOp::create(nested, l, result);
      });
  return generic.getResult(0);
}

Value mlir::qnt::onnx_frontend::buildReduction(OpBuilder &b, Location loc,
                                               Value input,
                                               ArrayRef<int64_t> axes,
                                               bool keepDims, TypedAttr init,
                                               BodyFn combine) {
  auto type = getTensorType(input);
  int64_t rank = type.getRank();
  MLIRContext *ctx = b.getContext();
  SmallVector<int64_t> outShape;
  SmallVector<AffineExpr> outExprs;
  SmallVector<utils::IteratorType> iterators;
  SmallVector<Value> dynamic;
  for (int64_t i = 0; i < rank; ++i) {
    bool reduced = llvm::is_contained(axes, i);
    iterators.push_back(reduced ? utils::IteratorType::reduction
                                : utils::IteratorType::parallel);
    if (!reduced) {
      outShape.push_back(type.getDimSize(i));
      outExprs.push_back(getAffineDimExpr(i, ctx));
      if (type.isDynamicDim(i))
        dynamic.push_back(tensor::DimOp::create(b, loc, input, i));
    }
  }
  Value empty =
      tensor::EmptyOp::create(b, loc, outShape, type.getElementType(), dynamic);
  Value initValue = arith::ConstantOp::create(b, loc, init);
  Value filled = linalg::FillOp::create(b, loc, initValue, empty).getResult(0);
  SmallVector<AffineMap> maps = {b.getMultiDimIdentityMap(rank),
                                 AffineMap::get(rank, 0, outExprs, ctx)};
  auto generic = linalg::GenericOp::create(
      b, loc, filled.getType(), input, filled, maps, iterators,
      [&](OpBuilder &nested, Location l, ValueRange args) {
        Value result = combine(nested, l, {args[1], args[0]});
        linalg::YieldOp::create(nested, l, result);
      });
  Value result = generic.getResult(0);
  if (!keepDims)
    return result;
  SmallVector<int64_t> keptShape;
  for (int64_t i = 0; i < rank; ++i)
    keptShape.push_back(llvm::is_contained(axes, i) ? 1 : type.getDimSize(i));
  return buildReshape(b, loc, result, keptShape);
}

Value mlir::qnt::onnx_frontend::scalarConstant(OpBuilder &b, Location loc,
                                               Type type, double value) {
  if (auto floatType = dyn_cast<FloatType>(type))
    return arith::ConstantOp::create(b, loc, FloatAttr::get(floatType, value));
  return arith::ConstantOp::create(
      b, loc, IntegerAttr::get(type, static_cast<int64_t>(value)));
}

Value mlir::qnt::onnx_frontend::buildTranspose(OpBuilder &b, Location loc,
                                               Value value,
                                               ArrayRef<int32_t> perm) {
  auto type = getTensorType(value);
  SmallVector<int64_t> shape;
  for (int32_t p : perm)
    shape.push_back(type.getDimSize(p));
  auto resultType = RankedTensorType::get(shape, type.getElementType());
  return tosa::TransposeOp::create(b, loc, resultType, value,
                                   b.getDenseI32ArrayAttr(perm));
}

Value mlir::qnt::onnx_frontend::buildReshape(OpBuilder &b, Location loc,
                                             Value value,
                                             ArrayRef<int64_t> shape) {
  auto type = getTensorType(value);
  auto resultType = RankedTensorType::get(shape, type.getElementType());
  if (resultType == type)
    return value;
  if (type.hasStaticShape() && resultType.hasStaticShape()) {
    auto shapeAttr = DenseIntElementsAttr::get(
        RankedTensorType::get({static_cast<int64_t>(shape.size())},
                              b.getIndexType()),
        shape);
    Value shapeValue = tosa::ConstShapeOp::create(
        b, loc, tosa::shapeType::get(b.getContext(), shape.size()), shapeAttr);
    return tosa::ReshapeOp::create(b, loc, resultType, value, shapeValue);
  }
  // Dynamic sizes: at most one, computed from the element count.
  Value count = arith::ConstantIndexOp::create(b, loc, 1);
  for (int64_t i = 0; i < type.getRank(); ++i)
    count = arith::MulIOp::create(b, loc, count,
                                  tensor::DimOp::create(b, loc, value, i));
  int64_t known = 1;
  for (int64_t dim : shape)
    if (!ShapedType::isDynamic(dim))
      known *= dim;
  SmallVector<Value> sizes;
  for (int64_t dim : shape)
    sizes.push_back(
        ShapedType::isDynamic(dim)
            ? arith::DivUIOp::create(
                  b, loc, count, arith::ConstantIndexOp::create(b, loc, known))
                  .getResult()
            : arith::ConstantIndexOp::create(b, loc, dim).getResult());
  Value shapeTensor = tensor::FromElementsOp::create(
      b, loc,
      RankedTensorType::get({static_cast<int64_t>(sizes.size())},
                            b.getIndexType()),
      sizes);
  return tensor::ReshapeOp::create(b, loc, resultType, value, shapeTensor);
}

Value mlir::qnt::onnx_frontend::buildMatmul2D(OpBuilder &b, Location loc,
                                              Value lhs, Value rhs,
                                              bool transLhs, bool transRhs) {
  MLIRContext *ctx = b.getContext();
  auto lType = getTensorType(lhs), rType = getTensorType(rhs);
  int64_t m = lType.getDimSize(transLhs ? 1 : 0);
  int64_t n = rType.getDimSize(transRhs ? 0 : 1);
  Type element = lType.getElementType();
  SmallVector<Value> dynamic;
  if (ShapedType::isDynamic(m))
    dynamic.push_back(tensor::DimOp::create(b, loc, lhs, transLhs ? 1 : 0));
  if (ShapedType::isDynamic(n))
    dynamic.push_back(tensor::DimOp::create(b, loc, rhs, transRhs ? 0 : 1));
  Value empty = tensor::EmptyOp::create(b, loc, ArrayRef<int64_t>{m, n},
                                        element, dynamic);
  Value zero = scalarConstant(b, loc, element, 0.0);
  Value init = linalg::FillOp::create(b, loc, zero, empty).getResult(0);
  AffineExpr dm = getAffineDimExpr(0, ctx), dn = getAffineDimExpr(1, ctx),
             dk = getAffineDimExpr(2, ctx);
  SmallVector<AffineMap> maps = {
      AffineMap::get(3, 0,
                     transLhs ? SmallVector<AffineExpr>{dk, dm}
                              : SmallVector<AffineExpr>{dm, dk},
                     ctx),
      AffineMap::get(3, 0,
                     transRhs ? SmallVector<AffineExpr>{dn, dk}
                              : SmallVector<AffineExpr>{dk, dn},
                     ctx),
      AffineMap::get(3, 0, {dm, dn}, ctx)};
  SmallVector<Attribute> mapAttrs;
  for (AffineMap map : maps)
    mapAttrs.push_back(AffineMapAttr::get(map));
  auto matmul = linalg::MatmulOp::create(
      b, loc, TypeRange{init.getType()}, ValueRange{lhs, rhs}, ValueRange{init},
      ArrayRef<NamedAttribute>{
          b.getNamedAttr("indexing_maps", b.getArrayAttr(mapAttrs))});
  return matmul.getResult(0);
}

FailureOr<int64_t>
mlir::qnt::onnx_frontend::normalizeAxis(GraphImporter &importer,
                                        const onnx::NodeProto &node,
                                        int64_t axis, int64_t rank) {
  int64_t normalized = axis < 0 ? axis + rank : axis;
  if (normalized < 0 || normalized >= rank)
    return importer.emitError(node)
           << "axis " << axis << " is out of range for rank " << rank;
  return normalized;
}

DenseIntElementsAttr mlir::qnt::onnx_frontend::getWindowAttr(OpBuilder &b,
                                                             int64_t first,
                                                             int64_t second) {
  return DenseIntElementsAttr::get(RankedTensorType::get({2}, b.getI64Type()),
                                   ArrayRef<int64_t>{first, second});
}

/// Reads kernel/strides/dilations/pads/auto_pad for spatial sizes `in`.
FailureOr<Window> mlir::qnt::onnx_frontend::getWindow(
    GraphImporter &im, const onnx::NodeProto &node, ArrayRef<int64_t> in,
    ArrayRef<int64_t> kernel, bool ceilMode) {
  Window w;
  auto strides =
      im.getInts(node, "strides").value_or(SmallVector<int64_t>{1, 1});
  auto dilations =
      im.getInts(node, "dilations").value_or(SmallVector<int64_t>{1, 1});
  auto pads =
      im.getInts(node, "pads").value_or(SmallVector<int64_t>{0, 0, 0, 0});
  std::string autoPad = im.getString(node, "auto_pad", "NOTSET");
  if (strides.size() != 2 || dilations.size() != 2 || pads.size() != 4 ||
      kernel.size() != 2)
    return im.emitError(node) << "only 2-D windows are supported";
  for (int i = 0; i < 2; ++i) {
    if (ShapedType::isDynamic(in[i]))
      return im.emitError(node) << "spatial sizes must be static";
    if (strides[i] <= 0 || dilations[i] <= 0 || kernel[i] <= 0 || pads[i] < 0 ||
        pads[i + 2] < 0)
      return im.emitError(node) << "invalid window attributes";
    w.kernel[i] = kernel[i];
    w.stride[i] = strides[i];
    w.dilation[i] = dilations[i];
    int64_t span = (kernel[i] - 1) * dilations[i] + 1;
    if (autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER") {
      int64_t out = (in[i] + strides[i] - 1) / strides[i];
      int64_t total =
          std::max<int64_t>((out - 1) * strides[i] + span - in[i], 0);
      w.padBegin[i] = autoPad == "SAME_UPPER" ? total / 2 : (total + 1) / 2;
      w.padEnd[i] = total - w.padBegin[i];
    } else if (autoPad == "VALID") {
      w.padBegin[i] = w.padEnd[i] = 0;
    } else if (autoPad == "NOTSET") {
      w.padBegin[i] = pads[i];
      w.padEnd[i] = pads[i + 2];
    } else {
      return im.emitError(node) << "unknown auto_pad '" << autoPad << "'";
    }
    int64_t extent = in[i] + w.padBegin[i] + w.padEnd[i] - span;
    if (extent < 0)
      return im.emitError(node) << "the window does not fit the input";
    w.out[i] = (ceilMode ? (extent + strides[i] - 1) : extent) / strides[i] + 1;
    // With ceil_mode the last window may start past the padded input.
    if (ceilMode && (w.out[i] - 1) * strides[i] >= in[i] + w.padBegin[i])
      --w.out[i];
    // Pad the end so that the last window lies inside the buffer.
    int64_t needed = (w.out[i] - 1) * strides[i] + span;
    w.padEnd[i] = std::max(w.padEnd[i], needed - in[i] - w.padBegin[i]);
  }
  return w;
}

/// Pads the spatial dims (2, 3) of an NCHW tensor with `value`.
Value mlir::qnt::onnx_frontend::padSpatial(OpBuilder &b, Location loc,
                                           Value input, const Window &w,
                                           double value) {
  if (!w.padBegin[0] && !w.padBegin[1] && !w.padEnd[0] && !w.padEnd[1])
    return input;
  SmallVector<OpFoldResult> low(4, b.getIndexAttr(0)),
      high(4, b.getIndexAttr(0));
  for (int i = 0; i < 2; ++i) {
    low[2 + i] = b.getIndexAttr(w.padBegin[i]);
    high[2 + i] = b.getIndexAttr(w.padEnd[i]);
  }
  Type element = getTensorType(input).getElementType();
  Value padValue = scalarConstant(b, loc, element, value);
  return tensor::PadOp::create(b, loc, Type(), input, low, high, padValue);
}
