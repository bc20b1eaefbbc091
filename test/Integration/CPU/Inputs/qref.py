#!/usr/bin/env python3
# ===- qref.py - NumPy reference of the qnt casts for JIT tests -----------=== #
#
# An independent NumPy model of qnt.quantize, qnt.dequantize and
# qnt.fake_quant as docs/semantics.md defines them, written from that page
# and not from the compiler's code, plus the input generators and the output
# checker the Integration/CPU lit tests use:
#
#   qref.py gen float --type T --shape 64x8 [--seed N] OUT.npy
#       Random floats in the expressed type of T, seeded, with every edge
#       value spread over all channels/blocks: ties (k + 0.5) * s, their
#       neighbours one ulp away, saturation edges, +-Inf, NaN, +-0, denormals,
#       huge values. bf16 inputs are written as float32 holding bf16 values.
#   qref.py gen int --type T --shape 64x8 [--seed N] OUT.npy
#       Random storage values of T in [qmin, qmax] (qmin, qmax, zp, zp +- 1
#       and 0 included) in quant-run's dtype for that storage.
#   qref.py array --dtype float32 --values=V1,V2,... [--shape 2x4] OUT.npy
#       An array of the given values ("inf", "-inf", "nan", "-0.0" ok).
#   qref.py arrays OUT.npy:DTYPE:SHAPE:V1,V2,... ...
#       Several such arrays at once (SHAPE may be empty for 1-D).
#   qref.py npz OUT.npz NAME=A.npy ...
#       An archive of the given arrays (stored, as numpy.savez writes it).
#   qref.py check OP --type T [--rounding R] [--result N] [--name S]
#                 INPUT.npy OUT.npz
#       Compares output_N of a quant-run .npz with the reference of OP
#       (quantize, dequantize, fake_quant) on INPUT: integers exactly, floats
#       bit for bit. Prints "OK <name> <count> elements" or the first
#       mismatches and exits 1.
#   qref.py same A.npz B.npz
#       Checks that two .npz files hold the same arrays, bit for bit.
#   qref.py gen-cases TEST.mlir DIR
#   qref.py check-cases TEST.mlir DIR
#       Table-driven form of gen/check for many cases per quant-run call. The
#       test holds lines
#         // CASE: fn=F arg=A res=R name=N op=OP shape=64x8 [seed=S]
#         //       [rounding=half_away_from_zero] type=!quant.uniform<...>
#       (on one line): argument A of function F is generated from this case
#       (the first case naming it) and result R is checked. gen-cases writes
#       DIR/F.in.npz (arg0, arg1, ...) for `quant-run --inputs`; check-cases
#       reads DIR/F.out.npz and prints one OK/FAIL line per case, in order,
#       and exits 1 if any failed.
#
# T is a `!quant.uniform<...>` type in MLIR syntax: per tensor
# `<i8:f32, 0.5:-3>`, per axis `<u8:f32:1, {0.1:128, 0.2}>`, sub-channel
# `<i4:f32:{0:2,1:8}, {{0.1, 0.2:1}, {0.3, 0.4}}>`, narrow ranges `i8<-127:127>`.
#
# ===----------------------------------------------------------------------=== #

import argparse
import re
import sys

import numpy as np

# --------------------------------------------------------------------------- #
# Quantized type
# --------------------------------------------------------------------------- #

EXPRESSED = ("f16", "bf16", "f32", "f64")


