//===- ComputeToLinalg.cpp - Lower qnt integer compute to linalg ----------===//
//
// qnt.matmul and qnt.conv2d become a linalg.generic accumulating
// zero-point-adjusted products in i32, followed by an elementwise
// requantization epilogue; qnt.add and qnt.mul become one elementwise
// generic. The arithmetic is the one QntOps.td and docs/semantics.md state.
//
//===----------------------------------------------------------------------===//

#include "quant/Conversion/QntToLinalg/QntToLinalg.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "quant/Dialect/Qnt/IR/QntComputeUtils.h"
#include "quant/Dialect/Qnt/IR/QntOps.h"
#include "quant/Support/QuantMath.h"

using namespace mlir;
using namespace mlir::qnt;

namespace {

/// Integer constant of type `type`.
Value intConst(OpBuilder &b, Location loc, Type type, int64_t value) {
  return arith::ConstantIntOp::create(b, loc, type, value);
}

/// `value` (an integer of at most 32 bits) extended to `type` with the
/// signedness of the quantized type it was stored as.
Value extend(OpBuilder &b, Location loc, Value value, Type type,
             bool isSigned) {
  if (value.getType() == type)
    return value;
  if (isSigned)
    return arith::ExtSIOp::create(b, loc, type, value);
  return arith::ExtUIOp::create(b, loc, type, value);
}

/// Clamps an i64 to [lo, hi] and truncates it to `storage`.
Value clampToStorage(OpBuilder &b, Location loc, Value value, int64_t lo,
                     int64_t hi, Type storage) {
  Type i64 = b.getI64Type();
  value = arith::MaxSIOp::create(b, loc, value, intConst(b, loc, i64, lo));
  value = arith::MinSIOp::create(b, loc, value, intConst(b, loc, i64, hi));
  return arith::TruncIOp::create(b, loc, storage, value);
}

/// TOSA apply_scale_32 on an i64 `value` already inside the int32 range:
/// ((value * m + 2^(shift-1)) >> shift), saturated to the int32 range, i64.
///
///   %p = arith.muli %v, %m : i64
///   %r = arith.addi %p, %round : i64
///   %s = arith.shrsi %r, %shift : i64
Value buildApplyScale32(OpBuilder &b, Location loc, Value value,
                        qmath::FixedPointMultiplier scale) {
  Type i64 = b.getI64Type();
  Value product = arith::MulIOp::create(
      b, loc, value, intConst(b, loc, i64, scale.multiplier));
  Value rounded = arith::AddIOp::create(
      b, loc, product, intConst(b, loc, i64, int64_t(1) << (scale.shift - 1)));
  Value shifted = arith::ShRSIOp::create(b, loc, rounded,
                                         intConst(b, loc, i64, scale.shift));
  shifted = arith::MaxSIOp::create(
      b, loc, shifted,
      intConst(b, loc, i64, std::numeric_limits<int32_t>::min()));
  return arith::MinSIOp::create(
      b, loc, shifted,
      intConst(b, loc, i64, std::numeric_limits<int32_t>::max()));
}

/// Rounds an f32 half to even, adds the zero point and saturates to
/// [lo, hi] of `storage` (the float requantization tail).
Value roundToStorage(OpBuilder &b, Location loc, Value value, int64_t zeroPoint,
                     int64_t lo, int64_t hi, Type storage) {
  Value rounded = math::RoundEvenOp::create(b, loc, value);
  Type f32 = b.getF32Type();
  auto fconst = [&](double v) {
    return arith::ConstantOp::create(b, loc, FloatAttr::get(f32, v));
  };
  // The value comes from integers times finite constants, never NaN: the
  // clamps need not propagate NaN (which costs a compare and a blend per
  // vector on x86).
  const auto nnan = arith::FastMathFlags::nnan;
  if (storage.getIntOrFloatBitWidth() <= 16) {
    // Up to 16-bit results: clamping the rounded value to [lo - zp, hi - zp]
    // (small integers, exact in f32) before adding the zero point gives the
    // bits of the general form below, in 32-bit lanes (twice as many per
    // vector as i64).
    Type i32 = b.getI32Type();
    rounded = arith::MaximumFOp::create(b, loc, rounded,
                                        fconst(double(lo - zeroPoint)), nnan);
    rounded = arith::MinimumFOp::create(b, loc, rounded,
                                        fconst(double(hi - zeroPoint)), nnan);
    Value integer = arith::FPToSIOp::create(b, loc, i32, rounded);
    integer = arith::AddIOp::create(b, loc, integer,
                                    intConst(b, loc, i32, zeroPoint));
    return arith::TruncIOp::create(b, loc, storage, integer);
  }
  // Outside [-2^62, 2^62] the clamp below saturates anyway.
  rounded = arith::MaximumFOp::create(b, loc, rounded, fconst(-0x1p62), nnan);
  rounded = arith::MinimumFOp::create(b, loc, rounded, fconst(0x1p62), nnan);
  Value integer = arith::FPToSIOp::create(b, loc, b.getI64Type(), rounded);
  integer = arith::AddIOp::create(b, loc, integer,
                                  intConst(b, loc, b.getI64Type(), zeroPoint));
  return clampToStorage(b, loc, integer, lo, hi, storage);
}

/// The requantization of one accumulator (i64, bias included) with
/// multiplier `multiplier` (f32 value or Q31 form per `mode`).
Value requantizeOne(OpBuilder &b, Location loc, Value acc, Value multiplier,
                    std::optional<qmath::FixedPointMultiplier> fixed,
                    RequantizeMode mode, int64_t zeroPoint, int64_t lo,
                    int64_t hi, Type storage) {
  Type i64 = b.getI64Type();
  if (mode == RequantizeMode::Float) {
    Value value = arith::SIToFPOp::create(b, loc, b.getF32Type(), acc);
    value = arith::MulFOp::create(b, loc, value, multiplier);
    return roundToStorage(b, loc, value, zeroPoint, lo, hi, storage);
  }
  // Integer mode takes an int32 accumulator: saturate acc + bias first.
  acc = arith::MaxSIOp::create(
      b, loc, acc, intConst(b, loc, i64, std::numeric_limits<int32_t>::min()));
  acc = arith::MinSIOp::create(
      b, loc, acc, intConst(b, loc, i64, std::numeric_limits<int32_t>::max()));
  Value scaled;
  if (fixed) {
    scaled = buildApplyScale32(b, loc, acc, *fixed);
  } else {
    // Per-channel multipliers arrive as operands: multiplier is a pair
    // packed as i64 (m << 8 | shift).
    Value m =
        arith::ShRSIOp::create(b, loc, multiplier, intConst(b, loc, i64, 8));
    Value shift =
        arith::AndIOp::create(b, loc, multiplier, intConst(b, loc, i64, 0xff));
    Value one = intConst(b, loc, i64, 1);
    Value round = arith::ShLIOp::create(
        b, loc, one, arith::SubIOp::create(b, loc, shift, one));
    Value product = arith::MulIOp::create(b, loc, acc, m);
    Value sum = arith::AddIOp::create(b, loc, product, round);
    scaled = arith::ShRSIOp::create(b, loc, sum, shift);
  }
  Value shifted =
      arith::AddIOp::create(b, loc, scaled, intConst(b, loc, i64, zeroPoint));
  return clampToStorage(b, loc, shifted, lo, hi, storage);
}

/// Builds the requantization epilogue over accumulator tensor `acc` (i32):
/// adds `bias` (indexed by `channelDim`), rescales with one multiplier per
/// channel and saturates to the result storage. Returns the storage tensor,
/// or acc + bias (i32) when `result` is null.
///
///   linalg.generic ins(%acc, %bias, %multipliers) outs(%empty : tensor<..xi8>)
Value buildEpilogue(ConversionPatternRewriter &rewriter, Location loc,
                    Value acc, Value bias, int64_t channelDim,
                    ArrayRef<double> multipliers,
                    quant::UniformQuantizedType result, RequantizeMode mode,
                    std::optional<int64_t> clampMin,
                    std::optional<int64_t> clampMax) {
  auto accType = cast<RankedTensorType>(acc.getType());
  int64_t rank = accType.getRank();
  MLIRContext *ctx = rewriter.getContext();
  Type i64 = rewriter.getI64Type();
  AffineMap identity = rewriter.getMultiDimIdentityMap(rank);
  AffineMap channelMap =
      AffineMap::get(rank, 0, getAffineDimExpr(channelDim, ctx));

  SmallVector<Value> inputs = {acc};
  SmallVector<AffineMap> maps = {identity};
  if (bias) {
    inputs.push_back(bias);
    maps.push_back(channelMap);
  }
  // Per-channel multipliers become a constant operand; one multiplier is a
  // constant in the body.
  bool perChannel = result && multipliers.size() > 1;
  std::optional<qmath::FixedPointMultiplier> fixed;
  if (result && !perChannel && mode == RequantizeMode::Integer)
    fixed = qmath::getFixedPointMultiplier(multipliers.front());
  if (perChannel) {
    int64_t count = multipliers.size();
    DenseElementsAttr values;
    if (mode == RequantizeMode::Float) {
      SmallVector<float> f32(multipliers.begin(), multipliers.end());
      values = DenseElementsAttr::get(
          RankedTensorType::get({count}, rewriter.getF32Type()),
          ArrayRef<float>(f32));
    } else {
      SmallVector<int64_t> packed;
      for (double multiplier : multipliers) {
        auto q31 = qmath::getFixedPointMultiplier(multiplier);
        packed.push_back((int64_t(q31->multiplier) << 8) | q31->shift);
      }
      values = DenseElementsAttr::get(RankedTensorType::get({count}, i64),
                                      ArrayRef<int64_t>(packed));
    }
    inputs.push_back(arith::ConstantOp::create(rewriter, loc, values));
    maps.push_back(channelMap);
  }
  Type elementType = result ? result.getStorageType() : rewriter.getI32Type();
  SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(rewriter, loc, acc);
  Value init = tensor::EmptyOp::create(rewriter, loc, sizes, elementType);
  maps.push_back(identity);
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      rewriter, loc, init.getType(), inputs, ValueRange{init}, maps, iterators,
      [&](OpBuilder &b, Location l, ValueRange args) {
        Value value = args[0];
        if (!result) { // i32 result: accumulator plus bias, wrapping as i32
          if (bias)
            value = arith::AddIOp::create(b, l, value, args[1]);
          linalg::YieldOp::create(b, l, value);
          return;
        }
        value = arith::ExtSIOp::create(b, l, i64, value);
        if (bias)
          value = arith::AddIOp::create(
              b, l, value, arith::ExtSIOp::create(b, l, i64, args[1]));
        Value multiplier;
        if (perChannel)
          multiplier = args[bias ? 2 : 1];
        else if (mode == RequantizeMode::Float)
          multiplier = arith::ConstantOp::create(
              b, l,
              FloatAttr::get(b.getF32Type(),
                             static_cast<float>(multipliers.front())));
        auto [lo, hi] = getClampRange(result, clampMin, clampMax);
        linalg::YieldOp::create(b, l,
                                requantizeOne(b, l, value, multiplier, fixed,
                                              mode, result.getZeroPoint(), lo,
                                              hi, result.getStorageType()));
      });
  return generic.getResult(0);
}

