#!/usr/bin/env python3
"""NumPy reference for qnt.matmul, qnt.conv2d, qnt.add and qnt.mul.

  compute_ref.py gen CASE DIR     writes DIR/<operand>.npy for CASE
  compute_ref.py check CASE DIR OUT.npz
                                  compares quant-run's output_0 with the
                                  reference, exactly, and prints OK.

Every case below mirrors one function of compute.mlir (same types and
attributes). The reference is written from docs/semantics.md and QntOps.td
with plain integer and float32 NumPy arithmetic, independently of the
compiler's C++.
"""
import sys
from fractions import Fraction

import numpy as np

I8, U8, I16 = (-128, 127, np.int8), (0, 255, np.uint8), (-32768, 32767, np.int16)


def rand(rng, shape, storage):
    lo, hi, dtype = storage
    return rng.integers(lo, hi + 1, size=shape).astype(dtype)


def fixed_point(real):
    """Q31 multiplier and shift, rounded half to even (QuantMath)."""
    fraction, exponent = np.frexp(real)
    multiplier = int(np.rint(np.ldexp(fraction, 31)))
    if multiplier == 1 << 31:
        multiplier //= 2
        exponent += 1
    return multiplier, 31 - exponent


def apply_scale(value, real):
    """TOSA apply_scale_32, single round, saturated to int32 (Python ints)."""
    multiplier, shift = fixed_point(real)
    value = np.asarray(value, dtype=object)
    result = (value * multiplier + (1 << (shift - 1))) >> shift
    return np.clip(result, -(1 << 31), (1 << 31) - 1)


def multipliers(sx, sw, sy, mode):
    """M = s_x * s_w / s_y per channel: in float mode as ONNX Runtime
    computes it, f32(f32(s_x * s_w) / s_y) from the f32 scales; in integer
    mode in double (then made Q31)."""
    sw = np.asarray(sw, np.float64)
    if mode == "float":
        f32 = np.float32
        return (f32(sx) * sw.astype(f32)) / f32(sy)
    return sx * sw / sy


def round_f32(exact):
    """The float32 nearest to a Fraction, ties to even."""
    guess = np.float32(float(exact))
    candidates = [guess, np.nextafter(guess, np.float32(-np.inf)),
                  np.nextafter(guess, np.float32(np.inf))]
    return min(candidates, key=lambda c: (abs(Fraction(float(c)) - exact),
                                          int(c.view(np.uint32)) & 1))


def fma_f32(x, y, z):
    """x * y + z on float32 values, exact and rounded once to float32."""
    x, y, z = np.broadcast_arrays(*(np.asarray(v, np.float32)
                                    for v in (x, y, z)))
    out = np.empty(x.shape, np.float32)
    for i in np.ndindex(x.shape):
        out[i] = round_f32(Fraction(float(x[i])) * Fraction(float(y[i]))
                           + Fraction(float(z[i])))
    return out


def requantize(acc, multipliers, zp, lo, hi, mode):
    """acc: int64 array, channel on the last axis of `multipliers`'s use."""
    if mode == "float":
        value = acc.astype(np.float32) * np.asarray(multipliers, np.float32)
        q = np.rint(value).astype(np.int64) + zp
    else:
        acc = np.clip(acc, -(1 << 31), (1 << 31) - 1)
        ms = np.broadcast_to(np.asarray(multipliers, np.float64), acc.shape)
        q = np.vectorize(lambda a, m: int(apply_scale(int(a), m)))(acc, ms)
        q = q.astype(np.int64) + zp
    return np.clip(q, lo, hi)


def conv_nchw(x, w, stride, pad, dilation, groups, zp_x, zp_w):
    """Direct convolution in int64 with zero-point padding."""
    n, c, h, wd = x.shape
    f, cg, kh, kw = w.shape
    xp = np.pad(x.astype(np.int64) - zp_x,
                ((0, 0), (0, 0), (pad[0], pad[2]), (pad[1], pad[3])))
    wz = w.astype(np.int64) - np.asarray(zp_w).reshape(-1, 1, 1, 1)
    oh = (h + pad[0] + pad[2] - dilation[0] * (kh - 1) - 1) // stride[0] + 1
    ow = (wd + pad[1] + pad[3] - dilation[1] * (kw - 1) - 1) // stride[1] + 1
    out = np.zeros((n, f, oh, ow), np.int64)
    fg = f // groups
    for fi in range(f):
        g = fi // fg
        for i in range(kh):
            for j in range(kw):
                ys = i * dilation[0]
                xs = j * dilation[1]
                patch = xp[:, g * cg:(g + 1) * cg,
                           ys:ys + stride[0] * (oh - 1) + 1:stride[0],
                           xs:xs + stride[1] * (ow - 1) + 1:stride[1]]
                out[:, fi] += np.einsum("nchw,c->nhw", patch, wz[fi, :, i, j])
    return out


