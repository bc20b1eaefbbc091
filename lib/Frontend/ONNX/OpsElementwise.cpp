//===- OpsElementwise.cpp - ONNX elementwise ops --------------------------===//
//
// Arithmetic, activations, comparisons and casts, as broadcasting
// linalg.generic ops with arith/math bodies (exact IEEE operations; TOSA's
// reciprocal-based division is not).
//
//===----------------------------------------------------------------------===//

#include "OpBuilders.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"

using namespace mlir;
using namespace mlir::qnt::onnx_frontend;

namespace {

/// Binary arithmetic with float and integer forms.
template <typename FloatOp, typename IntOp>
LogicalResult importBinary(GraphImporter &im, const onnx::NodeProto &node) {
  Value lhs = im.getInput(node, 0), rhs = im.getInput(node, 1);
  if (!lhs || !rhs)
    return failure();
  Type element = getTensorType(lhs).getElementType();
  if (element != getTensorType(rhs).getElementType())
    return im.emitError(node) << "operand element types differ";
  auto result = buildElementwise(
      im, node, {lhs, rhs}, element,
      [&](OpBuilder &b, Location loc, ValueRange args) -> Value {
        if (isa<FloatType>(element))
          return FloatOp::create(b, loc, args[0], args[1]);
        return IntOp::create(b, loc, args[0], args[1]);
      });
  if (failed(result))
    return failure();
  im.setOutput(node, 0, *result);
  return success();
}

/// Variadic Max/Min/Sum/Mean: one broadcasting generic over all inputs.
template <typename FloatOp, typename IntOp, bool IsMean,
          typename UnsignedOp = IntOp>
LogicalResult importVariadic(GraphImporter &im, const onnx::NodeProto &node) {
  auto allInputs = im.getAllInputs(node);
  if (failed(allInputs))
    return failure();
  SmallVector<Value> inputs = std::move(*allInputs);
  Type element = getTensorType(inputs.front()).getElementType();
  for (Value input : inputs)
    if (getTensorType(input).getElementType() != element)
      return im.emitError(node) << "operand element types differ";
  if (IsMean && !isa<FloatType>(element))
    return im.emitError(node) << "Mean needs float tensors";
  bool isUnsigned = im.isUnsigned(node.input(0));
  auto result = buildElementwise(
      im, node, inputs, element,
      [&](OpBuilder &b, Location loc, ValueRange args) -> Value {
        Value acc = args[0];
        for (Value arg : args.drop_front())
          acc = isa<FloatType>(element)
                    ? FloatOp::create(b, loc, acc, arg).getResult()
                : isUnsigned ? UnsignedOp::create(b, loc, acc, arg).getResult()
                             : IntOp::create(b, loc, acc, arg).getResult();
        if (IsMean)
          acc = arith::DivFOp::create(
              b, loc, acc, scalarConstant(b, loc, element, args.size()));
        return acc;
      });
  if (failed(result))
    return failure();
  im.setOutput(node, 0, *result);
  return success();
}

/// Unary float ops: `fn(builder, loc, x)`.
LogicalResult importUnary(GraphImporter &im, const onnx::NodeProto &node,
                          function_ref<Value(OpBuilder &, Location, Value)> fn,
                          bool floatOnly = true) {
  Value input = im.getInput(node, 0);
  if (!input)
    return failure();
  Type element = getTensorType(input).getElementType();
  if (floatOnly && !isa<FloatType>(element))
    return im.emitError(node)
           << "expects a float tensor, got " << input.getType();
  auto result =
      buildElementwise(im, node, input, element,
                       [&](OpBuilder &b, Location loc, ValueRange args) {
                         return fn(b, loc, args[0]);
                       });
  if (failed(result))
    return failure();
  im.setOutput(node, 0, *result);
  return success();
}

Value fconst(OpBuilder &b, Location loc, Value like, double value) {
  return scalarConstant(b, loc, like.getType(), value);
}

LogicalResult importRelu(GraphImporter &im, const onnx::NodeProto &node) {
  return importUnary(im, node, [](OpBuilder &b, Location loc, Value x) {
    return arith::MaximumFOp::create(b, loc, x, fconst(b, loc, x, 0.0));
  });
}

LogicalResult importLeakyRelu(GraphImporter &im, const onnx::NodeProto &node) {
  double alpha = im.getFloat(node, "alpha", 0.01f);
  return importUnary(im, node, [&](OpBuilder &b, Location loc, Value x) {
    Value scaled = arith::MulFOp::create(b, loc, x, fconst(b, loc, x, alpha));
    Value positive = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGT, x,
                                           fconst(b, loc, x, 0.0));
    return arith::SelectOp::create(b, loc, positive, x, scaled);
  });
}

