// LSTM/GRU attributes the importer rejects, as located errors with no
// output file. (layout=1 itself is supported: test_lstm_batchwise and
// test_gru_batchwise of the ONNX backend tests pass, onnx-node-conformance.)

// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/Inputs/make_model.py lstm-bad-layout %t
// RUN: not %import-onnx %t/lstm_bad_layout.onnx -o %t/out.mlir 2>&1 | FileCheck %s
// RUN: not ls %t/out.mlir
// CHECK: lstm_bad_layout.onnx:{{.*}}: error: node 'lstm' (LSTM): layout must be 0 or 1, got 2
