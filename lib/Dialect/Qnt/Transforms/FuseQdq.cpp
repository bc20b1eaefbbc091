//===- FuseQdq.cpp - dequantize -> float op -> quantize to integer ops ----===//
//
// Implements `qnt-fuse-qdq`: each `qnt.quantize` whose float input is a
// convolution, matmul, addition or multiplication of dequantized values
// (with bias, ReLU or Clip in between) becomes one qnt.conv2d, qnt.matmul,
// qnt.add or qnt.mul on the quantized values, with a requantizing epilogue.
// Matching starts at the quantize and walks the float chain upwards; nothing
// is rewritten until the whole chain matched and the new op verified.
//
//===----------------------------------------------------------------------===//

#include "quant/Dialect/Qnt/IR/QntComputeUtils.h"
#include "quant/Dialect/Qnt/IR/QntFolding.h"
#include "quant/Dialect/Qnt/IR/QntOps.h"
#include "quant/Dialect/Qnt/IR/QuantTypeUtils.h"
#include "quant/Dialect/Qnt/Transforms/GraphMatchers.h"
#include "quant/Dialect/Qnt/Transforms/Passes.h"
#include "quant/Dialect/Qnt/Transforms/Patterns.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Transforms/WalkPatternRewriteDriver.h"

#include "llvm/Support/FormatVariadic.h"

#include <limits>

namespace mlir::qnt {
#define GEN_PASS_DEF_FUSEQDQPASS
#include "quant/Dialect/Qnt/Transforms/Passes.h.inc"
} // namespace mlir::qnt

using namespace mlir;
using namespace mlir::qnt;

