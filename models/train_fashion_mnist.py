#!/usr/bin/env python3
"""Trains the bundled Fashion-MNIST models and exports them to ONNX.

Run by hand (CI uses the committed .onnx files):

  /usr/bin/python3 models/train_fashion_mnist.py [--models mlp,cnn,qat]
      [--epochs 12] [--qat-epochs 2] [--threads 1] [--out models]

Data: Debian's dataset-fashion-mnist (/usr/share/datasets/fashion-mnist).
Writes
  fmnist_mlp.onnx     784-128-10 MLP (float): Adam 1e-3, 8 epochs,
                      87.22% test accuracy
  fmnist_cnn.onnx     CNN with a residual block and a depthwise-separable
                      block (float), 90.31% test accuracy
  fmnist_cnn_qat.onnx the CNN fine-tuned with quantization-aware training
                      (per-channel symmetric int8 weights, per-tensor u8
                      activations) and exported as QDQ ONNX, 90.23%
and prints each model's test accuracy. Inputs are N x 1 x 28 x 28 float32
pixels scaled to [0, 1]; the batch dimension is dynamic. --models trains a
subset (the committed MLP predates the CNN recipe below; `--models cnn,qat`
leaves it alone).

The CNN has 16 channels up to the depthwise convolution and 64 after the
pointwise one (the GAP features the classifier sees). It trains as CNNTrain,
the same network with a BatchNorm after every convolution (the last
BatchNorm of the residual branch starts at zero), for 12 epochs of SGD
(Nesterov momentum 0.9, batch 128) with a one-cycle learning rate (peak 0.1,
20% warm-up, cosine decay), weight decay 5e-4 on weights only and random
horizontal flips (--shift N adds random shifts of up to N pixels; off by
default). Each BatchNorm is then folded into its convolution's weight and
bias, so the exported graph is Conv, Relu, MaxPool, Add, GlobalAveragePool,
Flatten and Gemm only, and CNN's state dict (conv1.weight, conv1.bias, ...)
matches the ONNX initializers (models/ptq_pytorch.py loads them strictly).
Activations stay small: on 10,000 training images the residual add ranges
over about [-10, 9] and the logits over [-13, 23]. QAT fine-tunes the folded
CNN for 2 epochs (SGD, one-cycle peak 0.005, no weight decay or
augmentation). With --threads 1 an epoch takes about 25 s on an idle core of
the 2-core build machine (QAT epochs about 35 s), under 7 minutes in all.

QAT trains CNNQAT, the same network with each ReLU fake-quantized together
with the op feeding it (fuse_modules_qat on the convolutions, add_relu on the
residual add) and a fake-quant after the global average pool, so that every
Conv, the Add, the pools and the Gemm sit between QuantizeLinear and
DequantizeLinear in the export. make_qdq_fusable then makes the QDQ scales
and zero points scalars and repeats the pooled features' pair after the
Flatten (both exact). ONNX Runtime's default optimizations turn the whole
graph into integer kernels (QLinearConv, QLinearAdd, QLinearGlobalAveragePool,
QGemm, max pooling on uint8).
"""
import argparse
import gzip
import os
import time

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

    def __init__(self, channels=16, features=64):
        super().__init__()
        self.quant = tq.QuantStub()
        self.conv1 = nn.Conv2d(1, channels, 3, padding=1)
        self.relu1 = nn.ReLU()
        self.pool1 = nn.MaxPool2d(2)
        self.res_conv1 = nn.Conv2d(channels, channels, 3, padding=1)
        self.res_relu = nn.ReLU()
        self.res_conv2 = nn.Conv2d(channels, channels, 3, padding=1)
        self.res_add = nn.quantized.FloatFunctional()
        self.relu2 = nn.ReLU()
        self.pool2 = nn.MaxPool2d(2)
        self.depthwise = nn.Conv2d(channels, channels, 3, padding=1, groups=channels)
        self.pointwise = nn.Conv2d(channels, features, 1)
        self.relu3 = nn.ReLU()
        self.gap = nn.AdaptiveAvgPool2d(1)
        self.flatten = nn.Flatten()
        self.fc = nn.Linear(features, 10)
        self.dequant = tq.DeQuantStub()

    def forward(self, x):
        x = self.quant(x)
        x = self.pool1(self.relu1(self.conv1(x)))
        y = self.res_conv2(self.res_relu(self.res_conv1(x)))
        x = self.pool2(self.relu2(self.res_add.add(x, y)))
        x = self.relu3(self.pointwise(self.depthwise(x)))
        return self.dequant(self.fc(self.flatten(self.gap(x))))


