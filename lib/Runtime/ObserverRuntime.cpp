//===- ObserverRuntime.cpp - Entry point of compiled observers ------------===//
//
// Flattens a (possibly strided) memref into contiguous floats and forwards
// it to the installed callback under a lock: observers may be reached from
// several threads of a parallel region.
//
//===----------------------------------------------------------------------===//

#include "quant/Runtime/ObserverRuntime.h"

#include "mlir/ExecutionEngine/CRunnerUtils.h"

#include <mutex>
#include <vector>

using namespace mlir::qnt::runtime;

namespace {
std::mutex observerMutex;
ObserverCallback *activeCallback = nullptr;
} // namespace

ScopedObserverCallback::ScopedObserverCallback(ObserverCallback callback) {
  std::lock_guard<std::mutex> lock(observerMutex);
  activeCallback = new ObserverCallback(std::move(callback));
}

ScopedObserverCallback::~ScopedObserverCallback() {
  std::lock_guard<std::mutex> lock(observerMutex);
  delete activeCallback;
  activeCallback = nullptr;
}

extern "C" void
_mlir_ciface_quant_observe_f32(int64_t index,
                               UnrankedMemRefType<float> *descriptor) {
  std::lock_guard<std::mutex> lock(observerMutex);
  if (!activeCallback || !descriptor)
    return;
  DynamicMemRefType<float> memref(*descriptor);
  int64_t count = 1;
  for (int64_t d = 0; d < memref.rank; ++d)
    count *= memref.sizes[d];
  if (count <= 0)
    return;
  bool contiguous = true;
  for (int64_t d = memref.rank - 1, stride = 1; d >= 0; --d) {
    contiguous &= memref.sizes[d] == 1 || memref.strides[d] == stride;
    stride *= memref.sizes[d];
  }
  if (contiguous) {
    (*activeCallback)(
        index, llvm::ArrayRef<float>(memref.data + memref.offset, count));
    return;
  }
  std::vector<float> values;
  values.reserve(count);
  for (float value : memref)
    values.push_back(value);
  (*activeCallback)(index, values);
}

void *mlir::qnt::runtime::getObserveEntryAddress() {
  return reinterpret_cast<void *>(&_mlir_ciface_quant_observe_f32);
}