namespace {

//===----------------------------------------------------------------------===//
// Quantized values and constants
//===----------------------------------------------------------------------===//

/// Looks through `quant.scast` round trips to the storage type and back,
/// which the ONNX importer emits between QuantizeLinear and DequantizeLinear:
///   %s = quant.scast %q : tensor<4x!q> to tensor<4xi8>
///   %r = quant.scast %s : tensor<4xi8> to tensor<4x!q>     // %r is %q
Value stripStorageCasts(Value value) {
  while (auto outer = value.getDefiningOp<quant::StorageCastOp>()) {
    auto inner = outer.getInput().getDefiningOp<quant::StorageCastOp>();
    if (!inner || inner.getInput().getType() != value.getType())
      break;
    value = inner.getInput();
  }
  return value;
}

/// The quantized tensor that `value` dequantizes, or null.
Value getDequantizedSource(Value value) {
  auto dequantize = value.getDefiningOp<DequantizeOp>();
  return dequantize ? stripStorageCasts(dequantize.getInput()) : Value();
}

/// The per-tensor quantized element type of a tensor value, or null.
quant::UniformQuantizedType getPerTensorType(Value value) {
  auto tensor = dyn_cast<RankedTensorType>(value.getType());
  return tensor ? dyn_cast<quant::UniformQuantizedType>(tensor.getElementType())
                : quant::UniformQuantizedType();
}

/// True if `type` is a per-tensor type with f32 as expressed type (the
/// bias and clamp arithmetic below is f32, as the lowering's epilogue).
bool isF32PerTensor(quant::UniformQuantizedType type) {
  return type && type.getExpressedType().isF32();
}

/// A quantized constant: its storage integers and its tensor type.
struct QuantizedConstant {
  DenseElementsAttr storage;
  RankedTensorType type;
  /// The value that already holds it as `quant.scast` of a storage
  /// constant, if any (reused instead of a new constant).
  Value existing;
  quant::QuantizedType elementType() const {
    return cast<quant::QuantizedType>(type.getElementType());
  }
};

/// `quant.scast` of a storage constant, or `qnt.quantize` of a dense float
/// constant (evaluated as the canonicalizer would), per tensor or per axis.
FailureOr<QuantizedConstant> getQuantizedConstant(Value value) {
  value = stripStorageCasts(value);
  auto type = dyn_cast<RankedTensorType>(value.getType());
  if (!type || !type.hasStaticShape() ||
      !isa<quant::UniformQuantizedType, quant::UniformQuantizedPerAxisType>(
          type.getElementType()))
    return failure();
  auto element = cast<quant::QuantizedType>(type.getElementType());
  QuantizedConstant result{DenseElementsAttr(), type, Value()};
  if (auto quantize = value.getDefiningOp<QuantizeOp>()) {
    DenseElementsAttr values = getDenseConstant(quantize.getInput());
    if (!values)
      return failure();
    result.storage =
        quantizeConstant(values, element, quantize.getRoundingMode());
  } else if (auto cast = value.getDefiningOp<quant::StorageCastOp>()) {
    result.storage = getDenseConstant(cast.getInput());
    result.existing = value;
  }
  if (!result.storage)
    return failure();
  return result;
}

/// The constant dequantized by `value` (a weight), or failure.
FailureOr<QuantizedConstant> getDequantizedConstant(Value value) {
  Value source = getDequantizedSource(value);
  if (!source)
    return failure();
  return getQuantizedConstant(source);
}

/// The quantized constant as a value: the existing cast, or a new storage
/// constant behind `quant.scast`.
Value materialize(OpBuilder &b, Location loc, const QuantizedConstant &c) {
  if (c.existing)
    return c.existing;
  Value storage = arith::ConstantOp::create(b, loc, c.storage);
  return quant::StorageCastOp::create(b, loc, c.type, storage);
}

/// [N, K] storage per tensor or per axis 0 -> [K, N] per axis 1 (exact).
QuantizedConstant transposeMatrix(const QuantizedConstant &c) {
  int64_t n = c.type.getDimSize(0), k = c.type.getDimSize(1);
  SmallVector<APInt> values(c.storage.getValues<APInt>());
  SmallVector<APInt> transposed;
  transposed.reserve(values.size());
  for (int64_t row = 0; row < k; ++row)
    for (int64_t col = 0; col < n; ++col)
      transposed.push_back(values[col * k + row]);
  Type element = c.type.getElementType();
  if (auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(element))
    element = quant::UniformQuantizedPerAxisType::get(
        perAxis.getFlags(), perAxis.getStorageType(),
        perAxis.getExpressedType(), perAxis.getScales(),
        perAxis.getZeroPoints(), /*quantizedDimension=*/1,
        perAxis.getStorageTypeMin(), perAxis.getStorageTypeMax());
  auto storageType =
      RankedTensorType::get({k, n}, c.storage.getType().getElementType());
  return {DenseElementsAttr::get(storageType, transposed),
          RankedTensorType::get({k, n}, element), Value()};
}

//===----------------------------------------------------------------------===//
// Float op shapes
//===----------------------------------------------------------------------===//

/// Checks that the bias operand of `op` broadcasts `channels` values along
/// loop dimension `channelDim`: every non-unit dimension of its type is read
/// with `d<channelDim>`, and there is at most one.
bool isChannelBroadcast(linalg::GenericOp op, Value input, int64_t channelDim,
                        int64_t channels) {
  for (OpOperand *operand : op.getDpsInputOperands()) {
    if (operand->get() == input)
      continue;
    auto type = cast<RankedTensorType>(operand->get().getType());
    AffineMap map = op.getMatchingIndexingMap(operand);
    int nonUnit = 0;
    for (auto [size, expr] : llvm::zip(type.getShape(), map.getResults())) {
      if (size == 1)
        continue;
      auto dim = dyn_cast<AffineDimExpr>(expr);
      if (!dim || dim.getPosition() != channelDim || size != channels)
        return false;
      ++nonUnit;
    }
    return nonUnit <= 1 && type.getNumElements() == channels;
  }
  return false;
}

//===----------------------------------------------------------------------===//
// Activation inputs: direct or through exact float ops
//===----------------------------------------------------------------------===//

/// How a float activation reaches its quantized form.
struct ActivationSource {
  Value quantized;                  // set when `value` is a dequantize of it
  quant::UniformQuantizedType type; // its per-tensor type
  Value value;                      // the float value
};

/// The per-tensor type equivalent to the element type of a quantized
/// activation: its own, or that of a per-axis type whose channels all share
/// one scale and zero point (the ONNX importer makes a per-axis type on
/// axis 1 of a 1-channel input from a 1-element scale tensor). Null if none.
quant::UniformQuantizedType getActivationType(Value quantized) {
  auto tensor = dyn_cast<RankedTensorType>(quantized.getType());
  if (!tensor)
    return {};
  Type element = tensor.getElementType();
  auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(element);
  if (!perAxis)
    return dyn_cast<quant::UniformQuantizedType>(element);
  ArrayRef<double> scales = perAxis.getScales();
  ArrayRef<int64_t> zeroPoints = perAxis.getZeroPoints();
  if (llvm::any_of(scales, [&](double s) { return s != scales.front(); }) ||
      llvm::any_of(zeroPoints,
                   [&](int64_t z) { return z != zeroPoints.front(); }))
    return {};
  return quant::UniformQuantizedType::get(
      perAxis.getFlags(), perAxis.getStorageType(), perAxis.getExpressedType(),
      scales.front(), zeroPoints.front(), perAxis.getStorageTypeMin(),
      perAxis.getStorageTypeMax());
}

/// True if `op` is a ReLU (max with 0): the maximum of two dequantized
/// values is one (0 is the zero point's value), so it commutes exactly.
bool isRelu(linalg::GenericOp op) {
  auto clamp = matchActivation(op);
  return succeeded(clamp) && clamp->lo == 0.0 && std::isinf(clamp->hi);
}

/// Finds the per-tensor quantized form of a float activation: its
/// dequantize's input, or, through ops that commute exactly with
/// quantization, the type of the dequantize it reaches. Such a type must
/// round-trip exactly (isDequantizeExact).
FailureOr<ActivationSource> findActivationSource(Value value) {
  if (Value source = getDequantizedSource(value)) {
    auto type = getActivationType(source);
    if (!isF32PerTensor(type))
      return failure();
    return ActivationSource{source, type, value};
  }
  Value current = value;
  for (int depth = 0; depth < 16; ++depth) {
    Operation *def = current.getDefiningOp();
    if (!def)
      return failure();
    if (Value source = getDequantizedSource(current)) {
      auto type = getActivationType(source);
      if (!isF32PerTensor(type) || !isDequantizeExact(type))
        return failure();
      return ActivationSource{Value(), type, value};
    }
    if (auto pad = dyn_cast<tensor::PadOp>(def)) {
      Value padValue = pad.getConstantPaddingValue();
      if (!padValue || !isFloatConstant(padValue, 0.0))
        return failure();
      current = pad.getSource();
    } else if (auto pool = dyn_cast<linalg::PoolingNchwMaxOp>(def)) {
      current = getExactMaxPoolSource(pool);
      if (!current)
        return failure();
    } else if (auto transpose = dyn_cast<linalg::TransposeOp>(def)) {
      current = transpose.getInput();
    } else if (isa<tensor::ReshapeOp, tosa::ReshapeOp, tensor::CollapseShapeOp,
                   tensor::ExpandShapeOp>(def)) {
      current = def->getOperand(0);
    } else if (auto generic = dyn_cast<linalg::GenericOp>(def);
               generic && isRelu(generic)) {
      current = generic.getDpsInputOperand(0)->get();
    } else if (auto concat = dyn_cast<tensor::ConcatOp>(def)) {
      // Exact when every input reaches the same quantized type.
      quant::UniformQuantizedType common;
      for (Value input : concat.getInputs()) {
        FailureOr<ActivationSource> source = findActivationSource(input);
        if (failed(source) || (common && source->type != common))
          return failure();
        common = source->type;
      }
      if (!common || !isDequantizeExact(common))
        return failure();
      return ActivationSource{Value(), common, value};
    } else {
      return failure();
    }
  }
  return failure();
}

//===----------------------------------------------------------------------===//
// Layer chains
//===----------------------------------------------------------------------===//

/// A matched conv or matmul, ready to build.
struct LinearLayer {
  Operation *anchor; // the linalg op (location and diagnostics)
  ActivationSource input;
  QuantizedConstant weight;
  std::optional<BiasAdd> bias;
  // conv only
  SmallVector<int64_t> strides, dilations, padding;
  int64_t groups = 1;
  bool isConv = false;
};

/// The 4-D tensor behind a reshape into `shape`, or null.
Value getReshapeSource(Value value) {
  Operation *def = value.getDefiningOp();
  if (def && isa<tensor::ReshapeOp, tosa::ReshapeOp, tensor::ExpandShapeOp,
                 tensor::CollapseShapeOp>(def))
    return def->getOperand(0);
  return {};
}

/// Static shape equality with a dynamic batch allowed when both agree.
bool sameShape(Value value, ArrayRef<int64_t> shape) {
  auto type = dyn_cast<RankedTensorType>(value.getType());
  return type && type.getShape() == shape;
}

/// Matches conv([pad 0](x), dequantize(w)) producing `value`, either
/// linalg.conv_2d_nchw_fchw or the importer's grouped form:
///   %x5 = tensor.reshape %x : [N, C, H, W] -> [N, G, C/G, H, W]
///   %w5 = tosa.reshape %w : [F, C/G, KH, KW] -> [G, F/G, C/G, KH, KW]
///   %y5 = linalg.conv_2d_ngchw_gfchw ins(%x5, %w5) outs(zero)
///   %y = tensor.reshape %y5 : [N, G, F/G, OH, OW] -> [N, F, OH, OW]
LogicalResult matchConv(Value value, LinearLayer &layer) {
  Value input, weight;
  DenseIntElementsAttr strides, dilations;
  Operation *conv = value.getDefiningOp();
  if (auto op = dyn_cast_or_null<linalg::Conv2DNchwFchwOp>(conv)) {
    if (!isFilledWith(op.getDpsInitOperand(0)->get(), 0.0))
      return failure();
    input = op.getDpsInputOperand(0)->get();
    weight = op.getDpsInputOperand(1)->get();
    strides = op.getStrides();
    dilations = op.getDilations();
  } else if (Value grouped = getReshapeSource(value)) {
    auto op = grouped.getDefiningOp<linalg::Conv2DNgchwGfchwOp>();
    if (!op || !isFilledWith(op.getDpsInitOperand(0)->get(), 0.0))
      return failure();
    conv = op;
    auto y5 = cast<RankedTensorType>(grouped.getType());
    auto y4 = cast<RankedTensorType>(value.getType());
    input = getReshapeSource(op.getDpsInputOperand(0)->get());
    weight = getReshapeSource(op.getDpsInputOperand(1)->get());
    if (!input || !weight || y5.getRank() != 5 || y4.getRank() != 4)
      return failure();
    auto x5 = cast<RankedTensorType>(op.getDpsInputOperand(0)->get().getType());
    auto w5 = cast<RankedTensorType>(op.getDpsInputOperand(1)->get().getType());
    auto x4 = cast<RankedTensorType>(input.getType());
    auto w4 = cast<RankedTensorType>(weight.getType());
    int64_t g = w5.getDimSize(0);
    // Row-major reshapes that split channels group-major, as qnt.conv2d's
    // g = f / (F / groups) and c = g * C / groups + c'.
    if (!w5.hasStaticShape() || w5.getRank() != 5)
      return failure();
    if (x4.getRank() != 4 || x5.getRank() != 5 || w4.getRank() != 4 ||
        !sameShape(weight,
                   {w5.getDimSize(0) * w5.getDimSize(1), w5.getDimSize(2),
                    w5.getDimSize(3), w5.getDimSize(4)}) ||
        x4.getDimSize(0) != x5.getDimSize(0) ||
        x4.getShape().drop_front() != ArrayRef<int64_t>{g * x5.getDimSize(2),
                                                        x5.getDimSize(3),
                                                        x5.getDimSize(4)} ||
        x5.getDimSize(1) != g || y5.getDimSize(1) != g ||
        y4.getDimSize(0) != y5.getDimSize(0) ||
        y4.getShape().drop_front() != ArrayRef<int64_t>{g * y5.getDimSize(2),
                                                        y5.getDimSize(3),
                                                        y5.getDimSize(4)} ||
        ShapedType::isDynamic(x5.getDimSize(2)) ||
        ShapedType::isDynamic(y5.getDimSize(2)))
      return failure();
    strides = op.getStrides();
    dilations = op.getDilations();
    layer.groups = g;
  } else {
    return failure();
  }
  layer.anchor = conv;
  layer.isConv = true;
  layer.strides.assign(strides.getValues<int64_t>().begin(),
                       strides.getValues<int64_t>().end());
  layer.dilations.assign(dilations.getValues<int64_t>().begin(),
                         dilations.getValues<int64_t>().end());
  layer.padding = {0, 0, 0, 0};
  // A zero pad on H and W becomes the op's padding (the input zero point).
  if (auto pad = matchSpatialZeroPad(input)) {
    layer.padding = {pad->top, pad->left, pad->bottom, pad->right};
    input = pad->source;
  }
  auto source = findActivationSource(input);
  auto filter = getDequantizedConstant(weight);
  if (failed(source) || failed(filter) || filter->type.getRank() != 4)
    return failure();
  layer.input = *source;
  layer.weight = *filter;
  return success();
}

/// Matches a 2-D linalg.matmul of a dequantized activation and a dequantized
/// constant with the default maps (weight [K, N]) or the transposed-B maps
/// (m, k), (n, k), (m, n) of Gemm/Linear (weight [N, K], transposed here).
LogicalResult matchMatmul(Value value, LinearLayer &layer) {
  auto op = value.getDefiningOp<linalg::MatmulOp>();
  if (!op || !isFilledWith(op.getDpsInitOperand(0)->get(), 0.0))
    return failure();
  MLIRContext *ctx = op.getContext();
  AffineExpr m = getAffineDimExpr(0, ctx), n = getAffineDimExpr(1, ctx),
             k = getAffineDimExpr(2, ctx);
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  auto map = [&](ArrayRef<AffineExpr> exprs) {
    return AffineMap::get(3, 0, exprs, ctx);
  };
  if (maps.size() != 3 || maps[0] != map({m, k}) || maps[2] != map({m, n}))
    return failure();
  bool transposed = maps[1] == map({n, k});
  if (!transposed && maps[1] != map({k, n}))
    return failure();
  auto source = findActivationSource(op.getDpsInputOperand(0)->get());
  auto weight = getDequantizedConstant(op.getDpsInputOperand(1)->get());
  if (failed(source) || failed(weight) || weight->type.getRank() != 2)
    return failure();
  // The output channels must be the quantized axis of a per-axis weight.
  if (auto perAxis =
          dyn_cast<quant::UniformQuantizedPerAxisType>(weight->elementType()))
    if (perAxis.getQuantizedDimension() != (transposed ? 0 : 1))
      return failure();
  layer.anchor = op;
  layer.input = *source;
  layer.weight = transposed ? transposeMatrix(*weight) : *weight;
  return success();
}

/// Matches `[bias-add](conv | matmul)` producing `value`.
LogicalResult matchLinearLayer(Value value, LinearLayer &layer) {
  if (auto generic = value.getDefiningOp<linalg::GenericOp>()) {
    auto bias = matchBiasAdd(generic);
    if (failed(bias))
      return failure();
    if (failed(matchConv(bias->input, layer)) &&
        failed(matchMatmul(bias->input, layer)))
      return failure();
    int64_t channelDim = 1;
    int64_t channels = layer.weight.type.getDimSize(layer.isConv ? 0 : 1);
    if (!isChannelBroadcast(generic, bias->input, channelDim, channels))
      return failure();
    layer.bias = *bias;
    return success();
  }
  if (succeeded(matchConv(value, layer)))
    return success();
  return matchMatmul(value, layer);
}

//===----------------------------------------------------------------------===//
// Building the fused ops
//===----------------------------------------------------------------------===//

/// A short name of the layer at `op` for diagnostics: the name of its
/// NameLoc (the ONNX node), then the op name.
std::string describeLayer(Operation *op) {
  Location loc = op->getLoc();
  if (auto fused = dyn_cast<FusedLoc>(loc))
    for (Location inner : fused.getLocations())
      if (isa<NameLoc>(inner))
        loc = inner;
  std::string name = op->getName().getStringRef().str();
  if (auto named = dyn_cast<NameLoc>(loc))
    return "'" + named.getName().str() + "' (" + name + ")";
  return name;
}

/// clamp_min/clamp_max of an activation under the output type: Q(lo) and
/// Q(hi) with the quantize's own rounding; Q saturates, so they lie in the
/// storage range, and an infinite bound leaves its side unset.
void addClampAttrs(OpBuilder &b, QuantizeOp root,
                   const std::optional<Clamp> &clamp,
                   SmallVectorImpl<NamedAttribute> &attrs) {
  if (!clamp)
    return;
  auto type =
      cast<quant::UniformQuantizedType>(root.getType().getElementType());
  qmath::StorageRange range = getStorageRange(type);
  auto q = [&](double x) {
    return qmath::quantizeValue<float>(
        static_cast<float>(x), static_cast<float>(type.getScale()),
        type.getZeroPoint(), range,
        toQuantMathRounding(root.getRoundingMode()));
  };
  if (!std::isinf(clamp->lo))
    attrs.push_back(
        b.getNamedAttr("clamp_min", b.getI64IntegerAttr(q(clamp->lo))));
  if (!std::isinf(clamp->hi))
    attrs.push_back(
        b.getNamedAttr("clamp_max", b.getI64IntegerAttr(q(clamp->hi))));
}

/// The first bias channel that does not fit in i32, for the warning.
struct BiasOverflow {
  int64_t channel;
  float value, scale, quotient;
};

/// The bias scale of channel `f`: f32(s_x) * f32(s_w[f]) rounded to f32.
float getBiasScale(double inputScale, ArrayRef<double> weightScales, size_t f) {
  return static_cast<float>(inputScale) *
         static_cast<float>(weightScales[weightScales.size() == 1 ? 0 : f]);
}

/// The first channel of an i32 bias whose scale or zero point is not the
/// one the accumulator has, for the warning.
struct BiasGridMismatch {
  int64_t channel;
  float scale;
  int64_t zeroPoint;
  float expected;
};

/// An i32 bias dequantized with scale f32(s_x) * f32(s_w[f]) (equal as f32)
/// and zero point 0 per channel, as ONNX Runtime's quantizer emits it: its
/// storage values are already the accumulator's; a per-tensor type must
/// have the one scale every channel needs. Otherwise the first channel that
/// differs.
FailureOr<DenseElementsAttr> getQuantizedBias(const BiasAdd &bias,
                                              double inputScale,
                                              quant::QuantizedType weight,
                                              BiasGridMismatch &mismatch) {
  SmallVector<double> weightScales = getScales(weight);
  SmallVector<double> biasScales = getScales(bias.quantizedType);
  SmallVector<int64_t> biasZeroPoints = getZeroPoints(bias.quantizedType);
  auto perAxis =
      dyn_cast<quant::UniformQuantizedPerAxisType>(bias.quantizedType);
  int64_t channels = bias.values.getNumElements();
  if ((perAxis && perAxis.getQuantizedDimension() != 0) ||
      (biasScales.size() != 1 &&
       static_cast<int64_t>(biasScales.size()) != channels)) {
    mismatch = {0, static_cast<float>(biasScales.front()),
                biasZeroPoints.front(),
                getBiasScale(inputScale, weightScales, 0)};
    return failure();
  }
  for (int64_t f = 0; f < channels; ++f) {
    size_t index = biasScales.size() == 1 ? 0 : size_t(f);
    float expected = getBiasScale(inputScale, weightScales, size_t(f));
    if (static_cast<float>(biasScales[index]) != expected ||
        biasZeroPoints[index] != 0) {
      mismatch = {f, static_cast<float>(biasScales[index]),
                  biasZeroPoints[index], expected};
      return failure();
    }
  }
  return bias.values;
}

/// b_q[f] = round_half_even(b[f] / (f32(s_x) * f32(s_w[f]))), all in f32 as
/// ONNX Runtime's quantizer computes it; or the first value outside i32.
FailureOr<DenseElementsAttr> quantizeBias(const BiasAdd &bias,
                                          double inputScale,
                                          quant::QuantizedType weight,
                                          BiasOverflow &overflow) {
  SmallVector<double> weightScales = getScales(weight);
  SmallVector<int32_t> values;
  for (auto [f, b] : llvm::enumerate(bias.values.getValues<float>())) {
    float scale = getBiasScale(inputScale, weightScales, f);
    float quotient =
        qmath::roundToIntegral<float>(b / scale, qmath::Rounding::HalfToEven);
    // NaN fails both comparisons.
    if (!(quotient >= -0x1p31f && quotient < 0x1p31f)) {
      overflow = {static_cast<int64_t>(f), b, scale, quotient};
      return failure();
    }
    values.push_back(static_cast<int32_t>(quotient));
  }
  auto type = RankedTensorType::get({static_cast<int64_t>(values.size())},
                                    IntegerType::get(weight.getContext(), 32));
  return DenseElementsAttr::get(type, ArrayRef<int32_t>(values));
}

//===----------------------------------------------------------------------===//
// The pass
//===----------------------------------------------------------------------===//

struct FuseQdqPass : qnt::impl::FuseQdqPassBase<FuseQdqPass> {
  using FuseQdqPassBase::FuseQdqPassBase;

