//===- QntToKernels.cpp - int8 matmul/conv -> kernel library calls --------===//
//
// Implements `convert-qnt-to-kernels`: layers with constant weights are
// described to the kernel library (include/quant/Kernels/QuantizedLayer.h),
// which packs them into one blob at compile time; the op becomes parallel
// calls of quant_layer_run on blocks of that layer's output.
//
//===----------------------------------------------------------------------===//

#include "quant/Conversion/Passes.h"
#include "quant/Dialect/Qnt/IR/QntComputeUtils.h"
#include "quant/Dialect/Qnt/IR/QntOps.h"
#include "quant/Kernels/QuantizedLayer.h"
#include "quant/Support/QuantMath.h"

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

/// Output rows per parallel task: a multiple of the kernels' row blocks.
constexpr int64_t kTaskRows = 96;
/// Output columns per parallel task when a layer is wider than this.
constexpr int64_t kTaskColumns = 256;

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
      getRequantizeMultipliers(inputType, weightType, resultType);
  for (int64_t j = 0; j < n; ++j) {
    double m = multipliers[multipliers.size() == 1 ? 0 : size_t(j)];
    if (mode == RequantizeMode::Float) {
      spec.rescale = kn::LayerRescale::Float;
      spec.floatMultipliers.push_back(float(m));
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
  if (op.getGroups() != 1)
    return failure();
  auto weights = getConstantStorage(op.getFilter());
  if (!weights)
    return failure();
  bool nchw = op.getLayout() == ConvLayout::NCHW;
  ArrayRef<int64_t> in = op.getInput().getType().getShape();
  ArrayRef<int64_t> filter = op.getFilter().getType().getShape();
  ArrayRef<int64_t> out = op.getResult().getType().getShape();
  kn::LayerSpec spec;
  spec.kind =
      nchw ? kn::LayerKind::Conv2dNhwcToNchw : kn::LayerKind::Conv2dNhwc;
  spec.channels = in[nchw ? 1 : 3];
  spec.height = in[nchw ? 2 : 1];
  spec.width = in[nchw ? 3 : 2];
  spec.kernelH = filter[nchw ? 2 : 0];
  spec.kernelW = filter[nchw ? 3 : 1];
  spec.n = filter[nchw ? 0 : 3];
  spec.k = spec.channels * spec.kernelH * spec.kernelW;
  spec.strideH = op.getStrides()[0];
  spec.strideW = op.getStrides()[1];
  spec.dilationH = op.getDilations()[0];
  spec.dilationW = op.getDilations()[1];
  spec.padTop = op.getPadding()[0];
  spec.padLeft = op.getPadding()[1];
  spec.outH = out[nchw ? 2 : 1];
  spec.outW = out[nchw ? 3 : 2];
  // K x N with k = (i * KW + j) * C + c: NHWC filters [KH, KW, C, F]
  // already are; NCHW filters [F, C, KH, KW] are reordered.
  spec.weights.resize(size_t(spec.k * spec.n));
  int64_t c = spec.channels, kh = spec.kernelH, kw = spec.kernelW;
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

/// A value as an i64 for the call.
Value toI64(OpBuilder &b, Location loc, Value index) {
  return arith::IndexCastOp::create(b, loc, b.getI64Type(), index);
}

/// The address of element 0 of the buffer `memref` (offset included), as
/// a pointer for the call.
Value getElementPointer(OpBuilder &b, Location loc, Value memref,
                        SmallVectorImpl<Value> *strides = nullptr) {
  auto metadata = memref::ExtractStridedMetadataOp::create(b, loc, memref);
  Value base = memref::ExtractAlignedPointerAsIndexOp::create(
      b, loc, metadata.getBaseBuffer());
  int64_t bytes =
      cast<MemRefType>(memref.getType()).getElementTypeBitWidth() / 8;
  Value offset =
      arith::MulIOp::create(b, loc, metadata.getOffset(),
                            arith::ConstantIndexOp::create(b, loc, bytes));
  Value address = toI64(b, loc, arith::AddIOp::create(b, loc, base, offset));
  if (strides)
    for (Value stride : metadata.getStrides())
      strides->push_back(toI64(b, loc, stride));
  return LLVM::IntToPtrOp::create(
      b, loc, LLVM::LLVMPointerType::get(b.getContext()), address);
}

struct ConvertQntToKernelsPass
    : qnt::impl::ConvertQntToKernelsPassBase<ConvertQntToKernelsPass> {
  using ConvertQntToKernelsPassBase::ConvertQntToKernelsPassBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    std::vector<std::pair<Operation *, kn::LayerSpec>> layers;
    module.walk([&](Operation *op) {
      FailureOr<kn::LayerSpec> spec = failure();
      if (auto matmul = dyn_cast<MatmulOp>(op))
        spec = describe(matmul);
      else if (auto conv = dyn_cast<Conv2DOp>(op))
        spec = describe(conv);
      if (succeeded(spec))
        layers.emplace_back(op, std::move(*spec));
    });
    if (layers.empty())
      return;
    if (failed(declareRunFunction(module)))
      return signalPassFailure();
    SymbolTable symbols(module);
    for (auto &[op, spec] : layers)
      if (failed(lowerLayer(op, spec, symbols)))
        return signalPassFailure();
  }

  LogicalResult declareRunFunction(ModuleOp module) {
    MLIRContext *ctx = &getContext();
    Type ptr = LLVM::LLVMPointerType::get(ctx), i64 = IntegerType::get(ctx, 64);
    auto type = FunctionType::get(
        ctx, {ptr, ptr, i64, i64, i64, i64, i64, i64, i64, i64, i64, ptr}, {});
    if (Operation *existing = module.lookupSymbol(kRunFunction)) {
      auto func = dyn_cast<func::FuncOp>(existing);
      if (!func || func.getFunctionType() != type || !func.isDeclaration())
        return existing->emitError()
               << "@" << kRunFunction << " is reserved for the kernel library";
      return success();
    }
    OpBuilder builder = OpBuilder::atBlockBegin(module.getBody());
    func::FuncOp::create(builder, module.getLoc(), kRunFunction, type)
        .setPrivate();
    return success();
  }

  LogicalResult lowerLayer(Operation *op, const kn::LayerSpec &spec,
                           SymbolTable &symbols) {
    std::string error;
    std::vector<uint8_t> blob = kn::packLayer(spec, error);
    if (blob.empty())
      return op->emitError() << "cannot pack this layer for the int8 "
                                "kernels: "
                             << error;
    MLIRContext *ctx = &getContext();
    Location loc = op->getLoc();

    // The blob, as a private aligned constant.
    OpBuilder moduleBuilder = OpBuilder::atBlockEnd(getOperation().getBody());
    auto blobType =
        MemRefType::get({int64_t(blob.size())}, IntegerType::get(ctx, 8));
    auto global = memref::GlobalOp::create(
        moduleBuilder, loc, "__quant_layer",
        moduleBuilder.getStringAttr("private"), blobType,
        DenseElementsAttr::getFromRawBuffer(
            RankedTensorType::get(blobType.getShape(),
                                  blobType.getElementType()),
            ArrayRef<char>(reinterpret_cast<const char *>(blob.data()),
                           blob.size())),
        /*constant=*/true, moduleBuilder.getI64IntegerAttr(64));
    symbols.insert(global); // Renames it uniquely.

    OpBuilder b(op);
    Value input = op->getOperand(0);
    auto inputType = cast<RankedTensorType>(input.getType());
    auto inputQuant = cast<quant::QuantizedType>(inputType.getElementType());
    auto storageInput = quant::StorageCastOp::create(
        b, loc, inputType.clone(inputQuant.getStorageType()), input);
    int64_t rank = inputType.getRank();
    Value kernelInput = storageInput;
    auto kernelInputType = cast<RankedTensorType>(storageInput.getType());
    if (spec.kind == kn::LayerKind::Conv2dNhwcToNchw) {
      // NCHW -> NHWC, once for the whole layer.
      SmallVector<int64_t> permutation = {0, 2, 3, 1};
      SmallVector<OpFoldResult> sizes;
      for (int64_t d : permutation)
        sizes.push_back(tensor::getMixedSize(b, loc, storageInput, d));
      Value empty = tensor::EmptyOp::create(b, loc, sizes,
                                            kernelInputType.getElementType());
      kernelInput =
          linalg::TransposeOp::create(b, loc, storageInput, empty, permutation)
              ->getResult(0);
      kernelInputType = cast<RankedTensorType>(kernelInput.getType());
    }
    auto stridedLayout = StridedLayoutAttr::get(
        ctx, ShapedType::kDynamic,
        SmallVector<int64_t>(rank, ShapedType::kDynamic));
    auto inputBuffer = bufferization::ToBufferOp::create(
        b, loc,
        MemRefType::get(kernelInputType.getShape(), inputQuant.getStorageType(),
                        stridedLayout),
        kernelInput, /*read_only=*/true);

    auto resultType = cast<RankedTensorType>(op->getResult(0).getType());
    Type resultElement = resultType.getElementType();
    if (auto quantType = dyn_cast<quant::QuantizedType>(resultElement))
      resultElement = quantType.getStorageType();
    Value batch = tensor::DimOp::create(b, loc, storageInput, 0);
    SmallVector<Value> dynamicSizes;
    if (resultType.isDynamicDim(0))
      dynamicSizes.push_back(batch);
    auto outputType = MemRefType::get(resultType.getShape(), resultElement);
    Value output = memref::AllocOp::create(b, loc, outputType, dynamicSizes,
                                           b.getI64IntegerAttr(64));

    SmallVector<Value> strides;
    Value blobPtr = getElementPointer(
        b, loc,
        memref::GetGlobalOp::create(b, loc, blobType, global.getSymName()));
    Value inputPtr = getElementPointer(b, loc, inputBuffer, &strides);
    while (strides.size() < 4)
      strides.push_back(arith::ConstantIntOp::create(b, loc, 0, 64));
    Value outputPtr = getElementPointer(b, loc, output);

    // Rows = batch (matmul) or batch * OH * OW (conv).
    Value rows = batch;
    if (spec.kind != kn::LayerKind::Matmul)
      rows = arith::MulIOp::create(
          b, loc, batch,
          arith::ConstantIndexOp::create(b, loc, spec.outH * spec.outW));
    int64_t columnStep = spec.n <= 2 * kTaskColumns ? spec.n : kTaskColumns;
    Value zero = arith::ConstantIndexOp::create(b, loc, 0);
    Value rowStep = arith::ConstantIndexOp::create(b, loc, kTaskRows);
    Value colStep = arith::ConstantIndexOp::create(b, loc, columnStep);
    Value columns = arith::ConstantIndexOp::create(b, loc, spec.n);
    Value batch64 = toI64(b, loc, batch);
    scf::ParallelOp::create(
        b, loc, ValueRange{zero, zero}, ValueRange{rows, columns},
        ValueRange{rowStep, colStep},
        [&](OpBuilder &nb, Location l, ValueRange ivs) {
          // quant_layer_run clips the ends to the layer.
          Value rowEnd = arith::AddIOp::create(nb, l, ivs[0], rowStep);
          Value colEnd = arith::AddIOp::create(nb, l, ivs[1], colStep);
          func::CallOp::create(
              nb, l, kRunFunction, TypeRange{},
              ValueRange{blobPtr, inputPtr, strides[0], strides[1], strides[2],
                         strides[3], batch64, toI64(nb, l, ivs[0]),
                         toI64(nb, l, rowEnd), toI64(nb, l, ivs[1]),
                         toI64(nb, l, colEnd), outputPtr});
          scf::ReduceOp::create(nb, l);
        });

    auto storageResult = resultType.clone(resultElement);
    Value result = bufferization::ToTensorOp::create(
        b, loc, storageResult, output, /*restrict=*/true, /*writable=*/true);
    if (storageResult != resultType)
      result = quant::StorageCastOp::create(b, loc, resultType, result);
    op->getResult(0).replaceAllUsesWith(result);
    op->erase();
    return success();
  }
};

} // namespace
