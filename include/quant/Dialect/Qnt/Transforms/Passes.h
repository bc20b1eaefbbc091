//===- Passes.h - qnt transformation passes ---------------------*- C++ -*-===//
//
// Declarations and registration of the passes in Passes.td.
//
//===----------------------------------------------------------------------===//

#ifndef QUANT_DIALECT_QNT_TRANSFORMS_PASSES_H
#define QUANT_DIALECT_QNT_TRANSFORMS_PASSES_H

#include "mlir/Pass/Pass.h"
#include "quant/Dialect/Qnt/IR/QntDialect.h"

namespace mlir::qnt {

#define GEN_PASS_DECL
#include "quant/Dialect/Qnt/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "quant/Dialect/Qnt/Transforms/Passes.h.inc"

} // namespace mlir::qnt

#endif // QUANT_DIALECT_QNT_TRANSFORMS_PASSES_H
