//===- StatsFile.h - The calibration statistics file ------------*- C++ -*-===//
//
// Calibration runs (possibly many, on different machines) write their
// statistics to a versioned JSON file; quantization reads it back, after
// merging shards if needed. The printed form is canonical: the same
// statistics always give the same bytes, and reading then printing a file
// reproduces it exactly.
//
//===----------------------------------------------------------------------===//

#ifndef QUANT_CALIBRATION_STATSFILE_H
#define QUANT_CALIBRATION_STATSFILE_H

#include "quant/Calibration/Statistics.h"

#include "llvm/ADT/StringRef.h"

#include <map>
#include <string>

namespace mlir::qnt::calib {

/// The "format" member of every statistics file.
constexpr llvm::StringLiteral kStatsFormat = "quant-calibration-statistics";
/// The one version this build reads and writes.
constexpr int64_t kStatsVersion = 1;

/// Statistics of every observer of a model.
struct CalibrationStats {
  /// Number of data samples run through the model.
  uint64_t samples = 0;
  /// Statistics by observer id.
  std::map<std::string, ObserverStats> observers;
};

/// Reads and checks a statistics file; errors name the file and the JSON
/// path of the offending member.
llvm::Expected<CalibrationStats> readStatsFile(llvm::StringRef path);

/// Parses statistics from JSON text; `sourceName` prefixes error messages.
llvm::Expected<CalibrationStats> parseStats(llvm::StringRef json,
                                            llvm::StringRef sourceName);

/// The canonical JSON text of `stats` (sorted keys, floats that read back
/// bit-exactly, a final newline).
std::string printStats(const CalibrationStats &stats);

/// Writes `stats` to a temporary file next to `path` and renames it over
/// `path`, so `path` never holds partial output.
llvm::Error writeStatsFile(llvm::StringRef path, const CalibrationStats &stats);

/// Adds `from` into `into`: samples add, observers are united and the same
/// ids merged exactly. Fails, leaving `into` unchanged, if a count would
/// overflow.
llvm::Error mergeStats(CalibrationStats &into, const CalibrationStats &from);

} // namespace mlir::qnt::calib

#endif // QUANT_CALIBRATION_STATSFILE_H
