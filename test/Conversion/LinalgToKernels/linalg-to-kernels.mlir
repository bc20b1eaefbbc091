// RUN: quant-opt %s --convert-linalg-to-kernels | FileCheck %s

// Left to the generic lowering: weights that are not constants, an init
// that is not zero, and f64.
// CHECK-LABEL: func.func @not_kernels
// CHECK-NOT: quant_float_layer_run
// CHECK-COUNT-3: linalg.matmul
// CHECK-NOT: quant_float_layer_run
func.func @not_kernels(%x: tensor<4x3xf32>, %w: tensor<3x2xf32>, %x64: tensor<4x3xf64>) -> (tensor<4x2xf32>, tensor<4x2xf32>, tensor<4x2xf64>) {
  %c = arith.constant dense<1.0> : tensor<3x2xf32>
  %c64 = arith.constant dense<1.0> : tensor<3x2xf64>
  %zero = arith.constant 0.0 : f32
  %one = arith.constant 1.0 : f32
  %zero64 = arith.constant 0.0 : f64
  %e = tensor.empty() : tensor<4x2xf32>
  %e64 = tensor.empty() : tensor<4x2xf64>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<4x2xf32>) -> tensor<4x2xf32>
  %ones = linalg.fill ins(%one : f32) outs(%e : tensor<4x2xf32>) -> tensor<4x2xf32>
  %init64 = linalg.fill ins(%zero64 : f64) outs(%e64 : tensor<4x2xf64>) -> tensor<4x2xf64>
  %y0 = linalg.matmul ins(%x, %w : tensor<4x3xf32>, tensor<3x2xf32>) outs(%init : tensor<4x2xf32>) -> tensor<4x2xf32>
  %y1 = linalg.matmul ins(%x, %c : tensor<4x3xf32>, tensor<3x2xf32>) outs(%ones : tensor<4x2xf32>) -> tensor<4x2xf32>
  %y2 = linalg.matmul ins(%x64, %c64 : tensor<4x3xf64>, tensor<3x2xf64>) outs(%init64 : tensor<4x2xf64>) -> tensor<4x2xf64>
  return %y0, %y1, %y2 : tensor<4x2xf32>, tensor<4x2xf32>, tensor<4x2xf64>
}

// A bias add of a constant per column and a ReLU after a product become
// the kernel's epilogue: no generic is left.
// CHECK-LABEL: func.func @bias_relu
// CHECK: call @quant_float_layer_run
// CHECK-NOT: linalg.generic
// CHECK: return
#id2 = affine_map<(d0, d1) -> (d0, d1)>
#col = affine_map<(d0, d1) -> (d1)>
func.func @bias_relu(%x: tensor<4x3xf32>) -> tensor<4x2xf32> {
  %w = arith.constant dense<1.0> : tensor<3x2xf32>
  %bias = arith.constant dense<[0.5, -0.5]> : tensor<2xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x2xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<4x2xf32>) -> tensor<4x2xf32>
  %y = linalg.matmul ins(%x, %w : tensor<4x3xf32>, tensor<3x2xf32>) outs(%init : tensor<4x2xf32>) -> tensor<4x2xf32>
  %b = linalg.generic {indexing_maps = [#id2, #col, #id2], iterator_types = ["parallel", "parallel"]} ins(%y, %bias : tensor<4x2xf32>, tensor<2xf32>) outs(%e : tensor<4x2xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %s = arith.addf %c, %a : f32
    linalg.yield %s : f32
  } -> tensor<4x2xf32>
  %r = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]} ins(%b : tensor<4x2xf32>) outs(%e : tensor<4x2xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = arith.maximumf %zero, %a : f32
    linalg.yield %m : f32
  } -> tensor<4x2xf32>
  return %r : tensor<4x2xf32>
}

