//===- InitAll.h - Register quant dialects and passes -----------*- C++ -*-===//
//
// One place that registers what quant provides, for tools, the C API and the
// plugin.
//
//===----------------------------------------------------------------------===//

#ifndef QUANT_INITALL_H
#define QUANT_INITALL_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/Support/SourceMgr.h"

#include <string>

namespace mlir::qnt {

/// Adds the dialects quant defines to `registry`.
void registerQuantDialects(DialectRegistry &registry);

/// Registers the passes and pipelines quant defines.
void registerQuantPasses();

/// What a tool that compiles to the CPU needs: quant's and upstream's
/// dialects and extensions, and the translations to LLVM IR.
void registerCompilerDialects(DialectRegistry &registry);

/// Opens and parses a module file (text or bytecode) for a tool. On failure
/// returns null with `error` set to "cannot open ..." or "cannot parse
/// '<path>'" (parse diagnostics go to the context's handler first).
OwningOpRef<ModuleOp> parseModuleFile(llvm::StringRef path,
                                      llvm::SourceMgr &sourceMgr,
                                      MLIRContext *context, std::string &error);

} // namespace mlir::qnt

#endif // QUANT_INITALL_H
