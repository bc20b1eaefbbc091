//===- InitAll.h - Register quant dialects and passes -----------*- C++ -*-===//
//
// One place that registers what quant provides, for tools, the C API and the
// plugin.
//
//===----------------------------------------------------------------------===//

#ifndef QUANT_INITALL_H
#define QUANT_INITALL_H

#include "mlir/IR/DialectRegistry.h"

namespace mlir::qnt {

/// Adds the dialects quant defines to `registry`.
void registerQuantDialects(DialectRegistry &registry);

/// Registers the passes and pipelines quant defines.
void registerQuantPasses();

/// What a tool that compiles to the CPU needs: quant's and upstream's
/// dialects and extensions, and the translations to LLVM IR.
void registerCompilerDialects(DialectRegistry &registry);

} // namespace mlir::qnt

#endif // QUANT_INITALL_H
