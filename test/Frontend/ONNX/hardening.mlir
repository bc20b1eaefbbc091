// quant-import-onnx on malformed models, unsafe external data, unsupported
// graphs and bad options (docs: RELIABILITY.md rows 11-14). Every case must
// exit non-zero without a crash (`not` fails the test when the tool dies
// from a signal), print the message checked below and leave no output file
// behind. Inputs/make_model.py writes each model into %t/<case>.onnx.

// RUN: rm -rf %t && mkdir -p %t

//===----------------------------------------------------------------------===//
// Files that are not ONNX models
//===----------------------------------------------------------------------===//

// A valid model cut in half.
// RUN: %python %S/Inputs/make_model.py truncated %t
// RUN: not %import-onnx %t/truncated.onnx -o %t/truncated.mlir 2>&1 | FileCheck %s --check-prefix=TRUNCATED
// RUN: not test -e %t/truncated.mlir
// TRUNCATED: error: '{{.*}}truncated.onnx' is not a valid ONNX model (protobuf parse failed)
// TRUNCATED-NEXT: quant-import-onnx: error: cannot import '{{.*}}truncated.onnx'

// RUN: %python %S/Inputs/make_model.py garbage %t
// RUN: not %import-onnx %t/garbage.onnx -o %t/garbage.mlir 2>&1 | FileCheck %s --check-prefix=GARBAGE
// RUN: not test -e %t/garbage.mlir
// GARBAGE: error: '{{.*}}garbage.onnx' is not a valid ONNX model (protobuf parse failed)

// An empty file is an empty ModelProto: it parses, and has no graph.
// RUN: %python %S/Inputs/make_model.py empty %t
// RUN: not %import-onnx %t/empty.onnx -o %t/empty.mlir 2>&1 | FileCheck %s --check-prefix=EMPTY
// RUN: not test -e %t/empty.mlir
// EMPTY: error: '{{.*}}empty.onnx' has no graph

// RUN: not %import-onnx %t/nonexistent.onnx -o %t/nonexistent.mlir 2>&1 | FileCheck %s --check-prefix=NONEXISTENT
// RUN: not test -e %t/nonexistent.mlir
// NONEXISTENT: error: cannot read '{{.*}}nonexistent.onnx': No such file or directory

// RUN: not %import-onnx %t -o %t/directory.mlir 2>&1 | FileCheck %s --check-prefix=DIRECTORY
// RUN: not test -e %t/directory.mlir
// DIRECTORY: error: '{{.*}}' is not a regular file

// A TensorProto serialized where the ModelProto belongs.
// RUN: %python %S/Inputs/make_model.py tensor-as-model %t
// RUN: not %import-onnx %t/tensor_as_model.onnx -o %t/tensor_as_model.mlir 2>&1 | FileCheck %s --check-prefix=TENSOR-AS-MODEL
// RUN: not test -e %t/tensor_as_model.mlir
// TENSOR-AS-MODEL: error: '{{.*}}tensor_as_model.onnx' is not a valid ONNX model (protobuf parse failed)

// ModelProto.graph holding the bytes of a NodeProto.
// RUN: %python %S/Inputs/make_model.py graph-wrong-message %t
// RUN: not %import-onnx %t/graph_wrong_message.onnx -o %t/graph_wrong_message.mlir 2>&1 | FileCheck %s --check-prefix=GRAPH-WRONG-MESSAGE
// RUN: not test -e %t/graph_wrong_message.mlir
// GRAPH-WRONG-MESSAGE: error: '{{.*}}graph_wrong_message.onnx' is not a valid ONNX model (protobuf parse failed)

// ModelProto.graph with the wire type of an integer: protobuf keeps it as an
// unknown field, so the model has no graph.
// RUN: %python %S/Inputs/make_model.py graph-wrong-wire-type %t
// RUN: not %import-onnx %t/graph_wrong_wire_type.onnx -o %t/graph_wrong_wire_type.mlir 2>&1 | FileCheck %s --check-prefix=GRAPH-WRONG-WIRE-TYPE
// RUN: not test -e %t/graph_wrong_wire_type.mlir
// GRAPH-WRONG-WIRE-TYPE: error: '{{.*}}graph_wrong_wire_type.onnx' has no graph

