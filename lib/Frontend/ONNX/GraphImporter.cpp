//===- GraphImporter.cpp - ONNX graph walk --------------------------------===//
//
// Creates @main from the graph's inputs and outputs, turns initializers into
// constants (dense_resource blobs when large), and dispatches every node to
// its op handler; unknown ops are a located error, never a crash.
//
//===----------------------------------------------------------------------===//

#include "GraphImporter.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectResourceBlobManager.h"

using namespace mlir;
using namespace mlir::qnt::onnx_frontend;

/// Constants up to this many elements are stored inline (and can be read
/// back for shape folding); larger ones become dense_resource blobs.
static constexpr int64_t kInlineConstantLimit = 1024;

GraphImporter::GraphImporter(MLIRContext *context, LoadedModel &model,
                             llvm::StringRef path, const ImportOptions &options)
    : builder(context), model(model), path(path.str()), options(options) {
  registerElementwiseOps(handlers);
  registerTensorOps(handlers);
  registerNNOps(handlers);
  registerQuantizationOps(handlers);
  registerReductionOps(handlers);
  registerRecurrentOps(handlers);
}

Location GraphImporter::getLoc(const onnx::NodeProto &node) {
  std::string name =
      node.name().empty()
          ? node.op_type() + ":" + (node.output_size() ? node.output(0) : "")
          : node.name();
  return NameLoc::get(StringAttr::get(getContext(), name),
                      FileLineColLoc::get(getContext(), path, 0, 0));
}

InFlightDiagnostic GraphImporter::emitError(const onnx::NodeProto &node) {
  Location loc = getLoc(node);
  InFlightDiagnostic diag = mlir::emitError(loc);
  diag << "node '" << cast<NameLoc>(loc).getName().getValue() << "' ("
       << node.op_type() << "): ";
  return diag;
}

bool GraphImporter::hasInput(const onnx::NodeProto &node, int i) const {
  return i < node.input_size() && !node.input(i).empty();
}

Value GraphImporter::getInput(const onnx::NodeProto &node, int i) {
  Value value = getRawInput(node, i);
  if (!value)
    return value;
  auto type = cast<RankedTensorType>(value.getType());
  auto quantType = dyn_cast<quant::QuantizedType>(type.getElementType());
  if (!quantType)
    return value;
  return quant::StorageCastOp::create(
      builder, getLoc(node), type.clone(quantType.getStorageType()), value);
}

FailureOr<SmallVector<Value>>
GraphImporter::getAllInputs(const onnx::NodeProto &node) {
  SmallVector<Value> inputs;
  for (int i = 0; i < node.input_size(); ++i) {
    Value input = getInput(node, i);
    if (!input)
      return failure();
    inputs.push_back(input);
  }
  if (inputs.empty())
    return emitError(node) << "needs at least one input";
  return inputs;
}

bool GraphImporter::isUnsigned(llvm::StringRef name) const {
  auto it = values.find(name);
  if (it != values.end())
    if (auto quantType = dyn_cast<quant::QuantizedType>(
            cast<ShapedType>(it->second.getType()).getElementType()))
      return !quantType.isSigned();
  int32_t kind = getElementKind(name);
  return kind == onnx::TensorProto::UINT8 ||
         kind == onnx::TensorProto::UINT16 ||
         kind == onnx::TensorProto::UINT32 || kind == onnx::TensorProto::UINT64;
}

Value GraphImporter::getRawInput(const onnx::NodeProto &node, int i) {
  if (!hasInput(node, i)) {
    emitError(node) << "missing input " << i;
    return {};
  }
  auto it = values.find(node.input(i));
  if (it == values.end()) {
    emitError(node) << "input '" << node.input(i)
                    << "' is not produced by an earlier node, an input or "
                       "an initializer";
    return {};
  }
  return it->second;
}

