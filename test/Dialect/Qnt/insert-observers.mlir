// RUN: quant-opt %s --split-input-file --qnt-insert-observers | FileCheck %s
// RUN: quant-opt %s --split-input-file --qnt-insert-observers=weight-granularity=per-tensor | FileCheck %s --check-prefix=PT
// RUN: quant-opt %s --split-input-file --qnt-insert-observers=weight-bits=4 | FileCheck %s --check-prefix=W4
// RUN: quant-opt %s --split-input-file --qnt-insert-observers="activation-signed=true activation-symmetric=true activation-bits=16" | FileCheck %s --check-prefix=ACT
// RUN: quant-opt %s --split-input-file --qnt-insert-observers=skip-kinds=conv,add | FileCheck %s --check-prefix=SKIP
// RUN: quant-opt %s --split-input-file --qnt-insert-observers="skip-names=conv2,^/fc/Gemm$" | FileCheck %s --check-prefix=NAMES
// RUN: quant-opt %s --split-input-file --qnt-insert-observers --qnt-insert-observers | FileCheck %s --check-prefix=TWICE

// qnt-insert-observers on IR in the forms quant-import-onnx emits. Weight
// scales are max|w| / 127 per output channel (narrow i8, zero point 0),
// with weights chosen so that most scales are exact powers of two.

#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#bc = affine_map<(d0, d1, d2, d3) -> (0, d1, 0, 0)>

