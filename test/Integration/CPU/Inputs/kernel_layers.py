#!/usr/bin/env python3
"""Layers with constant weights, as the int8 kernel library runs them.

  kernel_layers.py gen DIR          writes DIR/layers.mlir (one function per
                                    case, weights and bias as constants) and
                                    DIR/<case>.npy (the input)
  kernel_layers.py check-all DIR QUANT_RUN LIBRARY.so
                                    runs every case with QUANT_RUN through
                                    the JIT (kernels and generic loops) and
                                    the shared library (also with
                                    QUANT_MAX_CPU_ISA=avx512, avx2,
                                    avx2_vnni and portable), compares
                                    output_0 with the NumPy reference of
                                    compute_ref.py exactly and the seven
                                    runs byte for byte,
                                    and prints OK.

The cases cover what the kernels special-case: M = 1, odd K, deep K, N that is not
a multiple of 64 and wider than one parallel column block, zero points on
both operands, s8 and u8 inputs, float and integer requantization, i32
results, clamps, NCHW and NHWC convolutions with strides, dilations and
asymmetric padding, dynamic batches, inputs that are strided views, and max
pools of a convolution's result as the ONNX frontend writes them (a
linalg.generic on storage), which the kernels take into the layer.
"""
import os
import subprocess
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from compute_ref import (I8, U8, conv_nchw, multipliers, rand,  # noqa: E402
                         requantize)

