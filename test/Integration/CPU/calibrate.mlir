// quant-calibrate: statistics of a two-observer module over NumPy samples,
// exact merges of shards, and every way bad input is refused (RELIABILITY
// rows 1 and 4): a located message, a non-zero exit, no output file.

// RUN: rm -rf %t && mkdir -p %t/dir
// x = -1, -0.75, ..., 6.75 as 8 samples of 4; y = -2 x.
// RUN: %python -c "import numpy as np; x = (np.arange(32, dtype=np.float32) * 0.25 - 1).reshape(8, 4); np.savez('%t/all.npz', x=x); np.savez('%t/a.npz', x=x[:4]); np.savez('%t/b.npz', x=x[4:]); np.savez('%t/dir/0.npz', x=x[:6]); np.save('%t/dir/1.npy', x[6:]); np.savez('%t/empty.npz', x=x[:0]); n = x.copy(); n[5, 2] = np.nan; np.savez('%t/nan.npz', x=n); np.savez('%t/wrong_name.npz', z=x); np.savez('%t/f64.npz', x=x.astype(np.float64))"

// RUN: quant-calibrate %s --data=%t/all.npz --batch=2 -o %t/all.json
// RUN: FileCheck %s --input-file=%t/all.json --check-prefix=STATS
// STATS: "format": "quant-calibration-statistics",
// STATS: "x": {
// STATS-NEXT: "batches": 4,
// STATS: "max": 6.75,
// STATS-NEXT: "min": -1,
// STATS-NEXT: "non_finite": 0,
// STATS: "values": 32
// STATS: "y": {
// STATS-NEXT: "batches": 4,
// STATS: "max": 2,
// STATS-NEXT: "min": -13.5,
// STATS: "samples": 8,
// STATS-NEXT: "version": 1

// RUN: quant-calibrate %s --data=%t/all.npz --batch=3 --timing -o %t/timed.json 2>&1 | FileCheck %s --check-prefix=TIMING
// TIMING: quant-calibrate: 8 samples in 3 batches, {{[0-9.]+}} s running ({{[0-9.]+}} samples/s)

// Shards merge into exactly the whole (same batches: 2 + 2 of 2 samples).
// RUN: quant-calibrate %s --data=%t/a.npz --batch=2 -o %t/a.json
// RUN: quant-calibrate %s --data=%t/b.npz --batch=2 -o %t/b.json
// RUN: quant-calibrate --merge %t/b.json %t/a.json -o %t/merged.json
// RUN: diff %t/all.json %t/merged.json
// A directory's .npz/.npy files are concatenated in name order.
// RUN: quant-calibrate %s --data=%t/dir --batch=2 -o %t/dir.json
// RUN: diff %t/all.json %t/dir.json

// --threads=N and QUANT_NUM_THREADS set the model's threads, as for
// quant-run; the statistics do not depend on them.
// RUN: quant-calibrate %s --data=%t/all.npz --batch=2 --threads=1 -o %t/t1.json
// RUN: env QUANT_NUM_THREADS=2 quant-calibrate %s --data=%t/all.npz --batch=2 -o %t/t2.json
// RUN: diff %t/all.json %t/t1.json
// RUN: diff %t/all.json %t/t2.json
// RUN: not quant-calibrate %s --data=%t/all.npz --threads=0 -o %t/t0.json 2>&1 | FileCheck %s --check-prefix=THREADS
// THREADS: quant-calibrate: error: --threads needs a positive number, got '0'
// RUN: env QUANT_NUM_THREADS=many not quant-calibrate %s --data=%t/all.npz -o %t/t0.json 2>&1 | FileCheck %s --check-prefix=THREADS-ENV
// THREADS-ENV: quant-calibrate: error: QUANT_NUM_THREADS='many' is not a positive number
// RUN: not test -e %t/t0.json
// Batch size changes only the moving-average sums and the batch count.
// RUN: quant-calibrate %s --data=%t/all.npz --batch=8 -o %t/one.json
// RUN: FileCheck %s --input-file=%t/one.json --check-prefix=ONE
// ONE: "batches": 1,
// RUN: %python -c "import json; a, b = (json.load(open(f))['observers'] for f in ('%t/all.json', '%t/one.json')); assert a.keys() == b.keys(); assert all(a[k][f] == b[k][f] for k in a for f in ('histogram', 'min', 'max', 'values')); assert a['x']['sum_batch_min'] != b['x']['sum_batch_min']"

