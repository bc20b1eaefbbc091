//===- OpsQuantization.cpp - ONNX quantization ops ------------------------===//
//
// QuantizeLinear/DequantizeLinear become qnt.quantize/qnt.dequantize with
// !quant.uniform types when scale and zero point are constants, and
// elementwise generics with the same arithmetic (CastBuilders) when they are
// run-time values. DynamicQuantizeLinear, MatMulInteger, ConvInteger,
// QLinearMatMul and QLinearConv compute with i32 accumulators.
//
//===----------------------------------------------------------------------===//

#include "OpBuilders.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "quant/Conversion/QntToLinalg/CastBuilders.h"
#include "quant/Dialect/Qnt/IR/QntOps.h"

using namespace mlir;
using namespace mlir::qnt;
using namespace mlir::qnt::onnx_frontend;

namespace {

/// The storage of an ONNX quantized tensor kind (int8/uint8/int32).
struct Storage {
  unsigned bits;
  bool isSigned;
};

std::optional<Storage> getStorage(int32_t kind) {
  switch (kind) {
  case onnx::TensorProto::INT8:
    return Storage{8, true};
  case onnx::TensorProto::UINT8:
    return Storage{8, false};
  case onnx::TensorProto::INT32:
    return Storage{32, true};
  default:
    return std::nullopt;
  }
}

/// A quantized type that only carries storage and expressed types (for the
/// scalar builders when parameters are run-time values).
quant::QuantizedType getAnyType(Storage storage, Type expressed) {
  MLIRContext *ctx = expressed.getContext();
  return quant::AnyQuantizedType::get(
      storage.isSigned ? quant::QuantizationFlags::Signed : 0,
      IntegerType::get(ctx, storage.bits), expressed,
      quant::QuantizedType::getDefaultMinimumForInteger(storage.isSigned,
                                                        storage.bits),
      quant::QuantizedType::getDefaultMaximumForInteger(storage.isSigned,
                                                        storage.bits));
}

/// The static !quant.uniform type of (scale, zero point) constants, or null
/// if either is not a constant. `axis` applies to 1-D parameters.
FailureOr<quant::QuantizedType>
getStaticType(GraphImporter &im, const onnx::NodeProto &node, int scaleInput,
              int zpInput, Storage storage, Type expressed,
              RankedTensorType data, int64_t axisAttr) {
  auto scale = im.getConstant(node.input(scaleInput));
  std::optional<DenseElementsAttr> zeroPoint;
  if (im.hasInput(node, zpInput)) {
    zeroPoint = im.getConstant(node.input(zpInput));
    if (!zeroPoint)
      return quant::QuantizedType();
  }
  if (!scale || !isa<FloatType>(scale->getElementType()))
    return quant::QuantizedType();
  SmallVector<double> scales;
  for (APFloat value : scale->getValues<APFloat>())
    scales.push_back(value.convertToDouble());
  SmallVector<int64_t> zeroPoints(scales.size(), 0);
  if (zeroPoint) {
    if (zeroPoint->getNumElements() != static_cast<int64_t>(scales.size()))
      return im.emitError(node) << "scale and zero point sizes differ";
    zeroPoints.clear();
    for (APInt value : zeroPoint->getValues<APInt>())
      zeroPoints.push_back(storage.isSigned ? value.getSExtValue()
                                            : value.getZExtValue());
  }
  MLIRContext *ctx = im.getContext();
  unsigned flags = storage.isSigned ? quant::QuantizationFlags::Signed : 0;
  Type storageType = IntegerType::get(ctx, storage.bits);
  int64_t lo = quant::QuantizedType::getDefaultMinimumForInteger(
      storage.isSigned, storage.bits);
  int64_t hi = quant::QuantizedType::getDefaultMaximumForInteger(
      storage.isSigned, storage.bits);
  auto emitError = [&] { return im.emitError(node); };
  if (scale->getType().getRank() == 0 || scales.size() == 1 &&
                                             scale->getType().getRank() == 1 &&
                                             data.getRank() == 0)
    return cast<quant::QuantizedType>(quant::UniformQuantizedType::getChecked(
        emitError, flags, storageType, expressed, scales[0], zeroPoints[0], lo,
        hi));
  if (scale->getType().getRank() != 1)
    return im.emitError(node) << "scale must be a scalar or 1-D";
  if (scales.size() == 1 && data.getRank() == 0)
    return quant::QuantizedType();
  auto axis = normalizeAxis(im, node, axisAttr, data.getRank());
  if (failed(axis))
    return failure();
  if (scales.size() == 1 && data.getDimSize(*axis) != 1)
    return cast<quant::QuantizedType>(quant::UniformQuantizedType::getChecked(
        emitError, flags, storageType, expressed, scales[0], zeroPoints[0], lo,
        hi));
  return cast<quant::QuantizedType>(
      quant::UniformQuantizedPerAxisType::getChecked(
          emitError, flags, storageType, expressed, scales, zeroPoints, *axis,
          lo, hi));
}

/// An indexing map from a rank-`rank` iteration space to a parameter of
/// rank 0, or rank 1 indexed by `axis` (size 1: index 0).
AffineMap paramMap(MLIRContext *ctx, int64_t rank, RankedTensorType param,
                   int64_t axis) {
  if (param.getRank() == 0)
    return AffineMap::get(rank, 0, ctx);
  AffineExpr expr = param.getDimSize(0) == 1 ? getAffineConstantExpr(0, ctx)
                                             : getAffineDimExpr(axis, ctx);
  return AffineMap::get(rank, 0, expr);
}

/// Elementwise cast with run-time parameters: `body(element, scale, zp)`.
FailureOr<Value> buildDynamicCast(
    GraphImporter &im, const onnx::NodeProto &node, Value data, Value scale,
    Value zeroPoint, Type resultElement, int64_t axisAttr,
    function_ref<Value(OpBuilder &, Location, Value, Value, Value)> body) {
  OpBuilder &b = im.builder;
  Location loc = im.getLoc(node);
  auto type = getTensorType(data);
  int64_t rank = type.getRank();
  int64_t axis = 0;
  if (getTensorType(scale).getRank() == 1 &&
      getTensorType(scale).getDimSize(0) != 1) {
    auto normalized = normalizeAxis(im, node, axisAttr, rank);
    if (failed(normalized))
      return failure();
    axis = *normalized;
  }
  SmallVector<Value> inputs = {data, scale};
  SmallVector<AffineMap> maps = {
      b.getMultiDimIdentityMap(rank),
      paramMap(b.getContext(), rank, getTensorType(scale), axis)};
  if (zeroPoint) {
    inputs.push_back(zeroPoint);
    maps.push_back(
        paramMap(b.getContext(), rank, getTensorType(zeroPoint), axis));
  }
  maps.push_back(b.getMultiDimIdentityMap(rank));
  Value init = buildEmpty(b, loc, type.getShape(), resultElement, data);
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      b, loc, init.getType(), inputs, ValueRange{init}, maps, iterators,
      [&](OpBuilder &nb, Location l, ValueRange args) {
        Value result =
            body(nb, l, args[0], args[1], zeroPoint ? args[2] : Value());
        linalg::YieldOp::create(nb, l, result);
      });
  return generic.getResult(0);
}

