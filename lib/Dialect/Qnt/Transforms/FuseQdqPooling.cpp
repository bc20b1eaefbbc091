//===- FuseQdqPooling.cpp - Pooling between casts in integers -------------===//
//
// The pooling fusions of `qnt-fuse-qdq`: a max pooling or a global average
// pool between a dequantize and a quantize becomes linalg.generics on the
// storage integers, exactly as ONNX Runtime computes them.
//
//===----------------------------------------------------------------------===//

#include "FuseQdqPooling.h"

#include "quant/Dialect/Qnt/IR/QntComputeUtils.h"
#include "quant/Dialect/Qnt/IR/QntFolding.h"
#include "quant/Dialect/Qnt/IR/QuantTypeUtils.h"
#include "quant/Dialect/Qnt/Transforms/GraphMatchers.h"
#include "quant/Support/QuantMath.h"

#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Matchers.h"

#include <limits>

using namespace mlir;
using namespace mlir::qnt;

/// quantize(maxpool(dequantize(x))) with one type on both ends is a max
/// pooling of x's storage integers: dequantization is increasing and
/// quantize(dequantize(q)) == q for exact types, so the maximum commutes with
/// both. The -inf (or 0) init becomes the storage minimum (or the zero
/// point); every window must touch the input (no padding is taken).
///
///   %r = linalg.generic {max over the window} ins(%x_storage, %window)
///        outs(%init_filled : tensor<..xi8>) { arith.maxui / arith.maxsi }
FailureOr<Value> qnt::buildIntegerMaxPool(QuantizeOp root,
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
  return quant::StorageCastOp::create(b, loc, resultType, max.getResult(0))
      .getResult();
}

namespace {

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

} // namespace

/// quantize(global average pool(dequantize(x))) as ONNX Runtime's
/// QLinearGlobalAveragePool computes it: the i32 sum of the storage values
/// minus zp_x * H * W, times M = f32(s_x) / (f32(s_y) * f32(H * W)) in f32,
/// rounded half to even, plus zp_y, saturated. The sum is exact; the float
/// mean rounded at each addition is not, and can land one step away.
///
///   %acc = linalg.generic {sum over H, W} ins(%x_storage) outs(fill 0 : i32)
///   %q = linalg.generic ins(%acc) { roundeven(f32(acc - zp_x*H*W) * M) + zp_y
///   }
FailureOr<Value> qnt::buildIntegerGlobalAveragePool(QuantizeOp root) {
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
  return quant::StorageCastOp::create(b, loc, root.getType(), result)
      .getResult();
}
