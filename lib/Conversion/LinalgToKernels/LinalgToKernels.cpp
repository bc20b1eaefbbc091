//===- LinalgToKernels.cpp - fp32 matmul/conv -> kernel library calls -----===//
//
// Implements `convert-linalg-to-kernels`: fp32 linalg.matmul and
// linalg.conv_2d_nchw_fchw with constant weights and a zero init, as the
// ONNX importer emits them, are packed by the kernel library at compile time
// (include/quant/Kernels/FloatLayer.h) and become parallel calls of
// quant_float_layer_run. A bias add of a constant per output channel and a
// ReLU (arith.maximumf with +0.0) that follow one of them alone are done in
// the kernel's epilogue, with the same float operations, and so is a max
// pool of a convolution's result; other activations stay separate
// elementwise loops.
//
//===----------------------------------------------------------------------===//

#include "quant/Conversion/Passes.h"

#include "../KernelCalls/KernelCalls.h"
#include "quant/Dialect/Qnt/Transforms/GraphMatchers.h"
#include "quant/Kernels/FloatLayer.h"

namespace mlir::qnt {
#define GEN_PASS_DEF_CONVERTLINALGTOKERNELSPASS
#include "quant/Conversion/Passes.h.inc"
} // namespace mlir::qnt

using namespace mlir;
using namespace mlir::qnt;
namespace kn = mlir::qnt::kernels;

namespace {

constexpr llvm::StringLiteral kRunFunction = "quant_float_layer_run";
/// The fp32 kernels' multiply-adds per operation of a generic loop, for
/// qnt-parallel-min-work: a quarter of the int8 kernels' (a zmm FMA does
/// 16 multiply-adds, a vpdpbusd 64).
constexpr int64_t kMacsPerOperation = 8;

/// The f32 values of a constant (dense or dense_resource), or empty.
std::vector<float> getFloatConstant(Value value) {
  DenseElementsAttr dense = getDenseConstant(value);
  if (!dense || !dense.getElementType().isF32())
    return {};
  auto values = dense.getValues<float>();
  return std::vector<float>(values.begin(), values.end());
}

bool isF32(Value value) {
  auto type = dyn_cast<RankedTensorType>(value.getType());
  return type && type.getElementType().isF32();
}

/// An f32 matmul or convolution into a zero-filled init: a pure product.
bool isZeroInitF32(linalg::LinalgOp op) {
  return isF32(op->getOperand(0)) && isF32(op->getResult(0)) &&
         isFilledWith(op.getDpsInitOperand(0)->get(), 0.0);
}

struct Layer {
  Operation *op;
  kn::FloatLayerSpec spec;
  Value input; ///< [M, K], or the unpadded NCHW input
  /// The bias and ReLU generics taken into the kernel, in order.
  SmallVector<linalg::GenericOp, 2> epilogue;
  /// The max pool taken in after them, or null.
  linalg::PoolingNchwMaxOp pool;