//===----------------------------------------------------------------------===//
// Models missing required parts
//===----------------------------------------------------------------------===//

// RUN: %python %S/Inputs/make_model.py no-graph %t
// RUN: not %import-onnx %t/no_graph.onnx -o %t/no_graph.mlir 2>&1 | FileCheck %s --check-prefix=NO-GRAPH
// RUN: not test -e %t/no_graph.mlir
// NO-GRAPH: error: '{{.*}}no_graph.onnx' has no graph

// No opset import at all, and one only for another domain. ONNX shape
// inference or the importer may be the one to notice.
// RUN: %python %S/Inputs/make_model.py no-opset %t
// RUN: not %import-onnx %t/no_opset.onnx -o %t/no_opset.mlir 2>&1 | FileCheck %s --check-prefix=NO-OPSET
// RUN: not test -e %t/no_opset.mlir
// RUN: %python %S/Inputs/make_model.py other-domain-opset-only %t
// RUN: not %import-onnx %t/other_domain_opset_only.onnx -o %t/other_domain_opset_only.mlir 2>&1 | FileCheck %s --check-prefix=NO-OPSET
// RUN: not test -e %t/other_domain_opset_only.mlir
// NO-OPSET: error: {{.*}}{{(No opset import for domain|imports no version of the default ONNX domain)}}

//===----------------------------------------------------------------------===//
// External data: confined to the model's directory, sizes checked first
//===----------------------------------------------------------------------===//

// The control: the same model with well-formed external data imports.
// RUN: %python %S/Inputs/make_model.py ext-valid %t
// RUN: %import-onnx %t/ext_valid.onnx -o %t/ext_valid.mlir
// RUN: FileCheck %s --input-file=%t/ext_valid.mlir --check-prefix=EXT-VALID
// EXT-VALID: arith.constant dense<{{\[\[}}1.000000e+00, -2.000000e+00, 3.000000e+00], [-4.000000e+00, 5.000000e+00, -6.000000e+00]]> : tensor<2x3xf32>

// The file exists one level up; the location is "../ext_dotdot.bin".
// RUN: %python %S/Inputs/make_model.py ext-dotdot %t
// RUN: not %import-onnx %t/ext_dotdot/model.onnx -o %t/ext_dotdot.mlir 2>&1 | FileCheck %s --check-prefix=EXT-DOTDOT
// RUN: not test -e %t/ext_dotdot.mlir
// EXT-DOTDOT: error: tensor 'w': external data '../ext_dotdot.bin' leaves the model's directory ('..')

// RUN: %python %S/Inputs/make_model.py ext-absolute %t
// RUN: not %import-onnx %t/ext_absolute.onnx -o %t/ext_absolute.mlir 2>&1 | FileCheck %s --check-prefix=EXT-ABSOLUTE
// RUN: not test -e %t/ext_absolute.mlir
// EXT-ABSOLUTE: error: tensor 'w': external data '/{{.*}}ext_absolute.bin' is an absolute path; only paths inside the model's directory are allowed

// A symlink to a file in the same directory, and a symlinked directory.
// RUN: %python %S/Inputs/make_model.py ext-symlink %t
// RUN: ln -s ext_symlink.target %t/ext_symlink.bin
// RUN: not %import-onnx %t/ext_symlink.onnx -o %t/ext_symlink.mlir 2>&1 | FileCheck %s --check-prefix=EXT-SYMLINK
// RUN: not test -e %t/ext_symlink.mlir
// EXT-SYMLINK: error: tensor 'w': external data 'ext_symlink.bin' is or passes through a symbolic link
// RUN: %python %S/Inputs/make_model.py ext-symlink-dir %t
// RUN: ln -s ext_real_dir %t/ext_link_dir
// RUN: not %import-onnx %t/ext_symlink_dir.onnx -o %t/ext_symlink_dir.mlir 2>&1 | FileCheck %s --check-prefix=EXT-SYMLINK-DIR
// RUN: not test -e %t/ext_symlink_dir.mlir
// EXT-SYMLINK-DIR: error: tensor 'w': external data 'ext_link_dir/w.bin' is or passes through a symbolic link

