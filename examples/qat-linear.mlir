// A linear layer as quantization-aware training leaves it: fake_quant on the
// activation (per tensor, asymmetric u8) and on the constant weight (per
// output channel, symmetric narrow-range i8). scripts/run-example.sh expands
// the fake_quant ops into QDQ pairs, then folds them: the activation pair
// back into one fake_quant, the constant weight into its quantized values.
!act = !quant.uniform<u8:f32, 0.0235294:128>
!wgt = !quant.uniform<i8<-127:127>:f32:0, {0.00787402, 0.0157480, 0.0236220}>

func.func @linear(%x: tensor<1x4xf32>) -> tensor<1x3xf32> {
  %w = arith.constant dense<[[ 0.50, -0.25,  1.00, -1.00],
                             [ 1.20,  2.00, -0.75,  0.10],
                             [-3.00,  0.40,  2.95,  0.015]]> : tensor<3x4xf32>
  %xq = qnt.fake_quant %x as !act : tensor<1x4xf32>
  %wq = qnt.fake_quant %w as !wgt : tensor<3x4xf32>
  %init = arith.constant dense<0.0> : tensor<1x3xf32>
  %y = linalg.matmul
         indexing_maps = [affine_map<(m, n, k) -> (m, k)>,
                          affine_map<(m, n, k) -> (n, k)>,
                          affine_map<(m, n, k) -> (m, n)>]
         ins(%xq, %wq : tensor<1x4xf32>, tensor<3x4xf32>)
         outs(%init : tensor<1x3xf32>) -> tensor<1x3xf32>
  return %y : tensor<1x3xf32>
}
