// RUN: quant-opt %s --split-input-file --qnt-fuse-qdq | FileCheck %s
// RUN: quant-opt %s --split-input-file --qnt-fuse-qdq=requantize=integer | FileCheck %s --check-prefix=INT

// With requantize=integer the fused ops carry the integer mode.
// INT-LABEL: func.func @conv_pad_bias_relu
// INT: qnt.conv2d {{.*}}requantize = #qnt.requantize<integer>
// INT-LABEL: func.func @matmul_kn
// INT: qnt.matmul {{.*}}requantize = #qnt.requantize<integer>
// INT-LABEL: func.func @add_relu
// INT: qnt.add {{.*}}requantize = #qnt.requantize<integer>

!qx = !quant.uniform<u8:f32, 0.05:3>
!qw = !quant.uniform<i8<-127:127>:f32:0, {0.01, 0.02}>
!qy = !quant.uniform<u8:f32, 0.1:5>
#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#bc = affine_map<(d0, d1, d2, d3) -> (0, d1, 0, 0)>

// Weights per channel become a storage constant, the pad the padding, the
// bias round(b / (s_x * s_w)) = [0.5 / 0.0005, -0.25 / 0.001], the ReLU
// clamp_min = zp_y.
// CHECK-LABEL: func.func @conv_pad_bias_relu
// CHECK-SAME: (%[[X:.*]]: tensor<1x1x4x4x!quant.uniform<u8:f32, 5.000000e-02:3>>)
// CHECK-DAG: %[[WS:.*]] = arith.constant dense<{{\[}}[{{\[}}[1, 2, 3], [-1, -2, -3], [0, 5, 127]]], {{\[}}[{{\[}}1, 2, 3], [-1, -2, -3], [0, 5, -127]]]]> : tensor<2x1x3x3xi8>
// CHECK-DAG: %[[W:.*]] = quant.scast %[[WS]] : tensor<2x1x3x3xi8> to tensor<2x1x3x3x!quant.uniform<i8<-127:127>:f32:0, {1.000000e-02,2.000000e-02}>>
// CHECK-DAG: %[[B:.*]] = arith.constant dense<[1000, -250]> : tensor<2xi32>
// CHECK: %[[Y:.*]] = qnt.conv2d %[[X]], %[[W]] bias %[[B]] {clamp_min = 5 : i64, padding = array<i64: 1, 1, 1, 1>}
// CHECK-SAME: -> tensor<1x2x4x4x!quant.uniform<u8:f32, 1.000000e-01:5>>
// CHECK-NEXT: return %[[Y]]
func.func @conv_pad_bias_relu(%arg0: tensor<1x1x4x4x!qx>) -> tensor<1x2x4x4x!qy> {
  %zero = arith.constant 0.0 : f32
  %x = qnt.dequantize %arg0 : tensor<1x1x4x4x!qx> -> tensor<1x1x4x4xf32>
  %w = arith.constant dense<[[[[0.01, 0.02, 0.03], [-0.01, -0.02, -0.03], [0.0, 0.05, 1.27]]], [[[0.02, 0.04, 0.06], [-0.02, -0.04, -0.06], [0.0, 0.1, -2.54]]]]> : tensor<2x1x3x3xf32>
  %wq = qnt.quantize %w : tensor<2x1x3x3xf32> -> tensor<2x1x3x3x!qw>
  %wd = qnt.dequantize %wq : tensor<2x1x3x3x!qw> -> tensor<2x1x3x3xf32>
  %padded = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %zero : f32
  } : tensor<1x1x4x4xf32> to tensor<1x1x6x6xf32>
  %e = tensor.empty() : tensor<1x2x4x4xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %conv = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%padded, %wd : tensor<1x1x6x6xf32>, tensor<2x1x3x3xf32>) outs(%init : tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %b = arith.constant dense<[0.5, -0.25]> : tensor<2xf32>
  %shape = tosa.const_shape {values = dense<[1, 2, 1, 1]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %b4 = tosa.reshape %b, %shape : (tensor<2xf32>, !tosa.shape<4>) -> tensor<1x2x1x1xf32>
  %biased = linalg.generic {indexing_maps = [#id, #bc, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%conv, %b4 : tensor<1x2x4x4xf32>, tensor<1x2x1x1xf32>) outs(%e : tensor<1x2x4x4xf32>) {
  ^bb0(%in: f32, %in2: f32, %out: f32):
    %s = arith.addf %in, %in2 : f32
    linalg.yield %s : f32
  } -> tensor<1x2x4x4xf32>
  %act = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%biased : tensor<1x2x4x4xf32>) outs(%e : tensor<1x2x4x4xf32>) {
  ^bb0(%in: f32, %out: f32):
    %c0 = arith.constant 0.0 : f32
    %m = arith.maximumf %in, %c0 : f32
    linalg.yield %m : f32
  } -> tensor<1x2x4x4xf32>
  %y = qnt.quantize %act : tensor<1x2x4x4xf32> -> tensor<1x2x4x4x!qy>
  return %y : tensor<1x2x4x4x!qy>
}

// -----

!qx = !quant.uniform<u8:f32, 0.5:3>
!qw = !quant.uniform<i8<-127:127>:f32:0, {0.25, 0.125}>
!qb = !quant.uniform<i32:f32:0, {0.125, 0.0625}>
!qy = !quant.uniform<u8:f32, 0.1:5>
#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#bc = affine_map<(d0, d1, d2, d3) -> (0, d1, 0, 0)>

// An i32 bias dequantized per channel with scale s_x * s_w = {0.125, 0.0625}
// and zero point 0 (ONNX Runtime's quantizer's DequantizeLinear of an int32
// initializer) is the accumulator's bias as it is.
// CHECK-LABEL: func.func @conv_i32_bias
// CHECK-DAG: %[[B:.*]] = arith.constant dense<[1000, -250]> : tensor<2xi32>
// CHECK: %[[Y:.*]] = qnt.conv2d %arg0, %{{.*}} bias %[[B]] :
// CHECK-NOT: qnt.dequantize
// CHECK: return %[[Y]]
func.func @conv_i32_bias(%arg0: tensor<1x1x4x4x!qx>) -> tensor<1x2x2x2x!qy> {
  %zero = arith.constant 0.0 : f32
  %x = qnt.dequantize %arg0 : tensor<1x1x4x4x!qx> -> tensor<1x1x4x4xf32>
  %ws = arith.constant dense<1> : tensor<2x1x3x3xi8>
  %wq = quant.scast %ws : tensor<2x1x3x3xi8> to tensor<2x1x3x3x!qw>
  %wd = qnt.dequantize %wq : tensor<2x1x3x3x!qw> -> tensor<2x1x3x3xf32>
  %e = tensor.empty() : tensor<1x2x2x2xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  %conv = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %wd : tensor<1x1x4x4xf32>, tensor<2x1x3x3xf32>) outs(%init : tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  %bs = arith.constant dense<[1000, -250]> : tensor<2xi32>
  %bq = quant.scast %bs : tensor<2xi32> to tensor<2x!qb>
  %b = qnt.dequantize %bq : tensor<2x!qb> -> tensor<2xf32>
  %shape = tosa.const_shape {values = dense<[1, 2, 1, 1]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %b4 = tosa.reshape %b, %shape : (tensor<2xf32>, !tosa.shape<4>) -> tensor<1x2x1x1xf32>
  %biased = linalg.generic {indexing_maps = [#id, #bc, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%conv, %b4 : tensor<1x2x2x2xf32>, tensor<1x2x1x1xf32>) outs(%e : tensor<1x2x2x2xf32>) {
  ^bb0(%in: f32, %in2: f32, %out: f32):
    %s = arith.addf %in, %in2 : f32
    linalg.yield %s : f32
  } -> tensor<1x2x2x2xf32>
  %y = qnt.quantize %biased : tensor<1x2x2x2xf32> -> tensor<1x2x2x2x!qy>
  return %y : tensor<1x2x2x2x!qy>
}

// -----

!qa = !quant.uniform<i8:f32, 0.1>
!qw = !quant.uniform<i8<-127:127>:f32, 0.3>
!qb = !quant.uniform<i32:f32, 0.030000001192092896>
!qy = !quant.uniform<i8:f32, 0.25>
#id2 = affine_map<(d0, d1) -> (d0, d1)>
#ch = affine_map<(d0, d1) -> (d1)>

// Per tensor: the bias scale must equal f32(0.1) * f32(0.3) rounded to f32,
// 0.030000001192092896 (NumPy float32), not f32(0.03).
// CHECK-LABEL: func.func @matmul_i32_bias_per_tensor
// CHECK-DAG: %[[B:.*]] = arith.constant dense<[7, -7]> : tensor<2xi32>
// CHECK: qnt.matmul %arg0, %{{.*}} bias %[[B]] :
func.func @matmul_i32_bias_per_tensor(%arg0: tensor<1x2x!qa>) -> tensor<1x2x!qy> {
  %zero = arith.constant 0.0 : f32
  %a = qnt.dequantize %arg0 : tensor<1x2x!qa> -> tensor<1x2xf32>
  %ws = arith.constant dense<[[1, 2], [3, 4]]> : tensor<2x2xi8>
  %wq = quant.scast %ws : tensor<2x2xi8> to tensor<2x2x!qw>
  %wd = qnt.dequantize %wq : tensor<2x2x!qw> -> tensor<2x2xf32>
  %e = tensor.empty() : tensor<1x2xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x2xf32>) -> tensor<1x2xf32>
  %mm = linalg.matmul ins(%a, %wd : tensor<1x2xf32>, tensor<2x2xf32>) outs(%init : tensor<1x2xf32>) -> tensor<1x2xf32>
  %bs = arith.constant dense<[7, -7]> : tensor<2xi32>
  %bq = quant.scast %bs : tensor<2xi32> to tensor<2x!qb>
  %b = qnt.dequantize %bq : tensor<2x!qb> -> tensor<2xf32>
  %biased = linalg.generic {indexing_maps = [#id2, #ch, #id2], iterator_types = ["parallel", "parallel"]} ins(%mm, %b : tensor<1x2xf32>, tensor<2xf32>) outs(%e : tensor<1x2xf32>) {
  ^bb0(%in: f32, %in2: f32, %out: f32):
    %s = arith.addf %in, %in2 : f32
    linalg.yield %s : f32
  } -> tensor<1x2xf32>
  %y = qnt.quantize %biased : tensor<1x2xf32> -> tensor<1x2x!qy>
  return %y : tensor<1x2x!qy>
}

// -----

!qx = !quant.uniform<u8:f32, 0.05:3>
!qw = !quant.uniform<i8<-127:127>:f32:0, {0.01, 0.02}>
!qy = !quant.uniform<u8:f32, 0.1:5>
#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#bc = affine_map<(d0, d1, d2, d3) -> (0, d1, 0, 0)>

// Clip(-1, 6): clamp_min = max(0, Q(-1) = -10 + 5), clamp_max = Q(6) = 65.
// A weight that is already a storage constant is used as it is.
// CHECK-LABEL: func.func @conv_clip_stride
// CHECK: %[[WS:.*]] = arith.constant dense<1> : tensor<2x1x3x3xi8>
// CHECK: %[[W:.*]] = quant.scast %[[WS]]
// CHECK: qnt.conv2d %{{.*}}, %[[W]] {clamp_max = 65 : i64, clamp_min = 0 : i64, strides = array<i64: 2, 2>}
// CHECK-SAME: tensor<1x1x6x6x!quant.uniform<u8:f32, 5.000000e-02:3>>, tensor<2x1x3x3x!quant.uniform<i8<-127:127>:f32:0, {1.000000e-02,2.000000e-02}>> -> tensor<1x2x2x2x!quant.uniform<u8:f32, 1.000000e-01:5>>
// CHECK-NOT: linalg.
func.func @conv_clip_stride(%arg0: tensor<1x1x6x6x!qx>) -> tensor<1x2x2x2x!qy> {
  %zero = arith.constant 0.0 : f32
  %x = qnt.dequantize %arg0 : tensor<1x1x6x6x!qx> -> tensor<1x1x6x6xf32>
  %ws = arith.constant dense<1> : tensor<2x1x3x3xi8>
  %wq = quant.scast %ws : tensor<2x1x3x3xi8> to tensor<2x1x3x3x!qw>
  %wd = qnt.dequantize %wq : tensor<2x1x3x3x!qw> -> tensor<2x1x3x3xf32>
  %e = tensor.empty() : tensor<1x2x2x2xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  %conv = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%x, %wd : tensor<1x1x6x6xf32>, tensor<2x1x3x3xf32>) outs(%init : tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  %act = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%conv : tensor<1x2x2x2xf32>) outs(%e : tensor<1x2x2x2xf32>) {
  ^bb0(%in: f32, %out: f32):
    %lo = arith.constant -1.0 : f32
    %hi = arith.constant 6.0 : f32
    %m = arith.maximumf %in, %lo : f32
    %n = arith.minimumf %m, %hi : f32
    linalg.yield %n : f32
  } -> tensor<1x2x2x2xf32>
  %y = qnt.quantize %act : tensor<1x2x2x2xf32> -> tensor<1x2x2x2x!qy>
  return %y : tensor<1x2x2x2x!qy>
}

// -----

!qx = !quant.uniform<u8:f32, 0.05:3>
!qw = !quant.uniform<i8<-127:127>:f32:0, {0.01, 0.02}>
!qy = !quant.uniform<u8:f32, 0.1:5>
#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>

// Depthwise conv as the importer emits groups: 5-D reshapes around
// linalg.conv_2d_ngchw_gfchw, the weight's QDQ on the 4-D constant.
// CHECK-LABEL: func.func @depthwise
// CHECK-SAME: (%[[X:.*]]: tensor<?x2x4x4x
// CHECK: %[[W:.*]] = quant.scast %{{.*}} : tensor<2x1x3x3xi8> to tensor<2x1x3x3x!quant.uniform<i8<-127:127>:f32:0, {1.000000e-02,2.000000e-02}>>
// CHECK: %[[Y:.*]] = qnt.conv2d %[[X]], %[[W]] {groups = 2 : i64, padding = array<i64: 1, 1, 1, 1>}
// CHECK-SAME: -> tensor<?x2x4x4x!quant.uniform<u8:f32, 1.000000e-01:5>>
// CHECK-NEXT: return %[[Y]]
func.func @depthwise(%arg0: tensor<?x2x4x4x!qx>) -> tensor<?x2x4x4x!qy> {
  %zero = arith.constant 0.0 : f32
  %x = qnt.dequantize %arg0 : tensor<?x2x4x4x!qx> -> tensor<?x2x4x4xf32>
  %w = arith.constant dense<[[[[0.01, 0.02, 0.03], [-0.01, -0.02, -0.03], [0.0, 0.05, 1.27]]], [[[0.02, 0.04, 0.06], [-0.02, -0.04, -0.06], [0.0, 0.1, -2.54]]]]> : tensor<2x1x3x3xf32>
  %wq = qnt.quantize %w : tensor<2x1x3x3xf32> -> tensor<2x1x3x3x!qw>
  %wd = qnt.dequantize %wq : tensor<2x1x3x3x!qw> -> tensor<2x1x3x3xf32>
  %padded = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %zero : f32
  } : tensor<?x2x4x4xf32> to tensor<?x2x6x6xf32>
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c4 = arith.constant 4 : index
  %c6 = arith.constant 6 : index
  %n = tensor.dim %x, %c0 : tensor<?x2x4x4xf32>
  %s5 = tensor.from_elements %n, %c2, %c1, %c6, %c6 : tensor<5xindex>
  %x5 = tensor.reshape %padded(%s5) : (tensor<?x2x6x6xf32>, tensor<5xindex>) -> tensor<?x2x1x6x6xf32>
  %ws = tosa.const_shape {values = dense<[2, 1, 1, 3, 3]> : tensor<5xindex>} : () -> !tosa.shape<5>
  %w5 = tosa.reshape %wd, %ws : (tensor<2x1x3x3xf32>, !tosa.shape<5>) -> tensor<2x1x1x3x3xf32>
  %e = tensor.empty(%n) : tensor<?x2x1x4x4xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<?x2x1x4x4xf32>) -> tensor<?x2x1x4x4xf32>
  %conv = linalg.conv_2d_ngchw_gfchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x5, %w5 : tensor<?x2x1x6x6xf32>, tensor<2x1x1x3x3xf32>) outs(%init : tensor<?x2x1x4x4xf32>) -> tensor<?x2x1x4x4xf32>
  %s4 = tensor.from_elements %n, %c2, %c4, %c4 : tensor<4xindex>
  %y4 = tensor.reshape %conv(%s4) : (tensor<?x2x1x4x4xf32>, tensor<4xindex>) -> tensor<?x2x4x4xf32>
  %y = qnt.quantize %y4 : tensor<?x2x4x4xf32> -> tensor<?x2x4x4x!qy>
  return %y : tensor<?x2x4x4x!qy>
}