// RUN: %python %S/Inputs/make_model.py ext-missing %t
// RUN: not %import-onnx %t/ext_missing.onnx -o %t/ext_missing.mlir 2>&1 | FileCheck %s --check-prefix=EXT-MISSING
// RUN: not test -e %t/ext_missing.mlir
// EXT-MISSING: error: tensor 'w': external data 'ext_missing.bin' cannot be read: No such file or directory

// The declared length equals the shape's 24 bytes; the file has 12.
// RUN: %python %S/Inputs/make_model.py ext-short-file %t
// RUN: not %import-onnx %t/ext_short_file.onnx -o %t/ext_short_file.mlir 2>&1 | FileCheck %s --check-prefix=EXT-SHORT-FILE
// RUN: not test -e %t/ext_short_file.mlir
// EXT-SHORT-FILE: error: tensor 'w': external data 'ext_short_file.bin' needs bytes [0, 24) but the file has 12

// RUN: %python %S/Inputs/make_model.py ext-length-mismatch %t
// RUN: not %import-onnx %t/ext_length_mismatch.onnx -o %t/ext_length_mismatch.mlir 2>&1 | FileCheck %s --check-prefix=EXT-LENGTH-MISMATCH
// RUN: not test -e %t/ext_length_mismatch.mlir
// EXT-LENGTH-MISMATCH: error: tensor 'w': external data 'ext_length_mismatch.bin' declares 48 bytes but the shape needs 24

// RUN: %python %S/Inputs/make_model.py ext-offset-past-end %t
// RUN: not %import-onnx %t/ext_offset_past_end.onnx -o %t/ext_offset_past_end.mlir 2>&1 | FileCheck %s --check-prefix=EXT-OFFSET-PAST-END
// RUN: not test -e %t/ext_offset_past_end.mlir
// EXT-OFFSET-PAST-END: error: tensor 'w': external data 'ext_offset_past_end.bin' needs bytes [100, 124) but the file has 24

// offset = 2^64 - 8: offset + length wraps around 64 bits.
// RUN: %python %S/Inputs/make_model.py ext-offset-huge %t
// RUN: not %import-onnx %t/ext_offset_huge.onnx -o %t/ext_offset_huge.mlir 2>&1 | FileCheck %s --check-prefix=EXT-OFFSET-HUGE
// RUN: not test -e %t/ext_offset_huge.mlir
// EXT-OFFSET-HUGE: error: tensor 'w': external data 'ext_offset_huge.bin' needs bytes [18446744073709551608, {{[0-9]+}}) but the file has 24

// RUN: %python %S/Inputs/make_model.py ext-bad-number %t
// RUN: not %import-onnx %t/ext_bad_number.onnx -o %t/ext_bad_number.mlir 2>&1 | FileCheck %s --check-prefix=EXT-BAD-NUMBER
// RUN: not test -e %t/ext_bad_number.mlir
// EXT-BAD-NUMBER: error: tensor 'w': external data offset '-4' is not a number

//===----------------------------------------------------------------------===//
// Tensors
//===----------------------------------------------------------------------===//

// A negative dimension in an initializer (the output has no declared shape,
// so ONNX shape inference does not object first).
// RUN: %python %S/Inputs/make_model.py negative-dim %t
// RUN: not %import-onnx %t/negative_dim.onnx -o %t/negative_dim.mlir 2>&1 | FileCheck %s --check-prefix=NEGATIVE-DIM
// RUN: not test -e %t/negative_dim.mlir
// NEGATIVE-DIM: error: tensor 'w' has a negative dimension

