//===- QntToKernels.cpp - int8 matmul/conv -> kernel library calls --------===//
//
// Implements `convert-qnt-to-kernels`: layers with constant weights are
// described to the kernel library (include/quant/Kernels/QuantizedLayer.h),
// which packs them into one blob at compile time; the op becomes parallel
// calls of quant_layer_run on blocks of that layer's output. A max pool of a
// convolution's result goes into the same blob.
//
//===----------------------------------------------------------------------===//

#include "quant/Conversion/Passes.h"

#include "../KernelCalls/KernelCalls.h"
#include "quant/Dialect/Qnt/IR/QntComputeUtils.h"
#include "quant/Dialect/Qnt/IR/QntOps.h"
#include "quant/Kernels/QuantizedLayer.h"
#include "quant/Support/QuantMath.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Quant/IR/Quant.h"

namespace mlir::qnt {
#define GEN_PASS_DEF_CONVERTQNTTOKERNELSPASS
#include "quant/Conversion/Passes.h.inc"
} // namespace mlir::qnt

using namespace mlir;
using namespace mlir::qnt;
namespace kn = mlir::qnt::kernels;

namespace {

constexpr llvm::StringLiteral kRunFunction = "quant_layer_run";
/// The int8 kernels' multiply-adds per operation of a generic loop, for
/// qnt-parallel-min-work: a layer goes parallel from 8M multiply-adds
/// (min-work 262144), about 15 us on one core.
constexpr int64_t kMacsPerOperation = 32;

/// The signed storage values of a constant defined as quant.scast of an
/// integer arith.constant, or nullopt.
std::optional<SmallVector<int64_t>> getConstantStorage(Value value) {
  auto scast = value.getDefiningOp<quant::StorageCastOp>();
  if (!scast)
    return std::nullopt;
  auto constant = scast.getInput().getDefiningOp<arith::ConstantOp>();
  if (!constant)
    return std::nullopt;
  auto dense = dyn_cast<DenseIntElementsAttr>(constant.getValue());
  if (!dense)
    return std::nullopt;
  SmallVector<int64_t> values;
  values.reserve(dense.getNumElements());
  for (const APInt &v : dense.getValues<APInt>())
    values.push_back(v.getSExtValue());
  return values;
}

/// The i32 values of a constant bias, or nullopt.
std::optional<SmallVector<int32_t>> getConstantBias(Value bias) {
  DenseIntElementsAttr dense;
  if (!matchPattern(bias, m_Constant(&dense)))
    return std::nullopt;
  SmallVector<int32_t> values;
  for (const APInt &v : dense.getValues<APInt>())
    values.push_back(int32_t(v.getSExtValue()));
  return values;
}

/// Fills the input, weight-type, bias and epilogue parts of `spec` common
/// to matmul and conv; fails when the op is not one the kernels run.
/// `weightAxis` is the output-channel dimension of the weights.
LogicalResult describeCommon(Operation *op, Value input, Value weights,
                             Value bias, int64_t weightAxis,
                             RequantizeMode mode,
                             std::optional<int64_t> clampMin,
                             std::optional<int64_t> clampMax,
                             kn::LayerSpec &spec) {
  auto inputType = dyn_cast<quant::UniformQuantizedType>(
      cast<ShapedType>(input.getType()).getElementType());
  if (!inputType || inputType.getStorageTypeIntegralWidth() != 8)
    return failure();
  auto weightType = dyn_cast<quant::QuantizedType>(
      cast<ShapedType>(weights.getType()).getElementType());
  if (!weightType || !weightType.isSigned() ||
      weightType.getStorageTypeIntegralWidth() > 8)
    return failure();
  if (auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(weightType);
      perAxis && perAxis.getQuantizedDimension() != weightAxis)
    return failure();
  if (!isa<quant::UniformQuantizedType, quant::UniformQuantizedPerAxisType>(
          weightType))
    return failure();
  Type resultElement =
      cast<ShapedType>(op->getResult(0).getType()).getElementType();
  auto resultType = dyn_cast<quant::UniformQuantizedType>(resultElement);
  if (resultType ? resultType.getStorageTypeIntegralWidth() != 8
                 : !resultElement.isInteger(32))
    return failure();

  int64_t n = spec.n;
  spec.inputSigned = inputType.isSigned();
  spec.inputZeroPoint = int32_t(inputType.getZeroPoint());
  SmallVector<int64_t> zeroPoints = getZeroPoints(weightType);
  if (llvm::any_of(zeroPoints, [](int64_t zp) { return zp != 0; })) {
    spec.weightZeroPoints.assign(size_t(n), int32_t(zeroPoints.front()));
    if (zeroPoints.size() > 1)
      spec.weightZeroPoints.assign(zeroPoints.begin(), zeroPoints.end());
  }
  if (bias) {
    auto values = getConstantBias(bias);
    if (!values)
      return failure();
    spec.bias.assign(values->begin(), values->end());
  }
  if (!resultType)
    return success();

  spec.output =
      resultType.isSigned() ? kn::LayerOutput::S8 : kn::LayerOutput::U8;
  spec.outputZeroPoint = int32_t(resultType.getZeroPoint());
  auto [lo, hi] = getClampRange(resultType, clampMin, clampMax);
  spec.clampMin = int32_t(lo);
  spec.clampMax = int32_t(hi);
  SmallVector<double> multipliers =
      getRequantizeMultipliers(inputType, weightType, resultType, mode);
  for (int64_t j = 0; j < n; ++j) {
    double m = multipliers[multipliers.size() == 1 ? 0 : size_t(j)];
    if (mode == RequantizeMode::Float) {
      spec.rescale = kn::LayerRescale::Float;
      spec.floatMultipliers.push_back(float(m)); // exact: m is an f32
      continue;
    }
    spec.rescale = kn::LayerRescale::Integer;
    auto fixed = qmath::getFixedPointMultiplier(m);
    if (!fixed) // The verifier's qnt_c16 rules this out.
      return failure();
    spec.fixedMultipliers.push_back(fixed->multiplier);
    spec.shifts.push_back(fixed->shift);
  }
  return success();
}

FailureOr<kn::LayerSpec> describe(MatmulOp op) {
  auto lhsType = op.getLhs().getType();
  if (lhsType.getRank() != 2)
    return failure();
  auto weights = getConstantStorage(op.getRhs());
  if (!weights)
    return failure();
  kn::LayerSpec spec;
  spec.kind = kn::LayerKind::Matmul;
  spec.k = op.getRhs().getType().getDimSize(0);
  spec.n = op.getRhs().getType().getDimSize(1);
  for (int64_t w : *weights)
    spec.weights.push_back(int8_t(w));
  if (failed(describeCommon(op, op.getLhs(), op.getRhs(), op.getBias(), 1,
                            op.getRequantize(), op.getClampMin(),
                            op.getClampMax(), spec)))
    return failure();
  return spec;
}

FailureOr<kn::LayerSpec> describe(Conv2DOp op) {
  bool nchw = op.getLayout() == ConvLayout::NCHW;
  ArrayRef<int64_t> in = op.getInput().getType().getShape();
  ArrayRef<int64_t> filter = op.getFilter().getType().getShape();
  ArrayRef<int64_t> out = op.getResult().getType().getShape();
  // Dense convolutions, and depthwise ones with one filter per channel.
  const int64_t groups = op.getGroups();
  const bool depthwise = groups > 1 && groups == in[nchw ? 1 : 3] &&
                         groups == filter[nchw ? 0 : 3];
  if (groups != 1 && !depthwise)
    return failure();
  auto weights = getConstantStorage(op.getFilter());
  if (!weights)
    return failure();
  kn::LayerSpec spec;
  // NCHW convolutions run NHWC between transposes, which
  // qnt-propagate-channels-last cancels between layers.
  spec.kind =
      depthwise ? kn::LayerKind::DepthwiseNhwc : kn::LayerKind::Conv2dNhwc;
  spec.channels = in[nchw ? 1 : 3];
  spec.height = in[nchw ? 2 : 1];
  spec.width = in[nchw ? 3 : 2];
  spec.kernelH = filter[nchw ? 2 : 0];
  spec.kernelW = filter[nchw ? 3 : 1];
  spec.n = filter[nchw ? 0 : 3];
  spec.k = (depthwise ? 1 : spec.channels) * spec.kernelH * spec.kernelW;
  spec.strideH = op.getStrides()[0];
  spec.strideW = op.getStrides()[1];
  spec.dilationH = op.getDilations()[0];
  spec.dilationW = op.getDilations()[1];
  spec.padTop = op.getPadding()[0];
  spec.padLeft = op.getPadding()[1];
  spec.outH = out[nchw ? 2 : 1];
  spec.outW = out[nchw ? 3 : 2];
  // K x N with k = (i * KW + j) * C + c: NHWC filters [KH, KW, C, F]
  // already are; NCHW filters [F, C, KH, KW] are reordered. Depthwise
  // filters have one channel each ([F, 1, KH, KW], [KH, KW, 1, F]).
  spec.weights.resize(size_t(spec.k * spec.n));
  int64_t c = depthwise ? 1 : spec.channels, kh = spec.kernelH,
          kw = spec.kernelW;
  for (int64_t i = 0; i < kh; ++i)
    for (int64_t j = 0; j < kw; ++j)
      for (int64_t ch = 0; ch < c; ++ch)
        for (int64_t f = 0; f < spec.n; ++f) {
          int64_t kk = (i * kw + j) * c + ch;
          int64_t from =
              nchw ? ((f * c + ch) * kh + i) * kw + j : kk * spec.n + f;
          spec.weights[size_t(kk * spec.n + f)] =
              int8_t((*weights)[size_t(from)]);
        }
  if (failed(describeCommon(op, op.getInput(), op.getFilter(), op.getBias(),
                            nchw ? 0 : 3, op.getRequantize(), op.getClampMin(),
                            op.getClampMax(), spec)))
    return failure();
  return spec;
}

/// The stride s of `expr` = d[out] * s + d[window] (s = 1: d[out] +
/// d[window]), or nullopt.
std::optional<int64_t> getWindowStride(AffineExpr expr, unsigned out,
                                       unsigned window) {
  auto sum = dyn_cast<AffineBinaryOpExpr>(expr);
  if (!sum || sum.getKind() != AffineExprKind::Add)
    return std::nullopt;
  AffineExpr base = sum.getLHS(), offset = sum.getRHS();
  if (offset != getAffineDimExpr(window, expr.getContext()))
    std::swap(base, offset);
  if (offset != getAffineDimExpr(window, expr.getContext()))
    return std::nullopt;
  if (base == getAffineDimExpr(out, expr.getContext()))
    return 1;
  auto product = dyn_cast<AffineBinaryOpExpr>(base);
  if (!product || product.getKind() != AffineExprKind::Mul ||
      product.getLHS() != getAffineDimExpr(out, expr.getContext()))
    return std::nullopt;
  auto stride = dyn_cast<AffineConstantExpr>(product.getRHS());
  if (!stride || stride.getValue() < 1)
    return std::nullopt;
  return stride.getValue();
}

/// Whether `op` reads only the batch size of its operand.
bool isBatchDim(Operation *op) {
  auto dim = dyn_cast<tensor::DimOp>(op);
  return dim && dim.getConstantIndex() == 0;
}

/// The max pool that reads a convolution's 8-bit result and nothing else
/// does but for its batch size, as the ONNX frontend writes it on storage
/// (QDQ fusion): a
/// linalg.generic over (batch, channel, y, x | window y, window x) of
/// arith.maxui/maxsi into an init filled with a value no greater than the
/// clamp's minimum, windows without padding or dilation. Sets the pool of
/// `spec` and returns the generic, or null.
linalg::GenericOp matchMaxPool(Conv2DOp conv, kn::LayerSpec &spec) {
  Value result = conv.getResult();
  auto quantType = dyn_cast<quant::UniformQuantizedType>(
      conv.getResult().getType().getElementType());
  if (!quantType)
    return nullptr;
  quant::StorageCastOp storage;
  for (Operation *user : result.getUsers()) {
    if (isBatchDim(user))
      continue;
    if (storage || !isa<quant::StorageCastOp>(user))
      return nullptr;
    storage = cast<quant::StorageCastOp>(user);
  }
  if (!storage || !storage.getResult().hasOneUse())
    return nullptr;
  auto pool =
      dyn_cast<linalg::GenericOp>(*storage.getResult().getUsers().begin());
  if (!pool || pool.getNumDpsInputs() != 2 || pool.getNumDpsInits() != 1 ||
      pool.getDpsInputs()[0] != storage.getResult() ||
      pool.getNumLoops() != 6)
    return nullptr;
  for (auto [d, type] : llvm::enumerate(pool.getIteratorTypesArray()))
    if (type != (d < 4 ? utils::IteratorType::parallel
                       : utils::IteratorType::reduction))
      return nullptr;
  // Result dims (n, c, y, x) or (n, y, x, c); window dims 4 and 5.
  const bool nchw = conv.getLayout() == ConvLayout::NCHW;
  const unsigned yDim = nchw ? 2 : 1, xDim = nchw ? 3 : 2;
  SmallVector<AffineMap> maps = pool.getIndexingMapsArray();
  MLIRContext *ctx = pool.getContext();
  if (maps[2] != AffineMap::getMultiDimIdentityMap(6, ctx).getMajorSubMap(4) ||
      maps[1] != AffineMap::get(6, 0,
                                {getAffineDimExpr(4, ctx),
                                 getAffineDimExpr(5, ctx)},
                                ctx) ||
      maps[0].getNumResults() != 4)
    return nullptr;
  std::optional<int64_t> strideH, strideW;
  for (unsigned d = 0; d < 4; ++d) {
    AffineExpr expr = maps[0].getResult(d);
    if (d == yDim)
      strideH = getWindowStride(expr, d, 4);
    else if (d == xDim)
      strideW = getWindowStride(expr, d, 5);
    else if (expr != getAffineDimExpr(d, ctx))
      return nullptr;
  }
  auto windowType = dyn_cast<RankedTensorType>(pool.getDpsInputs()[1].getType());
  auto poolType = dyn_cast<RankedTensorType>(pool.getResult(0).getType());
  // All but the batch static: the kernel call allocates the result with the
  // batch as its only dynamic size.
  if (!strideH || !strideW || !windowType || !windowType.hasStaticShape() ||
      !poolType ||
      llvm::any_of(poolType.getShape().drop_front(), ShapedType::isDynamic) ||
      poolType.getDimSize(nchw ? 1 : 3) != spec.n || *strideH > INT32_MAX ||
      *strideW > INT32_MAX)
    return nullptr;
  const int64_t poolH = windowType.getDimSize(0), poolW = windowType.getDimSize(1);
  if (poolH < 1 || poolW < 1 || poolH > spec.outH || poolW > spec.outW ||
      poolType.getDimSize(yDim) != (spec.outH - poolH) / *strideH + 1 ||
      poolType.getDimSize(xDim) != (spec.outW - poolW) / *strideW + 1)
    return nullptr;

  // The body: yield max(out, in) in the storage's signedness.
  Block &body = pool.getRegion().front();
  if (body.getOperations().size() != 2)
    return nullptr;
  Operation &max = body.front();
  const bool isSigned = quantType.isSigned();
  if (!(isSigned ? isa<arith::MaxSIOp>(max) : isa<arith::MaxUIOp>(max)) ||
      body.getTerminator()->getOperand(0) != max.getResult(0))
    return nullptr;
  Value in = body.getArgument(0), out = body.getArgument(2);
  if (!((max.getOperand(0) == in && max.getOperand(1) == out) ||
        (max.getOperand(0) == out && max.getOperand(1) == in)))
    return nullptr;
  // The init: a fill the clamped results are never below.
  auto fill = pool.getDpsInits()[0].getDefiningOp<linalg::FillOp>();
  APInt init;
  if (!fill || !matchPattern(fill.getInputs()[0], m_ConstantInt(&init)))
    return nullptr;
  const int64_t initValue =
      isSigned ? init.getSExtValue() : int64_t(init.getZExtValue());
  if (initValue > spec.clampMin)
    return nullptr;

  spec.poolH = poolH;
  spec.poolW = poolW;
  spec.poolStrideH = *strideH;
  spec.poolStrideW = *strideW;
  return pool;
}

struct ConvertQntToKernelsPass
    : qnt::impl::ConvertQntToKernelsPassBase<ConvertQntToKernelsPass> {
  using ConvertQntToKernelsPassBase::ConvertQntToKernelsPassBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    std::vector<std::tuple<Operation *, kn::LayerSpec, linalg::GenericOp>>
        layers;
    module.walk([&](Operation *op) {
      FailureOr<kn::LayerSpec> spec = failure();
      linalg::GenericOp pool;
      if (auto matmul = dyn_cast<MatmulOp>(op)) {
        spec = describe(matmul);
      } else if (auto conv = dyn_cast<Conv2DOp>(op)) {
        spec = describe(conv);
        if (succeeded(spec))
          pool = matchMaxPool(conv, *spec);
      }
      if (succeeded(spec))
        layers.emplace_back(op, std::move(*spec), pool);
    });
    if (layers.empty())
      return;
    if (failed(declareKernelEntry(module, kRunFunction)))
      return signalPassFailure();
    SymbolTable symbols(module);
    for (auto &[op, spec, pool] : layers)
      if (failed(lowerLayer(op, spec, pool, symbols)))
        return signalPassFailure();
  }

