//===- InitAll.cpp - Register quant dialects and passes -------------------===//
//
// Registration entry points shared by quant-opt, the C API and the plugin.
//
//===----------------------------------------------------------------------===//

#include "quant/InitAll.h"

#include "quant/Conversion/Passes.h"
#include "quant/Dialect/Qnt/IR/QntDialect.h"
#include "quant/Dialect/Qnt/Transforms/Passes.h"
#include "quant/Pipelines/Pipelines.h"

#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/OpenMP/OpenMPToLLVMIRTranslation.h"

void mlir::qnt::registerQuantDialects(DialectRegistry &registry) {
  registry.insert<QntDialect, quant::QuantDialect, arith::ArithDialect>();
}

void mlir::qnt::registerQuantPasses() {
  registerQntPasses();
  registerQuantConversionPasses();
  registerQuantPipelines();
}

void mlir::qnt::registerCompilerDialects(DialectRegistry &registry) {
  registerQuantDialects(registry);
  registerAllDialects(registry);
  registerAllExtensions(registry);
  registerBuiltinDialectTranslation(registry);
  registerLLVMDialectTranslation(registry);
  registerOpenMPDialectTranslation(registry);
}

mlir::OwningOpRef<mlir::ModuleOp>
mlir::qnt::parseModuleFile(llvm::StringRef path, llvm::SourceMgr &sourceMgr,
                           mlir::MLIRContext *context, std::string &error) {
  auto file = openInputFile(path, &error);
  if (!file)
    return nullptr;
  sourceMgr.AddNewSourceBuffer(std::move(file), llvm::SMLoc());
  OwningOpRef<ModuleOp> module = parseSourceFile<ModuleOp>(sourceMgr, context);
  if (!module)
    error = "cannot parse '" + path.str() + "'";
  return module;
}