class CNNQAT(CNN):
    """The CNN as quantization-aware training runs and exports it: the same
    parameters and float function, with each ReLU fake-quantized together
    with what feeds it (conv1, res_conv1 and pointwise are fused with their
    ReLU by fuse_modules_qat; the residual add uses FloatFunctional.add_relu)
    so that activations are quantized after the ReLU, and a fake-quant on
    the global average pool's output (gap_quant). ONNX Runtime then finds a
    DequantizeLinear (directly or through MaxPool) in front of every Conv,
    the Add and the Gemm and fuses the whole graph into integer kernels."""

    def __init__(self):
        super().__init__()
        self.gap_quant = tq.QuantStub()

    def forward(self, x):
        x = self.quant(x)
        x = self.pool1(self.relu1(self.conv1(x)))
        y = self.res_conv2(self.res_relu(self.res_conv1(x)))
        x = self.pool2(self.res_add.add_relu(x, y))
        x = self.relu3(self.pointwise(self.depthwise(x)))
        x = self.gap_quant(self.gap(x))
        return self.dequant(self.fc(self.flatten(x)))


class CNNTrain(CNN):
    """CNN with a BatchNorm after every convolution, for training only.

    fold() returns the inference CNN (same parameter names, no BatchNorm)
    with each BatchNorm folded into the weights and bias of its convolution.
    """

    def __init__(self):
        super().__init__()
        self.bn1 = nn.BatchNorm2d(self.conv1.out_channels)
        self.res_bn1 = nn.BatchNorm2d(self.res_conv1.out_channels)
        self.res_bn2 = nn.BatchNorm2d(self.res_conv2.out_channels)
        self.dw_bn = nn.BatchNorm2d(self.depthwise.out_channels)
        self.pw_bn = nn.BatchNorm2d(self.pointwise.out_channels)
        # The convolution bias is redundant in front of a BatchNorm.
        for conv in self.conv_bn():
            conv[0].bias.data.zero_()
            conv[0].bias.requires_grad_(False)
        # Start the residual branch near the identity.
        nn.init.zeros_(self.res_bn2.weight)

    def conv_bn(self):
        return [(self.conv1, self.bn1), (self.res_conv1, self.res_bn1),
                (self.res_conv2, self.res_bn2), (self.depthwise, self.dw_bn),
                (self.pointwise, self.pw_bn)]

    def forward(self, x):
        x = self.pool1(self.relu1(self.bn1(self.conv1(x))))
        y = self.res_bn2(self.res_conv2(self.res_relu(self.res_bn1(self.res_conv1(x)))))
        x = self.pool2(self.relu2(self.res_add.add(x, y)))
        x = self.relu3(self.pw_bn(self.pointwise(self.dw_bn(self.depthwise(x)))))
        return self.fc(self.flatten(self.gap(x)))

    @torch.no_grad()
    def fold(self):
        """The inference CNN: w' = w * g / sqrt(v + eps),
        b' = (b - m) * g / sqrt(v + eps) + beta, per output channel."""
        cnn = CNN()
        state = {k: v.clone() for k, v in self.state_dict().items() if k in cnn.state_dict()}
        for conv, bn in self.conv_bn():
            name = next(n for n, m in self.named_children() if m is conv)
            scale = bn.weight / torch.sqrt(bn.running_var + bn.eps)
            state[f"{name}.weight"] = conv.weight * scale.reshape(-1, 1, 1, 1)
            state[f"{name}.bias"] = (conv.bias - bn.running_mean) * scale + bn.bias
        cnn.load_state_dict(state, strict=True)
        return cnn.eval()


def augment(x, gen, shift):
    """Random horizontal flip and a random shift of up to `shift` pixels
    (zero fill)."""
    n = len(x)
    flip = torch.rand(n, generator=gen) < 0.5
    x = torch.where(flip.reshape(-1, 1, 1, 1), x.flip(3), x)
    if shift == 0:
        return x
    padded = nn.functional.pad(x, (shift, shift, shift, shift))
    dy = torch.randint(0, 2 * shift + 1, (n,), generator=gen)
    dx = torch.randint(0, 2 * shift + 1, (n,), generator=gen)
    r = torch.arange(28)
    rows = (dy[:, None] + r)[:, :, None]
    cols = (dx[:, None] + r)[:, None, :]
    return padded[torch.arange(n)[:, None, None], 0, rows, cols].unsqueeze(1)