// -----

!qa = !quant.uniform<i8:f32, 0.5:-1>
!qy = !quant.uniform<i8:f32, 0.25:2>
#mk = affine_map<(d0, d1, d2) -> (d0, d2)>
#nk = affine_map<(d0, d1, d2) -> (d1, d2)>
#mn = affine_map<(d0, d1, d2) -> (d0, d1)>
#id2 = affine_map<(d0, d1) -> (d0, d1)>
#ch = affine_map<(d0, d1) -> (d1)>
!qw = !quant.uniform<i8<-127:127>:f32:1, {0.25, 0.5, 0.125}>

// Default maps: the [K, N] constant is per axis on N (1) already.
// Bias: [1 / 0.125, -3 / 0.25, 0.126 / 0.0625] = [8, -12, round(2.016)].
// CHECK-LABEL: func.func @matmul_kn
// CHECK-DAG: %[[WS:.*]] = arith.constant dense<{{\[}}[4, 2, 8], [-4, -2, -8]]> : tensor<2x3xi8>
// CHECK-DAG: %[[W:.*]] = quant.scast %[[WS]] : tensor<2x3xi8> to tensor<2x3x!quant.uniform<i8<-127:127>:f32:1, {2.500000e-01,5.000000e-01,1.250000e-01}>>
// CHECK-DAG: %[[B:.*]] = arith.constant dense<[8, -12, 2]> : tensor<3xi32>
// CHECK: qnt.matmul %arg0, %[[W]] bias %[[B]] : tensor<?x2x!quant.uniform<i8:f32, 5.000000e-01:-1>>, {{.*}}, tensor<3xi32> -> tensor<?x3x!quant.uniform<i8:f32, 2.500000e-01:2>>
func.func @matmul_kn(%arg0: tensor<?x2x!qa>) -> tensor<?x3x!qy> {
  %zero = arith.constant 0.0 : f32
  %c0 = arith.constant 0 : index
  %n = tensor.dim %arg0, %c0 : tensor<?x2x!qa>
  %a = qnt.dequantize %arg0 : tensor<?x2x!qa> -> tensor<?x2xf32>
  %w = arith.constant dense<[[1.0, 1.0, 1.0], [-1.0, -1.0, -1.0]]> : tensor<2x3xf32>
  %wq = qnt.quantize %w : tensor<2x3xf32> -> tensor<2x3x!qw>
  %wd = qnt.dequantize %wq : tensor<2x3x!qw> -> tensor<2x3xf32>
  %e = tensor.empty(%n) : tensor<?x3xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<?x3xf32>) -> tensor<?x3xf32>
  %mm = linalg.matmul ins(%a, %wd : tensor<?x2xf32>, tensor<2x3xf32>) outs(%init : tensor<?x3xf32>) -> tensor<?x3xf32>
  %b = arith.constant dense<[1.0, -3.0, 0.126]> : tensor<3xf32>
  %biased = linalg.generic {indexing_maps = [#id2, #ch, #id2], iterator_types = ["parallel", "parallel"]} ins(%mm, %b : tensor<?x3xf32>, tensor<3xf32>) outs(%e : tensor<?x3xf32>) {
  ^bb0(%in: f32, %in2: f32, %out: f32):
    %s = arith.addf %in, %in2 : f32
    linalg.yield %s : f32
  } -> tensor<?x3xf32>
  %y = qnt.quantize %biased : tensor<?x3xf32> -> tensor<?x3x!qy>
  return %y : tensor<?x3x!qy>
}