def case_matmul(rng, mode):
    # lhs u8 (0.05, 128); rhs i8 per axis 1 scales (0.02, 0.01, 0.04, 0.03)
    # zp (0, 0, 0, 0); result i8 (0.3, -3); bias; clamp_min = -3 (ReLU).
    a, w = rand(rng, (5, 16), U8), rand(rng, (16, 4), I8)
    b = rng.integers(-2000, 2000, size=4).astype(np.int32)
    acc = (a.astype(np.int64) - 128) @ w.astype(np.int64) + b
    m = multipliers(0.05, [0.02, 0.01, 0.04, 0.03], 0.3, mode)
    return {"a": a, "w": w, "b": b}, requantize(acc, m, -3, -3, 127, mode).astype(np.int8)


def case_batch_matmul_i32(rng, _):
    # lhs i8 (0.5, 3), rhs i8 (0.25, -2), raw i32 accumulators.
    a, w = rand(rng, (2, 3, 7), I8), rand(rng, (2, 7, 5), I8)
    acc = np.matmul(a.astype(np.int64) - 3, w.astype(np.int64) + 2)
    return {"a": a, "w": w}, acc.astype(np.int32)


def case_matmul_extremes(rng, mode):
    # Zero-point adjusted operands leave 8 bits: u8 zp 0 vs i8 zp 127.
    a = np.full((2, 64), 255, np.uint8)
    a[1] = 0
    w = np.full((64, 3), -128, np.int8)
    acc = a.astype(np.int64) @ (w.astype(np.int64) - 127)
    return {"a": a, "w": w}, acc.astype(np.int32)


def case_conv_nchw(rng, mode):
    # input u8 (0.1, 100) [2,4,9,9]; filter i8 per axis 0 (4 scales, zp 0)
    # [4,2,3,3], groups 2, strides (2,1), padding (1,2,0,1), dilations (1,2);
    # bias; result u8 (0.5, 10).
    x, w = rand(rng, (2, 4, 9, 9), U8), rand(rng, (4, 2, 3, 3), I8)
    b = rng.integers(-500, 500, size=4).astype(np.int32)
    acc = conv_nchw(x, w, (2, 1), (1, 2, 0, 1), (1, 2), 2, 100, 0)
    acc += b.reshape(1, -1, 1, 1)
    m = multipliers(0.1, [0.05, 0.02, 0.01, 0.04], 0.5, mode).reshape(1, -1, 1, 1)
    return {"x": x, "w": w, "b": b}, requantize(acc, m, 10, 0, 255, mode).astype(np.uint8)


def case_conv_nhwc_depthwise(rng, mode):
    # input i8 (0.05, -1) [1,6,6,3] NHWC; filter i8 (0.02, 0) [3,3,1,3]
    # (HWCF), groups 3, padding 1; result i8 (0.1, 0), clamp [0, 100].
    x, w = rand(rng, (1, 6, 6, 3), I8), rand(rng, (3, 3, 1, 3), I8)
    acc = conv_nchw(x.transpose(0, 3, 1, 2), w.transpose(3, 2, 0, 1),
                    (1, 1), (1, 1, 1, 1), (1, 1), 3, -1, 0)
    acc = acc.transpose(0, 2, 3, 1)
    q = requantize(acc, multipliers(0.05, 0.02, 0.1, mode), 0, 0, 100, mode)
    return {"x": x, "w": w}, q.astype(np.int8)


def case_add(rng, mode):
    # lhs u8 (0.1, 120), rhs u8 (0.05, 30), result u8 (0.12, 60).
    a, b = rand(rng, (4, 33), U8), rand(rng, (4, 33), U8)
    ca, cb = a.astype(np.int64) - 120, b.astype(np.int64) - 30
    if mode == "float":
        # ONNX Runtime's QLinearAdd on the stored values.
        f32 = np.float32
        ra, rb = f32(0.1) / f32(0.12), f32(0.05) / f32(0.12)
        c = f32(60) - fma_f32(ra, f32(120), rb * f32(30))
        s = fma_f32(a.astype(f32), ra, fma_f32(b.astype(f32), rb, c))
        q = np.rint(s).astype(np.int64)
    else:
        twice = 2 * max(0.1, 0.05)
        ra = apply_scale(ca << 20, 0.1 / twice)
        rb = apply_scale(cb << 20, 0.05 / twice)
        q = apply_scale(ra + rb, twice / (2**20 * 0.12)).astype(np.int64) + 60
    return {"a": a, "b": b}, np.clip(q, 0, 255).astype(np.uint8)


