//===- ModelLoader.h - Safe loading of ONNX model files ---------*- C++ -*-===//
//
// Reads an ONNX ModelProto with size limits, resolves external data confined
// to the model's directory, and runs ONNX shape inference, turning every
// failure (including exceptions thrown inside libonnx) into an error
// message. Nothing here aborts on malformed input.
//
//===----------------------------------------------------------------------===//

#ifndef QUANT_FRONTEND_ONNX_MODELLOADER_H
#define QUANT_FRONTEND_ONNX_MODELLOADER_H

#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/MemoryBuffer.h"

#include <memory>

namespace onnx {
class ModelProto;
class TensorProto;
} // namespace onnx

namespace mlir::qnt::onnx_frontend {

/// A parsed model and the bytes of its external tensors.
struct LoadedModel {
  LoadedModel();
  ~LoadedModel();
  LoadedModel(LoadedModel &&);

  std::unique_ptr<onnx::ModelProto> model;
  /// External data per initializer name: a read-only slice of its file.
  llvm::StringMap<std::unique_ptr<llvm::MemoryBuffer>> externalData;
};

/// Loads `path`: parses the protobuf, checks and maps external data, infers
/// shapes. `maxBytes` bounds the model file (protobuf cannot hold 2 GiB).
llvm::Expected<LoadedModel> loadModel(llvm::StringRef path,
                                      uint64_t maxBytes = (1ull << 31) - 1);

/// The raw little-endian bytes of a tensor, whichever field holds them
/// (raw_data, typed repeated fields, external data), converted to the
/// packed element layout; error if the count does not match the shape.
llvm::Expected<std::vector<char>> getTensorBytes(const LoadedModel &model,
                                                 const onnx::TensorProto &t);

/// Bytes per element of an ONNX TensorProto data type; 0 if unsupported.
size_t getElementSize(int32_t dataType);

} // namespace mlir::qnt::onnx_frontend

#endif // QUANT_FRONTEND_ONNX_MODELLOADER_H
