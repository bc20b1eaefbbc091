//===- Registration.cpp - C API registration of quant ---------------------===//
//
// Implements quant-c/Registration.h on top of quant/InitAll.h.
//
//===----------------------------------------------------------------------===//

#include "quant-c/Registration.h"

#include "mlir/CAPI/IR.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "quant/InitAll.h"

void quantRegisterAllDialects(MlirDialectRegistry registry) {
  if (mlirDialectRegistryIsNull(registry))
    return;
  mlir::DialectRegistry *cppRegistry = unwrap(registry);
  mlir::qnt::registerQuantDialects(*cppRegistry);
  cppRegistry->insert<mlir::func::FuncDialect, mlir::tensor::TensorDialect>();
}

void quantRegisterAllPasses(void) { mlir::qnt::registerQuantPasses(); }