// Kept as generics: a bias that is not a constant, a bias along rows, a
// maximum with another constant than +0.0 (-0.0 included), a result read
// twice, and fast-math flags.
// CHECK-LABEL: func.func @epilogues_kept
// CHECK: call @quant_float_layer_run
// CHECK: arith.addf
// CHECK: call @quant_float_layer_run
// CHECK: arith.addf
// CHECK: call @quant_float_layer_run
// CHECK: arith.maximumf
// CHECK: call @quant_float_layer_run
// CHECK: arith.maximumf
// CHECK: call @quant_float_layer_run
// CHECK: arith.maximumf {{.*}} fastmath<nnan>
// CHECK: return
#row = affine_map<(d0, d1) -> (d0)>
func.func @epilogues_kept(%x: tensor<4x3xf32>, %bias: tensor<2xf32>) -> (tensor<4x2xf32>, tensor<4x2xf32>, tensor<4x2xf32>, tensor<4x2xf32>, tensor<4x2xf32>, tensor<4x2xf32>) {
  %w = arith.constant dense<1.0> : tensor<3x2xf32>
  %rowbias = arith.constant dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32>
  %zero = arith.constant 0.0 : f32
  %negzero = arith.constant -0.0 : f32
  %e = tensor.empty() : tensor<4x2xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<4x2xf32>) -> tensor<4x2xf32>
  %y0 = linalg.matmul ins(%x, %w : tensor<4x3xf32>, tensor<3x2xf32>) outs(%init : tensor<4x2xf32>) -> tensor<4x2xf32>
  %b0 = linalg.generic {indexing_maps = [#id2, #col, #id2], iterator_types = ["parallel", "parallel"]} ins(%y0, %bias : tensor<4x2xf32>, tensor<2xf32>) outs(%e : tensor<4x2xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %s = arith.addf %a, %c : f32
    linalg.yield %s : f32
  } -> tensor<4x2xf32>
  %y1 = linalg.matmul ins(%x, %w : tensor<4x3xf32>, tensor<3x2xf32>) outs(%init : tensor<4x2xf32>) -> tensor<4x2xf32>
  %b1 = linalg.generic {indexing_maps = [#id2, #row, #id2], iterator_types = ["parallel", "parallel"]} ins(%y1, %rowbias : tensor<4x2xf32>, tensor<4xf32>) outs(%e : tensor<4x2xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %s = arith.addf %a, %c : f32
    linalg.yield %s : f32
  } -> tensor<4x2xf32>
  %y2 = linalg.matmul ins(%x, %w : tensor<4x3xf32>, tensor<3x2xf32>) outs(%init : tensor<4x2xf32>) -> tensor<4x2xf32>
  %r2 = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]} ins(%y2 : tensor<4x2xf32>) outs(%e : tensor<4x2xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = arith.maximumf %a, %negzero : f32
    linalg.yield %m : f32
  } -> tensor<4x2xf32>
  %y3 = linalg.matmul ins(%x, %w : tensor<4x3xf32>, tensor<3x2xf32>) outs(%init : tensor<4x2xf32>) -> tensor<4x2xf32>
  %r3 = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]} ins(%y3 : tensor<4x2xf32>) outs(%e : tensor<4x2xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = arith.maximumf %a, %zero : f32
    linalg.yield %m : f32
  } -> tensor<4x2xf32>
  %y4 = linalg.matmul ins(%x, %w : tensor<4x3xf32>, tensor<3x2xf32>) outs(%init : tensor<4x2xf32>) -> tensor<4x2xf32>
  %r4 = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]} ins(%y4 : tensor<4x2xf32>) outs(%e : tensor<4x2xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = arith.maximumf %a, %zero fastmath<nnan> : f32
    linalg.yield %m : f32
  } -> tensor<4x2xf32>
  return %b0, %b1, %r2, %r3, %y3, %r4 : tensor<4x2xf32>, tensor<4x2xf32>, tensor<4x2xf32>, tensor<4x2xf32>, tensor<4x2xf32>, tensor<4x2xf32>
}