void GraphImporter::setOutput(const onnx::NodeProto &node, int i, Value value) {
  if (i >= node.output_size() || node.output(i).empty())
    return;
  const std::string &name = node.output(i);
  // Adopt the more static type ONNX inferred, if compatible.
  if (auto inferred = getInferredType(name)) {
    auto type = cast<RankedTensorType>(value.getType());
    if (type != *inferred &&
        type.getElementType() == inferred->getElementType() &&
        type.getRank() == inferred->getRank() &&
        succeeded(verifyCompatibleShape(type, *inferred)) &&
        inferred->getNumDynamicDims() < type.getNumDynamicDims())
      value = tensor::CastOp::create(builder, getLoc(node), *inferred, value);
  }
  values[name] = value;
}

void GraphImporter::setConstantOutput(const onnx::NodeProto &node, int i,
                                      DenseElementsAttr value) {
  if (i >= node.output_size() || node.output(i).empty())
    return;
  constants[node.output(i)] = value;
  values[node.output(i)] =
      arith::ConstantOp::create(builder, getLoc(node), value);
}

int32_t GraphImporter::getElementKind(llvm::StringRef name) const {
  auto kind = elementKinds.find(name);
  if (kind != elementKinds.end())
    return kind->second;
  auto type = valueTypes.find(name);
  if (type != valueTypes.end() && type->second->has_tensor_type())
    return type->second->tensor_type().elem_type();
  return onnx::TensorProto::UNDEFINED;
}

Type GraphImporter::getElementType(int32_t kind) {
  MLIRContext *ctx = getContext();
  switch (kind) {
  case onnx::TensorProto::FLOAT:
    return Float32Type::get(ctx);
  case onnx::TensorProto::DOUBLE:
    return Float64Type::get(ctx);
  case onnx::TensorProto::FLOAT16:
    return Float16Type::get(ctx);
  case onnx::TensorProto::BFLOAT16:
    return BFloat16Type::get(ctx);
  case onnx::TensorProto::INT8:
  case onnx::TensorProto::UINT8:
    return IntegerType::get(ctx, 8);
  case onnx::TensorProto::INT16:
  case onnx::TensorProto::UINT16:
    return IntegerType::get(ctx, 16);
  case onnx::TensorProto::INT32:
  case onnx::TensorProto::UINT32:
    return IntegerType::get(ctx, 32);
  case onnx::TensorProto::INT64:
  case onnx::TensorProto::UINT64:
    return IntegerType::get(ctx, 64);
  case onnx::TensorProto::BOOL:
    return IntegerType::get(ctx, 1);
  default:
    return {};
  }
}

std::optional<RankedTensorType>
GraphImporter::convertType(const onnx::TypeProto &type) {
  if (!type.has_tensor_type() || !type.tensor_type().has_shape())
    return std::nullopt;
  Type element = getElementType(type.tensor_type().elem_type());
  if (!element)
    return std::nullopt;
  SmallVector<int64_t> shape;
  for (const auto &dim : type.tensor_type().shape().dim())
    shape.push_back(dim.has_dim_value() && dim.dim_value() >= 0
                        ? dim.dim_value()
                        : ShapedType::kDynamic);
  return RankedTensorType::get(shape, element);
}

std::optional<RankedTensorType>
GraphImporter::getInferredType(llvm::StringRef name) const {
  auto it = valueTypes.find(name);
  if (it == valueTypes.end())
    return std::nullopt;
  return const_cast<GraphImporter *>(this)->convertType(*it->second);
}

