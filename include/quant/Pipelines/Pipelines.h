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

/// Appends the lowering from linalg/tensor + qnt IR on tensors to the LLVM
/// dialect for the host CPU: qnt casts to linalg, bufferization with owned
/// results, loops, LLVM; every function gets a C interface wrapper
/// (`_mlir_ciface_<name>`). Fails if an upstream pass is not registered.
LogicalResult buildLowerToCpuPipeline(OpPassManager &pm);

/// Registers `qnt-lower-to-cpu-pipeline`.
void registerQuantPipelines();

} // namespace mlir::qnt

#endif // QUANT_PIPELINES_PIPELINES_H
