#!/usr/bin/env python3
"""Compares quant-run's and ONNX Runtime's outputs of a QDQ model as the
integers of its final QuantizeLinear: q = y / scale + zero_point, with the
scale and zero point of the last DequantizeLinear, which must be integral
for both (each side produced (q - zp) * scale).

  qat_vs_ort.py gen OUT.npy N            first N Fashion-MNIST test images
  qat_vs_ort.py compare MODEL.onnx QUANT.npz ORT.npy MAX_DIFFER_PERCENT

Exits non-zero if more than MAX_DIFFER_PERCENT of the quantized logits
differ or any differs by more than one quantization step; 0 asks for equal
logits.
"""
import gzip
import sys

import numpy as np
import onnx
from onnx import numpy_helper


def main(argv):
    if argv[1] == "gen":
        with gzip.open("/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz") as f:
            images = np.frombuffer(f.read(), np.uint8, offset=16)
        images = images.reshape(-1, 1, 28, 28).astype(np.float32) / 255.0
        np.save(argv[2], images[: int(argv[3])])
        return 0
    model = onnx.load(argv[2])
    init = {t.name: numpy_helper.to_array(t) for t in model.graph.initializer}
    last = [n for n in model.graph.node if n.op_type == "DequantizeLinear"][-1]
    scale = np.float32(init[last.input[1]])
    zero_point = np.int64(init[last.input[2]]) if len(last.input) > 2 else 0
    ours = np.load(argv[3])["output_0"]
    ort = np.load(argv[4])

    def to_int(y):
        q = y.astype(np.float64) / np.float64(scale)
        r = np.rint(q)
        assert np.all(np.abs(q - r) < 1e-3), "outputs are not on the quantization grid"
        return r.astype(np.int64) + zero_point

    qa, qb = to_int(ours), to_int(ort)
    differ = int(np.count_nonzero(qa != qb))
    worst = int(np.abs(qa - qb).max())
    percent = differ / qa.size * 100
    print(f"{qa.size} quantized logits, {differ} differ ({percent:.2f}%), "
          f"max |difference| {worst} LSB, "
          f"argmax agreement {np.mean(ours.argmax(1) == ort.argmax(1)) * 100:.1f}%")
    return 0 if worst <= 1 and percent <= float(argv[5]) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
