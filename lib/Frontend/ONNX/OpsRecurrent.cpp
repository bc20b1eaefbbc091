//===- OpsRecurrent.cpp - ONNX LSTM and GRU -------------------------------===//
//
// LSTM and GRU (opsets 7-22) on float tensors. layout=1 (batch-major X,
// initial states and outputs, opset 14) is transposed to layout 0 on the
// way in and back on the way out. The time loop is unrolled at import time, so
// the sequence length (dimension 0 of X) must be static; the batch may be
// dynamic. Each step is a matmul of the input and one of the hidden state
// against the transposed weights (all gates at once; GRU without
// linear_before_reset adds one for r*H), tensor.extract_slice per gate, and
// broadcasting linalg generics for the gate arithmetic; Y, Y_h and Y_c are
// assembled with tensor.insert_slice. Supported: all three directions, every
// activation the ONNX spec lists (with activation_alpha/beta), clip (on every
// input of f and g), LSTM peepholes, GRU linear_before_reset, and sequence_lens
// (a per-batch mask: past its length a batch entry holds its state and its Y
// rows are zero). Rejected with an error: LSTM input_forget=1.
//
//===----------------------------------------------------------------------===//

#include "OpBuilders.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace mlir::qnt::onnx_frontend;

namespace {

//===----------------------------------------------------------------------===//
// Activations
//===----------------------------------------------------------------------===//

enum class ActivationKind {
  Relu,
  Tanh,
  Sigmoid,
  Affine,
  LeakyRelu,
  ThresholdedRelu,
  ScaledTanh,
  HardSigmoid,
  Elu,
  Softsign,
  Softplus
};

/// An activation function with its parameters.
struct Activation {
  ActivationKind kind;
  double alpha = 0.0, beta = 0.0;
};

/// The activations of the ONNX RNN spec: which parameters they consume from
/// activation_alpha/activation_beta, and the defaults of the corresponding
/// ONNX operators when the lists run out.
struct ActivationInfo {
  llvm::StringLiteral name;
  ActivationKind kind;
  bool takesAlpha, takesBeta;
  double alpha, beta;
};
constexpr ActivationInfo kActivations[] = {
    {"Relu", ActivationKind::Relu, false, false, 0.0, 0.0},
    {"Tanh", ActivationKind::Tanh, false, false, 0.0, 0.0},
    {"Sigmoid", ActivationKind::Sigmoid, false, false, 0.0, 0.0},
    {"Affine", ActivationKind::Affine, true, true, 1.0, 0.0},
    {"LeakyRelu", ActivationKind::LeakyRelu, true, false, 0.01, 0.0},
    {"ThresholdedRelu", ActivationKind::ThresholdedRelu, true, false, 1.0, 0.0},
    {"ScaledTanh", ActivationKind::ScaledTanh, true, true, 1.0, 1.0},
    {"HardSigmoid", ActivationKind::HardSigmoid, true, true, 0.2, 0.5},
    {"Elu", ActivationKind::Elu, true, false, 1.0, 0.0},
    {"Softsign", ActivationKind::Softsign, false, false, 0.0, 0.0},
    {"Softplus", ActivationKind::Softplus, false, false, 0.0, 0.0},
};

/// The `perDirection` activations of each direction: the `activations`
/// attribute (names match case-insensitively, as onnxruntime does; a list
/// for one direction serves both) or `defaults`.
FailureOr<SmallVector<Activation>> getActivations(GraphImporter &im,
                                                  const onnx::NodeProto &node,
                                                  ArrayRef<StringRef> defaults,
                                                  int64_t numDirections) {
  int64_t perDirection = defaults.size();
  SmallVector<std::string> names;
  if (const onnx::AttributeProto *attr = im.getAttr(node, "activations"))
    names.assign(attr->strings().begin(), attr->strings().end());
  if (names.empty())
    for (StringRef name : defaults)
      names.push_back(name.str());
  if (static_cast<int64_t>(names.size()) == perDirection && numDirections == 2)
    for (int64_t i = 0; i < perDirection; ++i)
      names.push_back(names[i]);
  if (static_cast<int64_t>(names.size()) != perDirection * numDirections)
    return im.emitError(node) << "expected " << perDirection * numDirections
                              << " activations, got " << names.size();
  SmallVector<float> alphas, betas;
  if (const onnx::AttributeProto *attr = im.getAttr(node, "activation_alpha"))
    alphas.assign(attr->floats().begin(), attr->floats().end());
  if (const onnx::AttributeProto *attr = im.getAttr(node, "activation_beta"))
    betas.assign(attr->floats().begin(), attr->floats().end());
  // Parameters are consumed in order by the activations that take them.
  size_t nextAlpha = 0, nextBeta = 0;
  SmallVector<Activation> result;
  for (const std::string &name : names) {
    const ActivationInfo *info =
        llvm::find_if(kActivations, [&](const ActivationInfo &candidate) {
          return candidate.name.equals_insensitive(name);
        });
    if (info == std::end(kActivations))
      return im.emitError(node) << "unknown activation '" << name << "'";
    Activation activation{info->kind, info->alpha, info->beta};
    if (info->takesAlpha && nextAlpha < alphas.size())
      activation.alpha = alphas[nextAlpha++];
    if (info->takesBeta && nextBeta < betas.size())
      activation.beta = betas[nextBeta++];
    result.push_back(activation);
  }
  return result;
}

/// The scalar `activation(x)` inside a generic body.
///   %e = math.exp %neg : f32              // Sigmoid: 1 / (1 + exp(-x))
///   %s = arith.divf %one, %sum : f32
Value applyActivation(OpBuilder &b, Location loc, const Activation &activation,
                      Value x) {
  auto constant = [&](double value) {
    return scalarConstant(b, loc, x.getType(), value);
  };
  auto mul = [&](Value lhs, Value rhs) -> Value {
    return arith::MulFOp::create(b, loc, lhs, rhs);
  };
  auto add = [&](Value lhs, Value rhs) -> Value {
    return arith::AddFOp::create(b, loc, lhs, rhs);
  };
  auto selectIf = [&](arith::CmpFPredicate predicate, Value bound, Value ifTrue,
                      Value ifFalse) -> Value {
    Value cond = arith::CmpFOp::create(b, loc, predicate, x, bound);
    return arith::SelectOp::create(b, loc, cond, ifTrue, ifFalse);
  };
  auto alpha = [&] { return constant(activation.alpha); };
  auto beta = [&] { return constant(activation.beta); };
  switch (activation.kind) {
  case ActivationKind::Relu:
    return arith::MaximumFOp::create(b, loc, x, constant(0.0));
  case ActivationKind::Tanh:
    return math::TanhOp::create(b, loc, x);
  case ActivationKind::Sigmoid: {
    Value exp = math::ExpOp::create(b, loc, arith::NegFOp::create(b, loc, x));
    return arith::DivFOp::create(b, loc, constant(1.0),
                                 add(constant(1.0), exp));
  }
  case ActivationKind::Affine:
    return add(mul(alpha(), x), beta());
  case ActivationKind::LeakyRelu:
    return selectIf(arith::CmpFPredicate::OGE, constant(0.0), x,
                    mul(alpha(), x));
  case ActivationKind::ThresholdedRelu:
    // As the ThresholdedRelu operator: x where x > alpha.
    return selectIf(arith::CmpFPredicate::OGT, alpha(), x, constant(0.0));
  case ActivationKind::ScaledTanh:
    return mul(alpha(), math::TanhOp::create(b, loc, mul(beta(), x)));
  case ActivationKind::HardSigmoid: {
    Value linear = add(mul(alpha(), x), beta());
    Value low = arith::MaximumFOp::create(b, loc, linear, constant(0.0));
    return arith::MinimumFOp::create(b, loc, low, constant(1.0));
  }
  case ActivationKind::Elu: {
    Value expm1 = arith::SubFOp::create(b, loc, math::ExpOp::create(b, loc, x),
                                        constant(1.0));
    return selectIf(arith::CmpFPredicate::OGE, constant(0.0), x,
                    mul(alpha(), expm1));
  }
  case ActivationKind::Softsign:
    return arith::DivFOp::create(
        b, loc, x, add(constant(1.0), math::AbsFOp::create(b, loc, x)));
  case ActivationKind::Softplus:
    return math::Log1pOp::create(b, loc, math::ExpOp::create(b, loc, x));
  }
  llvm_unreachable("unknown activation kind");
}

//===----------------------------------------------------------------------===//
// Operands
//===----------------------------------------------------------------------===//

/// The validated operands and attributes of an LSTM or GRU node. Gate order
/// is ONNX's: LSTM i, o, f, c; GRU z, r, h.
struct Recurrent {
  int64_t gates = 0;
  int64_t seq = 0, hidden = 0, numDirections = 1;
  bool reverse = false;    // direction == "reverse"
  bool batchMajor = false; // layout=1
  Type element;
  /// X [seq, batch, input], W [dirs, gates*hidden, input], R [dirs,
  /// gates*hidden, hidden]; the others are null when absent: B [dirs,
  /// 2*gates*hidden], initial_h [dirs, batch, hidden], sequence_lens as
  /// [batch, 1] (null when a constant of full lengths).
  Value x, w, r, bias, initialH, lengths;
  SmallVector<Activation> activations; // per direction, then direction
  std::optional<double> clip;