LogicalResult importQuantizeLinear(GraphImporter &im,
                                   const onnx::NodeProto &node) {
  Value x = im.getInput(node, 0), scale = im.getInput(node, 1);
  if (!x || !scale)
    return failure();
  int32_t kind = im.hasInput(node, 2) ? im.getElementKind(node.input(2))
                                      : onnx::TensorProto::UINT8;
  auto storage = getStorage(kind);
  if (!storage || storage->bits != 8)
    return im.emitError(node) << "output type must be int8 or uint8";
  auto xType = getTensorType(x);
  Type expressed = xType.getElementType();
  if (!isa<FloatType>(expressed))
    return im.emitError(node) << "input must be a float tensor";
  int64_t axis = im.getInt(node, "axis", 1);
  auto staticType =
      getStaticType(im, node, 1, 2, *storage, expressed, xType, axis);
  if (failed(staticType))
    return failure();
  Location loc = im.getLoc(node);
  if (*staticType) {
    im.setOutput(node, 0,
                 QuantizeOp::create(im.builder, loc, xType.clone(*staticType),
                                    x, /*rounding=*/nullptr));
    return success();
  }
  quant::QuantizedType any = getAnyType(*storage, expressed);
  CastTypes types(any, im.getContext());
  Value zp = im.hasInput(node, 2) ? im.getInput(node, 2) : Value();
  auto result = buildDynamicCast(
      im, node, x, scale, zp, types.storage, axis,
      [&](OpBuilder &b, Location l, Value element, Value s, Value z) -> Value {
        Value wideZp =
            z ? (storage->isSigned
                     ? arith::ExtSIOp::create(b, l, types.wide, z).getResult()
                     : arith::ExtUIOp::create(b, l, types.wide, z).getResult())
              : scalarConstant(b, l, types.wide, 0);
        if (s.getType() != types.compute)
          s = arith::ExtFOp::create(b, l, types.compute, s);
        return buildQuantize(b, l, element, {s, wideZp}, any, types,
                             RoundingMode::HalfToEven);
      });
  if (failed(result))
    return failure();
  im.setOutput(node, 0, *result);
  return success();
}

