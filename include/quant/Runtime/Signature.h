//===- Signature.h - Host-visible signatures of compiled functions -*- C++
//-*-===//
//
// What a caller must pass to and gets back from a compiled function: per
// argument and result, a name, a NumPy dtype and a shape with dynamic
// dimensions. Quantized tensors appear as their storage integers. The
// signature travels with artifacts as JSON so that quant-run can check
// inputs of a shared library as well as of a JIT-compiled module.
//
//===----------------------------------------------------------------------===//

#ifndef QUANT_RUNTIME_SIGNATURE_H
#define QUANT_RUNTIME_SIGNATURE_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "quant/Runtime/Npy.h"
#include "llvm/Support/Error.h"

#include <string>

namespace mlir::qnt::runtime {

/// One tensor argument or result.
struct TensorSpec {
  /// The argument's `qnt.input_name` attribute if present, else "arg<i>" /
  /// "output_<i>".
  std::string name;
  DType dtype = DType::F32;
  /// Dimensions; `kDynamic` (-1) where any size is accepted.
  llvm::SmallVector<int64_t> shape;
  /// Storage bits narrower than a byte (4 for i4/u4), else 0. Such values
  /// travel one per byte, sign- or zero-extended per `dtype`.
  unsigned subByteBits = 0;

  static constexpr int64_t kDynamic = -1;

  /// "float32[?x4]".
  std::string str() const;
};

/// The signature of one function.
struct FunctionSignature {
  std::string name;
  llvm::SmallVector<TensorSpec> inputs;
  llvm::SmallVector<TensorSpec> results;
};

/// The argument attribute that names an input (e.g. the ONNX input name).
constexpr llvm::StringLiteral kInputNameAttr = "qnt.input_name";
/// The argument/result attribute marking signless integers as unsigned
/// (ONNX uint8 tensors): their dtype becomes uint8 (uint16, ...).
constexpr llvm::StringLiteral kUnsignedAttr = "qnt.unsigned";

/// The host signature of a tensor-level function. Fails with a message for
/// arguments or results that are not ranked tensors of supported types.
llvm::Expected<FunctionSignature> getFunctionSignature(func::FuncOp func);

/// The function quant-run runs by default: `name` if given, else the only
/// public function, else `main`.
llvm::Expected<func::FuncOp> selectFunction(ModuleOp module,
                                            llvm::StringRef name);

/// JSON form of signatures, as stored in artifacts.
std::string serializeSignature(const FunctionSignature &signature);
llvm::Expected<FunctionSignature> parseSignature(llvm::StringRef json);

/// Checks `array` against `spec`; the error names input `index`, the
/// expected and the given dtype or shape.
llvm::Error checkInput(const TensorSpec &spec, const NpyArray &array,
                       size_t index);

} // namespace mlir::qnt::runtime

#endif // QUANT_RUNTIME_SIGNATURE_H