# name: (kind, input shape, options)
CASES = {
    "mm_m1": ("matmul", dict(m=1, k=37, n=10, x=(U8, 0.02, 3),
                             w_zp=None, bias=True, mode="float",
                             y=(U8, 5), clamp=(5, None))),
    "mm_tail": ("matmul", dict(m=101, k=131, n=600, x=(I8, 0.03, -7),
                               w_zp=True, bias=True, mode="integer",
                               y=(I8, -3), clamp=(None, None), dynamic=True)),
    "mm_i32": ("matmul", dict(m=13, k=64, n=70, x=(U8, 0.1, 200),
                              w_zp=2, bias=False, mode="float", y=None,
                              clamp=(None, None))),
    "mm_amx": ("matmul", dict(m=200, k=300, n=100, x=(U8, 0.01, 0),
                              w_zp=None, bias=True, mode="float",
                              y=(I8, 0), clamp=(-20, 90), dynamic=True)),
    # Deep enough that acc + bias may leave f32's exact integers (the
    # kernels then convert through i64).
    "mm_deep": ("matmul", dict(m=20, k=1200, n=40, x=(U8, 0.01, 9),
                               w_zp=None, bias=True, mode="float",
                               y=(I8, 2), clamp=(None, None))),
    # Requantized in the VNNI microkernel's epilogue: s8 input, weight zero
    # points, three passes over K and partial tiles of rows and columns.
    "mm_fused": ("matmul", dict(m=45, k=1100, n=150, x=(I8, 0.02, -3),
                                w_zp=True, bias=True, mode="float",
                                y=(U8, 100), clamp=(None, None))),
    # Enough work (8M multiply-adds and more) to run on several threads:
    # tasks of rows, and with fewer than 48 rows a thread, of columns.
    "mm_rows": ("matmul", dict(m=200, k=400, n=110, x=(U8, 0.01, 60),
                               w_zp=None, bias=True, mode="float",
                               y=(U8, 7), clamp=(None, None))),
    "mm_cols": ("matmul", dict(m=48, k=416, n=424, x=(I8, 0.01, 4),
                               w_zp=True, bias=True, mode="integer",
                               y=(I8, -1), clamp=(None, None))),
    "mm_slice": ("matmul", dict(m=4, k=37, n=12, x=(U8, 0.05, 17),
                                w_zp=None, bias=True, mode="float",
                                y=(U8, 128), clamp=(None, None),
                                slice=True)),
    "conv_s2": ("conv", dict(batch=3, c=5, h=11, w=11, f=7, kh=3, kw=3,
                             stride=(2, 2), pad=(1, 0, 2, 1), dil=(1, 1),
                             x=(U8, 0.05, 128), w_zp=None, bias=True,
                             mode="float", y=(U8, 10), clamp=(10, None),
                             layout="nchw", dynamic=True)),
    "conv_dil": ("conv", dict(batch=2, c=3, h=9, w=10, f=70, kh=3, kw=2,
                              stride=(1, 1), pad=(0, 0, 0, 0), dil=(2, 1),
                              x=(I8, 0.04, 5), w_zp=True, bias=True,
                              mode="integer", y=(I8, 0), clamp=(None, None),
                              layout="nchw")),
    # At most 64 reductions with u8 inputs and no weight zero points run
    # per row in registers: one channel (K = 9, two column vectors), and a
    # matmul whose 70 columns span two panels.
    "conv_c1": ("conv", dict(batch=2, c=1, h=9, w=7, f=20, kh=3, kw=3,
                             stride=(1, 1), pad=(1, 1, 1, 1), dil=(1, 1),
                             x=(U8, 0.02, 37), w_zp=None, bias=True,
                             mode="float", y=(U8, 3), clamp=(3, None),
                             layout="nchw")),
    # NHWC convolutions with u8 inputs are read in place (no im2col): one
    # channel with strides, a vertical dilation, padding wider than a pixel
    # and 70 columns; two channels by two taps (4-byte kernel rows).
    "conv_c1_s2": ("conv", dict(batch=3, c=1, h=11, w=13, f=70, kh=5, kw=4,
                                stride=(2, 3), pad=(2, 3, 1, 2), dil=(2, 1),
                                x=(U8, 0.03, 200), w_zp=None, bias=True,
                                mode="float", y=(I8, -3), clamp=(None, None),
                                layout="nhwc", dynamic=True)),
    "conv_c2": ("conv", dict(batch=2, c=2, h=6, w=5, f=16, kh=3, kw=2,
                             stride=(1, 1), pad=(0, 1, 2, 0), dil=(1, 1),
                             x=(U8, 0.05, 0), w_zp=None, bias=True,
                             mode="float", y=(U8, 7), clamp=(7, 250),
                             layout="nhwc")),
    # Deeper in-place convolutions: 16 channels over 14-pixel output rows as
    # in the bundled CNN (one block per row), 3 channels (kernel rows of 9
    # bytes read as 12 against zero weights) with 40 columns, 8 channels
    # with strides and a vertical dilation over 70 columns, and a 1 x 1
    # kernel over 5 channels (pixels 5 bytes apart; 8-pixel rows, shorter
    # than a block of 14: blocks run across output rows).
    "conv_c16": ("conv", dict(batch=3, c=16, h=9, w=14, f=16, kh=3, kw=3,
                              stride=(1, 1), pad=(1, 1, 1, 1), dil=(1, 1),
                              x=(U8, 0.02, 11), w_zp=None, bias=True,
                              mode="float", y=(U8, 0), clamp=(0, None),
                              layout="nhwc", dynamic=True)),
    "conv_c3": ("conv", dict(batch=2, c=3, h=10, w=9, f=40, kh=3, kw=3,
                             stride=(1, 1), pad=(1, 2, 0, 1), dil=(1, 1),
                             x=(U8, 0.03, 128), w_zp=None, bias=True,
                             mode="float", y=(I8, 4), clamp=(None, 100),
                             layout="nhwc")),
    "conv_c8_s2": ("conv", dict(batch=2, c=8, h=13, w=12, f=70, kh=3, kw=2,
                                stride=(2, 2), pad=(2, 1, 1, 0),
                                dil=(2, 1), x=(U8, 0.02, 90), w_zp=None,
                                bias=True, mode="float", y=(U8, 20),
                                clamp=(None, None), layout="nhwc",
                                dynamic=True)),
    "conv_1x1_c5": ("conv", dict(batch=4, c=5, h=7, w=8, f=12, kh=1, kw=1,
                                 stride=(1, 1), pad=(0, 0, 0, 0),
                                 dil=(1, 1), x=(U8, 0.05, 3), w_zp=None,
                                 bias=True, mode="float", y=(U8, 60),
                                 clamp=(None, None), layout="nhwc")),
    # Depthwise convolutions (groups = C = F): u8 inputs without weight
    # zero points in the float mode run per pixel in registers (16 channels;
    # 40 channels NCHW with strides, a horizontal dilation and asymmetric
    # padding); s8 inputs with weight zero points in the integer mode, and
    # i32 results, take the portable path.
    "dw_c16": ("conv", dict(batch=3, c=16, h=9, w=10, f=16, kh=3, kw=3,
                            stride=(1, 1), pad=(1, 1, 1, 1), dil=(1, 1),
                            x=(U8, 0.02, 9), w_zp=None, bias=True,
                            mode="float", y=(U8, 5), clamp=(5, None),
                            layout="nhwc", groups=16, dynamic=True)),
    "dw_c40_s2": ("conv", dict(batch=2, c=40, h=11, w=12, f=40, kh=3, kw=2,
                               stride=(2, 2), pad=(1, 0, 2, 1), dil=(1, 2),
                               x=(U8, 0.03, 140), w_zp=None, bias=True,
                               mode="float", y=(I8, -2), clamp=(None, None),
                               layout="nchw", groups=40)),
    "dw_s8_zp": ("conv", dict(batch=2, c=20, h=7, w=6, f=20, kh=3, kw=3,
                              stride=(1, 1), pad=(1, 1, 1, 1), dil=(1, 1),
                              x=(I8, 0.04, -3), w_zp=True, bias=True,
                              mode="integer", y=(I8, 1), clamp=(None, None),
                              layout="nhwc", groups=20)),
    "dw_i32": ("conv", dict(batch=2, c=8, h=6, w=6, f=8, kh=2, kw=2,
                            stride=(1, 1), pad=(0, 0, 1, 1), dil=(1, 1),
                            x=(U8, 0.1, 100), w_zp=None, bias=False,
                            mode="float", y=None, clamp=(None, None),
                            layout="nhwc", groups=8)),
    # Max pools fused into the layer: 2 x 2 over an odd 10 x 15 output as in
    # the bundled CNN (sums pooled in registers, a partial block per row;
    # 105 pooled rows, so the second call starts inside a pooled row);
    # 3 x 2 windows over one channel and 20 columns; 70 columns NHWC with
    # s8 results; overlapping 3 x 3 windows with stride 2 after an s8
    # input, weight zero points and the integer mode, and a depthwise
    # convolution (both pool the unpooled results).
    "pool_c16": ("conv", dict(batch=3, c=16, h=10, w=15, f=16, kh=3, kw=3,
                              stride=(1, 1), pad=(1, 1, 1, 1), dil=(1, 1),
                              x=(U8, 0.02, 11), w_zp=None, bias=True,
                              mode="float", y=(U8, 0), clamp=(0, None),
                              layout="nchw", dynamic=True,
                              pool=(2, 2, 2, 2))),
    "pool_c1": ("conv", dict(batch=2, c=1, h=12, w=12, f=20, kh=3, kw=3,
                             stride=(1, 1), pad=(1, 1, 1, 1), dil=(1, 1),
                             x=(U8, 0.02, 37), w_zp=None, bias=True,
                             mode="float", y=(U8, 3), clamp=(3, None),
                             layout="nchw", pool=(3, 2, 3, 2))),
    "pool_nhwc": ("conv", dict(batch=2, c=8, h=9, w=11, f=70, kh=3, kw=2,
                               stride=(1, 1), pad=(1, 0, 1, 1), dil=(1, 1),
                               x=(U8, 0.02, 90), w_zp=None, bias=True,
                               mode="float", y=(I8, 2), clamp=(None, None),
                               layout="nhwc", dynamic=True,
                               pool=(2, 2, 2, 2))),
    "pool_overlap": ("conv", dict(batch=2, c=5, h=11, w=10, f=24, kh=3,
                                  kw=3, stride=(1, 1), pad=(1, 1, 1, 1),
                                  dil=(1, 1), x=(I8, 0.04, -3), w_zp=True,
                                  bias=True, mode="integer", y=(I8, 1),
                                  clamp=(-50, None), layout="nchw",
                                  pool=(3, 3, 2, 2))),
    "pool_dw": ("conv", dict(batch=2, c=16, h=8, w=8, f=16, kh=3, kw=3,
                             stride=(1, 1), pad=(1, 1, 1, 1), dil=(1, 1),
                             x=(U8, 0.02, 9), w_zp=None, bias=True,
                             mode="float", y=(U8, 5), clamp=(5, None),
                             layout="nchw", groups=16, pool=(2, 2, 2, 2))),
    "mm_k64": ("matmul", dict(m=50, k=64, n=70, x=(U8, 0.02, 250),
                              w_zp=None, bias=True, mode="float",
                              y=(I8, -5), clamp=(None, None))),
    "conv_nhwc": ("conv", dict(batch=2, c=6, h=8, w=8, f=40, kh=3, kw=3,
                               stride=(1, 1), pad=(1, 1, 1, 1), dil=(1, 1),
                               x=(I8, 0.05, -1), w_zp=None, bias=True,
                               mode="float", y=(U8, 0), clamp=(0, 200),
                               layout="nhwc")),
}