LogicalResult importDequantizeLinear(GraphImporter &im,
                                     const onnx::NodeProto &node) {
  Value raw = im.getRawInput(node, 0), scale = im.getInput(node, 1);
  if (!raw || !scale)
    return failure();
  auto storage = getStorage(im.getElementKind(node.input(0)));
  if (auto quantType =
          dyn_cast<quant::QuantizedType>(getTensorType(raw).getElementType()))
    storage =
        Storage{quantType.getStorageTypeIntegralWidth(), quantType.isSigned()};
  if (!storage)
    return im.emitError(node) << "input must be int8, uint8 or int32";
  Value x = im.getInput(node, 0);
  auto xType = getTensorType(x);
  Type expressed = getTensorType(scale).getElementType();
  int64_t axis = im.getInt(node, "axis", 1);
  auto staticType =
      getStaticType(im, node, 1, 2, *storage, expressed, xType, axis);
  if (failed(staticType))
    return failure();
  OpBuilder &b = im.builder;
  Location loc = im.getLoc(node);
  if (*staticType) {
    // Reinterpret the storage integers with the constant parameters.
    Value quantized =
        quant::StorageCastOp::create(b, loc, xType.clone(*staticType), x);
    im.setOutput(
        node, 0,
        DequantizeOp::create(b, loc, xType.clone(expressed), quantized));
    return success();
  }
  quant::QuantizedType any = getAnyType(*storage, expressed);
  CastTypes types(any, im.getContext());
  Value zp = im.hasInput(node, 2) ? im.getInput(node, 2) : Value();
  auto result = buildDynamicCast(
      im, node, x, scale, zp, expressed, axis,
      [&](OpBuilder &nb, Location l, Value element, Value s, Value z) -> Value {
        Value wideZp = scalarConstant(nb, l, types.wide, 0);
        if (z && z.getType() != types.wide)
          wideZp =
              storage->isSigned
                  ? arith::ExtSIOp::create(nb, l, types.wide, z).getResult()
                  : arith::ExtUIOp::create(nb, l, types.wide, z).getResult();
        else if (z)
          wideZp = z;
        if (s.getType() != types.compute)
          s = arith::ExtFOp::create(nb, l, types.compute, s);
        return buildDequantize(nb, l, element, {s, wideZp}, types);
      });
  if (failed(result))
    return failure();
  im.setOutput(node, 0, *result);
  return success();
}

