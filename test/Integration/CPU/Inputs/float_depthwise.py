#!/usr/bin/env python3
"""An fp32 depthwise convolution between two NHWC layers, as the ONNX
frontend writes a depthwise Conv (a grouped convolution with one channel
per group between reshapes), and its float32 NumPy reference.

  float_depthwise.py gen DIR        writes DIR/dw.mlir (constant filter) and
                                    DIR/x.npy (NHWC input, batch 3)
  float_depthwise.py check DIR OUT  compares OUT (a quant-run .npz) with the
                                    reference bit for bit and prints OK

The reference sums x * w over the kernel rows, then columns, in float32
from +0.0, one rounding per product and per sum, as the compiled loops do
(multiplies and adds without fast-math flags are not contracted), so every
bit must match. Strides (1, 2), padding 1, 8 channels.
"""
import sys

import numpy as np

from compute_ref import same_bits

N, C, H, W, KH, KW = 3, 8, 7, 9, 3, 3
STRIDE, PAD = (1, 2), 1
OH = (H + 2 * PAD - KH) // STRIDE[0] + 1
OW = (W + 2 * PAD - KW) // STRIDE[1] + 1


def operands():
    rng = np.random.default_rng(7)
    x = rng.standard_normal((N, H, W, C)).astype(np.float32)
    w = rng.standard_normal((C, 1, KH, KW)).astype(np.float32)
    return x, w


def reference(x, w):
    xp = np.pad(x.transpose(0, 3, 1, 2), ((0, 0), (0, 0), (PAD, PAD), (PAD, PAD)))
    acc = np.zeros((N, C, OH, OW), np.float32)
    for i in range(KH):
        for j in range(KW):
            patch = xp[:, :, i:i + STRIDE[0] * (OH - 1) + 1:STRIDE[0],
                       j:j + STRIDE[1] * (OW - 1) + 1:STRIDE[1]]
            acc = acc + patch * w[:, 0, i, j][None, :, None, None]
    return acc.transpose(0, 2, 3, 1)


def mlir(w):
    weights = np.array2string(w.reshape(C, 1, 1, KH, KW), separator=", ",
                              threshold=sys.maxsize, floatmode="unique")
    hp, wp = H + 2 * PAD, W + 2 * PAD
    return f"""func.func @dw(%x: tensor<?x{H}x{W}x{C}xf32>) -> tensor<?x{OH}x{OW}x{C}xf32> {{
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %zero = arith.constant 0.0 : f32
  %w = arith.constant dense<{weights}> : tensor<{C}x1x1x{KH}x{KW}xf32>
  %n = tensor.dim %x, %c0 : tensor<?x{H}x{W}x{C}xf32>
  %e0 = tensor.empty(%n) : tensor<?x{C}x{H}x{W}xf32>
  %t = linalg.transpose ins(%x : tensor<?x{H}x{W}x{C}xf32>) outs(%e0 : tensor<?x{C}x{H}x{W}xf32>) permutation = [0, 3, 1, 2]
  %p = tensor.pad %t low[0, 0, {PAD}, {PAD}] high[0, 0, {PAD}, {PAD}] {{
  ^bb0(%i0: index, %i1: index, %i2: index, %i3: index):
    tensor.yield %zero : f32
  }} : tensor<?x{C}x{H}x{W}xf32> to tensor<?x{C}x{hp}x{wp}xf32>
  %cc = arith.constant {C} : index
  %chp = arith.constant {hp} : index
  %cwp = arith.constant {wp} : index
  %s5 = tensor.from_elements %n, %cc, %c1, %chp, %cwp : tensor<5xindex>
  %g = tensor.reshape %p(%s5) : (tensor<?x{C}x{hp}x{wp}xf32>, tensor<5xindex>) -> tensor<?x{C}x1x{hp}x{wp}xf32>
  %e1 = tensor.empty(%n) : tensor<?x{C}x1x{OH}x{OW}xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e1 : tensor<?x{C}x1x{OH}x{OW}xf32>) -> tensor<?x{C}x1x{OH}x{OW}xf32>
  %y = linalg.conv_2d_ngchw_gfchw {{dilations = dense<1> : tensor<2xi64>, strides = dense<[{STRIDE[0]}, {STRIDE[1]}]> : tensor<2xi64>}} ins(%g, %w : tensor<?x{C}x1x{hp}x{wp}xf32>, tensor<{C}x1x1x{KH}x{KW}xf32>) outs(%init : tensor<?x{C}x1x{OH}x{OW}xf32>) -> tensor<?x{C}x1x{OH}x{OW}xf32>
  %coh = arith.constant {OH} : index
  %cow = arith.constant {OW} : index
  %s4 = tensor.from_elements %n, %cc, %coh, %cow : tensor<4xindex>
  %r = tensor.reshape %y(%s4) : (tensor<?x{C}x1x{OH}x{OW}xf32>, tensor<4xindex>) -> tensor<?x{C}x{OH}x{OW}xf32>
  %e2 = tensor.empty(%n) : tensor<?x{OH}x{OW}x{C}xf32>
  %u = linalg.transpose ins(%r : tensor<?x{C}x{OH}x{OW}xf32>) outs(%e2 : tensor<?x{OH}x{OW}x{C}xf32>) permutation = [0, 2, 3, 1]
  return %u : tensor<?x{OH}x{OW}x{C}xf32>
}}
"""


def main(argv):
    x, w = operands()
    if argv[1] == "gen":
        with open(f"{argv[2]}/dw.mlir", "w") as f:
            f.write(mlir(w))
        np.save(f"{argv[2]}/x.npy", x)
        return 0
    expected = reference(x, w)
    got = np.load(argv[3])["output_0"]
    if not same_bits("dw", got, expected):
        return 1
    print(f"OK dw {'x'.join(map(str, got.shape))}: bit-identical")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
