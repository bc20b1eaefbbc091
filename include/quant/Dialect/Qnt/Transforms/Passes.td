//===- Passes.td - qnt transformation passes ---------------*- tablegen -*-===//
//
// Passes that rewrite `qnt` IR. Each pass lives in its own .cpp file.
//
//===----------------------------------------------------------------------===//

#ifndef QUANT_DIALECT_QNT_TRANSFORMS_PASSES_TD
#define QUANT_DIALECT_QNT_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def ExpandFakeQuantPass : Pass<"qnt-expand-fake-quant"> {
  let summary = "Expands each qnt.fake_quant into a quantize/dequantize pair.";
  let description = [{
    Passes that fuse or lower QDQ pairs see one form: a fake_quant becomes the
    pair of casts through the tensor type its `quant_type` describes, keeping
    its rounding mode. The result is bit-identical.

    ```mlir
    // Before
    %y = qnt.fake_quant %x as !quant.uniform<i8:f32, 0.5> : tensor<4xf32>
    // After
    %q = qnt.quantize %x : tensor<4xf32> -> tensor<4x!quant.uniform<i8:f32, 0.5>>
    %y = qnt.dequantize %q : tensor<4x!quant.uniform<i8:f32, 0.5>> -> tensor<4xf32>
    ```
  }];
  let dependentDialects = ["::mlir::qnt::QntDialect"];
  let statistics = [
    Statistic<"numExpanded", "num-expanded", "fake_quant ops expanded">
  ];
}

def FoldQdqPairsPass : Pass<"qnt-fold-qdq-pairs"> {
  let summary = "Folds quantize/dequantize round trips and constant casts.";
  let description = [{
    Removes what a graph of QDQ pairs carries redundantly:
    - `quantize(dequantize(q))` with one type is `q` when the round trip is
      exact in the expressed type (always for up to 8-bit storage in f16/f32,
      see `docs/semantics.md`);
    - `dequantize(quantize(x))` becomes one `fake_quant` (storage of at most
      16 bits);
    - with `fold-constants` (default on), quantize and dequantize of dense
      constants become constants, bit-exact with QuantMath.

    ```mlir
    // Before
    %x = qnt.dequantize %q : tensor<4x!quant.uniform<i8:f32, 0.5>> -> tensor<4xf32>
    %r = qnt.quantize %x : tensor<4xf32> -> tensor<4x!quant.uniform<i8:f32, 0.5>>
    // After: uses of %r use %q.
    ```
  }];
  let dependentDialects = ["::mlir::qnt::QntDialect",
                           "::mlir::arith::ArithDialect",
                           "::mlir::quant::QuantDialect"];
  let options = [
    Option<"foldConstants", "fold-constants", "bool", /*default=*/"true",
           "Evaluate quantize/dequantize/fake_quant of dense constants">
  ];
}