/// DynamicQuantizeLinear: uint8 with the range of x widened to include 0.
LogicalResult importDynamicQuantizeLinear(GraphImporter &im,
                                          const onnx::NodeProto &node) {
  Value x = im.getInput(node, 0);
  if (!x)
    return failure();
  auto xType = getTensorType(x);
  if (!xType.getElementType().isF32())
    return im.emitError(node) << "input must be float32";
  OpBuilder &b = im.builder;
  Location loc = im.getLoc(node);
  Type f32 = b.getF32Type(), i8 = b.getI8Type();
  SmallVector<int64_t> all;
  for (int64_t i = 0; i < xType.getRank(); ++i)
    all.push_back(i);
  // min(0, min(x)) and max(0, max(x)), as 0-d tensors.
  Value lo =
      buildReduction(b, loc, x, all, false, FloatAttr::get(f32, 0.0),
                     [](OpBuilder &nb, Location l, ValueRange a) {
                       return arith::MinimumFOp::create(nb, l, a[0], a[1]);
                     });
  Value hi =
      buildReduction(b, loc, x, all, false, FloatAttr::get(f32, 0.0),
                     [](OpBuilder &nb, Location l, ValueRange a) {
                       return arith::MaximumFOp::create(nb, l, a[0], a[1]);
                     });
  Value loScalar = tensor::ExtractOp::create(b, loc, lo, ValueRange{});
  Value hiScalar = tensor::ExtractOp::create(b, loc, hi, ValueRange{});
  // scale = (max - min) / 255; zp = saturate(round_half_even(0 - min/scale)).
  Value scale = arith::DivFOp::create(
      b, loc, arith::SubFOp::create(b, loc, hiScalar, loScalar),
      scalarConstant(b, loc, f32, 255.0));
  Value zpFloat = math::RoundEvenOp::create(
      b, loc,
      arith::SubFOp::create(b, loc, scalarConstant(b, loc, f32, 0.0),
                            arith::DivFOp::create(b, loc, loScalar, scale)));
  zpFloat = arith::MinimumFOp::create(
      b, loc,
      arith::MaximumFOp::create(b, loc, zpFloat,
                                scalarConstant(b, loc, f32, 0.0)),
      scalarConstant(b, loc, f32, 255.0));
  Value zpWide = arith::FPToSIOp::create(b, loc, b.getI32Type(), zpFloat);
  Value zp = arith::TruncIOp::create(b, loc, i8, zpWide);

  quant::QuantizedType any = getAnyType({8, false}, f32);
  CastTypes types(any, im.getContext());
  Value init = buildEmpty(b, loc, xType.getShape(), i8, x);
  int64_t rank = xType.getRank();
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      b, loc, init.getType(), x, init,
      SmallVector<AffineMap>(2, b.getMultiDimIdentityMap(rank)), iterators,
      [&](OpBuilder &nb, Location l, ValueRange args) {
        Value q = buildQuantize(nb, l, args[0], {scale, zpWide}, any, types,
                                RoundingMode::HalfToEven);
        linalg::YieldOp::create(nb, l, q);
      });
  im.setOutput(node, 0, generic.getResult(0));
  im.setOutput(node, 1,
               tensor::FromElementsOp::create(
                   b, loc, RankedTensorType::get({}, f32), scale));
  im.setOutput(node, 2,
               tensor::FromElementsOp::create(
                   b, loc, RankedTensorType::get({}, i8), zp));
  return success();
}