// Row 1: NaN in the data names the observer and the batch; no file.
// RUN: not quant-calibrate %s --data=%t/nan.npz --batch=2 -o %t/nan.json 2>&1 | FileCheck %s --check-prefix=NAN
// NAN: quant-calibrate: error: observer 'x' (batch 2): {{.*}}1 NaN{{.*}}; fix the data or pass --ignore-nonfinite to skip such values
// RUN: not test -e %t/nan.json
// RUN: quant-calibrate %s --data=%t/nan.npz --batch=2 --ignore-nonfinite -o %t/nan.json 2>&1 | FileCheck %s --check-prefix=NAN-SKIP
// NAN-SKIP: quant-calibrate: warning: observer 'x' skipped 1 non-finite values
// NAN-SKIP: quant-calibrate: warning: observer 'y' skipped 1 non-finite values
// RUN: FileCheck %s --input-file=%t/nan.json --check-prefix=NAN-STATS
// NAN-STATS: "non_finite": 1,
// NAN-STATS: "values": 31

// Row 4: an empty data set is refused before anything runs.
// RUN: not quant-calibrate %s --data=%t/empty.npz -o %t/out.json 2>&1 | FileCheck %s --check-prefix=EMPTY
// EMPTY: quant-calibrate: error: calibration data set is empty ('{{.*}}empty.npz' holds no samples)
// RUN: not quant-calibrate %s --data=%t/missing.npz -o %t/out.json 2>&1 | FileCheck %s --check-prefix=MISSING
// MISSING: quant-calibrate: error: calibration data '{{.*}}missing.npz' does not exist
// RUN: not quant-calibrate %s --data=%t/f64.npz -o %t/out.json 2>&1 | FileCheck %s --check-prefix=DTYPE
// DTYPE: quant-calibrate: error: calibration data '{{.*}}f64.npz': input 'x' is float64, expected float32
// RUN: not quant-calibrate %s --data=%t/wrong_name.npz --function=two -o %t/out.json 2>&1 | FileCheck %s --check-prefix=NAME
// NAME: quant-calibrate: error: calibration data '{{.*}}wrong_name.npz': array 'z' names no input of @two
// RUN: not quant-calibrate %s -o %t/out.json 2>&1 | FileCheck %s --check-prefix=NODATA
// NODATA: quant-calibrate: error: --data=calib.npz|DIR is required
// RUN: not quant-calibrate %s --data=%t/all.npz --batch=-1 -o %t/out.json 2>&1 | FileCheck %s --check-prefix=BATCH
// BATCH: quant-calibrate: error: --batch must be positive
// RUN: not quant-calibrate %s --data=%t/all.npz --function=static --batch=2 -o %t/out.json 2>&1 | FileCheck %s --check-prefix=STATIC
// STATIC: quant-calibrate: error: @static takes batches of 3 samples, not --batch=2
// RUN: not quant-calibrate %s --data=%t/all.npz --function=static -o %t/out.json 2>&1 | FileCheck %s --check-prefix=STATIC-SPLIT
// STATIC-SPLIT: quant-calibrate: error: 8 samples do not split into the static batch size 3 of @static
// RUN: not quant-calibrate %s --data=%t/all.npz --function=plain -o %t/out.json 2>&1 | FileCheck %s --check-prefix=PLAIN
// PLAIN: quant-calibrate: error: @plain in '{{.*}}calibrate.mlir' has no qnt.observe ops; instrument it with quant-opt --qnt-insert-observers first
// RUN: not test -e %t/out.json

