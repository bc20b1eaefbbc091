//===- QuantTypeUtils.cpp - Checks and queries on !quant.uniform ----------===//
//
// Upstream `!quant.uniform` accepts zero points outside the storage range and
// subnormal scales, and cannot check axes or blocks against a tensor shape.
// These checks close those gaps for every `qnt` op.
//
//===----------------------------------------------------------------------===//

#include "quant/Dialect/Qnt/IR/QuantTypeUtils.h"

#include "mlir/IR/BuiltinAttributes.h"

using namespace mlir;
using namespace mlir::qnt;

int64_t qnt::getZeroPointValue(const APInt &zeroPoint,
                               quant::QuantizedType type) {
  return type.isSigned() ? zeroPoint.getSExtValue() : zeroPoint.getZExtValue();
}

qmath::StorageRange qnt::getStorageRange(quant::QuantizedType type) {
  return {type.getStorageTypeMin(), type.getStorageTypeMax()};
}

/// qnt_c2: a scale must be positive, finite and normal in the expressed type.
static LogicalResult checkScale(function_ref<InFlightDiagnostic()> emitError,
                                double scale, Type expressedType) {
  qmath::ScaleStatus status = expressedType.isF64()
                                  ? qmath::checkScale<double>(scale)
                                  : qmath::checkScale<float>(scale);
  // f16 and bf16 compute in f32, but the scale must still be a normal f16.
  if (status == qmath::ScaleStatus::Ok && isa<FloatType>(expressedType) &&
      cast<FloatType>(expressedType).getWidth() == 16) {
    const llvm::fltSemantics &sem =
        cast<FloatType>(expressedType).getFloatSemantics();
    if (scale > llvm::APFloat::getLargest(sem).convertToDouble())
      status = qmath::ScaleStatus::NotFinite;
    else if (scale <
             llvm::APFloat::getSmallestNormalized(sem).convertToDouble())
      status = qmath::ScaleStatus::Subnormal;
  }
  switch (status) {
  case qmath::ScaleStatus::Ok:
    return success();
  case qmath::ScaleStatus::NotPositive:
    return emitError() << "qnt_c2: scale " << scale << " must be positive";
  case qmath::ScaleStatus::NotFinite:
    return emitError() << "qnt_c2: scale " << scale
                       << " must be finite in the expressed type "
                       << expressedType;
  case qmath::ScaleStatus::Subnormal:
    return emitError() << "qnt_c2: scale " << scale
                       << " is subnormal in the expressed type "
                       << expressedType << " (subnormal scales are rejected)";
  }
  return failure();
}

/// qnt_c3: a zero point must lie inside the storage range.
static LogicalResult
checkZeroPoint(function_ref<InFlightDiagnostic()> emitError, int64_t zeroPoint,
               quant::QuantizedType type) {
  if (zeroPoint >= type.getStorageTypeMin() &&
      zeroPoint <= type.getStorageTypeMax())
    return success();
  return emitError() << "qnt_c3: zero point " << zeroPoint
                     << " is outside the storage range ["
                     << type.getStorageTypeMin() << ", "
                     << type.getStorageTypeMax() << "]";
}