/// Constant zero points of a per-axis type as an operand, or null when they
/// are all equal (then `uniformZeroPoint` holds the value).
Value getChannelZeroPoints(OpBuilder &b, Location loc,
                           quant::QuantizedType type,
                           int64_t &uniformZeroPoint) {
  SmallVector<int64_t> zeroPoints = getZeroPoints(type);
  uniformZeroPoint = zeroPoints.front();
  if (llvm::all_equal(zeroPoints))
    return {};
  SmallVector<int32_t> values(zeroPoints.begin(), zeroPoints.end());
  auto tensorType = RankedTensorType::get({static_cast<int64_t>(values.size())},
                                          b.getI32Type());
  return arith::ConstantOp::create(
      b, loc, DenseElementsAttr::get(tensorType, ArrayRef<int32_t>(values)));
}

/// Builds the i32 accumulation generic: out[outMap] += (lhs[lhsMap] -
/// zpLhs) * (rhs[rhsMap] - zpRhs[channel]).
Value buildAccumulation(ConversionPatternRewriter &rewriter, Location loc,
                        Value lhs, quant::QuantizedType lhsType, Value rhs,
                        quant::QuantizedType rhsType, AffineMap lhsMap,
                        AffineMap rhsMap, AffineMap outMap,
                        AffineMap channelMap,
                        ArrayRef<utils::IteratorType> iterators,
                        ArrayRef<OpFoldResult> outSizes) {
  Type i32 = rewriter.getI32Type();
  Value empty = tensor::EmptyOp::create(rewriter, loc, outSizes, i32);
  Value zero = intConst(rewriter, loc, i32, 0);
  Value init = linalg::FillOp::create(rewriter, loc, zero, empty).getResult(0);
  int64_t lhsZeroPoint = getZeroPoints(lhsType).front();
  int64_t rhsZeroPoint = 0;
  Value rhsZeroPoints =
      getChannelZeroPoints(rewriter, loc, rhsType, rhsZeroPoint);
  SmallVector<Value> inputs = {lhs, rhs};
  SmallVector<AffineMap> maps = {lhsMap, rhsMap};
  if (rhsZeroPoints) {
    inputs.push_back(rhsZeroPoints);
    maps.push_back(channelMap);
  }
  maps.push_back(outMap);
  bool lhsSigned = lhsType.isSigned(), rhsSigned = rhsType.isSigned();
  auto generic = linalg::GenericOp::create(
      rewriter, loc, init.getType(), inputs, ValueRange{init}, maps, iterators,
      [&](OpBuilder &b, Location l, ValueRange args) {
        // Zero points are subtracted in i32: (a - zp) can leave 8 bits.
        Value a = extend(b, l, args[0], i32, lhsSigned);
        if (lhsZeroPoint)
          a = arith::SubIOp::create(b, l, a, intConst(b, l, i32, lhsZeroPoint));
        Value w = extend(b, l, args[1], i32, rhsSigned);
        if (rhsZeroPoints)
          w = arith::SubIOp::create(b, l, w, args[2]);
        else if (rhsZeroPoint)
          w = arith::SubIOp::create(b, l, w, intConst(b, l, i32, rhsZeroPoint));
        Value product = arith::MulIOp::create(b, l, a, w);
        Value sum = arith::AddIOp::create(b, l, args.back(), product);
        linalg::YieldOp::create(b, l, sum);
      });
  return generic.getResult(0);
}

