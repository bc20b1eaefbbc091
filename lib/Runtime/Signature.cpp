//===- Signature.cpp - Host-visible signatures of compiled functions ------===//
//
// Derives signatures from tensor-level functions, stores them as JSON and
// checks inputs against them.
//
//===----------------------------------------------------------------------===//

#include "quant/Runtime/Signature.h"

#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/JSON.h"

using namespace mlir;
using namespace mlir::qnt;
using namespace mlir::qnt::runtime;

std::string TensorSpec::str() const {
  std::string result = getDTypeName(dtype).str() + "[";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i)
      result += "x";
    result += shape[i] == kDynamic ? "?" : std::to_string(shape[i]);
  }
  return result + "]";
}

/// The NumPy dtype of an element type, with sub-byte storage noted.
static std::optional<std::pair<DType, unsigned>> toDType(Type type) {
  if (auto quantType = dyn_cast<quant::QuantizedType>(type)) {
    unsigned width = quantType.getStorageTypeIntegralWidth();
    bool isSigned = quantType.isSigned();
    if (width < 8)
      return std::make_pair(isSigned ? DType::I8 : DType::U8, width);
    if (width == 8)
      return std::make_pair(isSigned ? DType::I8 : DType::U8, 0u);
    if (width == 16 && isSigned)
      return std::make_pair(DType::I16, 0u);
    if (width == 32 && isSigned)
      return std::make_pair(DType::I32, 0u);
    return std::nullopt;
  }
  if (type.isF16())
    return std::make_pair(DType::F16, 0u);
  if (type.isF32())
    return std::make_pair(DType::F32, 0u);
  if (type.isF64())
    return std::make_pair(DType::F64, 0u);
  if (type.isInteger(1))
    return std::make_pair(DType::Bool, 0u);
  if (type.isInteger(8))
    return std::make_pair(DType::I8, 0u);
  if (type.isInteger(16))
    return std::make_pair(DType::I16, 0u);
  if (type.isInteger(32))
    return std::make_pair(DType::I32, 0u);
  if (type.isInteger(64))
    return std::make_pair(DType::I64, 0u);
  return std::nullopt;
}

/// The spec of one argument or result type; `what` names it in errors.
/// `isUnsigned` turns int8 into uint8 (qnt.unsigned).
static llvm::Expected<TensorSpec>
toSpec(Type type, std::string name, const std::string &what, bool isUnsigned) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  if (!tensor) {
    std::string text;
    llvm::raw_string_ostream os(text);
    os << what << " has type " << type
       << "; only ranked tensors can be passed to or returned from a run";
    return llvm::createStringError(text);
  }
  auto dtype = toDType(tensor.getElementType());
  if (!dtype) {
    std::string text;
    llvm::raw_string_ostream os(text);
    os << what << " has element type " << tensor.getElementType()
       << ", which has no NumPy dtype here";
    return llvm::createStringError(text);
  }
  TensorSpec spec;
  spec.name = std::move(name);
  spec.dtype = dtype->first;
  if (isUnsigned) {
    if (spec.dtype != DType::I8)
      return llvm::createStringError(
          what + " is marked unsigned but only 8-bit integers can be");
    spec.dtype = DType::U8;
  }
  spec.subByteBits = dtype->second;
  for (int64_t dim : tensor.getShape())
    spec.shape.push_back(ShapedType::isDynamic(dim) ? TensorSpec::kDynamic
                                                    : dim);
  // Sub-byte tensors travel packed into flat byte buffers: the shape must
  // be known to pack and unpack them.
  if (spec.subByteBits && !tensor.hasStaticShape()) {
    std::string text;
    llvm::raw_string_ostream os(text);
    os << what << " has type " << type
       << "; sub-byte tensors need a static shape at function boundaries";
    return llvm::createStringError(text);
  }
  return spec;
}

llvm::Expected<FunctionSignature>
runtime::getFunctionSignature(func::FuncOp func) {
  FunctionSignature signature;
  signature.name = func.getSymName().str();
  FunctionType type = func.getFunctionType();
  for (auto [i, input] : llvm::enumerate(type.getInputs())) {
    std::string name = "arg" + std::to_string(i);
    if (auto attr = func.getArgAttrOfType<StringAttr>(i, kInputNameAttr))
      name = attr.str();
    auto spec = toSpec(
        input, name, "argument " + std::to_string(i) + " of @" + signature.name,
        func.getArgAttr(i, kUnsignedAttr) != nullptr);
    if (!spec)
      return spec.takeError();
    signature.inputs.push_back(std::move(*spec));
  }
  for (auto [i, result] : llvm::enumerate(type.getResults())) {
    auto spec = toSpec(result, "output_" + std::to_string(i),
                       "result " + std::to_string(i) + " of @" + signature.name,
                       func.getResultAttr(i, kUnsignedAttr) != nullptr);
    if (!spec)
      return spec.takeError();
    signature.results.push_back(std::move(*spec));
  }
  return signature;
}

llvm::Expected<func::FuncOp> runtime::selectFunction(ModuleOp module,
                                                     llvm::StringRef name) {
  if (!name.empty()) {
    auto func = module.lookupSymbol<func::FuncOp>(name);
    if (!func || func.isExternal())
      return llvm::createStringError("no function @" + name.str() +
                                     " with a body in the module");
    return func;
  }
  SmallVector<func::FuncOp> candidates;
  for (auto func : module.getOps<func::FuncOp>())
    if (func.isPublic() && !func.isExternal())
      candidates.push_back(func);
  if (candidates.size() == 1)
    return candidates.front();
  if (auto main = module.lookupSymbol<func::FuncOp>("main"))
    if (!main.isExternal())
      return main;
  if (candidates.empty())
    return llvm::createStringError("the module has no public function");
  return llvm::createStringError(
      "the module has " + std::to_string(candidates.size()) +
      " public functions and none is named main; choose one with "
      "--function=NAME");
}

