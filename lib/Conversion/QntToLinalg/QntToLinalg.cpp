//===- QntToLinalg.cpp - Lower qnt casts to linalg.generic ----------------===//
//
// Implements convert-qnt-to-linalg: each cast becomes one elementwise
// linalg.generic whose body is the exact arithmetic of docs/semantics.md,
// and quantized tensor types become their storage integer tensors.
//
//===----------------------------------------------------------------------===//

#include "quant/Conversion/QntToLinalg/QntToLinalg.h"

#include "quant/Conversion/QntToLinalg/CastBuilders.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Func/Transforms/FuncConversions.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "quant/Conversion/Passes.h"
#include "quant/Dialect/Qnt/IR/QntOps.h"
#include "quant/Dialect/Qnt/IR/QuantTypeUtils.h"

namespace mlir::qnt {
#define GEN_PASS_DEF_CONVERTQNTTOLINALGPASS
#include "quant/Conversion/Passes.h.inc"
} // namespace mlir::qnt

using namespace mlir;
using namespace mlir::qnt;

//===----------------------------------------------------------------------===//
// Types
//===----------------------------------------------------------------------===//

QuantStorageTypeConverter::QuantStorageTypeConverter() {
  addConversion([](Type type) { return type; });
  addConversion([](RankedTensorType type) -> Type {
    if (auto quantType = dyn_cast<quant::QuantizedType>(type.getElementType()))
      return type.clone(quantType.getStorageType());
    return type;
  });
  // Values that still carry quantized types at the boundary of converted
  // code are reinterpreted with quant.scast, which has no runtime cost.
  auto materialize = [](OpBuilder &builder, Type type, ValueRange inputs,
                        Location loc) -> Value {
    if (inputs.size() != 1)
      return {};
    return quant::StorageCastOp::create(builder, loc, type, inputs.front());
  };
  addSourceMaterialization(materialize);
  addTargetMaterialization(materialize);
}