  /// Whether direction `d` runs from the last step to the first.
  bool isReversed(int64_t d) const { return reverse || d == 1; }

  /// An input of layout 1 ([batch, seq|dirs, ...]) as layout 0; `value`
  /// unchanged otherwise (or when null or not rank 3).
  Value toSequenceMajor(GraphImporter &im, const onnx::NodeProto &node,
                        Value value) const {
    if (!batchMajor || !value || getTensorType(value).getRank() != 3)
      return value;
    return buildTranspose(im.builder, im.getLoc(node), value, {1, 0, 2});
  }

  /// Sets output `i` (Y [seq, dirs, batch, hidden] or a state [dirs, batch,
  /// hidden]) in the node's layout.
  void setOutput(GraphImporter &im, const onnx::NodeProto &node, int i,
                 Value value) const {
    if (batchMajor)
      value =
          i == 0
              ? buildTranspose(im.builder, im.getLoc(node), value, {2, 0, 1, 3})
              : buildTranspose(im.builder, im.getLoc(node), value, {1, 0, 2});
    im.setOutput(node, i, value);
  }
};

/// Whether output `i` is requested.
bool hasOutput(const onnx::NodeProto &node, int i) {
  return i < node.output_size() && !node.output(i).empty();
}

/// Emits an error unless static dims of `value` match `expected` (a
/// dynamic expectation matches anything).
LogicalResult checkShape(GraphImporter &im, const onnx::NodeProto &node,
                         StringRef what, Value value,
                         ArrayRef<int64_t> expected, Type element) {
  auto type = getTensorType(value);
  bool matches = type.getRank() == static_cast<int64_t>(expected.size()) &&
                 type.getElementType() == element;
  for (auto [dim, want] : llvm::zip(type.getShape(), expected))
    matches &= ShapedType::isDynamic(want) || ShapedType::isDynamic(dim) ||
               dim == want;
  if (matches)
    return success();
  std::string shape;
  llvm::raw_string_ostream os(shape);
  llvm::interleave(
      expected, os,
      [&](int64_t dim) {
        if (ShapedType::isDynamic(dim))
          os << "?";
        else
          os << dim;
      },
      ", ");
  return im.emitError(node)
         << what << " has type " << type << ", expected shape [" << shape
         << "] of " << element;
}

/// Reads and checks the operands LSTM and GRU share (X, W, R, B,
/// sequence_lens, initial_h) and their attributes; `gates` is 4 or 3.
FailureOr<Recurrent> getRecurrent(GraphImporter &im,
                                  const onnx::NodeProto &node, int64_t gates,
                                  ArrayRef<StringRef> defaultActivations) {
  Recurrent rnn;
  rnn.gates = gates;
  int64_t layout = im.getInt(node, "layout", 0);
  if (layout != 0 && layout != 1)
    return im.emitError(node) << "layout must be 0 or 1, got " << layout;
  rnn.batchMajor = layout == 1;
  std::string direction = im.getString(node, "direction", "forward");
  if (direction == "bidirectional")
    rnn.numDirections = 2;
  else if (direction == "reverse")
    rnn.reverse = true;
  else if (direction != "forward")
    return im.emitError(node) << "unknown direction '" << direction << "'";
  rnn.x = im.getInput(node, 0);
  rnn.w = im.getInput(node, 1);
  rnn.r = im.getInput(node, 2);
  if (!rnn.x || !rnn.w || !rnn.r)
    return failure();
  rnn.x = rnn.toSequenceMajor(im, node, rnn.x);
  auto xType = getTensorType(rnn.x), rType = getTensorType(rnn.r);
  rnn.element = xType.getElementType();
  if (!isa<FloatType>(rnn.element))
    return im.emitError(node) << "expects float tensors, got " << xType;
  if (xType.getRank() != 3 || xType.isDynamicDim(0))
    return im.emitError(node)
           << "X must be [seq, batch, input] with a static sequence length "
              "(the time loop is unrolled at import), got "
           << xType;
  rnn.seq = xType.getDimSize(0);
  if (rType.getRank() != 3 || rType.isDynamicDim(2))
    return im.emitError(node)
           << "R must be [dirs, " << gates
           << "*hidden, hidden] with static hidden, got " << rType;
  rnn.hidden = rType.getDimSize(2);
  int64_t hiddenAttr = im.getInt(node, "hidden_size", rnn.hidden);
  if (hiddenAttr != rnn.hidden)
    return im.emitError(node)
           << "hidden_size " << hiddenAttr << " does not match R " << rType;
  int64_t dirs = rnn.numDirections, gh = gates * rnn.hidden;
  int64_t batch = xType.getDimSize(1);
  auto wType = getTensorType(rnn.w);
  if (!wType.hasStaticShape() || !rType.hasStaticShape())
    return im.emitError(node) << "W and R must have static shapes";
  if (failed(checkShape(im, node, "W", rnn.w, {dirs, gh, xType.getDimSize(2)},
                        rnn.element)) ||
      failed(checkShape(im, node, "R", rnn.r, {dirs, gh, rnn.hidden},
                        rnn.element)))
    return failure();
  if (im.hasInput(node, 3)) {
    rnn.bias = im.getInput(node, 3);
    if (!rnn.bias || failed(checkShape(im, node, "B", rnn.bias, {dirs, 2 * gh},
                                       rnn.element)))
      return failure();
  }
  if (im.hasInput(node, 4)) {
    Value lengths = im.getInput(node, 4);
    if (!lengths)
      return failure();
    auto lType = getTensorType(lengths);
    if (lType.getRank() != 1 || !isa<IntegerType>(lType.getElementType()) ||
        (!ShapedType::isDynamic(batch) && !lType.isDynamicDim(0) &&
         lType.getDimSize(0) != batch))
      return im.emitError(node)
             << "sequence_lens must be an integer [batch] tensor, got "
             << lType;
    // Constant full lengths need no mask.
    auto constant = im.getConstant(node.input(4));
    bool full =
        constant &&
        llvm::all_of(constant->getValues<APInt>(), [&](const APInt &length) {
          return length.getSExtValue() == rnn.seq;
        });
    if (!full)
      rnn.lengths = buildReshape(im.builder, im.getLoc(node), lengths,
                                 {lType.getDimSize(0), 1});
  }
  if (im.hasInput(node, 5)) {
    rnn.initialH = rnn.toSequenceMajor(im, node, im.getInput(node, 5));
    if (!rnn.initialH ||
        failed(checkShape(im, node, "initial_h", rnn.initialH,
                          {dirs, batch, rnn.hidden}, rnn.element)))
      return failure();
  }
  if (const onnx::AttributeProto *clip = im.getAttr(node, "clip")) {
    if (!clip->has_f() || !(clip->f() > 0.0f))
      return im.emitError(node) << "clip must be a positive float";
    rnn.clip = clip->f();
  }
  auto activations = getActivations(im, node, defaultActivations, dirs);
  if (failed(activations))
    return failure();
  rnn.activations = std::move(*activations);
  return rnn;
}

//===----------------------------------------------------------------------===//
// Building blocks
//===----------------------------------------------------------------------===//

/// `value[offsets .. offsets + sizes]` with unit strides, dropping the first
/// `drop` dims (of size 1); a dynamic size takes the whole dimension.
///   %w0 = tensor.extract_slice %w[1, 0, 0] [1, 12, 4] [1, 1, 1]
///       : tensor<2x12x4xf32> to tensor<12x4xf32>
Value extractSlice(OpBuilder &b, Location loc, Value value,
                   ArrayRef<int64_t> offsets, ArrayRef<int64_t> sizes,
                   int64_t drop) {
  auto type = getTensorType(value);
  SmallVector<OpFoldResult> mixedOffsets, mixedSizes;
  SmallVector<int64_t> shape;
  for (auto [i, offset, size] : llvm::enumerate(offsets, sizes)) {
    mixedOffsets.push_back(b.getIndexAttr(offset));
    bool whole = ShapedType::isDynamic(size);
    mixedSizes.push_back(whole ? tensor::getMixedSize(b, loc, value, i)
                               : b.getIndexAttr(size));
    if (static_cast<int64_t>(i) >= drop)
      shape.push_back(whole ? type.getDimSize(i) : size);
  }
  SmallVector<OpFoldResult> strides(offsets.size(), b.getIndexAttr(1));
  auto resultType = RankedTensorType::get(shape, type.getElementType());
  return tensor::ExtractSliceOp::create(b, loc, resultType, value, mixedOffsets,
                                        mixedSizes, strides);
}

/// Slice `index` (of `size`) of the last dim of a [..., N] tensor.
Value sliceLast(OpBuilder &b, Location loc, Value value, int64_t index,
                int64_t size) {
  int64_t rank = getTensorType(value).getRank();
  SmallVector<int64_t> offsets(rank, 0), sizes(rank, ShapedType::kDynamic);
  offsets.back() = index * size;
  sizes.back() = size;
  return extractSlice(b, loc, value, offsets, sizes, 0);
}

/// Direction `d` of a [dirs, ...] tensor, without the leading dim.
Value sliceDirection(OpBuilder &b, Location loc, Value value, int64_t d) {
  int64_t rank = getTensorType(value).getRank();
  SmallVector<int64_t> offsets(rank, 0), sizes(rank, ShapedType::kDynamic);
  offsets[0] = d;
  sizes[0] = 1;
  return extractSlice(b, loc, value, offsets, sizes, 1);
}

/// Writes `source` [B, H] into `dest` [..., B, H] at the leading indices
/// `leading`.
///   %y = tensor.insert_slice %h into %y0[2, 0, 0, 0] [1, 1, 3, 5] [1, 1, 1, 1]
///      : tensor<3x5xf32> into tensor<4x1x3x5xf32>
Value insertSlice(OpBuilder &b, Location loc, Value source, Value dest,
                  ArrayRef<int64_t> leading) {
  SmallVector<OpFoldResult> offsets, sizes;
  for (int64_t index : leading) {
    offsets.push_back(b.getIndexAttr(index));
    sizes.push_back(b.getIndexAttr(1));
  }
  for (OpFoldResult size : tensor::getMixedSizes(b, loc, source)) {
    offsets.push_back(b.getIndexAttr(0));
    sizes.push_back(size);
  }
  SmallVector<OpFoldResult> strides(offsets.size(), b.getIndexAttr(1));
  return tensor::InsertSliceOp::create(b, loc, source, dest, offsets, sizes,
                                       strides);
}

/// The sum of the non-null `operands` (broadcasting), or the only one.
FailureOr<Value> addAll(GraphImporter &im, const onnx::NodeProto &node,
                        ArrayRef<Value> operands) {
  SmallVector<Value> present;
  for (Value operand : operands)
    if (operand)
      present.push_back(operand);
  if (present.size() == 1)
    return present.front();
  Type element = getTensorType(present.front()).getElementType();
  return buildElementwise(im, node, present, element,
                          [](OpBuilder &b, Location loc, ValueRange args) {
                            Value sum = args.front();
                            for (Value arg : args.drop_front())
                              sum = arith::AddFOp::create(b, loc, sum, arg);
                            return sum;
                          });
}

/// `lhs [B, K] x rhs [N, K]^T (+ bias [N])`: the gate inputs of all gates.
FailureOr<Value> project(GraphImporter &im, const onnx::NodeProto &node,
                         Value lhs, Value rhs, Value bias) {
  Location loc = im.getLoc(node);
  Value product = buildMatmul2D(im.builder, loc, lhs, rhs, false, true);
  return addAll(im, node, {product, bias});
}

/// An elementwise step of the recurrence: `body(operands..., held)` where
/// the step `t` is within a batch entry's sequence length, else `held` (or
/// zero when `held` is null, as Y wants). Without sequence_lens, just the
/// body.
FailureOr<Value> buildStep(GraphImporter &im, const onnx::NodeProto &node,
                           const Recurrent &rnn, int64_t t,
                           SmallVector<Value> operands, Value held,
                           BodyFn body) {
  size_t numArgs = operands.size() + (held ? 1 : 0);
  if (held)
    operands.push_back(held);
  if (rnn.lengths)
    operands.push_back(rnn.lengths);
  Type element = rnn.element;
  return buildElementwise(
      im, node, operands, element,
      [&](OpBuilder &b, Location loc, ValueRange args) -> Value {
        Value result = body(b, loc, args.take_front(numArgs));
        if (!rnn.lengths)
          return result;
        Value length = args.back();
        Value step = scalarConstant(b, loc, length.getType(), t);
        Value active = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt,
                                             step, length);
        Value idle =
            held ? args[numArgs - 1] : scalarConstant(b, loc, element, 0);
        return arith::SelectOp::create(b, loc, active, result, idle);
      });
}

