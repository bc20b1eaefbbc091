//===- quant-opt.cpp - quant pass driver ----------------------------------===//
//
// mlir-opt with the qnt dialect, passes and pipelines, plus the upstream
// dialects and passes quantized models meet on their way to CPU and GPU
// code.
//
//===----------------------------------------------------------------------===//

#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "quant/InitAll.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  mlir::qnt::registerQuantDialects(registry);
  // Upstream dialects with their external interface models (bufferization
  // of arith/tensor/linalg, for one): the pipelines need them.
  mlir::registerAllDialects(registry);
  // Cross-dialect interfaces (func inlining, LLVM translation, ...).
  mlir::registerAllExtensions(registry);
  mlir::registerAllPasses();
  mlir::qnt::registerQuantPasses();
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "quant optimizer driver\n", registry));
}