def train_adam(model, images, labels, epochs, lr):
    """Adam, constant learning rate, no augmentation (the MLP's recipe)."""
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


def train(model, images, labels, epochs, lr, weight_decay=5e-4, aug=True, shift=0,
          test=None, batch=128):
    """SGD with Nesterov momentum, one-cycle learning rate (warm-up then
    cosine decay to ~0), weight decay on weights only (not on biases or
    BatchNorm parameters), random flip and shift augmentation."""
    decay = [p for n, p in model.named_parameters() if p.requires_grad and p.ndim > 1]
    no_decay = [p for n, p in model.named_parameters() if p.requires_grad and p.ndim <= 1]
    opt = torch.optim.SGD([{"params": decay, "weight_decay": weight_decay},
                           {"params": no_decay, "weight_decay": 0.0}],
                          lr=lr, momentum=0.9, nesterov=True)
    steps = (len(images) + batch - 1) // batch
    sched = torch.optim.lr_scheduler.OneCycleLR(
        opt, max_lr=lr, total_steps=epochs * steps, pct_start=0.2,
        div_factor=10, final_div_factor=100)
    loss_fn = nn.CrossEntropyLoss()
    gen = torch.Generator().manual_seed(0)
    x_all, y_all = torch.from_numpy(images), torch.from_numpy(labels)
    for epoch in range(epochs):
        t0 = time.perf_counter()
        model.train()
        order = torch.randperm(len(x_all), generator=gen)
        total = correct = 0.0
        for start in range(0, len(order), batch):
            idx = order[start:start + batch]
            x = augment(x_all[idx], gen, shift) if aug else x_all[idx]
            opt.zero_grad()
            logits = model(x)
            loss = loss_fn(logits, y_all[idx])
            loss.backward()
            opt.step()
            sched.step()
            total += loss.item() * len(idx)
            correct += (logits.argmax(1) == y_all[idx]).sum().item()
        msg = (f"  epoch {epoch + 1}/{epochs}: loss {total / len(order):.4f}, "
               f"train accuracy {correct / len(order) * 100:.2f}%")
        if test is not None:
            msg += f", test accuracy {accuracy(model, *test):.2f}%"
        print(f"{msg} ({time.perf_counter() - t0:.0f} s)", flush=True)


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