LogicalResult importSigmoid(GraphImporter &im, const onnx::NodeProto &node) {
  return importUnary(im, node, [](OpBuilder &b, Location loc, Value x) {
    Value negated = arith::NegFOp::create(b, loc, x);
    Value exp = math::ExpOp::create(b, loc, negated);
    Value denominator =
        arith::AddFOp::create(b, loc, fconst(b, loc, x, 1.0), exp);
    return arith::DivFOp::create(b, loc, fconst(b, loc, x, 1.0), denominator);
  });
}

/// Gelu (opset 20, also produced by some exporters earlier): exact erf form
/// or the tanh approximation.
LogicalResult importGelu(GraphImporter &im, const onnx::NodeProto &node) {
  bool tanhForm = im.getString(node, "approximate", "none") == "tanh";
  return importUnary(im, node, [&](OpBuilder &b, Location loc, Value x) {
    Value half = fconst(b, loc, x, 0.5), one = fconst(b, loc, x, 1.0);
    Value inner;
    if (tanhForm) {
      Value cube =
          arith::MulFOp::create(b, loc, x, arith::MulFOp::create(b, loc, x, x));
      Value sum = arith::AddFOp::create(
          b, loc, x,
          arith::MulFOp::create(b, loc, cube, fconst(b, loc, x, 0.044715)));
      inner = math::TanhOp::create(
          b, loc,
          arith::MulFOp::create(b, loc, sum,
                                fconst(b, loc, x, 0.7978845608028654)));
    } else {
      inner = math::ErfOp::create(
          b, loc,
          arith::MulFOp::create(b, loc, x,
                                fconst(b, loc, x, 0.7071067811865476)));
    }
    Value scaled = arith::MulFOp::create(
        b, loc, half, arith::AddFOp::create(b, loc, one, inner));
    return arith::MulFOp::create(b, loc, x, scaled);
  });
}

/// Clip: bounds from attributes (opset < 11) or optional inputs.
LogicalResult importClip(GraphImporter &im, const onnx::NodeProto &node) {
  Value input = im.getInput(node, 0);
  if (!input)
    return failure();
  Type element = getTensorType(input).getElementType();
  std::optional<double> lo, hi;
  auto readBound = [&](int i, std::optional<double> &bound) -> LogicalResult {
    if (!im.hasInput(node, i))
      return success();
    auto attr = im.getConstant(node.input(i), 1);
    if (!attr)
      return im.emitError(node)
             << "bound '" << node.input(i) << "' must be a constant";
    if (attr->getNumElements() != 1 || attr->getElementType() != element)
      return im.emitError(node) << "bound '" << node.input(i)
                                << "' must be one value of the input type";
    if (isa<FloatType>(element))
      bound = (*attr->getValues<APFloat>().begin()).convertToDouble();
    else
      bound = (*attr->getValues<APInt>().begin()).getSExtValue();
    return success();
  };
  if (im.getOpset() < 11) {
    if (im.getAttr(node, "min"))
      lo = im.getFloat(node, "min", 0);
    if (im.getAttr(node, "max"))
      hi = im.getFloat(node, "max", 0);
  } else if (failed(readBound(1, lo)) || failed(readBound(2, hi))) {
    return failure();
  }
  return importUnary(
      im, node,
      [&](OpBuilder &b, Location loc, Value x) -> Value {
        Value result = x;
        if (isa<FloatType>(element)) {
          if (lo)
            result = arith::MaximumFOp::create(b, loc, result,
                                               fconst(b, loc, x, *lo));
          if (hi)
            result = arith::MinimumFOp::create(b, loc, result,
                                               fconst(b, loc, x, *hi));
          return result;
        }
        if (lo)
          result =
              arith::MaxSIOp::create(b, loc, result, fconst(b, loc, x, *lo));
        if (hi)
          result =
              arith::MinSIOp::create(b, loc, result, fconst(b, loc, x, *hi));
        return result;
      },
      /*floatOnly=*/false);
}

LogicalResult importPow(GraphImporter &im, const onnx::NodeProto &node) {
  Value base = im.getInput(node, 0), exponent = im.getInput(node, 1);
  if (!base || !exponent)
    return failure();
  Type element = getTensorType(base).getElementType();
  if (!isa<FloatType>(element) ||
      getTensorType(exponent).getElementType() != element)
    return im.emitError(node) << "supports float operands of one type";
  auto result =
      buildElementwise(im, node, {base, exponent}, element,
                       [](OpBuilder &b, Location loc, ValueRange args) {
                         return math::PowFOp::create(b, loc, args[0], args[1]);
                       });
  if (failed(result))
    return failure();
  im.setOutput(node, 0, *result);
  return success();
}

