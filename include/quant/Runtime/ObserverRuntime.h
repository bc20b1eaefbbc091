//===- ObserverRuntime.h - Where calibration runs send observed values ----===//
//
// Compiled calibration code calls `quant_observe_f32(index, tensor)` for
// each `qnt.observe` (see qnt-lower-observers-to-calls); the JIT binds that
// symbol to this runtime, which hands the values to the installed callback.
//
//===----------------------------------------------------------------------===//

#ifndef QUANT_RUNTIME_OBSERVERRUNTIME_H
#define QUANT_RUNTIME_OBSERVERRUNTIME_H

#include "llvm/ADT/ArrayRef.h"

#include <cstdint>
#include <functional>

namespace mlir::qnt::runtime {

/// Receives the values of observer `index` (walk order) for one run.
using ObserverCallback =
    std::function<void(int64_t index, llvm::ArrayRef<float> values)>;

/// Installs a callback for its lifetime; calls arrive one at a time.
/// Observations made while no callback is installed are dropped.
class ScopedObserverCallback {
public:
  explicit ScopedObserverCallback(ObserverCallback callback);
  ~ScopedObserverCallback();
  ScopedObserverCallback(const ScopedObserverCallback &) = delete;
  ScopedObserverCallback &operator=(const ScopedObserverCallback &) = delete;
};

/// The symbol compiled code calls and the address the JIT binds it to.
inline constexpr const char *kObserveSymbol = "_mlir_ciface_quant_observe_f32";
void *getObserveEntryAddress();

} // namespace mlir::qnt::runtime

#endif // QUANT_RUNTIME_OBSERVERRUNTIME_H
