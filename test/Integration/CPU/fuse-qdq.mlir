// qnt-fuse-qdq on a conv + bias + ReLU and a Gemm-form matmul + bias: the
// fused integer outputs must equal the NumPy integer reference of
// Inputs/fuse_qdq_ref.py exactly, and differ from the unfused float QDQ
// module by at most one quantization step.

// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/Inputs/fuse_qdq_ref.py gen %t
// RUN: quant-opt %s --qnt-fuse-qdq -o %t/fused.mlir
// RUN: FileCheck %s --check-prefix=FUSED < %t/fused.mlir
// FUSED-LABEL: func.func @conv
// FUSED: qnt.conv2d
// FUSED-NOT: linalg.conv
// FUSED-LABEL: func.func @matmul
// FUSED: qnt.matmul
// FUSED-NOT: linalg.matmul

// RUN: quant-run %t/fused.mlir --function=conv --input=%t/x.npy --output=%t/conv_fused.npz
// RUN: quant-run %s --function=conv --input=%t/x.npy --output=%t/conv_float.npz
// RUN: %python %S/Inputs/fuse_qdq_ref.py check conv %t/x.npy %t/conv_fused.npz %t/conv_float.npz | FileCheck %s --check-prefix=CONV
// CONV: OK conv 216 elements

// RUN: quant-run %t/fused.mlir --function=matmul --input=%t/a.npy --output=%t/mm_fused.npz
// RUN: quant-run %s --function=matmul --input=%t/a.npy --output=%t/mm_float.npz
// RUN: %python %S/Inputs/fuse_qdq_ref.py check matmul %t/a.npy %t/mm_fused.npz %t/mm_float.npz | FileCheck %s --check-prefix=MATMUL
// MATMUL: OK matmul 24 elements

// Max pooling between casts of one type becomes an integer maximum: the
// same bytes as the float pooling between the casts, on every storage value
// (u8 and i8, all 256 values in the windows) and with a 0.0 init.
// FUSED-LABEL: func.func @maxpool_u8
// FUSED: arith.maxui
// FUSED-NOT: linalg.pooling_nchw_max
// FUSED-LABEL: func.func @maxpool_i8
// FUSED: arith.maxsi
// FUSED-NOT: linalg.pooling_nchw_max
// RUN: %python -c "import numpy as np; v = np.arange(256, dtype=np.uint8); np.random.default_rng(3).shuffle(v); np.save('%t/pu8.npy', v.reshape(1, 4, 8, 8)); np.save('%t/pi8.npy', v.view(np.int8).reshape(1, 4, 8, 8))"
// RUN: quant-run %t/fused.mlir --function=maxpool_u8 --input=%t/pu8.npy --output=%t/pu8_fused.npz
// RUN: quant-run %s --function=maxpool_u8 --input=%t/pu8.npy --output=%t/pu8_float.npz
// RUN: cmp %t/pu8_fused.npz %t/pu8_float.npz
// RUN: quant-run %t/fused.mlir --function=maxpool_i8 --input=%t/pi8.npy --output=%t/pi8_fused.npz
// RUN: quant-run %s --function=maxpool_i8 --input=%t/pi8.npy --output=%t/pi8_float.npz
// RUN: cmp %t/pi8_fused.npz %t/pi8_float.npz

// A global average pool between casts becomes ONNX Runtime's integer
// QLinearGlobalAveragePool: an i32 sum of the storage values and one f32
// multiplier.
// FUSED-LABEL: func.func @gap
// FUSED: arith.extui
// FUSED: arith.addi
// FUSED: math.roundeven
// FUSED-NOT: arith.divf
// RUN: quant-run %t/fused.mlir --function=gap --input=%t/g.npy --output=%t/gap_fused.npz
// RUN: quant-run %s --function=gap --input=%t/g.npy --output=%t/gap_float.npz
// RUN: %python %S/Inputs/fuse_qdq_ref.py check gap %t/g.npy %t/gap_fused.npz %t/gap_float.npz | FileCheck %s --check-prefix=GAP
// GAP: OK gap 256 elements

!qx = !quant.uniform<u8:f32, 0.05:3>
!qw = !quant.uniform<i8<-127:127>:f32:0, {0.0024, 0.0023, 0.00235}>
!qy = !quant.uniform<u8:f32, 0.08:20>
!qa = !quant.uniform<i8:f32, 0.5:-1>
!qm = !quant.uniform<i8<-127:127>:f32:0, {0.004, 0.0038, 0.0036}>
!qo = !quant.uniform<i8:f32, 0.3:2>
#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#bc = affine_map<(d0, d1, d2, d3) -> (0, d1, 0, 0)>
#mk = affine_map<(d0, d1, d2) -> (d0, d2)>
#nk = affine_map<(d0, d1, d2) -> (d1, d2)>
#mn = affine_map<(d0, d1, d2) -> (d0, d1)>
#id2 = affine_map<(d0, d1) -> (d0, d1)>
#ch = affine_map<(d0, d1) -> (d1)>

