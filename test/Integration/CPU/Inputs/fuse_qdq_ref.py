#!/usr/bin/env python3
"""NumPy integer reference for test/Integration/CPU/fuse-qdq.mlir.

  fuse_qdq_ref.py gen DIR                    writes DIR/x.npy, DIR/a.npy
  fuse_qdq_ref.py check CASE IN.npy FUSED.npz FLOAT.npz
      compares quant-run's output_0 of the fused module with the integer
      reference exactly, and with the unfused float QDQ module within one
      step; prints "OK CASE N elements".

The constants and types repeat those of fuse-qdq.mlir. The reference follows
QntOps.td and the qnt-fuse-qdq description: weights quantized per channel
(f32 division, half to even, clamped to [-127, 127]); bias
round_half_even(f32(b) / (f32(s_x) * f32(s_w))); i32 accumulation of
zero-point-adjusted products; round_half_even(f32(acc + bias) * M) + zp
with M = f32(f32(s_x * s_w) / s_y) from the f32 scales, clamped. The global
average pool: round_half_even(f32(sum(q) - zp_x * H * W) * M) + zp_y with
M = f32(s_x) / (f32(s_y) * f32(H * W)) (ONNX Runtime's
QLinearGlobalAveragePool), clamped.
"""
import sys

import numpy as np

F = np.float32
CONV_W = np.array([[[[0.075, 0.238, 0.165], [-0.165, -0.120, 0.224], [-0.297, 0.193, 0.178]], [[-0.019, -0.118, -0.133], [-0.147, -0.033, 0.003], [0.032, 0.297, 0.176]]], [[[0.073, 0.293, -0.171], [-0.204, 0.068, -0.274], [-0.279, 0.009, -0.020]], [[0.250, 0.078, 0.008], [-0.002, -0.151, -0.293], [-0.185, 0.115, -0.180]]], [[[-0.078, -0.298, 0.198], [-0.207, -0.139, 0.228], [0.006, 0.208, 0.084]], [[0.145, -0.245, 0.025], [0.005, 0.223, -0.083], [0.059, -0.264, -0.067]]]], F)
CONV_B = np.array([-0.177, -0.350, 0.316], F)
CONV_SX, CONV_ZX = 0.05, 3
CONV_SW = np.array([0.0024, 0.0023, 0.00235])
CONV_SY, CONV_ZY = 0.08, 20
MM_W = np.array([[-0.121, 0.479, 0.090, 0.105, 0.138, 0.176, -0.349, -0.060], [-0.260, -0.098, -0.403, 0.468, -0.285, 0.172, -0.200, 0.374], [0.162, -0.368, 0.345, 0.445, 0.404, 0.070, -0.355, -0.308]], F)
MM_B = np.array([0.856, 0.105, -0.639], F)
MM_SA, MM_ZA = 0.5, -1
MM_SW = np.array([0.004, 0.0038, 0.0036])
MM_SY, MM_ZY = 0.3, 2


def quantize_weights(w, scales):
    s = scales.astype(F).reshape((-1,) + (1,) * (w.ndim - 1))
    return np.clip(np.rint(w / s), -127, 127).astype(np.int64)


def quantize_bias(b, sx, sw):
    return np.rint(b / (F(sx) * sw.astype(F))).astype(np.int64)


def multipliers(sx, sw, sy):
    return (F(sx) * sw.astype(F)) / F(sy)


def requantize(acc, multipliers, zp, lo, hi):
    value = acc.astype(F) * multipliers
    return np.clip(np.rint(value).astype(np.int64) + zp, lo, hi)


def conv_reference(x):
    xq = np.pad(x.astype(np.int64) - CONV_ZX, ((0, 0), (0, 0), (1, 1), (1, 1)))
    wq = quantize_weights(CONV_W, CONV_SW)
    n, _, h, w = x.shape
    acc = np.zeros((n, wq.shape[0], h, w), np.int64)
    for i in range(3):
        for j in range(3):
            acc += np.einsum("nchw,fc->nfhw", xq[:, :, i:i + h, j:j + w],
                             wq[:, :, i, j])
    acc += quantize_bias(CONV_B, CONV_SX, CONV_SW).reshape(1, -1, 1, 1)
    m = multipliers(CONV_SX, CONV_SW, CONV_SY).reshape(1, -1, 1, 1)
    # ReLU: clamp_min = zp_y.
    return requantize(acc, m, CONV_ZY, CONV_ZY, 255)


def matmul_reference(a):
    wq = quantize_weights(MM_W, MM_SW)
    acc = (a.astype(np.int64) - MM_ZA) @ wq.T
    acc += quantize_bias(MM_B, MM_SA, MM_SW)
    return requantize(acc, multipliers(MM_SA, MM_SW, MM_SY), MM_ZY, -128, 127)


GAP_SX, GAP_ZX = 0.0604, 3
GAP_SY, GAP_ZY = 0.0195, 0


def gap_reference(x):
    count = x.shape[2] * x.shape[3]
    acc = x.astype(np.int64).sum(axis=(2, 3), keepdims=True) - GAP_ZX * count
    m = F(GAP_SX) / (F(GAP_SY) * F(count))
    return np.clip(np.rint(acc.astype(F) * m).astype(np.int64) + GAP_ZY, 0, 255)


def main():
    if sys.argv[1] == "gen":
        rng = np.random.default_rng(11)
        x = rng.integers(0, 256, size=(2, 2, 6, 6)).astype(np.uint8)
        x.flat[:4] = [0, 255, CONV_ZX, 254]
        np.save(sys.argv[2] + "/x.npy", x)
        a = rng.integers(-128, 128, size=(8, 8)).astype(np.int8)
        a.flat[:3] = [-128, 127, MM_ZA]
        np.save(sys.argv[2] + "/a.npy", a)
        g = rng.integers(0, 256, size=(4, 64, 7, 7)).astype(np.uint8)
        g[0, 0] = 255
        g[0, 1] = 0
        np.save(sys.argv[2] + "/g.npy", g)
        return 0
    case, inp, fused, unfused = sys.argv[2:6]
    x = np.load(inp)
    references = {"conv": conv_reference, "matmul": matmul_reference,
                  "gap": gap_reference}
    expected = references[case](x)
    got = np.load(fused)["output_0"].astype(np.int64)
    float_qdq = np.load(unfused)["output_0"].astype(np.int64)
    if got.shape != expected.shape or not np.array_equal(got, expected):
        bad = np.argwhere(got != expected)[:5]
        print("FAIL", case, "reference mismatch at", bad.tolist(),
              [(int(got[tuple(i)]), int(expected[tuple(i)])) for i in bad])
        return 1
    steps = np.abs(got - float_qdq)
    if steps.max() > 1:
        print("FAIL", case, "fused and float QDQ differ by", steps.max())
        return 1
    print("OK", case, got.size, "elements;", int((steps == 1).sum()),
          "differ from float QDQ by one step")
    return 0


if __name__ == "__main__":
    sys.exit(main())