  /// Replaces `op` (and the max pool of its result, if `pool`) by kernel
  /// calls.
  LogicalResult lowerLayer(Operation *op, const kn::LayerSpec &spec,
                           linalg::GenericOp pool, SymbolTable &symbols) {
    std::string error;
    std::vector<uint8_t> blob = kn::packLayer(spec, error);
    if (blob.empty())
      return op->emitError() << "cannot pack this layer for the int8 "
                                "kernels: "
                             << error;
    Location loc = op->getLoc();
    OpBuilder b(op);
    Value input = op->getOperand(0);
    auto inputType = cast<RankedTensorType>(input.getType());
    auto inputQuant = cast<quant::QuantizedType>(inputType.getElementType());
    Value storageInput = quant::StorageCastOp::create(
        b, loc, inputType.clone(inputQuant.getStorageType()), input);
    // With a pool, the kernels write the pool's result (storage values).
    Value replaced = pool ? pool.getResult(0) : op->getResult(0);
    auto resultType = cast<RankedTensorType>(replaced.getType());
    Type resultElement = resultType.getElementType();
    if (auto quantType = dyn_cast<quant::QuantizedType>(resultElement))
      resultElement = quantType.getStorageType();

    auto conv = dyn_cast<Conv2DOp>(op);
    const bool nchw = conv && conv.getLayout() == ConvLayout::NCHW;
    KernelCall call;
    call.entry = kRunFunction;
    call.blob = &blob;
    call.input = nchw ? transposeToNhwc(b, loc, storageInput) : storageInput;
    call.resultType = resultType.clone(resultElement);
    if (nchw) {
      ArrayRef<int64_t> shape = resultType.getShape();
      call.resultType = RankedTensorType::get(
          {shape[0], shape[2], shape[3], shape[1]}, resultElement);
    }
    call.batch = tensor::DimOp::create(b, loc, storageInput, 0);
    call.rowsPerItem =
        spec.kind == kn::LayerKind::Matmul
            ? 1
            : nchw ? resultType.getDimSize(2) * resultType.getDimSize(3)
                   : resultType.getDimSize(1) * resultType.getDimSize(2);
    call.columns = spec.n;
    call.depth = spec.k;
    call.macsPerOperation = kMacsPerOperation;
    Value result = emitKernelCall(b, loc, symbols, call);
    if (nchw)
      result = transposeToNchw(b, loc, result);
    if (result.getType() != resultType)
      result = quant::StorageCastOp::create(b, loc, resultType, result);
    replaced.replaceAllUsesWith(result);
    if (pool) {
      for (Operation *user : llvm::make_early_inc_range(op->getUsers()))
        if (isBatchDim(user)) {
          user->getResult(0).replaceAllUsesWith(call.batch);
          user->erase();
        }
      Operation *storage = pool.getDpsInputs()[0].getDefiningOp();
      pool.erase();
      storage->erase();
    }
    op->erase();
    return success();
  }
};

} // namespace