//===----------------------------------------------------------------------===//
// JSON
//===----------------------------------------------------------------------===//

static llvm::json::Value toJson(const TensorSpec &spec) {
  llvm::json::Array shape;
  for (int64_t dim : spec.shape)
    shape.push_back(dim);
  return llvm::json::Object{{"name", spec.name},
                            {"dtype", getDTypeName(spec.dtype)},
                            {"shape", std::move(shape)},
                            {"sub_byte_bits", spec.subByteBits}};
}

std::string runtime::serializeSignature(const FunctionSignature &signature) {
  llvm::json::Array inputs, results;
  for (const TensorSpec &spec : signature.inputs)
    inputs.push_back(toJson(spec));
  for (const TensorSpec &spec : signature.results)
    results.push_back(toJson(spec));
  llvm::json::Object root{{"version", 1},
                          {"function", signature.name},
                          {"inputs", std::move(inputs)},
                          {"results", std::move(results)}};
  std::string text;
  llvm::raw_string_ostream os(text);
  os << llvm::json::Value(std::move(root));
  return text;
}

static std::optional<DType> parseDTypeName(llvm::StringRef name) {
  for (DType dtype : {DType::F16, DType::F32, DType::F64, DType::I8, DType::U8,
                      DType::I16, DType::I32, DType::I64, DType::Bool})
    if (getDTypeName(dtype) == name)
      return dtype;
  return std::nullopt;
}

static llvm::Expected<SmallVector<TensorSpec>>
parseSpecs(const llvm::json::Array *array) {
  SmallVector<TensorSpec> specs;
  if (!array)
    return llvm::createStringError("signature: missing tensor list");
  for (const llvm::json::Value &value : *array) {
    const llvm::json::Object *object = value.getAsObject();
    if (!object)
      return llvm::createStringError("signature: tensor is not an object");
    TensorSpec spec;
    auto name = object->getString("name");
    auto dtype = parseDTypeName(object->getString("dtype").value_or(""));
    const llvm::json::Array *shape = object->getArray("shape");
    if (!name || !dtype || !shape)
      return llvm::createStringError("signature: malformed tensor entry");
    spec.name = name->str();
    spec.dtype = *dtype;
    spec.subByteBits = object->getInteger("sub_byte_bits").value_or(0);
    for (const llvm::json::Value &dim : *shape) {
      auto size = dim.getAsInteger();
      if (!size || *size < TensorSpec::kDynamic)
        return llvm::createStringError("signature: malformed shape");
      spec.shape.push_back(*size);
    }
    specs.push_back(std::move(spec));
  }
  return specs;
}

llvm::Expected<FunctionSignature>
runtime::parseSignature(llvm::StringRef json) {
  llvm::Expected<llvm::json::Value> value = llvm::json::parse(json);
  if (!value)
    return value.takeError();
  const llvm::json::Object *root = value->getAsObject();
  if (!root || root->getInteger("version") != 1)
    return llvm::createStringError("signature: unsupported version");
  FunctionSignature signature;
  signature.name = root->getString("function").value_or("").str();
  auto inputs = parseSpecs(root->getArray("inputs"));
  if (!inputs)
    return inputs.takeError();
  auto results = parseSpecs(root->getArray("results"));
  if (!results)
    return results.takeError();
  signature.inputs = std::move(*inputs);
  signature.results = std::move(*results);
  return signature;
}

//===----------------------------------------------------------------------===//
// Input checks
//===----------------------------------------------------------------------===//

llvm::Error runtime::checkInput(const TensorSpec &spec, const NpyArray &array,
                                size_t index) {
  std::string given = getDTypeName(array.dtype).str() + "[";
  for (size_t i = 0; i < array.shape.size(); ++i)
    given += (i ? "x" : "") + std::to_string(array.shape[i]);
  given += "]";
  std::string prefix = "input " + std::to_string(index) + " ('" + spec.name +
                       "', from '" + array.name + "'): ";
  if (array.dtype != spec.dtype)
    return llvm::createStringError(prefix + "expected dtype " +
                                   getDTypeName(spec.dtype).str() + " (" +
                                   spec.str() + "), given " + given);
  bool shapeMatches = array.shape.size() == spec.shape.size();
  for (size_t i = 0; shapeMatches && i < spec.shape.size(); ++i)
    shapeMatches = spec.shape[i] == TensorSpec::kDynamic ||
                   spec.shape[i] == array.shape[i];
  if (!shapeMatches)
    return llvm::createStringError(prefix + "expected shape " + spec.str() +
                                   ", given " + given);
  if (spec.subByteBits) {
    // Sub-byte storage travels one value per byte and must fit its bits.
    int64_t lo = spec.dtype == DType::I8 ? -(1 << (spec.subByteBits - 1)) : 0;
    int64_t hi = spec.dtype == DType::I8 ? (1 << (spec.subByteBits - 1)) - 1
                                         : (1 << spec.subByteBits) - 1;
    for (size_t i = 0; i < array.data.size(); ++i) {
      int64_t value = spec.dtype == DType::I8
                          ? static_cast<int8_t>(array.data[i])
                          : static_cast<int64_t>(array.data[i]);
      if (value < lo || value > hi)
        return llvm::createStringError(
            prefix + "element " + std::to_string(i) + " = " +
            std::to_string(value) + " does not fit " +
            std::to_string(spec.subByteBits) + "-bit storage [" +
            std::to_string(lo) + ", " + std::to_string(hi) + "]");
    }
  }
  return llvm::Error::success();
}
