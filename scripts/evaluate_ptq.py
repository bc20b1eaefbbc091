#!/usr/bin/env python3
"""Post-training quantization of the bundled CNN, end to end, with its peer.

  /usr/bin/python3 scripts/evaluate_ptq.py [--build build] [--count 1000]
      [--markdown bench/results/accuracy.md] [--plot bench/results/accuracy.png]

For the float model models/fmnist_cnn.onnx and a fixed calibration subset
of the Fashion-MNIST training set (scripts/make_calibration_set.py):
  - compiles the fp32 model (quant-compile model.onnx -o fp32.so),
  - compiles one int8 artifact per range method in one command each
    (quant-compile model.onnx --calibration-data=... --calibration-method=M),
    plus per-tensor weights for the ablation,
  - runs each on the 10,000 test images (quant-run) for accuracy and times
    batch 1 and 64,
  - runs PyTorch 1.13's eager post-training quantization (onednn engine) on
    the same model and calibration subset (models/ptq_pytorch.py),
and prints the table (also written as Markdown, with a plot).
"""
import argparse
import datetime
import json
import os
import re
import subprocess
import sys
import tempfile

# NumPy's OpenBLAS worker threads may spin after a call, on the cores the
# timed programs run on: the script's own array work takes one thread.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
import numpy as np  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
from evaluate_models import load, median_ms, run  # noqa: E402
from make_calibration_set import calibration_set  # noqa: E402

METHODS = ["minmax", "moving-average", "percentile", "entropy", "mse"]
DEFAULT_METHOD = "mse"
# The per-layer report shows entropy clipping relu1 (see the note in the
# table); one override fixes it, as a user would.
ENTROPY_FIX = "/relu1/Relu=mse"
LATENCY_ROUNDS = 5


