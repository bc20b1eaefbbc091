//===- Pipelines.h - quant pass pipelines -----------------------*- C++ -*-===//
//
// Named pipelines from qnt IR to executable code, usable from quant-opt
// (`--qnt-lower-to-cpu-pipeline`), the JIT runner and C++ clients.
//
//===----------------------------------------------------------------------===//

#ifndef QUANT_PIPELINES_PIPELINES_H
#define QUANT_PIPELINES_PIPELINES_H

#include "mlir/Pass/PassManager.h"

namespace mlir::qnt {

/// Choices of qnt-lower-to-cpu-pipeline.
struct CpuPipelineOptions {
  /// int8 matmuls and convolutions with constant weights run on the kernel
  /// library (convert-qnt-to-kernels); off, they become generic loops like
  /// every other op (the reference the kernels are tested against).
  bool int8Kernels = true;
  /// Likewise for fp32 matmuls and convolutions (convert-linalg-to-kernels).
  bool floatKernels = true;
};

/// Appends the lowering from linalg/tensor + qnt IR on tensors to the LLVM
/// dialect for the host CPU: int8 layers to kernel calls, qnt casts to
/// linalg, bufferization with owned results, loops, LLVM; every function
/// gets a C interface wrapper (`_mlir_ciface_<name>`). Fails if an upstream
/// pass is not registered.
LogicalResult buildLowerToCpuPipeline(OpPassManager &pm,
                                      const CpuPipelineOptions &options = {});

/// Registers `qnt-lower-to-cpu-pipeline`.
void registerQuantPipelines();

} // namespace mlir::qnt

#endif // QUANT_PIPELINES_PIPELINES_H
