//===- QntOps.cpp - qnt operation verifiers and folders -------------------===//
//
// Verifiers state every rule of QntOps.td with a located diagnostic carrying
// the rule ID; folders remove exact round trips and evaluate constants.
//
//===----------------------------------------------------------------------===//

#include "quant/Dialect/Qnt/IR/QntOps.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/TypeUtilities.h"
#include "quant/Dialect/Qnt/IR/QntFolding.h"
#include "quant/Dialect/Qnt/IR/QuantTypeUtils.h"
#include "llvm/ADT/StringMap.h"

using namespace mlir;
using namespace mlir::qnt;

#define GET_OP_CLASSES
#include "quant/Dialect/Qnt/IR/QntOps.cpp.inc"

//===----------------------------------------------------------------------===//
// Shared cast checks
//===----------------------------------------------------------------------===//

/// Checks a float tensor / quantized tensor pair of a cast (qnt_c1 to c6).
/// `floatName` and `quantName` say which side is the operand in errors.
static LogicalResult verifyCast(Operation *op, Type floatType, Type quantType,
                                StringRef floatName, StringRef quantName) {
  auto floatTensor = dyn_cast<TensorType>(floatType);
  auto quantTensor = dyn_cast<TensorType>(quantType);
  if (!floatTensor || !isa<FloatType>(floatTensor.getElementType()))
    return op->emitOpError()
           << "qnt_c6: " << floatName << " must be a tensor of floats, got "
           << floatType;
  if (!quantTensor || !isa<quant::QuantizedType>(quantTensor.getElementType()))
    return op->emitOpError()
           << "qnt_c1: " << quantName
           << " must be a tensor of !quant.uniform, got " << quantType;
  auto emitError = [&] { return op->emitOpError(); };
  if (failed(verifyQuantizedType(emitError, quantTensor.getElementType(),
                                 quantTensor, 2, 32)))
    return failure();
  auto element = cast<quant::QuantizedType>(quantTensor.getElementType());
  if (element.getExpressedType() != floatTensor.getElementType())
    return op->emitOpError()
           << "qnt_c6: expressed type " << element.getExpressedType()
           << " of the quantized type differs from the float element type "
           << floatTensor.getElementType();
  if (failed(verifyCompatibleShape(floatTensor, quantTensor)))
    return op->emitOpError() << "qnt_c6: shapes of " << floatType << " and "
                             << quantType << " differ";
  return success();
}

//===----------------------------------------------------------------------===//
// QuantizeOp
//===----------------------------------------------------------------------===//

LogicalResult QuantizeOp::verify() {
  return verifyCast(*this, getInput().getType(), getType(), "input", "result");
}

Value qnt::getExactRoundTripSource(QuantizeOp op) {
  // quantize(dequantize(q)) == q when the round trip is exact in the
  // expressed type (QntFolding.cpp states the bound).
  auto dequantize = op.getInput().getDefiningOp<DequantizeOp>();
  if (!dequantize || dequantize.getInput().getType() != op.getType())
    return {};
  auto element = cast<quant::QuantizedType>(op.getType().getElementType());
  if (!isDequantizeExact(element))
    return {};
  return dequantize.getInput();
}

OpFoldResult QuantizeOp::fold(FoldAdaptor adaptor) {
  return getExactRoundTripSource(*this);
}

//===----------------------------------------------------------------------===//
// DequantizeOp
//===----------------------------------------------------------------------===//

LogicalResult DequantizeOp::verify() {
  return verifyCast(*this, getType(), getInput().getType(), "result", "input");
}

//===----------------------------------------------------------------------===//
// FakeQuantOp
//===----------------------------------------------------------------------===//

TensorType FakeQuantOp::getQuantizedTensorType() {
  return cast<TensorType>(getInput().getType()).clone(getQuantType());
}

LogicalResult FakeQuantOp::verify() {
  auto tensor = dyn_cast<TensorType>(getInput().getType());
  if (!tensor || !isa<FloatType>(tensor.getElementType()))
    return emitOpError() << "qnt_c6: input must be a tensor of floats, got "
                         << getInput().getType();
  auto emitError = [&] { return emitOpError(); };
  // qnt_c7: fake quantization simulates 2 to 16 bit integers.
  if (failed(verifyQuantizedType(emitError, getQuantType(), tensor, 2, 16)))
    return failure();
  Type expressed =
      cast<quant::QuantizedType>(getQuantType()).getExpressedType();
  if (expressed != tensor.getElementType())
    return emitOpError() << "qnt_c6: expressed type " << expressed
                         << " of the quantized type differs from the float "
                            "element type "
                         << tensor.getElementType();
  return success();
}