// The model input is observed once, before the zero pad (which keeps its
// set of values); the conv output after its bias add and ReLU, with the
// ReLU's node name as id. Channel 0 has max|w| = 1.0: scale 1/127 =
// 0.0078740157...; channel 1 max|w| = 1.984375 = 127/64: scale 1/64.
// Per tensor: max(1.0, 1.984375) / 127 = 1/64. weight-bits=4 ([-7, 7]):
// 1/7 = 0.142857... and 1.984375/7 = 0.283482...
// CHECK-LABEL: func.func @conv_pad_bias_relu
// CHECK-SAME: (%[[ARG:.*]]: tensor<?x1x4x4xf32> {qnt.input_name = "image"})
// CHECK-NEXT: %[[IN:.*]] = qnt.observe %[[ARG]] {id = "image", kind = #qnt.observer<histogram>, storage = ui8} : tensor<?x1x4x4xf32>
// CHECK: %[[W:.*]] = arith.constant {{.*}} : tensor<2x1x2x2xf32>
// CHECK-NEXT: %[[WQ:.*]] = qnt.quantize %[[W]] : tensor<2x1x2x2xf32> -> tensor<2x1x2x2x!quant.uniform<i8<-127:127>:f32:0, {0.0078740157480314959,1.562500e-02}>>
// CHECK-NEXT: %[[WD:.*]] = qnt.dequantize %[[WQ]]
// CHECK: %[[PAD:.*]] = tensor.pad %[[IN]]
// CHECK: tensor.dim %[[IN]]
// CHECK: %[[CONV:.*]] = linalg.conv_2d_nchw_fchw {{.*}} ins(%[[PAD]], %[[WD]] :
// CHECK-NOT: qnt.observe
// CHECK: %[[BIAS:.*]] = linalg.generic {{.*}} ins(%[[CONV]], %{{.*}} :
// CHECK-NOT: qnt.observe
// CHECK: %[[RELU:.*]] = linalg.generic {{.*}} ins(%[[BIAS]] :
// CHECK: arith.maximumf
// CHECK: %[[OUT:.*]] = qnt.observe %[[RELU]] {id = "/relu1/Relu", kind = #qnt.observer<histogram>, storage = ui8} : tensor<?x2x3x3xf32>
// CHECK-NEXT: return %[[OUT]]
// PT-LABEL: func.func @conv_pad_bias_relu
// PT: qnt.quantize %{{.*}} : tensor<2x1x2x2xf32> -> tensor<2x1x2x2x!quant.uniform<i8<-127:127>:f32, 1.562500e-02>>
// W4-LABEL: func.func @conv_pad_bias_relu
// W4: qnt.quantize %{{.*}} : tensor<2x1x2x2xf32> -> tensor<2x1x2x2x!quant.uniform<i4<-7:7>:f32:0, {0.14285714285714285,0.28348214285714285}>>
// ACT-LABEL: func.func @conv_pad_bias_relu
// ACT: qnt.observe %{{.*}} {id = "image", kind = #qnt.observer<histogram>, storage = i16, symmetric} : tensor<?x1x4x4xf32>
// ACT: qnt.observe %{{.*}} {id = "/relu1/Relu", kind = #qnt.observer<histogram>, storage = i16, symmetric} : tensor<?x2x3x3xf32>
// SKIP-LABEL: func.func @conv_pad_bias_relu
// SKIP-NOT: = qnt.
// SKIP: return
// TWICE-LABEL: func.func @conv_pad_bias_relu
// TWICE-COUNT-1: = qnt.observe %
// TWICE-COUNT-1: = qnt.quantize %
// TWICE-NOT: = qnt.quantize %
// TWICE-COUNT-1: = qnt.observe %
// TWICE-NOT: = qnt.observe %
// TWICE: return
func.func @conv_pad_bias_relu(%arg0: tensor<?x1x4x4xf32> {qnt.input_name = "image"}) -> tensor<?x2x3x3xf32> {
  %w = arith.constant dense<[[[[0.5, -1.0], [0.25, 0.0]]], [[[1.984375, -0.5], [0.0, 1.0]]]]> : tensor<2x1x2x2xf32> loc("conv1.weight")
  %b = arith.constant dense<[0.1, -0.1]> : tensor<2xf32> loc("conv1.bias")
  %zero = arith.constant 0.0 : f32 loc("/conv1/Conv")
  %padded = tensor.pad %arg0 low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %zero : f32
  } : tensor<?x1x4x4xf32> to tensor<?x1x6x6xf32> loc("/conv1/Conv")
  %c0 = arith.constant 0 : index
  %dim = tensor.dim %arg0, %c0 : tensor<?x1x4x4xf32>
  %e = tensor.empty(%dim) : tensor<?x2x3x3xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<?x2x3x3xf32>) -> tensor<?x2x3x3xf32>
  %conv = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%padded, %w : tensor<?x1x6x6xf32>, tensor<2x1x2x2xf32>) outs(%init : tensor<?x2x3x3xf32>) -> tensor<?x2x3x3xf32> loc("/conv1/Conv")
  %shape = tosa.const_shape {values = dense<[1, 2, 1, 1]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %b4 = tosa.reshape %b, %shape : (tensor<2xf32>, !tosa.shape<4>) -> tensor<1x2x1x1xf32> loc("/conv1/Conv")
  %biased = linalg.generic {indexing_maps = [#id, #bc, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%conv, %b4 : tensor<?x2x3x3xf32>, tensor<1x2x1x1xf32>) outs(%e : tensor<?x2x3x3xf32>) {
  ^bb0(%in: f32, %in2: f32, %out: f32):
    %s = arith.addf %in, %in2 : f32
    linalg.yield %s : f32
  } -> tensor<?x2x3x3xf32> loc("/conv1/Conv")
  %relu = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%biased : tensor<?x2x3x3xf32>) outs(%e : tensor<?x2x3x3xf32>) {
  ^bb0(%in: f32, %out: f32):
    %c = arith.constant 0.0 : f32
    %m = arith.maximumf %in, %c : f32
    linalg.yield %m : f32
  } -> tensor<?x2x3x3xf32> loc("/relu1/Relu")
  return %relu : tensor<?x2x3x3xf32>
}

// -----

#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>