/// `activation(clip(x))` for the gate activations f and g.
Value gate(OpBuilder &b, Location loc, const Recurrent &rnn,
           const Activation &activation, Value x) {
  if (rnn.clip) {
    Type type = x.getType();
    x = arith::MaximumFOp::create(b, loc, x,
                                  scalarConstant(b, loc, type, -*rnn.clip));
    x = arith::MinimumFOp::create(b, loc, x,
                                  scalarConstant(b, loc, type, *rnn.clip));
  }
  return applyActivation(b, loc, activation, x);
}

/// The initial state of direction `d`: `initial` [dirs, batch, hidden]
/// sliced, or zeros [batch, hidden].
Value initialState(GraphImporter &im, const onnx::NodeProto &node,
                   const Recurrent &rnn, Value initial, int64_t d) {
  OpBuilder &b = im.builder;
  Location loc = im.getLoc(node);
  if (initial)
    return sliceDirection(b, loc, initial, d);
  int64_t batch = getTensorType(rnn.x).getDimSize(1);
  Value empty = buildEmpty(b, loc, {batch, rnn.hidden}, rnn.element, rnn.x);
  Value zero = scalarConstant(b, loc, rnn.element, 0.0);
  return linalg::FillOp::create(b, loc, zero, empty).getResult(0);
}