// -----

!qa = !quant.uniform<i8:f32, 0.5:-1>
!qy = !quant.uniform<i8:f32, 0.25:2>
#mk = affine_map<(d0, d1, d2) -> (d0, d2)>
#nk = affine_map<(d0, d1, d2) -> (d1, d2)>
#mn = affine_map<(d0, d1, d2) -> (d0, d1)>
#id2 = affine_map<(d0, d1) -> (d0, d1)>
#ch = affine_map<(d0, d1) -> (d1)>
!qw = !quant.uniform<i8<-127:127>:f32:0, {0.25, 0.5, 0.125}>

// Gemm/Linear maps: the [N, K] storage constant is transposed to [K, N] and
// its per-axis type moves to axis 1.
// CHECK-LABEL: func.func @matmul_nk
// CHECK-DAG: %[[WS:.*]] = arith.constant dense<{{\[}}[4, 2, 8], [-4, -6, -16]]> : tensor<2x3xi8>
// CHECK-DAG: %[[W:.*]] = quant.scast %[[WS]] : tensor<2x3xi8> to tensor<2x3x!quant.uniform<i8<-127:127>:f32:1, {2.500000e-01,5.000000e-01,1.250000e-01}>>
// CHECK: qnt.matmul %arg0, %[[W]] bias %{{.*}} : tensor<?x2x
// CHECK-NOT: linalg.matmul
func.func @matmul_nk(%arg0: tensor<?x2x!qa>) -> tensor<?x3x!qy> {
  %zero = arith.constant 0.0 : f32
  %c0 = arith.constant 0 : index
  %n = tensor.dim %arg0, %c0 : tensor<?x2x!qa>
  %a = qnt.dequantize %arg0 : tensor<?x2x!qa> -> tensor<?x2xf32>
  %w = arith.constant dense<[[1.0, -1.0], [1.0, -3.0], [1.0, -2.0]]> : tensor<3x2xf32>
  %wq = qnt.quantize %w : tensor<3x2xf32> -> tensor<3x2x!qw>
  %wd = qnt.dequantize %wq : tensor<3x2x!qw> -> tensor<3x2xf32>
  %e = tensor.empty(%n) : tensor<?x3xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<?x3xf32>) -> tensor<?x3xf32>
  %mm = linalg.matmul indexing_maps = [#mk, #nk, #mn] ins(%a, %wd : tensor<?x2xf32>, tensor<3x2xf32>) outs(%init : tensor<?x3xf32>) -> tensor<?x3xf32>
  %b = arith.constant dense<[1.0, -3.0, 0.126]> : tensor<3xf32>
  %biased = linalg.generic {indexing_maps = [#id2, #ch, #id2], iterator_types = ["parallel", "parallel"]} ins(%mm, %b : tensor<?x3xf32>, tensor<3xf32>) outs(%e : tensor<?x3xf32>) {
  ^bb0(%in: f32, %in2: f32, %out: f32):
    %s = arith.addf %in, %in2 : f32
    linalg.yield %s : f32
  } -> tensor<?x3xf32>
  %y = qnt.quantize %biased : tensor<?x3xf32> -> tensor<?x3x!qy>
  return %y : tensor<?x3x!qy>
}

// -----

!qa = !quant.uniform<u8:f32, 0.05:3>
!qb = !quant.uniform<i8:f32, 0.02:-4>
!qy = !quant.uniform<u8:f32, 0.1:5>
#id = affine_map<(d0, d1) -> (d0, d1)>

// CHECK-LABEL: func.func @add_relu
// CHECK-NEXT: %[[Y:.*]] = qnt.add %arg0, %arg1 {clamp_min = 5 : i64} : tensor<4x8x!quant.uniform<u8:f32, 5.000000e-02:3>>, tensor<4x8x!quant.uniform<i8:f32, 2.000000e-02:-4>> -> tensor<4x8x!quant.uniform<u8:f32, 1.000000e-01:5>>
// CHECK-NEXT: return %[[Y]]
func.func @add_relu(%arg0: tensor<4x8x!qa>, %arg1: tensor<4x8x!qb>) -> tensor<4x8x!qy> {
  %a = qnt.dequantize %arg0 : tensor<4x8x!qa> -> tensor<4x8xf32>
  %b = qnt.dequantize %arg1 : tensor<4x8x!qb> -> tensor<4x8xf32>
  %e = tensor.empty() : tensor<4x8xf32>
  %r = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]} ins(%a, %b : tensor<4x8xf32>, tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%in: f32, %in2: f32, %out: f32):
    %s = arith.addf %in2, %in : f32
    linalg.yield %s : f32
  } -> tensor<4x8xf32>
  %relu = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%r : tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %c0 = arith.constant 0.0 : f32
    %m = arith.maximumf %c0, %in : f32
    linalg.yield %m : f32
  } -> tensor<4x8xf32>
  %y = qnt.quantize %relu : tensor<4x8xf32> -> tensor<4x8x!qy>
  return %y : tensor<4x8x!qy>
}

