// The IR quant-import-onnx writes for a float CNN and a QDQ model
// (Inputs/make_model.py: float-cnn, qdq, const-limits): the function
// signature and its qnt.input_name / qnt.unsigned attributes, the ops per
// ONNX node, qnt.quantize/qnt.dequantize with their !quant.uniform types,
// inline constants up to 1024 elements and dense_resource blobs above,
// locations named after the ONNX nodes, and the .mlirbc output.

// RUN: rm -rf %t && mkdir -p %t

// Text output; quant-opt must parse it back (blobs included).
// RUN: %python %S/Inputs/make_model.py float-cnn %t
// RUN: %import-onnx %t/float_cnn.onnx -o %t/float_cnn.mlir
// RUN: FileCheck %s --input-file=%t/float_cnn.mlir --check-prefix=FLOAT
// RUN: quant-opt %t/float_cnn.mlir -o /dev/null

// Bytecode output, read back by quant-opt: the same IR, the blob, and the
// node locations (which the text output does not print).
// RUN: %import-onnx %t/float_cnn.onnx -o %t/float_cnn.mlirbc
// RUN: quant-opt %t/float_cnn.mlirbc | FileCheck %s --check-prefix=FLOAT
// RUN: quant-opt %t/float_cnn.mlirbc --mlir-print-debuginfo --mlir-print-local-scope | FileCheck %s --check-prefix=LOC

// RUN: %python %S/Inputs/make_model.py qdq %t
// RUN: %import-onnx %t/qdq.onnx -o %t/qdq.mlir
// RUN: FileCheck %s --input-file=%t/qdq.mlir --check-prefix=QDQ
// RUN: quant-opt %t/qdq.mlir -o /dev/null

// RUN: %python %S/Inputs/make_model.py const-limits %t
// RUN: %import-onnx %t/const_limits.onnx -o %t/const_limits.mlir
// RUN: FileCheck %s --input-file=%t/const_limits.mlir --check-prefix=LIMITS

//===----------------------------------------------------------------------===//
// Float: Conv(3x3, pads 1, bias) -> Relu -> MaxPool(2, stride 2) -> Flatten
// -> Gemm(transB) on x: f32[1x2x6x6]; y: f32[1x40].
//===----------------------------------------------------------------------===//

// FLOAT-LABEL: func.func @main(
// FLOAT-SAME:      %[[X:[^:]*]]: tensor<1x2x6x6xf32> {qnt.input_name = "x"}{{.*}}) -> tensor<1x40xf32>
// Conv weight 3x2x3x3 (54) and both biases are inline; the Gemm weight 40x27
// (1080 elements) is a blob named after the initializer.
// FLOAT-DAG:     %[[W:.*]] = arith.constant dense<{{\[\[\[\[}}0.345584184, 0.821618139, {{.*}}]]]]> : tensor<3x2x3x3xf32>
// FLOAT-DAG:     %[[B:.*]] = arith.constant dense<[0.879160643, -1.07178736, 0.914467215]> : tensor<3xf32>
// FLOAT-DAG:     %[[FC:.*]] = arith.constant dense_resource<fc_big> : tensor<40x27xf32>
// FLOAT-DAG:     %[[FCB:.*]] = arith.constant dense<[-0.190049633, -1.63863027, {{.*}}]> : tensor<40xf32>
// FLOAT:         %[[PAD:.*]] = tensor.pad %[[X]] low[0, 0, 1, 1] high[0, 0, 1, 1]
// FLOAT:         } : tensor<1x2x6x6xf32> to tensor<1x2x8x8xf32>
// FLOAT:         %[[CONV:.*]] = linalg.conv_2d_nchw_fchw {{.*}}ins(%[[PAD]], %[[W]] : tensor<1x2x8x8xf32>, tensor<3x2x3x3xf32>) {{.*}}-> tensor<1x3x6x6xf32>
// FLOAT:         %[[BIAS:.*]] = linalg.generic {{.*}} ins(%[[CONV]], %{{.*}} : tensor<1x3x6x6xf32>, tensor<1x3x1x1xf32>)
// FLOAT:           arith.addf
// FLOAT:         %[[RELU:.*]] = linalg.generic {{.*}} ins(%[[BIAS]] : tensor<1x3x6x6xf32>)
// FLOAT:           arith.maximumf
// FLOAT:         %[[POOL:.*]] = linalg.pooling_nchw_max {{.*}}strides = dense<2>{{.*}} ins(%[[RELU]], %{{.*}} : tensor<1x3x6x6xf32>, tensor<2x2xf32>) {{.*}}-> tensor<1x3x3x3xf32>
// FLOAT:         %[[FLAT:.*]] = {{tosa.reshape|tensor.collapse_shape}} %[[POOL]]{{.*}} tensor<1x27xf32>
// FLOAT:         %[[MM:.*]] = linalg.matmul {{.*}}ins(%[[FLAT]], %[[FC]] : tensor<1x27xf32>, tensor<40x27xf32>) {{.*}}-> tensor<1x40xf32>
// FLOAT:         %[[Y:.*]] = linalg.generic {{.*}} ins(%[[MM]], %[[FCB]] : tensor<1x40xf32>, tensor<40xf32>)
// FLOAT:           arith.addf
// FLOAT:         return %[[Y]] : tensor<1x40xf32>
// FLOAT:       dialect_resources: {
// FLOAT:         fc_big: "0x{{[0-9A-F]+}}"

