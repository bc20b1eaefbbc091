#!/usr/bin/env python3
"""fp32 layers with constant weights, as the fp32 kernels run them.

  float_layers.py gen DIR           writes DIR/layers.mlir (one function per
                                    case, weights as constants) and
                                    DIR/<case>.npy (the input)
  float_layers.py check-all DIR QUANT_RUN
                                    runs every case through the JIT with the
                                    kernels and with generic loops
                                    (--float-kernels=false), compares both
                                    with a float64 NumPy reference (relative
                                    1e-4 of the output's scale) and prints OK.

Cases: M = 1 and M not a multiple of the 6-row tile, N not a multiple of the
32-column panel and wider than one parallel column block, a transposed
weight map (ONNX Gemm transB), convolutions with a zero pad taken as padding,
strides, dilations and a dynamic batch, and max pools after convolutions.
"""
import os
import subprocess
import sys

import numpy as np

CASES = {
    "mm_m1": dict(kind="matmul", m=1, k=37, n=10),
    "mm_wide": dict(kind="matmul", m=13, k=70, n=600, dynamic=True,
                    epilogue="bias"),
    "mm_transposed": dict(kind="matmul", m=20, k=33, n=45, transposed=True),
    # Bias adds and ReLUs after a layer run in its epilogue.
    "conv_pad": dict(kind="conv", batch=3, c=5, h=11, w=9, f=40, kh=3, kw=3,
                     stride=(1, 1), dil=(1, 1), pad=(1, 1, 1, 1),
                     dynamic=True, epilogue="bias_relu"),
    "conv_strided": dict(kind="conv", batch=2, c=3, h=12, w=10, f=7, kh=3,
                         kw=2, stride=(2, 1), dil=(1, 2), pad=(0, 0, 0, 0)),
    # Read in place (no im2col; conv_strided's horizontal dilation is not):
    # 16 channels with strides, a vertical dilation and asymmetric padding
    # (16 columns: the narrow tiles), and one channel over 20 columns.
    "conv_c16_s2": dict(kind="conv", batch=2, c=16, h=9, w=10, f=16, kh=3,
                        kw=3, stride=(2, 2), dil=(2, 1), pad=(1, 2, 1, 0),
                        dynamic=True, epilogue="relu"),
    "conv_c1": dict(kind="conv", batch=2, c=1, h=8, w=7, f=20, kh=3, kw=3,
                    stride=(1, 1), dil=(1, 1), pad=(1, 1, 1, 1)),
    # Narrow tiles (16 columns) whose row step is a constant: 16 channels at
    # stride 1 over 14-pixel rows, one channel over 28-pixel rows.
    "conv_c16_narrow": dict(kind="conv", batch=2, c=16, h=6, w=14, f=16,
                            kh=3, kw=3, stride=(1, 1), dil=(1, 1),
                            pad=(1, 1, 1, 1), epilogue="bias_relu"),
    "conv_c1_narrow": dict(kind="conv", batch=2, c=1, h=5, w=28, f=16, kh=3,
                           kw=3, stride=(1, 1), dil=(1, 1), pad=(1, 1, 1, 1),
                           dynamic=True),
    # A max pool after the epilogue runs in the layer: 2 x 2 windows at
    # stride 2 over an odd width (the last column is dropped), and
    # overlapping 3 x 2 windows at strides (1, 2) read in place and not.
    "conv_pool": dict(kind="conv", batch=3, c=16, h=12, w=13, f=20, kh=3,
                      kw=3, stride=(1, 1), dil=(1, 1), pad=(1, 1, 1, 1),
                      dynamic=True, epilogue="bias_relu", pool=(2, 2, 2, 2)),
    "conv_pool_overlap": dict(kind="conv", batch=2, c=3, h=9, w=11, f=7,
                              kh=2, kw=3, stride=(1, 1), dil=(1, 2),
                              pad=(0, 0, 0, 0), pool=(3, 2, 1, 2)),
    # A 1 x 1 pool into a fill of 0.0 is a maximum with 0.0, not nothing.
    "conv_pool_1x1": dict(kind="conv", batch=2, c=4, h=5, w=6, f=8, kh=3,
                          kw=3, stride=(1, 1), dil=(1, 1), pad=(1, 1, 1, 1),
                          pool=(1, 1, 1, 1), pool_init=0.0),
}


def dense(a):
    return np.array2string(a, separator=", ", threshold=sys.maxsize,
                           max_line_width=sys.maxsize,
                           floatmode="unique").replace("\n", "")


def dims(shape, dynamic):
    return "x".join("?" if dynamic and i == 0 else str(d)
                    for i, d in enumerate(shape))


