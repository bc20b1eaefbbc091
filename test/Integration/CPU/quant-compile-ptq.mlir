// quant-compile's post-training quantization: a float Linear+ReLU layer and
// calibration samples in, an int8 shared library out; the same artifact from
// saved statistics; the per-layer report; and refused requests (no partial
// outputs), including RELIABILITY rows 2-4.

// RUN: rm -rf %t && mkdir -p %t
// RUN: %python -c "import numpy as np; r = np.random.RandomState(0); x = r.uniform(-1, 1, (64, 8)).astype(np.float32); np.savez('%t/calib.npz', x=x); np.savez('%t/test.npz', x=x[:16]); np.savez('%t/zeros.npz', x=np.zeros((8, 8), np.float32)); np.savez('%t/tiny.npz', x=np.full((8, 8), 1e-39, np.float32)); np.savez('%t/empty.npz', x=x[:0])"

// RUN: quant-compile %s --target=cpu --calibration-data=%t/calib.npz --calibration-method=minmax --report=%t/report --save-calibration-stats=%t/stats.json -o %t/int8.so
// RUN: quant-run %t/int8.so --inputs=%t/test.npz --output=%t/int8.npz
// RUN: quant-compile %s --target=cpu -o %t/fp32.so
// RUN: quant-run %t/fp32.so --inputs=%t/test.npz --output=%t/fp32.npz
// The int8 result is the fp32 one up to quantization error: within two
// output steps (the report gives the step) of the float layer.
// RUN: %python -c "import json, numpy as np; a = np.load('%t/int8.npz')['output_0']; b = np.load('%t/fp32.npz')['output_0']; r = json.load(open('%t/report.json')); s = [l['scale'] for l in r['activations'] if l['id'] == 'relu'][0]; d = np.abs(a - b).max(); print('max difference', d / s, 'steps'); assert d <= 2 * s and (a != b).any()" | FileCheck %s --check-prefix=CLOSE
// CLOSE: max difference {{[0-9.e+-]+}} steps
// RUN: FileCheck %s --input-file=%t/report.md --check-prefix=REPORT
// REPORT: | `x` | minmax | [{{.*}}] | {{.*}} | {{.*}} | 0.000% | {{.*}} dB |
// REPORT: | `relu` | minmax |
// REPORT: | `fc.weight` | per-channel |
// RUN: FileCheck %s --input-file=%t/report.json --check-prefix=REPORT-JSON
// REPORT-JSON: "activations": [
// REPORT-JSON: "clipped_percent": 0,
// REPORT-JSON: "id": "x",
// REPORT-JSON: "weights": [
// REPORT-JSON: "granularity": "per-channel",
// REPORT-JSON-NEXT: "name": "fc.weight",
// Saved statistics rebuild the same artifact behaviour without data.
// RUN: quant-compile %s --target=cpu --calibration-stats=%t/stats.json --calibration-method=minmax -o %t/again.so
// RUN: quant-run %t/again.so --inputs=%t/test.npz --output=%t/again.npz
// RUN: %python -c "import numpy as np; assert (np.load('%t/again.npz')['output_0'] == np.load('%t/int8.npz')['output_0']).all()"
// An .mlir output is the quantized module before lowering; compiled, it
// gives the same results.
// RUN: quant-compile %s --calibration-stats=%t/stats.json --calibration-method=minmax -o %t/quantized.mlir
// RUN: FileCheck %s --input-file=%t/quantized.mlir --check-prefix=QUANTIZED
// QUANTIZED: qnt.matmul
// QUANTIZED-NOT: qnt.observe
// RUN: quant-run %t/quantized.mlir --inputs=%t/test.npz --output=%t/quantized.npz
// RUN: %python -c "import numpy as np; assert (np.load('%t/quantized.npz')['output_0'] == np.load('%t/int8.npz')['output_0']).all()"
// Every range method compiles.
// RUN: quant-compile %s --target=cpu --calibration-stats=%t/stats.json --calibration-method=entropy -o %t/entropy.so
// A range that clips more than 1% of the calibration values is reported.
// RUN: quant-compile %s --target=cpu --calibration-stats=%t/stats.json --calibration-method=percentile --percentile=90 -o %t/percentile.so 2>&1 | FileCheck %s --check-prefix=CLIPS
// CLIPS: warning: observer 'x': the percentile range clips {{[0-9]+\.[0-9]}}% of the calibration values; consider another method for it, e.g. the override 'x=mse'
// RUN: quant-compile %s --target=cpu --calibration-stats=%t/stats.json --calibration-method=mse -o %t/mse.so
// RUN: quant-compile %s --target=cpu --calibration-stats=%t/stats.json --calibration-method=moving-average --weight-granularity=per-tensor -o %t/avg.so

// One observer can take another method (the per-layer report shows which
// needs it).
// RUN: quant-compile %s --target=cpu --calibration-stats=%t/stats.json --calibration-method=entropy --calibration-override=relu=minmax --report=%t/override -o %t/override.so
// RUN: FileCheck %s --input-file=%t/override.md --check-prefix=OVERRIDE
// OVERRIDE: | `x` | entropy |
// OVERRIDE: | `relu` | minmax |
// RUN: not quant-compile %s --target=cpu --calibration-stats=%t/stats.json --calibration-override=relu -o %t/out.so 2>&1 | FileCheck %s --check-prefix=BAD-OVERRIDE
// BAD-OVERRIDE: error: qnt-fold-observers: override 'relu' is not id=method with a known method