// A max pool that alone reads a convolution's result runs in the layer:
// the call writes the pooled NHWC pixels (rows of 3 x 3 per item, the last
// unpooled row and column dropped), and no pooling is left.
// CHECK-LABEL: func.func @conv_pool
// CHECK-NOT: linalg.pooling_nchw_max
// CHECK: memref.alloc({{.*}}) {alignment = 64 : i64} : memref<?x3x3x4xf32>
// CHECK: call @quant_float_layer_run
// CHECK: linalg.transpose ins(%{{.*}} : tensor<?x3x3x4xf32>) outs(%{{.*}} : tensor<?x4x3x3xf32>)
// CHECK-NOT: linalg.pooling_nchw_max
// CHECK: return {{.*}} : tensor<?x4x3x3xf32>
func.func @conv_pool(%x: tensor<?x2x7x7xf32>) -> tensor<?x4x3x3xf32> {
  %c0 = arith.constant 0 : index
  %w = arith.constant dense<0.25> : tensor<4x2x1x1xf32>
  %zero = arith.constant 0.0 : f32
  %ninf = arith.constant 0xFF800000 : f32
  %n = tensor.dim %x, %c0 : tensor<?x2x7x7xf32>
  %e = tensor.empty(%n) : tensor<?x4x7x7xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<?x4x7x7xf32>) -> tensor<?x4x7x7xf32>
  %y = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<?x2x7x7xf32>, tensor<4x2x1x1xf32>) outs(%init : tensor<?x4x7x7xf32>) -> tensor<?x4x7x7xf32>
  %pe = tensor.empty(%n) : tensor<?x4x3x3xf32>
  %pinit = linalg.fill ins(%ninf : f32) outs(%pe : tensor<?x4x3x3xf32>) -> tensor<?x4x3x3xf32>
  %win = tensor.empty() : tensor<2x2xf32>
  %p = linalg.pooling_nchw_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%y, %win : tensor<?x4x7x7xf32>, tensor<2x2xf32>) outs(%pinit : tensor<?x4x3x3xf32>) -> tensor<?x4x3x3xf32>
  return %p : tensor<?x4x3x3xf32>
}

// Pools kept after the layer: one whose input is read twice, a dilated
// one, and one into an init that is not a fill of a constant.
// CHECK-LABEL: func.func @pools_kept
// CHECK-COUNT-3: linalg.pooling_nchw_max
func.func @pools_kept(%x: tensor<1x2x7x7xf32>, %pinit: tensor<1x4x3x3xf32>) -> (tensor<1x4x3x3xf32>, tensor<1x4x7x7xf32>, tensor<1x4x3x3xf32>, tensor<1x4x3x3xf32>) {
  %w = arith.constant dense<0.25> : tensor<4x2x1x1xf32>
  %zero = arith.constant 0.0 : f32
  %ninf = arith.constant 0xFF800000 : f32
  %e = tensor.empty() : tensor<1x4x7x7xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x4x7x7xf32>) -> tensor<1x4x7x7xf32>
  %pe = tensor.empty() : tensor<1x4x3x3xf32>
  %fill = linalg.fill ins(%ninf : f32) outs(%pe : tensor<1x4x3x3xf32>) -> tensor<1x4x3x3xf32>
  %win = tensor.empty() : tensor<2x2xf32>
  %y0 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x2x7x7xf32>, tensor<4x2x1x1xf32>) outs(%init : tensor<1x4x7x7xf32>) -> tensor<1x4x7x7xf32>
  %p0 = linalg.pooling_nchw_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%y0, %win : tensor<1x4x7x7xf32>, tensor<2x2xf32>) outs(%fill : tensor<1x4x3x3xf32>) -> tensor<1x4x3x3xf32>
  %y1 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x2x7x7xf32>, tensor<4x2x1x1xf32>) outs(%init : tensor<1x4x7x7xf32>) -> tensor<1x4x7x7xf32>
  %p1 = linalg.pooling_nchw_max {dilations = dense<2> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%y1, %win : tensor<1x4x7x7xf32>, tensor<2x2xf32>) outs(%fill : tensor<1x4x3x3xf32>) -> tensor<1x4x3x3xf32>
  %y2 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x2x7x7xf32>, tensor<4x2x1x1xf32>) outs(%init : tensor<1x4x7x7xf32>) -> tensor<1x4x7x7xf32>
  %p2 = linalg.pooling_nchw_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%y2, %win : tensor<1x4x7x7xf32>, tensor<2x2xf32>) outs(%pinit : tensor<1x4x3x3xf32>) -> tensor<1x4x3x3xf32>
  return %p0, %y0, %p1, %p2 : tensor<1x4x3x3xf32>, tensor<1x4x7x7xf32>, tensor<1x4x3x3xf32>, tensor<1x4x3x3xf32>
}
