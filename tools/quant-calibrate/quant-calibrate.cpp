//===- quant-calibrate.cpp - Collect calibration statistics ---------------===//
//
// quant-calibrate model.mlir --data=calib.npz|DIR [--batch=N] -o stats.json
//   runs a module instrumented by qnt-insert-observers through the JIT and
//   writes the statistics of every observer.
// quant-calibrate --merge a.json b.json ... -o all.json
//   merges statistics of shards of a data set exactly.
//
//===----------------------------------------------------------------------===//

#include "quant/Calibration/Calibrator.h"
#include "quant/InitAll.h"
#include "quant/Runtime/Executable.h"

#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace mlir::qnt;
namespace cl = llvm::cl;

static cl::list<std::string> positional(cl::Positional,
                                        cl::desc("<model.mlir> | <a.json>..."));
static cl::opt<std::string> outputPath("o", cl::Required,
                                       cl::desc("Output statistics (.json)"));
static cl::opt<std::string>
    dataPath("data", cl::desc("Calibration samples: an .npz file or a "
                              "directory of .npz/.npy files"));
static cl::opt<int64_t> batchSize("batch", cl::init(0),
                                  cl::desc("Samples per run (default 32, or "
                                           "the model's static batch)"));
static cl::opt<std::string> functionName("function",
                                         cl::desc("Function to run"));
static cl::opt<bool> merge("merge",
                           cl::desc("Merge the statistics files given as "
                                    "positional arguments"));
static cl::opt<bool> ignoreNonFinite(
    "ignore-nonfinite",
    cl::desc("Skip NaN and infinite values (counted in the statistics) "
             "instead of stopping with an error"));
static cl::opt<bool>
    timing("timing", cl::desc("Print the time spent running batches (JIT "
                              "compilation excluded) and the throughput"));
static cl::opt<bool> noProgress("no-progress",
                                cl::desc("Do not draw a progress bar"));

static int fail(const llvm::Twine &message) {
  llvm::errs() << "quant-calibrate: error: " << message << "\n";
  return 1;
}

static int fail(llvm::Error error) {
  return fail(llvm::toString(std::move(error)));
}

static int runMerge() {
  if (positional.size() < 2)
    return fail("--merge needs at least two statistics files");
  calib::CalibrationStats merged;
  for (const std::string &path : positional) {
    auto stats = calib::readStatsFile(path);
    if (!stats)
      return fail(stats.takeError());
    if (llvm::Error error = calib::mergeStats(merged, *stats))
      return fail(std::move(error));
  }
  if (llvm::Error error = calib::writeStatsFile(outputPath, merged))
    return fail(std::move(error));
  return 0;
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  mlir::qnt::runtime::retainFreedMemory();
  std::vector<char *> args(argv, argv + argc);
  auto threads = runtime::takeThreadCount(args);
  if (!threads)
    return fail(threads.takeError());
  if (llvm::Error err = runtime::checkMaxCpuIsa())
    return fail(std::move(err));
  // Before the first OpenMP call, which reads the environment.
  runtime::bindThreadsToCores(*threads);
  int count = args.size();
  cl::ParseCommandLineOptions(
      count, args.data(),
      "quant calibration\n\n  --threads=N  threads for the model's parallel "
      "loops (default: $QUANT_NUM_THREADS, else all cores)\n");
  if (merge)
    return runMerge();
  if (positional.size() != 1)
    return fail("give one model (or --merge with statistics files)");
  if (dataPath.empty())
    return fail("--data=calib.npz|DIR is required");
  if (batchSize < 0)
    return fail("--batch must be positive");

  DialectRegistry registry;
  qnt::registerCompilerDialects(registry);
  MLIRContext context(registry);
  llvm::SourceMgr sourceMgr;
  SourceMgrDiagnosticHandler diagnostics(sourceMgr, &context);

  std::string error;
  OwningOpRef<ModuleOp> module =
      qnt::parseModuleFile(positional[0], sourceMgr, &context, error);
  if (!module)
    return fail(error);

  auto func = runtime::selectFunction(*module, functionName);
  if (!func)
    return fail(func.takeError());
  auto signature = runtime::getFunctionSignature(*func);
  if (!signature)
    return fail(signature.takeError());
  if (calib::getObserverIds(*func).empty())
    return fail("@" + func->getName() + " in '" + positional[0] +
                "' has no qnt.observe ops; instrument it with quant-opt "
                "--qnt-insert-observers first");
  auto data = calib::loadCalibrationData(dataPath, *signature, batchSize);
  if (!data)
    return fail(data.takeError());

  calib::CalibrateOptions options;
  options.function = functionName;
  options.nonFinite = ignoreNonFinite ? calib::NonFinitePolicy::Ignore
                                      : calib::NonFinitePolicy::Error;
  options.progress =
      !noProgress && llvm::sys::Process::StandardErrIsDisplayed();
  double seconds = 0;
  options.runSeconds = &seconds;
  options.threads = *threads;
  auto stats = calib::runCalibration(*module, *data, options);
  if (!stats)
    return fail(stats.takeError());
  for (const auto &[id, observer] : stats->observers)
    if (observer.nonFinite() > 0)
      llvm::errs() << "quant-calibrate: warning: observer '" << id
                   << "' skipped " << observer.nonFinite()
                   << " non-finite values\n";
  if (llvm::Error error = calib::writeStatsFile(outputPath, *stats))
    return fail(std::move(error));
  if (timing)
    llvm::errs() << llvm::format(
        "quant-calibrate: %llu samples in %zu batches, %.3f s running "
        "(%.1f samples/s)\n",
        (unsigned long long)data->samples, data->getNumBatches(), seconds,
        seconds > 0 ? data->samples / seconds : 0.0);
  return 0;
}