// -----

!qa = !quant.uniform<u8:f32, 0.05:3>
!qb = !quant.uniform<i8:f32, 0.02:-4>
!qy = !quant.uniform<u8:f32, 0.1:5>
#id = affine_map<(d0, d1) -> (d0, d1)>

// CHECK-LABEL: func.func @mul
// CHECK-NEXT: %[[Y:.*]] = qnt.mul %arg0, %arg1 : tensor<4x8x!quant.uniform<u8:f32, 5.000000e-02:3>>
// CHECK-NEXT: return %[[Y]]
func.func @mul(%arg0: tensor<4x8x!qa>, %arg1: tensor<4x8x!qb>) -> tensor<4x8x!qy> {
  %a = qnt.dequantize %arg0 : tensor<4x8x!qa> -> tensor<4x8xf32>
  %b = qnt.dequantize %arg1 : tensor<4x8x!qb> -> tensor<4x8xf32>
  %e = tensor.empty() : tensor<4x8xf32>
  %r = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]} ins(%a, %b : tensor<4x8xf32>, tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%in: f32, %in2: f32, %out: f32):
    %s = arith.mulf %in2, %in : f32
    linalg.yield %s : f32
  } -> tensor<4x8xf32>
  %y = qnt.quantize %r : tensor<4x8xf32> -> tensor<4x8x!qy>
  return %y : tensor<4x8x!qy>
}

// -----

!qx = !quant.uniform<u8:f32, 0.05:3>
!qw = !quant.uniform<i8<-127:127>:f32:0, {0.01, 0.02}>
!qy = !quant.uniform<u8:f32, 0.1:5>
#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#bc = affine_map<(d0, d1, d2, d3) -> (0, d1, 0, 0)>