/// (x - zp) widened to i32, with zp a scalar, per-row/column vector or
/// absent; `zpAxis` is the dimension a 1-D zero point runs along.
FailureOr<Value> centerToI32(GraphImporter &im, const onnx::NodeProto &node,
                             int xInput, int zpInput, int64_t zpAxis) {
  Value x = im.getInput(node, xInput);
  if (!x)
    return failure();
  bool isUnsigned = im.isUnsigned(node.input(xInput));
  SmallVector<Value> operands = {x};
  if (im.hasInput(node, zpInput)) {
    Value zp = im.getInput(node, zpInput);
    if (!zp)
      return failure();
    auto zpType = getTensorType(zp);
    int64_t rank = getTensorType(x).getRank();
    if (zpType.getRank() > 1)
      return im.emitError(node) << "zero point must be a scalar or 1-D";
    if (zpType.getRank() == 1 && zpType.getDimSize(0) != 1 &&
        (zpAxis < 0 || zpAxis >= rank ||
         zpType.getDimSize(0) != getTensorType(x).getDimSize(zpAxis)))
      return im.emitError(node) << "a 1-D zero point must have one value per "
                                   "element of dimension "
                                << zpAxis << " of its operand";
    if (zpType.getRank() == 1 && zpType.getDimSize(0) != 1) {
      // Align the vector with its dimension for broadcasting.
      SmallVector<int64_t> shape(rank - zpAxis, 1);
      shape[0] = zpType.getDimSize(0);
      zp = buildReshape(im.builder, im.getLoc(node), zp, shape);
    }
    operands.push_back(zp);
  }
  Type i32 = im.builder.getI32Type();
  return buildElementwise(
      im, node, operands, i32,
      [&](OpBuilder &b, Location l, ValueRange args) -> Value {
        auto widen = [&](Value v) -> Value {
          return isUnsigned ? arith::ExtUIOp::create(b, l, i32, v).getResult()
                            : arith::ExtSIOp::create(b, l, i32, v).getResult();
        };
        Value value = widen(args[0]);
        if (args.size() > 1)
          value = arith::SubIOp::create(b, l, value, widen(args[1]));
        return value;
      });
}

/// An i32 matmul of centered operands ([M, K] x [K, N], batched rank 3, or
/// [..., M, K] x [K, N]).
FailureOr<Value> buildIntegerMatmul(GraphImporter &im,
                                    const onnx::NodeProto &node, Value a,
                                    Value b) {
  OpBuilder &builder = im.builder;
  Location loc = im.getLoc(node);
  auto aType = getTensorType(a), bType = getTensorType(b);
  Type i32 = builder.getI32Type();
  auto zeroFilled = [&](ArrayRef<int64_t> shape, Value like) {
    Value empty = buildEmpty(builder, loc, shape, i32, like);
    Value zero = scalarConstant(builder, loc, i32, 0);
    return linalg::FillOp::create(builder, loc, zero, empty).getResult(0);
  };
  if (aType.getRank() >= 2 && bType.getRank() == 2) {
    SmallVector<int64_t> lead(aType.getShape().drop_back(1));
    int64_t rows = 1;
    for (int64_t dim : lead)
      rows = ShapedType::isDynamic(dim) || ShapedType::isDynamic(rows)
                 ? ShapedType::kDynamic
                 : rows * dim;
    Value flat = buildReshape(builder, loc, a, {rows, aType.getShape().back()});
    Value init = zeroFilled({rows, bType.getDimSize(1)}, flat);
    Value product =
        linalg::MatmulOp::create(builder, loc, TypeRange{init.getType()},
                                 ValueRange{flat, b}, init)
            .getResult(0);
    lead.push_back(bType.getDimSize(1));
    return buildReshape(builder, loc, product, lead);
  }
  if (aType.getRank() == 3 && bType.getRank() == 3) {
    Value init = zeroFilled(
        {aType.getDimSize(0), aType.getDimSize(1), bType.getDimSize(2)}, a);
    return linalg::BatchMatmulOp::create(
               builder, loc, TypeRange{init.getType()}, ValueRange{a, b}, init)
        .getResult(0);
  }
  return im.emitError(node) << "unsupported operand ranks " << aType.getRank()
                            << " and " << bType.getRank();
}