// Row 2: constant (all-zero) calibration data gives defined parameters.
// RUN: quant-compile %s --target=cpu --calibration-data=%t/zeros.npz -o %t/zeros.so
// RUN: quant-run %t/zeros.so --inputs=%t/test.npz | FileCheck %s --check-prefix=ZEROS
// ZEROS: output_0: float32[16x4]
// Row 3: a range too small for a normal f32 scale is floored, with a warning.
// RUN: quant-compile %s --target=cpu --calibration-data=%t/tiny.npz -o %t/tiny.so 2>&1 | FileCheck %s --check-prefix=TINY
// TINY: quant-compile-ptq.mlir:{{[0-9]+}}:{{[0-9]+}}: warning: observer 'x': range [0.000000e+00, 1.000000e-39] is too small for a normal f32 scale; using the smallest normal scale
// Row 4: an empty calibration set.
// RUN: not quant-compile %s --target=cpu --calibration-data=%t/empty.npz -o %t/out.so 2>&1 | FileCheck %s --check-prefix=EMPTY
// EMPTY: quant-compile: error: calibration data set is empty ('{{.*}}empty.npz' holds no samples)
// RUN: not quant-compile %s --target=cpu --calibration-data=%t/calib.npz --calibration-method=kl -o %t/out.so 2>&1 | FileCheck %s --check-prefix=METHOD
// METHOD: quant-compile: error: unknown --calibration-method 'kl' (minmax, moving-average, percentile, entropy, mse)
// RUN: not quant-compile %s --target=cpu --calibration-data=%t/calib.npz --calibration-stats=%t/stats.json -o %t/out.so 2>&1 | FileCheck %s --check-prefix=BOTH
// BOTH: quant-compile: error: give --calibration-data or --calibration-stats, not both
// RUN: not quant-compile %s --target=cpu --calibration-data=%t/calib.npz --weight-granularity=per-row -o %t/out.so 2>&1 | FileCheck %s --check-prefix=GRANULARITY
// GRANULARITY: error: qnt-insert-observers: weight-granularity must be per-channel or per-tensor, got 'per-row'
// RUN: not quant-compile %s --target=cpu --calibration-stats=%t/missing.json -o %t/out.so 2>&1 | FileCheck %s --check-prefix=NOSTATS
// NOSTATS: error: {{.*}}missing.json{{.*}}
// RUN: not ls %t/out.so %t/out.h 2>&1 | FileCheck %s --check-prefix=NOFILES
// NOFILES-NOT: {{^}}{{.*}}/out.{{so|h}}{{$}}

#map = affine_map<(d0, d1, d2) -> (d0, d2)>
#map1 = affine_map<(d0, d1, d2) -> (d1, d2)>
#map2 = affine_map<(d0, d1, d2) -> (d0, d1)>
#map3 = affine_map<(d0, d1) -> (d0, d1)>
#map4 = affine_map<(d0, d1) -> (d1)>
func.func @main(%x: tensor<?x8xf32> {qnt.input_name = "x"}) -> tensor<?x4xf32> {
  %w = arith.constant dense<[[0.5, -0.25, 0.125, 1.0, -1.0, 0.75, 0.3, -0.6],
                             [1.2, 0.4, -0.8, 0.1, 0.9, -0.3, 0.05, 0.6],
                             [-0.7, 0.2, 0.6, -0.9, 0.35, 0.15, -0.45, 0.8],
                             [0.05, -0.95, 0.4, 0.2, -0.1, 0.65, 0.55, -0.25]]> : tensor<4x8xf32> loc("fc.weight"("model.onnx":0:0))
  %b = arith.constant dense<[0.1, -0.2, 0.05, 0.3]> : tensor<4xf32>
  %zero = arith.constant 0.0 : f32
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?x8xf32>
  %e = tensor.empty(%n) : tensor<?x4xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<?x4xf32>) -> tensor<?x4xf32>
  %mm = linalg.matmul indexing_maps = [#map, #map1, #map2] ins(%x, %w : tensor<?x8xf32>, tensor<4x8xf32>) outs(%init : tensor<?x4xf32>) -> tensor<?x4xf32> loc("fc"("model.onnx":0:0))
  %biased = linalg.generic {indexing_maps = [#map3, #map4, #map3], iterator_types = ["parallel", "parallel"]} ins(%mm, %b : tensor<?x4xf32>, tensor<4xf32>) outs(%e : tensor<?x4xf32>) {
  ^bb0(%in: f32, %bias: f32, %out: f32):
    %s = arith.addf %in, %bias : f32
    linalg.yield %s : f32
  } -> tensor<?x4xf32> loc("fc"("model.onnx":0:0))
  %relu = linalg.generic {indexing_maps = [#map3, #map3], iterator_types = ["parallel", "parallel"]} ins(%biased : tensor<?x4xf32>) outs(%e : tensor<?x4xf32>) {
  ^bb0(%in: f32, %out: f32):
    %m = arith.maximumf %in, %zero : f32
    linalg.yield %m : f32
  } -> tensor<?x4xf32> loc("relu"("model.onnx":0:0))
  return %relu : tensor<?x4xf32>
}
