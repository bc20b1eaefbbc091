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

#include "FuseQdqPooling.h"
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
  void replaceRoot(QuantizeOp root, Value result);
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
    // The name outlives the op; the warning is emitted after the erase.
    OperationName fusedName = fused->getName();
    fused->erase();
    for (Operation *op : llvm::reverse(created))
      if (op->use_empty())
        op->erase();
    anchor->emitWarning() << "layer " << describeLayer(anchor)
                          << " stays in float: the fused " << fusedName
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

/// Replaces `root` by `result` and records its float chain for erasure.
void FuseQdqPass::replaceRoot(QuantizeOp root, Value result) {
  maybeDead.push_back(root.getInput().getDefiningOp());
  root.replaceAllUsesWith(result);
  root.erase();
}

LogicalResult FuseQdqPass::fuseMaxPool(QuantizeOp root,
                                       linalg::PoolingNchwMaxOp pool) {
  FailureOr<Value> result = buildIntegerMaxPool(root, pool);
  if (failed(result))
    return failure();
  replaceRoot(root, *result);
  ++counts.maxPool;
  return success();
}

LogicalResult FuseQdqPass::fuseGlobalAveragePool(QuantizeOp root) {
  FailureOr<Value> result = buildIntegerGlobalAveragePool(root);
  if (failed(result))
    return failure();
  replaceRoot(root, *result);
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
