#!/usr/bin/env python3
"""Runs the ONNX backend node tests (Debian libonnx-testdata) through
quant-import-onnx and quant-run and compares with the expected outputs.

  onnx_conformance.py --build build [--filter REGEX] [--tests FILE]
                      [--sweep] [--jobs N] [--expect-pass FILE]

For every test directory whose model imports, each test_data_set_* is run:
inputs input_*.pb become .npy files, quant-run writes the outputs, which are
compared with output_*.pb: integers exactly, floats with numpy's
isclose(rtol=1e-3, atol=1e-7) as the ONNX backend test runner does. A table
and a summary line are printed. --sweep imports every model of the package
(node, simple, pytorch-*, real) and counts imports, named unsupported-op
errors, other errors and crashes (signals). --expect-pass FILE lists tests
that must pass; the exit status is non-zero if one does not, or if any
import crashed.
"""
import argparse
import concurrent.futures
import glob
import os
import re
import subprocess
import sys
import tempfile

import numpy as np
import onnx
from onnx import numpy_helper

DATA = "/usr/share/libonnx-testdata/data"


def load_pb(path):
    tensor = onnx.TensorProto()
    with open(path, "rb") as f:
        tensor.ParseFromString(f.read())
    return numpy_helper.to_array(tensor)


def run(cmd, timeout=120):
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        return p.returncode, p.stdout + p.stderr
    except subprocess.TimeoutExpired:
        return "timeout", ""


def first_error(text):
    for line in text.splitlines():
        if "error" in line:
            return line.strip()[:160]
    return text.strip().splitlines()[0][:160] if text.strip() else ""


def compare(expected, got):
    if expected.shape != got.shape:
        return f"shape {got.shape} != {expected.shape}"
    if expected.dtype.kind in "iub":
        if got.dtype != expected.dtype and not (
                expected.dtype == np.bool_ and got.dtype == np.uint8):
            return f"dtype {got.dtype} != {expected.dtype}"
        bad = np.count_nonzero(got.astype(np.int64) != expected.astype(np.int64))
        return f"{bad} of {expected.size} integers differ" if bad else None
    if not np.allclose(got.astype(np.float64), expected.astype(np.float64),
                       rtol=1e-3, atol=1e-7, equal_nan=True):
        diff = np.nanmax(np.abs(got.astype(np.float64) - expected))
        return f"max abs diff {diff:.3g}"
    return None


def run_test(build, test_dir):
    name = os.path.basename(test_dir)
    with tempfile.TemporaryDirectory() as tmp:
        mlir = os.path.join(tmp, "model.mlir")
        code, out = run([f"{build}/bin/quant-import-onnx",
                         f"{test_dir}/model.onnx", "-o", mlir])
        if code != 0:
            kind = "crash" if not isinstance(code, int) or code < 0 else "import"
            if "unsupported op" in out:
                kind = "unsupported"
            return name, kind, first_error(out)
        # Declared input shapes: some test data stores scalars as [1].
        model = onnx.load(f"{test_dir}/model.onnx", load_external_data=False)
        initializers = {t.name for t in model.graph.initializer}
        declared = []
        for value in model.graph.input:
            if value.name in initializers:
                continue
            dims = value.type.tensor_type.shape.dim
            declared.append([d.dim_value if d.HasField("dim_value") else None
                             for d in dims])
        for data_set in sorted(glob.glob(f"{test_dir}/test_data_set_*")):
            inputs = sorted(glob.glob(f"{data_set}/input_*.pb"),
                            key=lambda p: int(re.findall(r"\d+", os.path.basename(p))[0]))
            outputs = sorted(glob.glob(f"{data_set}/output_*.pb"),
                             key=lambda p: int(re.findall(r"\d+", os.path.basename(p))[0]))
            args = []
            for i, path in enumerate(inputs):
                array = load_pb(path)
                if (i < len(declared) and None not in declared[i]
                        and list(array.shape) != declared[i]
                        and array.size == int(np.prod(declared[i]))):
                    array = array.reshape(declared[i])
                npy = os.path.join(tmp, f"in{i}.npy")
                # ascontiguousarray would turn a 0-d array into shape (1,).
                np.save(npy, np.require(array, requirements="C"))
                args.append(f"--input={npy}")
            out_npz = os.path.join(tmp, "out.npz")
            code, out = run([f"{build}/bin/quant-run", mlir, *args,
                             f"--output={out_npz}"])
            if code != 0:
                kind = "crash" if not isinstance(code, int) or code < 0 else "run"
                return name, kind, first_error(out)
            got = np.load(out_npz)
            for i, path in enumerate(outputs):
                problem = compare(load_pb(path), got[f"output_{i}"])
                if problem:
                    return name, "mismatch", f"output {i}: {problem}"
    return name, "pass", ""


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", default="build")
    parser.add_argument("--filter", default=".*")
    parser.add_argument("--tests", help="file listing test names to run")
    parser.add_argument("--sweep", action="store_true")
    parser.add_argument("--jobs", type=int, default=os.cpu_count())
    parser.add_argument("--expect-pass", help="file of tests that must pass")
    args = parser.parse_args()
    build = os.path.abspath(args.build)

    if args.sweep:
        models = sorted(glob.glob(f"{DATA}/*/*/model.onnx"))
        counts = {"imported": 0, "unsupported": 0, "error": 0, "crash": 0}
        crashes = []

        def sweep_one(model):
            with tempfile.TemporaryDirectory() as tmp:
                code, out = run([f"{build}/bin/quant-import-onnx", model, "-o",
                                 os.path.join(tmp, "m.mlirbc")])
            return model, code, out

        with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
            for model, code, out in pool.map(sweep_one, models):
                if code == 0:
                    counts["imported"] += 1
                elif isinstance(code, int) and code > 0:
                    counts["unsupported" if "unsupported op" in out else "error"] += 1
                else:
                    counts["crash"] += 1
                    crashes.append(model)
        for model in crashes:
            print(f"CRASH {model}")
        print(f"sweep: {len(models)} models, {counts['imported']} imported, "
              f"{counts['unsupported']} unsupported op, {counts['error']} "
              f"other errors, {counts['crash']} crashes")
        return 1 if crashes else 0

    pattern = re.compile(args.filter)
    names = None
    if args.tests:
        with open(args.tests) as f:
            names = {l.split("#")[0].strip() for l in f if l.split("#")[0].strip()}
    dirs = [d for d in sorted(glob.glob(f"{DATA}/node/test_*"))
            if pattern.search(os.path.basename(d))
            and (names is None or os.path.basename(d) in names)]
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        results = list(pool.map(lambda d: run_test(build, d), dirs))
    width = max((len(r[0]) for r in results), default=10)
    counts = {}
    for name, kind, detail in results:
        counts[kind] = counts.get(kind, 0) + 1
        print(f"{name:<{width}}  {kind:<11}  {detail}")
    ran = len(results) - counts.get("unsupported", 0)
    print(f"summary: {len(results)} tests, {counts.get('pass', 0)} passed of "
          f"{ran} imported-or-attempted, " + ", ".join(
              f"{v} {k}" for k, v in sorted(counts.items()) if k != "pass"))
    status = 0
    if args.expect_pass:
        with open(args.expect_pass) as f:
            required = [l.split("#")[0].strip() for l in f if l.split("#")[0].strip()]
        passed = {r[0] for r in results if r[1] == "pass"}
        missing = [t for t in required if t not in passed]
        for t in missing:
            print(f"REQUIRED TEST FAILED: {t}")
        status = 1 if missing else 0
    if counts.get("crash"):
        status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
