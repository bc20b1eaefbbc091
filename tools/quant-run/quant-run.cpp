//===- quant-run.cpp - Run a module or artifact on NumPy inputs -----------===//
//
// quant-run MODULE.mlir|ARTIFACT.so [--function=NAME] (--input=A.npy ... |
//           --inputs=IN.npz) [--output=OUT.npz] [--benchmark=N]
//
// JIT-compiles an MLIR module through qnt-lower-to-cpu-pipeline (or loads a
// quant-compile shared library), runs one function on .npy/.npz inputs,
// prints a summary of each output, optionally writes them and times runs.
//
//===----------------------------------------------------------------------===//

#include "mlir/IR/MLIRContext.h"
#include "quant/InitAll.h"
#include "quant/Kernels/Int8Gemm.h"
#include "quant/Runtime/Executable.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <chrono>
#include <cmath>

using namespace mlir;
using namespace mlir::qnt::runtime;
namespace cl = llvm::cl;

static cl::opt<std::string> inputPath(cl::Positional, cl::Required,
                                      cl::desc("<module.mlir|artifact.so>"));
static cl::opt<bool> int8Kernels(
    "int8-kernels",
    cl::desc("JIT: run int8 matmuls and convolutions with constant weights "
             "on the kernel library (default); =false uses generic loops"),
    cl::init(true));

static cl::opt<bool> floatKernels(
    "float-kernels",
    cl::desc("JIT: run fp32 matmuls and convolutions with constant weights "
             "on the kernel library (default); =false uses generic loops"),
    cl::init(true));

static cl::opt<std::string> functionName("function",
                                         cl::desc("Function to run"));
static cl::list<std::string>
    inputFiles("input", cl::desc("An input array (.npy), in argument order"));
static cl::opt<std::string>
    inputArchive("inputs", cl::desc("All inputs as one .npz archive"));
static cl::opt<std::string>
    outputPath("output", cl::desc("Write the outputs to this .npz file"));
static cl::opt<unsigned> benchmarkRuns(
    "benchmark", cl::init(0),
    cl::desc("Time this many runs after a warm-up; print median and min"));

/// Prints "quant-run: error: <message>" and returns the exit code 1.
static int fail(const llvm::Twine &message) {
  llvm::errs() << "quant-run: error: " << message << "\n";
  return 1;
}

static int fail(llvm::Error error) {
  return fail(llvm::toString(std::move(error)));
}

/// Reads element `i` of `array` as a double.
static double elementAsDouble(const NpyArray &array, int64_t i) {
  const uint8_t *p = array.data.data() + i * getDTypeSize(array.dtype);
  auto read = [&](auto value) {
    std::memcpy(&value, p, sizeof(value));
    return static_cast<double>(value);
  };
  switch (array.dtype) {
  case DType::F16: {
    uint16_t bits;
    std::memcpy(&bits, p, 2);
    llvm::APFloat value(llvm::APFloat::IEEEhalf(), llvm::APInt(16, bits));
    return value.convertToFloat();
  }
  case DType::F32:
    return read(float());
  case DType::F64:
    return read(double());
  case DType::I8:
    return read(int8_t());
  case DType::U8:
  case DType::Bool:
    return read(uint8_t());
  case DType::I16:
    return read(int16_t());
  case DType::I32:
    return read(int32_t());
  case DType::I64:
    return read(int64_t());
  }
  return 0;
}

/// Prints a value: integers exactly, floats with 6 significant digits.
static void printValue(double value, bool isInteger) {
  if (isInteger)
    llvm::outs() << static_cast<int64_t>(value);
  else
    llvm::outs() << llvm::format("%g", value);
}

/// "output_0: float32[2x3]  min -1 max 4.5 mean 0.25  [0.5, 1, ...]".
static void printSummary(const NpyArray &array) {
  bool isInteger = array.dtype != DType::F16 && array.dtype != DType::F32 &&
                   array.dtype != DType::F64;
  llvm::outs() << array.name << ": " << getDTypeName(array.dtype) << "[";
  for (size_t i = 0; i < array.shape.size(); ++i)
    llvm::outs() << (i ? "x" : "") << array.shape[i];
  llvm::outs() << "]";
  int64_t count = array.getNumElements();
  if (count > 0) {
    double lo = INFINITY, hi = -INFINITY, sum = 0;
    int64_t nonFinite = 0;
    for (int64_t i = 0; i < count; ++i) {
      double value = elementAsDouble(array, i);
      if (!std::isfinite(value)) {
        ++nonFinite;
        continue;
      }
      lo = std::min(lo, value);
      hi = std::max(hi, value);
      sum += value;
    }
    if (count > nonFinite) {
      llvm::outs() << "  min ";
      printValue(lo, isInteger);
      llvm::outs() << " max ";
      printValue(hi, isInteger);
      llvm::outs() << " mean " << llvm::format("%g", sum / (count - nonFinite));
    }
    if (nonFinite)
      llvm::outs() << "  non-finite " << nonFinite;
    llvm::outs() << "  [";
    for (int64_t i = 0; i < std::min<int64_t>(count, 8); ++i) {
      llvm::outs() << (i ? ", " : "");
      printValue(elementAsDouble(array, i), isInteger);
    }
    llvm::outs() << (count > 8 ? ", ...]" : "]");
  }
  llvm::outs() << "\n";
}