LogicalResult
qnt::verifyQuantizedType(function_ref<InFlightDiagnostic()> emitError,
                         Type quantType, ShapedType shaped, unsigned minBits,
                         unsigned maxBits) {
  auto type = dyn_cast<quant::QuantizedType>(quantType);
  if (!type ||
      !isa<quant::UniformQuantizedType, quant::UniformQuantizedPerAxisType,
           quant::UniformQuantizedSubChannelType>(type))
    return emitError() << "qnt_c1: expected a !quant.uniform element type "
                          "(per tensor, per axis or sub-channel), got "
                       << quantType;
  unsigned width = type.getStorageTypeIntegralWidth();
  if (width < minBits || width > maxBits)
    return emitError() << "qnt_c1: storage type of " << width
                       << " bits is outside the supported " << minBits << " to "
                       << maxBits << " bits";
  Type expressed = type.getExpressedType();
  if (!isa<FloatType>(expressed))
    return emitError() << "qnt_c1: expressed type " << expressed
                       << " is not a float type";

  if (auto perTensor = dyn_cast<quant::UniformQuantizedType>(type)) {
    if (failed(checkScale(emitError, perTensor.getScale(), expressed)))
      return failure();
    return checkZeroPoint(emitError, perTensor.getZeroPoint(), type);
  }

  if (auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(type)) {
    for (double scale : perAxis.getScales())
      if (failed(checkScale(emitError, scale, expressed)))
        return failure();
    for (int64_t zeroPoint : perAxis.getZeroPoints())
      if (failed(checkZeroPoint(emitError, zeroPoint, type)))
        return failure();
    if (!shaped.hasRank())
      return emitError() << "qnt_c4: per-axis quantization needs a ranked "
                            "tensor";
    int64_t axis = perAxis.getQuantizedDimension();
    if (axis < 0 || axis >= shaped.getRank())
      return emitError() << "qnt_c4: quantized axis " << axis
                         << " is out of range for a rank-" << shaped.getRank()
                         << " tensor";
    int64_t dim = shaped.getDimSize(axis);
    int64_t count = perAxis.getScales().size();
    // A dynamic size could differ from the scale count at run time.
    if (ShapedType::isDynamic(dim))
      return emitError() << "qnt_c4: quantized axis " << axis
                         << " must have a static size";
    if (dim != count)
      return emitError() << "qnt_c4: " << count << " per-axis scales for axis "
                         << axis << " of size " << dim;
    return success();
  }

  auto subChannel = cast<quant::UniformQuantizedSubChannelType>(type);
  for (APFloat scale : subChannel.getScales().getValues<APFloat>())
    if (failed(checkScale(emitError, scale.convertToDouble(), expressed)))
      return failure();
  for (APInt zeroPoint : subChannel.getZeroPoints().getValues<APInt>())
    if (failed(checkZeroPoint(emitError, getZeroPointValue(zeroPoint, type),
                              type)))
      return failure();
  if (!shaped.hasRank())
    return emitError() << "qnt_c5: sub-channel quantization needs a ranked "
                          "tensor";
  ArrayRef<int64_t> scaleShape = subChannel.getScales().getType().getShape();
  if (static_cast<int64_t>(scaleShape.size()) != shaped.getRank())
    return emitError() << "qnt_c5: sub-channel scales have rank "
                       << scaleShape.size() << " but the tensor has rank "
                       << shaped.getRank();
  for (auto [axis, blockSize] : llvm::zip(subChannel.getQuantizedDimensions(),
                                          subChannel.getBlockSizes())) {
    if (axis < 0 || axis >= shaped.getRank())
      return emitError() << "qnt_c5: quantized dimension " << axis
                         << " is out of range for a rank-" << shaped.getRank()
                         << " tensor";
  }
  // Dimensions without an explicit block size form one block.
  SmallVector<int64_t> blocks(shaped.getShape());
  for (auto [axis, blockSize] : llvm::zip(subChannel.getQuantizedDimensions(),
                                          subChannel.getBlockSizes()))
    blocks[axis] = blockSize;
  for (int64_t axis = 0; axis < shaped.getRank(); ++axis) {
    int64_t dim = shaped.getDimSize(axis);
    if (ShapedType::isDynamic(dim)) {
      // A dynamic dimension can only be one block.
      if (llvm::is_contained(subChannel.getQuantizedDimensions(), axis) ||
          scaleShape[axis] != 1)
        return emitError() << "qnt_c5: blocked dimension " << axis
                           << " must have a static size";
      continue;
    }
    if (blocks[axis] <= 0 || dim % blocks[axis] != 0)
      return emitError() << "qnt_c5: block size " << blocks[axis]
                         << " does not divide dimension " << axis << " of size "
                         << dim;
    if (scaleShape[axis] != dim / blocks[axis])
      return emitError() << "qnt_c5: sub-channel scales have "
                         << scaleShape[axis] << " entries along dimension "
                         << axis << " but it has " << dim / blocks[axis]
                         << " blocks";
  }
  return success();
}

ElementParams::ElementParams(quant::QuantizedType type,
                             ArrayRef<int64_t> tensorShape)
    : shape(tensorShape) {
  int64_t rank = shape.size();
  strides.assign(rank, 1);
  for (int64_t i = rank - 2; i >= 0; --i)
    strides[i] = strides[i + 1] * shape[i + 1];
  blockSizes.assign(shape.begin(), shape.end());
  paramStrides.assign(rank, 0);

  if (auto perTensor = dyn_cast<quant::UniformQuantizedType>(type)) {
    scales.push_back(perTensor.getScale());
    zeroPoints.push_back(perTensor.getZeroPoint());
    return;
  }
  if (auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(type)) {
    llvm::append_range(scales, perAxis.getScales());
    llvm::append_range(zeroPoints, perAxis.getZeroPoints());
    int32_t axis = perAxis.getQuantizedDimension();
    blockSizes[axis] = 1;
    paramStrides[axis] = 1;
    return;
  }
  auto subChannel = cast<quant::UniformQuantizedSubChannelType>(type);
  for (APFloat scale : subChannel.getScales().getValues<APFloat>())
    scales.push_back(scale.convertToDouble());
  for (APInt zeroPoint : subChannel.getZeroPoints().getValues<APInt>())
    zeroPoints.push_back(getZeroPointValue(zeroPoint, type));
  for (auto [axis, blockSize] : llvm::zip(subChannel.getQuantizedDimensions(),
                                          subChannel.getBlockSizes()))
    blockSizes[axis] = blockSize;
  // Row-major strides of the scale tensor, whose shape is shape / blocks.
  int64_t stride = 1;
  for (int64_t i = rank - 1; i >= 0; --i) {
    paramStrides[i] = stride;
    stride *= shape[i] / blockSizes[i];
  }
}

std::pair<double, int64_t> ElementParams::get(int64_t linearIndex) const {
  int64_t paramIndex = 0;
  for (size_t i = 0, e = shape.size(); i < e; ++i) {
    int64_t coordinate = (linearIndex / strides[i]) % shape[i];
    paramIndex += (coordinate / blockSizes[i]) * paramStrides[i];
  }
  return {scales[paramIndex], zeroPoints[paramIndex]};
}
