//===- QntToLinalg.cpp - Lower qnt casts to linalg.generic ----------------===//
//
// Implements convert-qnt-to-linalg: each cast becomes one elementwise
// linalg.generic whose body is the exact arithmetic of docs/semantics.md,
// and quantized tensor types become their storage integer tensors.
//
//===----------------------------------------------------------------------===//

#include "quant/Conversion/QntToLinalg/QntToLinalg.h"

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

/// The arithmetic types of one cast: the expressed type, the type divisions
/// and products run in (f64 for f64, f32 otherwise), the type of the
/// zero-point add and clamp (f64 for storage wider than 16 bits, where f32
/// cannot hold every storage value), and the integer type of zero points.
struct CastTypes {
  FloatType expressed, compute, clamp;
  IntegerType storage, wide;
  bool isSigned;

  explicit CastTypes(quant::QuantizedType type, MLIRContext *ctx) {
    expressed = cast<FloatType>(type.getExpressedType());
    FloatType f32 = Float32Type::get(ctx), f64 = Float64Type::get(ctx);
    compute = expressed.isF64() ? f64 : f32;
    unsigned width = type.getStorageTypeIntegralWidth();
    clamp = width > 16 ? f64 : compute;
    storage = IntegerType::get(ctx, width);
    wide = IntegerType::get(ctx, width > 16 ? 64 : 32);
    isSigned = type.isSigned();
  }
};

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
struct ElementParamsValues {
  Value scale, zeroPoint;
};

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

/// q = x is NaN ? zp : clamp(round(x / s) + zp, qmin, qmax), in storage type.
///
///   %d = arith.divf %x, %s : f32
///   %r = math.roundeven %d : f32
///   %a = arith.addf %r, %zp : f32 ; then maximumf/minimumf, select, fptosi
static Value buildQuantize(OpBuilder &b, Location loc, Value x,
                           ElementParamsValues params,
                           quant::QuantizedType type, const CastTypes &types,
                           RoundingMode mode) {
  Value xc = x;
  if (types.expressed != types.compute)
    xc = arith::ExtFOp::create(b, loc, types.compute, x);
  Value quotient = arith::DivFOp::create(b, loc, xc, params.scale);
  Value rounded = mode == RoundingMode::HalfAwayFromZero
                      ? math::RoundOp::create(b, loc, quotient).getResult()
                      : math::RoundEvenOp::create(b, loc, quotient).getResult();
  if (types.clamp != types.compute)
    rounded = arith::ExtFOp::create(b, loc, types.clamp, rounded);
  Value zeroPoint =
      arith::SIToFPOp::create(b, loc, types.clamp, params.zeroPoint);
  Value shifted = arith::AddFOp::create(b, loc, rounded, zeroPoint);
  auto bound = [&](int64_t value) -> Value {
    return arith::ConstantOp::create(
        b, loc, FloatAttr::get(types.clamp, static_cast<double>(value)));
  };
  Value clamped = arith::MaximumFOp::create(b, loc, shifted,
                                            bound(type.getStorageTypeMin()));
  clamped = arith::MinimumFOp::create(b, loc, clamped,
                                      bound(type.getStorageTypeMax()));
  // NaN maps to the zero point; selecting before fptosi keeps it defined.
  Value isNaN =
      arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNO, xc, xc);
  clamped = arith::SelectOp::create(b, loc, isNaN, zeroPoint, clamped);
  Value integer = arith::FPToSIOp::create(b, loc, types.wide, clamped);
  if (types.wide == types.storage)
    return integer;
  return arith::TruncIOp::create(b, loc, types.storage, integer);
}

/// x = E((q - zp) * s): the difference in a wide integer, exact; the product
/// in the compute type, rounded to the expressed type.
static Value buildDequantize(OpBuilder &b, Location loc, Value q,
                             ElementParamsValues params,
                             const CastTypes &types) {
  Value wide = q;
  if (types.storage != types.wide)
    wide = types.isSigned
               ? arith::ExtSIOp::create(b, loc, types.wide, q).getResult()
               : arith::ExtUIOp::create(b, loc, types.wide, q).getResult();
  Value diff = arith::SubIOp::create(b, loc, wide, params.zeroPoint);
  Value value = arith::SIToFPOp::create(b, loc, types.compute, diff);
  Value product = arith::MulFOp::create(b, loc, value, params.scale);
  if (types.expressed == types.compute)
    return product;
  return arith::TruncFOp::create(b, loc, types.expressed, product);
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
    rewriter.replaceOp(op, *result);
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
    rewriter.replaceOp(op, *result);
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
    rewriter.replaceOp(op, *result);
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
    // Unranked quantized tensors have no static parameters layout to lower.
    WalkResult unranked = module.walk([](Operation *op) {
      for (Type type : llvm::concat<const Type>(op->getOperandTypes(),
                                                op->getResultTypes()))
        if (isa<UnrankedTensorType>(type) && isQuantized(type)) {
          op->emitError("convert-qnt-to-linalg: unranked quantized tensor ")
              << type << " is not supported; give the tensor a rank";
          return WalkResult::interrupt();
        }
      return WalkResult::advance();
    });
    if (unranked.wasInterrupted())
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