// The conv's input is pad(maxpool(relu(dequantize))): a quantize with the
// dequantize's type goes after the pooling (which stays in float), and the
// zero pad becomes the conv's padding.
// CHECK-LABEL: func.func @propagate_maxpool_pad
// CHECK: %[[POOL:.*]] = linalg.pooling_nchw_max
// CHECK: %[[Q:.*]] = qnt.quantize %[[POOL]] : tensor<1x1x4x4xf32> -> tensor<1x1x4x4x!quant.uniform<u8:f32, 5.000000e-02:3>>
// CHECK: qnt.conv2d %[[Q]], %{{.*}} {padding = array<i64: 1, 1, 1, 1>}
// CHECK-NOT: linalg.conv
func.func @propagate_maxpool_pad(%arg0: tensor<1x1x8x8x!qx>) -> tensor<1x2x4x4x!qy> {
  %zero = arith.constant 0.0 : f32
  %ninf = arith.constant 0xFF800000 : f32
  %d = qnt.dequantize %arg0 : tensor<1x1x8x8x!qx> -> tensor<1x1x8x8xf32>
  %e8 = tensor.empty() : tensor<1x1x8x8xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%d : tensor<1x1x8x8xf32>) outs(%e8 : tensor<1x1x8x8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %m = arith.maximumf %in, %zero : f32
    linalg.yield %m : f32
  } -> tensor<1x1x8x8xf32>
  %pe = tensor.empty() : tensor<1x1x4x4xf32>
  %pinit = linalg.fill ins(%ninf : f32) outs(%pe : tensor<1x1x4x4xf32>) -> tensor<1x1x4x4xf32>
  %win = tensor.empty() : tensor<2x2xf32>
  %x = linalg.pooling_nchw_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%r, %win : tensor<1x1x8x8xf32>, tensor<2x2xf32>) outs(%pinit : tensor<1x1x4x4xf32>) -> tensor<1x1x4x4xf32>
  %w = arith.constant dense<[[[[0.01, 0.02, 0.03], [-0.01, -0.02, -0.03], [0.0, 0.05, 1.27]]], [[[0.02, 0.04, 0.06], [-0.02, -0.04, -0.06], [0.0, 0.1, -2.54]]]]> : tensor<2x1x3x3xf32>
  %wq = qnt.quantize %w : tensor<2x1x3x3xf32> -> tensor<2x1x3x3x!qw>
  %wd = qnt.dequantize %wq : tensor<2x1x3x3x!qw> -> tensor<2x1x3x3xf32>
  %padded = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %zero : f32
  } : tensor<1x1x4x4xf32> to tensor<1x1x6x6xf32>
  %e = tensor.empty() : tensor<1x2x4x4xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %conv = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%padded, %wd : tensor<1x1x6x6xf32>, tensor<2x1x3x3xf32>) outs(%init : tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %y = qnt.quantize %conv : tensor<1x2x4x4xf32> -> tensor<1x2x4x4x!qy>
  return %y : tensor<1x2x4x4x!qy>
}

// -----

!qx = !quant.uniform<i8:f32, 0.5:-1>
!qz = !quant.uniform<i8:f32, 0.25:0>
!qy = !quant.uniform<i8:f32, 0.25:2>
!qw = !quant.uniform<i8<-127:127>:f32:0, {0.25, 0.5, 0.125}>
#mk = affine_map<(d0, d1, d2) -> (d0, d2)>
#nk = affine_map<(d0, d1, d2) -> (d1, d2)>
#mn = affine_map<(d0, d1, d2) -> (d0, d1)>

// A concat of inputs with one quantized type: quantize after it (exact).
// CHECK-LABEL: func.func @propagate_concat
// CHECK: %[[C:.*]] = tensor.concat dim(1)
// CHECK: %[[Q:.*]] = qnt.quantize %[[C]] : tensor<1x2xf32> -> tensor<1x2x!quant.uniform<i8:f32, 5.000000e-01:-1>>
// CHECK: qnt.matmul %[[Q]], %{{.*}} : tensor<1x2x!quant.uniform<i8:f32, 5.000000e-01:-1>>
func.func @propagate_concat(%a: tensor<1x1x!qx>, %b: tensor<1x1x!qx>) -> tensor<1x3x!qy> {
  %zero = arith.constant 0.0 : f32
  %da = qnt.dequantize %a : tensor<1x1x!qx> -> tensor<1x1xf32>
  %db = qnt.dequantize %b : tensor<1x1x!qx> -> tensor<1x1xf32>
  %c = tensor.concat dim(1) %da, %db : (tensor<1x1xf32>, tensor<1x1xf32>) -> tensor<1x2xf32>
  %w = arith.constant dense<[[1.0, -1.0], [1.0, -3.0], [1.0, -2.0]]> : tensor<3x2xf32>
  %wq = qnt.quantize %w : tensor<3x2xf32> -> tensor<3x2x!qw>
  %wd = qnt.dequantize %wq : tensor<3x2x!qw> -> tensor<3x2xf32>
  %e = tensor.empty() : tensor<1x3xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x3xf32>) -> tensor<1x3xf32>
  %mm = linalg.matmul indexing_maps = [#mk, #nk, #mn] ins(%c, %wd : tensor<1x2xf32>, tensor<3x2xf32>) outs(%init : tensor<1x3xf32>) -> tensor<1x3xf32>
  %y = qnt.quantize %mm : tensor<1x3xf32> -> tensor<1x3x!qy>
  return %y : tensor<1x3x!qy>
}

// Inputs of two types: nothing exact to insert, the matmul stays in float.
// CHECK-LABEL: func.func @concat_mixed_types
// CHECK-NOT: qnt.matmul
// CHECK: linalg.matmul
func.func @concat_mixed_types(%a: tensor<1x1x!qx>, %b: tensor<1x1x!qz>) -> tensor<1x3x!qy> {
  %zero = arith.constant 0.0 : f32
  %da = qnt.dequantize %a : tensor<1x1x!qx> -> tensor<1x1xf32>
  %db = qnt.dequantize %b : tensor<1x1x!qz> -> tensor<1x1xf32>
  %c = tensor.concat dim(1) %da, %db : (tensor<1x1xf32>, tensor<1x1xf32>) -> tensor<1x2xf32>
  %w = arith.constant dense<[[1.0, -1.0], [1.0, -3.0], [1.0, -2.0]]> : tensor<3x2xf32>
  %wq = qnt.quantize %w : tensor<3x2xf32> -> tensor<3x2x!qw>
  %wd = qnt.dequantize %wq : tensor<3x2x!qw> -> tensor<3x2xf32>
  %e = tensor.empty() : tensor<1x3xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x3xf32>) -> tensor<1x3xf32>
  %mm = linalg.matmul indexing_maps = [#mk, #nk, #mn] ins(%c, %wd : tensor<1x2xf32>, tensor<3x2xf32>) outs(%init : tensor<1x3xf32>) -> tensor<1x3xf32>
  %y = qnt.quantize %mm : tensor<1x3xf32> -> tensor<1x3x!qy>
  return %y : tensor<1x3x!qy>
}

// -----

!qa = !quant.uniform<i8:f32, 0.5:-1>
!qy = !quant.uniform<i8:f32, 0.25:2>
#mk = affine_map<(d0, d1, d2) -> (d0, d2)>
#nk = affine_map<(d0, d1, d2) -> (d1, d2)>
#mn = affine_map<(d0, d1, d2) -> (d0, d1)>
#id2 = affine_map<(d0, d1) -> (d0, d1)>
#ch = affine_map<(d0, d1) -> (d1)>
!qw = !quant.uniform<i8<-127:127>:f32:0, {0.25, 0.5, 0.125}>
!qx = !quant.uniform<i8:f32, 0.5:-1>