def InsertObserversPass : Pass<"qnt-insert-observers", "::mlir::ModuleOp"> {
  let summary = "Marks the values post-training quantization must calibrate.";
  let description = [{
    The first step of post-training quantization. A policy chooses what to
    quantize; the defaults are those of ONNX Runtime's static quantization
    and of PyTorch's x86 backends:
    - weights: each constant operand of a convolution or matmul gets a
      quantize/dequantize pair with per-output-channel symmetric `i8`
      parameters (narrow range `[-127, 127]`, zero point 0) computed from
      the constant itself; `weight-granularity=per-tensor` and
      `weight-bits` change that. A non-finite weight is an error naming
      the constant.
    - activations: every float input of a convolution, matmul, elementwise
      add or concat and every output of one gets a `qnt.observe` with
      `storage = ui8` (asymmetric; `activation-bits`, `activation-signed`
      and `activation-symmetric` change that). An output is observed after
      its bias add and ReLU/Clip, where an integer kernel would requantize.
      An input is observed where its values are produced: through zero
      padding, max pooling and reshapes the set of values does not change,
      so one observer (and later one quantized type) serves both.
    Ops can be left in float by kind (`skip-kinds=conv,matmul,add,concat`)
    or by ONNX node name (`skip-names`, regular expressions matched against
    the name in the op's location). Observer ids are the ONNX node names
    of the producing ops (inputs: their names), made unique.

    ```mlir
    // Before
    %y = linalg.matmul ins(%x, %w : tensor<?x4xf32>, tensor<4x3xf32>) ...
    // After
    %xo = qnt.observe %x {id = "input", kind = #qnt.observer<histogram>, storage = ui8} : tensor<?x4xf32>
    %wq = qnt.quantize %w : tensor<4x3xf32> -> tensor<4x3x!quant.uniform<i8<-127:127>:f32:1, {...}>>
    %wd = qnt.dequantize %wq : ...
    %y = linalg.matmul ins(%xo, %wd : ...) ...
    %yo = qnt.observe %y {id = "fc", ...}
    ```
  }];
  let dependentDialects = ["::mlir::qnt::QntDialect",
                           "::mlir::quant::QuantDialect"];
  let options = [
    Option<"weightGranularity", "weight-granularity", "std::string",
           /*default=*/"\"per-channel\"",
           "Weight scales per output channel (`per-channel`) or one per "
           "tensor (`per-tensor`)">,
    Option<"weightBits", "weight-bits", "unsigned", /*default=*/"8",
           "Bit width of quantized weights (2 to 16, symmetric, narrow range)">,
    Option<"activationBits", "activation-bits", "unsigned", /*default=*/"8",
           "Bit width of quantized activations (2 to 16)">,
    Option<"activationSigned", "activation-signed", "bool", /*default=*/"false",
           "Quantize activations to signed storage (default unsigned)">,
    Option<"activationSymmetric", "activation-symmetric", "bool",
           /*default=*/"false", "Symmetric activation ranges">,
    ListOption<"skipKinds", "skip-kinds", "std::string",
               "Op kinds left in float: conv, matmul, add, concat">,
    ListOption<"skipNames", "skip-names", "std::string",
               "Regular expressions; ops whose ONNX node name matches stay "
               "in float">
  ];
  let statistics = [
    Statistic<"numObservers", "num-observers", "qnt.observe ops inserted">,
    Statistic<"numWeights", "num-weights", "constant weights quantized">,
    Statistic<"numSkipped", "num-skipped", "ops left in float by the policy">
  ];
}

def FoldObserversPass : Pass<"qnt-fold-observers", "::mlir::ModuleOp"> {
  let summary = "Turns calibration statistics into quantize/dequantize pairs.";
  let description = [{
    Replaces each `qnt.observe` with a quantize/dequantize pair whose
    per-tensor `!quant.uniform` type comes from the observer's statistics
    (from `stats-file`, written by quant-calibrate, else the op's `stats`
    attribute for `minmax`/`moving-average`) and its `storage`/`symmetric`
    targets. Range methods (`method`, per observer `overrides=id=method`):
    - `minmax`: the observed extremes;
    - `moving-average`: the mean of per-batch extremes;
    - `percentile`: the `percentile`-th and (100 - `percentile`)-th
      percentiles of the 2048-bin histogram (default 99.99);
    - `entropy`: TensorRT's threshold minimising the KL divergence between
      the histogram and its quantization to 128 (signed) or 256 (unsigned)
      levels;
    - `mse`: the clip range minimising the fake-quantization squared error.
    The range is widened to include 0 (exact zero padding). A degenerate
    range (constant 0) gets scale 1; a range too small for a normal f32
    scale gets the smallest normal scale and a warning. An observer
    without statistics is an error naming it; a range that clips more than
    1% of the calibration values is a warning naming the observer.

    With `report-json` / `report-markdown`, writes a per-layer report:
    each observer's range, scale, zero point, method, the share of
    calibration values clipped, and the SQNR of quantizing its values
    (from the histogram, bin centres); each quantized constant weight's
    relative error ||W - Q(W)|| / ||W||.
  }];
  let dependentDialects = ["::mlir::qnt::QntDialect",
                           "::mlir::quant::QuantDialect"];
  let options = [
    Option<"statsFile", "stats-file", "std::string", /*default=*/"",
           "Statistics written by quant-calibrate">,
    Option<"method", "method", "std::string", /*default=*/"\"minmax\"",
           "Range method: minmax, moving-average, percentile, entropy, mse">,
    Option<"percentile", "percentile", "double", /*default=*/"99.99",
           "Percentile kept by the percentile method, in (50, 100]">,
    ListOption<"overrides", "overrides", "std::string",
               "Per-observer methods as id=method; id=float leaves that "
               "value in float">,
    Option<"reportJson", "report-json", "std::string", /*default=*/"",
           "Write the per-layer report as JSON to this file">,
    Option<"reportMarkdown", "report-markdown", "std::string",
           /*default=*/"", "Write the per-layer report as Markdown">
  ];
  let statistics = [
    Statistic<"numFolded", "num-folded", "observers folded into QDQ pairs">
  ];
}

def FuseQdqPass : Pass<"qnt-fuse-qdq"> {
  let summary = "Fuses dequantize -> float op -> quantize into integer compute ops.";
  let description = [{
    A calibrated or QAT graph computes every layer in float between a
    `qnt.dequantize` of its quantized inputs and a `qnt.quantize` of its
    output. This pass replaces such a chain by one integer op with
    requantization whose result type is the quantize's result type (the
    quantize's uses take the new result):

    - `quantize([relu|clip]([bias-add](conv([pad 0](dequantize(x)),
      dequantize(w)))))` -> `qnt.conv2d` (NCHW; `linalg.conv_2d_nchw_fchw`, or
      the importer's grouped form `tensor.reshape` -> 
      `linalg.conv_2d_ngchw_gfchw` -> `tensor.reshape` with the weight
      `tosa.reshape`d from its 4-D constant, giving `groups = G`). The conv's
      init must be a zero fill and the input quantized per tensor.
    - the same around a 2-D `linalg.matmul` -> `qnt.matmul`, with the default
      maps (constant `[K, N]`, per axis on 1) or the Gemm/Linear maps
      `(m, k), (n, k), (m, n)` (constant `[N, K]`, per axis on 0; its storage
      constant is transposed to `[K, N]`, which is exact).
    - `quantize([relu](addf(dequantize(a), dequantize(b))))` -> `qnt.add`,
      `mulf` -> `qnt.mul` (operands of one shape, per tensor).

    The weight must be a quantized constant: `qnt.quantize` of a dense
    constant or `quant.scast` of a storage constant, per tensor or per axis
    on the output channels. `qnt.fake_quant` ops are expanded into
    quantize/dequantize pairs first, and `quant.scast` round trips through the
    storage type (which the ONNX importer emits between QuantizeLinear and
    DequantizeLinear) are looked through.

    The float bias `b` becomes `b_q[f] = round_half_even(b[f] / (s_x *
    s_w[f]))` computed in f32 as ONNX Runtime's quantizer does: the product
    `f32(s_x) * f32(s_w[f])` rounded to f32, then one f32 division. A layer
    whose bias does not fit in i32 (a tiny `s_x * s_w`) is left in float with
    a warning. A bias that is already integer, `qnt.dequantize` of an i32
    constant (ONNX Runtime's quantizer emits DequantizeLinear of an int32
    initializer), is taken as is when its scale is `f32(s_x) * f32(s_w[f])`
    (equal as f32) and its zero point 0 for every channel; otherwise the
    layer stays in float with a warning. A ReLU becomes `clamp_min = zp_y`; `Clip(lo, hi)` becomes
    `clamp_min = max(qmin, Q(lo))`, `clamp_max = min(qmax, Q(hi))` with `Q`
    the output quantization (exact: `Q` is monotone).

    When the float activation input of a conv, matmul, add or mul reaches a
    dequantize only through ops that commute exactly with quantization
    (`tensor.pad` with 0, `linalg.pooling_nchw_max` whose windows all touch
    the input, `tensor.reshape`, `tosa.reshape`, `tensor.collapse_shape`,
    `tensor.expand_shape`, `linalg.transpose`, ReLU, and `tensor.concat` of
    inputs that all reach one type), a `qnt.quantize` with that
    dequantize's (per-tensor, at most 8-bit) type is inserted at the input:
    every value there is a dequantized storage value, and
    `quantize(dequantize(q)) == q` for such types (docs/semantics.md). A
    zero pad directly before a conv is taken into its `padding` instead.
    Those pooling and reshape ops still run in float between the casts,
    except a max pooling (without padding) whose result is quantized to the
    type of its dequantized input: that becomes a `linalg.generic` maximum
    (`arith.maxui`/`maxsi`) of the storage integers, exactly the same
    values. A global average pool of a dequantized NCHW tensor (the
    importer's sum over H and W, optional reshape, division by `H * W`)
    whose result is quantized becomes ONNX Runtime's
    QLinearGlobalAveragePool in integers: the i32 sum of the storage values
    minus `zp_x * H * W`, times `M = f32(s_x) / (f32(s_y) * f32(H * W))` in
    f32, rounded half to even, plus `zp_y`, saturated (`linalg.generic`s
    on the storage; the float mean would round at each addition).

    Statistics count each fused kind; LLVM release builds (such as
    Debian's) compile statistics out, so `report` emits the same counts as
    a remark on the pass's root op.

    Ops that would not verify (e.g. qnt_c17, the accumulator bound) are not
    created; anything not matched stays in float between its casts. The pass
    does not canonicalize (that would fold the remaining
    `dequantize(quantize(x))` pairs into `fake_quant` and weight casts into
    float constants).

    `requantize` selects the ops' requantization: `float` (default, ONNX
    Runtime's float multiplier) or `integer` (Q31 multiplier and shift).

    ```mlir
    // Before
    %x = qnt.dequantize %xq : tensor<1x1x6x6x!qx> -> tensor<1x1x6x6xf32>
    %wq = qnt.quantize %cst : tensor<4x1x3x3xf32> -> tensor<4x1x3x3x!qw>
    %w = qnt.dequantize %wq : tensor<4x1x3x3x!qw> -> tensor<4x1x3x3xf32>
    %c = linalg.conv_2d_nchw_fchw ins(%x, %w : ...) outs(%zero : ...)
    %r = linalg.generic ... { arith.maximumf %in, %c0 } // ReLU
    %y = qnt.quantize %r : tensor<1x4x4x4xf32> -> tensor<1x4x4x4x!qy>
    // After
    %ws = arith.constant dense<...> : tensor<4x1x3x3xi8>
    %wq = quant.scast %ws : tensor<4x1x3x3xi8> to tensor<4x1x3x3x!qw>
    %y = qnt.conv2d %xq, %wq {clamp_min = 3 : i64, ...}
        : tensor<1x1x6x6x!qx>, tensor<4x1x3x3x!qw> -> tensor<1x4x4x4x!qy>
    ```
  }];
  let dependentDialects = ["::mlir::qnt::QntDialect",
                           "::mlir::arith::ArithDialect",
                           "::mlir::math::MathDialect",
                           "::mlir::quant::QuantDialect"];
  let options = [
    Option<"requantize", "requantize", "::mlir::qnt::RequantizeMode",
           /*default=*/"::mlir::qnt::RequantizeMode::Float",
           "Requantization of the fused ops: float (ONNX Runtime's float "
           "multiplier) or integer (Q31 multiplier and shift)",
           [{::llvm::cl::values(
             clEnumValN(::mlir::qnt::RequantizeMode::Float, "float",
                        "f32 multiplier, round half to even"),
             clEnumValN(::mlir::qnt::RequantizeMode::Integer, "integer",
                        "Q31 multiplier and shift (TOSA rescale)"))}]>,
    Option<"report", "report", "bool", /*default=*/"false",
           "Emit a remark with the counts of the statistics (release builds "
           "of LLVM compile pass statistics out)">
  ];
  let statistics = [
    Statistic<"numConv", "num-conv", "convolutions fused into qnt.conv2d">,
    Statistic<"numMatmul", "num-matmul", "matmuls fused into qnt.matmul">,
    Statistic<"numAdd", "num-add", "additions fused into qnt.add">,
    Statistic<"numMul", "num-mul", "multiplications fused into qnt.mul">,
    Statistic<"numMaxPool", "num-max-pool",
              "max poolings between casts of one type made integer">,
    Statistic<"numAveragePool", "num-average-pool",
              "global average poolings between casts made integer">,
    Statistic<"numPropagated", "num-propagated",
              "quantize ops inserted after exact float ops">,
    Statistic<"numBiasOverflow", "num-bias-overflow",
              "layers left in float: bias outside i32">,
    Statistic<"numBiasGrid", "num-bias-grid",
              "layers left in float: i32 bias not on the s_x * s_w grid">,
    Statistic<"numInvalid", "num-invalid",
              "layers left in float: the fused op would not verify">
  ];
}

def PackWeightsPass : Pass<"qnt-pack-weights"> {
  let summary = "Quantizes constant weights offline.";
  let description = [{
    Every `qnt.quantize` of a float constant (inline `dense` or a
    `dense_resource` blob, as the ONNX importer emits large weights) becomes
    a storage constant behind `quant.scast`, computed bit-exactly with
    QuantMath; the float constant is dropped when nothing else reads it. A
    fully quantized layer then carries no float weight into the artifact
    (sub-byte storage is packed later, by the CPU lowering).

    ```mlir
    // Before
    %w = arith.constant dense_resource<fc.weight> : tensor<10x32xf32>
    %q = qnt.quantize %w : tensor<10x32xf32> -> tensor<10x32x!quant.uniform<i8<-127:127>:f32:0, {...}>>
    // After
    %s = arith.constant dense<...> : tensor<10x32xi8>
    %q = quant.scast %s : tensor<10x32xi8> to tensor<10x32x!quant.uniform<i8<-127:127>:f32:0, {...}>>
    ```
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::quant::QuantDialect"];
  let statistics = [
    Statistic<"numPacked", "num-packed", "constant weights quantized">
  ];
}

def FoldFakeQuantPass : Pass<"qnt-fold-fake-quant"> {
  let summary = "Brings quantization-aware-training graphs to calibrated form.";
  let description = [{
    A QAT graph arrives as `qnt.fake_quant` ops (learned scales) or as the
    QuantizeLinear/DequantizeLinear pairs ONNX exporters write. This pass
    gives both the form `qnt-fold-observers` produces, so `qnt-fuse-qdq`
    and `qnt-pack-weights` treat trained and calibrated models alike:
    - `fake_quant` becomes a quantize/dequantize pair (bit-identical);
    - `quant.scast` round trips through the storage type (quantized ->
      integer -> the same quantized type, as the importer writes for
      DequantizeLinear of a QuantizeLinear) disappear;
    - a per-axis type whose scales and zero points are all equal (ONNX
      scales given as 1-element tensors) becomes the per-tensor type, on
      the quantize and on every dequantize of it.

    ```mlir
    // Before
    %q = qnt.quantize %x : tensor<?x4xf32> -> tensor<?x4x!quant.uniform<u8:f32:1, {0.5}>>
    %s = quant.scast %q : tensor<?x4x!quant.uniform<u8:f32:1, {0.5}>> to tensor<?x4xi8>
    %r = quant.scast %s : tensor<?x4xi8> to tensor<?x4x!quant.uniform<u8:f32:1, {0.5}>>
    %y = qnt.dequantize %r : tensor<?x4x!quant.uniform<u8:f32:1, {0.5}>> -> tensor<?x4xf32>
    // After
    %q = qnt.quantize %x : tensor<?x4xf32> -> tensor<?x4x!quant.uniform<u8:f32, 5.000000e-01>>
    %y = qnt.dequantize %q : tensor<?x4x!quant.uniform<u8:f32, 5.000000e-01>> -> tensor<?x4xf32>
    ```
  }];
  let dependentDialects = ["::mlir::qnt::QntDialect",
                           "::mlir::quant::QuantDialect"];
}

#endif // QUANT_DIALECT_QNT_TRANSFORMS_PASSES_TD