def storage_name(storage):
    return "i8" if storage is I8 else "u8"


def qtype(storage, scale, zp):
    return f"!quant.uniform<{storage_name(storage)}:f32, {scale!r}:{zp}>"


def axis_type(axis, scales, zps):
    params = ", ".join(f"{s!r}:{z}" for s, z in zip(scales, zps))
    return f"!quant.uniform<i8:f32:{axis}, {{{params}}}>"


def dense(array):
    return np.array2string(array, separator=", ", threshold=sys.maxsize,
                           max_line_width=sys.maxsize).replace("\n", "")


def shape_str(shape, dynamic):
    dims = ["?" if dynamic and i == 0 else str(d) for i, d in enumerate(shape)]
    return "x".join(dims)


def make(name, kind, o, seed):
    """Returns (MLIR function text, input array, reference output)."""
    rng = np.random.default_rng(seed)
    xs, xscale, xzp = o["x"]
    if kind == "matmul":
        k, n = o["k"], o["n"]
        in_shape = (o["m"], k + 3) if o.get("slice") else (o["m"], k)
        w = rand(rng, (k, n), I8)
        axis = 1
    else:
        c, f, kh, kw = o["c"], o["f"], o["kh"], o["kw"]
        nchw = o["layout"] == "nchw"
        in_shape = ((o["batch"], c, o["h"], o["w"]) if nchw
                    else (o["batch"], o["h"], o["w"], c))
        cg = c // o.get("groups", 1)
        w = rand(rng, (f, cg, kh, kw) if nchw else (kh, kw, cg, f), I8)
        n, axis = f, (0 if nchw else 3)
    x = rand(rng, in_shape, xs)
    wscales = [float(s) for s in rng.uniform(0.005, 0.02, size=n).round(5)]
    if o["w_zp"] is True:
        wzps = [int(z) for z in rng.integers(-5, 6, size=n)]
    else:
        wzps = [o["w_zp"] or 0] * n
    bias = rng.integers(-3000, 3000, size=n).astype(np.int32)

    # Reference accumulators (int64), channels last.
    if kind == "matmul":
        xin = x[:, 2:2 + k] if o.get("slice") else x
        acc = (xin.astype(np.int64) - xzp) @ (
            w.astype(np.int64) - np.array(wzps, np.int64))
    else:
        xn = x if nchw else x.transpose(0, 3, 1, 2)
        wn = w if nchw else w.transpose(3, 2, 0, 1)
        acc = conv_nchw(xn, wn, o["stride"], o["pad"], o["dil"],
                        o.get("groups", 1), xzp,
                        wzps).transpose(0, 2, 3, 1)
    if o["bias"]:
        acc = acc + bias
    if o["y"] is None:
        out = acc.astype(np.int32)
        ytype = "i32"
    else:
        ys, yzp = o["y"]
        yscale = round(xscale * float(np.mean(wscales)) * 40.0, 6)
        lo, hi = ys[0], ys[1]
        cmin, cmax = o["clamp"]
        lo = max(lo, cmin) if cmin is not None else lo
        hi = min(hi, cmax) if cmax is not None else hi
        m = multipliers(xscale, wscales, yscale, o["mode"])
        out = requantize(acc, m, yzp, lo, hi, o["mode"]).astype(ys[2])
        ytype = qtype(ys, yscale, yzp)
    conv_shape = None
    if o.get("pool"):
        conv_shape = (out.transpose(0, 3, 1, 2) if nchw else out).shape
        out = max_pool(out, *o["pool"])
    if kind == "conv" and nchw:
        out = out.transpose(0, 3, 1, 2)

    dyn = o.get("dynamic", False)
    xt = f"tensor<{shape_str(in_shape, dyn)}x{qtype(xs, xscale, xzp)}>"
    wt = axis_type(axis, wscales, wzps)
    wshape = "x".join(map(str, w.shape))
    yt = f"tensor<{shape_str(out.shape, dyn)}x{ytype}>"
    attrs = []
    if o["mode"] == "integer":
        attrs.append("requantize = #qnt.requantize<integer>")
    if o["y"] is not None:
        cmin, cmax = o["clamp"]
        if cmin is not None:
            attrs.append(f"clamp_min = {cmin} : i64")
        if cmax is not None:
            attrs.append(f"clamp_max = {cmax} : i64")
    if kind == "conv":
        attrs.append("layout = #qnt.layout<%s>" % o["layout"])
        attrs.append("strides = array<i64: %d, %d>" % o["stride"])
        attrs.append("padding = array<i64: %d, %d, %d, %d>" % o["pad"])
        attrs.append("dilations = array<i64: %d, %d>" % o["dil"])
        if o.get("groups", 1) != 1:
            attrs.append("groups = %d : i64" % o["groups"])
    attr = (" {" + ", ".join(attrs) + "}") if attrs else ""
    lines = [f"func.func @{name}(%x: {xt}) -> {yt} {{"]
    lhs = "%x"
    if o.get("slice"):
        # A strided view with an offset (the slice is taken on storage:
        # tensor ops do not convert quantized element types).
        full = f"tensor<{o['m']}x{k + 3}xi8>"
        part = f"tensor<{o['m']}x{k}xi8>"
        st = f"tensor<{o['m']}x{k}x{qtype(xs, xscale, xzp)}>"
        lines.append(f"  %xs = quant.scast %x : {xt} to {full}")
        lines.append(f"  %s = tensor.extract_slice %xs[0, 2] [{o['m']}, {k}]"
                     f" [1, 1] : {full} to {part}")
        lines.append(f"  %sq = quant.scast %s : {part} to {st}")
        lhs, xt = "%sq", st
    lines.append(f"  %wc = arith.constant dense<{dense(w)}> : "
                 f"tensor<{wshape}xi8>")
    lines.append(f"  %w = quant.scast %wc : tensor<{wshape}xi8> to "
                 f"tensor<{wshape}x{wt}>")
    op = "qnt.matmul" if kind == "matmul" else "qnt.conv2d"
    operands = f"{lhs}, %w"
    types = f"{xt}, tensor<{wshape}x{wt}>"
    if o["bias"]:
        lines.append(f"  %b = arith.constant dense<{dense(bias)}> : "
                     f"tensor<{n}xi32>")
        operands += " bias %b"
        types += f", tensor<{n}xi32>"
    if o.get("pool"):
        ct = f"tensor<{shape_str(conv_shape, dyn)}x{ytype}>"
        lines.append(f"  %c = {op} {operands}{attr} : {types} -> {ct}")
        lines += pool_lines(o, ys, conv_shape, out.shape, ct, yt)
    else:
        lines.append(f"  %y = {op} {operands}{attr} : {types} -> {yt}")
    lines.append(f"  return %y : {yt}")
    lines.append("}")
    return "\n".join(lines) + "\n", x, out


