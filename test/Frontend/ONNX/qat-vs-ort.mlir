// The QDQ model exported from PyTorch QAT (models/fmnist_cnn_qat.onnx)
// imports and runs, and on 256 test images its integer logits equal ONNX
// Runtime's.
//
// Fused: with --fuse-qdq every convolution, the residual add, both max
// pools, the global average pool and the Gemm run in integers, as ONNX
// Runtime's default optimizations ("all") run them (QLinearConv, QLinearAdd,
// max pooling on uint8, QLinearGlobalAveragePool, QGemm), with the same
// requantization arithmetic (docs/semantics.md). The logits must be equal:
// 0 of 2560 differ (also 0 of 100,000 on the whole test set).
//
// Unfused: quant-run executes the QDQ graph as written, in float between
// DequantizeLinear and QuantizeLinear, as does ONNX Runtime with
// optimizations disabled, but in another summation order, so a value next
// to a rounding tie can land one step apart: 1 of 2560 logits (0.04%)
// differed, by 1 step (28 of 100,000 on the test set). Summation orders
// depend on the CPU's kernels, hence a bound (0.5%) there.

// REQUIRES: onnxruntime
// RUN: rm -rf %t && mkdir -p %t/ort-all %t/ort-disabled
// RUN: %python %S/Inputs/qat_vs_ort.py gen %t/x.npy 256
// RUN: node %quant_src_root/scripts/ort/run_ort.js %quant_src_root/models/fmnist_cnn_qat.onnx %t/ort-all image=%t/x.npy
// RUN: env QUANT_ORT_OPT=disabled node %quant_src_root/scripts/ort/run_ort.js %quant_src_root/models/fmnist_cnn_qat.onnx %t/ort-disabled image=%t/x.npy

// RUN: quant-import-onnx %quant_src_root/models/fmnist_cnn_qat.onnx -o %t/qat.mlir
// RUN: quant-opt %t/qat.mlir --qnt-fold-fake-quant --qnt-fuse-qdq=report=true -o /dev/null 2>&1 | FileCheck %s --check-prefix=FUSION
// FUSION: remark: qnt-fuse-qdq: fused 5 conv, 1 matmul, 1 add, 0 mul, 2 max pooling, 1 average pooling;
// FUSION-SAME: left in float: 0 for bias overflow, 0 for an i32 bias off the accumulator grid, 0 as invalid
// RUN: quant-compile %quant_src_root/models/fmnist_cnn_qat.onnx --target=cpu --fuse-qdq -o %t/fused.so
// RUN: quant-run %t/fused.so --input=%t/x.npy --output=%t/fused.npz
// RUN: %python %S/Inputs/qat_vs_ort.py compare %quant_src_root/models/fmnist_cnn_qat.onnx %t/fused.npz %t/ort-all/output_0.npy 0 | FileCheck %s --check-prefix=FUSED
// FUSED: 2560 quantized logits, 0 differ (0.00%), max |difference| 0 LSB, argmax agreement 100.0%

// RUN: quant-run %t/qat.mlir --input=%t/x.npy --output=%t/unfused.npz
// RUN: %python %S/Inputs/qat_vs_ort.py compare %quant_src_root/models/fmnist_cnn_qat.onnx %t/unfused.npz %t/ort-disabled/output_0.npy 0.5 | FileCheck %s --check-prefix=UNFUSED
// UNFUSED: 2560 quantized logits, {{[0-9]+}} differ ({{[0-9.]+}}%), max |difference| {{[01]}} LSB
