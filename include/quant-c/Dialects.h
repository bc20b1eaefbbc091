//===- Dialects.h - C API for the qnt dialect ---------------------*- C -*-===//
//
// The dialect handle of `qnt`, for C clients and language bindings.
//
//===----------------------------------------------------------------------===//

#ifndef QUANT_C_DIALECTS_H
#define QUANT_C_DIALECTS_H

#include "mlir-c/IR.h"

#ifdef __cplusplus
extern "C" {
#endif

MLIR_DECLARE_CAPI_DIALECT_REGISTRATION(Qnt, qnt);

#ifdef __cplusplus
}
#endif

#endif // QUANT_C_DIALECTS_H