Value qnt::getIdempotentSource(FakeQuantOp op) {
  // Fake quantization is idempotent when dequantization is exact.
  auto inner = op.getInput().getDefiningOp<FakeQuantOp>();
  if (inner && inner.getQuantType() == op.getQuantType() &&
      inner.getRoundingMode() == op.getRoundingMode() &&
      isDequantizeExact(cast<quant::QuantizedType>(op.getQuantType())))
    return op.getInput();
  return {};
}

OpFoldResult FakeQuantOp::fold(FoldAdaptor adaptor) {
  if (Value source = getIdempotentSource(*this))
    return source;
  auto element = cast<quant::QuantizedType>(getQuantType());
  auto values = dyn_cast_if_present<DenseElementsAttr>(adaptor.getInput());
  if (!values)
    return {};
  return fakeQuantizeConstant(values, element, getRoundingMode());
}

//===----------------------------------------------------------------------===//
// ObserveOp
//===----------------------------------------------------------------------===//

/// Visits the observers of `module`, not those of nested modules (each
/// module is its own id scope), in pre-order until `fn` interrupts.
static void walkModuleObservers(ModuleOp module,
                                function_ref<WalkResult(ObserveOp)> fn) {
  module.walk<WalkOrder::PreOrder>([&](Operation *op) {
    if (op != module && isa<ModuleOp>(op))
      return WalkResult::skip();
    if (auto observe = dyn_cast<ObserveOp>(op))
      return fn(observe);
    return WalkResult::advance();
  });
}

/// qnt_c9: observer ids are unique per enclosing module. The module's first
/// observer checks all of them once, so verification stays linear.
static LogicalResult verifyUniqueObserverIds(ObserveOp op) {
  auto module = op->getParentOfType<ModuleOp>();
  if (!module)
    return success();
  ObserveOp first;
  walkModuleObservers(module, [&](ObserveOp candidate) {
    first = candidate;
    return WalkResult::interrupt();
  });
  if (first != op)
    return success();
  llvm::StringMap<ObserveOp> seen;
  LogicalResult result = success();
  walkModuleObservers(module, [&](ObserveOp candidate) {
    auto [it, inserted] = seen.try_emplace(candidate.getId(), candidate);
    if (inserted)
      return WalkResult::advance();
    // A note, not a diagnostic on the other op: printing that op for its own
    // diagnostic would verify it and recurse.
    InFlightDiagnostic diag = candidate.emitOpError()
                              << "qnt_c9: observer id '" << candidate.getId()
                              << "' is not unique in the module";
    diag.attachNote(it->second.getLoc())
        << "first use of observer id '" << candidate.getId() << "'";
    result = failure();
    return WalkResult::interrupt();
  });
  return result;
}

LogicalResult ObserveOp::verify() {
  auto tensor = dyn_cast<TensorType>(getInput().getType());
  if (!tensor || !isa<FloatType>(tensor.getElementType()))
    return emitOpError() << "qnt_c8: observed value must be a tensor of "
                            "floats, got "
                         << getInput().getType();
  if (getId().empty())
    return emitOpError() << "qnt_c9: observer id must not be empty";
  if (std::optional<ObserverStatsAttr> stats = getStats())
    if (getKind() == ObserverKind::Histogram && stats->getHistogram().empty())
      return emitOpError() << "qnt_c10: statistics of a histogram observer "
                              "must include a histogram";
  if (std::optional<Type> storage = getStorage()) {
    auto integer = dyn_cast<IntegerType>(*storage);
    if (!integer || integer.isSigned() || integer.getWidth() < 2 ||
        integer.getWidth() > 16)
      return emitOpError() << "qnt_c20: observer storage must be a signless "
                              "or unsigned integer type of 2 to 16 bits, got "
                           << *storage;
  }
  return verifyUniqueObserverIds(*this);
}
