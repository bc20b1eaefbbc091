//===- CpuPipeline.cpp - qnt-lower-to-cpu-pipeline ------------------------===//
//
// The pipeline from tensor-level qnt/linalg IR to LLVM for the host CPU, as
// quant-run and quant-compile run it. It is spelled as a textual pipeline:
// the order is the contract and reads the same in quant-opt output.
//
//===----------------------------------------------------------------------===//

#include "quant/Pipelines/Pipelines.h"

#include "mlir/InitAllPasses.h"
#include "mlir/Pass/PassRegistry.h"
#include "quant/Conversion/Passes.h"

#include <mutex>

using namespace mlir;

/// Parallel loop dimensions run as OpenMP parallel loops (reductions stay
/// sequential inside), so compiled code links against libomp.
/// C wrappers are requested before libm declarations appear (they must
/// keep their plain names). TOSA from importers lowers first.
/// Canonicalization then evaluates qnt casts of constants (QuantMath);
/// results of public functions are fresh buffers owned by the caller
/// (ownership-based deallocation; clones become copies), which the runner
/// frees.
/// The int8 layers the kernel library runs are taken out first (after
/// canonicalization has made their weights storage constants).
static constexpr const char *kCpuPipelineHead =
    "func.func(llvm-request-c-wrappers),"
    "func.func(tosa-to-linalg-named,tosa-to-linalg,tosa-to-arith,"
    "tosa-to-tensor),"
    "canonicalize,"
    "qnt-parallel-batch,";
static constexpr const char *kCpuPipelineKernels = "convert-qnt-to-kernels,";
static constexpr const char *kCpuPipelineFloatKernels =
    "convert-linalg-to-kernels,";
static constexpr const char *kCpuPipelineTail =
    "convert-qnt-to-linalg,"
    "canonicalize,"
    "func.func(linalg-fuse-elementwise-ops),"
    "func.func(qnt-propagate-channels-last),"
    "canonicalize,"
    "func.func(qnt-collapse-elementwise-dims),"
    "canonicalize,"
    "one-shot-bufferize{bufferize-function-boundaries "
    "function-boundary-type-conversion=identity-layout-map},"
    "func.func(scf-forall-to-parallel),"
    "buffer-deallocation-pipeline,"
    "convert-bufferization-to-memref,"
    "qnt-memref-copy-to-linalg,"
    "func.func(convert-linalg-to-parallel-loops),"
    "qnt-pack-sub-byte-storage,"
    "func.func(qnt-parallel-outer-dims),"
    "qnt-parallel-min-work,"
    "convert-scf-to-openmp,"
    "canonicalize,"
    "convert-scf-to-cf,"
    "expand-strided-metadata,"
    "lower-affine,"
    "convert-math-to-llvm,"
    "convert-math-to-libm,"
    "finalize-memref-to-llvm,"
    "convert-arith-to-llvm,"
    "convert-cf-to-llvm,"
    "convert-func-to-llvm,"
    "convert-index-to-llvm,"
    "convert-openmp-to-llvm,"
    "reconcile-unrealized-casts";

LogicalResult qnt::buildLowerToCpuPipeline(OpPassManager &pm,
                                           const CpuPipelineOptions &options) {
  // The textual pipeline names registered passes; C++ clients need not have
  // registered them.
  static std::once_flag registered;
  std::call_once(registered, [] {
    registerAllPasses();
    registerQuantConversionPasses();
  });
  std::string pipeline = kCpuPipelineHead;
  if (options.int8Kernels)
    pipeline += kCpuPipelineKernels;
  if (options.floatKernels)
    pipeline += kCpuPipelineFloatKernels;
  pipeline += kCpuPipelineTail;
  return parsePassPipeline(pipeline, pm, llvm::errs());
}

void qnt::registerQuantPipelines() {
  // The low-level registration lets a failure to build the pipeline fail
  // the pass manager instead of leaving a truncated pipeline.
  registerPassPipeline(
      "qnt-lower-to-cpu-pipeline",
      "Lowers tensor-level qnt/linalg IR to the LLVM dialect for the host "
      "CPU, with C interface wrappers",
      [](OpPassManager &pm, StringRef options,
         function_ref<LogicalResult(const Twine &)> errorHandler) {
        CpuPipelineOptions choices;
        SmallVector<StringRef> items;
        options.split(items, ' ', -1, /*KeepEmpty=*/false);
        for (StringRef item : items) {
          auto [key, value] = item.split('=');
          bool *flag = key == "int8-kernels"    ? &choices.int8Kernels
                       : key == "float-kernels" ? &choices.floatKernels
                                                : nullptr;
          if (!flag || !(value == "true" || value == "false" || value == "1" ||
                         value == "0"))
            return errorHandler("qnt-lower-to-cpu-pipeline takes only "
                                "int8-kernels=true|false and "
                                "float-kernels=true|false, got '" +
                                item + "'");
          *flag = value == "true" || value == "1";
        }
        return buildLowerToCpuPipeline(pm, choices);
      },
      [](function_ref<void(const detail::PassOptions &)>) {});
}