// ReLU -> -inf pad -> max pool -> zero pad -> conv2: the pool and pads keep
// the set of values, so the ReLU's observer also serves conv2's input and
// none is added between them. An argument without qnt.input_name is named
// by its position. conv2 has no ReLU: its output is observed directly.
// CHECK-LABEL: func.func @through_max_pool
// CHECK-SAME: (%[[ARG:.*]]: tensor<1x1x4x4xf32>)
// CHECK-NEXT: %[[IN:.*]] = qnt.observe %[[ARG]] {id = "arg0", {{.*}}}
// CHECK: %[[RELU:.*]] = linalg.generic
// CHECK: %[[R:.*]] = qnt.observe %[[RELU]] {id = "/relu1/Relu", {{.*}}}
// CHECK-NOT: qnt.observe
// CHECK: tensor.pad %[[R]]
// CHECK-NOT: qnt.observe
// CHECK: %[[POOL:.*]] = linalg.pooling_nchw_max
// CHECK-NOT: qnt.observe
// CHECK: %[[CONV2:.*]] = linalg.conv_2d_nchw_fchw
// CHECK-NEXT: %[[OUT:.*]] = qnt.observe %[[CONV2]] {id = "/conv2/Conv", {{.*}}}
// CHECK-NEXT: return %[[OUT]]
// NAMES-LABEL: func.func @through_max_pool
// NAMES: qnt.observe %{{.*}} {id = "arg0"
// NAMES: qnt.observe %{{.*}} {id = "/relu1/Relu"
// NAMES-NOT: = qnt.
// NAMES: return
func.func @through_max_pool(%arg0: tensor<1x1x4x4xf32>) -> tensor<1x1x2x2xf32> {
  %w1 = arith.constant dense<0.5> : tensor<1x1x1x1xf32>
  %w2 = arith.constant dense<0.25> : tensor<1x1x1x1xf32>
  %zero = arith.constant 0.0 : f32
  %ninf = arith.constant 0xFF800000 : f32
  %e4 = tensor.empty() : tensor<1x1x4x4xf32>
  %i4 = linalg.fill ins(%zero : f32) outs(%e4 : tensor<1x1x4x4xf32>) -> tensor<1x1x4x4xf32>
  %conv1 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%arg0, %w1 : tensor<1x1x4x4xf32>, tensor<1x1x1x1xf32>) outs(%i4 : tensor<1x1x4x4xf32>) -> tensor<1x1x4x4xf32> loc("/conv1/Conv")
  %relu = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%conv1 : tensor<1x1x4x4xf32>) outs(%e4 : tensor<1x1x4x4xf32>) {
  ^bb0(%in: f32, %out: f32):
    %m = arith.maximumf %in, %zero : f32
    linalg.yield %m : f32
  } -> tensor<1x1x4x4xf32> loc("/relu1/Relu")
  %ppad = tensor.pad %relu low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %ninf : f32
  } : tensor<1x1x4x4xf32> to tensor<1x1x6x6xf32> loc("/pool1/MaxPool")
  %ep = tensor.empty() : tensor<1x1x3x3xf32>
  %ip = linalg.fill ins(%ninf : f32) outs(%ep : tensor<1x1x3x3xf32>) -> tensor<1x1x3x3xf32>
  %win = tensor.empty() : tensor<2x2xf32>
  %pool = linalg.pooling_nchw_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%ppad, %win : tensor<1x1x6x6xf32>, tensor<2x2xf32>) outs(%ip : tensor<1x1x3x3xf32>) -> tensor<1x1x3x3xf32> loc("/pool1/MaxPool")
  %cpad = tensor.pad %pool low[0, 0, 0, 0] high[0, 0, 1, 1] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %zero : f32
  } : tensor<1x1x3x3xf32> to tensor<1x1x4x4xf32> loc("/conv2/Conv")
  %e2 = tensor.empty() : tensor<1x1x2x2xf32>
  %i2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<1x1x2x2xf32>) -> tensor<1x1x2x2xf32>
  %conv2 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%cpad, %w2 : tensor<1x1x4x4xf32>, tensor<1x1x1x1xf32>) outs(%i2 : tensor<1x1x2x2xf32>) -> tensor<1x1x2x2xf32> loc("/conv2/Conv")
  return %conv2 : tensor<1x1x2x2xf32>
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>