struct MatmulOpLowering : OpConversionPattern<MatmulOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(MatmulOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    auto lhsType =
        cast<quant::QuantizedType>(op.getLhs().getType().getElementType());
    auto rhsType =
        cast<quant::QuantizedType>(op.getRhs().getType().getElementType());
    int64_t rank = op.getLhs().getType().getRank();
    bool batched = rank == 3;
    // Loops (b,) m, n, k.
    int64_t loops = rank + 1;
    auto d = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
    int64_t m = batched ? 1 : 0, n = m + 1, k = n + 1;
    SmallVector<AffineExpr> lhsExprs, rhsExprs, outExprs;
    if (batched)
      lhsExprs.push_back(d(0)), rhsExprs.push_back(d(0)),
          outExprs.push_back(d(0));
    lhsExprs.append({d(m), d(k)});
    rhsExprs.append({d(k), d(n)});
    outExprs.append({d(m), d(n)});
    SmallVector<utils::IteratorType> iterators(loops,
                                               utils::IteratorType::parallel);
    iterators.back() = utils::IteratorType::reduction;

    SmallVector<OpFoldResult> outSizes;
    Value lhs = adaptor.getLhs(), rhs = adaptor.getRhs();
    if (batched)
      outSizes.push_back(tensor::getMixedSize(rewriter, loc, lhs, 0));
    outSizes.push_back(tensor::getMixedSize(rewriter, loc, lhs, rank - 2));
    outSizes.push_back(tensor::getMixedSize(rewriter, loc, rhs, rank - 1));
    Value acc =
        buildAccumulation(rewriter, loc, lhs, lhsType, rhs, rhsType,
                          AffineMap::get(loops, 0, lhsExprs, ctx),
                          AffineMap::get(loops, 0, rhsExprs, ctx),
                          AffineMap::get(loops, 0, outExprs, ctx),
                          AffineMap::get(loops, 0, d(n)), iterators, outSizes);

    auto result = dyn_cast<quant::UniformQuantizedType>(
        op.getResult().getType().getElementType());
    SmallVector<double> multipliers =
        result ? getRequantizeMultipliers(lhsType, rhsType, result,
                                          op.getRequantize())
               : SmallVector<double>{};
    Value out = acc;
    if (result || adaptor.getBias())
      out = buildEpilogue(rewriter, loc, acc, adaptor.getBias(), rank - 1,
                          multipliers, result, op.getRequantize(),
                          op.getClampMin(), op.getClampMax());
    replaceWithCast(rewriter, *getTypeConverter(), op, out);
    return success();
  }
};