// RUN: %python -c "import numpy as np; x = np.zeros((4, 4), np.float32); np.savez('%t/scalar.npz', x=np.float32(1)); np.savez('%t/a_only.npz', a=x); np.savez('%t/uneven.npz', a=x, b=x[:3]); import os; os.makedirs('%t/mixed', exist_ok=True); np.save('%t/mixed/0.npy', x); np.save('%t/mixed/1.npy', np.zeros((2, 5), np.float32))"
// RUN: not quant-calibrate %s --data=%t/scalar.npz -o %t/out.json 2>&1 | FileCheck %s --check-prefix=SCALAR
// SCALAR: quant-calibrate: error: calibration data '{{.*}}scalar.npz': array 'x' is a scalar; dimension 0 must index samples
// RUN: not quant-calibrate %s --data=%t/a_only.npz --function=two -o %t/out.json 2>&1 | FileCheck %s --check-prefix=NO-ARRAY
// NO-ARRAY: quant-calibrate: error: calibration data '{{.*}}a_only.npz' has no array for input 'b'
// RUN: not quant-calibrate %s --data=%t/uneven.npz --function=two -o %t/out.json 2>&1 | FileCheck %s --check-prefix=UNEVEN
// UNEVEN: quant-calibrate: error: calibration data '{{.*}}uneven.npz': inputs hold 4 and 3 samples
// RUN: not quant-calibrate %s --data=%t/mixed -o %t/out.json 2>&1 | FileCheck %s --check-prefix=MIXED
// MIXED: quant-calibrate: error: calibration data '{{.*}}mixed': array '1' for input 'x' holds samples of float32 [5], the arrays before it float32 [4]
// RUN: not quant-calibrate -o %t/out.json 2>&1 | FileCheck %s --check-prefix=NO-MODEL
// NO-MODEL: quant-calibrate: error: give one model (or --merge with statistics files)
// RUN: not test -e %t/out.json

// Merging refuses what it cannot read.
// RUN: not quant-calibrate --merge %t/a.json -o %t/out.json 2>&1 | FileCheck %s --check-prefix=MERGE-ONE
// MERGE-ONE: quant-calibrate: error: --merge needs at least two statistics files
// RUN: sed 's/"version": 1/"version": 2/' %t/a.json > %t/v2.json
// RUN: not quant-calibrate --merge %t/a.json %t/v2.json -o %t/out.json 2>&1 | FileCheck %s --check-prefix=MERGE-VERSION
// MERGE-VERSION: quant-calibrate: error: {{.*}}v2.json: unsupported calibration statistics version 2 (this build reads version 1)
// RUN: not test -e %t/out.json

#map = affine_map<(d0, d1) -> (d0, d1)>
func.func @main(%x: tensor<?x4xf32> {qnt.input_name = "x"}) -> tensor<?x4xf32> {
  %xo = qnt.observe %x {id = "x", kind = #qnt.observer<histogram>} : tensor<?x4xf32>
  %c0 = arith.constant 0 : index
  %n = tensor.dim %xo, %c0 : tensor<?x4xf32>
  %e = tensor.empty(%n) : tensor<?x4xf32>
  %y = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel"]} ins(%xo : tensor<?x4xf32>) outs(%e : tensor<?x4xf32>) {
  ^bb0(%in: f32, %out: f32):
    %minus_two = arith.constant -2.0 : f32
    %m = arith.mulf %in, %minus_two : f32
    linalg.yield %m : f32
  } -> tensor<?x4xf32>
  %yo = qnt.observe %y {id = "y", kind = #qnt.observer<histogram>} : tensor<?x4xf32>
  return %yo : tensor<?x4xf32>
}

func.func @two(%a: tensor<?x4xf32> {qnt.input_name = "a"}, %b: tensor<?x4xf32> {qnt.input_name = "b"}) -> tensor<?x4xf32> {
  %ao = qnt.observe %a {id = "two.a", kind = #qnt.observer<histogram>} : tensor<?x4xf32>
  return %ao : tensor<?x4xf32>
}

func.func @static(%s: tensor<3x4xf32> {qnt.input_name = "x"}) -> tensor<3x4xf32> {
  %so = qnt.observe %s {id = "static.x", kind = #qnt.observer<histogram>} : tensor<3x4xf32>
  return %so : tensor<3x4xf32>
}

func.func @plain(%p: tensor<?x4xf32>) -> tensor<?x4xf32> {
  return %p : tensor<?x4xf32>
}