FailureOr<ElementsAttr>
GraphImporter::convertTensor(const onnx::TensorProto &tensor, Location loc) {
  Type element = getElementType(tensor.data_type());
  if (!element)
    return mlir::emitError(loc)
           << "tensor '" << tensor.name() << "' has unsupported data type "
           << tensor.data_type();
  SmallVector<int64_t> shape(tensor.dims().begin(), tensor.dims().end());
  auto type = RankedTensorType::get(shape, element);
  // Large external tensors go from their mapping straight into a blob (one
  // copy), and the mapping is dropped, so peak memory stays near the
  // weights' size.
  auto external = model.externalData.find(tensor.name());
  if (external != model.externalData.end() && !element.isInteger(1) &&
      type.getNumElements() > kInlineConstantLimit) {
    llvm::StringRef data = external->second->getBuffer();
    auto blob = HeapAsmResourceBlob::allocateAndCopyInferAlign(
        ArrayRef<char>(data.data(), data.size()));
    model.externalData.erase(external);
    return cast<ElementsAttr>(
        DenseResourceElementsAttr::get(type, tensor.name(), std::move(blob)));
  }
  auto bytes = getTensorBytes(model, tensor);
  if (!bytes)
    return mlir::emitError(loc) << llvm::toString(bytes.takeError());
  if (element.isInteger(1)) {
    SmallVector<bool> bits;
    for (char byte : *bytes)
      bits.push_back(byte != 0);
    return cast<ElementsAttr>(DenseElementsAttr::get(type, bits));
  }
  if (type.getNumElements() <= kInlineConstantLimit) {
    bool detectedSplat = false;
    if (!DenseElementsAttr::isValidRawBuffer(type, *bytes, detectedSplat))
      return mlir::emitError(loc)
             << "tensor '" << tensor.name() << "' has malformed data";
    return cast<ElementsAttr>(
        DenseElementsAttr::getFromRawBuffer(type, *bytes));
  }
  // Large tensors: one copy into a resource blob, printed as hex only when
  // the module is written as text.
  std::string blobName = tensor.name().empty() ? "tensor" : tensor.name();
  auto blob = HeapAsmResourceBlob::allocateAndCopyInferAlign(
      ArrayRef<char>(bytes->data(), bytes->size()));
  return cast<ElementsAttr>(
      DenseResourceElementsAttr::get(type, blobName, std::move(blob)));
}

std::optional<DenseElementsAttr>
GraphImporter::getConstant(llvm::StringRef name, int64_t maxElements) {
  auto cached = constants.find(name);
  if (cached != constants.end())
    return cached->second;
  auto init = initializers.find(name);
  if (init == initializers.end())
    return std::nullopt;
  int64_t count = 1;
  for (int64_t dim : init->second->dims())
    count *= std::max<int64_t>(dim, 0);
  if (count > maxElements)
    return std::nullopt;
  Type element = getElementType(init->second->data_type());
  if (!element)
    return std::nullopt;
  auto bytes = getTensorBytes(model, *init->second);
  if (!bytes) {
    llvm::consumeError(bytes.takeError());
    return std::nullopt;
  }
  SmallVector<int64_t> shape(init->second->dims().begin(),
                             init->second->dims().end());
  auto type = RankedTensorType::get(shape, element);
  DenseElementsAttr attr;
  if (element.isInteger(1)) {
    SmallVector<bool> bits;
    for (char byte : *bytes)
      bits.push_back(byte != 0);
    attr = DenseElementsAttr::get(type, bits);
  } else {
    bool splat = false;
    if (!DenseElementsAttr::isValidRawBuffer(type, *bytes, splat))
      return std::nullopt;
    attr = DenseElementsAttr::getFromRawBuffer(type, *bytes);
  }
  constants[name] = attr;
  return attr;
}

std::optional<SmallVector<int64_t>>
GraphImporter::getConstantInts(const onnx::NodeProto &node, int i) {
  if (!hasInput(node, i))
    return std::nullopt;
  auto attr = getConstant(node.input(i));
  if (!attr || !isa<IntegerType>(attr->getElementType()) ||
      attr->getElementType().isInteger(1))
    return std::nullopt;
  SmallVector<int64_t> result;
  for (APInt value : attr->getValues<APInt>())
    result.push_back(value.getSExtValue());
  return result;
}

const onnx::AttributeProto *GraphImporter::getAttr(const onnx::NodeProto &node,
                                                   llvm::StringRef name) const {
  for (const onnx::AttributeProto &attr : node.attribute())
    if (attr.name() == name)
      return &attr;
  return nullptr;
}

