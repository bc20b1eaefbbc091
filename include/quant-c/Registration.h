//===- Registration.h - C API registration of quant ---------------*- C -*-===//
//
// Registers what quant provides (the qnt dialect and the upstream dialects it
// depends on; its passes) with a C API registry or the global pass registry.
//
//===----------------------------------------------------------------------===//

#ifndef QUANT_C_REGISTRATION_H
#define QUANT_C_REGISTRATION_H

#include "mlir-c/IR.h"
#include "mlir-c/Support.h"

#ifdef __cplusplus
extern "C" {
#endif

/// Adds qnt and the dialects its IR uses (quant, arith, func, tensor) to
/// `registry`. Does nothing for a null registry.
MLIR_CAPI_EXPORTED void quantRegisterAllDialects(MlirDialectRegistry registry);

/// Registers the quant passes so that textual pipelines can name them.
MLIR_CAPI_EXPORTED void quantRegisterAllPasses(void);

#ifdef __cplusplus
}
#endif

#endif // QUANT_C_REGISTRATION_H