// raw_data shorter than the shape needs.
// RUN: %python %S/Inputs/make_model.py data-short %t
// RUN: not %import-onnx %t/data_short.onnx -o %t/data_short.mlir 2>&1 | FileCheck %s --check-prefix=DATA-SHORT
// RUN: not test -e %t/data_short.mlir
// DATA-SHORT: error: tensor 'w' holds 8 bytes but its shape needs 24

// RUN: %python %S/Inputs/make_model.py unnamed-initializer %t
// RUN: not %import-onnx %t/unnamed_initializer.onnx -o %t/unnamed_initializer.mlir 2>&1 | FileCheck %s --check-prefix=UNNAMED-INITIALIZER
// RUN: not test -e %t/unnamed_initializer.mlir
// UNNAMED-INITIALIZER: error: an initializer has no name

//===----------------------------------------------------------------------===//
// Graphs
//===----------------------------------------------------------------------===//

// RUN: %python %S/Inputs/make_model.py unsupported-op %t
// RUN: not %import-onnx %t/unsupported_op.onnx -o %t/unsupported_op.mlir 2>&1 | FileCheck %s --check-prefix=UNSUPPORTED-OP
// RUN: not test -e %t/unsupported_op.mlir
// UNSUPPORTED-OP: error: unsupported op 'ai.onnx::HardSwish' at node 'hs0'

// RUN: %python %S/Inputs/make_model.py custom-domain %t
// RUN: not %import-onnx %t/custom_domain.onnx -o %t/custom_domain.mlir 2>&1 | FileCheck %s --check-prefix=CUSTOM-DOMAIN
// RUN: not test -e %t/custom_domain.mlir
// CUSTOM-DOMAIN: error: unsupported op 'com.example::Foo' at node 'foo0'

// A custom-domain op named like a supported one is still unsupported.
// RUN: %python %S/Inputs/make_model.py custom-domain-known-name %t
// RUN: not %import-onnx %t/custom_domain_known_name.onnx -o %t/custom_domain_known_name.mlir 2>&1 | FileCheck %s --check-prefix=CUSTOM-DOMAIN-KNOWN-NAME
// RUN: not test -e %t/custom_domain_known_name.mlir
// CUSTOM-DOMAIN-KNOWN-NAME: error: unsupported op 'com.example::Relu' at node 'myrelu'

// RUN: %python %S/Inputs/make_model.py undefined-input %t
// RUN: not %import-onnx %t/undefined_input.onnx -o %t/undefined_input.mlir 2>&1 | FileCheck %s --check-prefix=UNDEFINED-INPUT
// RUN: not test -e %t/undefined_input.mlir
// UNDEFINED-INPUT: error: node 'add0' (Add): input 'nowhere' is not defined before this node

// Nodes out of topological order read a value before it is made.
// RUN: %python %S/Inputs/make_model.py out-of-order %t
// RUN: not %import-onnx %t/out_of_order.onnx -o %t/out_of_order.mlir 2>&1 | FileCheck %s --check-prefix=OUT-OF-ORDER
// RUN: not test -e %t/out_of_order.mlir
// OUT-OF-ORDER: error: node 'relu0' (Relu): input 's' is not defined before this node

// RUN: %python %S/Inputs/make_model.py missing-input %t
// RUN: not %import-onnx %t/missing_input.onnx -o %t/missing_input.mlir 2>&1 | FileCheck %s --check-prefix=MISSING-INPUT
// RUN: not test -e %t/missing_input.mlir
// MISSING-INPUT: error: node 'gemm0' (Gemm): missing input 1

// RUN: %python %S/Inputs/make_model.py output-not-produced %t
// RUN: not %import-onnx %t/output_not_produced.onnx -o %t/output_not_produced.mlir 2>&1 | FileCheck %s --check-prefix=OUTPUT-NOT-PRODUCED
// RUN: not test -e %t/output_not_produced.mlir
// OUTPUT-NOT-PRODUCED: error: output 'ghost' is never produced

