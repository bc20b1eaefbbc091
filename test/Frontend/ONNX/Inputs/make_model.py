#!/usr/bin/env python3
"""Writes the ONNX models (good and deliberately broken) that the
quant-import-onnx lit tests feed to the importer, and checks the end-to-end
results against an independent NumPy reference.

    make_model.py CASE OUT_DIR      write CASE's files into OUT_DIR
    make_model.py check-run-float OUT_DIR
                                    compare OUT_DIR/run_float.out.npz with
                                    the NumPy reference that `run-float`
                                    wrote to run_float.expected.npy
    make_model.py check-matmul-broadcast OUT_DIR
                                    the same for matmul_broadcast (np.matmul
                                    in float64, relative tolerance 1e-5)

CASE is a case_* function's name with '-' for '_'. Every model is built
with onnx.helper from fixed data or seeded NumPy generators, so the files
are the same on every run (ext-absolute embeds OUT_DIR's path). A case
writes OUT_DIR/<case>.onnx plus any side files it needs (external data,
inputs, expected outputs).
"""

import os
import sys

import numpy as np
from onnx import TensorProto, helper, numpy_helper

OPSET = 13


def model(nodes, inputs, outputs, initializers=(), opset=OPSET, name="g",
          extra_opsets=()):
    graph = helper.make_graph(list(nodes), name, list(inputs), list(outputs),
                              initializer=list(initializers))
    opsets = [helper.make_opsetid("", opset)] + [
        helper.make_opsetid(d, v) for d, v in extra_opsets]
    m = helper.make_model(graph, opset_imports=opsets,
                          producer_name="make_model.py")
    m.ir_version = 7
    return m


def tensor_info(name, elem, shape):
    return helper.make_tensor_value_info(name, elem, shape)


def relu_model():
    """A valid two-node model y = Relu(x + b), x: f32[2x3]."""
    b = numpy_helper.from_array(
        np.array([[0.5, -1.0, 2.0]], dtype=np.float32), "b")
    return model(
        [helper.make_node("Add", ["x", "b"], ["s"], name="add0"),
         helper.make_node("Relu", ["s"], ["y"], name="relu0")],
        [tensor_info("x", TensorProto.FLOAT, [2, 3])],
        [tensor_info("y", TensorProto.FLOAT, [2, 3])], [b])


def write(path, data):
    with open(path, "wb") as f:
        f.write(data)


def save(m, out, case):
    write(os.path.join(out, case + ".onnx"), m.SerializeToString())


def varint(n):
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        if n:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def length_delimited(field, payload):
    return varint(field << 3 | 2) + varint(len(payload)) + payload


#===---------------------------------------------------------------------===#
# Malformed protobufs
#===---------------------------------------------------------------------===#


def case_valid(out):
    save(relu_model(), out, "valid")


