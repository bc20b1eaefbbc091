// RUN: split-file %s %t
// RUN: quant-opt %t/attrs.mlir --split-input-file --qnt-fold-observers | FileCheck %s
// RUN: quant-opt %t/attrs.mlir --split-input-file --qnt-fold-observers=method=moving-average | FileCheck %s --check-prefix=MAVG
// RUN: quant-opt %t/overrides.mlir --qnt-fold-observers="overrides=ma=moving-average,kept=float" | FileCheck %s --check-prefix=OVR
// RUN: quant-opt %t/hist.mlir --qnt-fold-observers="stats-file=%t/stats.json method=percentile percentile=99 report-json=%t/report.json report-markdown=%t/report.md" | FileCheck %s --check-prefix=PCT
// RUN: FileCheck %s --input-file=%t/report.json --check-prefix=JSON
// RUN: FileCheck %s --input-file=%t/report.md --check-prefix=MD
// RUN: quant-opt %t/hist.mlir --qnt-fold-observers="stats-file=%t/stats.json overrides=hist=moving-average,pos=entropy" | FileCheck %s --check-prefix=FILE
// RUN: quant-opt %t/hist.mlir --qnt-fold-observers="stats-file=%t/stats.json method=mse" | FileCheck %s --check-prefix=MSE

// qnt-fold-observers. Every expected scale and zero point is computed by
// hand from the asymmetric rule scale = (max - min) / (qmax - qmin),
// zp = round(qmin - min / scale), with [min, max] widened to include 0, or
// the symmetric rule scale = max(|min|, |max|) / ((qmax - qmin) / 2).

//--- attrs.mlir