def make_qdq_fusable(path):
    """Post-export cleanup of the QAT QDQ model, exact (no value changes):
    1-element scales and zero points of QuantizeLinear/DequantizeLinear
    become scalars (ONNX Runtime's QDQ fusions of Add, MaxPool and
    GlobalAveragePool require scalars), and the Flatten between the pooled
    features and the Gemm gets a QuantizeLinear/DequantizeLinear pair with
    the parameters of the DequantizeLinear feeding it (Flatten moves values
    without changing them; ONNX Runtime propagates such pairs through MaxPool
    and Reshape but not Flatten), so the Gemm reads a DequantizeLinear."""
    import onnx
    from onnx import helper, numpy_helper
    model = onnx.load(path)
    graph = model.graph
    qdq = ("QuantizeLinear", "DequantizeLinear")
    params = {n.input[i] for n in graph.node if n.op_type in qdq
              for i in (1, 2) if len(n.input) > i}
    for tensor in graph.initializer:
        if tensor.name in params and list(tensor.dims) == [1]:
            value = numpy_helper.to_array(tensor).reshape(())
            tensor.CopyFrom(numpy_helper.from_array(value, tensor.name))
    producer = {out: n for n in graph.node for out in n.output}
    nodes = list(graph.node)
    for flatten in [n for n in nodes if n.op_type == "Flatten"]:
        dq = producer.get(flatten.input[0])
        if dq is None or dq.op_type != "DequantizeLinear":
            continue
        out = flatten.output[0]
        q_out, dq_out = out + "_quantized", out + "_dequantized"
        for n in graph.node:
            n.input[:] = [dq_out if i == out else i for i in n.input]
        index = list(graph.node).index(flatten) + 1
        graph.node.insert(index, helper.make_node(
            "DequantizeLinear", [q_out, *dq.input[1:]], [dq_out],
            name=flatten.name + "_DequantizeLinear"))
        graph.node.insert(index, helper.make_node(
            "QuantizeLinear", [out, *dq.input[1:]], [q_out],
            name=flatten.name + "_QuantizeLinear"))
    onnx.checker.check_model(model)
    onnx.save(model, path)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--models", default="mlp,cnn,qat",
                        help="comma-separated subset of mlp, cnn, qat (qat "
                             "fine-tunes the fmnist_cnn.onnx found in --out "
                             "when cnn is not trained in the same run)")
    parser.add_argument("--mlp-epochs", type=int, default=8)
    parser.add_argument("--epochs", type=int, default=12, help="CNN epochs")
    parser.add_argument("--lr", type=float, default=0.1, help="CNN peak learning rate")
    parser.add_argument("--shift", type=int, default=0,
                        help="CNN augmentation: random shift of up to this many pixels")
    parser.add_argument("--qat-epochs", type=int, default=2)
    parser.add_argument("--qat-lr", type=float, default=0.005)
    parser.add_argument("--threads", type=int, default=1,
                        help="torch threads (1: fastest on a shared 2-core "
                             "machine, and reproducible)")
    parser.add_argument("--out", default=os.path.dirname(os.path.abspath(__file__)))
    args = parser.parse_args()
    which = set(args.models.split(","))
    if not which <= {"mlp", "cnn", "qat"}:
        parser.error(f"--models: unknown {sorted(which - {'mlp', 'cnn', 'qat'})}")
    torch.manual_seed(0)
    torch.set_num_threads(args.threads)
    train_x, train_y = load_split("train")
    test_x, test_y = load_split("t10k")
    start = time.perf_counter()

    if "mlp" in which:
        print("MLP")
        torch.manual_seed(0)
        mlp = MLP()
        train_adam(mlp, train_x, train_y, args.mlp_epochs, 1e-3)
        print(f"  test accuracy {accuracy(mlp, test_x, test_y):.2f}%")
        export(mlp, os.path.join(args.out, "fmnist_mlp.onnx"))

    cnn_path = os.path.join(args.out, "fmnist_cnn.onnx")
    if "cnn" in which:
        print("CNN (trained with BatchNorm, folded into the convolutions for export)")
        torch.manual_seed(0)
        bn = CNNTrain()
        train(bn, train_x, train_y, args.epochs, args.lr, shift=args.shift,
              test=(test_x, test_y))
        cnn = bn.fold()
        print(f"  test accuracy {accuracy(bn, test_x, test_y):.2f}% with BatchNorm, "
              f"{accuracy(cnn, test_x, test_y):.2f}% folded")
        export(cnn, cnn_path)
    elif "qat" in which:
        import onnx
        import onnx.numpy_helper
        cnn = CNN()
        cnn.load_state_dict({t.name: torch.from_numpy(onnx.numpy_helper.to_array(t).copy())
                             for t in onnx.load(cnn_path).graph.initializer}, strict=True)

    if "qat" in which:
        # QAT: FakeQuantize modules (not the fused observer + fake-quant,
        # which does not export in torch 1.13, nor does the narrow range
        # [-127, 127]) export as QuantizeLinear / DequantizeLinear pairs.
        # Fine-tunes the folded CNN (no BatchNorm), without augmentation or
        # weight decay; each ReLU is fused with its convolution so that the
        # activation is fake-quantized after it (see CNNQAT).
        print("CNN, quantization-aware training")
        qconfig = tq.QConfig(
            activation=tq.FakeQuantize.with_args(
                observer=tq.MovingAverageMinMaxObserver, quant_min=0,
                quant_max=255, dtype=torch.quint8, qscheme=torch.per_tensor_affine),
            weight=tq.FakeQuantize.with_args(
                observer=tq.MovingAveragePerChannelMinMaxObserver, quant_min=-128,
                quant_max=127, dtype=torch.qint8,
                qscheme=torch.per_channel_symmetric, ch_axis=0))
        torch.manual_seed(0)
        qat = CNNQAT()
        qat.load_state_dict(cnn.state_dict())
        qat.qconfig = qconfig
        qat.train()
        tq.fuse_modules_qat(qat, [["conv1", "relu1"], ["res_conv1", "res_relu"],
                                  ["pointwise", "relu3"]], inplace=True)
        tq.prepare_qat(qat, inplace=True)
        train(qat, train_x, train_y, args.qat_epochs, args.qat_lr, weight_decay=0.0,
              aug=False)
        qat.apply(tq.disable_observer)
        print(f"  test accuracy (fake-quantized) {accuracy(qat, test_x, test_y):.2f}%")
        qat_path = os.path.join(args.out, "fmnist_cnn_qat.onnx")
        export(qat, qat_path)
        make_qdq_fusable(qat_path)
    print(f"total training time {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