// A flatten between the dequantize and the matmul: quantize after it.
// CHECK-LABEL: func.func @propagate_reshape
// CHECK: %[[F:.*]] = tensor.collapse_shape
// CHECK: %[[Q:.*]] = qnt.quantize %[[F]] : tensor<1x2xf32> -> tensor<1x2x!quant.uniform<i8:f32, 5.000000e-01:-1>>
// CHECK: qnt.matmul %[[Q]], %{{.*}} : tensor<1x2x!quant.uniform<i8:f32, 5.000000e-01:-1>>
func.func @propagate_reshape(%arg0: tensor<1x2x1x1x!qx>) -> tensor<1x3x!qy> {
  %zero = arith.constant 0.0 : f32
  %d = qnt.dequantize %arg0 : tensor<1x2x1x1x!qx> -> tensor<1x2x1x1xf32>
  %a = tensor.collapse_shape %d [[0], [1, 2, 3]] : tensor<1x2x1x1xf32> into tensor<1x2xf32>
  %w = arith.constant dense<[[1.0, -1.0], [1.0, -3.0], [1.0, -2.0]]> : tensor<3x2xf32>
  %wq = qnt.quantize %w : tensor<3x2xf32> -> tensor<3x2x!qw>
  %wd = qnt.dequantize %wq : tensor<3x2x!qw> -> tensor<3x2xf32>
  %e = tensor.empty() : tensor<1x3xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x3xf32>) -> tensor<1x3xf32>
  %mm = linalg.matmul indexing_maps = [#mk, #nk, #mn] ins(%a, %wd : tensor<1x2xf32>, tensor<3x2xf32>) outs(%init : tensor<1x3xf32>) -> tensor<1x3xf32>
  %y = qnt.quantize %mm : tensor<1x3xf32> -> tensor<1x3x!qy>
  return %y : tensor<1x3x!qy>
}

// -----

!qx = !quant.uniform<u8:f32, 0.05:3>
!qw = !quant.uniform<i8<-127:127>:f32:0, {0.01, 0.02}>
!qy = !quant.uniform<u8:f32, 0.1:5>
#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#bc = affine_map<(d0, d1, d2, d3) -> (0, d1, 0, 0)>

// QAT form: fake_quant ops are expanded first, then fused.
// CHECK-LABEL: func.func @fake_quant
// CHECK: %[[X:.*]] = qnt.quantize %arg0 : tensor<1x1x6x6xf32> -> tensor<1x1x6x6x!quant.uniform<u8:f32, 5.000000e-02:3>>
// CHECK: %[[Y:.*]] = qnt.conv2d %[[X]], %{{.*}} : {{.*}} -> tensor<1x2x4x4x!quant.uniform<u8:f32, 1.000000e-01:5>>
// CHECK: %[[R:.*]] = qnt.dequantize %[[Y]]
// CHECK: return %[[R]]
func.func @fake_quant(%arg0: tensor<1x1x6x6xf32>) -> tensor<1x2x4x4xf32> {
  %zero = arith.constant 0.0 : f32
  %x = qnt.fake_quant %arg0 as !qx : tensor<1x1x6x6xf32>
  %w = arith.constant dense<[[[[0.01, 0.02, 0.03], [-0.01, -0.02, -0.03], [0.0, 0.05, 1.27]]], [[[0.02, 0.04, 0.06], [-0.02, -0.04, -0.06], [0.0, 0.1, -2.54]]]]> : tensor<2x1x3x3xf32>
  %wd = qnt.fake_quant %w as !qw : tensor<2x1x3x3xf32>
  %e = tensor.empty() : tensor<1x2x4x4xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %conv = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %wd : tensor<1x1x6x6xf32>, tensor<2x1x3x3xf32>) outs(%init : tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %y = qnt.fake_quant %conv as !qy : tensor<1x2x4x4xf32>
  return %y : tensor<1x2x4x4xf32>
}

// -----

!qx = !quant.uniform<u8:f32, 0.05:3>
!qw = !quant.uniform<i8<-127:127>:f32:0, {0.01, 0.02}>
!qy = !quant.uniform<u8:f32, 0.1:5>
#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#bc = affine_map<(d0, d1, d2, d3) -> (0, d1, 0, 0)>

// No quantize after the conv: it stays in float.
// CHECK-LABEL: func.func @no_quantize_after
// CHECK-NOT: qnt.conv2d
// CHECK: linalg.conv_2d_nchw_fchw
func.func @no_quantize_after(%arg0: tensor<1x1x6x6x!qx>) -> tensor<1x2x4x4xf32> {
  %zero = arith.constant 0.0 : f32
  %x = qnt.dequantize %arg0 : tensor<1x1x6x6x!qx> -> tensor<1x1x6x6xf32>
  %w = arith.constant dense<[[[[0.01, 0.02, 0.03], [-0.01, -0.02, -0.03], [0.0, 0.05, 1.27]]], [[[0.02, 0.04, 0.06], [-0.02, -0.04, -0.06], [0.0, 0.1, -2.54]]]]> : tensor<2x1x3x3xf32>
  %wq = qnt.quantize %w : tensor<2x1x3x3xf32> -> tensor<2x1x3x3x!qw>
  %wd = qnt.dequantize %wq : tensor<2x1x3x3x!qw> -> tensor<2x1x3x3xf32>
  %e = tensor.empty() : tensor<1x2x4x4xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %conv = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %wd : tensor<1x1x6x6xf32>, tensor<2x1x3x3xf32>) outs(%init : tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  return %conv : tensor<1x2x4x4xf32>
}

// -----

!qx = !quant.uniform<u8:f32, 0.05:3>
!qw = !quant.uniform<i8<-127:127>:f32:0, {0.01, 0.02}>
!qy = !quant.uniform<u8:f32, 0.1:5>
#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#bc = affine_map<(d0, d1, d2, d3) -> (0, d1, 0, 0)>

// The weight is a float constant without QDQ: no fusion.
// CHECK-LABEL: func.func @float_weight
// CHECK-NOT: qnt.conv2d
// CHECK: linalg.conv_2d_nchw_fchw
// CHECK: qnt.quantize
func.func @float_weight(%arg0: tensor<1x1x6x6x!qx>) -> tensor<1x2x4x4x!qy> {
  %zero = arith.constant 0.0 : f32
  %x = qnt.dequantize %arg0 : tensor<1x1x6x6x!qx> -> tensor<1x1x6x6xf32>
  %wd = arith.constant dense<0.5> : tensor<2x1x3x3xf32>
  %e = tensor.empty() : tensor<1x2x4x4xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %conv = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %wd : tensor<1x1x6x6xf32>, tensor<2x1x3x3xf32>) outs(%init : tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %y = qnt.quantize %conv : tensor<1x2x4x4xf32> -> tensor<1x2x4x4x!qy>
  return %y : tensor<1x2x4x4x!qy>
}

// -----

!qx = !quant.uniform<u8:f32, 0.05:3>
!qw = !quant.uniform<i8<-127:127>:f32:0, {0.01, 0.02}>
!qy = !quant.uniform<u8:f32, 0.1:5>
#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#bc = affine_map<(d0, d1, d2, d3) -> (0, d1, 0, 0)>
!qc = !quant.uniform<u8:f32:1, {0.05:3, 0.1:3}>