// A residual add of two computed values: both inputs and the output (after
// its ReLU) are observed. skip-kinds=add leaves it alone.
// CHECK-LABEL: func.func @residual_add
// CHECK-SAME: (%[[A:.*]]: tensor<2x3xf32> {qnt.input_name = "a"}, %[[B:.*]]: tensor<2x3xf32> {qnt.input_name = "b"})
// CHECK-DAG: %[[OA:.*]] = qnt.observe %[[A]] {id = "a", {{.*}}}
// CHECK-DAG: %[[OB:.*]] = qnt.observe %[[B]] {id = "b", {{.*}}}
// CHECK: linalg.generic {{.*}} ins(%[[OA]], %[[OB]] :
// CHECK: %[[RELU:.*]] = linalg.generic
// CHECK: arith.maximumf
// CHECK: %[[OUT:.*]] = qnt.observe %[[RELU]] {id = "/relu2/Relu", {{.*}}}
// CHECK-NEXT: return %[[OUT]]
// SKIP-LABEL: func.func @residual_add
// SKIP-NOT: = qnt.
// SKIP: return
func.func @residual_add(%a: tensor<2x3xf32> {qnt.input_name = "a"}, %b: tensor<2x3xf32> {qnt.input_name = "b"}) -> tensor<2x3xf32> {
  %e = tensor.empty() : tensor<2x3xf32>
  %sum = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]} ins(%a, %b : tensor<2x3xf32>, tensor<2x3xf32>) outs(%e : tensor<2x3xf32>) {
  ^bb0(%x: f32, %y: f32, %out: f32):
    %s = arith.addf %x, %y : f32
    linalg.yield %s : f32
  } -> tensor<2x3xf32> loc("/Add")
  %relu = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%sum : tensor<2x3xf32>) outs(%e : tensor<2x3xf32>) {
  ^bb0(%x: f32, %out: f32):
    %c = arith.constant 0.0 : f32
    %m = arith.maximumf %x, %c : f32
    linalg.yield %m : f32
  } -> tensor<2x3xf32> loc("/relu2/Relu")
  return %relu : tensor<2x3xf32>
}

// -----