// RUN: %python %S/Inputs/make_model.py input-string %t
// RUN: not %import-onnx %t/input_string.onnx -o %t/input_string.mlir 2>&1 | FileCheck %s --check-prefix=INPUT-STRING
// RUN: not test -e %t/input_string.mlir
// INPUT-STRING: error: input 'x' is not a tensor of a supported element type

//===----------------------------------------------------------------------===//
// Options
//===----------------------------------------------------------------------===//

// The control model: x: f32[2x3] -> Relu(x + b).
// RUN: %python %S/Inputs/make_model.py valid %t

// RUN: not %import-onnx %t/valid.onnx -o %t/valid.txt 2>&1 | FileCheck %s --check-prefix=OUT-EXT
// RUN: not test -e %t/valid.txt
// OUT-EXT: quant-import-onnx: error: output '{{.*}}valid.txt' must end in .mlir or .mlirbc

// RUN: not %import-onnx %t/valid.onnx -o %t/no-such-dir/valid.mlir 2>&1 | FileCheck %s --check-prefix=OUT-DIR
// OUT-DIR: quant-import-onnx: error: cannot write '{{.*}}no-such-dir/valid.mlir': No such file or directory

// RUN: not %import-onnx %t/valid.onnx -o %t/shape.mlir --input-shape=nope:2x3 2>&1 | FileCheck %s --check-prefix=SHAPE-NAME
// RUN: not test -e %t/shape.mlir
// SHAPE-NAME: error: --input-shape names 'nope', which is not an input of the model

// RUN: not %import-onnx %t/valid.onnx -o %t/shape.mlir --input-shape=x:2x3x4 2>&1 | FileCheck %s --check-prefix=SHAPE-RANK
// RUN: not test -e %t/shape.mlir
// SHAPE-RANK: error: --input-shape for 'x' has rank 3, the model's input has rank 2

// RUN: not %import-onnx %t/valid.onnx -o %t/shape.mlir --input-shape=x:5x3 2>&1 | FileCheck %s --check-prefix=SHAPE-FIXED
// RUN: not test -e %t/shape.mlir
// SHAPE-FIXED: error: --input-shape for 'x' sets dimension 0 to 5 but the model fixes it to 2

// RUN: not %import-onnx %t/valid.onnx -o %t/shape.mlir --input-shape=x:2xabc 2>&1 | FileCheck %s --check-prefix=SHAPE-NUMBER
// RUN: not test -e %t/shape.mlir
// SHAPE-NUMBER: quant-import-onnx: error: --input-shape 'x:2xabc' has a bad dimension 'abc'

// RUN: not %import-onnx %t/valid.onnx -o %t/shape.mlir --input-shape=x:2x-3 2>&1 | FileCheck %s --check-prefix=SHAPE-NEGATIVE
// RUN: not test -e %t/shape.mlir
// SHAPE-NEGATIVE: quant-import-onnx: error: --input-shape 'x:2x-3' has a bad dimension '-3'

// RUN: not %import-onnx %t/valid.onnx -o %t/shape.mlir --input-shape=x:99999999999999999999x3 2>&1 | FileCheck %s --check-prefix=SHAPE-OVERFLOW
// RUN: not test -e %t/shape.mlir
// SHAPE-OVERFLOW: quant-import-onnx: error: --input-shape 'x:99999999999999999999x3' has a bad dimension '99999999999999999999'

// RUN: not %import-onnx %t/valid.onnx -o %t/shape.mlir --input-shape=x:2x 2>&1 | FileCheck %s --check-prefix=SHAPE-EMPTY-DIM
// RUN: not test -e %t/shape.mlir
// SHAPE-EMPTY-DIM: quant-import-onnx: error: --input-shape 'x:2x' has a bad dimension ''

// RUN: not %import-onnx %t/valid.onnx -o %t/shape.mlir --input-shape=x2x3 2>&1 | FileCheck %s --check-prefix=SHAPE-SYNTAX
// RUN: not test -e %t/shape.mlir
// SHAPE-SYNTAX: quant-import-onnx: error: --input-shape 'x2x3' is not NAME:DxD...

