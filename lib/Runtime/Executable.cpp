//===- Executable.cpp - Run compiled functions on NumPy arrays ------------===//
//
// Builds memref descriptors for NumPy inputs, calls the packed C interface
// of a compiled function and copies the returned buffers out, freeing the
// ones the caller owns.
//
//===----------------------------------------------------------------------===//

#include "quant/Runtime/Executable.h"

#include "quant/Kernels/FloatLayer.h"
#include "quant/Kernels/Int8Gemm.h"
#include "quant/Kernels/QuantizedLayer.h"

#include "quant/Runtime/CpuCodegen.h"
#include "quant/Runtime/ObserverRuntime.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/Builders.h"
#include "mlir/Pass/PassManager.h"
#include "quant/Pipelines/Pipelines.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/TargetSelect.h"

#include <atomic>
#include <cstdlib>
#include <cstring>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <mutex>
#include <set>

using namespace mlir;
using namespace mlir::qnt;
using namespace mlir::qnt::runtime;

llvm::Expected<std::unique_ptr<Executable>>
Executable::compile(ModuleOp module, llvm::StringRef function, bool observe,
                    const CpuPipelineOptions &pipelineOptions) {
  auto func = selectFunction(module, function);
  if (!func)
    return func.takeError();
  auto signature = getFunctionSignature(*func);
  if (!signature)
    return signature.takeError();
  FailureOr<OwningOpRef<ModuleOp>> lowered =
      lowerForCpu(module, ArrayRef<FunctionSignature>(*signature), observe,
                  pipelineOptions);
  if (failed(lowered))
    return llvm::createStringError("lowering to the CPU failed");

  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  ExecutionEngineOptions options;
  // The optimizer needs the host's machine for its cost model; the engine
  // makes its own, the same, for code generation. The options hold a
  // function_ref: the transformer must outlive create().
  auto transformer = makeHostOptimizer();
  if (!transformer)
    return transformer.takeError();
  options.transformer = *transformer;
  options.jitCodeGenOptLevel = llvm::CodeGenOptLevel::Aggressive;
  options.enableObjectDump = true;
  // Parallel loops call into the OpenMP runtime.
  SmallVector<StringRef> libraries = {QUANT_LIBOMP};
  options.sharedLibPaths = libraries;
  auto engine = ExecutionEngine::create(lowered->get(), options);
  if (!engine)
    return engine.takeError();
  // The kernel library is linked into this process; the observer entry is
  // bound only for calibration runs.
  (*engine)->registerSymbols([observe](llvm::orc::MangleAndInterner interner) {
    llvm::orc::SymbolMap symbols;
    symbols[interner("quant_layer_run")] = {
        llvm::orc::ExecutorAddr::fromPtr(&quant_layer_run),
        llvm::JITSymbolFlags::Exported};
    symbols[interner("quant_float_layer_run")] = {
        llvm::orc::ExecutorAddr::fromPtr(&quant_float_layer_run),
        llvm::JITSymbolFlags::Exported};
    if (observe)
      symbols[interner(kObserveSymbol)] = {
          llvm::orc::ExecutorAddr::fromPtr(getObserveEntryAddress()),
          llvm::JITSymbolFlags::Exported};
    return symbols;
  });

  std::unique_ptr<Executable> executable(new Executable());
  executable->signature = std::move(*signature);
  auto entry =
      (*engine)->lookup(getPackedEntrySymbol(executable->signature.name));
  if (!entry)
    return entry.takeError();
  executable->entry = reinterpret_cast<PackedFn>(*entry);
  executable->engine = std::move(*engine);
  return executable;
}

llvm::Expected<std::unique_ptr<Executable>>
Executable::load(llvm::StringRef path, llvm::StringRef function) {
  // An absolute path: dlopen would search the library path for "x.so".
  llvm::SmallString<256> absolute(path);
  llvm::sys::fs::make_absolute(absolute);
  std::string error;
  auto library =
      llvm::sys::DynamicLibrary::getLibrary(absolute.c_str(), &error);
  if (!library.isValid())
    return llvm::createStringError("cannot load '" + path.str() +
                                   "': " + error);
  // quant-compile records the function names it compiled.
  std::string name = function.str();
  if (name.empty()) {
    auto *names = static_cast<const char *>(
        library.getAddressOfSymbol(kFunctionListSymbol.data()));
    if (!names)
      return llvm::createStringError("'" + path.str() +
                                     "' is not a quant-compile artifact");
    llvm::StringRef list(names);
    if (list.contains(','))
      return llvm::createStringError(
          "'" + path.str() + "' holds several functions (" + list.str() +
          "); choose one with --function=NAME");
    name = list.str();
  }
  auto *json = static_cast<const char *>(
      library.getAddressOfSymbol(getSignatureSymbol(name).c_str()));
  if (!json)
    return llvm::createStringError("'" + path.str() + "' has no function @" +
                                   name + " compiled by quant-compile");
  auto signature = parseSignature(json);
  if (!signature)
    return signature.takeError();
  void *entry = library.getAddressOfSymbol(getPackedEntrySymbol(name).c_str());
  if (!entry)
    return llvm::createStringError("'" + path.str() +
                                   "' lacks the entry point of @" + name);
  std::unique_ptr<Executable> executable(new Executable());
  executable->signature = std::move(*signature);
  executable->entry = reinterpret_cast<PackedFn>(entry);
  executable->library = library;
  return executable;
}