// A grouped (G = 2) 1x1 convolution as the importer emits it: the input
// tensor.reshaped to 5-D, the [F = 4, C/G = 2, 1, 1] constant tosa.reshaped
// to [G, F/G, C/G, 1, 1]. The 4-D constant is quantized per output channel
// (axis 0, 4 scales: max|w| = 127/128, 127/64, 127/32, 127/16 give 1/128,
// 1/64, 1/32, 1/16) and the reshape reads the dequantized value. The input
// is observed before the reshape, the output after the one back to 4-D.
// CHECK-LABEL: func.func @grouped_conv
// CHECK-SAME: (%[[ARG:.*]]: tensor<1x4x2x2xf32>)
// CHECK-NEXT: %[[IN:.*]] = qnt.observe %[[ARG]] {id = "arg0", {{.*}}}
// CHECK: %[[W:.*]] = arith.constant {{.*}} : tensor<4x2x1x1xf32>
// CHECK-NEXT: %[[WQ:.*]] = qnt.quantize %[[W]] : tensor<4x2x1x1xf32> -> tensor<4x2x1x1x!quant.uniform<i8<-127:127>:f32:0, {7.812500e-03,1.562500e-02,3.125000e-02,6.250000e-02}>>
// CHECK-NEXT: %[[WD:.*]] = qnt.dequantize %[[WQ]]
// CHECK: %[[X5:.*]] = tensor.reshape %[[IN]]
// CHECK: %[[W5:.*]] = tosa.reshape %[[WD]]
// CHECK: %[[CONV:.*]] = linalg.conv_2d_ngchw_gfchw {{.*}} ins(%[[X5]], %[[W5]] :
// CHECK-NOT: qnt.observe
// CHECK: %[[Y:.*]] = tensor.reshape %[[CONV]]
// CHECK-NEXT: %[[OUT:.*]] = qnt.observe %[[Y]] {id = "/depthwise/Conv", {{.*}}} : tensor<1x4x2x2xf32>
// CHECK-NEXT: return %[[OUT]]
// TWICE-LABEL: func.func @grouped_conv
// TWICE-COUNT-1: = qnt.observe %
// TWICE-COUNT-1: = qnt.quantize %
// TWICE-NOT: = qnt.quantize %
// TWICE-COUNT-1: = qnt.observe %
// TWICE-NOT: = qnt.observe %
// TWICE: return
func.func @grouped_conv(%arg0: tensor<1x4x2x2xf32>) -> tensor<1x4x2x2xf32> {
  %w = arith.constant dense<[[[[0.9921875]], [[-0.5]]], [[[-1.984375]], [[1.0]]], [[[3.96875]], [[0.0]]], [[[0.0]], [[-7.9375]]]]> : tensor<4x2x1x1xf32> loc("depthwise.weight")
  %zero = arith.constant 0.0 : f32
  %s5 = arith.constant dense<[1, 2, 2, 2, 2]> : tensor<5xindex>
  %x5 = tensor.reshape %arg0(%s5) : (tensor<1x4x2x2xf32>, tensor<5xindex>) -> tensor<1x2x2x2x2xf32> loc("/depthwise/Conv")
  %ws = tosa.const_shape {values = dense<[2, 2, 2, 1, 1]> : tensor<5xindex>} : () -> !tosa.shape<5>
  %w5 = tosa.reshape %w, %ws : (tensor<4x2x1x1xf32>, !tosa.shape<5>) -> tensor<2x2x2x1x1xf32> loc("/depthwise/Conv")
  %e = tensor.empty() : tensor<1x2x2x2x2xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x2x2x2x2xf32>) -> tensor<1x2x2x2x2xf32>
  %conv = linalg.conv_2d_ngchw_gfchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x5, %w5 : tensor<1x2x2x2x2xf32>, tensor<2x2x2x1x1xf32>) outs(%init : tensor<1x2x2x2x2xf32>) -> tensor<1x2x2x2x2xf32> loc("/depthwise/Conv")
  %s4 = arith.constant dense<[1, 4, 2, 2]> : tensor<4xindex>
  %y = tensor.reshape %conv(%s4) : (tensor<1x2x2x2x2xf32>, tensor<4xindex>) -> tensor<1x4x2x2xf32> loc("/depthwise/Conv")
  return %y : tensor<1x4x2x2xf32>
}

// -----

#lhs = affine_map<(d0, d1, d2) -> (d0, d2)>
#rhsT = affine_map<(d0, d1, d2) -> (d1, d2)>
#out = affine_map<(d0, d1, d2) -> (d0, d1)>