/// Empty outputs Y [seq, dirs, batch, hidden] and a state [dirs, batch,
/// hidden].
Value emptyOutput(GraphImporter &im, const onnx::NodeProto &node,
                  const Recurrent &rnn, bool withSeq) {
  SmallVector<int64_t> shape = {rnn.numDirections,
                                getTensorType(rnn.x).getDimSize(1), rnn.hidden};
  if (withSeq)
    shape.insert(shape.begin(), rnn.seq);
  return buildEmpty(im.builder, im.getLoc(node), shape, rnn.element, rnn.x);
}

/// Y with step `t`'s hidden state `h` [batch, hidden] written at [t, d];
/// zero past each batch entry's sequence length.
FailureOr<Value> writeY(GraphImporter &im, const onnx::NodeProto &node,
                        const Recurrent &rnn, int64_t t, int64_t d, Value h,
                        Value y) {
  Value row = h;
  if (rnn.lengths) {
    auto masked =
        buildStep(im, node, rnn, t, {h}, Value(),
                  [](OpBuilder &, Location, ValueRange a) { return a[0]; });
    if (failed(masked))
      return failure();
    row = *masked;
  }
  return insertSlice(im.builder, im.getLoc(node), row, y, {t, d});
}

//===----------------------------------------------------------------------===//
// LSTM and GRU
//===----------------------------------------------------------------------===//

