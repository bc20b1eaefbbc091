//===- quant-compile.cpp - Compile a module ahead of time -----------------===//
//
// quant-compile MODEL.mlir|MODEL.onnx --target=cpu -o OUT.o|OUT.so|OUT.mlir
//               [--function=NAME] [--header=OUT.h] [--cpu=native|NAME]
//               [--calibration-data=DATA [--calibration-method=M] ...]
//
// Lowers the public functions of a tensor-level module (or an imported ONNX
// model) for the host CPU and writes an object file or a shared library plus
// a C header declaring the entry points. With calibration data (or
// --calibration-stats) it first quantizes the model after training:
// qnt-insert-observers, a JIT calibration run, qnt-fold-observers,
// qnt-fuse-qdq and qnt-pack-weights. With --fuse-qdq, a model that is
// already quantized (QAT, QDQ ONNX) gets integer kernels the same way.
// quant-run runs the shared library; C programs link either. An OUT.mlir
// output is the module after quantization, before lowering (what the other
// outputs are compiled from). Outputs appear only when everything succeeded.
//
//===----------------------------------------------------------------------===//

#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"
#include "quant/Calibration/Calibrator.h"
#include "quant/Calibration/RangeMethods.h"
#include "quant/Dialect/Qnt/Transforms/Passes.h"
#include "quant/Frontend/ONNX/Importer.h"
#include "quant/InitAll.h"
#include "quant/Runtime/CpuCodegen.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace mlir::qnt::runtime;
namespace calib = mlir::qnt::calib;
namespace cl = llvm::cl;

static cl::opt<std::string> inputPath(cl::Positional, cl::Required,
                                      cl::desc("<module.mlir|model.onnx>"));
static cl::opt<std::string>
    outputPath("o", cl::Required,
               cl::desc("Output .o or .so file, or .mlir for the quantized "
                        "module before lowering"));
static cl::opt<std::string> target("target", cl::init("cpu"),
                                   cl::desc("Code generation target (cpu)"));
static cl::opt<std::string>
    cpu("cpu", cl::init("native"),
        cl::desc("CPU to generate code for: native (this machine, default) "
                 "or an LLVM CPU name (x86-64-v4, sapphirerapids, ...); the "
                 "int8 kernels choose their path at run time either way"));
static cl::list<std::string>
    functions("function",
              cl::desc("Function to compile (default: every public one)"));
static cl::opt<std::string>
    headerPath("header", cl::desc("C header to write (default: OUT with .h)"));

static cl::OptionCategory ptqCategory("Post-training quantization");
static cl::opt<std::string> calibrationData(
    "calibration-data",
    cl::desc("Calibrate on these samples (.npz or a directory) and compile "
             "an int8 model"),
    cl::cat(ptqCategory));
static cl::opt<std::string> calibrationStats(
    "calibration-stats",
    cl::desc("Use statistics quant-calibrate wrote for this model instead "
             "of running calibration"),
    cl::cat(ptqCategory));
static cl::opt<std::string> calibrationMethod(
    "calibration-method", cl::init("mse"),
    cl::desc("Range method: minmax, moving-average, percentile, entropy, mse"),
    cl::cat(ptqCategory));
static cl::opt<double>
    percentile("percentile", cl::init(99.99),
               cl::desc("Percentile kept by --calibration-method=percentile"),
               cl::cat(ptqCategory));
static cl::opt<int64_t>
    calibrationBatch("calibration-batch", cl::init(0),
                     cl::desc("Samples per calibration run"),
                     cl::cat(ptqCategory));
static cl::opt<std::string>
    weightGranularity("weight-granularity", cl::init("per-channel"),
                      cl::desc("per-channel or per-tensor weight scales"),
                      cl::cat(ptqCategory));
static cl::opt<std::string> reportPath(
    "report",
    cl::desc("Write the per-layer quantization report to PATH.md and "
             "PATH.json"),
    cl::cat(ptqCategory));
static cl::list<std::string> overrides(
    "calibration-override",
    cl::desc("ID=METHOD: another range method for one observer (ID=float "
             "leaves that value in float); repeatable"),
    cl::cat(ptqCategory));
static cl::opt<bool> int8Kernels(
    "int8-kernels",
    cl::desc("Run int8 matmuls and convolutions with constant weights on "
             "the kernel library (default); =false compiles them to generic "
             "loops"),
    cl::init(true));

static cl::opt<bool> floatKernels(
    "float-kernels",
    cl::desc("Run fp32 matmuls and convolutions with constant weights on "
             "the kernel library (default); =false compiles them to generic "
             "loops"),
    cl::init(true));

static cl::opt<bool> fuseQdq(
    "fuse-qdq",
    cl::desc("Compile the model's own quantize/dequantize pairs (a QAT or "
             "QDQ model) into integer kernels"),
    cl::cat(ptqCategory));