/// Cast between float and integer types (ONNX: truncation toward zero for
/// float to int, saturation undefined; bool is x != 0).
LogicalResult importCast(GraphImporter &im, const onnx::NodeProto &node) {
  Value input = im.getInput(node, 0);
  if (!input)
    return failure();
  int32_t toKind = static_cast<int32_t>(im.getInt(node, "to", 0));
  Type to = im.getElementType(toKind);
  if (!to)
    return im.emitError(node) << "unsupported target type " << toKind;
  int32_t fromKind = im.getElementKind(node.input(0));
  bool fromUnsigned = fromKind == onnx::TensorProto::UINT8 ||
                      fromKind == onnx::TensorProto::UINT16 ||
                      fromKind == onnx::TensorProto::UINT32 ||
                      fromKind == onnx::TensorProto::UINT64 ||
                      fromKind == onnx::TensorProto::BOOL;
  bool toUnsigned = toKind == onnx::TensorProto::UINT8 ||
                    toKind == onnx::TensorProto::UINT16 ||
                    toKind == onnx::TensorProto::UINT32 ||
                    toKind == onnx::TensorProto::UINT64;
  Type from = getTensorType(input).getElementType();
  auto result = buildElementwise(
      im, node, input, to,
      [&](OpBuilder &b, Location loc, ValueRange args) -> Value {
        Value x = args[0];
        if (from == to)
          return x;
        if (to.isInteger(1)) {
          if (isa<FloatType>(from))
            return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNE, x,
                                         fconst(b, loc, x, 0.0));
          return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, x,
                                       fconst(b, loc, x, 0.0));
        }
        if (isa<FloatType>(from) && isa<FloatType>(to))
          return cast<FloatType>(to).getWidth() >
                         cast<FloatType>(from).getWidth()
                     ? arith::ExtFOp::create(b, loc, to, x).getResult()
                     : arith::TruncFOp::create(b, loc, to, x).getResult();
        if (isa<FloatType>(from))
          return toUnsigned
                     ? arith::FPToUIOp::create(b, loc, to, x).getResult()
                     : arith::FPToSIOp::create(b, loc, to, x).getResult();
        if (isa<FloatType>(to))
          return fromUnsigned
                     ? arith::UIToFPOp::create(b, loc, to, x).getResult()
                     : arith::SIToFPOp::create(b, loc, to, x).getResult();
        unsigned fromWidth = from.getIntOrFloatBitWidth();
        unsigned toWidth = to.getIntOrFloatBitWidth();
        if (toWidth < fromWidth)
          return arith::TruncIOp::create(b, loc, to, x);
        return fromUnsigned ? arith::ExtUIOp::create(b, loc, to, x).getResult()
                            : arith::ExtSIOp::create(b, loc, to, x).getResult();
      });
  if (failed(result))
    return failure();
  im.setOutput(node, 0, *result);
  return success();
}

#define UNARY(NAME, OP)                                                        \
  LogicalResult import##NAME(GraphImporter &im, const onnx::NodeProto &node) { \
    return importUnary(im, node, [](OpBuilder &b, Location loc, Value x) {     \
      return OP::create(b, loc, x).getResult();                                \
    });                                                                        \
  }
UNARY(Tanh, math::TanhOp)
UNARY(Erf, math::ErfOp)
UNARY(Exp, math::ExpOp)
UNARY(Log, math::LogOp)
UNARY(Sqrt, math::SqrtOp)
UNARY(Neg, arith::NegFOp)
UNARY(Abs, math::AbsFOp)
UNARY(Floor, math::FloorOp)
UNARY(Ceil, math::CeilOp)
// ONNX Round rounds half to even.
UNARY(Round, math::RoundEvenOp)
#undef UNARY

LogicalResult importElu(GraphImporter &im, const onnx::NodeProto &node) {
  double alpha = im.getFloat(node, "alpha", 1.0f);
  return importUnary(im, node, [&](OpBuilder &b, Location loc, Value x) {
    Value negative = arith::MulFOp::create(
        b, loc, fconst(b, loc, x, alpha),
        arith::SubFOp::create(b, loc, math::ExpOp::create(b, loc, x),
                              fconst(b, loc, x, 1.0)));
    Value positive = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGT, x,
                                           fconst(b, loc, x, 0.0));
    return arith::SelectOp::create(b, loc, positive, x, negative);
  });
}

