//===- Calibrator.cpp - Run an instrumented model over calibration data ---===//
//
// Batches are slices of the sample arrays along dimension 0; statistics are
// exact and order-independent (Statistics.h), so batch size only affects the
// moving-average range.
//
//===----------------------------------------------------------------------===//

#include "quant/Calibration/Calibrator.h"

#include "quant/Dialect/Qnt/IR/QntOps.h"
#include "quant/Runtime/Executable.h"
#include "quant/Runtime/ObserverRuntime.h"

#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <chrono>
#include <cstring>

using namespace mlir;
using namespace mlir::qnt;
using namespace mlir::qnt::calib;
using runtime::NpyArray;

static llvm::Error makeError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

/// Reads every array of `path` (.npz, .npy or a directory of them).
static llvm::Expected<std::vector<NpyArray>> readArrays(llvm::StringRef path) {
  if (llvm::sys::fs::is_directory(path)) {
    std::vector<std::string> files;
    std::error_code ec;
    for (llvm::sys::fs::directory_iterator it(path, ec), end; it != end && !ec;
         it.increment(ec)) {
      llvm::StringRef ext = llvm::sys::path::extension(it->path());
      if (ext == ".npz" || ext == ".npy")
        files.push_back(it->path());
    }
    if (ec)
      return makeError("cannot list '" + path + "': " + ec.message());
    std::sort(files.begin(), files.end());
    std::vector<NpyArray> all;
    for (const std::string &file : files) {
      auto arrays = readArrays(file);
      if (!arrays)
        return arrays.takeError();
      for (NpyArray &array : *arrays)
        all.push_back(std::move(array));
    }
    return all;
  }
  if (llvm::sys::path::extension(path) == ".npy") {
    auto array = runtime::readNpy(path);
    if (!array)
      return array.takeError();
    std::vector<NpyArray> arrays;
    arrays.push_back(std::move(*array));
    return arrays;
  }
  return runtime::readNpz(path);
}

/// "float32 [4x28]": an array's dtype and the shape of one sample.
static std::string describeSample(const NpyArray &array) {
  std::string text = runtime::getDTypeName(array.dtype).str() + " [";
  for (size_t d = 1; d < array.shape.size(); ++d)
    text += (d > 1 ? "x" : "") + std::to_string(array.shape[d]);
  return text + "]";
}

/// Appends `more` to `into` (the samples of input `input`) along dimension 0.
static llvm::Error concatenate(NpyArray &into, NpyArray &&more,
                               llvm::StringRef path, llvm::StringRef input) {
  if (into.data.empty() && into.shape.empty()) {
    into = std::move(more);
    return llvm::Error::success();
  }
  if (into.dtype != more.dtype || into.shape.size() != more.shape.size() ||
      !std::equal(into.shape.begin() + 1, into.shape.end(),
                  more.shape.begin() + 1))
    return makeError("calibration data '" + path + "': array '" + more.name +
                     "' for input '" + input + "' holds samples of " +
                     describeSample(more) + ", the arrays before it " +
                     describeSample(into));
  into.shape[0] += more.shape[0];
  into.data.insert(into.data.end(), more.data.begin(), more.data.end());
  return llvm::Error::success();
}

llvm::Expected<CalibrationData>
calib::loadCalibrationData(llvm::StringRef path,
                           const runtime::FunctionSignature &signature,
                           int64_t batchSize) {
  if (!llvm::sys::fs::exists(path))
    return makeError("calibration data '" + path + "' does not exist");
  auto arrays = readArrays(path);
  if (!arrays)
    return arrays.takeError();

  // One array per input: by name, or the only array of a one-input model.
  size_t numInputs = signature.inputs.size();
  std::vector<NpyArray> perInput(numInputs);
  for (NpyArray &array : *arrays) {
    size_t index = numInputs;
    for (size_t i = 0; i < numInputs; ++i)
      if (signature.inputs[i].name == array.name)
        index = i;
    if (index == numInputs && numInputs == 1)
      index = 0;
    if (index == numInputs)
      return makeError("calibration data '" + path + "': array '" + array.name +
                       "' names no input of @" + signature.name);
    if (array.shape.empty())
      return makeError("calibration data '" + path + "': array '" + array.name +
                       "' is a scalar; dimension 0 must index "
                       "samples");
    if (llvm::Error error = concatenate(perInput[index], std::move(array), path,
                                        signature.inputs[index].name))
      return std::move(error);
  }

  CalibrationData data;
  for (size_t i = 0; i < numInputs; ++i) {
    const runtime::TensorSpec &spec = signature.inputs[i];
    NpyArray &array = perInput[i];
    if (array.shape.empty())
      return makeError("calibration data '" + path +
                       "' has no array for "
                       "input '" +
                       spec.name + "'");
    if (array.dtype != spec.dtype)
      return makeError("calibration data '" + path + "': input '" + spec.name +
                       "' is " + runtime::getDTypeName(array.dtype) +
                       ", expected " + runtime::getDTypeName(spec.dtype));
    uint64_t samples = array.shape[0];
    if (i > 0 && samples != data.samples)
      return makeError("calibration data '" + path + "': inputs hold " +
                       llvm::Twine(data.samples) + " and " +
                       llvm::Twine(samples) + " samples");
    data.samples = samples;
  }
  if (data.samples == 0)
    return makeError("calibration data set is empty ('" + path +
                     "' holds no samples)");

  int64_t staticBatch = numInputs ? signature.inputs[0].shape.empty()
                                        ? runtime::TensorSpec::kDynamic
                                        : signature.inputs[0].shape[0]
                                  : runtime::TensorSpec::kDynamic;
  if (staticBatch != runtime::TensorSpec::kDynamic) {
    if (batchSize != 0 && batchSize != staticBatch)
      return makeError("@" + signature.name + " takes batches of " +
                       llvm::Twine(staticBatch) +
                       " samples, not --batch=" + llvm::Twine(batchSize));
    if (data.samples % staticBatch != 0)
      return makeError(llvm::Twine(data.samples) +
                       " samples do not split "
                       "into the static batch size " +
                       llvm::Twine(staticBatch) + " of @" + signature.name);
    batchSize = staticBatch;
  }
  if (batchSize <= 0)
    batchSize = 32;

  data.batchSize = batchSize;
  for (size_t i = 0; i < numInputs; ++i) {
    perInput[i].name = signature.inputs[i].name;
    data.inputs.push_back(std::move(perInput[i]));
  }
  return data;
}