static cl::opt<std::string>
    statsOut("save-calibration-stats",
             cl::desc("Also write the calibration statistics to this file"),
             cl::cat(ptqCategory));

static int fail(const llvm::Twine &message) {
  llvm::errs() << "quant-compile: error: " << message << "\n";
  return 1;
}

/// Removes the temporary files it holds unless released.
struct TempFiles {
  SmallVector<std::string> paths;
  ~TempFiles() {
    for (const std::string &path : paths)
      llvm::sys::fs::remove(path);
  }
  /// A new temporary path next to `final`.
  llvm::Expected<std::string> next(llvm::StringRef final) {
    SmallString<128> path;
    if (std::error_code ec =
            llvm::sys::fs::createUniqueFile(final + ".tmp-%%%%%%", path))
      return llvm::createStringError("cannot create a file next to '" +
                                     final.str() + "': " + ec.message());
    paths.push_back(path.str().str());
    return paths.back();
  }
};

/// Links `object` and the int8 kernel library (C++) it calls into
/// `output` with the system compiler driver: a shared library, or one
/// relocatable object that C programs link with -lomp -lstdc++ -lm.
static llvm::Error linkArtifact(llvm::StringRef object, llvm::StringRef output,
                                bool shared) {
  auto driver = llvm::sys::findProgramByName("cc");
  if (!driver)
    return llvm::createStringError("no C compiler driver 'cc' to link '" +
                                   output.str() + "'");
  std::string error;
  SmallVector<llvm::StringRef> args = {*driver};
  if (shared)
    // -Bsymbolic: calls inside the library never resolve to the host
    // program. Parallel loops need LLVM's OpenMP runtime at run time.
    args.append({"-shared", "-Wl,-Bsymbolic"});
  else
    args.append({"-r", "-nostdlib"});
  args.append({"-o", output, object, QUANT_KERNELS_ARCHIVE});
  if (shared)
    args.append({"-L" QUANT_LIBOMP_DIR, "-Wl,-rpath," QUANT_LIBOMP_DIR, "-lomp",
                 "-lstdc++", "-lm"});
  int status =
      llvm::sys::ExecuteAndWait(*driver, args, std::nullopt, {}, 0, 0, &error);
  if (status != 0)
    return llvm::createStringError("linking '" + output.str() +
                                   "' failed: " + error);
  return llvm::Error::success();
}

