//===- CpuCodegen.h - Lower modules to CPU code with entry points -*- C++
//-*-===//
//
// Lowers a tensor-level module for the host CPU and adds what callers need
// to find and check each compiled function: a packed entry point
// `__quant_packed_<name>(void **args)`, its JSON signature
// `__quant_signature_<name>` and the list `__quant_functions`. The JIT
// (quant-run) and object files (quant-compile) share these symbols.
//
//===----------------------------------------------------------------------===//

#ifndef QUANT_RUNTIME_CPUCODEGEN_H
#define QUANT_RUNTIME_CPUCODEGEN_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "quant/Pipelines/Pipelines.h"
#include "quant/Runtime/Signature.h"
#include "llvm/Support/Error.h"

#include <functional>

namespace llvm {
class Module;
class TargetMachine;
} // namespace llvm

namespace mlir::qnt::runtime {

/// Symbol names of a compiled function's entry point and signature.
std::string getPackedEntrySymbol(llvm::StringRef function);
std::string getSignatureSymbol(llvm::StringRef function);
/// Comma-separated names of the compiled functions (NUL-terminated string).
constexpr llvm::StringLiteral kFunctionListSymbol = "__quant_functions";

/// Lowers a copy of `module` with qnt-lower-to-cpu-pipeline and adds entry
/// points and signatures for `signatures`. With `observe`, qnt.observe ops
/// first become calls into the observer runtime (calibration runs).
/// Diagnostics go to the context.
FailureOr<OwningOpRef<ModuleOp>>
lowerForCpu(ModuleOp module, llvm::ArrayRef<FunctionSignature> signatures,
            bool observe = false, const CpuPipelineOptions &options = {});

/// LLVM's -O3 pipeline on a translated module, with `machine`'s cost model
/// (without one, the loop vectorizer sees no vector registers and leaves
/// the loops between layers scalar). Shared by the JIT and the object file.
llvm::Error optimizeForCpu(llvm::Module &module, llvm::TargetMachine *machine);

/// optimizeForCpu for the host CPU (all its features), as the JIT runs it;
/// the transformer owns its target machine.
llvm::Expected<std::function<llvm::Error(llvm::Module *)>> makeHostOptimizer();

/// Writes an object file of a lowered module as position-independent code
/// (so it links into shared libraries), for the host CPU with `cpu` =
/// "native", else for the named LLVM CPU (x86-64-v4, sapphirerapids, ...)
/// with all of its features; an unknown name is an error.
llvm::Error emitObjectFile(ModuleOp lowered, llvm::StringRef path,
                           llvm::StringRef cpu = "native");

/// A C header declaring the C interface of `signatures`: memref descriptor
/// structs and `void _mlir_ciface_<name>(results *, args *...)`.
std::string emitCHeader(llvm::ArrayRef<FunctionSignature> signatures,
                        llvm::StringRef guard);

} // namespace mlir::qnt::runtime

#endif // QUANT_RUNTIME_CPUCODEGEN_H
