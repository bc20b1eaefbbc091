// RUN: split-file %s %t
// RUN: quant-opt %t/ops.mlir --split-input-file --qnt-fold-observers --verify-diagnostics
// RUN: quant-opt %t/hist.mlir --qnt-fold-observers=method=percentile --verify-diagnostics
// RUN: not quant-opt %t/ops.mlir --split-input-file --qnt-fold-observers=method=median 2>&1 | FileCheck %s --check-prefix=METHOD
// RUN: not quant-opt %t/ops.mlir --split-input-file --qnt-fold-observers=overrides=a 2>&1 | FileCheck %s --check-prefix=OVR
// RUN: not quant-opt %t/ops.mlir --split-input-file --qnt-fold-observers=overrides=a=median 2>&1 | FileCheck %s --check-prefix=OVR2
// RUN: not quant-opt %t/ops.mlir --split-input-file --qnt-fold-observers=stats-file=%t/v2.json 2>&1 | FileCheck %s --check-prefix=VERSION -DFILE=%t/v2.json
// RUN: not quant-opt %t/ops.mlir --split-input-file --qnt-fold-observers=stats-file=%t/missing.json 2>&1 | FileCheck %s --check-prefix=NOFILE -DFILE=%t/missing.json
// RUN: not quant-opt %t/report.mlir --qnt-fold-observers=report-json=%t/no/such/dir/r.json 2>&1 | FileCheck %s --check-prefix=REPORT-JSON
// RUN: not quant-opt %t/report.mlir --qnt-fold-observers=report-markdown=%t/no/such/dir/r.md 2>&1 | FileCheck %s --check-prefix=REPORT-MD
// RUN: not test -e %t/no

// Option and file errors are reported on the module before any rewrite.
// METHOD: error: qnt-fold-observers: unknown method 'median' (expected minmax, moving-average, percentile, entropy or mse)
// OVR: error: qnt-fold-observers: override 'a' is not id=method with a known method
// OVR2: error: qnt-fold-observers: override 'a=median' is not id=method with a known method
// VERSION: error: [[FILE]]: unsupported calibration statistics version 2 (this build reads version 1)
// NOFILE: error: cannot read '[[FILE]]':
// REPORT-JSON: error: cannot write '{{.*}}r.json': {{.*}}
// REPORT-MD: error: cannot write '{{.*}}r.md': {{.*}}

//--- ops.mlir

// No stats attribute and no statistics file.
func.func @missing_statistics(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error@+1 {{observer 'conv1' has no statistics; was the model calibrated?}}
  %y = qnt.observe %x {id = "conv1", kind = #qnt.observer<histogram>} : tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// An observer that saw no batch.
func.func @count_zero(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error@+1 {{observer 'idle' observed nothing (count = 0)}}
  %y = qnt.observe %x {id = "idle", kind = #qnt.observer<min_max>, stats = #qnt.stats<count = 0, min = 0.0, max = 0.0, avg_min = 0.0, avg_max = 0.0>} : tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// [0, 1e-40] in u8 needs scale 1e-40 / 255, below the smallest normal f32:
// the scale is raised to it (1.17549435e-38) with a warning.
func.func @tiny_range(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-warning@+1 {{observer 'tiny': range [0.000000e+00, 1.000000e-40] is too small for a normal f32 scale; using the smallest normal scale}}
  %y = qnt.observe %x {id = "tiny", kind = #qnt.observer<min_max>, stats = #qnt.stats<count = 1, min = 0.0, max = 1.0e-40, avg_min = 0.0, avg_max = 1.0e-40>} : tensor<4xf32>
  return %y : tensor<4xf32>
}

//--- hist.mlir

// A histogram method without a statistics file: the stats attribute holds
// no usable histogram.
func.func @histogram_method_without_file(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error@+1 {{observer 'a': method 'percentile' needs the histogram of a statistics file (stats-file)}}
  %y = qnt.observe %x {id = "a", kind = #qnt.observer<min_max>, stats = #qnt.stats<count = 1, min = -1.0, max = 1.0, avg_min = -1.0, avg_max = 1.0>} : tensor<4xf32>
  return %y : tensor<4xf32>
}

//--- v2.json
{
  "format": "quant-calibration-statistics",
  "version": 2,
  "samples": 0,
  "observers": {}
}

//--- report.mlir
// A report that cannot be written is an error, not a silent loss.
func.func @report(%x: tensor<4xf32>) -> tensor<4xf32> {
  %y = qnt.observe %x {id = "r", kind = #qnt.observer<min_max>, stats = #qnt.stats<count = 1, min = -1.0, max = 1.0, avg_min = -1.0, avg_max = 1.0>} : tensor<4xf32>
  return %y : tensor<4xf32>
}