func.func @conv(%arg0: tensor<2x2x6x6x!qx>) -> tensor<2x3x6x6x!qy> {
  %zero = arith.constant 0.0 : f32
  %w = arith.constant dense<[[[[0.075, 0.238, 0.165], [-0.165, -0.120, 0.224], [-0.297, 0.193, 0.178]], [[-0.019, -0.118, -0.133], [-0.147, -0.033, 0.003], [0.032, 0.297, 0.176]]], [[[0.073, 0.293, -0.171], [-0.204, 0.068, -0.274], [-0.279, 0.009, -0.020]], [[0.250, 0.078, 0.008], [-0.002, -0.151, -0.293], [-0.185, 0.115, -0.180]]], [[[-0.078, -0.298, 0.198], [-0.207, -0.139, 0.228], [0.006, 0.208, 0.084]], [[0.145, -0.245, 0.025], [0.005, 0.223, -0.083], [0.059, -0.264, -0.067]]]]> : tensor<3x2x3x3xf32>
  %b = arith.constant dense<[-0.177, -0.350, 0.316]> : tensor<3xf32>
  %x = qnt.dequantize %arg0 : tensor<2x2x6x6x!qx> -> tensor<2x2x6x6xf32>
  %wq = qnt.quantize %w : tensor<3x2x3x3xf32> -> tensor<3x2x3x3x!qw>
  %wd = qnt.dequantize %wq : tensor<3x2x3x3x!qw> -> tensor<3x2x3x3xf32>
  %padded = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %zero : f32
  } : tensor<2x2x6x6xf32> to tensor<2x2x8x8xf32>
  %e = tensor.empty() : tensor<2x3x6x6xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<2x3x6x6xf32>) -> tensor<2x3x6x6xf32>
  %conv = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%padded, %wd : tensor<2x2x8x8xf32>, tensor<3x2x3x3xf32>) outs(%init : tensor<2x3x6x6xf32>) -> tensor<2x3x6x6xf32>
  %shape = tosa.const_shape {values = dense<[1, 3, 1, 1]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %b4 = tosa.reshape %b, %shape : (tensor<3xf32>, !tosa.shape<4>) -> tensor<1x3x1x1xf32>
  %biased = linalg.generic {indexing_maps = [#id, #bc, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%conv, %b4 : tensor<2x3x6x6xf32>, tensor<1x3x1x1xf32>) outs(%e : tensor<2x3x6x6xf32>) {
  ^bb0(%in: f32, %in2: f32, %out: f32):
    %s = arith.addf %in, %in2 : f32
    linalg.yield %s : f32
  } -> tensor<2x3x6x6xf32>
  %relu = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%biased : tensor<2x3x6x6xf32>) outs(%e : tensor<2x3x6x6xf32>) {
  ^bb0(%in: f32, %out: f32):
    %m = arith.maximumf %in, %zero : f32
    linalg.yield %m : f32
  } -> tensor<2x3x6x6xf32>
  %y = qnt.quantize %relu : tensor<2x3x6x6xf32> -> tensor<2x3x6x6x!qy>
  return %y : tensor<2x3x6x6x!qy>
}

