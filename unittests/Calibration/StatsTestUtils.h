//===- StatsTestUtils.h - Statistics built from literal batches -*- C++ -*-===//
//
// Shared by the calibration unit tests.
//
//===----------------------------------------------------------------------===//

#ifndef QUANT_UNITTESTS_CALIBRATION_STATSTESTUTILS_H
#define QUANT_UNITTESTS_CALIBRATION_STATSTESTUTILS_H

#include "quant/Calibration/Statistics.h"

#include "gtest/gtest.h"

#include <vector>

namespace mlir::qnt::calib {

/// Statistics of `batches`, one addBatch each; fails the test on an error.
inline ObserverStats statsOf(llvm::ArrayRef<std::vector<float>> batches,
                             NonFinitePolicy policy = NonFinitePolicy::Error,
                             ParallelFor parallel = {}) {
  ObserverStats stats;
  for (const std::vector<float> &batch : batches) {
    llvm::Error e = stats.addBatch(batch, policy, parallel);
    EXPECT_FALSE(static_cast<bool>(e)) << llvm::toString(std::move(e));
  }
  return stats;
}

} // namespace mlir::qnt::calib

#endif // QUANT_UNITTESTS_CALIBRATION_STATSTESTUTILS_H
