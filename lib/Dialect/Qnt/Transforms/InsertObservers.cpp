//===- InsertObservers.cpp - Mark what post-training quantization learns --===//
//
// Implements `qnt-insert-observers`: per-channel weight QDQ from the
// constants themselves, and `qnt.observe` on the activations around each
// convolution, matmul, add and concat, placed where an integer kernel would
// read or requantize them.
//
//===----------------------------------------------------------------------===//

#include "quant/Dialect/Qnt/IR/QntOps.h"
#include "quant/Dialect/Qnt/Transforms/GraphMatchers.h"
#include "quant/Dialect/Qnt/Transforms/Passes.h"
#include "quant/Support/QuantMath.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/Regex.h"

namespace mlir::qnt {
#define GEN_PASS_DEF_INSERTOBSERVERSPASS
#include "quant/Dialect/Qnt/Transforms/Passes.h.inc"
} // namespace mlir::qnt

using namespace mlir;
using namespace mlir::qnt;

namespace {

enum class AnchorKind { Conv, Matmul, Add, Concat };

StringRef getKindName(AnchorKind kind) {
  switch (kind) {
  case AnchorKind::Conv:
    return "conv";
  case AnchorKind::Matmul:
    return "matmul";
  case AnchorKind::Add:
    return "add";
  case AnchorKind::Concat:
    return "concat";
  }
  llvm_unreachable("unknown anchor kind");
}

/// The ONNX node name the importer put in an op's location, if any.
StringRef getNodeName(Location loc) {
  StringRef name;
  loc->walk([&](Location inner) {
    if (auto named = dyn_cast<NameLoc>(inner)) {
      name = named.getName().getValue();
      return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  return name;
}

bool isFloatTensor(Value value) {
  auto type = dyn_cast<RankedTensorType>(value.getType());
  return type && isa<FloatType>(type.getElementType());
}

bool isReshapeLike(Operation *op) {
  return isa<tensor::ReshapeOp, tosa::ReshapeOp, tensor::CollapseShapeOp,
             tensor::ExpandShapeOp>(op);
}

/// Walks back through ops that keep the set of values (up to order,
/// repetition and zero padding): max pooling, reshapes, transposes and
/// padding with 0. One observer on the source then covers the anchor input.
Value traceToSource(Value value) {
  while (Operation *def = value.getDefiningOp()) {
    if (isReshapeLike(def)) {
      value = def->getOperand(0);
    } else if (auto transpose = dyn_cast<linalg::TransposeOp>(def)) {
      value = transpose.getInput();
    } else if (auto pad = dyn_cast<tensor::PadOp>(def)) {
      Value padValue = pad.getConstantPaddingValue();
      if (!padValue || !isFloatConstant(padValue, 0.0))
        break;
      value = pad.getSource();
    } else if (auto pool = dyn_cast<linalg::PoolingNchwMaxOp>(def)) {
      Value source = getExactMaxPoolSource(pool);
      if (!source)
        break;
      value = source;
    } else {
      break;
    }
  }
  return value;
}

/// The users of a value that read its data (tensor.dim only reads shapes).
SmallVector<Operation *> getDataUsers(Value value) {
  SmallVector<Operation *> users;
  for (Operation *user : value.getUsers())
    if (!isa<tensor::DimOp>(user))
      users.push_back(user);
  return users;
}

/// Whether `generic` adds a constant (the bias) to `input`.
bool isBiasAdd(linalg::GenericOp generic, Value input) {
  FailureOr<BiasAdd> bias = matchBiasAdd(generic);
  return succeeded(bias) && bias->input == input;
}

/// Follows an anchor's result through its bias add, ReLU/Clip and reshapes
/// to the value an integer kernel would requantize.
Value followEpilogue(Value value) {
  while (true) {
    SmallVector<Operation *> users = getDataUsers(value);
    if (users.size() != 1 || users[0]->getNumResults() != 1)
      return value;
    Operation *user = users[0];
    auto generic = dyn_cast<linalg::GenericOp>(user);
    bool absorbed = isReshapeLike(user) ||
                    (generic && (isBiasAdd(generic, value) ||
                                 succeeded(matchActivation(generic))));
    if (!absorbed)
      return value;
    value = user->getResult(0);
  }
}

/// A convolution or matmul weight operand traced to its constant: the use
/// to rewire and the axis of output channels in the constant.
struct WeightUse {
  OpOperand *use;
  arith::ConstantOp constant;
  int64_t axis;
};

std::optional<WeightUse> findWeight(Operation *anchor, AnchorKind kind) {
  OpOperand *use = &anchor->getOpOperand(1);
  if (kind == AnchorKind::Conv) {
    // Grouped convolutions reshape the [F, C/G, KH, KW] constant to 5-D.
    Operation *def = use->get().getDefiningOp();
    if (def && isReshapeLike(def)) {
      auto source = dyn_cast<RankedTensorType>(def->getOperand(0).getType());
      if (!source || source.getRank() != 4)
        return std::nullopt;
      use = &def->getOpOperand(0);
    }
    auto constant = use->get().getDefiningOp<arith::ConstantOp>();
    if (!constant)
      return std::nullopt;
    return WeightUse{use, constant, 0};
  }
  auto matmul = dyn_cast<linalg::MatmulOp>(anchor);
  auto constant = use->get().getDefiningOp<arith::ConstantOp>();
  if (!matmul || !constant)
    return std::nullopt;
  // Output channels are n: (k, n) -> axis 1; transposed (n, k) -> axis 0.
  AffineMap rhsMap = matmul.getIndexingMapsArray()[1];
  if (rhsMap.getNumResults() != 2)
    return std::nullopt;
  auto first = dyn_cast<AffineDimExpr>(rhsMap.getResult(0));
  if (!first)
    return std::nullopt;
  return WeightUse{use, constant, first.getPosition() == 1 ? 0 : 1};
}

std::optional<AnchorKind> classifyAnchor(Operation *op) {
  if (isa<linalg::Conv2DNchwFchwOp, linalg::Conv2DNgchwGfchwOp>(op))
    return AnchorKind::Conv;
  if (isa<linalg::MatmulOp, linalg::BatchMatmulOp>(op))
    return AnchorKind::Matmul;
  if (isa<tensor::ConcatOp>(op))
    return AnchorKind::Concat;
  auto generic = dyn_cast<linalg::GenericOp>(op);
  if (!generic || !isElementwise(generic) || generic.getNumDpsInputs() != 2)
    return std::nullopt;
  Block &body = generic.getRegion().front();
  if (body.getOperations().size() != 2 || !isa<arith::AddFOp>(body.front()))
    return std::nullopt;
  // A residual add: both operands computed, neither a constant bias.
  for (Value input : generic.getDpsInputs()) {
    if (!isFloatTensor(input) || input.getType() != generic.getType(0))
      return std::nullopt;
    if (matchPattern(traceToSource(input), m_Constant()))
      return std::nullopt;
  }
  return AnchorKind::Add;
}

struct InsertObserversPass
    : qnt::impl::InsertObserversPassBase<InsertObserversPass> {
  using InsertObserversPassBase::InsertObserversPassBase;

  void runOnOperation() override;

private:
  LogicalResult parseOptions();
  bool isSkipped(Operation *anchor, AnchorKind kind);
  LogicalResult quantizeWeight(const WeightUse &weight);
  std::string makeObserverId(Value value);

  llvm::StringSet<> skippedKinds;
  // Validated skip-names patterns (llvm::Regex is not copyable, passes are).
  std::vector<std::string> skippedNames;
  llvm::StringSet<> usedIds;
};

} // namespace

LogicalResult InsertObserversPass::parseOptions() {
  ModuleOp module = getOperation();
  for (const std::string &kind : skipKinds) {
    if (!llvm::is_contained({"conv", "matmul", "add", "concat"}, kind))
      return module.emitError()
             << "qnt-insert-observers: unknown op kind '" << kind
             << "' in skip-kinds (expected conv, matmul, "
                "add or concat)";
    skippedKinds.insert(kind);
  }
  for (const std::string &pattern : skipNames) {
    llvm::Regex regex(pattern);
    std::string error;
    if (!regex.isValid(error))
      return module.emitError() << "qnt-insert-observers: invalid regular "
                                   "expression '"
                                << pattern << "' in skip-names: " << error;
    skippedNames.push_back(pattern);
  }
  if (weightGranularity != "per-channel" && weightGranularity != "per-tensor")
    return module.emitError()
           << "qnt-insert-observers: weight-granularity must be per-channel "
              "or per-tensor, got '"
           << weightGranularity << "'";
  if (weightBits < 2 || weightBits > 16 || activationBits < 2 ||
      activationBits > 16)
    return module.emitError()
           << "qnt-insert-observers: bit widths must be "
              "2 to 16, got weight-bits="
           << unsigned(weightBits)
           << " activation-bits=" << unsigned(activationBits);
  return success();
}

bool InsertObserversPass::isSkipped(Operation *anchor, AnchorKind kind) {
  if (skippedKinds.contains(getKindName(kind)))
    return true;
  StringRef name = getNodeName(anchor->getLoc());
  return llvm::any_of(skippedNames, [&](const std::string &pattern) {
    return llvm::Regex(pattern).match(name);
  });
}

LogicalResult InsertObserversPass::quantizeWeight(const WeightUse &weight) {
  arith::ConstantOp constant = weight.constant;
  auto type = cast<RankedTensorType>(constant.getType());
  DenseElementsAttr dense = getDenseConstant(constant);
  if (!dense || !dense.getElementType().isF32())
    return success(); // Not an f32 constant: left in float.
  std::optional<SmallVector<float>> values =
      llvm::to_vector(dense.getValues<float>());
  StringRef name = getNodeName(constant.getLoc());
  for (auto [index, value] : llvm::enumerate(*values))
    if (!std::isfinite(value))
      return constant.emitError()
             << "weight '" << name << "' has a non-finite value (" << value
             << ") at flat index " << index << "; it cannot be quantized";

  int64_t bound = (int64_t(1) << (weightBits - 1)) - 1;
  qmath::StorageRange range{-bound, bound};
  bool perChannel = weightGranularity == "per-channel";
  int64_t channels = perChannel ? type.getDimSize(weight.axis) : 1;
  // Element i belongs to channel (i / inner) % channels.
  int64_t inner = 1;
  if (perChannel)
    for (int64_t d = weight.axis + 1; d < type.getRank(); ++d)
      inner *= type.getDimSize(d);
  SmallVector<double> absMax(channels, 0.0);
  for (auto [index, value] : llvm::enumerate(*values)) {
    int64_t channel = perChannel ? (int64_t(index) / inner) % channels : 0;
    absMax[channel] = std::max(absMax[channel], double(std::fabs(value)));
  }
  SmallVector<double> scales;
  SmallVector<int64_t> zeroPoints;
  for (double max : absMax) {
    std::optional<qmath::QuantParams> params =
        qmath::chooseSymmetricParams(-max, max, range);
    if (!params)
      return constant.emitError() << "weight '" << name
                                  << "': no quantization parameters for "
                                     "range ±"
                                  << max;
    scales.push_back(params->scale);
    zeroPoints.push_back(0);
  }

  MLIRContext *ctx = &getContext();
  Type storage = IntegerType::get(ctx, weightBits);
  Type expressed = type.getElementType();
  Type elementType;
  if (perChannel)
    elementType = quant::UniformQuantizedPerAxisType::get(
        quant::QuantizationFlags::Signed, storage, expressed, scales,
        zeroPoints, weight.axis, -bound, bound);
  else
    elementType = quant::UniformQuantizedType::get(
        quant::QuantizationFlags::Signed, storage, expressed, scales[0], 0,
        -bound, bound);

  OpBuilder builder(constant->getContext());
  builder.setInsertionPointAfter(constant);
  auto quantize = QuantizeOp::create(builder, constant.getLoc(),
                                     type.clone(elementType), constant,
                                     /*rounding=*/nullptr);
  auto dequantize =
      DequantizeOp::create(builder, constant.getLoc(), type, quantize);
  weight.use->set(dequantize);
  ++numWeights;
  return success();
}

std::string InsertObserversPass::makeObserverId(Value value) {
  std::string base;
  if (auto arg = dyn_cast<BlockArgument>(value)) {
    auto func = dyn_cast<func::FuncOp>(arg.getOwner()->getParentOp());
    if (func)
      if (auto name = func.getArgAttrOfType<StringAttr>(arg.getArgNumber(),
                                                        "qnt.input_name"))
        base = name.getValue().str();
    if (base.empty())
      base = "arg" + std::to_string(arg.getArgNumber());
  } else {
    base = getNodeName(value.getLoc()).str();
    if (base.empty())
      base = value.getDefiningOp()->getName().getStringRef().str();
  }
  std::string id = base;
  for (int suffix = 1; usedIds.contains(id); ++suffix)
    id = base + "#" + std::to_string(suffix);
  usedIds.insert(id);
  return id;
}

void InsertObserversPass::runOnOperation() {
  if (failed(parseOptions()))
    return signalPassFailure();
  ModuleOp module = getOperation();
  module.walk([&](ObserveOp op) { usedIds.insert(op.getId()); });

  // Decide first, then rewrite: values to observe, in program order.
  llvm::SetVector<Value> observed;
  SmallVector<WeightUse> weights;
  module.walk([&](Operation *op) {
    std::optional<AnchorKind> kind = classifyAnchor(op);
    if (!kind)
      return;
    if (isSkipped(op, *kind)) {
      ++numSkipped;
      return;
    }
    SmallVector<Value> activations;
    if (*kind == AnchorKind::Conv || *kind == AnchorKind::Matmul) {
      activations.push_back(op->getOperand(0));
      if (std::optional<WeightUse> weight = findWeight(op, *kind))
        weights.push_back(*weight);
      else
        activations.push_back(op->getOperand(1));
    } else {
      llvm::append_range(
          activations,
          op->getOperands().take_front(
              *kind == AnchorKind::Add ? 2 : op->getNumOperands()));
    }
    // Values already observed or quantized (a previous run of this pass, a
    // weight QDQ) get no second observer.
    for (Value input : activations) {
      Value source = traceToSource(input);
      if (isFloatTensor(source) && !matchPattern(source, m_Constant()) &&
          !source.getDefiningOp<ObserveOp>() &&
          !source.getDefiningOp<DequantizeOp>())
        observed.insert(source);
    }
    Value output = followEpilogue(op->getResult(0));
    if (isFloatTensor(output) &&
        llvm::none_of(output.getUsers(),
                      [](Operation *user) { return isa<ObserveOp>(user); }))
      observed.insert(output);
  });

  for (const WeightUse &weight : weights)
    if (failed(quantizeWeight(weight)))
      return signalPassFailure();

  Type storage = IntegerType::get(&getContext(), activationBits,
                                  activationSigned ? IntegerType::Signless
                                                   : IntegerType::Unsigned);
  for (Value value : observed) {
    OpBuilder builder(&getContext());
    if (auto arg = dyn_cast<BlockArgument>(value))
      builder.setInsertionPointToStart(arg.getOwner());
    else
      builder.setInsertionPointAfter(value.getDefiningOp());
    auto observe = ObserveOp::create(
        builder, value.getLoc(), value.getType(), value,
        builder.getStringAttr(makeObserverId(value)),
        ObserverKindAttr::get(&getContext(), ObserverKind::Histogram),
        /*stats=*/nullptr, TypeAttr::get(storage),
        activationSymmetric ? builder.getUnitAttr() : nullptr);
    value.replaceAllUsesExcept(observe, observe);
    ++numObservers;
  }
}