LogicalResult importSelu(GraphImporter &im, const onnx::NodeProto &node) {
  double alpha = im.getFloat(node, "alpha", 1.67326319217681884765625f);
  double gamma = im.getFloat(node, "gamma", 1.05070102214813232421875f);
  return importUnary(im, node, [&](OpBuilder &b, Location loc, Value x) {
    Value negative = arith::SubFOp::create(
        b, loc,
        arith::MulFOp::create(b, loc, fconst(b, loc, x, alpha),
                              math::ExpOp::create(b, loc, x)),
        fconst(b, loc, x, alpha));
    Value positive = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGT, x,
                                           fconst(b, loc, x, 0.0));
    Value value = arith::SelectOp::create(b, loc, positive, x, negative);
    return arith::MulFOp::create(b, loc, value, fconst(b, loc, x, gamma));
  });
}

LogicalResult importHardSigmoid(GraphImporter &im,
                                const onnx::NodeProto &node) {
  double alpha = im.getFloat(node, "alpha", 0.2f);
  double beta = im.getFloat(node, "beta", 0.5f);
  return importUnary(im, node, [&](OpBuilder &b, Location loc, Value x) {
    Value value = arith::AddFOp::create(
        b, loc, arith::MulFOp::create(b, loc, x, fconst(b, loc, x, alpha)),
        fconst(b, loc, x, beta));
    value = arith::MaximumFOp::create(b, loc, value, fconst(b, loc, x, 0.0));
    return arith::MinimumFOp::create(b, loc, value, fconst(b, loc, x, 1.0));
  });
}

LogicalResult importSoftplus(GraphImporter &im, const onnx::NodeProto &node) {
  return importUnary(im, node, [](OpBuilder &b, Location loc, Value x) {
    return math::Log1pOp::create(b, loc, math::ExpOp::create(b, loc, x));
  });
}

LogicalResult importPRelu(GraphImporter &im, const onnx::NodeProto &node) {
  Value x = im.getInput(node, 0), slope = im.getInput(node, 1);
  if (!x || !slope)
    return failure();
  Type element = getTensorType(x).getElementType();
  if (!isa<FloatType>(element))
    return im.emitError(node) << "expects float tensors";
  auto result = buildElementwise(
      im, node, {x, slope}, element,
      [](OpBuilder &b, Location loc, ValueRange a) {
        Value positive = arith::CmpFOp::create(
            b, loc, arith::CmpFPredicate::OGT, a[0], fconst(b, loc, a[0], 0.0));
        Value scaled = arith::MulFOp::create(b, loc, a[0], a[1]);
        return arith::SelectOp::create(b, loc, positive, a[0], scaled);
      });
  if (failed(result))
    return failure();
  im.setOutput(node, 0, *result);
  return success();
}

LogicalResult importReciprocal(GraphImporter &im, const onnx::NodeProto &node) {
  return importUnary(im, node, [](OpBuilder &b, Location loc, Value x) {
    return arith::DivFOp::create(b, loc, fconst(b, loc, x, 1.0), x);
  });
}

} // namespace

void mlir::qnt::onnx_frontend::registerElementwiseOps(
    llvm::StringMap<OpHandler> &handlers) {
  handlers["Add"] = importBinary<arith::AddFOp, arith::AddIOp>;
  handlers["Sub"] = importBinary<arith::SubFOp, arith::SubIOp>;
  handlers["Mul"] = importBinary<arith::MulFOp, arith::MulIOp>;
  handlers["Div"] = importBinary<arith::DivFOp, arith::DivSIOp>;
  handlers["Max"] =
      importVariadic<arith::MaximumFOp, arith::MaxSIOp, false, arith::MaxUIOp>;
  handlers["Min"] =
      importVariadic<arith::MinimumFOp, arith::MinSIOp, false, arith::MinUIOp>;
  handlers["Sum"] = importVariadic<arith::AddFOp, arith::AddIOp, false>;
  handlers["Mean"] = importVariadic<arith::AddFOp, arith::AddIOp, true>;
  handlers["Pow"] = importPow;
  handlers["Relu"] = importRelu;
  handlers["LeakyRelu"] = importLeakyRelu;
  handlers["Sigmoid"] = importSigmoid;
  handlers["Tanh"] = importTanh;
  handlers["Erf"] = importErf;
  handlers["Gelu"] = importGelu;
  handlers["Exp"] = importExp;
  handlers["Log"] = importLog;
  handlers["Sqrt"] = importSqrt;
  handlers["Neg"] = importNeg;
  handlers["Abs"] = importAbs;
  handlers["Floor"] = importFloor;
  handlers["Ceil"] = importCeil;
  handlers["Round"] = importRound;
  handlers["Reciprocal"] = importReciprocal;
  handlers["Elu"] = importElu;
  handlers["Selu"] = importSelu;
  handlers["HardSigmoid"] = importHardSigmoid;
  handlers["Softplus"] = importSoftplus;
  handlers["PRelu"] = importPRelu;
  handlers["Clip"] = importClip;
  handlers["Cast"] = importCast;
}