def max_pool(out, ph, pw, sh, sw):
    """The max pool of a channels-last [B, OH, OW, N] array, without padding,
    partial windows dropped."""
    oh = (out.shape[1] - ph) // sh + 1
    ow = (out.shape[2] - pw) // sw + 1
    pooled = np.full((out.shape[0], oh, ow, out.shape[3]),
                     np.iinfo(out.dtype).min, out.dtype)
    for i in range(ph):
        for j in range(pw):
            pooled = np.maximum(
                pooled, out[:, i:i + sh * (oh - 1) + 1:sh,
                            j:j + sw * (ow - 1) + 1:sw, :])
    return pooled


def pool_lines(o, ys, conv_shape, pooled_shape, ct, yt):
    """The max pool of %c into %y as the ONNX frontend writes it: on
    storage, the init filled with the storage's minimum, the batch size read
    off the convolution's result."""
    ph, pw, sh, sw = o["pool"]
    nchw = o["layout"] == "nchw"
    dyn = o.get("dynamic", False)
    st = f"tensor<{shape_str(conv_shape, dyn)}xi8>"
    pt = f"tensor<{shape_str(pooled_shape, dyn)}xi8>"
    dims = "(d0, d1, d2, d3, d4, d5)"
    window = (f"d0, d1, d2 * {sh} + d4, d3 * {sw} + d5" if nchw
              else f"d0, d1 * {sh} + d4, d2 * {sw} + d5, d3")
    lines = [f"  %cs = quant.scast %c : {ct} to {st}"]
    size = ""
    if dyn:
        lines.append("  %c0 = arith.constant 0 : index")
        lines.append(f"  %n = tensor.dim %c, %c0 : {ct}")
        size = "%n"
    lowest = -128 if ys is I8 else 0
    lines += [
        f"  %e = tensor.empty({size}) : {pt}",
        f"  %lowest = arith.constant {lowest} : i8",
        f"  %init = linalg.fill ins(%lowest : i8) outs(%e : {pt}) -> {pt}",
        f"  %win = tensor.empty() : tensor<{ph}x{pw}xi8>",
        "  %p = linalg.generic {indexing_maps = ["
        f"affine_map<{dims} -> ({window})>, "
        f"affine_map<{dims} -> (d4, d5)>, "
        f"affine_map<{dims} -> (d0, d1, d2, d3)>], iterator_types = "
        '["parallel", "parallel", "parallel", "parallel", "reduction", '
        f'"reduction"]}} ins(%cs, %win : {st}, tensor<{ph}x{pw}xi8>) '
        f"outs(%init : {pt}) {{",
        "  ^bb0(%in: i8, %unused: i8, %acc: i8):",
        f"    %m = arith.{'maxsi' if ys is I8 else 'maxui'} %acc, %in : i8",
        "    linalg.yield %m : i8",
        f"  }} -> {pt}",
        f"  %y = quant.scast %p : {pt} to {yt}",
    ]
    return lines


