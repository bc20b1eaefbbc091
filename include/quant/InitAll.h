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

} // namespace mlir::qnt

#endif // QUANT_INITALL_H