  void runOnOperation() override;

private:
  LogicalResult fuse(QuantizeOp root);
  LogicalResult fuseLinear(QuantizeOp root, LinearLayer &layer,
                           const std::optional<Clamp> &clamp);
  LogicalResult fuseElementwise(QuantizeOp root, Value value,
                                const std::optional<Clamp> &clamp);
  LogicalResult fuseMaxPool(QuantizeOp root, linalg::PoolingNchwMaxOp pool);
  LogicalResult fuseGlobalAveragePool(QuantizeOp root);
  Value getQuantized(OpBuilder &b, const ActivationSource &source,
                     SmallVectorImpl<Operation *> &created);
  LogicalResult commit(QuantizeOp root, Operation *fused, Operation *anchor,
                       ArrayRef<Operation *> created);

  /// Ops whose results may have lost their last use, erased at the end.
  SmallVector<Operation *> maybeDead;
  /// The statistics' counts, kept here too: release builds of LLVM make
  /// statistics no-ops, and `report` prints these.
  struct {
    unsigned conv = 0, matmul = 0, add = 0, mul = 0, maxPool = 0,
             averagePool = 0, propagated = 0, biasOverflow = 0, biasGrid = 0,
             invalid = 0;
  } counts;
};

/// The quantized form of an activation; a propagated quantize is created
/// before the root and recorded in `created`.
Value FuseQdqPass::getQuantized(OpBuilder &b, const ActivationSource &source,
                                SmallVectorImpl<Operation *> &created) {
  if (source.quantized) {
    auto tensor = cast<RankedTensorType>(source.quantized.getType());
    if (tensor.getElementType() == source.type)
      return source.quantized;
    // One-scale per-axis type: reinterpret the storage as per tensor.
    Location loc = source.quantized.getLoc();
    auto storage = quant::StorageCastOp::create(
        b, loc, tensor.clone(source.type.getStorageType()), source.quantized);
    auto retyped = quant::StorageCastOp::create(
        b, loc, tensor.clone(source.type), storage);
    created.append({storage, retyped});
    return retyped;
  }
  auto type = cast<RankedTensorType>(source.value.getType()).clone(source.type);
  // Reuse a quantize inserted for another user of the same value.
  Block *block = b.getInsertionBlock();
  for (Operation *user : source.value.getUsers())
    if (auto existing = dyn_cast<QuantizeOp>(user))
      if (existing.getType() == type && existing->getBlock() == block &&
          existing->isBeforeInBlock(&*b.getInsertionPoint()) &&
          !existing.getRoundingAttr())
        return existing;
  auto quantize = QuantizeOp::create(b, source.value.getLoc(), type,
                                     source.value, /*rounding=*/nullptr);
  created.push_back(quantize);
  return quantize;
}

/// Replaces `root` by `fused` if it verifies; otherwise erases what was
/// created and warns at the layer. Verifier messages are captured, not
/// emitted: the IR stays valid and in float.
LogicalResult FuseQdqPass::commit(QuantizeOp root, Operation *fused,
                                  Operation *anchor,
                                  ArrayRef<Operation *> created) {
  std::string message;
  bool valid;
  {
    ScopedDiagnosticHandler capture(&getContext(), [&](Diagnostic &diag) {
      if (message.empty())
        message = diag.str();
      return success();
    });
    valid = succeeded(verify(fused));
  }
  if (!valid) {
    fused->erase();
    for (Operation *op : llvm::reverse(created))
      if (op->use_empty())
        op->erase();
    anchor->emitWarning() << "layer " << describeLayer(anchor)
                          << " stays in float: the fused " << fused->getName()
                          << " would not verify: " << message;
    ++counts.invalid;
    return failure();
  }
  for (Operation *op : created)
    if (isa<QuantizeOp>(op))
      ++counts.propagated;
  maybeDead.push_back(root.getInput().getDefiningOp());
  root.replaceAllUsesWith(fused->getResult(0));
  root.erase();
  return success();
}

LogicalResult FuseQdqPass::fuseLinear(QuantizeOp root, LinearLayer &layer,
                                      const std::optional<Clamp> &clamp) {
  OpBuilder b(root);
  Location loc = layer.anchor->getLoc();
  DenseElementsAttr bias;
  if (layer.bias && layer.bias->quantizedType) {
    BiasGridMismatch mismatch;
    auto values = getQuantizedBias(*layer.bias, layer.input.type.getScale(),
                                   layer.weight.elementType(), mismatch);
    if (failed(values)) {
      layer.anchor->emitWarning()
          << "layer " << describeLayer(layer.anchor)
          << " stays in float: its i32 bias is not on the accumulator's grid "
             "(channel "
          << mismatch.channel << ": scale "
          << llvm::formatv("{0:e9}", double(mismatch.scale)).str()
          << ", zero point " << mismatch.zeroPoint << "; s_x * s_w = "
          << llvm::formatv("{0:e9}", double(mismatch.expected)).str()
          << ", zero point 0)";
      ++counts.biasGrid;
      return failure();
    }
    bias = *values;
  } else if (layer.bias) {
    BiasOverflow overflow;
    auto quantized = quantizeBias(*layer.bias, layer.input.type.getScale(),
                                  layer.weight.elementType(), overflow);
    if (failed(quantized)) {
      layer.anchor->emitWarning()
          << "layer " << describeLayer(layer.anchor)
          << " stays in float: its bias does not fit in i32 (channel "
          << overflow.channel << ": " << overflow.value
          << " / (s_x * s_w = " << overflow.scale << ") = " << overflow.quotient
          << ")";
      ++counts.biasOverflow;
      return failure();
    }
    bias = *quantized;
  }
  SmallVector<Operation *> created;
  SmallVector<Value> operands = {getQuantized(b, layer.input, created)};
  Value weight = materialize(b, loc, layer.weight);
  if (!layer.weight.existing) {
    created.push_back(weight.getDefiningOp()->getOperand(0).getDefiningOp());
    created.push_back(weight.getDefiningOp());
  }
  operands.push_back(weight);
  if (bias) {
    operands.push_back(arith::ConstantOp::create(b, loc, bias));
    created.push_back(operands.back().getDefiningOp());
  }
  SmallVector<NamedAttribute> attrs = {b.getNamedAttr(
      "requantize", RequantizeModeAttr::get(&getContext(), requantize))};
  addClampAttrs(b, root, clamp, attrs);
  Operation *fused;
  if (layer.isConv) {
    attrs.push_back(
        b.getNamedAttr("strides", b.getDenseI64ArrayAttr(layer.strides)));
    attrs.push_back(
        b.getNamedAttr("padding", b.getDenseI64ArrayAttr(layer.padding)));
    attrs.push_back(
        b.getNamedAttr("dilations", b.getDenseI64ArrayAttr(layer.dilations)));
    attrs.push_back(
        b.getNamedAttr("groups", b.getI64IntegerAttr(layer.groups)));
    fused =
        Conv2DOp::create(b, loc, TypeRange{root.getType()}, operands, attrs);
  } else {
    fused =
        MatmulOp::create(b, loc, TypeRange{root.getType()}, operands, attrs);
  }
  if (failed(commit(root, fused, layer.anchor, created)))
    return failure();
  layer.isConv ? ++counts.conv : ++counts.matmul;
  return success();
}

LogicalResult FuseQdqPass::fuseElementwise(QuantizeOp root, Value value,
                                           const std::optional<Clamp> &clamp) {
  auto generic = value.getDefiningOp<linalg::GenericOp>();
  if (!generic || !isElementwise(generic) || generic.getNumDpsInputs() != 2)
    return failure();
  bool isAdd = yieldsBinary<arith::AddFOp>(generic);
  if (!isAdd && !yieldsBinary<arith::MulFOp>(generic))
    return failure();
  SmallVector<ActivationSource> sources;
  for (OpOperand *operand : generic.getDpsInputOperands()) {
    if (!generic.getMatchingIndexingMap(operand).isIdentity() ||
        operand->get().getType() != value.getType())
      return failure();
    auto source = findActivationSource(operand->get());
    if (failed(source))
      return failure();
    sources.push_back(*source);
  }
  OpBuilder b(root);
  SmallVector<Operation *> created;
  SmallVector<Value> operands;
  for (const ActivationSource &source : sources)
    operands.push_back(getQuantized(b, source, created));
  SmallVector<NamedAttribute> attrs = {b.getNamedAttr(
      "requantize", RequantizeModeAttr::get(&getContext(), requantize))};
  addClampAttrs(b, root, clamp, attrs);
  Operation *fused =
      isAdd ? AddOp::create(b, generic.getLoc(), TypeRange{root.getType()},
                            operands, attrs)
                  .getOperation()
            : MulOp::create(b, generic.getLoc(), TypeRange{root.getType()},
                            operands, attrs)
                  .getOperation();
  if (failed(commit(root, fused, generic, created)))
    return failure();
  isAdd ? ++counts.add : ++counts.mul;
  return success();
}

/// quantize(maxpool(dequantize(x))) with one type on both ends is a max
/// pooling of x's storage integers: dequantization is increasing and
/// quantize(dequantize(q)) == q for exact types, so the maximum commutes with
/// both. The -inf (or 0) init becomes the storage minimum (or the zero
/// point); every window must touch the input (no padding is taken).
///
///   %r = linalg.generic {max over the window} ins(%x_storage, %window)
///        outs(%init_filled : tensor<..xi8>) { arith.maxui / arith.maxsi }
LogicalResult FuseQdqPass::fuseMaxPool(QuantizeOp root,
                                       linalg::PoolingNchwMaxOp pool) {
  Value input = pool.getDpsInputOperand(0)->get();
  Value source = getDequantizedSource(input);
  quant::UniformQuantizedType type = getPerTensorType(root.getResult());
  if (!source || getExactMaxPoolSource(pool) != input ||
      getActivationType(source) != type || !isDequantizeExact(type))
    return failure();
  auto window =
      cast<RankedTensorType>(pool.getDpsInputOperand(1)->get().getType());
  auto resultType = cast<RankedTensorType>(root.getType());
  SmallVector<int64_t> strides(pool.getStrides().getValues<int64_t>());
  SmallVector<int64_t> dilations(pool.getDilations().getValues<int64_t>());
  bool zeroInit = isFilledWith(pool.getDpsInitOperand(0)->get(), 0.0);

  OpBuilder b(root);
  Location loc = pool.getLoc();
  MLIRContext *ctx = b.getContext();
  Type storage = type.getStorageType();
  auto sourceType = cast<RankedTensorType>(source.getType());
  Value x =
      quant::StorageCastOp::create(b, loc, sourceType.clone(storage), source);
  SmallVector<OpFoldResult> sizes =
      tensor::getMixedSizes(b, loc, pool->getResult(0));
  Value init = tensor::EmptyOp::create(b, loc, sizes, storage);
  int64_t initValue = zeroInit ? type.getZeroPoint() : type.getStorageTypeMin();
  Value fillValue =
      arith::ConstantOp::create(b, loc, b.getIntegerAttr(storage, initValue));
  init = linalg::FillOp::create(b, loc, fillValue, init).getResult(0);
  Value windowShape =
      tensor::EmptyOp::create(b, loc, window.getShape(), storage);
  auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
  SmallVector<AffineMap> maps = {
      AffineMap::get(6, 0,
                     {d(0), d(1), d(2) * strides[0] + d(4) * dilations[0],
                      d(3) * strides[1] + d(5) * dilations[1]},
                     ctx),
      AffineMap::get(6, 0, {d(4), d(5)}, ctx),
      AffineMap::get(6, 0, {d(0), d(1), d(2), d(3)}, ctx)};
  SmallVector<utils::IteratorType> iterators(4, utils::IteratorType::parallel);
  iterators.append(2, utils::IteratorType::reduction);
  bool isSigned = type.isSigned();
  auto max = linalg::GenericOp::create(
      b, loc, init.getType(), ValueRange{x, windowShape}, ValueRange{init},
      maps, iterators, [&](OpBuilder &nb, Location l, ValueRange args) {
        Value m =
            isSigned
                ? arith::MaxSIOp::create(nb, l, args[2], args[0]).getResult()
                : arith::MaxUIOp::create(nb, l, args[2], args[0]).getResult();
        linalg::YieldOp::create(nb, l, m);
      });
  auto result =
      quant::StorageCastOp::create(b, loc, resultType, max.getResult(0));
  maybeDead.push_back(root.getInput().getDefiningOp());
  root.replaceAllUsesWith(result.getResult());
  root.erase();
  ++counts.maxPool;
  return success();
}

/// The importer's GlobalAveragePool of a dequantized NCHW tensor producing
/// `value`: sum over H and W, an optional reshape back to rank 4, division by
/// H * W.
///
///   %s = linalg.generic {(d0, d1, d2, d3) -> (d0, d1), parallel x2,
///          reduction x2} ins(dequantize(%x)) outs(fill 0.0) { addf }
///   %r = tensor.reshape %s : [N, C] -> [N, C, 1, 1]
///   %y = linalg.generic ins(%r) { divf %in, H * W }
struct AveragePoolChain {
  linalg::GenericOp sum, divide;
  Operation *reshape = nullptr; // tensor.reshape or tensor.expand_shape
  Value source;                 // the dequantized quantized tensor
  int64_t count;
};

FailureOr<AveragePoolChain> matchGlobalAveragePool(Value value) {
  AveragePoolChain chain;
  chain.divide = value.getDefiningOp<linalg::GenericOp>();
  if (!chain.divide || !isElementwise(chain.divide) ||
      chain.divide.getNumDpsInputs() != 1 ||
      !chain.divide.getMatchingIndexingMap(chain.divide.getDpsInputOperand(0))
           .isIdentity())
    return failure();
  Block &divBody = chain.divide.getRegion().front();
  auto div =
      divBody.getTerminator()->getOperand(0).getDefiningOp<arith::DivFOp>();
  FloatAttr divisor;
  if (!div || div.getLhs() != divBody.getArgument(0) ||
      !matchPattern(div.getRhs(), m_Constant(&divisor)))
    return failure();
  Value sum = chain.divide.getDpsInputOperand(0)->get();
  if (Operation *def = sum.getDefiningOp();
      def && isa<tensor::ReshapeOp, tensor::ExpandShapeOp>(def)) {
    chain.reshape = def;
    sum = def->getOperand(0);
  }
  chain.sum = sum.getDefiningOp<linalg::GenericOp>();
  if (!chain.sum || chain.sum.getNumDpsInputs() != 1 ||
      chain.sum.getNumDpsInits() != 1 || chain.sum.getNumLoops() != 4 ||
      !isFilledWith(chain.sum.getDpsInitOperand(0)->get(), 0.0) ||
      !yieldsBinary<arith::AddFOp>(chain.sum))
    return failure();
  MLIRContext *ctx = chain.sum.getContext();
  auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
  SmallVector<utils::IteratorType> iterators =
      chain.sum.getIteratorTypesArray();
  if (!chain.sum.getMatchingIndexingMap(chain.sum.getDpsInputOperand(0))
           .isIdentity() ||
      chain.sum.getMatchingIndexingMap(chain.sum.getDpsInitOperand(0)) !=
          AffineMap::get(4, 0, {d(0), d(1)}, ctx) ||
      iterators[0] != utils::IteratorType::parallel ||
      iterators[1] != utils::IteratorType::parallel ||
      iterators[2] != utils::IteratorType::reduction ||
      iterators[3] != utils::IteratorType::reduction)
    return failure();
  chain.source = getDequantizedSource(chain.sum.getDpsInputOperand(0)->get());
  auto inputType =
      cast<RankedTensorType>(chain.sum.getDpsInputOperand(0)->get().getType());
  if (!chain.source || inputType.isDynamicDim(2) || inputType.isDynamicDim(3))
    return failure();
  chain.count = inputType.getDimSize(2) * inputType.getDimSize(3);
  if (divisor.getValueAsDouble() != static_cast<double>(chain.count))
    return failure();
  return chain;
}

/// quantize(global average pool(dequantize(x))) as ONNX Runtime's
/// QLinearGlobalAveragePool computes it: the i32 sum of the storage values
/// minus zp_x * H * W, times M = f32(s_x) / (f32(s_y) * f32(H * W)) in f32,
/// rounded half to even, plus zp_y, saturated. The sum is exact; the float
/// mean rounded at each addition is not, and can land one step away.
///
///   %acc = linalg.generic {sum over H, W} ins(%x_storage) outs(fill 0 : i32)
///   %q = linalg.generic ins(%acc) { roundeven(f32(acc - zp_x*H*W) * M) + zp_y
///   }
LogicalResult FuseQdqPass::fuseGlobalAveragePool(QuantizeOp root) {
  auto chain = matchGlobalAveragePool(root.getInput());
  if (failed(chain))
    return failure();
  quant::UniformQuantizedType input = getActivationType(chain->source);
  quant::UniformQuantizedType output = getPerTensorType(root.getResult());
  if (!isF32PerTensor(input) || !isF32PerTensor(output) ||
      input.getStorageTypeIntegralWidth() > 16 ||
      output.getStorageTypeIntegralWidth() > 16)
    return failure();
  // The i32 sum must not wrap.
  if (static_cast<double>(chain->count) * getMaxMagnitude(input) >
      static_cast<double>(std::numeric_limits<int32_t>::max()))
    return failure();

  OpBuilder b(root);
  Location loc = chain->sum.getLoc();
  Type i32 = b.getI32Type(), i64 = b.getI64Type(), f32 = b.getF32Type();
  auto sourceType = cast<RankedTensorType>(chain->source.getType());
  Value x = quant::StorageCastOp::create(
      b, loc, sourceType.clone(input.getStorageType()), chain->source);
  Value sumResult = chain->sum->getResult(0);
  SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(b, loc, sumResult);
  Value zero = arith::ConstantOp::create(b, loc, b.getI32IntegerAttr(0));
  Value init = tensor::EmptyOp::create(b, loc, sizes, i32);
  init = linalg::FillOp::create(b, loc, zero, init).getResult(0);
  bool isSigned = input.isSigned();
  auto acc = linalg::GenericOp::create(
      b, loc, init.getType(), ValueRange{x}, ValueRange{init},
      chain->sum.getIndexingMapsArray(), chain->sum.getIteratorTypesArray(),
      [&](OpBuilder &nb, Location l, ValueRange args) {
        Value wide =
            isSigned ? arith::ExtSIOp::create(nb, l, i32, args[0]).getResult()
                     : arith::ExtUIOp::create(nb, l, i32, args[0]).getResult();
        linalg::YieldOp::create(
            nb, l, arith::AddIOp::create(nb, l, args[1], wide).getResult());
      });
  // The requantization, elementwise on the [N, C] sums.
  float multiplier = qmath::getAveragePoolMultiplier(
      input.getScale(), output.getScale(), chain->count);
  int64_t offset = -input.getZeroPoint() * chain->count;
  int64_t zeroPoint = output.getZeroPoint();
  qmath::StorageRange range = getStorageRange(output);
  Type storage = output.getStorageType();
  Value empty = tensor::EmptyOp::create(b, loc, sizes, storage);
  AffineMap identity = b.getMultiDimIdentityMap(2);
  SmallVector<utils::IteratorType> parallel(2, utils::IteratorType::parallel);
  auto requantized = linalg::GenericOp::create(
      b, loc, empty.getType(), ValueRange{acc.getResult(0)}, ValueRange{empty},
      SmallVector<AffineMap>{identity, identity}, parallel,
      [&](OpBuilder &nb, Location l, ValueRange args) {
        auto iconst = [&](int64_t v) {
          return arith::ConstantOp::create(nb, l, nb.getI64IntegerAttr(v));
        };
        auto fconst = [&](float v) {
          return arith::ConstantOp::create(nb, l, nb.getF32FloatAttr(v));
        };
        Value value = arith::ExtSIOp::create(nb, l, i64, args[0]);
        value = arith::AddIOp::create(nb, l, value, iconst(offset));
        Value scaled = arith::SIToFPOp::create(nb, l, f32, value);
        scaled = arith::MulFOp::create(nb, l, scaled, fconst(multiplier));
        scaled = math::RoundEvenOp::create(nb, l, scaled);
        // Saturate in float first (the bounds are integers), then convert.
        scaled = arith::MaximumFOp::create(
            nb, l, scaled, fconst(static_cast<float>(range.min - zeroPoint)));
        scaled = arith::MinimumFOp::create(
            nb, l, scaled, fconst(static_cast<float>(range.max - zeroPoint)));
        Value integer = arith::FPToSIOp::create(nb, l, i64, scaled);
        integer = arith::AddIOp::create(nb, l, integer, iconst(zeroPoint));
        linalg::YieldOp::create(
            nb, l,
            arith::TruncIOp::create(nb, l, storage, integer).getResult());
      });
  Value result = requantized.getResult(0);
  if (chain->reshape) {
    IRMapping mapping;
    mapping.map(chain->reshape->getOperand(0), result);
    Operation *reshape = b.clone(*chain->reshape, mapping);
    reshape->getResult(0).setType(
        cast<RankedTensorType>(reshape->getResult(0).getType()).clone(storage));
    result = reshape->getResult(0);
  }
  result = quant::StorageCastOp::create(b, loc, root.getType(), result);
  maybeDead.push_back(root.getInput().getDefiningOp());
  root.replaceAllUsesWith(result);
  root.erase();
  ++counts.averagePool;
  return success();
}

LogicalResult FuseQdqPass::fuse(QuantizeOp root) {
  if (!isF32PerTensor(getPerTensorType(root.getResult())))
    return failure();
  // Activations (ReLU, Clip) between the layer and the quantize.
  Value value = root.getInput();
  std::optional<Clamp> clamp;
  while (auto generic = value.getDefiningOp<linalg::GenericOp>()) {
    auto activation = matchActivation(generic);
    if (failed(activation))
      break;
    Clamp merged = clamp.value_or(Clamp());
    merged.lo = std::max(merged.lo, activation->lo);
    merged.hi = std::min(merged.hi, activation->hi);
    if (merged.lo > merged.hi)
      return failure();
    clamp = merged;
    value = generic.getDpsInputOperand(0)->get();
  }
  LinearLayer layer;
  if (succeeded(matchLinearLayer(value, layer)))
    return fuseLinear(root, layer, clamp);
  return fuseElementwise(root, value, clamp);
}

void FuseQdqPass::runOnOperation() {
  // QAT graphs: fake_quant -> quantize + dequantize, without folding.
  RewritePatternSet patterns(&getContext());
  populateExpandFakeQuantPatterns(patterns);
  walkAndApplyPatterns(getOperation(), std::move(patterns));

  SmallVector<QuantizeOp> roots;
  getOperation()->walk([&](QuantizeOp op) { roots.push_back(op); });
  for (QuantizeOp root : roots)
    (void)fuse(root);
  // Max poolings, including those whose quantize a fused layer inserted.
  roots.clear();
  getOperation()->walk([&](QuantizeOp op) { roots.push_back(op); });
  for (QuantizeOp root : roots)
    if (auto pool = root.getInput().getDefiningOp<linalg::PoolingNchwMaxOp>())
      (void)fuseMaxPool(root, pool);
    else
      (void)fuseGlobalAveragePool(root);

  // Erase the float chains that lost their users (no canonicalizer: it
  // would fold the remaining QDQ pairs).
  DenseSet<Operation *> erased;
  while (!maybeDead.empty()) {
    Operation *op = maybeDead.pop_back_val();
    if (!op || erased.contains(op) || !isOpTriviallyDead(op))
      continue;
    // Operands, and values from above used in regions (a pad's yield).
    op->walk([&](Operation *nested) {
      for (Value operand : nested->getOperands())
        if (Operation *def = operand.getDefiningOp())
          if (!op->isAncestor(def))
            maybeDead.push_back(def);
    });
    erased.insert(op);
    op->erase();
  }

  numConv = counts.conv;
  numMatmul = counts.matmul;
  numAdd = counts.add;
  numMul = counts.mul;
  numMaxPool = counts.maxPool;
  numAveragePool = counts.averagePool;
  numPropagated = counts.propagated;
  numBiasOverflow = counts.biasOverflow;
  numBiasGrid = counts.biasGrid;
  numInvalid = counts.invalid;
  if (report)
    emitRemark(getOperation()->getLoc())
        << "qnt-fuse-qdq: fused " << counts.conv << " conv, " << counts.matmul
        << " matmul, " << counts.add << " add, " << counts.mul << " mul, "
        << counts.maxPool << " max pooling, " << counts.averagePool
        << " average pooling; inserted " << counts.propagated
        << " quantize after exact ops; left in float: " << counts.biasOverflow
        << " for bias overflow, " << counts.biasGrid
        << " for an i32 bias off the accumulator grid, " << counts.invalid
        << " as invalid";
}

} // namespace