size_t CalibrationData::getNumBatches() const {
  return batchSize > 0 ? (samples + batchSize - 1) / batchSize : 0;
}

std::vector<NpyArray> CalibrationData::getBatch(size_t index) const {
  uint64_t start = index * batchSize;
  uint64_t count = std::min<uint64_t>(batchSize, samples - start);
  std::vector<NpyArray> batch;
  for (const NpyArray &array : inputs) {
    size_t rowBytes = array.data.size() / array.shape[0];
    NpyArray slice;
    slice.name = array.name;
    slice.dtype = array.dtype;
    slice.shape = array.shape;
    slice.shape[0] = count;
    slice.data.assign(array.data.begin() + start * rowBytes,
                      array.data.begin() + (start + count) * rowBytes);
    batch.push_back(std::move(slice));
  }
  return batch;
}

std::vector<std::string> calib::getObserverIds(Operation *root) {
  std::vector<std::string> ids;
  root->walk([&](ObserveOp op) { ids.push_back(op.getId().str()); });
  return ids;
}

/// "[=========>          ] 480/1000 samples, 1520 samples/s"
static void drawProgress(uint64_t done, uint64_t total, double seconds) {
  constexpr int kWidth = 30;
  int filled = total ? int(kWidth * done / total) : kWidth;
  std::string bar(filled, '=');
  if (filled < kWidth)
    bar += '>' + std::string(kWidth - filled - 1, ' ');
  llvm::errs() << llvm::format("\rcalibrating [%s] %llu/%llu samples, %.0f "
                               "samples/s",
                               bar.c_str(), (unsigned long long)done,
                               (unsigned long long)total,
                               seconds > 0 ? done / seconds : 0.0);
  if (done == total)
    llvm::errs() << "\n";
}

llvm::Expected<CalibrationStats>
calib::runCalibration(ModuleOp module, const CalibrationData &data,
                      const CalibrateOptions &options) {
  // Indices are module-wide (the lowering numbers every observer); only
  // the observers of the function that runs get statistics.
  std::vector<std::string> ids = getObserverIds(module);
  auto func = runtime::selectFunction(module, options.function);
  if (!func)
    return func.takeError();
  std::vector<std::string> ran = getObserverIds(*func);
  if (ran.empty())
    return makeError("@" + func->getName() +
                     " has no qnt.observe ops to calibrate (run "
                     "qnt-insert-observers first)");
  auto executable =
      runtime::Executable::compile(module, options.function, /*observe=*/true);
  if (!executable)
    return executable.takeError();
  if (options.threads > 0)
    if (llvm::Error error = runtime::setThreadCount(options.threads))
      return std::move(error);

  // The compiled loops' threads wait while an observer runs: long batches
  // are shared out to them.
  const ParallelFor parallel{runtime::getParallelWidth(), runtime::parallelFor};

  CalibrationStats result;
  std::vector<ObserverStats> stats(ids.size());
  llvm::Error firstError = llvm::Error::success();
  bool failed = false;
  uint64_t batchIndex = 0;
  runtime::ScopedObserverCallback callback([&](int64_t index,
                                               llvm::ArrayRef<float> values) {
    if (failed || index < 0 || size_t(index) >= stats.size())
      return;
    if (llvm::Error error =
            stats[index].addBatch(values, options.nonFinite, parallel)) {
      failed = true;
      llvm::consumeError(std::move(firstError));
      firstError = makeError(
          "observer '" + ids[index] + "' (batch " + llvm::Twine(batchIndex) +
          "): " + llvm::toString(std::move(error)) +
          "; fix the data or pass --ignore-nonfinite to skip such "
          "values");
    }
  });

  auto start = std::chrono::steady_clock::now();
  uint64_t done = 0;
  for (size_t index = 0, e = data.getNumBatches(); index < e; ++index) {
    std::vector<NpyArray> batch = data.getBatch(index);
    auto outputs = (*executable)->run(batch);
    if (!outputs) {
      llvm::consumeError(std::move(firstError));
      return outputs.takeError();
    }
    if (failed)
      return std::move(firstError);
    done += batch.empty() ? 0 : batch[0].shape[0];
    ++batchIndex;
    if (options.progress)
      drawProgress(done, data.samples,
                   std::chrono::duration<double>(
                       std::chrono::steady_clock::now() - start)
                       .count());
  }
  llvm::consumeError(std::move(firstError));
  if (options.runSeconds)
    *options.runSeconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
            .count();
  result.samples = data.samples;
  llvm::StringSet<> inFunction;
  for (const std::string &id : ran)
    inFunction.insert(id);
  for (size_t i = 0; i < ids.size(); ++i)
    if (inFunction.contains(ids[i]))
      result.observers.emplace(ids[i], std::move(stats[i]));
  return result;
}
