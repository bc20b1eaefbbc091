//===- OpsNN.cpp - ONNX neural-network ops --------------------------------===//
//
// Conv, Gemm, MatMul, pooling, normalization and Softmax on float tensors,
// as linalg named ops in ONNX's NCHW layout (no layout transposes) and
// broadcasting generics.
//
//===----------------------------------------------------------------------===//

#include "OpBuilders.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"

#include <limits>

using namespace mlir;
using namespace mlir::qnt::onnx_frontend;

namespace {

/// A tensor of `shape` filled with `value`; dynamic sizes from `like`.
Value filled(OpBuilder &b, Location loc, ArrayRef<int64_t> shape, Type element,
             double value, Value like) {
  Value empty = buildEmpty(b, loc, shape, element, like);
  Value scalar = scalarConstant(b, loc, element, value);
  return linalg::FillOp::create(b, loc, scalar, empty).getResult(0);
}

/// Adds a per-channel bias [C] to an NCHW (or [N, C]) tensor.
FailureOr<Value> addChannelBias(GraphImporter &im, const onnx::NodeProto &node,
                                Value value, Value bias) {
  int64_t rank = getTensorType(value).getRank();
  SmallVector<int64_t> shape(rank, 1);
  shape[1] = getTensorType(bias).getDimSize(0);
  Value reshaped = buildReshape(im.builder, im.getLoc(node), bias, shape);
  return buildElementwise(
      im, node, {value, reshaped}, getTensorType(value).getElementType(),
      [](OpBuilder &b, Location loc, ValueRange args) {
        return arith::AddFOp::create(b, loc, args[0], args[1]);
      });
}

LogicalResult importConv(GraphImporter &im, const onnx::NodeProto &node) {
  Value input = im.getInput(node, 0), weight = im.getInput(node, 1);
  if (!input || !weight)
    return failure();
  auto inType = getTensorType(input), wType = getTensorType(weight);
  if (inType.getRank() != 4 || wType.getRank() != 4)
    return im.emitError(node) << "only 2-D convolutions (rank-4 tensors) are "
                                 "supported";
  if (!isa<FloatType>(inType.getElementType()))
    return im.emitError(node) << "expects float tensors";
  if (!wType.hasStaticShape() || inType.isDynamicDim(1))
    return im.emitError(node) << "weights and channels must be static";
  int64_t group = im.getInt(node, "group", 1);
  int64_t channels = inType.getDimSize(1), filters = wType.getDimSize(0);
  if (group <= 0 || channels % group || filters % group ||
      wType.getDimSize(1) != channels / group)
    return im.emitError(node) << "group " << group << " does not fit "
                              << channels << " channels and weights " << wType;
  auto kernel =
      im.getInts(node, "kernel_shape")
          .value_or(SmallVector<int64_t>(wType.getShape().drop_front(2)));
  auto w = getWindow(im, node, inType.getShape().drop_front(2), kernel, false);
  if (failed(w))
    return failure();
  OpBuilder &b = im.builder;
  Location loc = im.getLoc(node);
  Type element = inType.getElementType();
  Value padded = padSpatial(b, loc, input, *w, 0.0);
  auto strides = getWindowAttr(b, w->stride[0], w->stride[1]);
  auto dilations = getWindowAttr(b, w->dilation[0], w->dilation[1]);
  int64_t n = inType.getDimSize(0);
  Value result;
  if (group == 1) {
    Value init =
        filled(b, loc, {n, filters, w->out[0], w->out[1]}, element, 0.0, input);
    result = linalg::Conv2DNchwFchwOp::create(b, loc, init.getType(),
                                              ValueRange{padded, weight}, init,
                                              strides, dilations)
                 .getResult(0);
  } else {
    // [N, G, C/G, H, W] x [G, F/G, C/G, KH, KW] -> [N, G, F/G, OH, OW].
    auto pType = getTensorType(padded);
    Value groupedIn = buildReshape(
        b, loc, padded,
        {n, group, channels / group, pType.getDimSize(2), pType.getDimSize(3)});
    Value groupedW = buildReshape(
        b, loc, weight,
        {group, filters / group, channels / group, kernel[0], kernel[1]});
    Value init =
        filled(b, loc, {n, group, filters / group, w->out[0], w->out[1]},
               element, 0.0, groupedIn);
    Value grouped = linalg::Conv2DNgchwGfchwOp::create(
                        b, loc, init.getType(), ValueRange{groupedIn, groupedW},
                        init, strides, dilations)
                        .getResult(0);
    result = buildReshape(b, loc, grouped, {n, filters, w->out[0], w->out[1]});
  }
  if (im.hasInput(node, 2)) {
    Value bias = im.getInput(node, 2);
    auto biased = addChannelBias(im, node, result, bias);
    if (failed(biased))
      return failure();
    result = *biased;
  }
  im.setOutput(node, 0, result);
  return success();
}

LogicalResult importGemm(GraphImporter &im, const onnx::NodeProto &node) {
  Value a = im.getInput(node, 0), bValue = im.getInput(node, 1);
  if (!a || !bValue)
    return failure();
  if (getTensorType(a).getRank() != 2 || getTensorType(bValue).getRank() != 2)
    return im.emitError(node) << "expects rank-2 operands";
  OpBuilder &b = im.builder;
  Location loc = im.getLoc(node);
  Type element = getTensorType(a).getElementType();
  double alpha = im.getFloat(node, "alpha", 1.0f);
  double beta = im.getFloat(node, "beta", 1.0f);
  Value result = buildMatmul2D(b, loc, a, bValue, im.getInt(node, "transA", 0),
                               im.getInt(node, "transB", 0));
  if (alpha != 1.0) {
    auto scaled = buildElementwise(
        im, node, result, element,
        [&](OpBuilder &nb, Location l, ValueRange args) {
          return arith::MulFOp::create(nb, l, args[0],
                                       scalarConstant(nb, l, element, alpha));
        });
    if (failed(scaled))
      return failure();
    result = *scaled;
  }
  if (im.hasInput(node, 2) && beta != 0.0) {
    Value c = im.getInput(node, 2);
    auto sum = buildElementwise(
        im, node, {result, c}, element,
        [&](OpBuilder &nb, Location l, ValueRange args) -> Value {
          Value addend = args[1];
          if (beta != 1.0)
            addend = arith::MulFOp::create(
                nb, l, addend, scalarConstant(nb, l, element, beta));
          return arith::AddFOp::create(nb, l, args[0], addend);
        });
    if (failed(sum))
      return failure();
    result = *sum;
  }
  im.setOutput(node, 0, result);
  return success();
}

/// NumPy matmul in general: a 1-D operand gains a unit dimension that the
/// result drops again, and the batch dimensions (all but the last two)
/// broadcast. One linalg.generic over (batch..., m, n, k); a broadcast
/// operand dimension reads index 0.
static LogicalResult importBroadcastMatMul(GraphImporter &im,
                                           const onnx::NodeProto &node,
                                           Value lhs, Value rhs) {
  OpBuilder &b = im.builder;
  Location loc = im.getLoc(node);
  MLIRContext *ctx = b.getContext();
  auto lType = getTensorType(lhs), rType = getTensorType(rhs);
  bool lhsVector = lType.getRank() == 1, rhsVector = rType.getRank() == 1;
  if (lhsVector)
    lhs = buildReshape(b, loc, lhs, {1, lType.getDimSize(0)});
  if (rhsVector)
    rhs = buildReshape(b, loc, rhs, {rType.getDimSize(0), 1});
  lType = getTensorType(lhs);
  rType = getTensorType(rhs);
  int64_t lb = lType.getRank() - 2, rb = rType.getRank() - 2;
  int64_t batch = std::max(lb, rb);

  // Result shape and, per dynamic size, the operand dimension it comes from.
  SmallVector<int64_t> shape;
  SmallVector<Value> dynamic;
  auto dimOf = [&](Value v, int64_t d) -> Value {
    return tensor::DimOp::create(b, loc, v, d);
  };
  for (int64_t i = 0; i < batch; ++i) {
    int64_t li = i - (batch - lb), ri = i - (batch - rb);
    int64_t ld = li >= 0 ? lType.getDimSize(li) : 1;
    int64_t rd = ri >= 0 ? rType.getDimSize(ri) : 1;
    if (ld != 1 && rd != 1 && !ShapedType::isDynamic(ld) &&
        !ShapedType::isDynamic(rd) && ld != rd)
      return im.emitError(node) << "batch dimensions of " << lType << " and "
                                << rType << " do not broadcast";
    int64_t out = ld == 1 ? rd : ld;
    if (ShapedType::isDynamic(out))
      dynamic.push_back(ShapedType::isDynamic(ld) ? dimOf(lhs, li)
                                                  : dimOf(rhs, ri));
    else if (out == 1 && ShapedType::isDynamic(rd))
      out = rd, dynamic.push_back(dimOf(rhs, ri));
    shape.push_back(out);
  }
  shape.push_back(lType.getDimSize(lb));
  if (ShapedType::isDynamic(shape.back()))
    dynamic.push_back(dimOf(lhs, lb));
  shape.push_back(rType.getDimSize(rb + 1));
  if (ShapedType::isDynamic(shape.back()))
    dynamic.push_back(dimOf(rhs, rb + 1));

  Type element = lType.getElementType();
  Value init = tensor::EmptyOp::create(b, loc, shape, element, dynamic);
  init =
      linalg::FillOp::create(b, loc, scalarConstant(b, loc, element, 0.0), init)
          .getResult(0);
  auto d = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
  auto operandMap = [&](RankedTensorType type, int64_t own,
                        ArrayRef<AffineExpr> tail) {
    SmallVector<AffineExpr> exprs;
    for (int64_t j = 0; j < own; ++j) {
      int64_t i = j + batch - own;
      exprs.push_back(type.getDimSize(j) == 1 && shape[i] != 1
                          ? getAffineConstantExpr(0, ctx)
                          : d(i));
    }
    exprs.append(tail.begin(), tail.end());
    return AffineMap::get(batch + 3, 0, exprs, ctx);
  };
  SmallVector<AffineExpr> outExprs;
  for (int64_t i = 0; i < batch + 2; ++i)
    outExprs.push_back(d(i));
  SmallVector<AffineMap> maps = {
      operandMap(lType, lb, {d(batch), d(batch + 2)}),
      operandMap(rType, rb, {d(batch + 2), d(batch + 1)}),
      AffineMap::get(batch + 3, 0, outExprs, ctx)};
  SmallVector<utils::IteratorType> iterators(batch + 2,
                                             utils::IteratorType::parallel);
  iterators.push_back(utils::IteratorType::reduction);
  Value result =
      linalg::GenericOp::create(
          b, loc, init.getType(), ValueRange{lhs, rhs}, ValueRange{init}, maps,
          iterators,
          [&](OpBuilder &nb, Location l, ValueRange args) {
            Value product = arith::MulFOp::create(nb, l, args[0], args[1]);
            linalg::YieldOp::create(
                nb, l,
                arith::AddFOp::create(nb, l, args[2], product).getResult());
          })
          .getResult(0);
  if (lhsVector || rhsVector) {
    SmallVector<int64_t> squeezed(shape.begin(), shape.begin() + batch);
    if (!lhsVector)
      squeezed.push_back(shape[batch]);
    if (!rhsVector)
      squeezed.push_back(shape[batch + 1]);
    result = buildReshape(b, loc, result, squeezed);
  }
  im.setOutput(node, 0, result);
  return success();
}

LogicalResult importMatMul(GraphImporter &im, const onnx::NodeProto &node) {
  Value lhs = im.getInput(node, 0), rhs = im.getInput(node, 1);
  if (!lhs || !rhs)
    return failure();
  auto lType = getTensorType(lhs), rType = getTensorType(rhs);
  if (!isa<FloatType>(lType.getElementType()))
    return im.emitError(node) << "expects float operands";
  if (lType.getRank() == 0 || rType.getRank() == 0)
    return im.emitError(node) << "expects operands of rank 1 or more";
  int64_t k = lType.getShape().back();
  int64_t kr = rType.getDimSize(rType.getRank() == 1 ? 0 : rType.getRank() - 2);
  if (!ShapedType::isDynamic(k) && !ShapedType::isDynamic(kr) && k != kr)
    return im.emitError(node)
           << "inner dimensions differ: " << lType << " x " << rType;
  OpBuilder &b = im.builder;
  Location loc = im.getLoc(node);
  if (lType.getRank() >= 2 && rType.getRank() == 2) {
    // [..., M, K] x [K, N]: fold leading dims into M.
    SmallVector<int64_t> lead(lType.getShape().drop_back(1));
    int64_t rows = 1;
    for (int64_t dim : lead)
      rows = ShapedType::isDynamic(dim) || ShapedType::isDynamic(rows)
                 ? ShapedType::kDynamic
                 : rows * dim;
    Value flat = buildReshape(b, loc, lhs, {rows, lType.getShape().back()});
    Value product = buildMatmul2D(b, loc, flat, rhs, false, false);
    lead.push_back(rType.getDimSize(1));
    im.setOutput(node, 0, buildReshape(b, loc, product, lead));
    return success();
  }
  if (lType.getRank() == 3 && rType.getRank() == 3 &&
      lType.getDimSize(0) == rType.getDimSize(0) &&
      lType.getDimSize(2) == rType.getDimSize(1)) {
    int64_t batch = lType.getDimSize(0);
    SmallVector<int64_t> shape = {batch, lType.getDimSize(1),
                                  rType.getDimSize(2)};
    Value init = filled(b, loc, shape, lType.getElementType(), 0.0, lhs);
    im.setOutput(
        node, 0,
        linalg::BatchMatmulOp::create(b, loc, TypeRange{init.getType()},
                                      ValueRange{lhs, rhs}, ValueRange{init})
            .getResult(0));
    return success();
  }
  return importBroadcastMatMul(im, node, lhs, rhs);
}

/// MaxPool / AveragePool on NCHW tensors.
template <bool IsMax>
LogicalResult importPool(GraphImporter &im, const onnx::NodeProto &node) {
  Value input = im.getInput(node, 0);
  if (!input)
    return failure();
  auto type = getTensorType(input);
  if (type.getRank() != 4 || !isa<FloatType>(type.getElementType()))
    return im.emitError(node) << "only 2-D float pooling is supported";
  auto kernel = im.getInts(node, "kernel_shape");
  if (!kernel)
    return im.emitError(node) << "kernel_shape is required";
  if (node.output_size() > 1 && !node.output(1).empty())
    return im.emitError(node) << "the Indices output is not supported";
  auto w = getWindow(im, node, type.getShape().drop_front(2), *kernel,
                     im.getInt(node, "ceil_mode", 0) != 0);
  if (failed(w))
    return failure();
  OpBuilder &b = im.builder;
  Location loc = im.getLoc(node);
  Type element = type.getElementType();
  double padValue = IsMax ? -std::numeric_limits<double>::infinity() : 0.0;
  Value padded = padSpatial(b, loc, input, *w, padValue);
  SmallVector<int64_t> outShape = {type.getDimSize(0), type.getDimSize(1),
                                   w->out[0], w->out[1]};
  Value init = filled(b, loc, outShape, element, padValue, input);
  Value window = tensor::EmptyOp::create(
      b, loc, ArrayRef<int64_t>{w->kernel[0], w->kernel[1]}, element);
  auto strides = getWindowAttr(b, w->stride[0], w->stride[1]);
  auto dilations = getWindowAttr(b, w->dilation[0], w->dilation[1]);
  Value pooled;
  if (IsMax)
    pooled = linalg::PoolingNchwMaxOp::create(b, loc, init.getType(),
                                              ValueRange{padded, window}, init,
                                              strides, dilations)
                 .getResult(0);
  else
    pooled = linalg::PoolingNchwSumOp::create(b, loc, init.getType(),
                                              ValueRange{padded, window}, init,
                                              strides, dilations)
                 .getResult(0);
  if (!IsMax) {
    // Divide by the window size, or by the count of non-padding elements.
    bool includePad = im.getInt(node, "count_include_pad", 0) != 0;
    SmallVector<float> counts;
    int64_t h = type.getDimSize(2), wd = type.getDimSize(3);
    for (int64_t y = 0; y < w->out[0]; ++y)
      for (int64_t x = 0; x < w->out[1]; ++x) {
        int64_t count = 0;
        for (int64_t i = 0; i < w->kernel[0]; ++i)
          for (int64_t j = 0; j < w->kernel[1]; ++j) {
            int64_t row =
                y * w->stride[0] + i * w->dilation[0] - w->padBegin[0];
            int64_t col =
                x * w->stride[1] + j * w->dilation[1] - w->padBegin[1];
            bool inside = row >= 0 && row < h && col >= 0 && col < wd;
            bool inPads = row >= -w->padBegin[0] &&
                          row < h + (includePad ? w->padEnd[0] : 0) &&
                          col >= -w->padBegin[1] &&
                          col < wd + (includePad ? w->padEnd[1] : 0);
            count += includePad ? inPads : inside;
          }
        counts.push_back(static_cast<float>(std::max<int64_t>(count, 1)));
      }
    auto countType =
        RankedTensorType::get({w->out[0], w->out[1]}, b.getF32Type());
    Value countValue = arith::ConstantOp::create(
        b, loc, DenseElementsAttr::get(countType, ArrayRef<float>(counts)));
    auto divided = buildElementwise(
        im, node, {pooled, countValue}, element,
        [&](OpBuilder &nb, Location l, ValueRange args) -> Value {
          Value count = args[1];
          if (element != count.getType())
            count = arith::TruncFOp::create(nb, l, element, count);
          return arith::DivFOp::create(nb, l, args[0], count);
        });
    if (failed(divided))
      return failure();
    pooled = *divided;
  }
  im.setOutput(node, 0, pooled);
  return success();
}

/// GlobalAveragePool / GlobalMaxPool: reduce all spatial dims, keep them.
template <bool IsMax>
LogicalResult importGlobalPool(GraphImporter &im, const onnx::NodeProto &node) {
  Value input = im.getInput(node, 0);
  if (!input)
    return failure();
  auto type = getTensorType(input);
  if (type.getRank() < 3 || !isa<FloatType>(type.getElementType()))
    return im.emitError(node) << "expects a float tensor of rank >= 3";
  SmallVector<int64_t> axes;
  int64_t count = 1;
  for (int64_t i = 2; i < type.getRank(); ++i) {
    if (type.isDynamicDim(i))
      return im.emitError(node) << "spatial sizes must be static";
    axes.push_back(i);
    count *= type.getDimSize(i);
  }
  OpBuilder &b = im.builder;
  Location loc = im.getLoc(node);
  Type element = type.getElementType();
  auto init = FloatAttr::get(element, IsMax ? -INFINITY : 0.0);
  Value reduced = buildReduction(
      b, loc, input, axes, /*keepDims=*/true, init,
      [](OpBuilder &nb, Location l, ValueRange args) -> Value {
        if (IsMax)
          return arith::MaximumFOp::create(nb, l, args[0], args[1]);
        return arith::AddFOp::create(nb, l, args[0], args[1]);
      });
  if (!IsMax) {
    auto mean = buildElementwise(
        im, node, reduced, element,
        [&](OpBuilder &nb, Location l, ValueRange args) {
          return arith::DivFOp::create(nb, l, args[0],
                                       scalarConstant(nb, l, element, count));
        });
    if (failed(mean))
      return failure();
    reduced = *mean;
  }
  im.setOutput(node, 0, reduced);
  return success();
}

/// Inference BatchNormalization: (x - mean) / sqrt(var + eps) * scale + B,
/// per channel (dimension 1).
LogicalResult importBatchNorm(GraphImporter &im, const onnx::NodeProto &node) {
  SmallVector<Value> operands;
  for (int i = 0; i < 5; ++i) {
    Value v = im.getInput(node, i);
    if (!v)
      return failure();
    operands.push_back(v);
  }
  if (im.getInt(node, "training_mode", 0))
    return im.emitError(node) << "training mode is not supported";
  auto type = getTensorType(operands[0]);
  if (type.getRank() < 2)
    return im.emitError(node) << "expects rank >= 2";
  double epsilon = im.getFloat(node, "epsilon", 1e-5f);
  OpBuilder &b = im.builder;
  Location loc = im.getLoc(node);
  // Per-channel parameters reshaped to [1, C, 1, ...].
  SmallVector<int64_t> paramShape(type.getRank(), 1);
  paramShape[1] = type.getDimSize(1);
  SmallVector<Value> args = {operands[0]};
  for (int i = 1; i < 5; ++i)
    args.push_back(buildReshape(b, loc, operands[i], paramShape));
  Type element = type.getElementType();
  auto result = buildElementwise(
      im, node, args, element,
      [&](OpBuilder &nb, Location l, ValueRange v) -> Value {
        // v: x, scale, bias, mean, var.
        Value centered = arith::SubFOp::create(nb, l, v[0], v[3]);
        Value denominator = math::SqrtOp::create(
            nb, l,
            arith::AddFOp::create(nb, l, v[4],
                                  scalarConstant(nb, l, element, epsilon)));
        Value normalized = arith::DivFOp::create(nb, l, centered, denominator);
        return arith::AddFOp::create(
            nb, l, arith::MulFOp::create(nb, l, normalized, v[1]), v[2]);
      });
  if (failed(result))
    return failure();
  im.setOutput(node, 0, *result);
  return success();
}

/// Softmax / LogSoftmax: over `axis` (opset >= 13) or all dims from `axis`
/// (older opsets).
template <bool IsLog>
LogicalResult importSoftmax(GraphImporter &im, const onnx::NodeProto &node) {
  Value input = im.getInput(node, 0);
  if (!input)
    return failure();
  auto type = getTensorType(input);
  int64_t rank = type.getRank();
  auto axis = normalizeAxis(
      im, node, im.getInt(node, "axis", im.getOpset() >= 13 ? -1 : 1), rank);
  if (failed(axis))
    return failure();
  SmallVector<int64_t> axes;
  for (int64_t i = *axis; i < (im.getOpset() >= 13 ? *axis + 1 : rank); ++i)
    axes.push_back(i);
  OpBuilder &b = im.builder;
  Location loc = im.getLoc(node);
  Type element = type.getElementType();
  Value max = buildReduction(
      b, loc, input, axes, true, FloatAttr::get(element, -INFINITY),
      [](OpBuilder &nb, Location l, ValueRange a) {
        return arith::MaximumFOp::create(nb, l, a[0], a[1]);
      });
  auto shifted =
      buildElementwise(im, node, {input, max}, element,
                       [](OpBuilder &nb, Location l, ValueRange a) {
                         return arith::SubFOp::create(nb, l, a[0], a[1]);
                       });
  if (failed(shifted))
    return failure();
  auto exps = buildElementwise(im, node, *shifted, element,
                               [](OpBuilder &nb, Location l, ValueRange a) {
                                 return math::ExpOp::create(nb, l, a[0]);
                               });
  if (failed(exps))
    return failure();
  Value sum =
      buildReduction(b, loc, *exps, axes, true, FloatAttr::get(element, 0.0),
                     [](OpBuilder &nb, Location l, ValueRange a) {
                       return arith::AddFOp::create(nb, l, a[0], a[1]);
                     });
  auto result =
      buildElementwise(im, node, {IsLog ? *shifted : *exps, sum}, element,
                       [](OpBuilder &nb, Location l, ValueRange a) -> Value {
                         if (IsLog)
                           return arith::SubFOp::create(
                               nb, l, a[0], math::LogOp::create(nb, l, a[1]));
                         return arith::DivFOp::create(nb, l, a[0], a[1]);
                       });
  if (failed(result))
    return failure();
  im.setOutput(node, 0, *result);
  return success();
}

/// LayerNormalization over the dims from `axis`: (x - mean) / sqrt(var +
/// eps) * scale (+ B).
LogicalResult importLayerNorm(GraphImporter &im, const onnx::NodeProto &node) {
  Value input = im.getInput(node, 0), scale = im.getInput(node, 1);
  if (!input || !scale)
    return failure();
  auto type = getTensorType(input);
  int64_t rank = type.getRank();
  auto axis = normalizeAxis(im, node, im.getInt(node, "axis", -1), rank);
  if (failed(axis))
    return failure();
  SmallVector<int64_t> axes;
  int64_t count = 1;
  for (int64_t i = *axis; i < rank; ++i) {
    if (type.isDynamicDim(i))
      return im.emitError(node) << "normalized dims must be static";
    axes.push_back(i);
    count *= type.getDimSize(i);
  }
  bool wantsStats = (node.output_size() > 1 && !node.output(1).empty()) ||
                    (node.output_size() > 2 && !node.output(2).empty());
  if (wantsStats && !type.getElementType().isF32())
    return im.emitError(node) << "Mean/InvStdDev outputs are supported for "
                                 "float32 inputs (the default stash type)";
  OpBuilder &b = im.builder;
  Location loc = im.getLoc(node);
  Type element = type.getElementType();
  double epsilon = im.getFloat(node, "epsilon", 1e-5f);
  auto add = [](OpBuilder &nb, Location l, ValueRange a) {
    return arith::AddFOp::create(nb, l, a[0], a[1]).getResult();
  };
  Value sum = buildReduction(b, loc, input, axes, true,
                             FloatAttr::get(element, 0.0), add);
  auto centered = buildElementwise(
      im, node, {input, sum}, element,
      [&](OpBuilder &nb, Location l, ValueRange a) {
        Value mean = arith::DivFOp::create(
            nb, l, a[1], scalarConstant(nb, l, element, count));
        return arith::SubFOp::create(nb, l, a[0], mean);
      });
  if (failed(centered))
    return failure();
  auto squares =
      buildElementwise(im, node, *centered, element,
                       [](OpBuilder &nb, Location l, ValueRange a) {
                         return arith::MulFOp::create(nb, l, a[0], a[0]);
                       });
  if (failed(squares))
    return failure();
  Value squareSum = buildReduction(b, loc, *squares, axes, true,
                                   FloatAttr::get(element, 0.0), add);
  SmallVector<Value> operands = {*centered, squareSum, scale};
  if (im.hasInput(node, 2))
    operands.push_back(im.getInput(node, 2));
  auto result = buildElementwise(
      im, node, operands, element,
      [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
        Value variance = arith::DivFOp::create(
            nb, l, a[1], scalarConstant(nb, l, element, count));
        Value denominator = math::SqrtOp::create(
            nb, l,
            arith::AddFOp::create(nb, l, variance,
                                  scalarConstant(nb, l, element, epsilon)));
        Value normalized = arith::DivFOp::create(nb, l, a[0], denominator);
        Value scaled = arith::MulFOp::create(nb, l, normalized, a[2]);
        return a.size() > 3
                   ? arith::AddFOp::create(nb, l, scaled, a[3]).getResult()
                   : scaled;
      });
  if (failed(result))
    return failure();
  im.setOutput(node, 0, *result);
  // Optional outputs: the mean and 1 / sqrt(variance + epsilon), with the
  // normalized dimensions kept as size 1.
  if (node.output_size() > 1 && !node.output(1).empty()) {
    auto mean = buildElementwise(
        im, node, sum, element, [&](OpBuilder &nb, Location l, ValueRange a) {
          return arith::DivFOp::create(nb, l, a[0],
                                       scalarConstant(nb, l, element, count));
        });
    if (failed(mean))
      return failure();
    im.setOutput(node, 1, *mean);
  }
  if (node.output_size() > 2 && !node.output(2).empty()) {
    auto invStdDev = buildElementwise(
        im, node, squareSum, element,
        [&](OpBuilder &nb, Location l, ValueRange a) {
          Value variance = arith::DivFOp::create(
              nb, l, a[0], scalarConstant(nb, l, element, count));
          Value root = math::SqrtOp::create(
              nb, l,
              arith::AddFOp::create(nb, l, variance,
                                    scalarConstant(nb, l, element, epsilon)));
          return arith::DivFOp::create(
              nb, l, scalarConstant(nb, l, element, 1.0), root);
        });
    if (failed(invStdDev))
      return failure();
    im.setOutput(node, 2, *invStdDev);
  }
  return success();
}

} // namespace

void mlir::qnt::onnx_frontend::registerNNOps(
    llvm::StringMap<OpHandler> &handlers) {
  handlers["Conv"] = importConv;
  handlers["Gemm"] = importGemm;
  handlers["MatMul"] = importMatMul;
  handlers["MaxPool"] = importPool<true>;
  handlers["AveragePool"] = importPool<false>;
  handlers["GlobalAveragePool"] = importGlobalPool<false>;
  handlers["GlobalMaxPool"] = importGlobalPool<true>;
  handlers["BatchNormalization"] = importBatchNorm;
  handlers["Softmax"] = importSoftmax<false>;
  handlers["LogSoftmax"] = importSoftmax<true>;
  handlers["LayerNormalization"] = importLayerNorm;
}
