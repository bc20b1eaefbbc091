#!/usr/bin/env python3
"""PyTorch eager-mode post-training quantization of the bundled CNN: the
peer baseline for quant's PTQ.

  /usr/bin/python3 models/ptq_pytorch.py --onnx models/fmnist_cnn.onnx \
      --calibration calib.npz [--json out.json]

Builds train_fashion_mnist.CNN, loads its weights from the ONNX file's
initializers (same names as the module's state dict) and checks that it is
the same model: the torch module and the ONNX graph (executed node by node
with torch functional ops) must reach the same fp32 test accuracy and the
same predictions. Then, with the oneDNN quantized engine:
  - int8: get_default_qconfig('onednn'), i.e. HistogramObserver u8
    activations (per tensor, affine, full range) and PerChannelMinMaxObserver
    s8 symmetric weights;
  - int8, per-tensor weights (ablation): the same activation observer,
    MinMaxObserver s8 per-tensor symmetric weights;
each: fuse conv+relu pairs, prepare, calibrate on the calibration images
(batches of 64), convert, evaluate on the 10,000 test images. The residual
add already goes through nn.quantized.FloatFunctional; the ReLU after it stays
a separate (quantized) module. The calibration set comes from
scripts/make_calibration_set.py (without --calibration it is made in memory
with --count images by the same function).

Prints a table; --json writes
  {"command", "engine", "torch_version", "onnx", "calibration", "calibration_images",
   "test_images", "fp32_accuracy", "fp32_onnx_accuracy", "int8_accuracy",
   "int8_per_tensor_weights_accuracy", "int8_agreement_with_fp32",
   "int8_per_tensor_weights_agreement_with_fp32", "fp32_state_dict_bytes",
   "int8_state_dict_bytes", "int8_per_tensor_weights_state_dict_bytes",
   "seconds": {...}}
with accuracies in percent and state-dict sizes in bytes of torch.save.
"""
import argparse
import copy
import io
import json
import os
import sys
import time

import numpy as np
import onnx
import onnx.numpy_helper
import torch
import torch.ao.quantization as tq
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(ROOT, "scripts"))
from train_fashion_mnist import CNN, load_split  # noqa: E402
from make_calibration_set import calibration_set, model_input_name  # noqa: E402

ENGINE = "onednn"
FUSE = [["conv1", "relu1"], ["res_conv1", "res_relu"], ["pointwise", "relu3"]]


def load_cnn(model):
    """CNN with the ONNX initializers as its parameters (strict name match)."""
    weights = {t.name: torch.from_numpy(onnx.numpy_helper.to_array(t).copy())
               for t in model.graph.initializer}
    cnn = CNN()
    expected = set(cnn.state_dict())
    if set(weights) != expected:
        sys.exit(f"ONNX initializers {sorted(set(weights) - expected)} / module "
                 f"parameters {sorted(expected - set(weights))} do not match")
    cnn.load_state_dict(weights, strict=True)
    return cnn.eval()


def run_onnx_graph(model, x):
    """Executes the ONNX graph node by node with torch functional ops (only
    the operators the bundled CNN uses), independently of the CNN class."""
    env = {t.name: torch.from_numpy(onnx.numpy_helper.to_array(t).copy())
           for t in model.graph.initializer}
    env[model_input_name(model)] = x
    for node in model.graph.node:
        a = {attr.name: onnx.helper.get_attribute_value(attr) for attr in node.attribute}
        i = [env[n] for n in node.input if n]
        op = node.op_type
        if op == "Conv":
            pads = a.get("pads", [0, 0, 0, 0])
            xin = F.pad(i[0], [pads[1], pads[3], pads[0], pads[2]])
            y = F.conv2d(xin, i[1], i[2] if len(i) > 2 else None,
                         stride=a.get("strides", 1), dilation=a.get("dilations", 1),
                         groups=a.get("group", 1))
        elif op == "Relu":
            y = F.relu(i[0])
        elif op == "MaxPool":
            pads = a.get("pads", [0, 0, 0, 0])
            xin = F.pad(i[0], [pads[1], pads[3], pads[0], pads[2]], value=float("-inf"))
            y = F.max_pool2d(xin, a["kernel_shape"], a.get("strides", 1))
        elif op == "Add":
            y = i[0] + i[1]
        elif op == "GlobalAveragePool":
            y = i[0].mean(dim=(2, 3), keepdim=True)
        elif op == "Flatten":
            axis = a.get("axis", 1)
            y = i[0].reshape(int(np.prod(i[0].shape[:axis])), -1)
        elif op == "Gemm":
            A = i[0].t() if a.get("transA", 0) else i[0]
            B = i[1].t() if a.get("transB", 0) else i[1]
            y = a.get("alpha", 1.0) * (A @ B)
            if len(i) > 2:
                y = y + a.get("beta", 1.0) * i[2]
        else:
            sys.exit(f"run_onnx_graph: operator {op} not supported")
        env[node.output[0]] = y
    return env[model.graph.output[0].name]


def predict(fn, images, batch=1000):
    with torch.no_grad():
        return torch.cat([fn(torch.from_numpy(images[s:s + batch]))
                          for s in range(0, len(images), batch)]).argmax(1).numpy()


def state_dict_bytes(module):
    buf = io.BytesIO()
    torch.save(module.state_dict(), buf)
    return buf.tell()