// An activation quantized per channel (two different scales): no fusion.
// CHECK-LABEL: func.func @per_axis_activation
// CHECK-NOT: qnt.add
// CHECK: linalg.generic
func.func @per_axis_activation(%arg0: tensor<1x2x4x4x!qc>, %arg1: tensor<1x2x4x4x!qx>) -> tensor<1x2x4x4x!qy> {
  %a = qnt.dequantize %arg0 : tensor<1x2x4x4x!qc> -> tensor<1x2x4x4xf32>
  %b = qnt.dequantize %arg1 : tensor<1x2x4x4x!qx> -> tensor<1x2x4x4xf32>
  %e = tensor.empty() : tensor<1x2x4x4xf32>
  %r = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%a, %b : tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) outs(%e : tensor<1x2x4x4xf32>) {
  ^bb0(%in: f32, %in2: f32, %out: f32):
    %s = arith.addf %in, %in2 : f32
    linalg.yield %s : f32
  } -> tensor<1x2x4x4xf32>
  %y = qnt.quantize %r : tensor<1x2x4x4xf32> -> tensor<1x2x4x4x!qy>
  return %y : tensor<1x2x4x4x!qy>
}

// -----

!qx = !quant.uniform<u8:f32, 0.05:3>
!qw = !quant.uniform<i8<-127:127>:f32:0, {0.01, 0.02}>
!qy = !quant.uniform<u8:f32, 0.1:5>
#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#bc = affine_map<(d0, d1, d2, d3) -> (0, d1, 0, 0)>

// A pad with 1.0 is neither the conv's padding nor exact: no fusion.
// CHECK-LABEL: func.func @nonzero_pad
// CHECK-NOT: qnt.conv2d
// CHECK: tensor.pad
// CHECK: linalg.conv_2d_nchw_fchw
func.func @nonzero_pad(%arg0: tensor<1x1x4x4x!qx>) -> tensor<1x2x4x4x!qy> {
  %zero = arith.constant 0.0 : f32
  %one = arith.constant 1.0 : f32
  %x = qnt.dequantize %arg0 : tensor<1x1x4x4x!qx> -> tensor<1x1x4x4xf32>
  %w = arith.constant dense<[[[[0.01, 0.02, 0.03], [-0.01, -0.02, -0.03], [0.0, 0.05, 1.27]]], [[[0.02, 0.04, 0.06], [-0.02, -0.04, -0.06], [0.0, 0.1, -2.54]]]]> : tensor<2x1x3x3xf32>
  %wq = qnt.quantize %w : tensor<2x1x3x3xf32> -> tensor<2x1x3x3x!qw>
  %wd = qnt.dequantize %wq : tensor<2x1x3x3x!qw> -> tensor<2x1x3x3xf32>
  %padded = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %one : f32
  } : tensor<1x1x4x4xf32> to tensor<1x1x6x6xf32>
  %e = tensor.empty() : tensor<1x2x4x4xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %conv = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%padded, %wd : tensor<1x1x6x6xf32>, tensor<2x1x3x3xf32>) outs(%init : tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %y = qnt.quantize %conv : tensor<1x2x4x4xf32> -> tensor<1x2x4x4x!qy>
  return %y : tensor<1x2x4x4x!qy>
}

// -----

!qa = !quant.uniform<u8:f32, 0.05:3>