def case_mul(rng, mode):
    # lhs i8 (0.1, 5), rhs i8 (0.2, -7), result i8 (0.25, -1).
    a, b = rand(rng, (3, 17), I8), rand(rng, (3, 17), I8)
    product = (a.astype(np.int64) - 5) * (b.astype(np.int64) + 7)
    if mode == "float":
        # ONNX Runtime's QLinearMul: the zero point added in f32.
        value = product.astype(np.float32) * multipliers(0.1, 0.2, 0.25, mode)
        q = np.rint(value + np.float32(-1)).astype(np.int64)
    else:
        q = apply_scale(product, 0.1 * 0.2 / 0.25).astype(np.int64) - 1
    return {"a": a, "b": b}, np.clip(q, -128, 127).astype(np.int8)


def case_matmul_multiplier(rng, mode):
    # lhs i8 (0.1, 0) [256, 1] holding every value once; rhs i8 (0.2, 0) = 1;
    # result i8 (0.2, 0). M = f32(f32(0.1) * f32(0.2)) / f32(0.2) is the f32
    # 0x3dccccce, one unit above f32(0.1 * 0.2 / 0.2): a = 5 gives
    # 0.5000000447 -> 1 with it, 0.5 -> 0 with the other.
    a = np.arange(-128, 128, dtype=np.int8).reshape(256, 1)
    w = np.ones((1, 1), np.int8)
    m = multipliers(0.1, 0.2, 0.2, mode)
    return {"a": a, "w": w}, requantize(a.astype(np.int64), m, 0, -128, 127,
                                        mode).astype(np.int8)


def case_mul_ties(rng, mode):
    # lhs and rhs i8 (0.5, 0), result i8 (0.5, 1): M = 0.5, so odd products
    # are ties, decided after the zero point 1 is added (ONNX Runtime's
    # QLinearMul): 3 * 0.5 + 1 = 2.5 -> 2, 1 * 0.5 + 1 = 1.5 -> 2.
    a = np.repeat(np.arange(-12, 12, dtype=np.int8), 24).reshape(24, 24)
    b = np.tile(np.arange(-12, 12, dtype=np.int8), 24).reshape(24, 24)
    product = a.astype(np.int64) * b.astype(np.int64)
    value = product.astype(np.float32) * multipliers(0.5, 0.5, 0.5, mode)
    q = np.rint(value + np.float32(1)).astype(np.int64)
    return {"a": a, "b": b}, np.clip(q, -128, 127).astype(np.int8)


CASES = {
    "matmul": (case_matmul, "float"),
    "matmul_int": (case_matmul, "integer"),
    "batch_matmul_i32": (case_batch_matmul_i32, None),
    "matmul_extremes": (case_matmul_extremes, None),
    "conv_nchw": (case_conv_nchw, "float"),
    "conv_nchw_int": (case_conv_nchw, "integer"),
    "conv_nhwc_depthwise": (case_conv_nhwc_depthwise, "float"),
    "add": (case_add, "float"),
    "add_int": (case_add, "integer"),
    "mul": (case_mul, "float"),
    "mul_int": (case_mul, "integer"),
    "matmul_multiplier": (case_matmul_multiplier, "float"),
    "mul_ties": (case_mul_ties, "float"),
}


def same_bits(name, got, expected):
    """Whether got has expected's dtype, shape and bits (floats compared as
    their bit patterns); prints the first differences otherwise."""
    if got.dtype != expected.dtype or got.shape != expected.shape:
        print(f"FAIL {name}: got {got.dtype}{got.shape}, "
              f"expected {expected.dtype}{expected.shape}")
        return False
    unsigned = f"u{got.dtype.itemsize}"
    bad = np.argwhere(got.view(unsigned) != expected.view(unsigned))
    for index in bad[:5]:
        index = tuple(index)
        print(f"FAIL {name} at {index}: expected {expected[index]!r}, "
              f"got {got[index]!r}")
    if len(bad):
        print(f"FAIL {name}: {len(bad)} of {got.size} elements differ")
        return False
    return True


def build(name):
    fn, mode = CASES[name]
    return fn(np.random.default_rng(sum(map(ord, name))), mode)


def main(argv):
    if argv[1] == "gen":
        operands, _ = build(argv[2])
        for key, value in operands.items():
            np.save(f"{argv[3]}/{key}.npy", value)
        return 0
    _, expected = build(argv[2])
    got = np.load(argv[4])["output_0"]
    if not same_bits(argv[2], got, expected):
        return 1
    print(f"OK {argv[2]} {got.size} elements")
    return 0

if __name__ == "__main__":
    sys.exit(main(sys.argv))