llvm::Expected<unsigned> runtime::takeThreadCount(std::vector<char *> &args) {
  unsigned threads = 0;
  for (size_t i = 1; i < args.size();) {
    llvm::StringRef arg(args[i]);
    if (!arg.consume_front("--threads=") && !arg.consume_front("-threads=")) {
      ++i;
      continue;
    }
    if (arg.getAsInteger(10, threads) || threads == 0)
      return llvm::createStringError(
          "--threads needs a positive number, got '" + arg + "'");
    args.erase(args.begin() + i);
  }
  if (threads == 0)
    if (const char *env = std::getenv("QUANT_NUM_THREADS"))
      if (llvm::StringRef(env).getAsInteger(10, threads) || threads == 0)
        return llvm::createStringError("QUANT_NUM_THREADS='" +
                                       llvm::Twine(env) +
                                       "' is not a positive number");
  return threads;
}

llvm::Error runtime::checkMaxCpuIsa() {
  const std::string &error = mlir::qnt::kernels::getMaxCpuIsaError();
  if (error.empty())
    return llvm::Error::success();
  return llvm::createStringError(error);
}

void runtime::bindThreadsToCores(unsigned threads) {
  if (threads != 1 && !std::getenv("OMP_PROC_BIND") &&
      !std::getenv("OMP_PLACES") && !std::getenv("KMP_AFFINITY") &&
      !std::getenv("GOMP_CPU_AFFINITY")) {
    setenv("OMP_PROC_BIND", "spread", /*overwrite=*/0);
    setenv("OMP_PLACES", "cores", /*overwrite=*/0);
  }
}

void runtime::retainFreedMemory() {
#if defined(__GLIBC__)
  // Above these sizes glibc would map allocations afresh and give freed
  // memory back to the system after every run.
  constexpr int kThreshold = 1 << 30;
  mallopt(M_MMAP_THRESHOLD, kThreshold);
  mallopt(M_TRIM_THRESHOLD, kThreshold);
#endif
}

llvm::Error runtime::setThreadCount(unsigned threads) {
  using SetThreads = void (*)(int);
  auto *set = reinterpret_cast<SetThreads>(
      llvm::sys::DynamicLibrary::SearchForAddressOfSymbol(
          "omp_set_num_threads"));
  if (!set)
    return llvm::createStringError(
        "the OpenMP runtime is not loaded; cannot set the thread count");
  set(static_cast<int>(threads));
  return llvm::Error::success();
}