def rodata_bytes(path):
    """Bytes of constant data (.rodata) in a shared library: the weights."""
    out = run(["size", "-A", path])
    return sum(int(line.split()[1]) for line in out.splitlines()
               if line.startswith(".rodata"))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", default=os.path.join(ROOT, "build"))
    parser.add_argument("--model", default=os.path.join(ROOT, "models", "fmnist_cnn.onnx"))
    parser.add_argument("--count", type=int, default=1000, help="calibration images")
    parser.add_argument("--markdown")
    parser.add_argument("--plot")
    args = parser.parse_args()
    bin_dir = os.path.join(args.build, "bin")
    x, y = load("t10k")
    results = []  # (label, method, accuracy, artifact)

    with tempfile.TemporaryDirectory() as tmp:
        calib, _ = calibration_set(args.count)
        np.savez(f"{tmp}/calib.npz", image=calib)
        np.save(f"{tmp}/all.npy", x)
        np.save(f"{tmp}/b1.npy", x[:1])
        np.save(f"{tmp}/b64.npy", x[:64])

        def evaluate(so):
            run([f"{bin_dir}/quant-run", so, f"--input={tmp}/all.npy",
                 f"--output={tmp}/out.npz"])
            logits = np.load(f"{tmp}/out.npz")["output_0"]
            return (logits.argmax(1) == y).mean() * 100, logits.argmax(1)

        print(f"fp32: compile and run {len(x)} test images", flush=True)
        run([f"{bin_dir}/quant-compile", args.model, "--target=cpu", "-o", f"{tmp}/fp32.so"])
        fp32_acc, fp32_pred = evaluate(f"{tmp}/fp32.so")

        # B8: the instrumented calibration run against the plain float run,
        # both in batches of 32 (JIT compilation excluded on both sides).
        print("calibration throughput: instrumented vs float, batches of 32", flush=True)
        np.save(f"{tmp}/b32.npy", calib[:32])
        float_rate = 32 / median_ms(run([f"{bin_dir}/quant-run", f"{tmp}/fp32.so",
                                          f"--input={tmp}/b32.npy",
                                          "--benchmark=20"])) * 1000
        run([f"{bin_dir}/quant-import-onnx", args.model, "-o", f"{tmp}/model.mlir"])
        run([f"{bin_dir}/quant-opt", f"{tmp}/model.mlir", "--qnt-insert-observers",
             "-o", f"{tmp}/instrumented.mlir"])
        p = subprocess.run([f"{bin_dir}/quant-calibrate", f"{tmp}/instrumented.mlir",
                            f"--data={tmp}/calib.npz", "--batch=32", "--timing",
                            "--no-progress", "-o", f"{tmp}/stats.json"],
                           capture_output=True, text=True)
        if p.returncode != 0:
            sys.exit(f"quant-calibrate failed:\n{p.stderr}")
        calib_rate = float(re.search(r"\(([0-9.]+) samples/s\)", p.stderr).group(1))

        variants = [(m, "per-channel", None) for m in METHODS] + [
            ("entropy", "per-channel", ENTROPY_FIX), (DEFAULT_METHOD, "per-tensor", None)]
        for index, (method, granularity, override) in enumerate(variants):
            name = f"v{index}"
            label = method + (f", {override}" if override else "")
            print(f"int8 {label}, {granularity} weights: calibrate on {len(calib)} "
                  f"training images, compile, run", flush=True)
            extra = [f"--report={tmp}/report"] if (method, granularity, override) == (
                DEFAULT_METHOD, "per-channel", None) else []
            if override:
                extra.append(f"--calibration-override={override}")
            run([f"{bin_dir}/quant-compile", args.model, "--target=cpu",
                 f"--calibration-data={tmp}/calib.npz", f"--calibration-method={method}",
                 f"--weight-granularity={granularity}", "-o", f"{tmp}/{name}.so"] + extra)
            acc, pred = evaluate(f"{tmp}/{name}.so")
            results.append((label, granularity, acc, (pred == fp32_pred).mean() * 100,
                            f"{tmp}/{name}.so"))

        default_so = f"{tmp}/v{METHODS.index(DEFAULT_METHOD)}.so"
        # fp32 and int8 alternate over rounds; the median of the round
        # medians rides out the windows in which this shared VM's second
        # core is slow (a parallel loop then waits for it).
        print("latency at batch 1 and 64, fp32 and int8 interleaved", flush=True)
        rounds = {"fp32": ([], []), "int8": ([], [])}
        for _ in range(LATENCY_ROUNDS):
            for label, so in (("fp32", f"{tmp}/fp32.so"), ("int8", default_so)):
                for i, (batch, runs) in enumerate(((1, 500), (64, 20))):
                    rounds[label][i].append(median_ms(run(
                        [f"{bin_dir}/quant-run", so, f"--input={tmp}/b{batch}.npy",
                         f"--benchmark={runs}"])))
        latency = {label: tuple(float(np.median(r)) for r in rs)
                   for label, rs in rounds.items()}
        sizes = {"fp32": rodata_bytes(f"{tmp}/fp32.so"), "int8": rodata_bytes(default_so)}
        report = open(f"{tmp}/report.md").read()
        run([f"{bin_dir}/quant-compile", args.model, "--target=cpu",
             f"--calibration-data={tmp}/calib.npz", "--calibration-method=entropy",
             f"--report={tmp}/entropy", "-o", f"{tmp}/entropy.so"])
        entropy_relu1 = next(l for l in open(f"{tmp}/entropy.md")
                             if l.startswith("| `/relu1/Relu`"))

        print("PyTorch 1.13 PTQ (onednn) on the same model and calibration images", flush=True)
        torch_json = f"{tmp}/torch.json"
        p = subprocess.run(["/usr/bin/python3", f"{ROOT}/models/ptq_pytorch.py",
                            "--onnx", args.model, "--calibration", f"{tmp}/calib.npz",
                            "--json", torch_json], capture_output=True, text=True)
        if p.returncode != 0:
            sys.exit(f"PyTorch PTQ failed:\n{p.stdout}{p.stderr}")
        torch_res = json.load(open(torch_json))

    lines = [
        "| model | weights | range method | accuracy | vs fp32 | same prediction as fp32 |",
        "|---|---|---|---|---|---|",
        f"| fp32 (quant) | fp32 | - | {fp32_acc:.2f}% | - | 100.00% |",
    ]
    for method, granularity, acc, agree, _ in results:
        mark = " (default)" if (method, granularity) == (DEFAULT_METHOD, "per-channel") else ""
        method = method.replace("|", "\\|")
        lines.append(f"| int8 (quant){mark} | {granularity} | {method} | {acc:.2f}% | "
                     f"{acc - fp32_acc:+.2f} | {agree:.2f}% |")
    lines.append(f"| int8 (PyTorch {torch_res['torch_version']}, {torch_res['engine']}) "
                 f"| per-channel | HistogramObserver | {torch_res['int8_accuracy']:.2f}% | "
                 f"{torch_res['int8_accuracy'] - fp32_acc:+.2f} | "
                 f"{torch_res['int8_agreement_with_fp32']:.2f}% |")
    lines.append(f"| int8 (PyTorch {torch_res['torch_version']}, {torch_res['engine']}) "
                 f"| per-tensor | HistogramObserver | "
                 f"{torch_res['int8_per_tensor_weights_accuracy']:.2f}% | "
                 f"{torch_res['int8_per_tensor_weights_accuracy'] - fp32_acc:+.2f} | "
                 f"{torch_res['int8_per_tensor_weights_agreement_with_fp32']:.2f}% |")
    accuracy_table = "\n".join(lines)
    artifact_table = "\n".join([
        "| artifact | constant data (.rodata) | latency batch 1 | latency batch 64 |",
        "|---|---|---|---|",
        f"| fp32 | {sizes['fp32']} B | {latency['fp32'][0]:.3f} ms | {latency['fp32'][1]:.2f} ms |",
        f"| int8 ({DEFAULT_METHOD}) | {sizes['int8']} B ({sizes['int8'] / sizes['fp32']:.2f}x) "
        f"| {latency['int8'][0]:.3f} ms ({latency['int8'][0] / latency['fp32'][0]:.2f}x) "
        f"| {latency['int8'][1]:.2f} ms ({latency['int8'][1] / latency['fp32'][1]:.2f}x) |",
    ])
    throughput = (f"Calibration throughput (B8): {calib_rate:.0f} samples/s through the "
                  f"instrumented model (quant-calibrate, batches of 32) against "
                  f"{float_rate:.0f} samples/s for the float model (quant-run): "
                  f"{calib_rate / float_rate:.2f}x (bar: >= 0.5x).")
    print()
    print(f"Fashion-MNIST CNN, {len(x)} test images, calibration on {args.count} "
          "training images")
    print(accuracy_table)
    print()
    print(artifact_table)
    print()
    print(throughput)

    command = "scripts/evaluate_ptq.py"
    if args.markdown:
        command += f" --markdown {os.path.relpath(args.markdown, ROOT)}"
    if args.plot:
        command += f" --plot {os.path.relpath(args.plot, ROOT)}"
        plot(args.plot, fp32_acc, results, torch_res)
    if args.markdown:
        machine = run(["uname", "-srm"]).strip()
        cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo")
                    if l.startswith("model name")), "unknown CPU")
        plot_line = (f"\n![accuracy per range method]({os.path.basename(args.plot)})\n"
                     if args.plot else "")
        with open(args.markdown, "w") as f:
            f.write(
                f"# Post-training quantization of the bundled CNN\n\n"
                f"Made by `/usr/bin/python3 {command}` on {datetime.date.today()} "
                f"({cpu}, {machine}).\n\n"
                f"`models/fmnist_cnn.onnx`, calibrated on {args.count} Fashion-MNIST "
                f"training images (`scripts/make_calibration_set.py`), evaluated on the "
                f"{len(x)} test images. Each int8 row is one `quant-compile model.onnx "
                f"--calibration-data=calib.npz --calibration-method=M` (activations u8 "
                f"per tensor, weights i8 symmetric); PyTorch runs eager-mode PTQ with its "
                f"default `onednn` qconfig on the same model and images "
                f"(`models/ptq_pytorch.py`).\n\n{accuracy_table}\n{plot_line}\n"
                f"**Entropy.** On this model the KL threshold of the first "
                f"activation stops inside the data. Background pixels (0) give "
                f"every channel of `conv1` the same output, ReLU(bias), so the "
                f"histogram of `/relu1/Relu` has one spike per channel (between "
                f"0.04 and 0.52), some 30 times the height of their neighbours. "
                f"Merging bins into 256 levels smears a spike over its "
                f"neighbours, which costs more divergence than clipping the tail, "
                f"so the search settles among the spikes, at about 0.5 of a "
                f"range that reaches 3.2. The per-layer report of the entropy "
                f"artifact shows it:\n\n"
                f"| observer | method | range | scale | zero point | clipped | SQNR |\n"
                f"|---|---|---|---|---|---|---|\n{entropy_relu1}\n"
                f"`--calibration-override={ENTROPY_FIX}` (the row with the override) "
                f"restores the accuracy.\n\n"
                f"## Artifacts\n\nLatencies are quant-run medians of the shared "
                f"libraries on all cores, fp32 and int8 interleaved over "
                f"{LATENCY_ROUNDS} rounds, median of the rounds (the machine is shared: "
                f"`bench/results/cpu-int8.md` has the interleaved comparison); "
                f"matmuls and convolutions run on the kernel library. Constant "
                f"data is the size of the libraries' .rodata sections, which "
                f"hold the weights as the kernels read them: packed in panels "
                f"of 16 (int8) or 32 (fp32) output channels, so this CNN's "
                f"16-channel layers are stored padded 2x in fp32 only; its "
                f"first convolution (one input channel) carries its int8 "
                f"weights twice (one kernel row per 4-byte group for the "
                f"in-place path).\n\n{artifact_table}\n\n"
                f"{throughput}\n\n"
                f"## Per-layer report of the default artifact\n\n"
                f"`quant-compile ... --report=PATH` writes it (Markdown and JSON).\n\n"
                f"{report}")
    return 0


