//===- LinalgToKernels.cpp - fp32 matmul/conv -> kernel library calls -----===//
//
// Implements `convert-linalg-to-kernels`: fp32 linalg.matmul and
// linalg.conv_2d_nchw_fchw with constant weights and a zero init, as the
// ONNX importer emits them, are packed by the kernel library at compile time
// (include/quant/Kernels/FloatLayer.h) and become parallel calls of
// quant_float_layer_run. Bias adds and activations stay separate elementwise
// loops.
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
};

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
      if (succeeded(layer))
        layers.push_back(std::move(*layer));
    });
    if (layers.empty())
      return;
    if (failed(declareKernelEntry(module, kRunFunction)))
      return signalPassFailure();
    SymbolTable symbols(module);
    for (Layer &layer : layers) {
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
          cast<RankedTensorType>(layer.op->getResult(0).getType());
      if (conv) {
        ArrayRef<int64_t> shape = call.resultType.getShape();
        call.resultType =
            RankedTensorType::get({shape[0], shape[2], shape[3], shape[1]},
                                  call.resultType.getElementType());
      }
      call.batch = tensor::DimOp::create(b, loc, layer.input, 0);
      call.rowsPerItem = conv ? layer.spec.outH * layer.spec.outW : 1;
      call.columns = layer.spec.n;
      Value result = emitKernelCall(b, loc, symbols, call);
      if (conv)
        result = transposeToNchw(b, loc, result);
      layer.op->getResult(0).replaceAllUsesWith(result);
      layer.op->erase();
    }
  }
};

} // namespace