def epilogue(o, rng, y, yt, channels, ref):
    """The bias add and ReLU generics after %y, as the ONNX importer writes
    them, and the reference with them."""
    kind, text, out = o.get("epilogue", ""), "", "%y"
    rank = len(ref.shape)
    ids = ", ".join(f"d{i}" for i in range(rank))
    if "bias" in kind:
        bias = rng.standard_normal(channels).astype(np.float32)
        shape = [1] * rank
        shape[1] = channels
        bshape = "x".join(map(str, shape))
        bmap = ", ".join("d1" if i == 1 else "0" for i in range(rank))
        par = ", ".join(['"parallel"'] * rank)
        text += f"""
  %bias = arith.constant dense<{dense(bias.reshape(shape))}> : tensor<{bshape}xf32>
  %yb = linalg.generic {{indexing_maps = [affine_map<({ids}) -> ({ids})>, affine_map<({ids}) -> ({bmap})>, affine_map<({ids}) -> ({ids})>], iterator_types = [{par}]}} ins({out}, %bias : {yt}, tensor<{bshape}xf32>) outs(%e : {yt}) {{
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.addf %a, %b : f32
    linalg.yield %s : f32
  }} -> {yt}"""
        out = "%yb"
        ref = ref + bias.astype(np.float64).reshape(shape)
    if "relu" in kind:
        par = ", ".join(['"parallel"'] * rank)
        text += f"""
  %yr = linalg.generic {{indexing_maps = [affine_map<({ids}) -> ({ids})>, affine_map<({ids}) -> ({ids})>], iterator_types = [{par}]}} ins({out} : {yt}) outs(%e : {yt}) {{
  ^bb0(%a: f32, %o: f32):
    %r = arith.maximumf %a, %zero : f32
    linalg.yield %r : f32
  }} -> {yt}"""
        out = "%yr"
        ref = np.maximum(ref, 0.0)
    return text, out, ref


def pool(o, value, vt, ref, dyn):
    """A max pool of `value` as the ONNX importer writes MaxPool (into a
    fill of -inf), and the reference with it."""
    ph, pw, sh, sw = o["pool"]
    b, f, h, w = ref.shape
    oh, ow = (h - ph) // sh + 1, (w - pw) // sw + 1
    pt = f"tensor<{dims((b, f, oh, ow), dyn)}xf32>"
    size = f"tensor.empty(%n) : {pt}" if dyn else f"tensor.empty() : {pt}"
    init = o.get("pool_init", -np.inf)
    literal = "0xFF800000" if init == -np.inf else repr(float(init))
    text = f"""
  %ninf = arith.constant {literal} : f32
  %pe = {size}
  %pinit = linalg.fill ins(%ninf : f32) outs(%pe : {pt}) -> {pt}
  %win = tensor.empty() : tensor<{ph}x{pw}xf32>
  %yp = linalg.pooling_nchw_max {{dilations = dense<1> : tensor<2xi64>, strides = dense<[{sh}, {sw}]> : tensor<2xi64>}} ins({value}, %win : {vt}, tensor<{ph}x{pw}xf32>) outs(%pinit : {pt}) -> {pt}"""
    pooled = np.full((b, f, oh, ow), init)
    for i in range(ph):
        for j in range(pw):
            pooled = np.maximum(pooled, ref[:, :, i:i + sh * (oh - 1) + 1:sh,
                                            j:j + sw * (ow - 1) + 1:sw])
    return text, "%yp", pooled, pt


