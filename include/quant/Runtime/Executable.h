//===- Executable.h - Run compiled functions on NumPy arrays ----*- C++ -*-===//
//
// A compiled function with its signature, from a JIT-compiled MLIR module or
// a shared library made by quant-compile, called through its packed C
// entry point (`__quant_packed_<name>`, see CpuCodegen.h) on NumPy arrays.
//
//===----------------------------------------------------------------------===//

#ifndef QUANT_RUNTIME_EXECUTABLE_H
#define QUANT_RUNTIME_EXECUTABLE_H

#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/IR/BuiltinOps.h"
#include "quant/Pipelines/Pipelines.h"
#include "quant/Runtime/Npy.h"
#include "quant/Runtime/Signature.h"
#include "llvm/Support/DynamicLibrary.h"

#include <memory>
#include <vector>

namespace mlir::qnt::runtime {

/// Sets the number of threads compiled code runs parallel loops on (the
/// OpenMP runtime's; by default, all cores). Call after loading code.
llvm::Error setThreadCount(unsigned threads);

/// Runs body(0), ..., body(tasks - 1) on the threads of the OpenMP runtime
/// that compiled code runs on (a team of its current thread count, each
/// thread taking every n-th task), or one after the other when that runtime
/// is not loaded, there is one task, or the caller is already inside a
/// parallel region. Returns when all are done. For host code between
/// compiled calls (quant-calibrate's statistics): it shares the compiled
/// loops' threads instead of competing with them.
void parallelFor(unsigned tasks, llvm::function_ref<void(unsigned)> body);

/// How many tasks parallelFor runs at once: the OpenMP runtime's thread
/// count (see setThreadCount), or 1 when that runtime is not loaded or the
/// caller is inside a parallel region.
unsigned getParallelWidth();

/// The thread count a tool's user asked for: `--threads=N` (taken out of
/// `args`, the program's arguments: libLLVM registers an option named
/// "threads", so tools read this one before llvm::cl does), else
/// $QUANT_NUM_THREADS, else 0 (all cores). An error names a value that is
/// not a positive number.
llvm::Expected<unsigned> takeThreadCount(std::vector<char *> &args);

/// An error when QUANT_MAX_CPU_ISA names no instruction set: the kernels
/// would ignore it and run on all the CPU has. Tools call this at start.
llvm::Error checkMaxCpuIsa();

/// For programs that run compiled code on `threads` threads (0: all cores):
/// binds the OpenMP threads one per core (OMP_PROC_BIND=spread,
/// OMP_PLACES=cores) unless the environment already says how. Unbound, the
/// two threads of a 2-core machine often share one core for a whole short
/// run, which then takes twice the one-thread time. One thread stays
/// unbound: concurrent one-thread runs would all be bound to the first
/// core. Call before any OpenMP use.
void bindThreadsToCores(unsigned threads);

/// For programs that run compiled code many times (quant-run's benchmark,
/// quant-calibrate's batches): the C heap keeps the memory a run frees, so
/// the next run's buffers reuse mapped pages instead of faulting in fresh
/// ones. Changes the process's malloc settings (glibc; a no-op elsewhere).
void retainFreedMemory();

class Executable {
public:
  /// JIT-compiles `function` of `module` (tensor-level IR). With `observe`,
  /// its qnt.observe ops report to the observer runtime (calibration).
  static llvm::Expected<std::unique_ptr<Executable>>
  compile(ModuleOp module, llvm::StringRef function, bool observe = false,
          const CpuPipelineOptions &options = {});

  /// Loads a quant-compile shared library; `function` may be empty when the
  /// library holds one function.
  static llvm::Expected<std::unique_ptr<Executable>>
  load(llvm::StringRef path, llvm::StringRef function);

  const FunctionSignature &getSignature() const { return signature; }

  /// Checks and runs on `inputs` (in argument order) and returns the results
  /// as arrays named output_<i>.
  llvm::Expected<std::vector<NpyArray>> run(llvm::ArrayRef<NpyArray> inputs);

  /// Writes the JIT-compiled object code (compile() only).
  llvm::Error dumpObject(llvm::StringRef path);

private:
  using PackedFn = void (*)(void **);
  Executable() = default;

  FunctionSignature signature;
  PackedFn entry = nullptr;
  std::unique_ptr<ExecutionEngine> engine;
  llvm::sys::DynamicLibrary library;
};

} // namespace mlir::qnt::runtime

#endif // QUANT_RUNTIME_EXECUTABLE_H