/// Orders the arrays of an archive as the signature's inputs: by name when
/// the archive holds every input name, else by position.
static llvm::Expected<std::vector<NpyArray>>
matchArchive(std::vector<NpyArray> arrays, const FunctionSignature &sig) {
  std::vector<NpyArray> ordered;
  for (const TensorSpec &spec : sig.inputs) {
    auto it = llvm::find_if(
        arrays, [&](const NpyArray &array) { return array.name == spec.name; });
    if (it == arrays.end())
      return arrays; // not all names present: positional
    ordered.push_back(*it);
  }
  if (ordered.size() != arrays.size())
    return llvm::createStringError(
        "'" + inputArchive + "' holds " + std::to_string(arrays.size()) +
        " arrays but @" + sig.name + " takes " +
        std::to_string(sig.inputs.size()) + " inputs");
  return ordered;
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  mlir::qnt::runtime::retainFreedMemory();
  std::vector<char *> args(argv, argv + argc);
  auto threadCount = takeThreadCount(args);
  if (!threadCount)
    return fail(threadCount.takeError());
  if (llvm::Error err = checkMaxCpuIsa())
    return fail(std::move(err));
  const unsigned threads = *threadCount;
  int count = args.size();
  cl::ParseCommandLineOptions(
      count, args.data(),
      "quant JIT runner\n\n  --threads=N  threads for parallel loops "
      "(default: $QUANT_NUM_THREADS, else all cores)\n");
  if (!inputFiles.empty() && !inputArchive.empty())
    return fail("give inputs either with --input or with --inputs, not both");

  DialectRegistry registry;
  qnt::registerCompilerDialects(registry);
  qnt::registerQuantPasses();
  MLIRContext context(registry);
  llvm::SourceMgr sourceMgr;
  SourceMgrDiagnosticHandler diagnostics(sourceMgr, &context);

  std::unique_ptr<Executable> executable;
  OwningOpRef<ModuleOp> module;
  if (llvm::StringRef(inputPath).ends_with(".so")) {
    auto loaded = Executable::load(inputPath, functionName);
    if (!loaded)
      return fail(loaded.takeError());
    executable = std::move(*loaded);
  } else {
    std::string error;
    module = qnt::parseModuleFile(inputPath, sourceMgr, &context, error);
    if (!module)
      return fail(error);
    qnt::CpuPipelineOptions pipeline;
    pipeline.int8Kernels = int8Kernels;
    pipeline.floatKernels = floatKernels;
    auto compiled = Executable::compile(*module, functionName,
                                        /*observe=*/false, pipeline);
    if (!compiled)
      return fail(compiled.takeError());
    executable = std::move(*compiled);
  }
  const FunctionSignature &signature = executable->getSignature();
  // Before the first OpenMP call, which reads the environment.
  mlir::qnt::runtime::bindThreadsToCores(threads);
  if (threads > 0)
    if (llvm::Error error = setThreadCount(threads))
      return fail(std::move(error));

  std::vector<NpyArray> inputs;
  if (!inputArchive.empty()) {
    auto arrays = readNpz(inputArchive);
    if (!arrays)
      return fail(arrays.takeError());
    auto ordered = matchArchive(std::move(*arrays), signature);
    if (!ordered)
      return fail(ordered.takeError());
    inputs = std::move(*ordered);
  } else {
    for (const std::string &path : inputFiles) {
      auto array = readNpy(path);
      if (!array)
        return fail(array.takeError());
      inputs.push_back(std::move(*array));
    }
  }

  auto outputs = executable->run(inputs);
  if (!outputs)
    return fail(outputs.takeError());
  for (const NpyArray &output : *outputs)
    printSummary(output);

  if (benchmarkRuns > 0) {
    // What the numbers below ran on: the int8 kernels' best path here.
    llvm::outs() << "kernels: " << mlir::qnt::kernels::getInt8GemmIsaName()
                 << "\n";
    std::vector<double> times;
    for (unsigned i = 0; i < benchmarkRuns + 1; ++i) {
      auto start = std::chrono::steady_clock::now();
      auto again = executable->run(inputs);
      auto end = std::chrono::steady_clock::now();
      if (!again)
        return fail(again.takeError());
      if (i > 0) // the first run warms caches and page tables
        times.push_back(
            std::chrono::duration<double, std::milli>(end - start).count());
    }
    std::sort(times.begin(), times.end());
    llvm::outs() << "benchmark: " << benchmarkRuns << " runs, median "
                 << llvm::format("%.4f", times[times.size() / 2]) << " ms, min "
                 << llvm::format("%.4f", times.front()) << " ms\n";
  }

  if (!outputPath.empty())
    if (llvm::Error error = writeNpz(outputPath, *outputs))
      return fail(std::move(error));
  return 0;
}