namespace {

/// A scale as the generated code holds it: rounded to the expressed type,
/// then widened (exactly) to the compute type.
static APFloat getComputeScale(double scale, const CastTypes &types) {
  bool lostInfo = false;
  APFloat value(scale);
  value.convert(types.expressed.getFloatSemantics(),
                APFloat::rmNearestTiesToEven, &lostInfo);
  value.convert(types.compute.getFloatSemantics(), APFloat::rmNearestTiesToEven,
                &lostInfo);
  return value;
}

/// Per-element scale and zero point inside a generic body: either constants
/// (per tensor) or block arguments read from constant parameter tensors.

/// The parameter operands of a generic for `type` on a tensor of rank `rank`:
/// nothing for a per-tensor type; a scale tensor and a zero-point tensor with
/// their indexing maps otherwise.
///
///   per axis 1 of a 2-D tensor:  scales tensor<Cxf32>, map (d0, d1) -> (d1)
///   blocks {1:32} of MxK:        scales tensor<1xK/32>, (d0, d1) -> (0, d1
///   floordiv 32)
struct ParamOperands {
  SmallVector<Value> values;
  SmallVector<AffineMap> maps;
  /// Per-tensor parameters, when `values` is empty.
  APFloat scale = APFloat(0.0);
  int64_t zeroPoint = 0;
};

static ParamOperands buildParamOperands(OpBuilder &builder, Location loc,
                                        quant::QuantizedType type,
                                        const CastTypes &types, int64_t rank) {
  ParamOperands params;
  MLIRContext *ctx = builder.getContext();
  if (auto perTensor = dyn_cast<quant::UniformQuantizedType>(type)) {
    params.scale = getComputeScale(perTensor.getScale(), types);
    params.zeroPoint = perTensor.getZeroPoint();
    return params;
  }
  SmallVector<APFloat> scales;
  SmallVector<APInt> zeroPoints;
  SmallVector<int64_t> paramShape;
  SmallVector<AffineExpr> exprs;
  unsigned zpWidth = types.wide.getWidth();
  if (auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(type)) {
    for (double scale : perAxis.getScales())
      scales.push_back(getComputeScale(scale, types));
    for (int64_t zeroPoint : perAxis.getZeroPoints())
      zeroPoints.push_back(APInt(zpWidth, zeroPoint, /*isSigned=*/true));
    paramShape.push_back(scales.size());
    exprs.push_back(getAffineDimExpr(perAxis.getQuantizedDimension(), ctx));
  } else {
    auto sub = cast<quant::UniformQuantizedSubChannelType>(type);
    for (APFloat scale : sub.getScales().getValues<APFloat>())
      scales.push_back(getComputeScale(scale.convertToDouble(), types));
    for (APInt zeroPoint : sub.getZeroPoints().getValues<APInt>())
      zeroPoints.push_back(type.isSigned() ? zeroPoint.sextOrTrunc(zpWidth)
                                           : zeroPoint.zextOrTrunc(zpWidth));
    llvm::append_range(paramShape, sub.getScales().getType().getShape());
    // Dimensions without a block size form one block: index 0.
    exprs.assign(rank, getAffineConstantExpr(0, ctx));
    for (auto [axis, blockSize] :
         llvm::zip(sub.getQuantizedDimensions(), sub.getBlockSizes()))
      exprs[axis] = getAffineDimExpr(axis, ctx).floorDiv(blockSize);
  }
  auto scaleType = RankedTensorType::get(paramShape, types.compute);
  auto zpType = RankedTensorType::get(paramShape, types.wide);
  params.values.push_back(arith::ConstantOp::create(
      builder, loc, DenseElementsAttr::get(scaleType, scales)));
  params.values.push_back(arith::ConstantOp::create(
      builder, loc, DenseElementsAttr::get(zpType, zeroPoints)));
  AffineMap map = AffineMap::get(rank, 0, exprs, ctx);
  params.maps.assign(2, map);
  return params;
}

/// The scale and zero point of the current element inside a generic body.
/// `args` are the body's block arguments after the data operand.
static ElementParamsValues getParamValues(OpBuilder &builder, Location loc,
                                          const ParamOperands &params,
                                          const CastTypes &types,
                                          ValueRange args) {
  if (!params.values.empty())
    return {args[0], args[1]};
  return {
      arith::ConstantOp::create(builder, loc,
                                FloatAttr::get(types.compute, params.scale)),
      arith::ConstantIntOp::create(builder, loc, types.wide, params.zeroPoint)};
}

/// Creates the elementwise generic over `input` producing `resultElement`,
/// with the parameter operands of `type`, and `body(builder, loc, element,
/// params)` computing one result element.
static FailureOr<Value> buildElementwiseGeneric(
    ConversionPatternRewriter &rewriter, Operation *op, Value input,
    Type resultElement, quant::QuantizedType type,
    function_ref<Value(OpBuilder &, Location, Value, ElementParamsValues,
                       const CastTypes &)>
        body) {
  Location loc = op->getLoc();
  auto inputType = dyn_cast<RankedTensorType>(input.getType());
  if (!inputType)
    return rewriter.notifyMatchFailure(op, "needs a ranked tensor");
  int64_t rank = inputType.getRank();
  CastTypes types(type, rewriter.getContext());
  ParamOperands params = buildParamOperands(rewriter, loc, type, types, rank);

  SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(rewriter, loc, input);
  Value init = tensor::EmptyOp::create(rewriter, loc, sizes, resultElement);
  AffineMap identity = rewriter.getMultiDimIdentityMap(rank);
  SmallVector<Value> inputs = {input};
  llvm::append_range(inputs, params.values);
  SmallVector<AffineMap> maps = {identity};
  llvm::append_range(maps, params.maps);
  maps.push_back(identity);
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      rewriter, loc, init.getType(), inputs, ValueRange{init}, maps, iterators,
      [&](OpBuilder &b, Location nestedLoc, ValueRange args) {
        ElementParamsValues values =
            getParamValues(b, nestedLoc, params, types, args.drop_front());
        Value result = body(b, nestedLoc, args.front(), values, types);
        linalg::YieldOp::create(b, nestedLoc, result);
      });
  return generic.getResult(0);
}

struct QuantizeOpLowering : OpConversionPattern<QuantizeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(QuantizeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = cast<quant::QuantizedType>(op.getType().getElementType());
    RoundingMode mode = op.getRoundingMode();
    FailureOr<Value> result = buildElementwiseGeneric(
        rewriter, op, adaptor.getInput(), type.getStorageType(), type,
        [&](OpBuilder &b, Location loc, Value x, ElementParamsValues params,
            const CastTypes &types) {
          return buildQuantize(b, loc, x, params, type, types, mode);
        });
    if (failed(result))
      return failure();
    replaceWithCast(rewriter, *getTypeConverter(), op, *result);
    return success();
  }
};

struct DequantizeOpLowering : OpConversionPattern<DequantizeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(DequantizeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type =
        cast<quant::QuantizedType>(op.getInput().getType().getElementType());
    FailureOr<Value> result = buildElementwiseGeneric(
        rewriter, op, adaptor.getInput(), type.getExpressedType(), type,
        [&](OpBuilder &b, Location loc, Value q, ElementParamsValues params,
            const CastTypes &types) {
          return buildDequantize(b, loc, q, params, types);
        });
    if (failed(result))
      return failure();
    replaceWithCast(rewriter, *getTypeConverter(), op, *result);
    return success();
  }
};

