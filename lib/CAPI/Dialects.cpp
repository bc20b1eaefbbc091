//===- Dialects.cpp - C API for the qnt dialect ---------------------------===//
//
// Defines the dialect handle declared in quant-c/Dialects.h.
//
//===----------------------------------------------------------------------===//

#include "quant-c/Dialects.h"

#include "mlir/CAPI/Registration.h"
#include "quant/Dialect/Qnt/IR/QntDialect.h"

MLIR_DEFINE_CAPI_DIALECT_REGISTRATION(Qnt, qnt, mlir::qnt::QntDialect)