func.func @matmul(%arg0: tensor<8x8x!qa>) -> tensor<8x3x!qo> {
  %zero = arith.constant 0.0 : f32
  %w = arith.constant dense<[[-0.121, 0.479, 0.090, 0.105, 0.138, 0.176, -0.349, -0.060], [-0.260, -0.098, -0.403, 0.468, -0.285, 0.172, -0.200, 0.374], [0.162, -0.368, 0.345, 0.445, 0.404, 0.070, -0.355, -0.308]]> : tensor<3x8xf32>
  %b = arith.constant dense<[0.856, 0.105, -0.639]> : tensor<3xf32>
  %a = qnt.dequantize %arg0 : tensor<8x8x!qa> -> tensor<8x8xf32>
  %wq = qnt.quantize %w : tensor<3x8xf32> -> tensor<3x8x!qm>
  %wd = qnt.dequantize %wq : tensor<3x8x!qm> -> tensor<3x8xf32>
  %e = tensor.empty() : tensor<8x3xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<8x3xf32>) -> tensor<8x3xf32>
  %mm = linalg.matmul indexing_maps = [#mk, #nk, #mn] ins(%a, %wd : tensor<8x8xf32>, tensor<3x8xf32>) outs(%init : tensor<8x3xf32>) -> tensor<8x3xf32>
  %biased = linalg.generic {indexing_maps = [#id2, #ch, #id2], iterator_types = ["parallel", "parallel"]} ins(%mm, %b : tensor<8x3xf32>, tensor<3xf32>) outs(%e : tensor<8x3xf32>) {
  ^bb0(%in: f32, %in2: f32, %out: f32):
    %s = arith.addf %in, %in2 : f32
    linalg.yield %s : f32
  } -> tensor<8x3xf32>
  %y = qnt.quantize %biased : tensor<8x3xf32> -> tensor<8x3x!qo>
  return %y : tensor<8x3x!qo>
}

!qp = !quant.uniform<u8:f32, 0.05:3>
!qs = !quant.uniform<i8:f32, 0.07:-5>

func.func @maxpool_u8(%x: tensor<1x4x8x8x!qp>) -> tensor<1x4x4x4x!qp> {
  %ninf = arith.constant 0xFF800000 : f32
  %d = qnt.dequantize %x : tensor<1x4x8x8x!qp> -> tensor<1x4x8x8xf32>
  %e = tensor.empty() : tensor<1x4x4x4xf32>
  %init = linalg.fill ins(%ninf : f32) outs(%e : tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  %win = tensor.empty() : tensor<2x2xf32>
  %p = linalg.pooling_nchw_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%d, %win : tensor<1x4x8x8xf32>, tensor<2x2xf32>) outs(%init : tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  %q = qnt.quantize %p : tensor<1x4x4x4xf32> -> tensor<1x4x4x4x!qp>
  return %q : tensor<1x4x4x4x!qp>
}

func.func @maxpool_i8(%x: tensor<1x4x8x8x!qs>) -> tensor<1x4x3x3x!qs> {
  %zero = arith.constant 0.0 : f32
  %d = qnt.dequantize %x : tensor<1x4x8x8x!qs> -> tensor<1x4x8x8xf32>
  %e = tensor.empty() : tensor<1x4x3x3xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x4x3x3xf32>) -> tensor<1x4x3x3xf32>
  %win = tensor.empty() : tensor<3x3xf32>
  %p = linalg.pooling_nchw_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%d, %win : tensor<1x4x8x8xf32>, tensor<3x3xf32>) outs(%init : tensor<1x4x3x3xf32>) -> tensor<1x4x3x3xf32>
  %q = qnt.quantize %p : tensor<1x4x3x3xf32> -> tensor<1x4x3x3x!qs>
  return %q : tensor<1x4x3x3x!qs>
}

!qg = !quant.uniform<u8:f32, 0.0604:3>
!qgo = !quant.uniform<u8:f32, 0.0195>
#sum = affine_map<(d0, d1, d2, d3) -> (d0, d1)>

func.func @gap(%x: tensor<4x64x7x7x!qg>) -> tensor<4x64x1x1x!qgo> {
  %zero = arith.constant 0.0 : f32
  %d = qnt.dequantize %x : tensor<4x64x7x7x!qg> -> tensor<4x64x7x7xf32>
  %e = tensor.empty() : tensor<4x64xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<4x64xf32>) -> tensor<4x64xf32>
  %s = linalg.generic {indexing_maps = [#id, #sum], iterator_types = ["parallel", "parallel", "reduction", "reduction"]} ins(%d : tensor<4x64x7x7xf32>) outs(%init : tensor<4x64xf32>) {
  ^bb0(%in: f32, %out: f32):
    %a = arith.addf %out, %in : f32
    linalg.yield %a : f32
  } -> tensor<4x64xf32>
  %r = tensor.expand_shape %s [[0], [1, 2, 3]] output_shape [4, 64, 1, 1] : tensor<4x64xf32> into tensor<4x64x1x1xf32>
  %e4 = tensor.empty() : tensor<4x64x1x1xf32>
  %m = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%r : tensor<4x64x1x1xf32>) outs(%e4 : tensor<4x64x1x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %n = arith.constant 4.900000e+01 : f32
    %v = arith.divf %in, %n : f32
    linalg.yield %v : f32
  } -> tensor<4x64x1x1xf32>
  %q = qnt.quantize %m : tensor<4x64x1x1xf32> -> tensor<4x64x1x1x!qgo>
  return %q : tensor<4x64x1x1x!qgo>
}