// quantize(maxpool(dequantize(x))) with one type is a max of the storage
// integers: unsigned max, the -inf init becomes the storage minimum 0.
// CHECK-DAG: #[[$IN:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2 * 2 + d4, d3 * 2 + d5)>
// CHECK-DAG: #[[$WIN:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d4, d5)>
// CHECK-LABEL: func.func @integer_maxpool
// CHECK-SAME: (%[[X:.*]]: tensor<1x2x8x8x!quant.uniform<u8:f32, 5.000000e-02:3>>)
// CHECK: %[[S:.*]] = quant.scast %[[X]] : tensor<1x2x8x8x!quant.uniform<u8:f32, 5.000000e-02:3>> to tensor<1x2x8x8xi8>
// CHECK: %[[LOW:.*]] = arith.constant 0 : i8
// CHECK: %[[INIT:.*]] = linalg.fill ins(%[[LOW]] : i8) outs(%{{.*}} : tensor<1x2x4x4xi8>)
// CHECK: %[[M:.*]] = linalg.generic {indexing_maps = [#[[$IN]], #[[$WIN]], #{{.*}}], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]} ins(%[[S]], %{{.*}} : tensor<1x2x8x8xi8>, tensor<2x2xi8>) outs(%[[INIT]] : tensor<1x2x4x4xi8>)
// CHECK: arith.maxui
// CHECK: %[[Y:.*]] = quant.scast %[[M]] : tensor<1x2x4x4xi8> to tensor<1x2x4x4x!quant.uniform<u8:f32, 5.000000e-02:3>>
// CHECK: return %[[Y]]
// CHECK-NOT: linalg.pooling_nchw_max
func.func @integer_maxpool(%arg0: tensor<1x2x8x8x!qa>) -> tensor<1x2x4x4x!qa> {
  %ninf = arith.constant 0xFF800000 : f32
  %d = qnt.dequantize %arg0 : tensor<1x2x8x8x!qa> -> tensor<1x2x8x8xf32>
  %pe = tensor.empty() : tensor<1x2x4x4xf32>
  %init = linalg.fill ins(%ninf : f32) outs(%pe : tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %win = tensor.empty() : tensor<2x2xf32>
  %p = linalg.pooling_nchw_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%d, %win : tensor<1x2x8x8xf32>, tensor<2x2xf32>) outs(%init : tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %q = qnt.quantize %p : tensor<1x2x4x4xf32> -> tensor<1x2x4x4x!qa>
  return %q : tensor<1x2x4x4x!qa>
}

// -----

!qs = !quant.uniform<i8:f32, 0.05:-3>

// Signed storage: signed max; a 0.0 init (max with zero) becomes the zero
// point; strides and dilations go into the input map.
// CHECK-DAG: #[[$DIL:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2 + d4 * 2, d3 + d5 * 2)>
// CHECK-LABEL: func.func @integer_maxpool_signed
// CHECK: %[[ZP:.*]] = arith.constant -3 : i8
// CHECK: linalg.fill ins(%[[ZP]] : i8)
// CHECK: linalg.generic {indexing_maps = [#[[$DIL]]
// CHECK: arith.maxsi
// CHECK-NOT: linalg.pooling_nchw_max
func.func @integer_maxpool_signed(%arg0: tensor<1x1x7x7x!qs>) -> tensor<1x1x3x3x!qs> {
  %zero = arith.constant 0.0 : f32
  %d = qnt.dequantize %arg0 : tensor<1x1x7x7x!qs> -> tensor<1x1x7x7xf32>
  %pe = tensor.empty() : tensor<1x1x3x3xf32>
  %init = linalg.fill ins(%zero : f32) outs(%pe : tensor<1x1x3x3xf32>) -> tensor<1x1x3x3xf32>
  %win = tensor.empty() : tensor<3x3xf32>
  %p = linalg.pooling_nchw_max {dilations = dense<2> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%d, %win : tensor<1x1x7x7xf32>, tensor<3x3xf32>) outs(%init : tensor<1x1x3x3xf32>) -> tensor<1x1x3x3xf32>
  %q = qnt.quantize %p : tensor<1x1x3x3xf32> -> tensor<1x1x3x3x!qs>
  return %q : tensor<1x1x3x3x!qs>
}

// -----

!qa = !quant.uniform<u8:f32, 0.05:3>
!qb = !quant.uniform<u8:f32, 0.1:3>

// Quantized to another type, the pooling stays in float.
// CHECK-LABEL: func.func @maxpool_other_type
// CHECK: linalg.pooling_nchw_max
// CHECK: qnt.quantize
// CHECK-NOT: arith.maxui
func.func @maxpool_other_type(%arg0: tensor<1x2x8x8x!qa>) -> tensor<1x2x4x4x!qb> {
  %ninf = arith.constant 0xFF800000 : f32
  %d = qnt.dequantize %arg0 : tensor<1x2x8x8x!qa> -> tensor<1x2x8x8xf32>
  %pe = tensor.empty() : tensor<1x2x4x4xf32>
  %init = linalg.fill ins(%ninf : f32) outs(%pe : tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %win = tensor.empty() : tensor<2x2xf32>
  %p = linalg.pooling_nchw_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%d, %win : tensor<1x2x8x8xf32>, tensor<2x2xf32>) outs(%init : tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %q = qnt.quantize %p : tensor<1x2x4x4xf32> -> tensor<1x2x4x4x!qb>
  return %q : tensor<1x2x4x4x!qb>
}

// -----

!qx = !quant.uniform<i8:f32, 0.5:-3>
!qy = !quant.uniform<i8:f32, 0.25:1>
#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#sum = affine_map<(d0, d1, d2, d3) -> (d0, d1)>

// The importer's GlobalAveragePool (sum over H, W, reshape, divide by
// H * W = 4) between casts: an i32 sum of the storage values, minus
// zp_x * 4 = -12, times M = 0.5 / (0.25 * 4) = 0.5, rounded half to even,
// saturated to [-128 - 1, 127 - 1] and shifted by zp_y = 1; the reshape
// moves to the storage tensor.
// CHECK-LABEL: func.func @global_average_pool
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x2x2x!quant.uniform<i8:f32, 5.000000e-01:-3>>)
// CHECK: %[[XS:.*]] = quant.scast %[[X]] : {{.*}} to tensor<2x3x2x2xi8>
// CHECK: %[[ACC:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "reduction", "reduction"]} ins(%[[XS]] : tensor<2x3x2x2xi8>) outs(%{{.*}} : tensor<2x3xi32>)
// CHECK: arith.extsi %{{.*}} : i8 to i32
// CHECK: arith.addi
// CHECK: %[[Q:.*]] = linalg.generic {{.*}} ins(%[[ACC]] : tensor<2x3xi32>) outs(%{{.*}} : tensor<2x3xi8>)
// CHECK: arith.constant 12 : i64
// CHECK: arith.sitofp
// CHECK: arith.constant 5.000000e-01 : f32
// CHECK: arith.mulf
// CHECK: math.roundeven
// CHECK: arith.constant -1.290000e+02 : f32
// CHECK: arith.maximumf
// CHECK: arith.constant 1.260000e+02 : f32
// CHECK: arith.minimumf
// CHECK: arith.fptosi
// CHECK: arith.constant 1 : i64
// CHECK: arith.trunci
// CHECK: %[[R:.*]] = tensor.reshape %[[Q]](%{{.*}}) : (tensor<2x3xi8>, tensor<4xindex>) -> tensor<2x3x1x1xi8>
// CHECK: %[[Y:.*]] = quant.scast %[[R]] : tensor<2x3x1x1xi8> to tensor<2x3x1x1x!quant.uniform<i8:f32, 2.500000e-01:1>>
// CHECK-NOT: arith.divf
// CHECK: return %[[Y]]
func.func @global_average_pool(%arg0: tensor<2x3x2x2x!qx>) -> tensor<2x3x1x1x!qy> {
  %zero = arith.constant 0.0 : f32
  %d = qnt.dequantize %arg0 : tensor<2x3x2x2x!qx> -> tensor<2x3x2x2xf32>
  %e = tensor.empty() : tensor<2x3xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<2x3xf32>) -> tensor<2x3xf32>
  %s = linalg.generic {indexing_maps = [#id, #sum], iterator_types = ["parallel", "parallel", "reduction", "reduction"]} ins(%d : tensor<2x3x2x2xf32>) outs(%init : tensor<2x3xf32>) {
  ^bb0(%in: f32, %out: f32):
    %a = arith.addf %out, %in : f32
    linalg.yield %a : f32
  } -> tensor<2x3xf32>
  %shape = arith.constant dense<[2, 3, 1, 1]> : tensor<4xindex>
  %r = tensor.reshape %s(%shape) : (tensor<2x3xf32>, tensor<4xindex>) -> tensor<2x3x1x1xf32>
  %e4 = tensor.empty() : tensor<2x3x1x1xf32>
  %m = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%r : tensor<2x3x1x1xf32>) outs(%e4 : tensor<2x3x1x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %n = arith.constant 4.000000e+00 : f32
    %v = arith.divf %in, %n : f32
    linalg.yield %v : f32
  } -> tensor<2x3x1x1xf32>
  %q = qnt.quantize %m : tensor<2x3x1x1xf32> -> tensor<2x3x1x1x!qy>
  return %q : tensor<2x3x1x1x!qy>
}

// -----

!qx = !quant.uniform<i8:f32, 0.5:-3>
!qy = !quant.uniform<i8:f32, 0.25:1>
#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#sum = affine_map<(d0, d1, d2, d3) -> (d0, d1)>

// A sum over H and W divided by 3, not by H * W = 4, is no average pool: it
// stays in float.
// CHECK-LABEL: func.func @not_an_average_pool
// CHECK: arith.addf
// CHECK: arith.divf
// CHECK: qnt.quantize
func.func @not_an_average_pool(%arg0: tensor<2x3x2x2x!qx>) -> tensor<2x3x!qy> {
  %zero = arith.constant 0.0 : f32
  %d = qnt.dequantize %arg0 : tensor<2x3x2x2x!qx> -> tensor<2x3x2x2xf32>
  %e = tensor.empty() : tensor<2x3xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<2x3xf32>) -> tensor<2x3xf32>
  %s = linalg.generic {indexing_maps = [#id, #sum], iterator_types = ["parallel", "parallel", "reduction", "reduction"]} ins(%d : tensor<2x3x2x2xf32>) outs(%init : tensor<2x3xf32>) {
  ^bb0(%in: f32, %out: f32):
    %a = arith.addf %out, %in : f32
    linalg.yield %a : f32
  } -> tensor<2x3xf32>
  %m = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%s : tensor<2x3xf32>) outs(%e : tensor<2x3xf32>) {
  ^bb0(%in: f32, %out: f32):
    %n = arith.constant 3.000000e+00 : f32
    %v = arith.divf %in, %n : f32
    linalg.yield %v : f32
  } -> tensor<2x3xf32>
  %q = qnt.quantize %m : tensor<2x3xf32> -> tensor<2x3x!qy>
  return %q : tensor<2x3x!qy>
}