def case_truncated(out):
    data = relu_model().SerializeToString()
    write(os.path.join(out, "truncated.onnx"), data[:len(data) // 2])


def case_garbage(out):
    rng = np.random.default_rng(12)
    # 0xff bytes first: an invalid tag, whatever follows.
    data = b"\xff\xff\xff\xff" + rng.integers(0, 256, 256,
                                              dtype=np.uint8).tobytes()
    write(os.path.join(out, "garbage.onnx"), data)


def case_empty(out):
    write(os.path.join(out, "empty.onnx"), b"")


def case_tensor_as_model(out):
    # A TensorProto where a ModelProto belongs: the fields parse under other
    # numbers and wire types, so at best this yields a model without graph.
    t = numpy_helper.from_array(np.arange(6, dtype=np.float32).reshape(2, 3),
                                "w")
    write(os.path.join(out, "tensor_as_model.onnx"), t.SerializeToString())


def case_graph_wrong_message(out):
    # ModelProto.graph (field 7) holding a serialized NodeProto: its input
    # string "X" is read as GraphProto.node, whose bytes are not a message.
    node = helper.make_node("Relu", ["X"], ["Y"], name="n")
    data = (varint(1 << 3 | 0) + varint(7) +
            length_delimited(7, node.SerializeToString()) +
            length_delimited(8, helper.make_opsetid("", OPSET)
                             .SerializeToString()))
    write(os.path.join(out, "graph_wrong_message.onnx"), data)


def case_graph_wrong_wire_type(out):
    # ModelProto.graph (field 7) as a varint instead of a message.
    data = (varint(1 << 3 | 0) + varint(7) + varint(7 << 3 | 0) + varint(5) +
            length_delimited(8, helper.make_opsetid("", OPSET)
                             .SerializeToString()))
    write(os.path.join(out, "graph_wrong_wire_type.onnx"), data)


def case_no_graph(out):
    m = relu_model()
    m.ClearField("graph")
    save(m, out, "no_graph")


def case_no_opset(out):
    m = relu_model()
    del m.opset_import[:]
    save(m, out, "no_opset")


def case_other_domain_opset_only(out):
    m = relu_model()
    del m.opset_import[:]
    m.opset_import.append(helper.make_opsetid("com.example", 1))
    save(m, out, "other_domain_opset_only")


#===---------------------------------------------------------------------===#
# External data
#===---------------------------------------------------------------------===#


def external_model(location, offset=None, length=None, dims=(2, 3)):
    """y = Relu(x + w) with w: f32[dims] stored externally."""
    w = TensorProto()
    w.name = "w"
    w.data_type = TensorProto.FLOAT
    w.dims.extend(dims)
    w.data_location = TensorProto.EXTERNAL
    entries = [("location", location)]
    if offset is not None:
        entries.append(("offset", str(offset)))
    if length is not None:
        entries.append(("length", str(length)))
    for key, value in entries:
        e = w.external_data.add()
        e.key = key
        e.value = value
    return model(
        [helper.make_node("Add", ["x", "w"], ["s"], name="add0"),
         helper.make_node("Relu", ["s"], ["y"], name="relu0")],
        [tensor_info("x", TensorProto.FLOAT, list(dims))],
        [tensor_info("y", TensorProto.FLOAT, list(dims))], [w])


WEIGHTS = np.array([1, -2, 3, -4, 5, -6], dtype=np.float32).tobytes()


def case_ext_valid(out):
    write(os.path.join(out, "ext_valid.bin"), WEIGHTS)
    save(external_model("ext_valid.bin"), out, "ext_valid")


def case_ext_dotdot(out):
    # The data exists one level up: only the `..` check can stop it.
    sub = os.path.join(out, "ext_dotdot")
    os.makedirs(sub, exist_ok=True)
    write(os.path.join(out, "ext_dotdot.bin"), WEIGHTS)
    save(external_model("../ext_dotdot.bin"), sub, "model")


def case_ext_absolute(out):
    path = os.path.abspath(os.path.join(out, "ext_absolute.bin"))
    write(path, WEIGHTS)
    save(external_model(path), out, "ext_absolute")


def case_ext_symlink(out):
    # The lit test creates ext_symlink.bin as `ln -s` to a real file.
    write(os.path.join(out, "ext_symlink.target"), WEIGHTS)
    save(external_model("ext_symlink.bin"), out, "ext_symlink")


def case_ext_symlink_dir(out):
    # A symlinked directory in the middle of the location.
    os.makedirs(os.path.join(out, "ext_real_dir"), exist_ok=True)
    write(os.path.join(out, "ext_real_dir", "w.bin"), WEIGHTS)
    save(external_model("ext_link_dir/w.bin"), out,
         "ext_symlink_dir")


def case_ext_short_file(out):
    # Length and shape agree (24 bytes) but the file holds only 12.
    write(os.path.join(out, "ext_short_file.bin"), WEIGHTS[:12])
    save(external_model("ext_short_file.bin", length=24),
         out, "ext_short_file")


def case_ext_length_mismatch(out):
    write(os.path.join(out, "ext_length_mismatch.bin"), WEIGHTS * 2)
    save(external_model("ext_length_mismatch.bin",
                        length=48), out, "ext_length_mismatch")


def case_ext_offset_past_end(out):
    write(os.path.join(out, "ext_offset_past_end.bin"), WEIGHTS)
    save(external_model("ext_offset_past_end.bin",
                        offset=100), out, "ext_offset_past_end")


def case_ext_offset_huge(out):
    # offset + length overflows 64 bits.
    write(os.path.join(out, "ext_offset_huge.bin"), WEIGHTS)
    save(external_model("ext_offset_huge.bin",
                        offset=2**64 - 8), out, "ext_offset_huge")


def case_ext_missing(out):
    save(external_model("ext_missing.bin"), out, "ext_missing")


def case_ext_bad_number(out):
    write(os.path.join(out, "ext_bad_number.bin"), WEIGHTS)
    m = external_model("ext_bad_number.bin")
    e = m.graph.initializer[0].external_data.add()
    e.key = "offset"
    e.value = "-4"
    save(m, out, "ext_bad_number")


#===---------------------------------------------------------------------===#
# Tensors
#===---------------------------------------------------------------------===#


def case_zero_sized(out):
    # z: f32[0] concatenated to x: y = Concat(x, z) == x, plus z itself as
    # an output. Zero-sized tensors are valid ONNX.
    z = numpy_helper.from_array(np.zeros([0], dtype=np.float32), "z")
    m = model(
        [helper.make_node("Concat", ["x", "z"], ["y"], name="concat0", axis=0),
         helper.make_node("Identity", ["z"], ["e"], name="identity0")],
        [tensor_info("x", TensorProto.FLOAT, [3])],
        [tensor_info("y", TensorProto.FLOAT, [3]),
         tensor_info("e", TensorProto.FLOAT, [0])], [z])
    save(m, out, "zero_sized")
    np.savez(os.path.join(out, "zero_sized.in.npz"),
             x=np.array([1.5, -2.0, 4.25], dtype=np.float32))


def case_negative_dim(out):
    w = TensorProto()
    w.name = "w"
    w.data_type = TensorProto.FLOAT
    w.dims.extend([2, -3])
    w.raw_data = WEIGHTS
    # No declared output shape: ONNX shape inference would object first.
    m = model([helper.make_node("Relu", ["w"], ["y"], name="relu0")], [],
              [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)],
              [w])
    save(m, out, "negative_dim")


def case_data_short(out):
    # dims say 2x3 floats (24 bytes), raw_data holds 8.
    w = TensorProto()
    w.name = "w"
    w.data_type = TensorProto.FLOAT
    w.dims.extend([2, 3])
    w.raw_data = WEIGHTS[:8]
    m = model([helper.make_node("Relu", ["w"], ["y"], name="relu0")], [],
              [tensor_info("y", TensorProto.FLOAT, [2, 3])], [w])
    save(m, out, "data_short")


def case_huge_dims(out):
    # 2^31 x 2^31 floats: 2^62 elements, 2^64 bytes (wraps to 0 in 64
    # bits), and no data at all.
    w = TensorProto()
    w.name = "w"
    w.data_type = TensorProto.FLOAT
    w.dims.extend([2**31, 2**31])
    m = model([helper.make_node("Relu", ["w"], ["y"], name="relu0")], [],
              [tensor_info("y", TensorProto.FLOAT, [2**31, 2**31])], [w])
    save(m, out, "huge_dims")


def case_unnamed_initializer(out):
    w = numpy_helper.from_array(np.ones([3], dtype=np.float32), "")
    m = model([helper.make_node("Relu", ["x"], ["y"], name="relu0")],
              [tensor_info("x", TensorProto.FLOAT, [3])],
              [tensor_info("y", TensorProto.FLOAT, [3])], [w])
    save(m, out, "unnamed_initializer")


#===---------------------------------------------------------------------===#
# Graphs
#===---------------------------------------------------------------------===#


def one_node(case, node, out):
    m = model([node], [tensor_info("x", TensorProto.FLOAT, [2, 3])],
              [tensor_info("y", TensorProto.FLOAT, [2, 3])])
    save(m, out, case)


def case_unsupported_op(out):
    one_node("unsupported_op",
             helper.make_node("HardSwish", ["x"], ["y"], name="hs0"), out)


def case_unsupported_op_unnamed(out):
    one_node("unsupported_op_unnamed",
             helper.make_node("HardSwish", ["x"], ["y"]), out)


def case_custom_domain(out):
    m = model([helper.make_node("Foo", ["x"], ["y"], name="foo0",
                                domain="com.example")],
              [tensor_info("x", TensorProto.FLOAT, [2, 3])],
              [tensor_info("y", TensorProto.FLOAT, [2, 3])],
              extra_opsets=[("com.example", 1)])
    save(m, out, "custom_domain")


def case_custom_domain_known_name(out):
    # A custom op that shares its name with a supported ai.onnx op.
    m = model([helper.make_node("Relu", ["x"], ["y"], name="myrelu",
                                domain="com.example")],
              [tensor_info("x", TensorProto.FLOAT, [2, 3])],
              [tensor_info("y", TensorProto.FLOAT, [2, 3])],
              extra_opsets=[("com.example", 1)])
    save(m, out, "custom_domain_known_name")


def case_undefined_input(out):
    m = model([helper.make_node("Add", ["x", "nowhere"], ["y"], name="add0")],
              [tensor_info("x", TensorProto.FLOAT, [2, 3])],
              [tensor_info("y", TensorProto.FLOAT, [2, 3])])
    save(m, out, "undefined_input")


def case_out_of_order(out):
    # Nodes not in topological order: relu0 reads s before add0 makes it.
    b = numpy_helper.from_array(np.ones([2, 3], dtype=np.float32), "b")
    m = model([helper.make_node("Relu", ["s"], ["y"], name="relu0"),
               helper.make_node("Add", ["x", "b"], ["s"], name="add0")],
              [tensor_info("x", TensorProto.FLOAT, [2, 3])],
              [tensor_info("y", TensorProto.FLOAT, [2, 3])], [b])
    save(m, out, "out_of_order")


def case_output_not_produced(out):
    m = model([helper.make_node("Relu", ["x"], ["y"], name="relu0")],
              [tensor_info("x", TensorProto.FLOAT, [2, 3])],
              [tensor_info("y", TensorProto.FLOAT, [2, 3]),
               tensor_info("ghost", TensorProto.FLOAT, [2, 3])])
    save(m, out, "output_not_produced")


def case_missing_input(out):
    # Gemm whose required second input is given as the empty name.
    m = model([helper.make_node("Gemm", ["x", ""], ["y"], name="gemm0")],
              [tensor_info("x", TensorProto.FLOAT, [2, 3])],
              [tensor_info("y", TensorProto.FLOAT, [2, 3])])
    save(m, out, "missing_input")


def case_input_string(out):
    m = model([helper.make_node("Identity", ["x"], ["y"], name="id0")],
              [tensor_info("x", TensorProto.STRING, [2])],
              [tensor_info("y", TensorProto.STRING, [2])])
    save(m, out, "input_string")


#===---------------------------------------------------------------------===#
# Invalid single-node models that crashed the importer (found by mutating
# node attributes and operand shapes); each must be a clean error.
#===---------------------------------------------------------------------===#


def untyped_output(name, elem=TensorProto.FLOAT):
    return helper.make_tensor_value_info(name, elem, None)


def case_conv_rank_mismatch(out):
    # x rank 3, weight rank 4: libonnx's Conv shape inference reads past the
    # input's dims.
    m = model([helper.make_node("Conv", ["x", "w"], ["y"], name="conv0")],
              [tensor_info("x", TensorProto.FLOAT, [1, 1, 3])],
              [untyped_output("y")],
              [numpy_helper.from_array(np.ones([1, 1, 2, 2], np.float32),
                                       "w")])
    save(m, out, "conv_rank_mismatch")


def case_layernorm_mean_axis(out):
    # axis -5 on a rank-3 input with the Mean output requested: libonnx's
    # LayerNormalization shape inference indexes with the unchecked axis.
    m = model([helper.make_node("LayerNormalization", ["x", "g"],
                                ["y", "mean"], name="ln0", axis=-5)],
              [tensor_info("x", TensorProto.FLOAT, [4, 1, 2])],
              [untyped_output("y"), untyped_output("mean")],
              [numpy_helper.from_array(np.ones([2], np.float32), "g")],
              opset=17)
    save(m, out, "layernorm_mean_axis")


def case_concat_scalar(out):
    # Concat needs rank >= 1 operands; s is a scalar.
    m = model([helper.make_node("Concat", ["x", "s"], ["y"], name="cat0",
                                axis=0)],
              [tensor_info("x", TensorProto.FLOAT, [4])],
              [untyped_output("y")],
              [numpy_helper.from_array(np.array(3.0, np.float32), "s")])
    save(m, out, "concat_scalar")


def case_clip_empty_min(out):
    # Clip's min must be a scalar; this one has no element at all.
    m = model([helper.make_node("Clip", ["x", "lo"], ["y"], name="clip0")],
              [tensor_info("x", TensorProto.FLOAT, [3])],
              [untyped_output("y")],
              [numpy_helper.from_array(np.zeros([0], np.float32), "lo")])
    save(m, out, "clip_empty_min")


def case_reshape_empty_bool(out):
    # A zero-element bool constant reshaped by a (wrongly typed) zero-element
    # bool shape.
    m = model([helper.make_node("Reshape", ["x", "sh"], ["y"],
                                name="reshape0")], [],
              [untyped_output("y", TensorProto.BOOL)],
              [numpy_helper.from_array(np.zeros([0], np.bool_), "x"),
               numpy_helper.from_array(np.zeros([0], np.bool_), "sh")])
    save(m, out, "reshape_empty_bool")


def case_reshape_to_scalar_dynamic(out):
    # Reshape of x: f32[2xN] to a scalar (shape []): 2N elements never fit.
    m = model([helper.make_node("Reshape", ["x", "sh"], ["y"],
                                name="reshape0")],
              [tensor_info("x", TensorProto.FLOAT, [2, "N"])],
              [untyped_output("y")],
              [numpy_helper.from_array(np.zeros([0], np.int64), "sh")])
    save(m, out, "reshape_to_scalar_dynamic")


def case_convinteger_scalar_zp(out):
    # ConvInteger of a scalar x with a 4-element x_zero_point: the zero
    # point's broadcast shape has rank(x) - 1 = -1 dimensions.
    m = model([helper.make_node("ConvInteger", ["x", "w", "xz"], ["y"],
                                name="ci0")],
              [tensor_info("x", TensorProto.UINT8, [])],
              [untyped_output("y", TensorProto.INT32)],
              [numpy_helper.from_array(np.ones([1, 1, 2, 2], np.uint8), "w"),
               numpy_helper.from_array(np.array([1, 2, 3, 4], np.uint8),
                                       "xz")])
    save(m, out, "convinteger_scalar_zp")


#===---------------------------------------------------------------------===#
# Well-formed models for import.mlir
#===---------------------------------------------------------------------===#


def case_float_cnn(out):
    """x: f32[1x2x6x6] -> Conv(3x3, pads 1, bias) -> Relu -> MaxPool(2) ->
    Flatten -> Gemm(transB) -> y: f32[1x4]."""
    rng = np.random.default_rng(1)
    w = rng.standard_normal([3, 2, 3, 3]).astype(np.float32)
    b = rng.standard_normal([3]).astype(np.float32)
    # 4x27 = 108 elements: inline. fc_big 40x27 = 1080: dense_resource.
    fc = rng.standard_normal([40, 27]).astype(np.float32)
    fcb = rng.standard_normal([40]).astype(np.float32)
    m = model(
        [helper.make_node("Conv", ["x", "w", "b"], ["c"], name="conv0",
                          kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
         helper.make_node("Relu", ["c"], ["r"], name="relu0"),
         helper.make_node("MaxPool", ["r"], ["p"], name="pool0",
                          kernel_shape=[2, 2], strides=[2, 2]),
         helper.make_node("Flatten", ["p"], ["f"], name="flatten0", axis=1),
         helper.make_node("Gemm", ["f", "fc_big", "fc_b"], ["y"], name="fc0",
                          transB=1)],
        [tensor_info("x", TensorProto.FLOAT, [1, 2, 6, 6])],
        [tensor_info("y", TensorProto.FLOAT, [1, 40])],
        [numpy_helper.from_array(w, "w"), numpy_helper.from_array(b, "b"),
         numpy_helper.from_array(fc, "fc_big"),
         numpy_helper.from_array(fcb, "fc_b")])
    save(m, out, "float_cnn")


def case_qdq(out):
    """QuantizeLinear/DequantizeLinear with constant parameters:
      x (f32) -Q(0.5, u8 128)-> xq -DQ-> xf         per tensor, u8
      wq (i8 constant) -DQ(axis 0, [0.25, 0.125], [0, 3])-> wf  per axis
      y = Q(xf * wf; 0.0625, u8 10)                 per tensor, u8 output
      u (u8 input) -DQ(2.0, u8 7)-> uf              u8 argument
      v (f32) -Q(axis -1, [0.5, 1, 2], i8 [-1, 0, 1])-> vq  per axis, i8
    """
    wq = np.array([[-128, 0, 127], [1, -1, 64]], dtype=np.int8)
    m = model(
        [helper.make_node("QuantizeLinear", ["x", "xs", "xz"], ["xq"],
                          name="q_x"),
         helper.make_node("DequantizeLinear", ["xq", "xs", "xz"], ["xf"],
                          name="dq_x"),
         helper.make_node("DequantizeLinear", ["wq", "ws", "wz"], ["wf"],
                          name="dq_w", axis=0),
         helper.make_node("Mul", ["xf", "wf"], ["m"], name="mul0"),
         helper.make_node("QuantizeLinear", ["m", "ys", "yz"], ["y"],
                          name="q_y"),
         helper.make_node("DequantizeLinear", ["u", "us", "uz"], ["uf"],
                          name="dq_u"),
         helper.make_node("QuantizeLinear", ["v", "vs", "vz"], ["vq"],
                          name="q_v", axis=-1)],
        [tensor_info("x", TensorProto.FLOAT, [2, 3]),
         tensor_info("u", TensorProto.UINT8, [2, 3]),
         tensor_info("v", TensorProto.FLOAT, [2, 3])],
        [tensor_info("y", TensorProto.UINT8, [2, 3]),
         tensor_info("xq", TensorProto.UINT8, [2, 3]),
         tensor_info("uf", TensorProto.FLOAT, [2, 3]),
         tensor_info("vq", TensorProto.INT8, [2, 3])],
        [numpy_helper.from_array(np.array(0.5, dtype=np.float32), "xs"),
         numpy_helper.from_array(np.array(128, dtype=np.uint8), "xz"),
         numpy_helper.from_array(wq, "wq"),
         numpy_helper.from_array(np.array([0.25, 0.125], dtype=np.float32),
                                 "ws"),
         numpy_helper.from_array(np.array([0, 3], dtype=np.int8), "wz"),
         numpy_helper.from_array(np.array(0.0625, dtype=np.float32), "ys"),
         numpy_helper.from_array(np.array(10, dtype=np.uint8), "yz"),
         numpy_helper.from_array(np.array(2.0, dtype=np.float32), "us"),
         numpy_helper.from_array(np.array(7, dtype=np.uint8), "uz"),
         numpy_helper.from_array(np.array([0.5, 1.0, 2.0], dtype=np.float32),
                                 "vs"),
         numpy_helper.from_array(np.array([-1, 0, 1], dtype=np.int8), "vz")])
    save(m, out, "qdq")


def case_const_limits(out):
    """Initializers of 1024 elements (inline dense, the limit) and 1025
    elements (dense_resource): y = x + a, z = x2 + b."""
    a = np.arange(1024, dtype=np.float32)
    b = np.arange(1025, dtype=np.float32)
    m = model(
        [helper.make_node("Add", ["x", "a"], ["y"], name="add_a"),
         helper.make_node("Add", ["x2", "b"], ["z"], name="add_b")],
        [tensor_info("x", TensorProto.FLOAT, [1024]),
         tensor_info("x2", TensorProto.FLOAT, [1025])],
        [tensor_info("y", TensorProto.FLOAT, [1024]),
         tensor_info("z", TensorProto.FLOAT, [1025])],
        [numpy_helper.from_array(a, "a"), numpy_helper.from_array(b, "b")])
    save(m, out, "const_limits")


#===---------------------------------------------------------------------===#
# End to end: run-float.mlir
#===---------------------------------------------------------------------===#


def ref_conv(x, w, b, pads, strides=(1, 1)):
    """Direct NCHW convolution (cross-correlation), explicit loops over the
    output pixels."""
    n, c, h, wd = x.shape
    f, _, kh, kw = w.shape
    xp = np.zeros([n, c, h + pads[0] + pads[2], wd + pads[1] + pads[3]],
                  dtype=np.float64)
    xp[:, :, pads[0]:pads[0] + h, pads[1]:pads[1] + wd] = x
    oh = (xp.shape[2] - kh) // strides[0] + 1
    ow = (xp.shape[3] - kw) // strides[1] + 1
    y = np.zeros([n, f, oh, ow], dtype=np.float64)
    for i in range(oh):
        for j in range(ow):
            patch = xp[:, :, i * strides[0]:i * strides[0] + kh,
                       j * strides[1]:j * strides[1] + kw]
            y[:, :, i, j] = np.tensordot(patch, w.astype(np.float64),
                                         axes=([1, 2, 3], [1, 2, 3]))
    return y + b.astype(np.float64).reshape(1, f, 1, 1)


def ref_maxpool(x, k, s):
    n, c, h, w = x.shape
    oh, ow = (h - k) // s + 1, (w - k) // s + 1
    y = np.full([n, c, oh, ow], -np.inf)
    for di in range(k):
        for dj in range(k):
            y = np.maximum(y, x[:, :, di:di + s * oh:s, dj:dj + s * ow:s])
    return y


def ref_softmax(x):
    e = np.exp(x - x.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def case_run_float(out):
    """x: f32[2x3x8x8] -> Conv(16 filters 3x3, pads 1, stride 1, bias) ->
    Relu -> MaxPool(2, stride 2) -> Flatten -> Gemm(256 -> 5, transB, alpha,
    beta) -> Softmax(axis 1) -> y: f32[2x5]. The Gemm weight (1280
    elements) is imported as a dense_resource blob, the rest inline."""
    rng = np.random.default_rng(2024)
    x = rng.standard_normal([2, 3, 8, 8]).astype(np.float32)
    w = (rng.standard_normal([16, 3, 3, 3]) * 0.3).astype(np.float32)
    b = rng.standard_normal([16]).astype(np.float32)
    fc = (rng.standard_normal([5, 256]) * 0.05).astype(np.float32)
    fcb = rng.standard_normal([5]).astype(np.float32)
    alpha, beta = 0.75, 1.5
    m = model(
        [helper.make_node("Conv", ["x", "w", "b"], ["c"], name="conv0",
                          kernel_shape=[3, 3], pads=[1, 1, 1, 1],
                          strides=[1, 1]),
         helper.make_node("Relu", ["c"], ["r"], name="relu0"),
         helper.make_node("MaxPool", ["r"], ["p"], name="pool0",
                          kernel_shape=[2, 2], strides=[2, 2]),
         helper.make_node("Flatten", ["p"], ["f"], name="flatten0", axis=1),
         helper.make_node("Gemm", ["f", "fc", "fcb"], ["g"], name="fc0",
                          transB=1, alpha=alpha, beta=beta),
         helper.make_node("Softmax", ["g"], ["y"], name="softmax0", axis=1)],
        [tensor_info("x", TensorProto.FLOAT, [2, 3, 8, 8])],
        [tensor_info("y", TensorProto.FLOAT, [2, 5])],
        [numpy_helper.from_array(w, "w"), numpy_helper.from_array(b, "b"),
         numpy_helper.from_array(fc, "fc"),
         numpy_helper.from_array(fcb, "fcb")])
    save(m, out, "run_float")
    np.savez(os.path.join(out, "run_float.in.npz"), x=x)

    c = ref_conv(x, w, b, pads=(1, 1, 1, 1))
    p = ref_maxpool(np.maximum(c, 0.0), 2, 2)
    f = p.reshape(p.shape[0], -1)
    g = alpha * (f @ fc.astype(np.float64).T) + beta * fcb.astype(np.float64)
    np.save(os.path.join(out, "run_float.expected.npy"), ref_softmax(g))


def check_run_float(out):
    expected = np.load(os.path.join(out, "run_float.expected.npy"))
    with np.load(os.path.join(out, "run_float.out.npz")) as archive:
        names = list(archive.keys())
        if len(names) != 1:
            print("FAIL: expected one output, got", names)
            return 1
        got = archive[names[0]]
    if got.dtype != np.float32 or got.shape != expected.shape:
        print("FAIL: got %s%s, expected float32%s" %
              (got.dtype, got.shape, expected.shape))
        return 1
    # Softmax rows must also sum to 1: a sanity check on the reference.
    assert np.allclose(expected.sum(axis=1), 1.0)
    if not np.allclose(got, expected, rtol=1e-5, atol=0):
        err = np.max(np.abs(got - expected) / np.abs(expected))
        print("FAIL: max relative error %g" % err)
        return 1
    print("OK run_float %s" % "x".join(map(str, got.shape)))
    return 0


#===---------------------------------------------------------------------===#
# MatMul with NumPy rules: matmul.mlir
#===---------------------------------------------------------------------===#


def case_matmul_broadcast(out):
    """Three MatMuls: vector x matrix [3] x [3,4] -> [4]; broadcast batch
    dimensions [2,1,4,3] x [5,3,6] -> [2,5,4,6]; matrix x vector
    [2,3,4] x [4] -> [2,3]."""
    rng = np.random.default_rng(7)
    shapes = {"v": [3], "m": [3, 4], "a": [2, 1, 4, 3], "b": [5, 3, 6],
              "c": [2, 3, 4], "u": [4]}
    values = {k: rng.standard_normal(v).astype(np.float32)
              for k, v in shapes.items()}
    nodes = [helper.make_node("MatMul", ["v", "m"], ["y0"], name="vm"),
             helper.make_node("MatMul", ["a", "b"], ["y1"], name="batch"),
             helper.make_node("MatMul", ["c", "u"], ["y2"], name="mv")]
    expected = {"y0": values["v"].astype(np.float64) @ values["m"],
                "y1": np.matmul(values["a"].astype(np.float64), values["b"]),
                "y2": values["c"].astype(np.float64) @ values["u"]}
    inputs = [helper.make_tensor_value_info(k, TensorProto.FLOAT, v)
              for k, v in shapes.items()]
    outputs = [helper.make_tensor_value_info(k, TensorProto.FLOAT,
                                             list(v.shape))
               for k, v in expected.items()]
    save(model(nodes, inputs, outputs), out, "matmul_broadcast")
    np.savez(os.path.join(out, "matmul_broadcast.in.npz"), **values)
    np.savez(os.path.join(out, "matmul_broadcast.expected.npz"), **expected)


def case_matmul_batch_mismatch(out):
    nodes = [helper.make_node("MatMul", ["a", "b"], ["y"], name="bad_batch")]
    inputs = [helper.make_tensor_value_info("a", TensorProto.FLOAT, [2, 3, 4]),
              helper.make_tensor_value_info("b", TensorProto.FLOAT, [3, 4, 5])]
    outputs = [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)]
    save(model(nodes, inputs, outputs), out, "matmul_batch_mismatch")


def case_matmul_inner_mismatch(out):
    nodes = [helper.make_node("MatMul", ["a", "b"], ["y"], name="bad_k")]
    inputs = [helper.make_tensor_value_info("a", TensorProto.FLOAT, [2, 3]),
              helper.make_tensor_value_info("b", TensorProto.FLOAT, [4, 5])]
    outputs = [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)]
    save(model(nodes, inputs, outputs), out, "matmul_inner_mismatch")


def case_lstm_bad_layout(out):
    w = helper.make_tensor("W", TensorProto.FLOAT, [1, 8, 3], [0.0] * 24)
    r = helper.make_tensor("R", TensorProto.FLOAT, [1, 8, 2], [0.0] * 16)
    nodes = [helper.make_node("LSTM", ["x", "W", "R"], ["y"], name="lstm",
                              hidden_size=2, layout=2)]
    inputs = [helper.make_tensor_value_info("x", TensorProto.FLOAT, [4, 1, 3])]
    outputs = [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)]
    save(model(nodes, inputs, outputs, [w, r], opset=14), out,
         "lstm_bad_layout")


def check_matmul_broadcast(out):
    expected = np.load(os.path.join(out, "matmul_broadcast.expected.npz"))
    got = np.load(os.path.join(out, "matmul_broadcast.out.npz"))
    for i, name in enumerate(["y0", "y1", "y2"]):
        g, e = got["output_%d" % i], expected[name]
        if g.shape != e.shape or not np.allclose(g, e, rtol=1e-5, atol=1e-6):
            print("FAIL %s: got %s, expected %s" % (name, g.shape, e.shape))
            return 1
        print("OK %s %s" % (name, "x".join(map(str, g.shape))))
    return 0


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    command, out = sys.argv[1], sys.argv[2]
    if command == "check-run-float":
        sys.exit(check_run_float(out))
    if command == "check-matmul-broadcast":
        sys.exit(check_matmul_broadcast(out))
    os.makedirs(out, exist_ok=True)
    fn = globals().get("case_" + command.replace("-", "_"))
    if fn is None:
        sys.exit("make_model.py: unknown case '%s'" % command)
    fn(out)


if __name__ == "__main__":
    main()