def main():
    command, directory = sys.argv[1], sys.argv[2]
    results = {}
    text = []
    for seed, (name, (kind, options)) in enumerate(CASES.items()):
        func, x, out = make(name, kind, options, seed)
        text.append(func)
        results[name] = (x, out)
    if command == "gen":
        with open(os.path.join(directory, "layers.mlir"), "w") as f:
            f.write("\n".join(text))
        for name, (x, _) in results.items():
            np.save(os.path.join(directory, f"{name}.npy"), x)
        return 0
    quant_run, library = sys.argv[3], sys.argv[4]
    status = 0
    for name, (_, expected) in results.items():
        outputs = []
        for tag, args, isa in (
                ("kernels", [f"{directory}/layers.mlir"], None),
                ("generic", [f"{directory}/layers.mlir",
                             "--int8-kernels=false"], None),
                ("library", [library], None),
                ("avx512", [library], "avx512"),
                ("avx2", [library], "avx2"),
                ("avx2_vnni", [library], "avx2_vnni"),
                ("portable", [library], "portable")):
            out = f"{directory}/{name}.{tag}.npz"
            env = dict(os.environ)
            env.pop("QUANT_MAX_CPU_ISA", None)
            if isa:
                env["QUANT_MAX_CPU_ISA"] = isa
            subprocess.run([quant_run, *args, f"--function={name}",
                            f"--input={directory}/{name}.npy",
                            f"--output={out}"], check=True,
                           stdout=subprocess.DEVNULL, env=env)
            with open(out, "rb") as f:
                outputs.append(f.read())
        got = np.load(f"{directory}/{name}.kernels.npz")["output_0"]
        if got.dtype != expected.dtype or got.shape != expected.shape:
            print(f"FAIL {name}: got {got.dtype}{list(got.shape)}, expected "
                  f"{expected.dtype}{list(expected.shape)}")
            status = 1
            continue
        bad = np.count_nonzero(got != expected)
        if bad:
            print(f"FAIL {name}: {bad} of {expected.size} elements differ")
            status = 1
            continue
        same = ["identical" if o == outputs[0] else "DIFFERENT"
                for o in outputs[1:]]
        print(f"OK {name} {expected.size} elements, generic loops {same[0]}, "
              f"shared library {same[1]}, at most AVX-512 {same[2]}, "
              f"at most AVX2 {same[3]}, at most AVX-VNNI {same[4]}, "
              f"portable {same[5]}")
    return status

if __name__ == "__main__":
    sys.exit(main())