/// The i32 matmul of (a - a_zp) and (b - b_zp), inputs given by index:
/// a_zero_point may be per row (dimension M), b_zero_point per column (N).
FailureOr<Value> buildCenteredMatmul(GraphImporter &im,
                                     const onnx::NodeProto &node, int aInput,
                                     int aZpInput, int bInput, int bZpInput) {
  Value a = im.getInput(node, aInput), b = im.getInput(node, bInput);
  if (!a || !b)
    return failure();
  auto centeredA =
      centerToI32(im, node, aInput, aZpInput, getTensorType(a).getRank() - 2);
  auto centeredB =
      centerToI32(im, node, bInput, bZpInput, getTensorType(b).getRank() - 1);
  if (failed(centeredA) || failed(centeredB))
    return failure();
  return buildIntegerMatmul(im, node, *centeredA, *centeredB);
}

LogicalResult importMatMulInteger(GraphImporter &im,
                                  const onnx::NodeProto &node) {
  auto product = buildCenteredMatmul(im, node, 0, 2, 1, 3);
  if (failed(product))
    return failure();
  im.setOutput(node, 0, *product);
  return success();
}

/// An i32 NCHW convolution of centered operands, padded with 0 (the zero
/// point's real value).
FailureOr<Value> buildIntegerConv(GraphImporter &im,
                                  const onnx::NodeProto &node, Value x,
                                  Value w) {
  OpBuilder &b = im.builder;
  Location loc = im.getLoc(node);
  auto xType = getTensorType(x), wType = getTensorType(w);
  if (xType.getRank() != 4 || wType.getRank() != 4 || !wType.hasStaticShape())
    return im.emitError(node) << "only 2-D convolutions with static weights "
                                 "are supported";
  if (im.getInt(node, "group", 1) != 1)
    return im.emitError(node) << "grouped integer convolution is not "
                                 "supported";
  auto window = getWindow(im, node, xType.getShape().drop_front(2),
                          wType.getShape().drop_front(2), /*ceilMode=*/false);
  if (failed(window))
    return failure();
  // Centered operands: padding with 0 is padding with the zero point.
  x = padSpatial(b, loc, x, *window, 0.0);
  Type i32 = b.getI32Type();
  Value empty = buildEmpty(b, loc,
                           {xType.getDimSize(0), wType.getDimSize(0),
                            window->out[0], window->out[1]},
                           i32, x);
  Value init =
      linalg::FillOp::create(b, loc, scalarConstant(b, loc, i32, 0), empty)
          .getResult(0);
  return linalg::Conv2DNchwFchwOp::create(
             b, loc, init.getType(), ValueRange{x, w}, init,
             getWindowAttr(b, window->stride[0], window->stride[1]),
             getWindowAttr(b, window->dilation[0], window->dilation[1]))
      .getResult(0);
}

LogicalResult importConvInteger(GraphImporter &im,
                                const onnx::NodeProto &node) {
  // w_zero_point may be per output channel (dimension 0).
  auto x = centerToI32(im, node, 0, 2, 1);
  auto w = centerToI32(im, node, 1, 3, 0);
  if (failed(x) || failed(w))
    return failure();
  auto result = buildIntegerConv(im, node, *x, *w);
  if (failed(result))
    return failure();
  im.setOutput(node, 0, *result);
  return success();
}

