#!/usr/bin/env python3
"""Writes QuantizeLinear models whose inputs are rounding ties, with the
scale and zero point as initializers (static path) or as graph inputs
(run-time path), plus the input arrays.

  quantize_ties.py OUTDIR
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

out = sys.argv[1]
# Ties at scale 1 and 0.5 (x / s lands on k + 0.5), saturation edges.
x = np.array([0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 126.5, 127.5, -128.5, -129.0],
             np.float32)
np.save(os.path.join(out, "x.npy"), x)
np.save(os.path.join(out, "scale.npy"), np.array(1.0, np.float32))
np.save(os.path.join(out, "zp.npy"), np.array(0, np.int8))


def save(name, graph):
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, os.path.join(out, name))


node = helper.make_node("QuantizeLinear", ["x", "scale", "zp"], ["y"], name="q")
x_info = helper.make_tensor_value_info("x", TensorProto.FLOAT, [10])
y_info = helper.make_tensor_value_info("y", TensorProto.INT8, [10])
save("static.onnx", helper.make_graph(
    [node], "ties", [x_info], [y_info],
    initializer=[numpy_helper.from_array(np.array(1.0, np.float32), "scale"),
                 numpy_helper.from_array(np.array(0, np.int8), "zp")]))
save("runtime.onnx", helper.make_graph(
    [node], "ties",
    [x_info, helper.make_tensor_value_info("scale", TensorProto.FLOAT, []),
     helper.make_tensor_value_info("zp", TensorProto.INT8, [])],
    [y_info]))
