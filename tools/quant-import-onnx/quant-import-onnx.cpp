//===- quant-import-onnx.cpp - ONNX model to MLIR -------------------------===//
//
// quant-import-onnx MODEL.onnx -o OUT.mlir|OUT.mlirbc
//                   [--input-shape=NAME:1x3x224x224] [--function=main]
//
// Imports an ONNX model (float or QDQ) as TOSA/linalg + qnt IR. The output
// is written only if the import and the verifier succeed.
//
//===----------------------------------------------------------------------===//

#include "mlir/Bytecode/BytecodeWriter.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "quant/Frontend/ONNX/Importer.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/ToolOutputFile.h"

using namespace mlir;
namespace cl = llvm::cl;

static cl::opt<std::string> inputPath(cl::Positional, cl::Required,
                                      cl::desc("<model.onnx>"));
static cl::opt<std::string> outputPath("o", cl::Required,
                                       cl::desc("Output .mlir or .mlirbc"));
static cl::list<std::string> inputShapes(
    "input-shape",
    cl::desc("Pin an input's shape: NAME:DxDx... ('?' keeps a dimension)"));
static cl::opt<std::string> functionName("function", cl::init("main"),
                                         cl::desc("Name of the function"));

static int fail(const llvm::Twine &message) {
  llvm::errs() << "quant-import-onnx: error: " << message << "\n";
  return 1;
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  cl::ParseCommandLineOptions(argc, argv, "ONNX to MLIR importer\n");

  if (functionName.empty())
    return fail("--function needs a name");
  qnt::onnx_frontend::ImportOptions options;
  options.functionName = functionName;
  for (llvm::StringRef spec : inputShapes) {
    auto [name, dims] = spec.rsplit(':');
    if (name.empty() || dims.empty())
      return fail("--input-shape '" + spec + "' is not NAME:DxD...");
    std::vector<int64_t> shape;
    SmallVector<llvm::StringRef> parts;
    dims.split(parts, 'x');
    for (llvm::StringRef part : parts) {
      int64_t dim = -1;
      if (part != "?" && (part.getAsInteger(10, dim) || dim < 0))
        return fail("--input-shape '" + spec + "' has a bad dimension '" +
                    part + "'");
      shape.push_back(dim);
    }
    options.inputShapes[name.str()] = shape;
  }
  llvm::StringRef extension = llvm::sys::path::extension(outputPath);
  if (extension != ".mlir" && extension != ".mlirbc")
    return fail("output '" + outputPath + "' must end in .mlir or .mlirbc");

  DialectRegistry registry;
  qnt::onnx_frontend::registerImportDialects(registry);
  MLIRContext context(registry);
  llvm::SourceMgr sourceMgr;
  SourceMgrDiagnosticHandler diagnostics(sourceMgr, &context);

  auto module = qnt::onnx_frontend::importModel(&context, inputPath, options);
  if (failed(module))
    return fail("cannot import '" + inputPath + "'");
  if (failed(verify(module->get())))
    return fail("the imported module does not verify");

  std::error_code ec;
  // ToolOutputFile removes the file unless keep() is called.
  llvm::ToolOutputFile output(outputPath, ec, llvm::sys::fs::OF_None);
  if (ec)
    return fail("cannot write '" + outputPath + "': " + ec.message());
  if (extension == ".mlirbc") {
    if (failed(writeBytecodeToFile(module->get(), output.os())))
      return fail("cannot write bytecode");
  } else {
    // Locations carry the ONNX node names that later diagnostics and
    // observer ids use, so the text form keeps them like bytecode does.
    module->get()->print(output.os(),
                         OpPrintingFlags().enableDebugInfo(/*enable=*/true));
  }
  output.os().flush();
  if (output.os().has_error())
    return fail("error writing '" + outputPath + "'");
  output.keep();
  return 0;
}