struct Conv2DOpLowering : OpConversionPattern<Conv2DOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(Conv2DOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    auto inputType =
        cast<quant::QuantizedType>(op.getInput().getType().getElementType());
    auto filterType =
        cast<quant::QuantizedType>(op.getFilter().getType().getElementType());
    bool nchw = op.getLayout() == ConvLayout::NCHW;
    auto filterShape = op.getFilter().getType().getShape();
    int64_t filters = filterShape[nchw ? 0 : 3];
    int64_t groupChannels = filterShape[nchw ? 1 : 2];
    int64_t filtersPerGroup = filters / op.getGroups();
    ArrayRef<int64_t> pad = op.getPadding(), stride = op.getStrides(),
                      dilation = op.getDilations();

    // Padding holds the input zero point, whose contribution is 0.
    Value input = adaptor.getInput();
    if (llvm::any_of(pad, [](int64_t p) { return p != 0; })) {
      SmallVector<OpFoldResult> low(4, rewriter.getIndexAttr(0)),
          high(4, rewriter.getIndexAttr(0));
      int64_t hDim = nchw ? 2 : 1, wDim = nchw ? 3 : 2;
      low[hDim] = rewriter.getIndexAttr(pad[0]);
      low[wDim] = rewriter.getIndexAttr(pad[1]);
      high[hDim] = rewriter.getIndexAttr(pad[2]);
      high[wDim] = rewriter.getIndexAttr(pad[3]);
      Value padValue = intConst(rewriter, loc, inputType.getStorageType(),
                                getZeroPoints(inputType).front());
      input = tensor::PadOp::create(rewriter, loc, Type(), input, low, high,
                                    padValue);
    }

    // Loops: n, f, oh, ow (parallel), c, kh, kw (reduction); NHWC orders
    // the parallel ones n, oh, ow, f.
    auto d = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
    AffineExpr n = d(0), f = nchw ? d(1) : d(3), oh = nchw ? d(2) : d(1),
               ow = nchw ? d(3) : d(2), c = d(4), kh = d(5), kw = d(6);
    AffineExpr channel = f.floorDiv(filtersPerGroup) * groupChannels + c;
    AffineExpr y = oh * stride[0] + kh * dilation[0];
    AffineExpr x = ow * stride[1] + kw * dilation[1];
    SmallVector<AffineExpr> inExprs =
        nchw ? SmallVector<AffineExpr>{n, channel, y, x}
             : SmallVector<AffineExpr>{n, y, x, channel};
    SmallVector<AffineExpr> filterExprs =
        nchw ? SmallVector<AffineExpr>{f, c, kh, kw}
             : SmallVector<AffineExpr>{kh, kw, c, f};
    SmallVector<AffineExpr> outExprs = {d(0), d(1), d(2), d(3)};
    SmallVector<utils::IteratorType> iterators(4,
                                               utils::IteratorType::parallel);
    iterators.append(3, utils::IteratorType::reduction);

    // Output sizes from the (static, verified) input and filter shapes;
    // only the batch may be dynamic.
    auto inputShape = op.getInput().getType().getShape();
    auto outputSize = [&](int64_t size, int64_t kernel, int64_t before,
                          int64_t after, int64_t s, int64_t d) {
      return (size + before + after - d * (kernel - 1) - 1) / s + 1;
    };
    int64_t outH =
        outputSize(inputShape[nchw ? 2 : 1], filterShape[nchw ? 2 : 0], pad[0],
                   pad[2], stride[0], dilation[0]);
    int64_t outW =
        outputSize(inputShape[nchw ? 3 : 2], filterShape[nchw ? 3 : 1], pad[1],
                   pad[3], stride[1], dilation[1]);
    SmallVector<OpFoldResult> outSizes = {
        tensor::getMixedSize(rewriter, loc, adaptor.getInput(), 0)};
    for (int64_t size : nchw ? SmallVector<int64_t>{filters, outH, outW}
                             : SmallVector<int64_t>{outH, outW, filters})
      outSizes.push_back(rewriter.getIndexAttr(size));
    Value acc =
        buildAccumulation(rewriter, loc, input, inputType, adaptor.getFilter(),
                          filterType, AffineMap::get(7, 0, inExprs, ctx),
                          AffineMap::get(7, 0, filterExprs, ctx),
                          AffineMap::get(7, 0, outExprs, ctx),
                          AffineMap::get(7, 0, f), iterators, outSizes);

    auto result = dyn_cast<quant::UniformQuantizedType>(
        op.getResult().getType().getElementType());
    SmallVector<double> multipliers =
        result ? getRequantizeMultipliers(inputType, filterType, result,
                                          op.getRequantize())
               : SmallVector<double>{};
    Value out = acc;
    if (result || adaptor.getBias())
      out = buildEpilogue(rewriter, loc, acc, adaptor.getBias(), nchw ? 1 : 3,
                          multipliers, result, op.getRequantize(),
                          op.getClampMin(), op.getClampMax());
    replaceWithCast(rewriter, *getTypeConverter(), op, out);
    return success();
  }
};