  /// The last op the kernel call replaces.
  Operation *getLast() {
    if (pool)
      return pool;
    return epilogue.empty() ? op : epilogue.back().getOperation();
  }
};

/// The only user of `value`: an all-parallel generic with `inputs` inputs,
/// `value` first through the identity map, whose body is one op accepted by
/// `isBody`, written to an init it does not read.
linalg::GenericOp
matchElementwise(Value value, int64_t inputs,
                 function_ref<bool(Operation &, Block &)> isBody) {
  if (!value.hasOneUse())
    return {};
  auto generic = dyn_cast<linalg::GenericOp>(*value.getUsers().begin());
  if (!generic || generic.getNumDpsInputs() != inputs ||
      generic.getNumDpsInits() != 1 ||
      generic.getNumParallelLoops() != generic.getNumLoops() ||
      generic.getDpsInputOperand(0)->get() != value ||
      !generic.getMatchingIndexingMap(generic.getDpsInputOperand(0))
           .isIdentity() ||
      !generic.getMatchingIndexingMap(generic.getDpsInitOperand(0))
           .isIdentity() ||
      generic.payloadUsesValueFromOperand(generic.getDpsInitOperand(0)) ||
      generic->getResult(0).getType() != value.getType())
    return {};
  Block &body = generic.getRegion().front();
  auto yield = cast<linalg::YieldOp>(body.getTerminator());
  if (body.getOperations().size() != 2 || yield.getNumOperands() != 1 ||
      yield.getOperand(0).getDefiningOp() != &body.front() ||
      !isBody(body.front(), body))
    return {};
  return generic;
}

/// The per-channel bias a generic adds to `value` ([M, N] or [N, F, H, W]:
/// channels on dimension 1), with its values; null if it is no such add.
linalg::GenericOp matchBias(Value value, int64_t channels,
                            std::vector<float> &bias) {
  auto isAdd = [](Operation &op, Block &body) {
    auto add = dyn_cast<arith::AddFOp>(op);
    return add && add.getFastmath() == arith::FastMathFlags::none &&
           llvm::is_contained(add->getOperands(), body.getArgument(0)) &&
           llvm::is_contained(add->getOperands(), body.getArgument(1));
  };
  linalg::GenericOp generic = matchElementwise(value, 2, isAdd);
  if (!generic)
    return {};
  OpOperand *biasOperand = generic.getDpsInputOperand(1);
  AffineMap map = generic.getMatchingIndexingMap(biasOperand);
  // Every result of the map is the channel loop d1 or the constant 0.
  int64_t channelResults = 0;
  for (AffineExpr e : map.getResults()) {
    if (auto dim = dyn_cast<AffineDimExpr>(e); dim && dim.getPosition() == 1)
      ++channelResults;
    else if (auto c = dyn_cast<AffineConstantExpr>(e); !c || c.getValue())
      return {};
  }
  bias = getFloatConstant(biasOperand->get());
  if (channelResults != 1 || int64_t(bias.size()) != channels)
    return {};
  return generic;
}

/// A generic computing arith.maximumf(value, +0.0), or null.
linalg::GenericOp matchRelu(Value value) {
  auto isRelu = [](Operation &op, Block &body) {
    auto max = dyn_cast<arith::MaximumFOp>(op);
    if (!max || max.getFastmath() != arith::FastMathFlags::none)
      return false;
    Value x = body.getArgument(0);
    Value other = max.getLhs() == x ? max.getRhs() : max.getLhs();
    FloatAttr zero;
    return (max.getLhs() == x || max.getRhs() == x) &&
           matchPattern(other, m_Constant(&zero)) &&
           zero.getValue().isPosZero();
  };
  return matchElementwise(value, 1, isRelu);
}

/// The max pool that alone reads a convolution's result `value`: a
/// linalg.pooling_nchw_max (arith.maximumf on floats) without dilation,
/// into a fill of a constant, whose output has the pooled sizes of the
/// layer's output. Sets the pool of `spec`.
linalg::PoolingNchwMaxOp matchMaxPool(Value value, kn::FloatLayerSpec &spec) {
  if (!value.hasOneUse())
    return {};
  auto pool = dyn_cast<linalg::PoolingNchwMaxOp>(*value.getUsers().begin());
  if (!pool || !pool.hasPureTensorSemantics() ||
      pool.getDpsInputs()[0] != value ||
      llvm::any_of(pool.getDilations().getValues<int64_t>(),
                   [](int64_t d) { return d != 1; }))
    return {};
  SmallVector<int64_t> strides(pool.getStrides().getValues<int64_t>());
  auto window = cast<RankedTensorType>(pool.getDpsInputs()[1].getType());
  auto pooled = cast<RankedTensorType>(pool->getResult(0).getType());
  if (strides.size() != 2 || !window.hasStaticShape() ||
      window.getRank() != 2 || strides[0] < 1 || strides[1] < 1)
    return {};
  const int64_t poolH = window.getDimSize(0), poolW = window.getDimSize(1);
  if (poolH < 1 || poolW < 1 || poolH > spec.outH || poolW > spec.outW ||
      pooled.getDimSize(1) != spec.n ||
      pooled.getDimSize(2) != (spec.outH - poolH) / strides[0] + 1 ||
      pooled.getDimSize(3) != (spec.outW - poolW) / strides[1] + 1)
    return {};
  auto fill = pool.getDpsInits()[0].getDefiningOp<linalg::FillOp>();
  FloatAttr init;
  if (!fill || !matchPattern(fill.getInputs()[0], m_Constant(&init)) ||
      !init.getType().isF32())
    return {};
  spec.poolH = poolH;
  spec.poolW = poolW;
  spec.poolStrideH = strides[0];
  spec.poolStrideW = strides[1];
  spec.poolInit = init.getValue().convertToFloat();
  return pool;
}

/// Takes the bias add and the ReLU that follow the layer's product into its
/// epilogue, as far as they are there, and then a max pool of a
/// convolution's result.
void matchEpilogue(Layer &layer) {
  Value result = layer.op->getResult(0);
  if (linalg::GenericOp bias =
          matchBias(result, layer.spec.n, layer.spec.bias)) {
    layer.epilogue.push_back(bias);
    result = bias->getResult(0);
  } else {
    layer.spec.bias.clear();
  }
  if (linalg::GenericOp relu = matchRelu(result)) {
    layer.epilogue.push_back(relu);
    layer.spec.relu = true;
    result = relu->getResult(0);
  }
  if (layer.spec.kind != kn::LayerKind::Matmul)
    layer.pool = matchMaxPool(result, layer.spec);
}

FailureOr<Layer> describe(linalg::MatmulOp op) {
  Value lhs = op.getDpsInputOperand(0)->get();
  Value rhs = op.getDpsInputOperand(1)->get();
  if (!isZeroInitF32(op))
    return failure();
  MLIRContext *ctx = op.getContext();
  auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  if (maps[0] != AffineMap::get(3, 0, {d(0), d(2)}, ctx))
    return failure();
  bool transposed = maps[1] == AffineMap::get(3, 0, {d(1), d(2)}, ctx);
  if (!transposed && maps[1] != AffineMap::get(3, 0, {d(2), d(1)}, ctx))
    return failure();
  std::vector<float> w = getFloatConstant(rhs);
  if (w.empty())
    return failure();
  auto rhsShape = cast<RankedTensorType>(rhs.getType()).getShape();
  Layer layer{op, {}, lhs};
  kn::FloatLayerSpec &spec = layer.spec;
  spec.kind = kn::LayerKind::Matmul;
  spec.k = rhsShape[transposed ? 1 : 0];
  spec.n = rhsShape[transposed ? 0 : 1];
  if (!transposed) {
    spec.weights = std::move(w);
  } else {
    spec.weights.resize(w.size());
    for (int64_t q = 0; q < spec.k; ++q)
      for (int64_t j = 0; j < spec.n; ++j)
        spec.weights[size_t(q * spec.n + j)] = w[size_t(j * spec.k + q)];
  }
  return layer;
}

FailureOr<Layer> describe(linalg::Conv2DNchwFchwOp op) {
  Value input = op.getDpsInputOperand(0)->get();
  Value filter = op.getDpsInputOperand(1)->get();
  if (!isZeroInitF32(op))
    return failure();
  std::vector<float> w = getFloatConstant(filter);
  if (w.empty())
    return failure();
  Layer layer{op, {}, input};
  kn::FloatLayerSpec &spec = layer.spec;
  // A zero pad on H and W becomes the layer's padding.
  if (auto pad = matchSpatialZeroPad(input)) {
    spec.padTop = pad->top;
    spec.padLeft = pad->left;
    layer.input = pad->source;
  }
  auto inShape = cast<RankedTensorType>(layer.input.getType()).getShape();
  auto fShape = cast<RankedTensorType>(filter.getType()).getShape();
  auto outShape = cast<RankedTensorType>(op->getResult(0).getType()).getShape();
  if (llvm::any_of(inShape.drop_front(), ShapedType::isDynamic))
    return failure();
  spec.kind = kn::LayerKind::Conv2dNhwc;
  spec.channels = inShape[1];
  spec.height = inShape[2];
  spec.width = inShape[3];
  spec.n = fShape[0];
  spec.kernelH = fShape[2];
  spec.kernelW = fShape[3];
  spec.k = spec.channels * spec.kernelH * spec.kernelW;
  SmallVector<int64_t> strides(op.getStrides().getValues<int64_t>());
  SmallVector<int64_t> dilations(op.getDilations().getValues<int64_t>());
  spec.strideH = strides[0];
  spec.strideW = strides[1];
  spec.dilationH = dilations[0];
  spec.dilationW = dilations[1];
  spec.outH = outShape[2];
  spec.outW = outShape[3];
  // [F, C, KH, KW] to K x N with k = (i * KW + j) * C + c.
  spec.weights.resize(w.size());
  for (int64_t f = 0; f < spec.n; ++f)
    for (int64_t c = 0; c < spec.channels; ++c)
      for (int64_t i = 0; i < spec.kernelH; ++i)
        for (int64_t j = 0; j < spec.kernelW; ++j)
          spec.weights[size_t(
              ((i * spec.kernelW + j) * spec.channels + c) * spec.n + f)] =
              w[size_t(((f * spec.channels + c) * spec.kernelH + i) *
                           spec.kernelW +
                       j)];
  return layer;
}

struct ConvertLinalgToKernelsPass
    : qnt::impl::ConvertLinalgToKernelsPassBase<ConvertLinalgToKernelsPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    std::vector<Layer> layers;
    module.walk([&](Operation *op) {
      FailureOr<Layer> layer = failure();
      if (auto matmul = dyn_cast<linalg::MatmulOp>(op))
        layer = describe(matmul);
      else if (auto conv = dyn_cast<linalg::Conv2DNchwFchwOp>(op))
        layer = describe(conv);
      if (succeeded(layer)) {
        matchEpilogue(*layer);
        layers.push_back(std::move(*layer));
      }
    });
    if (layers.empty())
      return;
    if (failed(declareKernelEntry(module, kRunFunction)))
      return signalPassFailure();
    SymbolTable symbols(module);
    for (auto [index, layer] : llvm::enumerate(layers)) {
      std::string error;
      std::vector<uint8_t> blob = kn::packFloatLayer(layer.spec, error);
      if (blob.empty()) {
        layer.op->emitError()
            << "cannot pack this layer for the fp32 kernels: " << error;
        return signalPassFailure();
      }
      OpBuilder b(layer.op);
      Location loc = layer.op->getLoc();
      bool conv = layer.spec.kind != kn::LayerKind::Matmul;
      KernelCall call;
      call.entry = kRunFunction;
      call.blob = &blob;
      // Convolutions run NHWC between transposes, which
      // qnt-propagate-channels-last cancels between layers.
      call.input = conv ? transposeToNhwc(b, loc, layer.input) : layer.input;
      call.resultType =
          cast<RankedTensorType>(layer.getLast()->getResult(0).getType());
      if (conv) {
        ArrayRef<int64_t> shape = call.resultType.getShape();
        call.resultType =
            RankedTensorType::get({shape[0], shape[2], shape[3], shape[1]},
                                  call.resultType.getElementType());
      }
      call.batch = tensor::DimOp::create(b, loc, layer.input, 0);
      call.rowsPerItem =
          conv ? call.resultType.getDimSize(1) * call.resultType.getDimSize(2)
               : 1;
      call.columns = layer.spec.n;
      call.depth = layer.spec.k;
      call.macsPerOperation = kMacsPerOperation;
      Value result = emitKernelCall(b, loc, symbols, call);
      if (conv)
        result = transposeToNchw(b, loc, result);
      Value replaced = layer.getLast()->getResult(0);
      replaced.replaceAllUsesWith(result);
      // A later layer may read this one's result (the erased ops' values).
      for (Layer &later : llvm::drop_begin(layers, index + 1))
        if (later.input == replaced)
          later.input = result;
      if (layer.pool)
        layer.pool->erase();
      for (linalg::GenericOp generic : llvm::reverse(layer.epilogue))
        generic->erase();
      layer.op->erase();
    }
  }
};

} // namespace