struct FakeQuantOpLowering : OpConversionPattern<FakeQuantOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(FakeQuantOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = cast<quant::QuantizedType>(op.getQuantType());
    RoundingMode mode = op.getRoundingMode();
    FailureOr<Value> result = buildElementwiseGeneric(
        rewriter, op, adaptor.getInput(), type.getExpressedType(), type,
        [&](OpBuilder &b, Location loc, Value x, ElementParamsValues params,
            const CastTypes &types) {
          Value q = buildQuantize(b, loc, x, params, type, types, mode);
          return buildDequantize(b, loc, q, params, types);
        });
    if (failed(result))
      return failure();
    replaceWithCast(rewriter, *getTypeConverter(), op, *result);
    return success();
  }
};

/// quant.scast between storage and quantized tensors is a no-op once both
/// sides have the storage type.
struct StorageCastLowering : OpConversionPattern<quant::StorageCastOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(quant::StorageCastOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Type resultType = getTypeConverter()->convertType(op.getType());
    if (!resultType || resultType != adaptor.getInput().getType())
      return rewriter.notifyMatchFailure(op, "not a storage reinterpretation");
    rewriter.replaceOp(op, adaptor.getInput());
    return success();
  }
};

} // namespace

void qnt::replaceWithCast(ConversionPatternRewriter &rewriter,
                          const TypeConverter &converter, Operation *op,
                          Value value) {
  Type resultType = converter.convertType(op->getResult(0).getType());
  if (resultType && resultType != value.getType())
    value = tensor::CastOp::create(rewriter, op->getLoc(), resultType, value);
  rewriter.replaceOp(op, value);
}

void qnt::populateQntToLinalgConversionPatterns(const TypeConverter &converter,
                                                RewritePatternSet &patterns) {
  patterns.add<QuantizeOpLowering, DequantizeOpLowering, FakeQuantOpLowering,
               StorageCastLowering>(converter, patterns.getContext());
}

//===----------------------------------------------------------------------===//
// Pass
//===----------------------------------------------------------------------===//

namespace {

/// True if `type` is, or holds, a quantized element type.
static bool isQuantized(Type type) {
  if (auto shaped = dyn_cast<ShapedType>(type))
    return isa<quant::QuantizedType>(shaped.getElementType());
  return isa<quant::QuantizedType>(type);
}

struct ConvertQntToLinalgPass
    : qnt::impl::ConvertQntToLinalgPassBase<ConvertQntToLinalgPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    // Unranked tensors have no static parameter layout or loop nest.
    WalkResult unranked = module.walk([](Operation *op) {
      bool isQntOp = isa<QntDialect>(op->getDialect());
      for (Type type : llvm::concat<const Type>(op->getOperandTypes(),
                                                op->getResultTypes()))
        if (isa<UnrankedTensorType>(type) && (isQuantized(type) || isQntOp)) {
          op->emitError("convert-qnt-to-linalg: unranked tensor ")
              << type << " is not supported; give the tensor a rank";
          return WalkResult::interrupt();
        }
      return WalkResult::advance();
    });
    if (unranked.wasInterrupted())
      return signalPassFailure();
    // Observers record statistics through the calibration runtime; compiled
    // code has none.
    WalkResult observers = module.walk([](ObserveOp op) {
      op.emitError("convert-qnt-to-linalg: qnt.observe '")
          << op.getId()
          << "' has no lowering outside calibration; fold observers into "
             "quantization parameters or remove them before compiling";
      return WalkResult::interrupt();
    });
    if (observers.wasInterrupted())
      return signalPassFailure();

    MLIRContext *ctx = &getContext();
    QuantStorageTypeConverter converter;
    RewritePatternSet patterns(ctx);
    populateQntToLinalgConversionPatterns(converter, patterns);
    populateComputeToLinalgConversionPatterns(converter, patterns);
    populateFunctionOpInterfaceTypeConversionPattern<func::FuncOp>(patterns,
                                                                   converter);
    populateCallOpTypeConversionPattern(patterns, converter);
    populateReturnOpTypeConversionPattern(patterns, converter);

    ConversionTarget target(*ctx);
    target.addLegalDialect<arith::ArithDialect, linalg::LinalgDialect,
                           math::MathDialect, tensor::TensorDialect>();
    target.addIllegalOp<QuantizeOp, DequantizeOp, FakeQuantOp, MatmulOp,
                        Conv2DOp, AddOp, MulOp, quant::StorageCastOp>();
    target.addDynamicallyLegalOp<func::FuncOp>([&](func::FuncOp op) {
      return converter.isSignatureLegal(op.getFunctionType()) &&
             converter.isLegal(&op.getBody());
    });
    target.addDynamicallyLegalOp<func::ReturnOp, func::CallOp>(
        [&](Operation *op) { return converter.isLegal(op); });
    target.markUnknownOpDynamicallyLegal([](Operation *) { return true; });
    if (failed(applyPartialConversion(module, target, std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