def make(name, o, seed):
    rng = np.random.default_rng(seed)
    dyn = o.get("dynamic", False)
    if o["kind"] == "matmul":
        m, k, n = o["m"], o["k"], o["n"]
        x = rng.standard_normal((m, k)).astype(np.float32)
        w = rng.standard_normal((k, n)).astype(np.float32)
        ref = x.astype(np.float64) @ w
        stored = w.T.copy() if o.get("transposed") else w
        ws = "x".join(map(str, stored.shape))
        if o.get("transposed"):
            maps = ("indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, "
                    "affine_map<(d0, d1, d2) -> (d1, d2)>, "
                    "affine_map<(d0, d1, d2) -> (d0, d1)>] ")
        else:
            maps = ""
        xt = f"tensor<{dims((m, k), dyn)}xf32>"
        yt = f"tensor<{dims((m, n), dyn)}xf32>"
        size = ("%c0 = arith.constant 0 : index\n"
                "  %m = tensor.dim %x, %c0 : " + xt + "\n"
                "  %e = tensor.empty(%m) : " + yt) if dyn else (
                    f"%e = tensor.empty() : {yt}")
        body = f"""  %w = arith.constant dense<{dense(stored)}> : tensor<{ws}xf32>
  %zero = arith.constant 0.0 : f32
  {size}
  %init = linalg.fill ins(%zero : f32) outs(%e : {yt}) -> {yt}
  %y = linalg.matmul {maps}ins(%x, %w : {xt}, tensor<{ws}xf32>) outs(%init : {yt}) -> {yt}"""
        tail, out, ref = epilogue(o, rng, "%y", yt, n, ref)
        body += f"{tail}\n  return {out} : {yt}"
    else:
        b, c, h, wd, f = o["batch"], o["c"], o["h"], o["w"], o["f"]
        kh, kw = o["kh"], o["kw"]
        (sh, sw), (dh, dw), pad = o["stride"], o["dil"], o["pad"]
        x = rng.standard_normal((b, c, h, wd)).astype(np.float32)
        w = rng.standard_normal((f, c, kh, kw)).astype(np.float32)
        xp = np.pad(x.astype(np.float64),
                    ((0, 0), (0, 0), (pad[0], pad[2]), (pad[1], pad[3])))
        hp, wp = h + pad[0] + pad[2], wd + pad[1] + pad[3]
        oh = (hp - dh * (kh - 1) - 1) // sh + 1
        ow = (wp - dw * (kw - 1) - 1) // sw + 1
        ref = np.zeros((b, f, oh, ow))
        for i in range(kh):
            for j in range(kw):
                patch = xp[:, :, i * dh:i * dh + sh * (oh - 1) + 1:sh,
                           j * dw:j * dw + sw * (ow - 1) + 1:sw]
                ref += np.einsum("nchw,fc->nfhw", patch, w[:, :, i, j])
        xt = f"tensor<{dims(x.shape, dyn)}xf32>"
        pt = f"tensor<{dims((b, c, hp, wp), dyn)}xf32>"
        yt = f"tensor<{dims((b, f, oh, ow), dyn)}xf32>"
        size = ("%c0 = arith.constant 0 : index\n"
                "  %n = tensor.dim %x, %c0 : " + xt + "\n"
                "  %e = tensor.empty(%n) : " + yt) if dyn else (
                    f"%e = tensor.empty() : {yt}")
        if any(pad):
            padded = f"""  %p = tensor.pad %x low[0, 0, {pad[0]}, {pad[1]}] high[0, 0, {pad[2]}, {pad[3]}] {{
  ^bb0(%i0: index, %i1: index, %i2: index, %i3: index):
    tensor.yield %zero : f32
  }} : {xt} to {pt}"""
            src = "%p"
        else:
            padded, src, pt = "", "%x", xt
        body = f"""  %w = arith.constant dense<{dense(w)}> : tensor<{f}x{c}x{kh}x{kw}xf32>
  %zero = arith.constant 0.0 : f32
{padded}
  {size}
  %init = linalg.fill ins(%zero : f32) outs(%e : {yt}) -> {yt}
  %y = linalg.conv_2d_nchw_fchw {{dilations = dense<[{dh}, {dw}]> : tensor<2xi64>, strides = dense<[{sh}, {sw}]> : tensor<2xi64>}} ins({src}, %w : {pt}, tensor<{f}x{c}x{kh}x{kw}xf32>) outs(%init : {yt}) -> {yt}"""
        tail, out, ref = epilogue(o, rng, "%y", yt, f, ref)
        body += tail
        if "pool" in o:
            tail, out, ref, yt = pool(o, out, yt, ref, dyn)
            body += tail
        body += f"\n  return {out} : {yt}"
    text = f"func.func @{name}(%x: {xt}) -> {yt} {{\n{body}\n}}\n"
    return text, x, ref


def main():
    command, directory = sys.argv[1], sys.argv[2]
    made = {name: make(name, o, seed)
            for seed, (name, o) in enumerate(CASES.items())}
    if command == "gen":
        with open(os.path.join(directory, "layers.mlir"), "w") as f:
            f.write("\n".join(text for text, _, _ in made.values()))
        for name, (_, x, _) in made.items():
            np.save(os.path.join(directory, f"{name}.npy"), x)
        return 0
    quant_run, status = sys.argv[3], 0
    for name, (_, _, ref) in made.items():
        got = []
        for tag, extra in (("kernels", []),
                           ("generic", ["--float-kernels=false"])):
            out = f"{directory}/{name}.{tag}.npz"
            subprocess.run([quant_run, f"{directory}/layers.mlir", *extra,
                            f"--function={name}",
                            f"--input={directory}/{name}.npy",
                            f"--output={out}"], check=True,
                           stdout=subprocess.DEVNULL)
            got.append(np.load(out)["output_0"])
        scale = np.abs(ref).max()
        errors = [np.abs(g.astype(np.float64) - ref).max() / scale
                  for g in got]
        if got[0].shape != ref.shape or max(errors) > 1e-4:
            print(f"FAIL {name}: shape {got[0].shape} vs {ref.shape}, "
                  f"relative errors {errors}")
            status = 1
            continue
        print(f"OK {name} {'x'.join(map(str, ref.shape))}: kernels and "
              f"generic loops within 1e-4 of the float64 reference")
    return status


if __name__ == "__main__":
    sys.exit(main())