class QType:
    """A parsed !quant.uniform type."""

    def __init__(self, text):
        self.text = text
        m = re.fullmatch(r"\s*!quant\.uniform<(.*)>\s*", text, re.S)
        if not m:
            raise ValueError("not a !quant.uniform type: " + text)
        body = m.group(1)
        m = re.match(
            r"\s*([iu])(\d+)(?:<\s*(-?\d+)\s*:\s*(-?\d+)\s*>)?\s*:\s*(\w+)\s*",
            body)
        if not m or m.group(5) not in EXPRESSED:
            raise ValueError("cannot parse storage/expressed type: " + text)
        self.signed = m.group(1) == "i"
        self.bits = int(m.group(2))
        if self.signed:
            self.qmin, self.qmax = -(1 << (self.bits - 1)), (1 << (self.bits - 1)) - 1
        else:
            self.qmin, self.qmax = 0, (1 << self.bits) - 1
        if m.group(3) is not None:
            self.qmin, self.qmax = int(m.group(3)), int(m.group(4))
        self.expressed = m.group(5)
        rest = body[m.end():]
        self.axis = None
        self.blocks = None
        if rest.startswith(","):
            self.kind = "tensor"
            params = rest[1:]
        elif re.match(r":\s*\d", rest):
            self.kind = "axis"
            m = re.match(r":\s*(\d+)\s*,", rest)
            self.axis = int(m.group(1))
            params = rest[m.end():]
        elif re.match(r":\s*\{", rest):
            self.kind = "block"
            m = re.match(r":\s*\{([^}]*)\}\s*,", rest)
            self.blocks = {}
            for item in m.group(1).split(","):
                d, b = item.split(":")
                self.blocks[int(d)] = int(b)
            params = rest[m.end():]
        else:
            raise ValueError("cannot parse parameters: " + text)
        nested, pos = _parse_params(params.strip(), 0)
        if self.kind == "tensor":
            assert not isinstance(nested, list)
            self.scales = np.array(nested[0], np.float64)
            self.zps = np.array(nested[1], np.int64)
        else:
            self.scales = np.array(_map_nested(nested, 0), np.float64)
            self.zps = np.array(_map_nested(nested, 1), np.int64)
            if self.kind == "axis":
                assert self.scales.ndim == 1
        assert pos == len(params.strip()), "trailing text in " + text
        assert np.all(self.zps >= self.qmin) and np.all(self.zps <= self.qmax)

    # Dtype quant-run uses for the storage values (sub-byte: one per byte).
    def storage_dtype(self):
        if self.bits <= 8:
            return np.dtype(np.int8 if self.signed else np.uint8)
        if self.bits == 16 and self.signed:
            return np.dtype(np.int16)
        if self.bits == 32 and self.signed:
            return np.dtype(np.int32)
        raise ValueError("quant-run has no dtype for this storage")

    # Dtype of the float side as it crosses quant-run (bf16 travels as f32).
    def float_dtype(self):
        return np.dtype({"f16": np.float16, "bf16": np.float32,
                         "f32": np.float32, "f64": np.float64}[self.expressed])

    # The compute type T of docs/semantics.md.
    def compute_dtype(self):
        return np.dtype(np.float64 if self.expressed == "f64" else np.float32)

    def element_params(self, shape):
        """Per-element (scale as float64, zero point as int64) arrays."""
        shape = tuple(shape)
        if self.kind == "tensor":
            s = np.full(shape, self.scales, np.float64)
            z = np.full(shape, self.zps, np.int64)
            return s, z
        if self.kind == "axis":
            if shape[self.axis] != self.scales.size:
                raise ValueError("axis %d has size %d but the type has %d scales"
                                 % (self.axis, shape[self.axis], self.scales.size))
            view = [1] * len(shape)
            view[self.axis] = self.scales.size
            return (np.broadcast_to(self.scales.reshape(view), shape).copy(),
                    np.broadcast_to(self.zps.reshape(view), shape).copy())
        # Sub-channel: element i uses parameter [i0 // B0, ...]; a dimension
        # without a block size is one block.
        assert self.scales.ndim == len(shape)
        idx = []
        for d, n in enumerate(shape):
            b = self.blocks.get(d, n)
            assert n % b == 0 and n // b == self.scales.shape[d], (d, n, b)
            idx.append(np.arange(n) // b)
        grid = np.ix_(*idx)
        return self.scales[grid].copy(), self.zps[grid].copy()


def _parse_number(text, pos):
    m = re.compile(r"\s*([-+]?(?:\d+\.?\d*(?:[eE][-+]?\d+)?|inf|nan))\s*(?::\s*(-?\d+))?\s*").match(text, pos)
    if not m:
        raise ValueError("bad scale at " + text[pos:])
    return (float(m.group(1)), int(m.group(2)) if m.group(2) else 0), m.end()


def _parse_params(text, pos):
    """A scale[:zp] pair, or a {...} list of them (nested)."""
    while text[pos].isspace():
        pos += 1
    if text[pos] != "{":
        return _parse_number(text, pos)
    pos += 1
    items = []
    while True:
        item, pos = _parse_params(text, pos)
        items.append(item)
        while text[pos].isspace():
            pos += 1
        if text[pos] == ",":
            pos += 1
            continue
        assert text[pos] == "}", text[pos:]
        pos += 1
        while pos < len(text) and text[pos].isspace():
            pos += 1
        return items, pos


def _map_nested(nested, i):
    if isinstance(nested, list):
        return [_map_nested(n, i) for n in nested]
    return nested[i]


# --------------------------------------------------------------------------- #
# Rounding to the expressed type
# --------------------------------------------------------------------------- #


def _f32_to_bf16(v):
    """float32 array -> float32 array of bf16 values, rounded half to even.
    NaN stays NaN; overflow rounds to Inf as IEEE rounding does."""
    v = np.asarray(v, np.float32)
    bits = v.view(np.uint32).astype(np.uint64)
    rounded = (bits + 0x7FFF + ((bits >> 16) & 1)) & 0xFFFF0000
    out = rounded.astype(np.uint32).view(np.float32)
    return np.where(np.isnan(v), v, out).astype(np.float32)


def _f64_to_bf16(v):
    """float64 array -> float32 array of bf16 values, rounded once (half to
    even) from the double, for values inside bf16's normal range."""
    v = np.asarray(v, np.float64)
    bits = v.view(np.uint64)
    drop = np.uint64(52 - 7)
    one = np.uint64(1)
    half = (one << (drop - one)) - one
    rounded = (bits + half + ((bits >> drop) & one)) & ~((one << drop) - one)
    out = rounded.view(np.float64)
    assert np.all(np.abs(out[np.isfinite(out) & (out != 0)]) >= 2.0**-126)
    return out.astype(np.float32)  # exact: 8 significant bits


def to_expressed(v, expressed):
    """Round float64/float32 values (half to even) to the expressed type;
    returns the quant-run carrier dtype (bf16 as float32)."""
    v = np.asarray(v)
    if expressed == "f64":
        return v.astype(np.float64)
    if expressed == "f32":
        return v.astype(np.float32)  # numpy rounds half to even, once
    if expressed == "f16":
        return v.astype(np.float16)  # direct double->half, half to even
    if v.dtype == np.float64:
        return _f64_to_bf16(v)
    return _f32_to_bf16(v)


# --------------------------------------------------------------------------- #
# The reference arithmetic (docs/semantics.md)
# --------------------------------------------------------------------------- #


def round_half_away(v):
    """Half away from zero in v's own precision, exactly. (The shortcut
    sign(v) * floor(|v| + 0.5) is wrong in float: 0.49999997f + 0.5f rounds
    to 1.0f, and 2^23 + 1 + 0.5 ties to 2^23 + 2 in f32.)"""
    with np.errstate(invalid="ignore"):  # Inf - Inf for +-Inf
        t = np.trunc(v)
        frac = np.abs(v - t)  # exact: v, trunc(v) share the binade or t == 0
        step = np.where(frac >= 0.5, np.sign(v), 0).astype(v.dtype)
        return t + step  # exact: |t| < 2^(p-1) when v has a fraction


def scales_in_compute(qt, s64):
    """The scale rounded to the expressed type, widened to T."""
    return to_expressed(s64, qt.expressed).astype(qt.compute_dtype())


def quantize(qt, x, rounding):
    T = qt.compute_dtype()
    xe = to_expressed(x, qt.expressed)  # the value the op sees
    s64, zp = qt.element_params(xe.shape)
    sT = scales_in_compute(qt, s64)
    with np.errstate(all="ignore"):
        xT = xe.astype(T)
        quotient = xT / sT  # one IEEE division in T
        if rounding == "half_to_even":
            r = np.rint(quotient)
        else:
            r = round_half_away(quotient)
        shifted = r.astype(np.float64) + zp.astype(np.float64)
        q = np.clip(shifted, qt.qmin, qt.qmax)
    q = np.where(np.isnan(xT), zp.astype(np.float64), q)
    assert not np.any(np.isnan(q))
    return q.astype(np.int64)


def dequantize(qt, q):
    T = qt.compute_dtype()
    q = np.asarray(q).astype(np.int64)
    s64, zp = qt.element_params(q.shape)
    sT = scales_in_compute(qt, s64)
    diff = q - zp  # exact in 64-bit integers
    # int64 -> f64 is exact here (|diff| < 2^33), f64 -> T rounds once.
    dT = diff.astype(np.float64).astype(T)
    with np.errstate(all="ignore"):
        product = dT * sT  # one IEEE multiplication in T
    return to_expressed(product, qt.expressed)


def fake_quant(qt, x, rounding):
    return dequantize(qt, quantize(qt, x, rounding))


# --------------------------------------------------------------------------- #
# Input generation
# --------------------------------------------------------------------------- #


def _finfo(expressed):
    if expressed == "bf16":
        return dict(max=np.float64(np.array([0x7F7F0000], np.uint32).view(np.float32)[0]),
                    tiny_denorm=2.0**-133, min_normal=2.0**-126)
    fi = np.finfo({"f16": np.float16, "f32": np.float32, "f64": np.float64}[expressed])
    return dict(max=np.float64(fi.max), tiny_denorm=np.float64(fi.smallest_subnormal),
                min_normal=np.float64(fi.tiny))


def _next(x, expressed, direction):
    """One ulp of the expressed type from x toward +-Inf (carrier dtype)."""
    if expressed != "bf16":
        return np.nextafter(x, np.array(direction * np.inf, x.dtype))
    bits = x.view(np.uint32).astype(np.int64)
    neg = bits >= 0x80000000
    mag = bits & 0x7FFFFFFF
    up = (direction > 0) != neg  # magnitude grows
    mag = np.where(up, mag + 0x10000, mag - 0x10000)
    mag = np.clip(mag, 0, 0x7F800000)
    out = (mag | np.where(neg, 0x80000000, 0)).astype(np.uint32).view(np.float32)
    return np.where(np.isfinite(x) & (x != 0), out, x)


def gen_float(qt, shape, seed):
    rng = np.random.default_rng(seed)
    n = int(np.prod(shape))
    s64, zp = qt.element_params(shape)
    s64 = s64.reshape(-1)
    zp = zp.reshape(-1).astype(np.float64)
    # Multiples of the scale the code really uses (rounded to E), in f64.
    s = scales_in_compute(qt, s64).astype(np.float64)
    E = qt.expressed
    fi = _finfo(E)

    def rnd(v):  # to E; bf16 via f32 (a double rounding is fine for inputs)
        v = np.asarray(v, np.float64)
        return to_expressed(v.astype(np.float32) if E == "bf16" else v, E)

    lo, hi = qt.qmin - zp, qt.qmax - zp  # the quotient range in range
    k = rng.integers(np.floor(lo - 3), np.ceil(hi + 3), endpoint=True).astype(np.float64)
    kind = rng.integers(0, 10, n)
    vals = np.where(kind <= 2, rng.uniform(lo - 4, hi + 4) * s, 0.0)  # random
    vals = np.where(kind == 3, k * s, vals)  # exact grid points
    vals = np.where(kind >= 4, (k + 0.5) * s, vals)  # ties
    x = rnd(vals)
    # Neighbours of ties, one ulp either side.
    x = np.where(kind == 7, _next(x, E, +1), x)
    x = np.where(kind == 8, _next(x, E, -1), x)

    # Edge values, each a function of the element's parameters.
    with np.errstate(all="ignore"):
        specials = [
            np.zeros(n), np.full(n, -0.0), np.full(n, np.inf), np.full(n, -np.inf),
            np.full(n, np.nan),
            np.full(n, fi["tiny_denorm"]), np.full(n, -fi["tiny_denorm"]),
            np.full(n, fi["min_normal"] * 0.75), np.full(n, -fi["min_normal"] * 0.3),
            np.full(n, fi["max"]), np.full(n, -fi["max"]),
            np.full(n, min(1e30, fi["max"])), np.full(n, -min(1e30, fi["max"])),
            0.5 * s, -0.5 * s, 1.5 * s, -1.5 * s, 2.5 * s, -2.5 * s,
            (hi + 0.5) * s, (hi - 0.5) * s, (hi + 1) * s, hi * s,
            (lo - 0.5) * s, (lo + 0.5) * s, (lo - 1) * s, lo * s,
            (hi + 1000.5) * s, (lo - 1000.5) * s,
        ]
    specials = [rnd(v) for v in specials]
    half = rnd(0.5 * s)
    specials += [_next(half, E, -1), _next(half, E, +1),
                 _next(-half, E, -1), _next(-half, E, +1)]
    special = np.stack(specials)  # (M, n)
    m = special.shape[0]
    pick = np.where(kind == 9, rng.integers(0, m, n), -1)
    pick[: min(m, n)] = np.arange(min(m, n))  # every edge at least once ...
    # ... and every edge in every channel/block: scatter one copy per group.
    groups = _group_ids(qt, shape)
    for g in np.unique(groups):
        where = np.flatnonzero(groups == g)
        chosen = rng.choice(where, size=min(m, where.size), replace=False)
        pick[chosen] = np.arange(chosen.size)
    x = np.where(pick >= 0, special[np.maximum(pick, 0), np.arange(n)], x)
    return x.reshape(shape).astype(qt.float_dtype())


def _group_ids(qt, shape):
    """Which parameter set (channel/block) each flat element uses."""
    if qt.kind == "tensor":
        return np.zeros(int(np.prod(shape)), np.int64)
    ids = np.arange(qt.scales.size).reshape(qt.scales.shape)
    if qt.kind == "axis":
        view = [1] * len(shape)
        view[qt.axis] = qt.scales.size
        return np.broadcast_to(ids.reshape(view), shape).reshape(-1)
    idx = [np.arange(n) // qt.blocks.get(d, n) for d, n in enumerate(shape)]
    return ids[np.ix_(*idx)].reshape(-1)


def _per_tensor(qt, scale, zp):
    """The per-tensor type with one channel's parameters."""
    return QType("!quant.uniform<%s%d<%d:%d>:%s, %r:%d>" % (
        "i" if qt.signed else "u", qt.bits, qt.qmin, qt.qmax, qt.expressed,
        float(scale), int(zp)))


def _double_rounding_values(qt, scale, zp):
    """Storage values whose f16/bf16 dequantization differs between the
    prescribed E(f32 product) and a single rounding of the exact product:
    rare (a few per 65536), so they are added on purpose. (fake_quant cannot
    reach them: an f16/bf16 input near an f16/bf16 midpoint after quantization
    needs s >= ulp(x), and then the product has at most 22 bits, exact in
    f32.)"""
    if qt.expressed not in ("f16", "bf16") or qt.bits > 16:
        return np.zeros(0, np.int64)
    q = np.arange(qt.qmin, qt.qmax + 1, dtype=np.int64)
    s = scales_in_compute(qt, np.float64(scale)).astype(np.float64)
    exact = (q - zp).astype(np.float64) * s  # exact: <= 17 + 11 bits
    if qt.expressed == "f16":
        single = exact.astype(np.float16).astype(np.float64)
    else:
        # Round to 8 significant bits directly from the double (normal range).
        m, e = np.frexp(exact)
        single = np.ldexp(np.rint(m * 256.0), e - 8)
    double = dequantize(_per_tensor(qt, scale, zp), q).astype(np.float64)
    finite = np.isfinite(single) & np.isfinite(double)
    return q[finite & (single != double)][:8]


def gen_int(qt, shape, seed):
    rng = np.random.default_rng(seed)
    n = int(np.prod(shape))
    s64, zp = qt.element_params(shape)
    s64 = s64.reshape(-1)
    zp = zp.reshape(-1)
    q = rng.integers(qt.qmin, qt.qmax, n, endpoint=True)
    edges = np.stack([np.full(n, qt.qmin), np.full(n, qt.qmax), zp,
                      np.minimum(zp + 1, qt.qmax), np.maximum(zp - 1, qt.qmin),
                      np.full(n, min(max(0, qt.qmin), qt.qmax))])
    groups = _group_ids(qt, shape)
    for g in np.unique(groups):
        where = np.flatnonzero(groups == g)
        rounding = _double_rounding_values(qt, s64[where[0]], zp[where[0]])
        values = np.concatenate([edges[:, where[0]], rounding])
        chosen = rng.choice(where, size=min(values.size, where.size), replace=False)
        q[chosen] = values[: chosen.size]
    return q.reshape(shape).astype(qt.storage_dtype())


# --------------------------------------------------------------------------- #
# Checking
# --------------------------------------------------------------------------- #


def _bits(a):
    a = np.ascontiguousarray(a)
    return a.view({2: np.uint16, 4: np.uint32, 8: np.uint64}[a.dtype.itemsize])


def _fmt(v):
    v = np.asarray(v)
    if v.dtype.kind == "f":
        return "%r (0x%0*x)" % (float(v), 2 * v.dtype.itemsize, int(_bits(v.reshape(1))[0]))
    return str(int(v))


def compare(name, inp, expected, got):
    """Prints OK, or FAIL with the first mismatches; returns success."""
    problems = []
    if got.dtype != expected.dtype:
        problems.append("dtype: expected %s, got %s" % (expected.dtype, got.dtype))
    if got.shape != expected.shape:
        problems.append("shape: expected %s, got %s" % (expected.shape, got.shape))
    if problems:
        print("FAIL %s: %s" % (name, "; ".join(problems)))
        return False
    if expected.dtype.kind == "f":
        assert not np.any(np.isnan(expected)), "the reference produced NaN"
        bad = _bits(expected) != _bits(got)
    else:
        bad = expected != got
    if not np.any(bad):
        print("OK %s %d elements" % (name, expected.size))
        return True
    where = np.argwhere(bad)
    print("FAIL %s: %d of %d elements differ" % (name, len(where), expected.size))
    for index in where[:10]:
        index = tuple(int(i) for i in index)
        print("  at %s: input %s expected %s got %s" % (
            list(index), _fmt(inp[index]), _fmt(expected[index]), _fmt(got[index])))
    return False


def reference(op, qt, inp, rounding):
    """The expected output of `op` on `inp` in quant-run's dtype."""
    if op == "dequantize":
        if inp.dtype != qt.storage_dtype():
            raise ValueError("input dtype %s, expected %s" % (inp.dtype, qt.storage_dtype()))
        return dequantize(qt, inp).astype(qt.float_dtype())
    if inp.dtype != qt.float_dtype():
        raise ValueError("input dtype %s, expected %s" % (inp.dtype, qt.float_dtype()))
    q = quantize(qt, inp, rounding)
    if op == "quantize":
        return q.astype(qt.storage_dtype())
    return dequantize(qt, q).astype(qt.float_dtype())


def _load_result(path, index):
    """output_<index> of a quant-run archive, or None with a FAIL line."""
    try:
        with np.load(path) as archive:
            return archive["output_%d" % index]
    except (OSError, KeyError) as error:
        print("FAIL cannot read output_%d of %s: %s" % (index, path, error))
        return None


def cmd_check(args):
    qt = QType(args.type)
    inp = np.load(args.input)
    got = _load_result(args.output, args.result)
    name = args.name or "%s %s" % (args.op, args.type)
    if got is None or not compare(name, inp, reference(args.op, qt, inp, args.rounding), got):
        sys.exit(1)


def cmd_same(args):
    with np.load(args.a) as a, np.load(args.b) as b:
        if sorted(a.files) != sorted(b.files):
            print("FAIL arrays differ: %s vs %s" % (sorted(a.files), sorted(b.files)))
            sys.exit(1)
        ok = True
        for key in sorted(a.files):
            ok &= compare("same " + key, a[key], a[key], b[key])
    if not ok:
        sys.exit(1)


def read_cases(test_file):
    """The `// CASE: key=value ... type=<!quant.uniform...>` lines of a test,
    in file order. Keys: fn (function), arg and res (argument and result
    index), name, op, shape (run-time shape), seed, rounding (optional)."""
    cases = []
    with open(test_file) as f:
        for line in f:
            m = re.match(r"\s*//\s*CASE:\s*(.*?)\s+type=(.*)$", line)
            if not m:
                continue
            case = dict(kv.split("=", 1) for kv in m.group(1).split())
            case["type"] = m.group(2).strip()
            case.setdefault("rounding", "half_to_even")
            case.setdefault("seed", "0")  # only the first reader of an arg
            for key in ("arg", "res", "seed"):
                case[key] = int(case[key])
            cases.append(case)
    return cases


def cmd_gen_cases(args):
    """Writes <dir>/<fn>.in.npz (arg0, arg1, ...) for every function of the
    case table; the first case reading an argument defines its input."""
    inputs = {}
    for case in read_cases(args.test):
        arrays = inputs.setdefault(case["fn"], {})
        key = "arg%d" % case["arg"]
        if key in arrays:
            continue
        qt = QType(case["type"])
        shape = _shape(case["shape"])
        if case["op"] == "dequantize":
            arrays[key] = gen_int(qt, shape, case["seed"])
        else:
            arrays[key] = gen_float(qt, shape, case["seed"])
    for fn, arrays in inputs.items():
        np.savez("%s/%s.in.npz" % (args.dir, fn), **arrays)


def cmd_check_cases(args):
    """Checks every case against <dir>/<fn>.out.npz; one OK/FAIL line each."""
    ok = True
    for case in read_cases(args.test):
        with np.load("%s/%s.in.npz" % (args.dir, case["fn"])) as archive:
            inp = archive["arg%d" % case["arg"]]
        got = _load_result("%s/%s.out.npz" % (args.dir, case["fn"]), case["res"])
        if got is None:
            ok = False
            continue
        expected = reference(case["op"], QType(case["type"]), inp, case["rounding"])
        ok &= compare(case["name"], inp, expected, got)
    if not ok:
        sys.exit(1)


def _shape(text):
    return tuple(int(d) for d in text.split("x")) if text else ()


def cmd_gen(args):
    qt = QType(args.type)
    shape = _shape(args.shape)
    array = gen_float(qt, shape, args.seed) if args.what == "float" else gen_int(qt, shape, args.seed)
    np.save(args.out, array)


def cmd_array(args):
    values = args.values.split(",") if args.values else []
    np.save(args.out, np.array([float(v) if args.dtype.startswith("float") else int(v)
                                for v in values], dtype=args.dtype).reshape(_shape(args.shape) or -1))


def cmd_arrays(args):
    for spec in args.specs:
        path, dtype, shape, values = spec.split(":", 3)
        values = values.split(",") if values else []
        np.save(path, np.array([float(v) if dtype.startswith("float") else int(v)
                                for v in values], dtype=dtype).reshape(_shape(shape) or -1))


def cmd_npz(args):
    arrays = {}
    for item in args.arrays:
        name, path = item.split("=", 1)
        arrays[name] = np.load(path)
    np.savez(args.out, **arrays)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    sub = parser.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("gen")
    p.add_argument("what", choices=["float", "int"])
    p.add_argument("--type", required=True)
    p.add_argument("--shape", required=True)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("out")
    p.set_defaults(fn=cmd_gen)
    p = sub.add_parser("array")
    p.add_argument("--dtype", required=True)
    p.add_argument("--values", default="", help="comma-separated; inf, nan ok")
    p.add_argument("--shape", default="", help="e.g. 2x4; default 1-D")
    p.add_argument("out")
    p.set_defaults(fn=cmd_array)
    p = sub.add_parser("arrays")
    p.add_argument("specs", nargs="*", help="OUT.npy:DTYPE:SHAPE:V1,V2,...")
    p.set_defaults(fn=cmd_arrays)
    p = sub.add_parser("npz")
    p.add_argument("out")
    p.add_argument("arrays", nargs="*", help="NAME=FILE.npy")
    p.set_defaults(fn=cmd_npz)
    p = sub.add_parser("check")
    p.add_argument("op", choices=["quantize", "dequantize", "fake_quant"])
    p.add_argument("--type", required=True)
    p.add_argument("--rounding", default="half_to_even",
                   choices=["half_to_even", "half_away_from_zero"])
    p.add_argument("--result", type=int, default=0)
    p.add_argument("--name")
    p.add_argument("input")
    p.add_argument("output")
    p.set_defaults(fn=cmd_check)
    p = sub.add_parser("gen-cases")
    p.add_argument("test")
    p.add_argument("dir")
    p.set_defaults(fn=cmd_gen_cases)
    p = sub.add_parser("check-cases")
    p.add_argument("test")
    p.add_argument("dir")
    p.set_defaults(fn=cmd_check_cases)
    p = sub.add_parser("same")
    p.add_argument("a")
    p.add_argument("b")
    p.set_defaults(fn=cmd_same)
    args = parser.parse_args()
    args.fn(args)


if __name__ == "__main__":
    main()
