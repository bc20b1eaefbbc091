#!/usr/bin/env python3
"""The bundled Fashion-MNIST models, end to end through quant.

For each model in models/: quant-import-onnx -> quant-compile (shared
library for this CPU) -> quant-run on the 10,000 test images; accuracy is
computed from the logits, latency is quant-run --benchmark on batch 1 and
64; ONNX Runtime runs the same ONNX file on the same images as the peer.

  evaluate_models.py --build build [--images 10000] [--markdown OUT.md]
"""
import argparse
import datetime
import gzip
import os
import re
import subprocess
import sys
import tempfile

# NumPy's OpenBLAS worker threads may spin after a call, on the cores the
# timed programs run on: the script's own array work takes one thread.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
import numpy as np  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = "/usr/share/datasets/fashion-mnist"
# (file, title, precision, quant-compile flags)
MODELS = [
    ("fmnist_mlp", "MLP 784-128-10", "fp32", []),
    ("fmnist_cnn", "CNN (residual, depthwise-separable)", "fp32", []),
    ("fmnist_cnn_qat", "CNN, QAT QDQ, int8 kernels (--fuse-qdq)", "int8", ["--fuse-qdq"]),
]


def load(prefix):
    with gzip.open(f"{DATA}/{prefix}-images-idx3-ubyte.gz") as f:
        x = np.frombuffer(f.read(), np.uint8, offset=16)
    with gzip.open(f"{DATA}/{prefix}-labels-idx1-ubyte.gz") as f:
        y = np.frombuffer(f.read(), np.uint8, offset=8)
    return x.reshape(-1, 1, 28, 28).astype(np.float32) / 255.0, y


def run(cmd, **kw):
    p = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if p.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{p.stdout}{p.stderr}")
    return p.stdout


def median_ms(output):
    return float(re.search(r"median ([0-9.]+) ms", output).group(1))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", default=os.path.join(ROOT, "build"))
    parser.add_argument("--images", type=int, default=10000)
    parser.add_argument("--markdown")
    args = parser.parse_args()
    bin_dir = os.path.join(args.build, "bin")
    x, y = load("t10k")
    x, y = x[: args.images], y[: args.images]
    rows = []
    same_logits = "not run"
    with tempfile.TemporaryDirectory() as tmp:
        np.save(f"{tmp}/all.npy", x)
        np.save(f"{tmp}/b1.npy", x[:1])
        np.save(f"{tmp}/b64.npy", x[:64])
        for name, title, kind, flags in MODELS:
            onnx_path = f"{ROOT}/models/{name}.onnx"
            print(f"{name}: import, compile, run {len(x)} images", flush=True)
            run([f"{bin_dir}/quant-import-onnx", onnx_path, "-o", f"{tmp}/{name}.mlir"])
            run([f"{bin_dir}/quant-compile", f"{tmp}/{name}.mlir", "--target=cpu",
                 "-o", f"{tmp}/{name}.so"] + flags)
            run([f"{bin_dir}/quant-run", f"{tmp}/{name}.so", f"--input={tmp}/all.npy",
                 f"--output={tmp}/{name}.npz"])
            logits = np.load(f"{tmp}/{name}.npz")["output_0"]
            acc = (logits.argmax(1) == y).mean() * 100
            lat1 = median_ms(run([f"{bin_dir}/quant-run", f"{tmp}/{name}.so",
                                  f"--input={tmp}/b1.npy", "--benchmark=20"]))
            lat64 = median_ms(run([f"{bin_dir}/quant-run", f"{tmp}/{name}.so",
                                   f"--input={tmp}/b64.npy", "--benchmark=10"]))
            os.makedirs(f"{tmp}/ort_{name}", exist_ok=True)
            run(["node", f"{ROOT}/scripts/ort/run_ort.js", onnx_path,
                 f"{tmp}/ort_{name}", f"image={tmp}/all.npy"])
            ort = np.load(f"{tmp}/ort_{name}/output_0.npy")
            ort_acc = (ort.argmax(1) == y).mean() * 100
            agree = (ort.argmax(1) == logits.argmax(1)).mean() * 100
            if name == "fmnist_cnn_qat":
                # Both dequantize the same integers the same way when the
                # integer logits agree.
                differ = int(np.count_nonzero(logits != ort))
                same_logits = (f"{differ} of {logits.size} logits differ "
                               f"from ONNX Runtime's")
            size_kib = os.path.getsize(onnx_path) / 1024
            rows.append((title, kind, acc, ort_acc, agree, lat1, lat64, size_kib))

    header = ("| model | precision | accuracy (quant) | accuracy (ONNX Runtime) "
              "| same prediction | latency batch 1 | latency batch 64 | ONNX file |")
    lines = [header, "|---|---|---|---|---|---|---|---|"]
    for title, kind, acc, ort_acc, agree, lat1, lat64, size in rows:
        lines.append(f"| {title} | {kind} | {acc:.2f}% | {ort_acc:.2f}% | {agree:.2f}% "
                     f"| {lat1:.3f} ms | {lat64:.2f} ms | {size:.0f} KiB |")
    table = "\n".join(lines)
    print()
    print(f"Fashion-MNIST test set, {len(x)} images; latencies are quant-run "
          "medians on all cores (OpenMP); matmuls and convolutions on the "
          "kernel library)")
    print(table)
    if args.markdown:
        machine = run(["uname", "-srm"]).strip()
        cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo")
                    if l.startswith("model name")), "unknown CPU")
        with open(args.markdown, "w") as f:
            f.write(f"# Bundled models end to end\n\n"
                    f"Made by `scripts/evaluate_models.py --markdown {os.path.relpath(args.markdown, ROOT)}` "
                    f"on {datetime.date.today()} ({cpu}, {machine}).\n\n"
                    f"Fashion-MNIST test set, {len(x)} images. Latencies are "
                    f"quant-run medians of the compiled shared library on all "
                    f"cores (OpenMP parallel loops), matmuls and "
                    f"convolutions with constant weights on the kernel "
                    f"library (int8 and fp32); the machine is shared, so "
                    f"they vary between runs (`bench/results/cpu-int8.md` "
                    f"has the interleaved comparison with ONNX Runtime). The QAT model is compiled with "
                    f"`--fuse-qdq`: its convolutions, residual add, pools and "
                    f"Gemm run in integers with ONNX Runtime's arithmetic; "
                    f"ONNX Runtime runs it with its default optimizations, "
                    f"which fuse the same QDQ groups ({same_logits}).\n\n{table}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
