//===- Importer.h - ONNX to MLIR (TOSA, linalg, qnt) ------------*- C++ -*-===//
//
// Imports an ONNX model as one func.func `@main` in TOSA and linalg on
// tensors, with qnt.quantize/dequantize for QuantizeLinear/DequantizeLinear
// of constant parameters. Initializers become dense_resource blobs; every op
// carries the location "<model>":0:0 named after its ONNX node.
//
//===----------------------------------------------------------------------===//

#ifndef QUANT_FRONTEND_ONNX_IMPORTER_H
#define QUANT_FRONTEND_ONNX_IMPORTER_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

#include <map>
#include <string>
#include <vector>

namespace mlir::qnt::onnx_frontend {

struct ImportOptions {
  /// Pinned input shapes by input name; -1 keeps a dimension dynamic.
  std::map<std::string, std::vector<int64_t>> inputShapes;
  /// Name of the generated function.
  std::string functionName = "main";
};

/// Imports `path`. Errors are reported through the context's diagnostic
/// handler (with the ONNX node's name) and yield failure.
FailureOr<OwningOpRef<ModuleOp>> importModel(MLIRContext *context,
                                             llvm::StringRef path,
                                             const ImportOptions &options);

/// Registers the dialects imported IR uses.
void registerImportDialects(DialectRegistry &registry);

} // namespace mlir::qnt::onnx_frontend

#endif // QUANT_FRONTEND_ONNX_IMPORTER_H