def plot(path, fp32_acc, results, torch_res):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    labels = [f"{m.replace(', ', chr(10))}\n{g}" for m, g, *_ in results] + ["PyTorch\nper-channel",
                                                      "PyTorch\nper-tensor"]
    values = [acc for _, _, acc, *_ in results] + [
        torch_res["int8_accuracy"], torch_res["int8_per_tensor_weights_accuracy"]]
    colors = ["tab:blue"] * len(results) + ["tab:orange"] * 2
    fig, ax = plt.subplots(figsize=(9, 4))
    ax.bar(range(len(values)), values, color=colors)
    ax.axhline(fp32_acc, color="black", linestyle="--", label=f"fp32 {fp32_acc:.2f}%")
    ax.axhline(fp32_acc - 0.3, color="gray", linestyle=":", label="fp32 - 0.3")
    ax.set_xticks(range(len(values)), labels, fontsize=8)
    # Zoom on the interesting band; bars below it are labelled at its foot.
    low = fp32_acc - 1.0
    ax.set_ylim(low, max(values + [fp32_acc]) + 0.3)
    ax.set_ylabel("test accuracy (%)")
    ax.set_title("int8 post-training quantization of the Fashion-MNIST CNN")
    for i, v in enumerate(values):
        if v >= low:
            ax.text(i, v + 0.02, f"{v:.2f}", ha="center", fontsize=8)
        else:
            ax.text(i, low + 0.05, f"{v:.2f}\n(below the axis)", ha="center",
                    fontsize=8)
    ax.legend(loc="lower right")
    fig.tight_layout()
    fig.savefig(path, dpi=100)


if __name__ == "__main__":
    sys.exit(main())
