#!/usr/bin/env python3
"""Trains the bundled Fashion-MNIST models and exports them to ONNX.

Run by hand (CI uses the committed .onnx files):

  /usr/bin/python3 models/train_fashion_mnist.py [--epochs 8] [--qat-epochs 2] [--out models]

Data: Debian's dataset-fashion-mnist (/usr/share/datasets/fashion-mnist).
Writes
  fmnist_mlp.onnx     784-128-10 MLP (float)
  fmnist_cnn.onnx     CNN with a residual block and a depthwise-separable
                      block (float)
  fmnist_cnn_qat.onnx the CNN fine-tuned with quantization-aware training
                      (per-channel symmetric int8 weights, per-tensor u8
                      activations) and exported as QDQ ONNX
and prints each model's test accuracy. Inputs are N x 1 x 28 x 28 float32
pixels scaled to [0, 1]; the batch dimension is dynamic.
"""
import argparse
import gzip
import os

import numpy as np
import torch
import torch.nn as nn
import torch.ao.quantization as tq

DATA = "/usr/share/datasets/fashion-mnist"


def load_split(prefix):
    """Images (N, 1, 28, 28) float32 in [0, 1] and labels (N,) int64."""
    with gzip.open(f"{DATA}/{prefix}-images-idx3-ubyte.gz") as f:
        images = np.frombuffer(f.read(), np.uint8, offset=16)
    with gzip.open(f"{DATA}/{prefix}-labels-idx1-ubyte.gz") as f:
        labels = np.frombuffer(f.read(), np.uint8, offset=8)
    images = images.reshape(-1, 1, 28, 28).astype(np.float32) / 255.0
    return images, labels.astype(np.int64)


class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.quant = tq.QuantStub()
        self.flatten = nn.Flatten()
        self.fc1 = nn.Linear(784, 128)
        self.relu = nn.ReLU()
        self.fc2 = nn.Linear(128, 10)
        self.dequant = tq.DeQuantStub()

    def forward(self, x):
        x = self.quant(x)
        x = self.relu(self.fc1(self.flatten(x)))
        return self.dequant(self.fc2(x))


class CNN(nn.Module):
    """conv-pool, a residual block, a depthwise-separable block, GAP, FC."""

    def __init__(self):
        super().__init__()
        self.quant = tq.QuantStub()
        self.conv1 = nn.Conv2d(1, 16, 3, padding=1)
        self.relu1 = nn.ReLU()
        self.pool1 = nn.MaxPool2d(2)
        self.res_conv1 = nn.Conv2d(16, 16, 3, padding=1)
        self.res_relu = nn.ReLU()
        self.res_conv2 = nn.Conv2d(16, 16, 3, padding=1)
        self.res_add = nn.quantized.FloatFunctional()
        self.relu2 = nn.ReLU()
        self.pool2 = nn.MaxPool2d(2)
        self.depthwise = nn.Conv2d(16, 16, 3, padding=1, groups=16)
        self.pointwise = nn.Conv2d(16, 32, 1)
        self.relu3 = nn.ReLU()
        self.gap = nn.AdaptiveAvgPool2d(1)
        self.flatten = nn.Flatten()
        self.fc = nn.Linear(32, 10)
        self.dequant = tq.DeQuantStub()

    def forward(self, x):
        x = self.quant(x)
        x = self.pool1(self.relu1(self.conv1(x)))
        y = self.res_conv2(self.res_relu(self.res_conv1(x)))
        x = self.pool2(self.relu2(self.res_add.add(x, y)))
        x = self.relu3(self.pointwise(self.depthwise(x)))
        return self.dequant(self.fc(self.flatten(self.gap(x))))


def train(model, images, labels, epochs, lr):
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    loss_fn = nn.CrossEntropyLoss()
    gen = torch.Generator().manual_seed(0)
    x_all, y_all = torch.from_numpy(images), torch.from_numpy(labels)
    for epoch in range(epochs):
        model.train()
        order = torch.randperm(len(x_all), generator=gen)
        total = 0.0
        for start in range(0, len(order), 128):
            idx = order[start:start + 128]
            opt.zero_grad()
            loss = loss_fn(model(x_all[idx]), y_all[idx])
            loss.backward()
            opt.step()
            total += loss.item() * len(idx)
        print(f"  epoch {epoch + 1}: loss {total / len(order):.4f}", flush=True)


def accuracy(model, images, labels):
    model.eval()
    with torch.no_grad():
        logits = torch.cat([model(torch.from_numpy(images[i:i + 1000]))
                            for i in range(0, len(images), 1000)])
    return (logits.argmax(1).numpy() == labels).mean() * 100


def export(model, path, opset=13):
    model.eval()
    torch.onnx.export(model, torch.zeros(1, 1, 28, 28), path,
                      input_names=["image"], output_names=["logits"],
                      dynamic_axes={"image": {0: "batch"}, "logits": {0: "batch"}},
                      opset_version=opset, do_constant_folding=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=8)
    parser.add_argument("--qat-epochs", type=int, default=2)
    parser.add_argument("--out", default=os.path.dirname(os.path.abspath(__file__)))
    args = parser.parse_args()
    torch.manual_seed(0)
    torch.set_num_threads(os.cpu_count())
    train_x, train_y = load_split("train")
    test_x, test_y = load_split("t10k")

    print("MLP")
    mlp = MLP()
    train(mlp, train_x, train_y, args.epochs, 1e-3)
    print(f"  test accuracy {accuracy(mlp, test_x, test_y):.2f}%")
    export(mlp, os.path.join(args.out, "fmnist_mlp.onnx"))

    print("CNN")
    cnn = CNN()
    train(cnn, train_x, train_y, args.epochs, 2e-3)
    print(f"  test accuracy {accuracy(cnn, test_x, test_y):.2f}%")
    export(cnn, os.path.join(args.out, "fmnist_cnn.onnx"))

    # QAT: non-fused FakeQuantize modules export as QuantizeLinear /
    # DequantizeLinear pairs (fused fake-quant does not export in torch 1.13,
    # nor does the narrow range [-127, 127]).
    print("CNN, quantization-aware training")
    qconfig = tq.QConfig(
        activation=tq.FakeQuantize.with_args(
            observer=tq.MovingAverageMinMaxObserver, quant_min=0,
            quant_max=255, dtype=torch.quint8, qscheme=torch.per_tensor_affine),
        weight=tq.FakeQuantize.with_args(
            observer=tq.MovingAveragePerChannelMinMaxObserver, quant_min=-128,
            quant_max=127, dtype=torch.qint8,
            qscheme=torch.per_channel_symmetric, ch_axis=0))
    qat = CNN()
    qat.load_state_dict(cnn.state_dict())
    qat.qconfig = qconfig
    qat.train()
    tq.prepare_qat(qat, inplace=True)
    train(qat, train_x, train_y, args.qat_epochs, 2e-4)
    qat.apply(tq.disable_observer)
    print(f"  test accuracy (fake-quantized) {accuracy(qat, test_x, test_y):.2f}%")
    export(qat, os.path.join(args.out, "fmnist_cnn_qat.onnx"))


if __name__ == "__main__":
    main()