// Gemm with transB (the importer's form): the [N = 3, K = 2] weight has
// its output channels on axis 0; rows have max|w| 127/128, 127/256 and 1.0
// (scales 1/128, 1/256, 1/127). Plain MatMul: the [K = 2, N = 3] weight is
// quantized on axis 1; its last column is all zeros (scale 1). Both node
// names are "/fc/Gemm": the second observer id gets the suffix "#1".
// CHECK-LABEL: func.func @matmul_weights
// CHECK-SAME: (%[[X:.*]]: tensor<1x2xf32>)
// CHECK-NEXT: %[[IN:.*]] = qnt.observe %[[X]] {id = "arg0", {{.*}}}
// CHECK: qnt.quantize %{{.*}} : tensor<3x2xf32> -> tensor<3x2x!quant.uniform<i8<-127:127>:f32:0, {7.812500e-03,3.906250e-03,0.0078740157480314959}>>
// CHECK: qnt.quantize %{{.*}} : tensor<2x3xf32> -> tensor<2x3x!quant.uniform<i8<-127:127>:f32:1, {7.812500e-03,3.906250e-03,1.000000e+00}>>
// CHECK: %[[MM1:.*]] = linalg.matmul
// CHECK-NEXT: %[[O1:.*]] = qnt.observe %[[MM1]] {id = "/fc/Gemm", {{.*}}} : tensor<1x3xf32>
// CHECK: %[[MM2:.*]] = linalg.matmul ins(%[[IN]], %{{.*}} :
// CHECK-NEXT: %[[O2:.*]] = qnt.observe %[[MM2]] {id = "/fc/Gemm#1", {{.*}}} : tensor<1x3xf32>
// CHECK-NEXT: return %[[O1]], %[[O2]]
// NAMES-LABEL: func.func @matmul_weights
// NAMES-NOT: = qnt.
// NAMES: return
// TWICE-LABEL: func.func @matmul_weights
// TWICE-COUNT-1: = qnt.observe %
// TWICE-COUNT-2: = qnt.quantize %
// TWICE-NOT: = qnt.quantize %
// TWICE-COUNT-2: = qnt.observe %
// TWICE-NOT: = qnt.observe %
// TWICE: return
func.func @matmul_weights(%x: tensor<1x2xf32>) -> (tensor<1x3xf32>, tensor<1x3xf32>) {
  %wt = arith.constant dense<[[0.9921875, -0.25], [0.125, -0.49609375], [-1.0, 1.0]]> : tensor<3x2xf32> loc("fc.weight")
  %w = arith.constant dense<[[0.9921875, -0.49609375, 0.0], [0.5, 0.25, 0.0]]> : tensor<2x3xf32> loc("fc2.weight")
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x3xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x3xf32>) -> tensor<1x3xf32>
  %mm1 = linalg.matmul indexing_maps = [#lhs, #rhsT, #out] ins(%x, %wt : tensor<1x2xf32>, tensor<3x2xf32>) outs(%init : tensor<1x3xf32>) -> tensor<1x3xf32> loc("/fc/Gemm")
  %mm2 = linalg.matmul ins(%x, %w : tensor<1x2xf32>, tensor<2x3xf32>) outs(%init : tensor<1x3xf32>) -> tensor<1x3xf32> loc("/fc/Gemm")
  return %mm1, %mm2 : tensor<1x3xf32>, tensor<1x3xf32>
}

// -----

// A matmul of two computed values: the right operand is an activation and
// gets an observer, not a weight QDQ. The existing observer "b" keeps its
// id; the new one for input "b" becomes "b#1".
// CHECK-LABEL: func.func @matmul_activation_rhs
// CHECK-SAME: (%[[A:.*]]: tensor<2x4xf32> {qnt.input_name = "a"}, %[[B:.*]]: tensor<4x3xf32> {qnt.input_name = "b"})
// CHECK-DAG: %[[OA:.*]] = qnt.observe %[[A]] {id = "a", {{.*}}}
// CHECK-DAG: %[[OB:.*]] = qnt.observe %[[B]] {id = "b#1", {{.*}}}
// CHECK-NOT: qnt.quantize
// CHECK: %[[MM:.*]] = linalg.matmul ins(%[[OA]], %[[OB]] :
// CHECK-NEXT: %[[OUT:.*]] = qnt.observe %[[MM]] {id = "/MatMul", {{.*}}}
// CHECK: qnt.observe %{{.*}} {id = "b", kind = #qnt.observer<min_max>}
func.func @matmul_activation_rhs(%a: tensor<2x4xf32> {qnt.input_name = "a"}, %b: tensor<4x3xf32> {qnt.input_name = "b"}) -> (tensor<2x3xf32>, tensor<2x3xf32>) {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x3xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<2x3xf32>) -> tensor<2x3xf32>
  %mm = linalg.matmul ins(%a, %b : tensor<2x4xf32>, tensor<4x3xf32>) outs(%init : tensor<2x3xf32>) -> tensor<2x3xf32> loc("/MatMul")
  %other = qnt.observe %init {id = "b", kind = #qnt.observer<min_max>} : tensor<2x3xf32>
  return %mm, %other : tensor<2x3xf32>, tensor<2x3xf32>
}
