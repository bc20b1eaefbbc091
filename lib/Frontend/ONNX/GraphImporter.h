//===- GraphImporter.h - State shared by the ONNX op importers --*- C++ -*-===//
//
// The graph walk: values by ONNX name, constants, types, attributes and
// diagnostics, used by the op handlers in Ops*.cpp.
//
//===----------------------------------------------------------------------===//

#ifndef QUANT_LIB_FRONTEND_ONNX_GRAPHIMPORTER_H
#define QUANT_LIB_FRONTEND_ONNX_GRAPHIMPORTER_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "quant/Frontend/ONNX/Importer.h"
#include "quant/Frontend/ONNX/ModelLoader.h"
#include "llvm/ADT/StringMap.h"

#include <onnx/onnx_pb.h>

namespace mlir::qnt::onnx_frontend {

class GraphImporter;
using OpHandler = LogicalResult (*)(GraphImporter &, const onnx::NodeProto &);

/// Handlers by op type (default domain), filled by each Ops*.cpp.
void registerElementwiseOps(llvm::StringMap<OpHandler> &handlers);
void registerTensorOps(llvm::StringMap<OpHandler> &handlers);
void registerNNOps(llvm::StringMap<OpHandler> &handlers);
void registerQuantizationOps(llvm::StringMap<OpHandler> &handlers);
void registerReductionOps(llvm::StringMap<OpHandler> &handlers);
void registerRecurrentOps(llvm::StringMap<OpHandler> &handlers);

class GraphImporter {
public:
  GraphImporter(MLIRContext *context, LoadedModel &model, llvm::StringRef path,
                const ImportOptions &options);

  FailureOr<OwningOpRef<ModuleOp>> run();

  //===--------------------------------------------------------------===//
  // For op handlers
  //===--------------------------------------------------------------===//

  OpBuilder builder;
  MLIRContext *getContext() { return builder.getContext(); }
  int64_t getOpset() const { return opset; }

  /// The location of `node`: its name over "<model file>":0:0.
  Location getLoc(const onnx::NodeProto &node);
  /// An error at `node` starting "node '<name>' (<op>): ".
  InFlightDiagnostic emitError(const onnx::NodeProto &node);

  /// Whether input `i` is given (present and not the empty name).
  bool hasInput(const onnx::NodeProto &node, int i) const;
  /// Input `i` with quantized element types reinterpreted as their storage
  /// integers; emits an error and returns null if missing.
  Value getInput(const onnx::NodeProto &node, int i);
  /// All inputs of a variadic node (storage form); error if there are none
  /// or one is missing.
  FailureOr<SmallVector<Value>> getAllInputs(const onnx::NodeProto &node);
  /// Input `i` as recorded (possibly a tensor of !quant.uniform).
  Value getRawInput(const onnx::NodeProto &node, int i);
  /// Whether named value is unsigned (ONNX uint8/16/32/64 or a quantized
  /// type with unsigned storage).
  bool isUnsigned(llvm::StringRef name) const;
  /// Records output `i`, converting to the type ONNX shape inference gave
  /// it (tensor.cast) when that is more static.
  void setOutput(const onnx::NodeProto &node, int i, Value value);
  /// Records output `i` as the constant `value` (kept for folding).
  void setConstantOutput(const onnx::NodeProto &node, int i,
                         DenseElementsAttr value);
  /// The ONNX element type (TensorProto::DataType) of a named value.
  int32_t getElementKind(llvm::StringRef name) const;
  /// The inferred type of value `name`, if ONNX knows it.
  std::optional<RankedTensorType> getInferredType(llvm::StringRef name) const;

  /// The constant value of `name` (initializer or Constant output) as a
  /// DenseElementsAttr, if it is one and holds at most `maxElements`.
  std::optional<DenseElementsAttr> getConstant(llvm::StringRef name,
                                               int64_t maxElements = 1 << 16);
  /// Constant integer vector (e.g. shapes, axes) of input `i`.
  std::optional<SmallVector<int64_t>> getConstantInts(const onnx::NodeProto &n,
                                                      int i);

  // Attributes.
  const onnx::AttributeProto *getAttr(const onnx::NodeProto &node,
                                      llvm::StringRef name) const;
  int64_t getInt(const onnx::NodeProto &node, llvm::StringRef name,
                 int64_t defaultValue) const;
  float getFloat(const onnx::NodeProto &node, llvm::StringRef name,
                 float defaultValue) const;
  std::string getString(const onnx::NodeProto &node, llvm::StringRef name,
                        llvm::StringRef defaultValue) const;
  std::optional<SmallVector<int64_t>> getInts(const onnx::NodeProto &node,
                                              llvm::StringRef name) const;

  /// The MLIR element type of an ONNX data type (signless integers).
  Type getElementType(int32_t kind);
  /// A tensor type from an ONNX type proto (dynamic where unknown).
  std::optional<RankedTensorType> convertType(const onnx::TypeProto &type);
  /// Converts an initializer or Constant tensor to an attribute: small ones
  /// as dense elements, large ones as a dense_resource blob.
  FailureOr<ElementsAttr> convertTensor(const onnx::TensorProto &tensor,
                                        Location loc);

private:
  LogicalResult importInputs(func::FuncOp func);
  LogicalResult importNode(const onnx::NodeProto &node);

  /// Non-const: external data is unmapped once copied into its blob.
  LoadedModel &model;
  std::string path;
  const ImportOptions &options;
  int64_t opset = 0;
  llvm::StringMap<Value> values;
  llvm::StringMap<int32_t> elementKinds;
  llvm::StringMap<const onnx::TypeProto *> valueTypes;
  llvm::StringMap<const onnx::TensorProto *> initializers;
  llvm::StringMap<DenseElementsAttr> constants;
  llvm::StringMap<OpHandler> handlers;
};

} // namespace mlir::qnt::onnx_frontend

#endif // QUANT_LIB_FRONTEND_ONNX_GRAPHIMPORTER_H
