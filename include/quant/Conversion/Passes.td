//===- Passes.td - quant conversion passes -----------------*- tablegen -*-===//
//
// Conversions out of the `qnt` dialect towards executable code.
//
//===----------------------------------------------------------------------===//

#ifndef QUANT_CONVERSION_PASSES_TD
#define QUANT_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertQntToLinalgPass : Pass<"convert-qnt-to-linalg", "ModuleOp"> {
  let summary = "Lowers qnt casts to linalg.generic on storage integers.";
  let description = [{
    Rewrites `qnt.quantize`, `qnt.dequantize` and `qnt.fake_quant` into
    elementwise `linalg.generic` ops with the exact arithmetic of
    `docs/semantics.md` (division in the compute type, `math.roundeven` or
    `math.round`, exact zero-point add, saturation, NaN to the zero point).
    Tensors of `!quant.uniform` become tensors of their signless storage
    type everywhere, function signatures included; `quant.scast` disappears.
    Per-axis and sub-channel parameters become constant tensors read through
    indexing maps (`d1`, `d0 floordiv 32`).

    Upstream `--lower-quant-ops` truncates instead of rounding and does not
    saturate full-range storage, so it is not used.

    ```mlir
    // Before
    %q = qnt.quantize %x : tensor<4xf32> -> tensor<4x!quant.uniform<i8:f32, 0.5>>
    // After
    %e = tensor.empty() : tensor<4xi8>
    %q = linalg.generic {...} ins(%x : tensor<4xf32>) outs(%e : tensor<4xi8>) {
      // divf, roundeven, addf zp, maximumf/minimumf, NaN select, fptosi, trunci
    }
    ```
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect",
                           "::mlir::arith::ArithDialect",
                           "::mlir::math::MathDialect",
                           "::mlir::tensor::TensorDialect"];
}