/// Post-training quantization of `module` in place.
static int quantize(ModuleOp module, TempFiles &temps) {
  if (!calibrationData.empty() && !calibrationStats.empty())
    return fail("give --calibration-data or --calibration-stats, not both");
  if (!calib::parseRangeMethod(calibrationMethod))
    return fail("unknown --calibration-method '" + calibrationMethod +
                "' (minmax, moving-average, percentile, entropy, mse)");
  PassManager instrument(module.getContext());
  qnt::InsertObserversPassOptions policy;
  policy.weightGranularity = weightGranularity;
  instrument.addPass(qnt::createInsertObserversPass(policy));
  if (failed(instrument.run(module)))
    return fail("inserting observers failed");

  std::string stats = calibrationStats;
  if (stats.empty()) {
    auto func = selectFunction(module, "");
    if (!func)
      return fail(llvm::toString(func.takeError()));
    auto signature = getFunctionSignature(*func);
    if (!signature)
      return fail(llvm::toString(signature.takeError()));
    auto data = calib::loadCalibrationData(calibrationData, *signature,
                                           calibrationBatch);
    if (!data)
      return fail(llvm::toString(data.takeError()));
    calib::CalibrateOptions options;
    options.progress = llvm::sys::Process::StandardErrIsDisplayed();
    auto collected = calib::runCalibration(module, *data, options);
    if (!collected)
      return fail(llvm::toString(collected.takeError()));
    auto path = temps.next(outputPath + ".stats.json");
    if (!path)
      return fail(llvm::toString(path.takeError()));
    stats = *path;
    if (llvm::Error error = calib::writeStatsFile(stats, *collected))
      return fail(llvm::toString(std::move(error)));
    if (!statsOut.empty())
      if (llvm::Error error = calib::writeStatsFile(statsOut, *collected))
        return fail(llvm::toString(std::move(error)));
  }

  PassManager pm(module.getContext());
  qnt::FoldObserversPassOptions fold;
  fold.statsFile = stats;
  fold.method = calibrationMethod;
  fold.percentile = percentile;
  fold.overrides.assign(overrides.begin(), overrides.end());
  if (!reportPath.empty()) {
    fold.reportJson = reportPath + ".json";
    fold.reportMarkdown = reportPath + ".md";
  }
  pm.addPass(qnt::createFoldObserversPass(fold));
  pm.addPass(qnt::createFuseQdqPass());
  pm.addPass(qnt::createPackWeightsPass());
  if (failed(pm.run(module)))
    return fail("quantizing '" + inputPath + "' failed");
  return 0;
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  cl::ParseCommandLineOptions(argc, argv, "quant ahead-of-time compiler\n");
  if (target != "cpu")
    return fail("target '" + target + "' is not supported (supported: cpu)");
  llvm::StringRef extension = llvm::sys::path::extension(outputPath);
  if (extension != ".o" && extension != ".so" && extension != ".mlir")
    return fail("output '" + outputPath + "' must end in .o, .so or .mlir");

  DialectRegistry registry;
  qnt::registerCompilerDialects(registry);
  MLIRContext context(registry);
  llvm::SourceMgr sourceMgr;
  SourceMgrDiagnosticHandler diagnostics(sourceMgr, &context);

  OwningOpRef<ModuleOp> module;
  if (llvm::sys::path::extension(inputPath) == ".onnx") {
    auto imported = qnt::onnx_frontend::importModel(&context, inputPath, {});
    if (failed(imported))
      return fail("cannot import '" + inputPath + "'");
    module = std::move(*imported);
  } else {
    std::string error;
    module = qnt::parseModuleFile(inputPath, sourceMgr, &context, error);
    if (!module)
      return fail(error);
  }
  TempFiles temps;
  if (!calibrationData.empty() || !calibrationStats.empty()) {
    if (int status = quantize(*module, temps))
      return status;
  } else if (fuseQdq) {
    PassManager pm(&context);
    pm.addPass(qnt::createFoldFakeQuantPass());
    pm.addPass(qnt::createFuseQdqPass());
    pm.addPass(qnt::createPackWeightsPass());
    if (failed(pm.run(*module)))
      return fail("fusing the quantize/dequantize pairs of '" + inputPath +
                  "' failed");
  }

  if (extension == ".mlir") {
    auto text = temps.next(outputPath);
    if (!text)
      return fail(llvm::toString(text.takeError()));
    {
      std::error_code ec;
      llvm::raw_fd_ostream os(*text, ec);
      if (ec)
        return fail("cannot write '" + outputPath + "': " + ec.message());
      module->print(os);
    }
    if (std::error_code ec = llvm::sys::fs::rename(*text, outputPath))
      return fail("cannot write '" + outputPath + "': " + ec.message());
    return 0;
  }

  std::vector<FunctionSignature> signatures;
  SmallVector<func::FuncOp> selected;
  if (functions.empty()) {
    for (auto func : module->getOps<func::FuncOp>())
      if (func.isPublic() && !func.isExternal())
        selected.push_back(func);
  } else {
    for (const std::string &name : functions) {
      auto func = selectFunction(*module, name);
      if (!func)
        return fail(llvm::toString(func.takeError()));
      selected.push_back(*func);
    }
  }
  if (selected.empty())
    return fail("'" + inputPath + "' has no public function to compile");
  for (func::FuncOp func : selected) {
    auto signature = getFunctionSignature(func);
    if (!signature)
      return fail(llvm::toString(signature.takeError()));
    signatures.push_back(std::move(*signature));
  }

  qnt::CpuPipelineOptions pipeline;
  pipeline.int8Kernels = int8Kernels;
  pipeline.floatKernels = floatKernels;
  FailureOr<OwningOpRef<ModuleOp>> lowered =
      lowerForCpu(*module, signatures, /*observe=*/false, pipeline);
  if (failed(lowered))
    return fail("lowering to the CPU failed");

  std::string header = headerPath;
  if (header.empty()) {
    SmallString<128> path(outputPath);
    llvm::sys::path::replace_extension(path, ".h");
    header = path.str().str();
  }
  auto object = temps.next(outputPath);
  if (!object)
    return fail(llvm::toString(object.takeError()));
  if (llvm::Error err = emitObjectFile(lowered->get(), *object, cpu))
    return fail(llvm::toString(std::move(err)));
  auto artifact = temps.next(outputPath);
  if (!artifact)
    return fail(llvm::toString(artifact.takeError()));
  if (llvm::Error err = linkArtifact(*object, *artifact, extension == ".so"))
    return fail(llvm::toString(std::move(err)));
  auto headerTemp = temps.next(header);
  if (!headerTemp)
    return fail(llvm::toString(headerTemp.takeError()));
  {
    std::error_code ec;
    llvm::raw_fd_ostream os(*headerTemp, ec);
    if (ec)
      return fail("cannot write '" + header + "': " + ec.message());
    std::string guard = llvm::sys::path::filename(header).upper();
    for (char &c : guard)
      if (!llvm::isAlnum(static_cast<unsigned char>(c)))
        c = '_';
    os << emitCHeader(signatures, "QUANT_" + guard);
  }
  // Everything is written: move the files into place.
  if (std::error_code ec = llvm::sys::fs::rename(*artifact, outputPath))
    return fail("cannot write '" + outputPath + "': " + ec.message());
  if (std::error_code ec = llvm::sys::fs::rename(*headerTemp, header))
    return fail("cannot write '" + header + "': " + ec.message());
  return 0;
}