int64_t GraphImporter::getInt(const onnx::NodeProto &node, llvm::StringRef name,
                              int64_t defaultValue) const {
  const onnx::AttributeProto *attr = getAttr(node, name);
  return attr && attr->has_i() ? attr->i() : defaultValue;
}

float GraphImporter::getFloat(const onnx::NodeProto &node, llvm::StringRef name,
                              float defaultValue) const {
  const onnx::AttributeProto *attr = getAttr(node, name);
  return attr && attr->has_f() ? attr->f() : defaultValue;
}

std::string GraphImporter::getString(const onnx::NodeProto &node,
                                     llvm::StringRef name,
                                     llvm::StringRef defaultValue) const {
  const onnx::AttributeProto *attr = getAttr(node, name);
  return attr && attr->has_s() ? attr->s() : defaultValue.str();
}

std::optional<SmallVector<int64_t>>
GraphImporter::getInts(const onnx::NodeProto &node,
                       llvm::StringRef name) const {
  const onnx::AttributeProto *attr = getAttr(node, name);
  if (!attr)
    return std::nullopt;
  return SmallVector<int64_t>(attr->ints().begin(), attr->ints().end());
}

LogicalResult GraphImporter::importNode(const onnx::NodeProto &node) {
  llvm::StringRef domain = node.domain();
  auto handler = handlers.find(node.op_type());
  if ((!domain.empty() && domain != "ai.onnx") || handler == handlers.end()) {
    mlir::emitError(getLoc(node))
        << "unsupported op '" << (domain.empty() ? "ai.onnx" : domain)
        << "::" << node.op_type() << "' at node '"
        << cast<NameLoc>(getLoc(node)).getName().getValue() << "'";
    return failure();
  }
  if (opset == 0)
    return emitError(node) << "the model imports no version of the default "
                              "ONNX domain";
  for (int i = 0; i < node.input_size(); ++i)
    if (!node.input(i).empty() && !values.count(node.input(i)))
      return emitError(node) << "input '" << node.input(i)
                             << "' is not defined before this node";
  if (failed(handler->second(*this, node)))
    return failure();
  for (int i = 0; i < node.output_size(); ++i)
    if (!node.output(i).empty() && !values.count(node.output(i)))
      return emitError(node)
             << "produced no value for output '" << node.output(i) << "'";
  return success();
}