/// y = saturate(round_half_even(f32(acc) * (s_a * s_b / s_y)) + zp_y), with
/// the scales broadcast along `channelDim` when per channel.
FailureOr<Value> requantizeDynamic(GraphImporter &im,
                                   const onnx::NodeProto &node, Value acc,
                                   int aScale, int bScale, int yScale, int yZp,
                                   int64_t channelDim) {
  OpBuilder &b = im.builder;
  Location loc = im.getLoc(node);
  int64_t rank = getTensorType(acc).getRank();
  SmallVector<Value> operands = {acc};
  for (int input : {aScale, bScale, yScale, yZp}) {
    Value v = im.getInput(node, input);
    if (!v)
      return failure();
    auto type = getTensorType(v);
    if (type.getRank() == 1 && type.getDimSize(0) != 1) {
      SmallVector<int64_t> shape(rank - channelDim, 1);
      shape[0] = type.getDimSize(0);
      v = buildReshape(b, loc, v, shape);
    }
    operands.push_back(v);
  }
  auto storage = getStorage(im.getElementKind(node.input(yZp)));
  if (!storage || storage->bits != 8)
    return im.emitError(node) << "output must be int8 or uint8";
  Type f32 = b.getF32Type(), i32 = b.getI32Type();
  Type storageType = b.getIntegerType(8);
  int64_t lo = storage->isSigned ? -128 : 0, hi = storage->isSigned ? 127 : 255;
  return buildElementwise(
      im, node, operands, storageType,
      [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
        Value multiplier = arith::DivFOp::create(
            nb, l, arith::MulFOp::create(nb, l, a[1], a[2]), a[3]);
        Value value = arith::MulFOp::create(
            nb, l, arith::SIToFPOp::create(nb, l, f32, a[0]), multiplier);
        Value rounded = math::RoundEvenOp::create(nb, l, value);
        Value zp = storage->isSigned
                       ? arith::ExtSIOp::create(nb, l, i32, a[4]).getResult()
                       : arith::ExtUIOp::create(nb, l, i32, a[4]).getResult();
        Value shifted = arith::AddFOp::create(
            nb, l, rounded, arith::SIToFPOp::create(nb, l, f32, zp));
        shifted = arith::MaximumFOp::create(nb, l, shifted,
                                            scalarConstant(nb, l, f32, lo));
        shifted = arith::MinimumFOp::create(nb, l, shifted,
                                            scalarConstant(nb, l, f32, hi));
        Value integer = arith::FPToSIOp::create(nb, l, i32, shifted);
        return arith::TruncIOp::create(nb, l, storageType, integer);
      });
}

LogicalResult importQLinearMatMul(GraphImporter &im,
                                  const onnx::NodeProto &node) {
  // a, a_scale, a_zp, b, b_scale, b_zp, y_scale, y_zp.
  auto acc = buildCenteredMatmul(im, node, 0, 2, 3, 5);
  if (failed(acc))
    return failure();
  auto y = requantizeDynamic(im, node, *acc, 1, 4, 6, 7,
                             getTensorType(*acc).getRank() - 1);
  if (failed(y))
    return failure();
  im.setOutput(node, 0, *y);
  return success();
}

LogicalResult importQLinearConv(GraphImporter &im,
                                const onnx::NodeProto &node) {
  // x, x_scale, x_zp, w, w_scale, w_zp, y_scale, y_zp, B.
  auto x = centerToI32(im, node, 0, 2, 1);
  auto w = centerToI32(im, node, 3, 5, 0);
  if (failed(x) || failed(w))
    return failure();
  auto acc = buildIntegerConv(im, node, *x, *w);
  if (failed(acc))
    return failure();
  Value sum = *acc;
  if (im.hasInput(node, 8)) {
    Value bias = im.getInput(node, 8);
    Value reshaped = buildReshape(im.builder, im.getLoc(node), bias,
                                  {1, getTensorType(bias).getDimSize(0), 1, 1});
    auto biased =
        buildElementwise(im, node, {*acc, reshaped}, im.builder.getI32Type(),
                         [](OpBuilder &b, Location l, ValueRange a) {
                           return arith::AddIOp::create(b, l, a[0], a[1]);
                         });
    if (failed(biased))
      return failure();
    sum = *biased;
  }
  auto y = requantizeDynamic(im, node, sum, 1, 4, 6, 7, /*channelDim=*/1);
  if (failed(y))
    return failure();
  im.setOutput(node, 0, *y);
  return success();
}

} // namespace

void mlir::qnt::onnx_frontend::registerQuantizationOps(
    llvm::StringMap<OpHandler> &handlers) {
  handlers["QuantizeLinear"] = importQuantizeLinear;
  handlers["DequantizeLinear"] = importDequantizeLinear;
  handlers["DynamicQuantizeLinear"] = importDynamicQuantizeLinear;
  handlers["MatMulInteger"] = importMatMulInteger;
  handlers["ConvInteger"] = importConvInteger;
  handlers["QLinearMatMul"] = importQLinearMatMul;
  handlers["QLinearConv"] = importQLinearConv;
}
