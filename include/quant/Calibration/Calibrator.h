//===- Calibrator.h - Run an instrumented model over calibration data -----===//
//
// The engine behind quant-calibrate and quant-compile: loads calibration
// samples, JIT-compiles a module whose qnt.observe ops report to the
// observer runtime, runs it batch by batch and collects the statistics.
//
//===----------------------------------------------------------------------===//

#ifndef QUANT_CALIBRATION_CALIBRATOR_H
#define QUANT_CALIBRATION_CALIBRATOR_H

#include "quant/Calibration/StatsFile.h"
#include "quant/Runtime/Npy.h"
#include "quant/Runtime/Signature.h"

#include "mlir/IR/BuiltinOps.h"

namespace mlir::qnt::calib {

/// Calibration samples: one array per function input, in argument order,
/// dimension 0 indexing samples. Batches are cut from them one at a time,
/// so a data set is held in memory once.
struct CalibrationData {
  std::vector<runtime::NpyArray> inputs;
  uint64_t samples = 0;
  int64_t batchSize = 0;

  size_t getNumBatches() const;
  /// The arrays of batch `index` (the last may hold fewer samples).
  std::vector<runtime::NpyArray> getBatch(size_t index) const;
};

/// Reads samples for `signature` from an .npz file (arrays named after the
/// inputs, or a single array for a one-input function; dimension 0 indexes
/// samples) or from a directory whose .npz/.npy files (sorted by name) are
/// concatenated. Cuts them into batches of `batchSize` samples (0: the
/// input's static batch size, else 32). No samples is an error.
llvm::Expected<CalibrationData>
loadCalibrationData(llvm::StringRef path,
                    const runtime::FunctionSignature &signature,
                    int64_t batchSize);

struct CalibrateOptions {
  /// The function to run (empty: as quant-run chooses).
  std::string function;
  NonFinitePolicy nonFinite = NonFinitePolicy::Error;
  /// Draw a progress bar on stderr.
  bool progress = false;
  /// If set, receives the seconds spent running batches (compilation
  /// excluded), for throughput figures.
  double *runSeconds = nullptr;
  /// Threads of the compiled code's parallel loops (0: the OpenMP
  /// runtime's default, all cores).
  unsigned threads = 0;
};

/// The observer ids under `root` in walk order (for a module: the order the
/// runtime numbers them in).
std::vector<std::string> getObserverIds(Operation *root);

/// Runs `module` (with qnt.observe ops) on every batch and returns the
/// statistics of each observer.
llvm::Expected<CalibrationStats>
runCalibration(ModuleOp module, const CalibrationData &data,
               const CalibrateOptions &options);

} // namespace mlir::qnt::calib

#endif // QUANT_CALIBRATION_CALIBRATOR_H