// minmax (the default) reads min/max of the stats attribute: [-1, 3] in u8
// gives scale 4/255 = 0.01568627..., zp = round(0 + 1 / (4/255)) =
// round(63.75) = 64. moving-average reads avg_min/avg_max: [-0.5, 2] gives
// scale 2.5/255 = 0.00980392..., zp = round(0.5 * 102) = 51.
// CHECK-LABEL: func.func @u8_asymmetric
// CHECK-SAME: (%[[X:.*]]: tensor<4xf32>)
// CHECK: %[[Q:.*]] = qnt.quantize %[[X]] : tensor<4xf32> -> tensor<4x!quant.uniform<u8:f32, 0.015686274509803921:64>>
// CHECK-NEXT: %[[D:.*]] = qnt.dequantize %[[Q]] : tensor<4x!quant.uniform<u8:f32, 0.015686274509803921:64>> -> tensor<4xf32>
// CHECK-NEXT: return %[[D]]
// MAVG-LABEL: func.func @u8_asymmetric
// MAVG: qnt.quantize %{{.*}} : tensor<4xf32> -> tensor<4x!quant.uniform<u8:f32, 0.0098039215686274508:51>>
func.func @u8_asymmetric(%x: tensor<4xf32>) -> tensor<4xf32> {
  %y = qnt.observe %x {id = "a", kind = #qnt.observer<min_max>, stats = #qnt.stats<count = 2, min = -1.0, max = 3.0, avg_min = -0.5, avg_max = 2.0>} : tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// Signed storage, asymmetric: [-1, 3] in i8 [-128, 127] gives scale 4/255,
// zp = round(-128 + 63.75) = round(-64.25) = -64.
// CHECK-LABEL: func.func @i8_asymmetric
// CHECK: qnt.quantize %{{.*}} : tensor<4xf32> -> tensor<4x!quant.uniform<i8:f32, 0.015686274509803921:-64>>
func.func @i8_asymmetric(%x: tensor<4xf32>) -> tensor<4xf32> {
  %y = qnt.observe %x {id = "a", kind = #qnt.observer<min_max>, stats = #qnt.stats<count = 1, min = -1.0, max = 3.0, avg_min = -1.0, avg_max = 3.0>, storage = i8} : tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// Symmetric i8: scale = max(1, 3) / (255 / 2) = 3/127.5 = 0.02352941...,
// zp 0. Symmetric u8: the same scale, zp = (0 + 255 + 1) / 2 = 128.
// CHECK-LABEL: func.func @symmetric
// CHECK: qnt.quantize %{{.*}} -> tensor<4x!quant.uniform<i8:f32, 0.023529411764705882>>
// CHECK: qnt.quantize %{{.*}} -> tensor<4x!quant.uniform<u8:f32, 0.023529411764705882:128>>
func.func @symmetric(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %a = qnt.observe %x {id = "s8", kind = #qnt.observer<min_max>, stats = #qnt.stats<count = 1, min = -1.0, max = 3.0, avg_min = -1.0, avg_max = 3.0>, storage = i8, symmetric} : tensor<4xf32>
  %b = qnt.observe %x {id = "u8", kind = #qnt.observer<min_max>, stats = #qnt.stats<count = 1, min = -1.0, max = 3.0, avg_min = -1.0, avg_max = 3.0>, storage = ui8, symmetric} : tensor<4xf32>
  return %a, %b : tensor<4xf32>, tensor<4xf32>
}

// -----

// The range is widened to include 0 so that 0 is exact: [2, 6] becomes
// [0, 6] (scale 6/255, zp 0) and [-4, -1] becomes [-4, 0] (scale 4/255,
// zp = round(4 / (4/255)) = 255).
// CHECK-LABEL: func.func @widened_to_zero
// CHECK: qnt.quantize %{{.*}} -> tensor<4x!quant.uniform<u8:f32, 0.023529411764705882>>
// CHECK: qnt.quantize %{{.*}} -> tensor<4x!quant.uniform<u8:f32, 0.015686274509803921:255>>
func.func @widened_to_zero(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %a = qnt.observe %x {id = "pos", kind = #qnt.observer<min_max>, stats = #qnt.stats<count = 1, min = 2.0, max = 6.0, avg_min = 2.0, avg_max = 6.0>} : tensor<4xf32>
  %b = qnt.observe %x {id = "neg", kind = #qnt.observer<min_max>, stats = #qnt.stats<count = 1, min = -4.0, max = -1.0, avg_min = -4.0, avg_max = -1.0>} : tensor<4xf32>
  return %a, %b : tensor<4xf32>, tensor<4xf32>
}

// -----

// A constant-zero tensor has the degenerate range [0, 0]: scale 1, zp at
// the storage value nearest 0 (0 for both u8 and i8).
// CHECK-LABEL: func.func @constant_zero
// CHECK: qnt.quantize %{{.*}} -> tensor<4x!quant.uniform<u8:f32, 1.000000e+00>>
// CHECK: qnt.quantize %{{.*}} -> tensor<4x!quant.uniform<i8:f32, 1.000000e+00>>
func.func @constant_zero(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %a = qnt.observe %x {id = "z8", kind = #qnt.observer<min_max>, stats = #qnt.stats<count = 3, min = 0.0, max = 0.0, avg_min = 0.0, avg_max = 0.0>} : tensor<4xf32>
  %b = qnt.observe %x {id = "zs8", kind = #qnt.observer<min_max>, stats = #qnt.stats<count = 3, min = 0.0, max = 0.0, avg_min = 0.0, avg_max = 0.0>, storage = i8} : tensor<4xf32>
  return %a, %b : tensor<4xf32>, tensor<4xf32>
}

// -----

// 4-bit unsigned storage [0, 15]: [0, 3] gives scale 3/15 = 0.2, zp 0.
// CHECK-LABEL: func.func @u4
// CHECK: qnt.quantize %{{.*}} -> tensor<4x!quant.uniform<u4:f32, 2.000000e-01>>
func.func @u4(%x: tensor<4xf32>) -> tensor<4xf32> {
  %y = qnt.observe %x {id = "u4", kind = #qnt.observer<min_max>, stats = #qnt.stats<count = 1, min = 0.0, max = 3.0, avg_min = 0.0, avg_max = 3.0>, storage = ui4} : tensor<4xf32>
  return %y : tensor<4xf32>
}

//--- overrides.mlir

// overrides: "ma" uses moving-average ([-0.5, 2]: scale 2.5/255, zp 51),
// "kept" stays in float (the observer goes, its input is used directly),
// the rest use the default minmax ([-1, 3]: scale 4/255, zp 64).
// OVR-LABEL: func.func @overrides
// OVR-SAME: (%[[X:.*]]: tensor<4xf32>)
// OVR: %[[AVG:.*]] = qnt.quantize %[[X]] : tensor<4xf32> -> tensor<4x!quant.uniform<u8:f32, 0.0098039215686274508:51>>
// OVR-NEXT: %[[AVGD:.*]] = qnt.dequantize %[[AVG]]
// OVR-NEXT: %[[MIN:.*]] = qnt.quantize %[[X]] : tensor<4xf32> -> tensor<4x!quant.uniform<u8:f32, 0.015686274509803921:64>>
// OVR-NEXT: %[[MIND:.*]] = qnt.dequantize %[[MIN]]
// OVR-NEXT: return %[[AVGD]], %[[X]], %[[MIND]]
func.func @overrides(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %a = qnt.observe %x {id = "ma", kind = #qnt.observer<moving_average>, stats = #qnt.stats<count = 2, min = -1.0, max = 3.0, avg_min = -0.5, avg_max = 2.0>} : tensor<4xf32>
  %b = qnt.observe %x {id = "kept", kind = #qnt.observer<min_max>, stats = #qnt.stats<count = 2, min = -1.0, max = 3.0, avg_min = -0.5, avg_max = 2.0>} : tensor<4xf32>
  %c = qnt.observe %x {id = "mm", kind = #qnt.observer<min_max>, stats = #qnt.stats<count = 2, min = -1.0, max = 3.0, avg_min = -0.5, avg_max = 2.0>} : tensor<4xf32>
  return %a, %b, %c : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}

//--- hist.mlir

// Statistics from the file (stats.json below, written by hand in the format
// of lib/Calibration/StatsFile.cpp): 2048-bin histograms with bin width
// 2^-8 anchored at 0.
// "hist": 100 values in [-1, 3]: one at -1 (bin -256), 98 in
//   [0.5, 0.5 + 2^-8) (bin 128), one at 3 (bin 768); two batches with
//   batch minima summing to -1 and maxima to 3 (moving average
//   [-0.5, 1.5]).
// "pos": 50 values at 0 (bin 0), 50 at 4 (bin 1024), one batch.
//
// percentile=99 on "hist": the 99th of 100 values lies at the end of bin
// 128: 0.5 + 2^-8 = 0.50390625; the 1st at the end of bin -256:
// -1 + 2^-8 = -0.99609375. Scale 1.5/255 = 0.00588235..., zp =
// round(0.99609375 / (1.5/255)) = round(169.34) = 169. On "pos" the upper
// percentile falls in the last bin and is clamped to the maximum 4: [0, 4],
// scale 4/255, zp 0.
// PCT-LABEL: func.func @from_file
// PCT: qnt.quantize %{{.*}} -> tensor<8x!quant.uniform<u8:f32, 0.0058823529411764705:169>>
// PCT: qnt.quantize %{{.*}} -> tensor<8x!quant.uniform<u8:f32, 0.015686274509803921>>
// PCT-NOT: qnt.observe
//
// moving-average on "hist": [-0.5, 1.5], scale 2/255, zp = round(63.75) =
// 64. entropy on "pos": at the full threshold the 256-level quantization
// of the two occupied bins equals the reference (divergence 0), so nothing
// is clipped: [0, 4], scale 4/255.
// FILE-LABEL: func.func @from_file
// FILE: qnt.quantize %{{.*}} -> tensor<8x!quant.uniform<u8:f32, 0.0078431372549019607:64>>
// FILE: qnt.quantize %{{.*}} -> tensor<8x!quant.uniform<u8:f32, 0.015686274509803921>>
//
//
// mse: the candidates shrink [min, max] towards 0 by k/256, k = 256..1,
// and are scored by the squared error of fake-quantizing the bin centres
// (-0.998046875 x1, 0.501953125 x98, 3 x1 for "hist"). For "hist", k = 256
// (scale 4/255) puts 0.501953125 at 95.75 steps from -1, rounded to 96:
// error 98 * 0.00393^2 = 1.5e-3; k = 255 gives [-0.99609375, 2.98828125],
// scale 3.984375/255 = 1/64, where 0.501953125 lies 95.875 steps from the
// lower end (error 98 * 2^-18) and the clipped ends cost 2^-18 +
// 0.01171875^2: 5.15e-4 in all, the smallest of the 256 candidates (checked
// by a separate brute-force evaluation). zp = round(0.99609375 * 64) =
// round(63.75) = 64. For "pos" any shrinking clips the 50 values at 4 by at
// least 4/256 (error >= 1.2e-2) while the full range costs only the bin-0
// centre 2^-9 rounding to 0 (50 * 2^-18 = 1.9e-4): [0, 4], scale 4/255.
// MSE-LABEL: func.func @from_file
// MSE: qnt.quantize %{{.*}} -> tensor<8x!quant.uniform<u8:f32, 1.562500e-02:64>>
// MSE: qnt.quantize %{{.*}} -> tensor<8x!quant.uniform<u8:f32, 0.015686274509803921>>
func.func @from_file(%x: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>, tensor<2x!quant.uniform<i8<-127:127>:f32, 0.5>>) {
  %a = qnt.observe %x {id = "hist", kind = #qnt.observer<histogram>} : tensor<8xf32>
  %b = qnt.observe %x {id = "pos", kind = #qnt.observer<histogram>} : tensor<8xf32>
  %w = arith.constant dense<[1.0, 0.3]> : tensor<2xf32> loc("fc.weight")
  %wq = qnt.quantize %w : tensor<2xf32> -> tensor<2x!quant.uniform<i8<-127:127>:f32, 0.5>>
  return %a, %b, %wq : tensor<8xf32>, tensor<8xf32>, tensor<2x!quant.uniform<i8<-127:127>:f32, 0.5>>
}

// The report. "hist": clipped are the bins whose centres lie outside
// [-0.99609375, 0.50390625]: bin -256 (centre -1 + 2^-9) and bin 768
// (centre clamped to 3), 2 of 100 values = 2%. "pos" clips nothing; its
// SQNR is 10 log10((50 (2^-9)^2 + 50 * 16) / (50 (2^-9)^2)) = 66.2266 dB (the
// centre 2^-9 of bin 0 rounds to 0, 4 is exact). SQNR over the bin centres
// -0.998046875 (x1), 0.501953125 (x98), 3 (x1), quantized to -169s, 85s,
// 86s: 10 log10(sum x^2 / sum (x - Q(x))^2) = 7.4632 dB (computed
// separately). The weight [1.0, 0.3] at scale 0.5 quantizes to [1.0, 0.5]:
// ||(0, 0.2)|| / ||(1, 0.3)|| = sqrt(0.04 / 1.09) = 0.19157 (0.3 in f32).
// JSON:      "activations": [
// JSON-NEXT:   {
// JSON-NEXT:     "clipped_percent": 2,
// JSON-NEXT:     "id": "hist",
// JSON-NEXT:     "method": "percentile",
// JSON-NEXT:     "range": [
// JSON-NEXT:       -0.99609375,
// JSON-NEXT:       0.50390625
// JSON-NEXT:     ],
// JSON-NEXT:     "scale": 0.0058823529411764705,
// JSON-NEXT:     "sqnr_db": 7.46316681548{{[0-9]*}},
// JSON-NEXT:     "type": "!quant.uniform<u8:f32, 0.0058823529411764705:169>",
// JSON-NEXT:     "zero_point": 169
// JSON-NEXT:   },
// JSON-NEXT:   {
// JSON-NEXT:     "clipped_percent": 0,
// JSON-NEXT:     "id": "pos",
// JSON-NEXT:     "method": "percentile",
// JSON-NEXT:     "range": [
// JSON-NEXT:       0,
// JSON-NEXT:       4
// JSON-NEXT:     ],
// JSON-NEXT:     "scale": 0.015686274509803921,
// JSON-NEXT:     "sqnr_db": 66.2266{{[0-9]*}},
// JSON-NEXT:     "type": "!quant.uniform<u8:f32, 0.015686274509803921>",
// JSON-NEXT:     "zero_point": 0
// JSON-NEXT:   }
// JSON-NEXT: ],
// JSON-NEXT: "weights": [
// JSON-NEXT:   {
// JSON-NEXT:     "granularity": "per-tensor",
// JSON-NEXT:     "name": "fc.weight",
// JSON-NEXT:     "relative_error": 0.191565244997527{{[0-9]*}}
// JSON-NEXT:   }
// JSON-NEXT: ]
//
// MD:      ## Activations
// MD:      | observer | method | range | scale | zero point | clipped | SQNR |
// MD-NEXT: |---|---|---|---|---|---|---|
// MD-NEXT: | `hist` | percentile | [-0.996094, 0.503906] | 5.882353e-03 | 169 | 2.000% | 7.5 dB |
// MD-NEXT: | `pos` | percentile | [0, 4] | 1.568627e-02 | 0 | 0.000% | 66.2 dB |
// MD:      ## Weights
// MD:      | weight | granularity | ||W - Q(W)|| / ||W|| |
// MD-NEXT: |---|---|---|
// MD-NEXT: | `fc.weight` | per-tensor | 1.915652e-01 |

//--- stats.json
{
  "format": "quant-calibration-statistics",
  "version": 1,
  "samples": 2,
  "observers": {
    "hist": {
      "batches": 2,
      "values": 100,
      "non_finite": 0,
      "min": -1.0,
      "max": 3.0,
      "sum_batch_min": "-20000000000000000000000000000000000000",
      "sum_batch_max": "60000000000000000000000000000000000000",
      "histogram": {
        "exponent": -8,
        "first_bin": -256,
        "counts": [
          1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
          0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
          0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
          0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
          0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
          0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
          0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
          0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
          0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
          0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
          0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
          0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
          98, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
          0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
          0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
          0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
          0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
          0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
          0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
          0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
          0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
          0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
          0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
          0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
          0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
          0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
          0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
          0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
          0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
          0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
          0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
          0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
          1
        ]
      }
    },
    "pos": {
      "batches": 1,
      "values": 100,
      "non_finite": 0,
      "min": 0.0,
      "max": 4.0,
      "sum_batch_min": "0",
      "sum_batch_max": "80000000000000000000000000000000000000",
      "histogram": {
        "exponent": -8,
        "first_bin": 0,
        "counts": [
          50, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
          0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
          0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
          0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
          0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
          0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
          0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
          0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
          0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
          0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
          0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
          0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
          0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
          0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
          0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
          0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
          0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
          0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
          0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
          0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
          0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
          0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
          0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
          0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
          0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
          0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
          0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
          0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
          0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
          0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
          0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
          0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
          50
        ]
      }
    }
  }
}