namespace {
/// libomp's entry points, found in the process once it is loaded. It keeps
/// GCC's parallel-region ABI (GOMP_parallel) next to its own.
struct OpenMpEntries {
  void (*parallel)(void (*)(void *), void *, unsigned, unsigned) = nullptr;
  int (*threadNum)() = nullptr;
  int (*numThreads)() = nullptr;
  int (*inParallel)() = nullptr;
  int (*maxThreads)() = nullptr;
};

/// Null until the runtime is loaded; looked up again on every call before
/// that (tests and tools may call before loading any compiled code).
const OpenMpEntries *getOpenMpEntries() {
  static std::atomic<const OpenMpEntries *> found{nullptr};
  if (const OpenMpEntries *entries = found.load(std::memory_order_acquire))
    return entries;
  auto lookup = [](const char *name) {
    return llvm::sys::DynamicLibrary::SearchForAddressOfSymbol(name);
  };
  static OpenMpEntries entries;
  static std::mutex mutex;
  std::lock_guard<std::mutex> lock(mutex);
  if (!entries.parallel) {
    void *parallel = lookup("GOMP_parallel"),
         *threadNum = lookup("omp_get_thread_num"),
         *numThreads = lookup("omp_get_num_threads"),
         *inParallel = lookup("omp_in_parallel"),
         *maxThreads = lookup("omp_get_max_threads");
    if (!parallel || !threadNum || !numThreads || !inParallel || !maxThreads)
      return nullptr;
    entries.maxThreads = reinterpret_cast<int (*)()>(maxThreads);
    entries.threadNum = reinterpret_cast<int (*)()>(threadNum);
    entries.numThreads = reinterpret_cast<int (*)()>(numThreads);
    entries.inParallel = reinterpret_cast<int (*)()>(inParallel);
    entries.parallel = reinterpret_cast<void (*)(void (*)(void *), void *,
                                                 unsigned, unsigned)>(parallel);
  }
  found.store(&entries, std::memory_order_release);
  return &entries;
}

struct ParallelTasks {
  const OpenMpEntries *omp;
  unsigned tasks;
  llvm::function_ref<void(unsigned)> body;
};

void runTeamShare(void *data) {
  auto *work = static_cast<ParallelTasks *>(data);
  unsigned step = unsigned(std::max(1, work->omp->numThreads()));
  for (unsigned task = unsigned(work->omp->threadNum()); task < work->tasks;
       task += step)
    work->body(task);
}
} // namespace

void runtime::parallelFor(unsigned tasks,
                          llvm::function_ref<void(unsigned)> body) {
  const OpenMpEntries *omp = tasks > 1 ? getOpenMpEntries() : nullptr;
  if (!omp || omp->inParallel()) {
    for (unsigned task = 0; task < tasks; ++task)
      body(task);
    return;
  }
  ParallelTasks work{omp, tasks, body};
  // 0 threads: the runtime's current count (--threads, QUANT_NUM_THREADS).
  omp->parallel(runTeamShare, &work, /*num_threads=*/0, /*flags=*/0);
}

unsigned runtime::getParallelWidth() {
  const OpenMpEntries *omp = getOpenMpEntries();
  if (!omp || omp->inParallel())
    return 1;
  return unsigned(std::max(1, omp->maxThreads()));
}

llvm::Error Executable::dumpObject(llvm::StringRef path) {
  if (!engine)
    return llvm::createStringError("no JIT-compiled code to write");
  engine->dumpToObjectFile(path);
  return llvm::Error::success();
}

/// A ranked memref descriptor as the C interface lays it out: allocated and
/// aligned pointers, offset, sizes, strides; every field is 8 bytes.
static std::vector<int64_t> makeDescriptor(void *data,
                                           llvm::ArrayRef<int64_t> shape) {
  std::vector<int64_t> descriptor(3 + 2 * shape.size());
  descriptor[0] = descriptor[1] = reinterpret_cast<intptr_t>(data);
  descriptor[2] = 0;
  int64_t stride = 1;
  for (size_t i = shape.size(); i-- > 0;) {
    descriptor[3 + i] = shape[i];
    descriptor[3 + shape.size() + i] = stride;
    stride *= shape[i];
  }
  return descriptor;
}

/// Copies the `count` elements of a strided memref at `source` to `dest` in
/// row-major order, a memcpy per run of contiguous elements: the inner
/// dimensions whose strides are dense make one run (all of them for the
/// identity layout the code returns), since copying element by element
/// took longer than a 512x1024x1024 int8 layer.
static void copyStrided(const uint8_t *source, const int64_t *sizes,
                        const int64_t *strides, size_t rank, size_t elementSize,
                        uint8_t *dest, int64_t count) {
  if (count == 0)
    return;
  int64_t run = 1;
  size_t outer = rank;
  while (outer > 0 && (sizes[outer - 1] == 1 || strides[outer - 1] == run))
    run *= sizes[--outer];
  const size_t runBytes = size_t(run) * elementSize;
  SmallVector<int64_t> index(outer, 0);
  for (int64_t n = 0; n < count; n += run) {
    int64_t position = 0;
    for (size_t d = 0; d < outer; ++d)
      position += index[d] * strides[d];
    std::memcpy(dest + n * elementSize, source + position * elementSize,
                runBytes);
    for (size_t d = outer; d-- > 0;) {
      if (++index[d] < sizes[d])
        break;
      index[d] = 0;
    }
  }
}

/// memref.get_global results carry this allocated pointer: never freed.
static constexpr intptr_t kGlobalMarker = 0xdeadbeef;