def quantize(float_model, qconfig, calib):
    """Eager-mode PTQ: fuse, prepare, calibrate (batches of 64), convert."""
    m = copy.deepcopy(float_model).eval()
    tq.fuse_modules(m, FUSE, inplace=True)
    m.qconfig = qconfig
    tq.prepare(m, inplace=True)
    with torch.no_grad():
        for s in range(0, len(calib), 64):
            m(torch.from_numpy(calib[s:s + 64]))
    tq.convert(m, inplace=True)
    return m


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--onnx", default=os.path.join(HERE, "fmnist_cnn.onnx"))
    parser.add_argument("--calibration", help=".npz from scripts/make_calibration_set.py")
    parser.add_argument("--count", type=int, default=1000,
                        help="calibration images when --calibration is not given")
    parser.add_argument("--json", help="write the results here")
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    if ENGINE not in torch.backends.quantized.supported_engines:
        sys.exit(f"quantized engine {ENGINE} not in {torch.backends.quantized.supported_engines}")
    torch.backends.quantized.engine = ENGINE
    seconds = {}
    t0 = time.perf_counter()

    model = onnx.load(args.onnx)
    input_name = model_input_name(model)
    if args.calibration:
        npz = np.load(args.calibration)
        if not isinstance(npz, np.lib.npyio.NpzFile) or list(npz.files) != [input_name]:
            sys.exit(f"{args.calibration}: expected an .npz holding one array {input_name!r}")
        calib = np.ascontiguousarray(npz[input_name], dtype=np.float32)
        npz.close()
    else:
        calib, _ = calibration_set(args.count)
    if calib.ndim != 4 or calib.shape[1:] != (1, 28, 28):
        sys.exit(f"calibration images have shape {list(calib.shape)}, expected [N, 1, 28, 28]")
    test_x, test_y = load_split("t10k")

    cnn = load_cnn(model)
    fp32_pred = predict(cnn, test_x)
    onnx_pred = predict(lambda x: run_onnx_graph(model, x), test_x)
    fp32_acc = (fp32_pred == test_y).mean() * 100
    onnx_acc = (onnx_pred == test_y).mean() * 100
    same = (fp32_pred == onnx_pred).mean() * 100
    print(f"fp32 torch CNN {fp32_acc:.2f}%, fp32 ONNX graph {onnx_acc:.2f}%, "
          f"same prediction {same:.2f}%")
    if same != 100.0:
        sys.exit("the torch module and the ONNX graph disagree: not the same model")
    seconds["load_and_verify_fp32"] = time.perf_counter() - t0

    per_channel = tq.get_default_qconfig(ENGINE)
    per_tensor = tq.QConfig(
        activation=per_channel.activation,
        weight=tq.MinMaxObserver.with_args(dtype=torch.qint8,
                                           qscheme=torch.per_tensor_symmetric))
    results = {}
    for key, qconfig in [("int8", per_channel), ("int8_per_tensor_weights", per_tensor)]:
        t = time.perf_counter()
        q = quantize(cnn, qconfig, calib)
        seconds[f"{key}_calibrate_convert"] = time.perf_counter() - t
        t = time.perf_counter()
        pred = predict(q, test_x)
        seconds[f"{key}_evaluate"] = time.perf_counter() - t
        results[key] = ((pred == test_y).mean() * 100, (pred == fp32_pred).mean() * 100,
                        state_dict_bytes(q))
    seconds["total"] = time.perf_counter() - t0

    fp32_bytes = state_dict_bytes(cnn)
    print(f"\nPyTorch {torch.__version__} eager PTQ, engine {ENGINE}, "
          f"{len(calib)} calibration images, {len(test_x)} test images")
    print("| model | accuracy | same prediction as fp32 | state dict |")
    print("|---|---|---|---|")
    print(f"| fp32 | {fp32_acc:.2f}% | 100.00% | {fp32_bytes} B |")
    for key, title in [("int8", "int8, per-channel weights (default onednn qconfig)"),
                       ("int8_per_tensor_weights", "int8, per-tensor weights")]:
        acc, agree, size = results[key]
        print(f"| {title} | {acc:.2f}% | {agree:.2f}% | {size} B |")
    print("seconds: " + ", ".join(f"{k} {v:.2f}" for k, v in seconds.items()))

    if args.json:
        out = {
            "command": " ".join([os.path.relpath(os.path.abspath(sys.argv[0]), ROOT)] + sys.argv[1:]),
            "engine": ENGINE,
            "torch_version": torch.__version__,
            "onnx": os.path.relpath(os.path.abspath(args.onnx), ROOT),
            "calibration": args.calibration or f"make_calibration_set.calibration_set({args.count})",
            "calibration_images": int(len(calib)),
            "test_images": int(len(test_x)),
            "fp32_accuracy": round(float(fp32_acc), 4),
            "fp32_onnx_accuracy": round(float(onnx_acc), 4),
            "int8_accuracy": round(float(results["int8"][0]), 4),
            "int8_per_tensor_weights_accuracy": round(float(results["int8_per_tensor_weights"][0]), 4),
            "int8_agreement_with_fp32": round(float(results["int8"][1]), 4),
            "int8_per_tensor_weights_agreement_with_fp32":
                round(float(results["int8_per_tensor_weights"][1]), 4),
            "fp32_state_dict_bytes": fp32_bytes,
            "int8_state_dict_bytes": results["int8"][2],
            "int8_per_tensor_weights_state_dict_bytes": results["int8_per_tensor_weights"][2],
            "seconds": {k: round(v, 3) for k, v in seconds.items()},
        }
        with open(args.json, "w") as f:
            json.dump(out, f, indent=2)
            f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