/// LSTM, per step (gate order i, o, f, c; P = [Pi, Po, Pf]):
///   g = Xt W^T + H R^T + Wb + Rb
///   i = f(gi + Pi*C), f = f(gf + Pf*C), C' = f*C + i*g(gc)
///   o = f(go + Po*C'), H' = o*h(C')
LogicalResult importLSTM(GraphImporter &im, const onnx::NodeProto &node) {
  if (im.getInt(node, "input_forget", 0) != 0)
    return im.emitError(node) << "input_forget=1 (coupled input and forget "
                                 "gates) is not supported";
  auto parsed = getRecurrent(im, node, 4, {"Sigmoid", "Tanh", "Tanh"});
  if (failed(parsed))
    return failure();
  const Recurrent &rnn = *parsed;
  int64_t hidden = rnn.hidden, dirs = rnn.numDirections;
  int64_t batch = getTensorType(rnn.x).getDimSize(1);
  Value initialC, peephole;
  if (im.hasInput(node, 6)) {
    initialC = rnn.toSequenceMajor(im, node, im.getInput(node, 6));
    if (!initialC || failed(checkShape(im, node, "initial_c", initialC,
                                       {dirs, batch, hidden}, rnn.element)))
      return failure();
  }
  if (im.hasInput(node, 7)) {
    peephole = im.getInput(node, 7);
    if (!peephole || failed(checkShape(im, node, "P", peephole,
                                       {dirs, 3 * hidden}, rnn.element)))
      return failure();
  }
  OpBuilder &b = im.builder;
  Location loc = im.getLoc(node);
  Value y = hasOutput(node, 0) ? emptyOutput(im, node, rnn, true) : Value();
  Value yH = emptyOutput(im, node, rnn, false);
  Value yC = emptyOutput(im, node, rnn, false);
  for (int64_t d = 0; d < dirs; ++d) {
    Value w = sliceDirection(b, loc, rnn.w, d);
    Value r = sliceDirection(b, loc, rnn.r, d);
    Value bias;
    if (rnn.bias) {
      Value both = sliceDirection(b, loc, rnn.bias, d);
      auto sum = addAll(im, node,
                        {sliceLast(b, loc, both, 0, 4 * hidden),
                         sliceLast(b, loc, both, 1, 4 * hidden)});
      if (failed(sum))
        return failure();
      bias = *sum;
    }
    // Peepholes (all zero when absent, so simply left out).
    Value pI, pO, pF;
    if (peephole) {
      Value p = sliceDirection(b, loc, peephole, d);
      pI = sliceLast(b, loc, p, 0, hidden);
      pO = sliceLast(b, loc, p, 1, hidden);
      pF = sliceLast(b, loc, p, 2, hidden);
    }
    ArrayRef<Activation> act =
        ArrayRef<Activation>(rnn.activations).slice(3 * d, 3);
    Value h = initialState(im, node, rnn, rnn.initialH, d);
    Value c = initialState(im, node, rnn, initialC, d);
    for (int64_t step = 0; step < rnn.seq; ++step) {
      int64_t t = rnn.isReversed(d) ? rnn.seq - 1 - step : step;
      Value xt =
          extractSlice(b, loc, rnn.x, {t, 0, 0},
                       {1, ShapedType::kDynamic, ShapedType::kDynamic}, 1);
      auto fromX = project(im, node, xt, w, Value());
      auto fromH = project(im, node, h, r, Value());
      if (failed(fromX) || failed(fromH))
        return failure();
      auto pre = addAll(im, node, {*fromX, *fromH, bias});
      if (failed(pre))
        return failure();
      SmallVector<Value> g;
      for (int64_t i = 0; i < 4; ++i)
        g.push_back(sliceLast(b, loc, *pre, i, hidden));
      // C' = f(gf + Pf*C) * C + f(gi + Pi*C) * g(gc).
      SmallVector<Value> cellOperands = {g[0], g[2], g[3]};
      if (peephole)
        cellOperands.append({pI, pF});
      auto cNew = buildStep(
          im, node, rnn, t, cellOperands, c,
          [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
            Value cPrev = a.back(), iPre = a[0], fPre = a[1];
            if (peephole) {
              iPre = arith::AddFOp::create(
                  nb, l, iPre, arith::MulFOp::create(nb, l, a[3], cPrev));
              fPre = arith::AddFOp::create(
                  nb, l, fPre, arith::MulFOp::create(nb, l, a[4], cPrev));
            }
            Value i = gate(nb, l, rnn, act[0], iPre);
            Value f = gate(nb, l, rnn, act[0], fPre);
            Value candidate = gate(nb, l, rnn, act[1], a[2]);
            return arith::AddFOp::create(
                nb, l, arith::MulFOp::create(nb, l, f, cPrev),
                arith::MulFOp::create(nb, l, i, candidate));
          });
      if (failed(cNew))
        return failure();
      // H' = f(go + Po*C') * h(C'); h is not clipped.
      SmallVector<Value> hiddenOperands = {g[1], *cNew};
      if (peephole)
        hiddenOperands.push_back(pO);
      auto hNew = buildStep(
          im, node, rnn, t, hiddenOperands, h,
          [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
            Value oPre = a[0];
            if (peephole)
              oPre = arith::AddFOp::create(
                  nb, l, oPre, arith::MulFOp::create(nb, l, a[2], a[1]));
            Value o = gate(nb, l, rnn, act[0], oPre);
            return arith::MulFOp::create(nb, l, o,
                                         applyActivation(nb, l, act[2], a[1]));
          });
      if (failed(hNew))
        return failure();
      h = *hNew;
      c = *cNew;
      if (y) {
        auto written = writeY(im, node, rnn, t, d, h, y);
        if (failed(written))
          return failure();
        y = *written;
      }
    }
    yH = insertSlice(b, loc, h, yH, {d});
    yC = insertSlice(b, loc, c, yC, {d});
  }
  if (y)
    rnn.setOutput(im, node, 0, y);
  rnn.setOutput(im, node, 1, yH);
  rnn.setOutput(im, node, 2, yC);
  return success();
}