FailureOr<OwningOpRef<ModuleOp>> GraphImporter::run() {
  const onnx::ModelProto &proto = *model.model;
  const onnx::GraphProto &graph = proto.graph();
  Location fileLoc = FileLineColLoc::get(getContext(), path, 0, 0);
  for (const auto &import : proto.opset_import())
    if (import.domain().empty() || import.domain() == "ai.onnx")
      opset = import.version();

  for (const onnx::ValueInfoProto &info : graph.input())
    valueTypes[info.name()] = &info.type();
  for (const onnx::ValueInfoProto &info : graph.value_info())
    valueTypes[info.name()] = &info.type();
  for (const onnx::ValueInfoProto &info : graph.output())
    valueTypes[info.name()] = &info.type();
  for (const onnx::TensorProto &init : graph.initializer()) {
    if (init.name().empty())
      return mlir::emitError(fileLoc) << "an initializer has no name";
    initializers[init.name()] = &init;
    elementKinds[init.name()] = init.data_type();
  }

  OwningOpRef<ModuleOp> module(ModuleOp::create(fileLoc));
  builder.setInsertionPointToEnd(module->getBody());

  // Arguments: graph inputs that are not initializers (older exporters list
  // initializers among the inputs).
  SmallVector<Type> argTypes;
  SmallVector<const onnx::ValueInfoProto *> args;
  for (const onnx::ValueInfoProto &info : graph.input()) {
    if (initializers.count(info.name()))
      continue;
    auto type = convertType(info.type());
    if (!type)
      return mlir::emitError(fileLoc)
             << "input '" << info.name()
             << "' is not a tensor of a supported element type";
    auto pinned = options.inputShapes.find(info.name());
    if (pinned != options.inputShapes.end()) {
      if (pinned->second.size() != static_cast<size_t>(type->getRank()))
        return mlir::emitError(fileLoc)
               << "--input-shape for '" << info.name() << "' has rank "
               << pinned->second.size() << ", the model's input has rank "
               << type->getRank();
      SmallVector<int64_t> shape(type->getShape());
      for (auto [i, dim] : llvm::enumerate(pinned->second)) {
        if (dim >= 0 && !ShapedType::isDynamic(shape[i]) && shape[i] != dim)
          return mlir::emitError(fileLoc)
                 << "--input-shape for '" << info.name() << "' sets dimension "
                 << i << " to " << dim << " but the model fixes it to "
                 << shape[i];
        if (dim >= 0)
          shape[i] = dim;
      }
      type = RankedTensorType::get(shape, type->getElementType());
    }
    argTypes.push_back(*type);
    args.push_back(&info);
    elementKinds[info.name()] = info.type().tensor_type().elem_type();
  }
  for (const auto &[name, shape] : options.inputShapes)
    if (llvm::none_of(args, [&](const onnx::ValueInfoProto *info) {
          return info->name() == name;
        }))
      return mlir::emitError(fileLoc)
             << "--input-shape names '" << name
             << "', which is not an input of the model";

  auto func = func::FuncOp::create(builder, fileLoc, options.functionName,
                                   builder.getFunctionType(argTypes, {}));
  Block *body = func.addEntryBlock();
  builder.setInsertionPointToStart(body);
  for (auto [i, info] : llvm::enumerate(args)) {
    values[info->name()] = body->getArgument(i);
    func.setArgAttr(i, "qnt.input_name", builder.getStringAttr(info->name()));
    int32_t kind = info->type().tensor_type().elem_type();
    if (kind == onnx::TensorProto::UINT8 || kind == onnx::TensorProto::UINT16)
      func.setArgAttr(i, "qnt.unsigned", builder.getUnitAttr());
  }

  for (const onnx::TensorProto &init : graph.initializer()) {
    Location loc = NameLoc::get(builder.getStringAttr(init.name()), fileLoc);
    FailureOr<ElementsAttr> attr = convertTensor(init, loc);
    if (failed(attr))
      return failure();
    values[init.name()] =
        arith::ConstantOp::create(builder, loc, cast<TypedAttr>(*attr));
  }

  for (const onnx::NodeProto &node : graph.node())
    if (failed(importNode(node)))
      return failure();

  SmallVector<Value> results;
  for (const onnx::ValueInfoProto &info : graph.output()) {
    auto it = values.find(info.name());
    if (it == values.end())
      return mlir::emitError(fileLoc)
             << "output '" << info.name() << "' is never produced";
    results.push_back(it->second);
  }
  func::ReturnOp::create(builder, fileLoc, results);
  func.setFunctionType(
      builder.getFunctionType(argTypes, ValueRange(results).getTypes()));
  for (auto [i, info] : llvm::enumerate(graph.output())) {
    int32_t kind = getElementKind(info.name());
    if (kind == onnx::TensorProto::UINT8 || kind == onnx::TensorProto::UINT16)
      func.setResultAttr(i, "qnt.unsigned", builder.getUnitAttr());
  }
  return module;
}

FailureOr<OwningOpRef<ModuleOp>> mlir::qnt::onnx_frontend::importModel(
    MLIRContext *context, llvm::StringRef path, const ImportOptions &options) {
  context->loadAllAvailableDialects();
  auto loaded = loadModel(path);
  if (!loaded)
    return mlir::emitError(FileLineColLoc::get(context, path, 0, 0))
           << llvm::toString(loaded.takeError());
  GraphImporter importer(context, *loaded, path, options);
  return importer.run();
}