// The control itself imports.
// RUN: %import-onnx %t/valid.onnx -o %t/valid.mlir
// RUN: FileCheck %s --input-file=%t/valid.mlir --check-prefix=VALID
// VALID: func.func @main(%{{.*}}: tensor<2x3xf32> {qnt.input_name = "x"}{{.*}}) -> tensor<2x3xf32>

//===----------------------------------------------------------------------===//
// Known misbehaviour: these cases fail until the importer is fixed. They come
// last so that a failure here does not hide the cases above (lit stops at
// the first failing RUN line).
//===----------------------------------------------------------------------===//

// A zero-sized initializer (dims [0]) is valid ONNX: Concat(x, z) == x and
// Identity(z) must import and run.
// RUN: %python %S/Inputs/make_model.py zero-sized %t
// RUN: %import-onnx %t/zero_sized.onnx -o %t/zero_sized.mlir
// RUN: FileCheck %s --input-file=%t/zero_sized.mlir --check-prefix=ZERO-SIZED-IR
// RUN: quant-run %t/zero_sized.mlir --inputs=%t/zero_sized.in.npz | FileCheck %s --check-prefix=ZERO-SIZED-OUT
// ZERO-SIZED-IR: func.func @main(%{{.*}}: tensor<3xf32> {qnt.input_name = "x"}{{.*}}) -> (tensor<3xf32>, tensor<0xf32>)
// ZERO-SIZED-OUT: output_0: float32[3]  min -2 max 4.25 mean 1.25  [1.5, -2, 4.25]
// ZERO-SIZED-OUT-NEXT: output_1: float32[0]

// An unnamed node (names are optional in ONNX) must still be identified.
// RUN: %python %S/Inputs/make_model.py unsupported-op-unnamed %t
// RUN: not %import-onnx %t/unsupported_op_unnamed.onnx -o %t/unsupported_op_unnamed.mlir 2>&1 | FileCheck %s --check-prefix=UNSUPPORTED-OP-UNNAMED
// RUN: not test -e %t/unsupported_op_unnamed.mlir
// UNSUPPORTED-OP-UNNAMED: error: unsupported op 'ai.onnx::HardSwish' at node '{{.+}}'

// dims [2^31, 2^31] of f32 without data: 2^62 elements, 2^64 bytes, which
// wraps to 0 in 64 bits and must not pass as "0 bytes expected".
// RUN: %python %S/Inputs/make_model.py huge-dims %t
// RUN: not %import-onnx %t/huge_dims.onnx -o %t/huge_dims.mlir 2>&1 | FileCheck %s --check-prefix=HUGE-DIMS
// RUN: not test -e %t/huge_dims.mlir
// HUGE-DIMS: error: tensor 'w' {{.*}}

// An empty function name would print as an unparsable symbol.
// RUN: not %import-onnx %t/valid.onnx -o %t/function.mlir --function= 2>&1 | FileCheck %s --check-prefix=FUNCTION-EMPTY
// RUN: not test -e %t/function.mlir
// FUNCTION-EMPTY: quant-import-onnx: error: {{.*}}function

// A character device reports size 0 and never ends: the read must be
// bounded (the address-space limit turns an unbounded read into an abort).
// A sanitizer build cannot reserve its shadow memory under the 4 GiB limit.
// RUN: %if !sanitizers %{ not prlimit --as=4294967296 %import-onnx /dev/zero -o %t/dev_zero.mlir 2>&1 | FileCheck %s --check-prefix=DEV-ZERO %}
// RUN: not test -e %t/dev_zero.mlir
// DEV-ZERO: quant-import-onnx: error: cannot import '/dev/zero'

// Invalid single-node models that crashed the importer (SIGSEGV, SIGABRT)
// when node attributes and operand shapes were mutated; each must end in a
// clean error.

