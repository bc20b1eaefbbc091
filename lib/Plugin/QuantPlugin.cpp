//===- QuantPlugin.cpp - qnt as a plugin of upstream mlir-opt -------------===//
//
// Lets an unmodified mlir-opt parse qnt IR (--load-dialect-plugin) and run
// the quant passes (--load-pass-plugin). Built against libMLIR.so so that it
// shares one MLIR with the host tool.
//
//===----------------------------------------------------------------------===//

#include "mlir/Tools/Plugins/DialectPlugin.h"
#include "mlir/Tools/Plugins/PassPlugin.h"
#include "quant/InitAll.h"
#include "llvm/Config/llvm-config.h"

extern "C" LLVM_ATTRIBUTE_WEAK mlir::DialectPluginLibraryInfo
mlirGetDialectPluginInfo() {
  return {MLIR_PLUGIN_API_VERSION, "QuantPlugin", LLVM_VERSION_STRING,
          [](mlir::DialectRegistry *registry) {
            mlir::qnt::registerQuantDialects(*registry);
          }};
}

extern "C" LLVM_ATTRIBUTE_WEAK mlir::PassPluginLibraryInfo
mlirGetPassPluginInfo() {
  return {MLIR_PLUGIN_API_VERSION, "QuantPlugin", LLVM_VERSION_STRING,
          []() { mlir::qnt::registerQuantPasses(); }};
}