/// qnt.add / qnt.mul: one elementwise generic.
template <typename OpTy, bool IsMul>
struct ElementwiseLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  using OpAdaptor = typename OpTy::Adaptor;

  LogicalResult
  matchAndRewrite(OpTy op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto a = cast<quant::UniformQuantizedType>(
        op.getLhs().getType().getElementType());
    auto bType = cast<quant::UniformQuantizedType>(
        op.getRhs().getType().getElementType());
    auto y = cast<quant::UniformQuantizedType>(
        op.getResult().getType().getElementType());
    RequantizeMode mode = op.getRequantize();
    auto [lo, hi] = getClampRange(y, op.getClampMin(), op.getClampMax());
    Value lhs = adaptor.getLhs();
    int64_t rank = cast<RankedTensorType>(lhs.getType()).getRank();
    SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(rewriter, loc, lhs);
    Value init =
        tensor::EmptyOp::create(rewriter, loc, sizes, y.getStorageType());
    AffineMap identity = rewriter.getMultiDimIdentityMap(rank);
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::parallel);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, init.getType(), ValueRange{lhs, adaptor.getRhs()},
        ValueRange{init}, SmallVector<AffineMap>(3, identity), iterators,
        [&](OpBuilder &b, Location l, ValueRange args) {
          Type i64 = b.getI64Type(), f32 = b.getF32Type();
          auto centered = [&](Value v, quant::UniformQuantizedType t) {
            Value wide = extend(b, l, v, i64, t.isSigned());
            return arith::SubIOp::create(b, l, wide,
                                         intConst(b, l, i64, t.getZeroPoint()))
                .getResult();
          };
          auto fconst = [&](double v) {
            return arith::ConstantOp::create(
                b, l, FloatAttr::get(f32, static_cast<float>(v)));
          };
          if (!IsMul && mode == RequantizeMode::Float) {
            // ONNX Runtime's QLinearAdd (MLAS): the stored values, not
            // centered, in two fmas whose constant folds the zero points.
            qmath::FloatAddParams params = qmath::getFloatAddParams(
                a.getScale(), a.getZeroPoint(), bType.getScale(),
                bType.getZeroPoint(), y.getScale(), y.getZeroPoint());
            // Stored values of up to 16 bits are exact in i32 and f32.
            auto toF32 = [&](Value v, quant::UniformQuantizedType t) {
              Type wide =
                  t.getStorageTypeIntegralWidth() <= 16 ? b.getI32Type() : i64;
              return arith::SIToFPOp::create(
                  b, l, f32, extend(b, l, v, wide, t.isSigned()));
            };
            Value fb = toF32(args[1], bType);
            Value rb = fconst(params.rhsRatio);
            Value offset = fconst(params.offset);
            Value sum = math::FmaOp::create(b, l, fb, rb, offset);
            Value fa = toF32(args[0], a);
            Value ra = fconst(params.lhsRatio);
            sum = math::FmaOp::create(b, l, fa, ra, sum);
            Value out =
                roundToStorage(b, l, sum, 0, lo, hi, y.getStorageType());
            linalg::YieldOp::create(b, l, out);
            return;
          }
          Value ca = centered(args[0], a), cb = centered(args[1], bType);
          Value out;
          if (IsMul && mode == RequantizeMode::Float) {
            // ONNX Runtime's QLinearMul: the zero point is added in f32
            // before the rounding.
            Value product = arith::MulIOp::create(b, l, ca, cb);
            Value value = arith::SIToFPOp::create(b, l, f32, product);
            Value multiplier = fconst(qmath::getFloatRequantizeMultiplier(
                a.getScale(), bType.getScale(), y.getScale()));
            value = arith::MulFOp::create(b, l, value, multiplier);
            Value zeroPoint = fconst(double(y.getZeroPoint()));
            value = arith::AddFOp::create(b, l, value, zeroPoint);
            out = roundToStorage(b, l, value, 0, lo, hi, y.getStorageType());
          } else if (IsMul) {
            Value product = arith::MulIOp::create(b, l, ca, cb);
            Value scaled = buildApplyScale32(
                b, l, product,
                *qmath::getFixedPointMultiplier(
                    a.getScale() * bType.getScale() / y.getScale()));
            scaled = arith::AddIOp::create(
                b, l, scaled, intConst(b, l, i64, y.getZeroPoint()));
            out = clampToStorage(b, l, scaled, lo, hi, y.getStorageType());
          } else {
            // TFLite's reference: both operands to a common scale with a
            // 2^20 gain, add, rescale to the output.
            double twice = 2 * std::max(a.getScale(), bType.getScale());
            Value shift20 = intConst(b, l, i64, 20);
            Value ra = buildApplyScale32(
                b, l, arith::ShLIOp::create(b, l, ca, shift20),
                *qmath::getFixedPointMultiplier(a.getScale() / twice));
            Value rb = buildApplyScale32(
                b, l, arith::ShLIOp::create(b, l, cb, shift20),
                *qmath::getFixedPointMultiplier(bType.getScale() / twice));
            Value sum = arith::AddIOp::create(b, l, ra, rb);
            Value scaled = buildApplyScale32(
                b, l, sum,
                *qmath::getFixedPointMultiplier(
                    twice / (std::ldexp(1.0, 20) * y.getScale())));
            scaled = arith::AddIOp::create(
                b, l, scaled, intConst(b, l, i64, y.getZeroPoint()));
            out = clampToStorage(b, l, scaled, lo, hi, y.getStorageType());
          }
          linalg::YieldOp::create(b, l, out);
        });
    replaceWithCast(rewriter, *this->getTypeConverter(), op,
                    generic.getResult(0));
    return success();
  }
};

} // namespace

void qnt::populateComputeToLinalgConversionPatterns(
    const TypeConverter &converter, RewritePatternSet &patterns) {
  patterns
      .add<MatmulOpLowering, Conv2DOpLowering,
           ElementwiseLowering<AddOp, false>, ElementwiseLowering<MulOp, true>>(
          converter, patterns.getContext());
}