/// GRU, per step (gate order z, r, h):
///   z = f(Xt Wz^T + H Rz^T + Wbz + Rbz), r likewise
///   h~ = g(Xt Wh^T + (r*H) Rh^T + Rbh + Wbh)       linear_before_reset = 0
///   h~ = g(Xt Wh^T + r*(H Rh^T + Rbh) + Wbh)       linear_before_reset != 0
///   H' = (1 - z)*h~ + z*H
LogicalResult importGRU(GraphImporter &im, const onnx::NodeProto &node) {
  auto parsed = getRecurrent(im, node, 3, {"Sigmoid", "Tanh"});
  if (failed(parsed))
    return failure();
  const Recurrent &rnn = *parsed;
  bool linearBeforeReset = im.getInt(node, "linear_before_reset", 0) != 0;
  int64_t hidden = rnn.hidden;
  OpBuilder &b = im.builder;
  Location loc = im.getLoc(node);
  Value y = hasOutput(node, 0) ? emptyOutput(im, node, rnn, true) : Value();
  Value yH = emptyOutput(im, node, rnn, false);
  for (int64_t d = 0; d < rnn.numDirections; ++d) {
    Value w = sliceDirection(b, loc, rnn.w, d);
    Value r = sliceDirection(b, loc, rnn.r, d);
    // Bias added to Xt W^T, and (linear_before_reset) to H R^T.
    Value xBias, hBias;
    if (rnn.bias) {
      Value both = sliceDirection(b, loc, rnn.bias, d);
      xBias = sliceLast(b, loc, both, 0, 3 * hidden);
      hBias = sliceLast(b, loc, both, 1, 3 * hidden);
      if (!linearBeforeReset) {
        auto sum = addAll(im, node, {xBias, hBias});
        if (failed(sum))
          return failure();
        xBias = *sum;
        hBias = Value();
      }
    }
    // Without linear_before_reset, Rh multiplies r*H: a matmul of its own.
    Value rZR = r, rH;
    if (!linearBeforeReset) {
      rZR = extractSlice(b, loc, r, {0, 0}, {2 * hidden, hidden}, 0);
      rH = extractSlice(b, loc, r, {2 * hidden, 0}, {hidden, hidden}, 0);
    }
    ArrayRef<Activation> act =
        ArrayRef<Activation>(rnn.activations).slice(2 * d, 2);
    Value h = initialState(im, node, rnn, rnn.initialH, d);
    for (int64_t step = 0; step < rnn.seq; ++step) {
      int64_t t = rnn.isReversed(d) ? rnn.seq - 1 - step : step;
      Value xt =
          extractSlice(b, loc, rnn.x, {t, 0, 0},
                       {1, ShapedType::kDynamic, ShapedType::kDynamic}, 1);
      auto fromX = project(im, node, xt, w, xBias);
      auto fromH = project(im, node, h, rZR, hBias);
      if (failed(fromX) || failed(fromH))
        return failure();
      Value xz = sliceLast(b, loc, *fromX, 0, hidden);
      Value xr = sliceLast(b, loc, *fromX, 1, hidden);
      Value xh = sliceLast(b, loc, *fromX, 2, hidden);
      Value hz = sliceLast(b, loc, *fromH, 0, hidden);
      Value hr = sliceLast(b, loc, *fromH, 1, hidden);
      // The h-gate's recurrent term, before the reset gate where it applies.
      Value hh;
      if (linearBeforeReset) {
        hh = sliceLast(b, loc, *fromH, 2, hidden);
      } else {
        auto resetH = buildElementwise(
            im, node, {xr, hr, h}, rnn.element,
            [&](OpBuilder &nb, Location l, ValueRange a) {
              Value sum = arith::AddFOp::create(nb, l, a[0], a[1]);
              return arith::MulFOp::create(nb, l, gate(nb, l, rnn, act[0], sum),
                                           a[2]);
            });
        if (failed(resetH))
          return failure();
        hh = buildMatmul2D(b, loc, *resetH, rH, false, true);
      }
      // Operands xz, hz, xh, hh (, xr, hr), then the held state H.
      SmallVector<Value> operands = {xz, hz, xh, hh};
      if (linearBeforeReset)
        operands.append({xr, hr});
      auto hNew = buildStep(
          im, node, rnn, t, operands, h,
          [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
            Value hPrev = a.back();
            Value z = gate(nb, l, rnn, act[0],
                           arith::AddFOp::create(nb, l, a[0], a[1]));
            Value recurrent = a[3];
            if (linearBeforeReset) {
              Value reset = gate(nb, l, rnn, act[0],
                                 arith::AddFOp::create(nb, l, a[4], a[5]));
              recurrent = arith::MulFOp::create(nb, l, reset, recurrent);
            }
            Value candidate =
                gate(nb, l, rnn, act[1],
                     arith::AddFOp::create(nb, l, a[2], recurrent));
            Value oneMinusZ = arith::SubFOp::create(
                nb, l, scalarConstant(nb, l, rnn.element, 1.0), z);
            return arith::AddFOp::create(
                nb, l, arith::MulFOp::create(nb, l, oneMinusZ, candidate),
                arith::MulFOp::create(nb, l, z, hPrev));
          });
      if (failed(hNew))
        return failure();
      h = *hNew;
      if (y) {
        auto written = writeY(im, node, rnn, t, d, h, y);
        if (failed(written))
          return failure();
        y = *written;
      }
    }
    yH = insertSlice(b, loc, h, yH, {d});
  }
  if (y)
    rnn.setOutput(im, node, 0, y);
  rnn.setOutput(im, node, 1, yH);
  return success();
}

} // namespace

void mlir::qnt::onnx_frontend::registerRecurrentOps(
    llvm::StringMap<OpHandler> &handlers) {
  handlers["LSTM"] = importLSTM;
  handlers["GRU"] = importGRU;
}