def ConvertQntToKernelsPass : Pass<"convert-qnt-to-kernels", "ModuleOp"> {
  let summary = "Lowers int8 qnt.matmul/qnt.conv2d with constant weights to kernel calls.";
  let description = [{
    Each `qnt.matmul` (rank 2) and `qnt.conv2d` (groups 1, NCHW or NHWC)
    whose input has 8-bit per-tensor storage, whose weights are a constant
    of signed storage of at most 8 bits (per tensor, or per output channel)
    with a constant bias or none, and whose result is 8-bit or i32, is
    compiled into one constant blob (`kernels::packLayer`; NCHW
    convolutions read their input through one `linalg.transpose` to NHWC): the weights
    packed for the int8 GEMM at compile time, the zero points, the bias and
    the requantization of that op. The op becomes an `scf.parallel` over
    blocks of output rows and columns, each calling
    `quant_layer_run(blob, input, strides, batch, rows, columns, output)`
    from the kernel library: activations are packed (im2col for
    convolutions) per block, multiplied on AMX, AVX-512 VNNI or portable
    code as the CPU allows, and requantized while in cache, with the same
    bits as `convert-qnt-to-linalg`. A max pool of a convolution's 8-bit
    result, as the ONNX frontend writes it (a `linalg.generic` maximum on
    storage, without padding or dilation, into an init no greater than the
    clamp's minimum) and where nothing else reads that result but its batch
    size, goes into the same blob: the calls write the pooled output.
    Other ops are left to that pass.

    ```mlir
    // Before
    %y = qnt.matmul %a, %w bias %b : tensor<?x64x!qa>, tensor<64x10x!qw>, tensor<10xi32> -> tensor<?x10x!qy>
    // After
    memref.global "private" constant @__quant_layer_0 : memref<NxI8> = dense<...> {alignment = 64}
    %in = bufferization.to_buffer %a_storage read_only : ...
    %out = memref.alloc(%m) {alignment = 64} : memref<?x10xi8>
    scf.parallel (%r, %c) = ... { func.call @quant_layer_run(...) }
    %y = bufferization.to_tensor %out restrict writable : ...
    ```
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::bufferization::BufferizationDialect",
                           "::mlir::func::FuncDialect",
                           "::mlir::linalg::LinalgDialect",
                           "::mlir::LLVM::LLVMDialect",
                           "::mlir::memref::MemRefDialect",
                           "::mlir::scf::SCFDialect",
                           "::mlir::tensor::TensorDialect"];
}

def ConvertLinalgToKernelsPass : Pass<"convert-linalg-to-kernels", "ModuleOp"> {
  let summary = "Lowers fp32 matmuls and convolutions with constant weights to kernel calls.";
  let description = [{
    The fp32 counterpart of `convert-qnt-to-kernels`: each `linalg.matmul`
    (lhs `[M, K]`, rhs `[K, N]` or transposed) and `linalg.conv_2d_nchw_fchw`
    on f32 tensors whose weights are a constant (dense or `dense_resource`)
    and whose init is filled with zero is packed at compile time
    (`kernels::packFloatLayer`) and becomes an `scf.parallel` of
    `quant_float_layer_run` calls (im2col from NHWC and an FMA GEMM,
    AVX-512 where the CPU has it). A zero `tensor.pad` on H and W before the
    convolution becomes its padding; the NCHW input is transposed to NHWC
    once. The elementwise generics that follow the layer alone, an
    `arith.addf` of a constant per output channel (dimension 1) and then an
    `arith.maximumf` with +0.0 (without fast-math flags), become the
    kernel's epilogue with the same float operations (NaN stays NaN,
    negatives become +0.0); other activations stay elementwise loops. A
    `linalg.pooling_nchw_max` without dilation into a fill of a constant
    that alone reads a convolution's result after that runs in the layer
    too: the calls write the pooled pixels. Sums run in another order (with
    fused multiply-adds) than the generic loops: results agree to float
    rounding.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::bufferization::BufferizationDialect",
                           "::mlir::func::FuncDialect",
                           "::mlir::linalg::LinalgDialect",
                           "::mlir::LLVM::LLVMDialect",
                           "::mlir::memref::MemRefDialect",
                           "::mlir::scf::SCFDialect",
                           "::mlir::tensor::TensorDialect"];
}

def MemRefCopyToLinalgPass : Pass<"qnt-memref-copy-to-linalg"> {
  let summary = "Rewrites memref.copy as linalg.copy so that it becomes loops.";
  let description = [{
    Bufferization copies into strided views (padding, slices) with
    `memref.copy`, which LLVM lowering turns into a call to `memrefCopy`
    from MLIR's runner utilities for non-contiguous layouts. Compiled models
    must not depend on that library: as `linalg.copy` the copy lowers to
    plain loops (and later to vector code) like any other linalg op.

    ```mlir
    // Before
    memref.copy %a, %b : memref<4xi8> to memref<4xi8, strided<[1], offset: 2>>
    // After
    linalg.copy ins(%a : memref<4xi8>) outs(%b : memref<4xi8, strided<[1], offset: 2>>)
    ```
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect"];
}

def PackSubByteStoragePass : Pass<"qnt-pack-sub-byte-storage", "ModuleOp"> {
  let summary = "Stores 4- and 2-bit integers packed, lowest element in the lowest bits.";
  let description = [{
    Runs on loops over memrefs (after bufferization, before control flow is
    lowered). Memrefs of i4 (i2) elements become flat byte memrefs holding
    two (four) values per byte, the first element in the low bits (for i4:
    low nibble first); loads and stores extract and insert bits, arithmetic
    stays in the narrow type. Function arguments and results of such
    memrefs become flat byte buffers of ceil(elements * bits / 8) bytes:
    `memref<2x3xi4>` is passed as `memref<3xi8>`. Sub-byte arguments are
    unpacked into a local buffer on entry (MLIR's narrow-type emulation does
    not rewrite loads from function arguments), so their shapes must be
    static.

    ```mlir
    // Before
    %v = memref.load %m[%i] : memref<8xi4>
    // After
    %b = memref.load %m8[%i floordiv 2] : memref<4xi8>
    %v = (%b >> (%i mod 2) * 4) truncated to i4
    ```
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::memref::MemRefDialect",
                           "::mlir::scf::SCFDialect",
                           "::mlir::affine::AffineDialect"];
}

def ParallelBatchPass : Pass<"qnt-parallel-batch", "ModuleOp"> {
  let summary = "Runs a batched function on slices of its batch, one per thread.";
  let description = [{
    A batched model runs one parallel loop per layer, and each of them
    forks and joins the OpenMP team and waits for its slowest thread. When
    every row of a public function's results depends only on the same row
    of its arguments, this pass runs the whole function on one slice of the
    batch per thread instead, in a single `scf.forall`: one fork and one
    join per call, and no thread waits between layers. It applies when the
    thread count (`omp_get_max_threads()`, read at every call) is above 1
    and the batch has at least `min-samples` rows per thread (default 1:
    even two rows on two threads ran faster so); otherwise the function
    runs as before, layer by layer. Quantized tensors cross the new
    structure as their storage (`quant.scast`).

    Dimension 0 of every argument with a dynamic dimension 0 is the batch
    (all of them must be equal at run time to be sliced). The analysis
    follows it op by op and leaves the function alone at the first op it
    cannot prove row-local: `qnt` casts, `qnt.add`/`qnt.mul` of two batched
    tensors, `qnt.conv2d`/`qnt.matmul` of batched inputs with unbatched
    weights, structured (linalg) ops whose batch loop is parallel, indexes
    dimension 0 of every batched operand and no unbatched one, and is not
    read by `linalg.index`, reshapes that keep the batch as dimension 0
    (sizes computed from `tensor.dim` are followed as affine expressions of
    the batch; divisions only of sizes that are never negative), and ops
    without side effects that touch no batched value. Every batched tensor
    keeps a dynamic dimension 0 (a static one would hold for the whole
    batch only), no region reads a batched value or a batch size from
    outside, and a batch `qnt.matmul` slices both operands. Observers
    (`qnt.observe`), calls and anything else on a batched tensor keep the
    function as it is; `explain` reports why as a remark.

    Parallel loops created later inside a slice run sequentially on its
    thread, and the loop over slices is not guarded again
    (`qnt-parallel-min-work`).

    ```mlir
    // After
    %threads = call @omp_get_max_threads() : () -> i32
    %r = scf.if %enough -> (tensor<?x10xf32>) {
      %out = tensor.empty(%batch) : tensor<?x10xf32>
      %y = scf.forall (%t) in (%n) shared_outs(%o = %out) -> (tensor<?x10xf32>) {
        %x_t = tensor.extract_slice %x[%begin, 0] [%rows, 784] [1, 1] : ...
        // ... the body on %x_t ...
        scf.forall.in_parallel {
          tensor.parallel_insert_slice %y_t into %o[%begin, 0] [%rows, 10] [1, 1] : ...
        }
      }
      scf.yield %y : tensor<?x10xf32>
    } else {
      // ... the body on %x ...
    }
    ```
  }];
  let options = [
    Option<"minSamples", "min-samples", "int64_t", /*default=*/"1",
           "Batch rows per thread from which the function runs on slices">,
    Option<"explain", "explain", "bool", /*default=*/"false",
           "Report as a remark why a function runs layer by layer">,
  ];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::func::FuncDialect",
                           "::mlir::quant::QuantDialect",
                           "::mlir::scf::SCFDialect",
                           "::mlir::tensor::TensorDialect"];
}

def ParallelOuterDimsPass : Pass<"qnt-parallel-outer-dims"> {
  let summary = "Keeps at most the two outer dimensions of scf.parallel loops parallel, the innermost sequential.";
  let description = [{
    The OpenMP lowering (`convert-scf-to-openmp`) collapses all dimensions of
    an `scf.parallel` into one linear index and recomputes the indices with
    divisions in every iteration, which LLVM's loop vectorizer cannot
    vectorize. Run before it, this pass keeps at most the two outer
    dimensions parallel (one division per output row of an NHWC pooling,
    not one per pixel), turns the ones between into `scf.for` loops, and
    the innermost one into an `scf.for` too, a unit-stride loop over the
    last (contiguous) dimension of elementwise and pooling loops. When
    the body is a perfect nest of sequential loops with bounds from outside
    (the reduction of a convolution or pooling), that loop goes innermost,
    below the nest, unless the nest has at most 16 constant steps (a pooling
    window), which stay inside it for LLVM to unroll, keeping partial
    results in registers: iterations of a parallel loop are independent and
    each point keeps the order of its reduction steps, so results are bit
    for bit the same. Parallel loops with reductions of their own are left
    alone, and so are loops whose body calls a function (a kernel library's
    block of a layer): nothing there vectorizes, and each iteration is a
    task for a thread.

    ```mlir
    // Before
    scf.parallel (%i, %j) = (%c0, %c0) to (%m, %n) step (%c1, %c1) { ... }
    // After
    scf.parallel (%i) = (%c0) to (%m) step (%c1) {
      scf.for %j = %c0 to %n step %c1 { ... } {loop_annotation = #llvm.loop_annotation<...>}
    }
    ```

    The new innermost loop carries LLVM loop metadata asking to vectorize it
    and not to unroll it first: its trip count is often a small constant
    (16 channels), which LLVM would otherwise unroll fully into scalar code
    before its loop vectorizer (which checks input and output buffers for
    overlap at run time) gets to it.
  }];
  let dependentDialects = ["::mlir::scf::SCFDialect",
                           "::mlir::LLVM::LLVMDialect"];
}

def ParallelMinWorkPass : Pass<"qnt-parallel-min-work", "::mlir::ModuleOp"> {
  let summary = "Runs small parallel loops on the calling thread, without OpenMP.";
  let description = [{
    Forking and joining an OpenMP team costs microseconds, about what a
    small layer takes at batch 1, and a compiled model runs a dozen parallel
    loops. Run before `convert-scf-to-openmp`, this pass puts each outermost
    `scf.parallel` without results under an `scf.if`: the loop runs in
    parallel only when its iteration count times a static estimate of one
    iteration's work (its operations, nested loops multiplied out, a call
    counted as a kernel block of 10000) reaches `min-work`; otherwise a copy
    of it as nested `scf.for` loops runs on the calling thread (a loop whose
    one iteration already reaches `min-work` is not guarded). A loop that
    carries `qnt.point_work` (an f64, set by the kernel call sites of
    `convert-qnt-to-kernels` and `convert-linalg-to-kernels`: the layer's
    multiply-adds per output element over 32 for int8, over 8 for fp32)
    counts its points instead, the product of its spans, times that work;
    the attribute is removed. That copy
    does not enter the OpenMP runtime at all: an OpenMP loop with a false
    `if` clause still does, and Debian's libomp formats trace strings in
    every serialized `__kmpc_for_static_init` (a quarter of the bundled
    CNN's batch-1 time). For the same reason, parallel loops nested in an
    outermost one (the layers of a slice of the batch, from
    `qnt-parallel-batch`) become sequential in both branches. Which thread
    computes an element never changes a result. Every loop also runs on the
    calling thread when the OpenMP runtime has one thread: each function
    asks `omp_get_max_threads()` once on entry (declared here), since
    serialized regions cost the same bookkeeping.

    ```mlir
    // After
    %t = call @omp_get_max_threads() : () -> i32
    %multi = arith.cmpi sgt, %t, %c1_i32 : i32
    ...
    %n = arith.muli %c1, %trips : index
    %large = arith.cmpi sge, %n, %c64 : index
    %enough = arith.andi %large, %multi : i1
    scf.if %enough {
      scf.parallel (%i) = ... { ... }
    } else {
      scf.for %i = ... { ... }
    }
    ```
  }];
  let options = [
    Option<"minWork", "min-work", "int64_t", /*default=*/"262144",
           "Estimated operations below which a loop runs on one thread">,
  ];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::func::FuncDialect",
                           "::mlir::scf::SCFDialect"];
}

def CollapseElementwiseDimsPass : Pass<"qnt-collapse-elementwise-dims"> {
  let summary = "Loops once over contiguous dimensions of elementwise ops.";
  let description = [{
    An elementwise `linalg.generic` over a feature map loops over each
    dimension, and the innermost is often a row of a few pixels (28 floats
    of an image), which LLVM vectorizes with a scalar remainder per row.
    Where a run of static loop dimensions after the first is contiguous, in
    order, in every indexing map of an all-parallel generic on tensors,
    this pass collapses the run into one dimension, between
    `tensor.collapse_shape` and `tensor.expand_shape` (upstream
    `linalg::populateCollapseDimensions`); bufferization makes those
    reshapes of contiguous buffers views. The first (batch) dimension is
    kept for the parallel split.

    ```mlir
    // Before: loops (n, 1, 28, 28)
    %q = linalg.generic {indexing_maps = [(n, c, h, w) -> (n, c, h, w),
                                          (n, c, h, w) -> (n, h, w, c)], ...}
        ins(%x : tensor<?x1x28x28xf32>) outs(%e : tensor<?x28x28x1xi8>)
    // After: loops (n, 1, 784)
    %xc = tensor.collapse_shape %x [[0], [1], [2, 3]] : ... to tensor<?x1x784xf32>
    %q = linalg.generic ... ins(%xc : tensor<?x1x784xf32>) outs(... : tensor<?x784x1xi8>)
    ```
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect",
                           "::mlir::tensor::TensorDialect"];
}

def PropagateChannelsLastPass : Pass<"qnt-propagate-channels-last"> {
  let summary = "Keeps activations channels-last (NHWC) between layers that run on the kernels.";
  let description = [{
    The kernel library computes convolutions channels-last while ONNX models
    are NCHW, so `convert-qnt-to-kernels` wraps each convolution in
    transposes to NHWC and back. Run on linalg on tensors, this pass moves
    the transposes through the ops between layers until they cancel:

    - a `linalg.transpose` feeding a `linalg.generic` is folded into the
      generic's indexing map;
    - a rank-4 generic that reads an input channels-last but writes NCHW
      (elementwise ops, pooling, depthwise convolution, requantization)
      writes NHWC instead, with its channel loop innermost among the
      parallel loops (contiguous channels vectorize), followed by a
      transpose back to NCHW that the same rules push on;
    - a generic whose only user transposes its result to NHWC writes NHWC
      directly;
    - a transpose moves below a `tensor.pad` with a constant value;
    - consecutive transposes compose, and vanish when inverse;
    - a constant that a generic reads along its innermost loop (the last
      parallel one) on another dimension than its last, such as a depthwise
      convolution's filter `[C, 1, KH, KW]` read along `C`, is stored with
      that dimension last, so that the loop reads it contiguously;
    - a `linalg.conv_2d_ngchw_gfchw` with one channel and one filter per
      group between reshapes of `[N, C, H, W]` (how the ONNX frontend writes
      a depthwise Conv) becomes `linalg.depthwise_conv_2d_nchw_chw`, which
      the rules above then run channels-last;
    - the observer runtime (calibration runs) reads a transposed tensor
      untransposed: a `bufferization.to_buffer` of a transpose whose casts
      only go to `@quant_observe_f32` buffers the transpose's input, since
      the statistics do not depend on the order of the elements.

    Only where elements live changes: results are bit-identical, and
    reductions keep the order of their steps.

    ```mlir
    // Before: a layer's NHWC output goes back to NCHW for a max pooling,
    // and the pooled tensor to NHWC for the next layer.
    %t = linalg.transpose ins(%conv : tensor<1x8x8x16xi8>) outs(%e0 : tensor<1x16x8x8xi8>) permutation = [0, 3, 1, 2]
    %p = linalg.generic {...} ins(%t, %window : tensor<1x16x8x8xi8>, tensor<2x2xi8>) outs(%init : tensor<1x16x4x4xi8>) {...}
    %u = linalg.transpose ins(%p : tensor<1x16x4x4xi8>) outs(%e1 : tensor<1x4x4x16xi8>) permutation = [0, 2, 3, 1]
    // After: the pooling reads and writes NHWC.
    %u = linalg.generic {...} ins(%conv, %window : tensor<1x8x8x16xi8>, tensor<2x2xi8>) outs(%init2 : tensor<1x4x4x16xi8>) {...}
    ```
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect",
                           "::mlir::tensor::TensorDialect"];
}

def LowerObserversToCallsPass : Pass<"qnt-lower-observers-to-calls", "ModuleOp"> {
  let summary = "Lowers qnt.observe to calls into the observer runtime.";
  let description = [{
    Used only to calibrate: each `qnt.observe` becomes a read of its tensor
    as a buffer and a call `@quant_observe_f32(index, buffer)` (C interface,
    unranked memref), where `index` is the observer's position in the
    module's walk order (the calibrator walks the same way to name the
    statistics). The observed value is forwarded unchanged. Observed values
    must be f32 tensors; others are an error at the observer.

    ```mlir
    // Before
    %y = qnt.observe %x {id = "conv1", kind = #qnt.observer<histogram>} : tensor<?x8xf32>
    // After
    %m = bufferization.to_buffer %x read_only : tensor<?x8xf32> to memref<?x8xf32>
    %u = memref.cast %m : memref<?x8xf32> to memref<*xf32>
    func.call @quant_observe_f32(%c0_i64, %u) : (i64, memref<*xf32>) -> ()
    // uses of %y use %x
    ```
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::bufferization::BufferizationDialect",
                           "::mlir::func::FuncDialect",
                           "::mlir::memref::MemRefDialect"];
}

#endif // QUANT_CONVERSION_PASSES_TD