// Every op carries "<model>":0:0 named after its node; initializers after
// themselves.
// LOC-LABEL: func.func @main(
// LOC-DAG:     arith.constant dense_resource<fc_big> : tensor<40x27xf32> loc("fc_big"("{{.*}}float_cnn.onnx":0:0))
// LOC-DAG:     } : tensor<1x2x6x6xf32> to tensor<1x2x8x8xf32> loc("conv0"("{{.*}}float_cnn.onnx":0:0))
// LOC-DAG:     linalg.conv_2d_nchw_fchw {{.*}} loc("conv0"("{{.*}}float_cnn.onnx":0:0))
// LOC-DAG:     arith.maximumf {{.*}} loc("relu0"("{{.*}}float_cnn.onnx":0:0))
// LOC-DAG:     linalg.pooling_nchw_max {{.*}} loc("pool0"("{{.*}}float_cnn.onnx":0:0))
// LOC-DAG:     tensor<1x27xf32> loc("flatten0"("{{.*}}float_cnn.onnx":0:0))
// LOC-DAG:     linalg.matmul {{.*}} loc("fc0"("{{.*}}float_cnn.onnx":0:0))

//===----------------------------------------------------------------------===//
// QuantizeLinear/DequantizeLinear: constant parameters, per tensor and per axis
//===----------------------------------------------------------------------===//

// u8 arguments and results are i8 storage marked qnt.unsigned.
// QDQ-LABEL: func.func @main(
// QDQ-SAME:      %[[X:[^:]*]]: tensor<2x3xf32> {qnt.input_name = "x"}{{[^,]*}},
// QDQ-SAME:      %[[U:[^:]*]]: tensor<2x3xi8> {qnt.input_name = "u", qnt.unsigned}{{[^,]*}},
// QDQ-SAME:      %[[V:[^:]*]]: tensor<2x3xf32> {qnt.input_name = "v"}{{[^)]*}})
// QDQ-SAME:      -> (tensor<2x3x!quant.uniform<u8:f32, 6.250000e-02:10>> {qnt.unsigned},
// QDQ-SAME:          tensor<2x3x!quant.uniform<u8:f32, 5.000000e-01:128>> {qnt.unsigned},
// QDQ-SAME:          tensor<2x3xf32>,
// QDQ-SAME:          tensor<2x3x!quant.uniform<i8:f32:1, {5.000000e-01:-1,1.000000e+00,2.000000e+00:1}>>)
// QDQ-DAG:     %[[WQ:.*]] = arith.constant dense<{{\[\[}}-128, 0, 127], [1, -1, 64]]> : tensor<2x3xi8>
// Per tensor, u8 (zero point 128).
// QDQ:         %[[XQ:.*]] = qnt.quantize %[[X]] : tensor<2x3xf32> -> tensor<2x3x!quant.uniform<u8:f32, 5.000000e-01:128>>
// QDQ:         qnt.dequantize %{{.*}} : tensor<2x3x!quant.uniform<u8:f32, 5.000000e-01:128>> -> tensor<2x3xf32>
// Per axis 0 on an i8 constant: quant.scast gives the storage its type.
// QDQ:         %[[WS:.*]] = quant.scast %[[WQ]] : tensor<2x3xi8> to tensor<2x3x!quant.uniform<i8:f32:0, {2.500000e-01,1.250000e-01:3}>>
// QDQ:         qnt.dequantize %[[WS]] : tensor<2x3x!quant.uniform<i8:f32:0, {2.500000e-01,1.250000e-01:3}>> -> tensor<2x3xf32>
// QDQ:           arith.mulf
// QDQ:         %[[Y:.*]] = qnt.quantize %{{.*}} : tensor<2x3xf32> -> tensor<2x3x!quant.uniform<u8:f32, 6.250000e-02:10>>
// A u8 argument: the i8 storage cast to the quantized type.
// QDQ:         %[[US:.*]] = quant.scast %[[U]] : tensor<2x3xi8> to tensor<2x3x!quant.uniform<u8:f32, 2.000000e+00:7>>
// QDQ:         %[[UF:.*]] = qnt.dequantize %[[US]] : tensor<2x3x!quant.uniform<u8:f32, 2.000000e+00:7>> -> tensor<2x3xf32>
// Per axis -1 (normalized to 1), i8 zero points -1, 0, 1.
// QDQ:         %[[VQ:.*]] = qnt.quantize %[[V]] : tensor<2x3xf32> -> tensor<2x3x!quant.uniform<i8:f32:1, {5.000000e-01:-1,1.000000e+00,2.000000e+00:1}>>
// QDQ:         return %[[Y]], %[[XQ]], %[[UF]], %[[VQ]]

//===----------------------------------------------------------------------===//
// Inline up to 1024 elements, dense_resource above
//===----------------------------------------------------------------------===//

// LIMITS-LABEL: func.func @main(
// LIMITS-DAG:     arith.constant dense<"0x000000000000803F00000040{{[0-9A-F]*}}"> : tensor<1024xf32>
// LIMITS-DAG:     arith.constant dense_resource<b> : tensor<1025xf32>
// LIMITS:       dialect_resources: {
// LIMITS:         b: "0x{{[0-9A-F]+}}"
