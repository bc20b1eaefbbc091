#!/usr/bin/env python3
"""A fixed calibration subset of the Fashion-MNIST training set, as .npz.

  make_calibration_set.py [--count 1000] [--model models/fmnist_cnn.onnx]
                          [--indices-out IDX.npy] -o calib.npz

The subset: the first N entries of a permutation of the 60,000 training
image indices made by numpy's legacy RandomState(0) (its stream is frozen by
NumPy's compatibility policy, so every NumPy version picks the same images).
Classes are not balanced. The images are preprocessed exactly like
evaluate_models.py does for inference: uint8 pixels reshaped to
N x 1 x 28 x 28, float32, divided by 255. The .npz holds one array named
after the model's first graph input ("image" for the bundled models), so it
feeds quant's calibration and the PyTorch PTQ baseline
(models/ptq_pytorch.py, which imports calibration_set from here) alike.
--indices-out also writes the chosen training-set indices (int64, .npy).
"""
import argparse
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from evaluate_models import load  # noqa: E402  (the inference preprocessing)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TRAIN_IMAGES = 60000
SEED = 0


def calibration_indices(count, seed=SEED):
    """Training-set indices of the calibration subset, in selection order."""
    if not 0 < count <= TRAIN_IMAGES:
        raise ValueError(f"count must be in [1, {TRAIN_IMAGES}], got {count}")
    return np.random.RandomState(seed).permutation(TRAIN_IMAGES)[:count].astype(np.int64)


def calibration_set(count, seed=SEED):
    """(images [count, 1, 28, 28] float32 in [0, 1], indices) of the subset."""
    images, _ = load("train")
    assert len(images) == TRAIN_IMAGES, len(images)
    indices = calibration_indices(count, seed)
    return np.ascontiguousarray(images[indices]), indices


def model_input_name(model):
    """The name of the first graph input that is not an initializer, of an
    ONNX ModelProto or of the ONNX file at that path."""
    if isinstance(model, str):
        import onnx
        model = onnx.load(model, load_external_data=False)
    initializers = {t.name for t in model.graph.initializer}
    return next(i.name for i in model.graph.input if i.name not in initializers)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--model", default=os.path.join(ROOT, "models", "fmnist_cnn.onnx"),
                        help="ONNX model whose input name keys the array")
    parser.add_argument("--indices-out", help="also write the chosen indices (.npy)")
    parser.add_argument("-o", "--output", required=True)
    args = parser.parse_args()
    name = model_input_name(args.model)
    images, indices = calibration_set(args.count)
    np.savez(args.output, **{name: images})
    if args.indices_out:
        np.save(args.indices_out, indices)
    print(f"{args.output}: {name} {list(images.shape)} float32, training images "
          f"RandomState({SEED}).permutation({TRAIN_IMAGES})[:{args.count}]")
    return 0


if __name__ == "__main__":
    sys.exit(main())