// Crashes inside libonnx's shape inference (convPoolShapeInference).
// RUN: %python %S/Inputs/make_model.py conv-rank-mismatch %t
// RUN: not %import-onnx %t/conv_rank_mismatch.onnx -o %t/conv_rank_mismatch.mlir 2>&1 | FileCheck %s --check-prefix=CONV-RANK-MISMATCH
// RUN: not test -e %t/conv_rank_mismatch.mlir
// CONV-RANK-MISMATCH: quant-import-onnx: error: cannot import '{{.*}}conv_rank_mismatch.onnx'

// Crashes inside libonnx's LayerNormalization shape inference.
// RUN: %python %S/Inputs/make_model.py layernorm-mean-axis %t
// RUN: not %import-onnx %t/layernorm_mean_axis.onnx -o %t/layernorm_mean_axis.mlir 2>&1 | FileCheck %s --check-prefix=LAYERNORM-MEAN-AXIS
// RUN: not test -e %t/layernorm_mean_axis.mlir
// LAYERNORM-MEAN-AXIS: quant-import-onnx: error: cannot import '{{.*}}layernorm_mean_axis.onnx'

// Crashes in importConcat (OpsTensor.cpp).
// RUN: %python %S/Inputs/make_model.py concat-scalar %t
// RUN: not %import-onnx %t/concat_scalar.onnx -o %t/concat_scalar.mlir 2>&1 | FileCheck %s --check-prefix=CONCAT-SCALAR
// RUN: not test -e %t/concat_scalar.mlir
// CONCAT-SCALAR: quant-import-onnx: error: cannot import '{{.*}}concat_scalar.onnx'

// Crashes reading element 0 of the empty constant (importClip).
// RUN: %python %S/Inputs/make_model.py clip-empty-min %t
// RUN: not %import-onnx %t/clip_empty_min.onnx -o %t/clip_empty_min.mlir 2>&1 | FileCheck %s --check-prefix=CLIP-EMPTY-MIN
// RUN: not test -e %t/clip_empty_min.mlir
// CLIP-EMPTY-MIN: quant-import-onnx: error: cannot import '{{.*}}clip_empty_min.onnx'

// Crashes in DenseElementsAttr::IntElementIterator on the empty bool data.
// RUN: %python %S/Inputs/make_model.py reshape-empty-bool %t
// RUN: not %import-onnx %t/reshape_empty_bool.onnx -o %t/reshape_empty_bool.mlir 2>&1 | FileCheck %s --check-prefix=RESHAPE-EMPTY-BOOL
// RUN: not test -e %t/reshape_empty_bool.mlir
// RESHAPE-EMPTY-BOOL: quant-import-onnx: error: cannot import '{{.*}}reshape_empty_bool.onnx'

// Crashes in RankedTensorType::get (a null element type).
// RUN: %python %S/Inputs/make_model.py reshape-to-scalar-dynamic %t
// RUN: not %import-onnx %t/reshape_to_scalar_dynamic.onnx -o %t/reshape_to_scalar_dynamic.mlir 2>&1 | FileCheck %s --check-prefix=RESHAPE-TO-SCALAR-DYNAMIC
// RUN: not test -e %t/reshape_to_scalar_dynamic.mlir
// RESHAPE-TO-SCALAR-DYNAMIC: quant-import-onnx: error: cannot import '{{.*}}reshape_to_scalar_dynamic.onnx'

// Aborts in centerToI32 (OpsQuantization.cpp): "SmallVector unable to grow".
// RUN: %python %S/Inputs/make_model.py convinteger-scalar-zp %t
// RUN: not %import-onnx %t/convinteger_scalar_zp.onnx -o %t/convinteger_scalar_zp.mlir 2>&1 | FileCheck %s --check-prefix=CONVINTEGER-SCALAR-ZP
// RUN: not test -e %t/convinteger_scalar_zp.mlir
// CONVINTEGER-SCALAR-ZP: quant-import-onnx: error: cannot import '{{.*}}convinteger_scalar_zp.onnx'