llvm::Expected<std::vector<NpyArray>>
Executable::run(llvm::ArrayRef<NpyArray> inputs) {
  if (inputs.size() != signature.inputs.size())
    return llvm::createStringError("@" + signature.name + " takes " +
                                   std::to_string(signature.inputs.size()) +
                                   " inputs, " + std::to_string(inputs.size()) +
                                   " given");
  for (auto [i, input] : llvm::enumerate(inputs))
    if (llvm::Error error = checkInput(signature.inputs[i], input, i))
      return std::move(error);

  // Inputs are read only by the generated code; it never writes arguments.
  // Sub-byte tensors travel packed (8 / bits values a byte, the first in the
  // low bits) as flat byte buffers.
  std::vector<std::vector<uint8_t>> packedInputs(inputs.size());
  std::vector<std::vector<int64_t>> descriptors;
  for (auto [i, input] : llvm::enumerate(inputs)) {
    unsigned bits = signature.inputs[i].subByteBits;
    if (!bits) {
      descriptors.push_back(makeDescriptor(
          const_cast<uint8_t *>(input.data.data()), input.shape));
      continue;
    }
    unsigned perByte = 8 / bits;
    std::vector<uint8_t> &bytes = packedInputs[i];
    bytes.assign((input.data.size() + perByte - 1) / perByte, 0);
    for (size_t n = 0; n < input.data.size(); ++n)
      bytes[n / perByte] |= (input.data[n] & ((1u << bits) - 1))
                            << (n % perByte * bits);
    descriptors.push_back(
        makeDescriptor(bytes.data(), {static_cast<int64_t>(bytes.size())}));
  }
  size_t resultWords = 0;
  for (const TensorSpec &spec : signature.results)
    resultWords += 3 + 2 * (spec.subByteBits ? 1 : spec.shape.size());
  std::vector<int64_t> resultStorage(std::max<size_t>(resultWords, 1));

  // The C interface takes pointers: to the result struct (if any), then to
  // each argument descriptor. The packed form takes pointers to those.
  std::vector<void *> pointers;
  if (!signature.results.empty())
    pointers.push_back(resultStorage.data());
  for (auto &descriptor : descriptors)
    pointers.push_back(descriptor.data());
  std::vector<void *> packed;
  for (void *&pointer : pointers)
    packed.push_back(&pointer);
  entry(packed.data());

  std::set<intptr_t> notOwned = {0, kGlobalMarker};
  for (const NpyArray &input : inputs)
    notOwned.insert(reinterpret_cast<intptr_t>(input.data.data()));
  std::set<intptr_t> toFree;
  std::vector<NpyArray> results;
  const int64_t *field = resultStorage.data();
  for (auto [i, spec] : llvm::enumerate(signature.results)) {
    size_t rank = spec.subByteBits ? 1 : spec.shape.size();
    intptr_t allocated = field[0];
    auto *aligned = reinterpret_cast<const uint8_t *>(field[1]);
    int64_t offset = field[2];
    const int64_t *sizes = field + 3, *strides = field + 3 + rank;
    field += 3 + 2 * rank;

    NpyArray array;
    array.name = "output_" + std::to_string(i);
    array.dtype = spec.dtype;
    array.shape.assign(sizes, sizes + rank);
    if (spec.subByteBits)
      array.shape.assign(spec.shape.begin(), spec.shape.end()); // static
    size_t elementSize = getDTypeSize(spec.dtype);
    int64_t count = array.getNumElements();
    array.data.resize(count * elementSize);
    // Sub-byte results: unpack value n from bits (n mod k) * bits of byte
    // n / k, sign-extended for signed storage.
    if (unsigned bits = spec.subByteBits) {
      unsigned perByte = 8 / bits, shift = 8 - bits;
      for (int64_t n = 0; n < count; ++n) {
        uint8_t byte = aligned[offset + (n / perByte) * strides[0]];
        uint8_t value = (byte >> (n % perByte * bits)) & ((1u << bits) - 1);
        array.data[n] = spec.dtype == DType::I8
                            ? static_cast<uint8_t>(
                                  static_cast<int8_t>(value << shift) >> shift)
                            : value;
      }
      if (!notOwned.count(allocated))
        toFree.insert(allocated);
      results.push_back(std::move(array));
      continue;
    }
    copyStrided(aligned + offset * elementSize, sizes, strides, rank,
                elementSize, array.data.data(), count);
    if (!notOwned.count(allocated))
      toFree.insert(allocated);
    results.push_back(std::move(array));
  }
  for (intptr_t pointer : toFree)
    std::free(reinterpret_cast<void *>(pointer));
  return results;
}
