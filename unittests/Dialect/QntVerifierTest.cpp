//===- QntVerifierTest.cpp - qnt diagnostics textual IR cannot reach ------===//
//
// Some qnt verifier diagnostics guard inputs that upstream's `!quant.uniform`
// parser (and so quant-opt and test/Dialect/Qnt/invalid.mlir) rejects first:
// non-positive, infinite or overflowing scales, storage wider than 32 bits,
// non-float expressed types, negative axes and non-positive block sizes, and
// histogram edges without bins. C++ can still build such types with the
// unchecked `get` builders, so each test shows that upstream's checked
// builder rejects the input, then that verifyQuantizedType (or
// ObserverStatsAttr::verify) emits the exact rule-ID message, and that a
// `qnt.quantize` op using the type fails mlir::verify with the same message.
// The tests of the "must be a tensor of floats" checks show that the ODS
// operand constraints pre-empt their non-tensor half even from C++.
//
//===----------------------------------------------------------------------===//

#include "quant/Dialect/Qnt/IR/QntDialect.h"
#include "quant/Dialect/Qnt/IR/QntOps.h"
#include "quant/Dialect/Qnt/IR/QuantTypeUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OwningOpRef.h"
#include "mlir/IR/Verifier.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

using namespace mlir;

namespace {

using Messages = std::vector<std::string>;

class QntVerifierTest : public ::testing::Test {
protected:
  QntVerifierTest() {
    context.loadDialect<qnt::QntDialect, quant::QuantDialect,
                        arith::ArithDialect, func::FuncDialect>();
  }

  Location loc() { return UnknownLoc::get(&context); }
  Type f16() { return Float16Type::get(&context); }
  Type bf16() { return BFloat16Type::get(&context); }
  Type f32() { return Float32Type::get(&context); }
  Type i8() { return IntegerType::get(&context, 8); }
  Type i32() { return IntegerType::get(&context, 32); }

  /// The error messages `fn` emits (notes are not separate diagnostics).
  Messages collect(function_ref<void()> fn) {
    Messages messages;
    ScopedDiagnosticHandler handler(&context, [&](Diagnostic &diag) {
      if (diag.getSeverity() == DiagnosticSeverity::Error)
        messages.push_back(diag.str());
      return success();
    });
    fn();
    return messages;
  }

  /// Emits diagnostics at an unknown location, as a type verifier does.
  function_ref<InFlightDiagnostic()> emitter() { return emitErrorFn; }

  /// True if upstream's checked builder `build` rejects its input (the
  /// diagnostics it emits are swallowed).
  bool upstreamRejects(function_ref<Type()> build) {
    Type type;
    Messages messages = collect([&] { type = build(); });
    return !type && !messages.empty();
  }

  /// verifyQuantizedType on `quantType` as the element type of a tensor of
  /// `shape`, with the casts' 2 to 32 bit storage range.
  Messages verifyType(Type quantType, ArrayRef<int64_t> shape) {
    auto tensor = RankedTensorType::get(shape, quantType);
    Messages messages = collect([&] {
      EXPECT_TRUE(failed(qnt::verifyQuantizedType(emitter(), quantType, tensor,
                                                  /*minBits=*/2,
                                                  /*maxBits=*/32)));
    });
    return messages;
  }

  /// Verifies a module holding `func @f(args) { body; return }`, expecting
  /// it to fail, and returns the messages.
  Messages verifyFunc(ArrayRef<Type> args,
                      function_ref<void(OpBuilder &, Block &)> body) {
    OwningOpRef<ModuleOp> module = ModuleOp::create(loc());
    OpBuilder builder = OpBuilder::atBlockBegin(module->getBody());
    auto func = func::FuncOp::create(builder, loc(), "f",
                                     builder.getFunctionType(args, {}));
    Block *entry = func.addEntryBlock();
    builder.setInsertionPointToStart(entry);
    body(builder, *entry);
    func::ReturnOp::create(builder, loc());
    return collect(
        [&] { EXPECT_TRUE(failed(mlir::verify(module->getOperation()))); });
  }

  /// Verifies `qnt.quantize %x : tensor<shape x floatElement> ->
  /// tensor<shape x quantType>` built with OpBuilder.
  Messages verifyQuantize(Type floatElement, Type quantType,
                          ArrayRef<int64_t> shape) {
    Type input = RankedTensorType::get(shape, floatElement);
    Type result = RankedTensorType::get(shape, quantType);
    return verifyFunc(input, [&](OpBuilder &builder, Block &entry) {
      qnt::QuantizeOp::create(builder, loc(), result, entry.getArgument(0),
                              /*rounding=*/nullptr);
    });
  }

  /// Expects `quantType` on a tensor of `shape` to fail verifyQuantizedType
  /// with exactly `message`, and a qnt.quantize op from `floatElement` to it
  /// to fail module verification with the same message.
  void expectRejected(Type quantType, ArrayRef<int64_t> shape,
                      Type floatElement, const std::string &message) {
    EXPECT_EQ(verifyType(quantType, shape), Messages{message});
    EXPECT_EQ(verifyQuantize(floatElement, quantType, shape),
              Messages{"'qnt.quantize' op " + message});
  }

  /// A signed per-tensor type with the full storage range.
  quant::UniformQuantizedType perTensor(Type storage, Type expressed,
                                        double scale) {
    unsigned width = storage.getIntOrFloatBitWidth();
    return quant::UniformQuantizedType::get(
        quant::QuantizationFlags::Signed, storage, expressed, scale,
        /*zeroPoint=*/0,
        quant::QuantizedType::getDefaultMinimumForInteger(true, width),
        quant::QuantizedType::getDefaultMaximumForInteger(true, width));
  }

  /// Checked counterpart of perTensor: null when upstream rejects it.
  bool upstreamRejectsPerTensor(Type storage, Type expressed, double scale) {
    unsigned width = storage.getIntOrFloatBitWidth();
    return upstreamRejects([&] {
      return quant::UniformQuantizedType::getChecked(
          emitter(), quant::QuantizationFlags::Signed, storage, expressed,
          scale, /*zeroPoint=*/0,
          quant::QuantizedType::getDefaultMinimumForInteger(true, width),
          quant::QuantizedType::getDefaultMaximumForInteger(true, width));
    });
  }

  /// An i8:f32 sub-channel type on a rank-2 tensor with scales and zero
  /// points of shape [2, 1].
  template <typename Builder>
  Type subChannel(Builder build, ArrayRef<int32_t> dims,
                  ArrayRef<int64_t> blockSizes) {
    auto scales = DenseElementsAttr::get(RankedTensorType::get({2, 1}, f32()),
                                         ArrayRef<float>{0.5f, 0.25f});
    auto zeroPoints = DenseElementsAttr::get(
        RankedTensorType::get({2, 1}, i8()), ArrayRef<int8_t>{0, 0});
    return build(quant::QuantizationFlags::Signed, i8(), f32(), scales,
                 zeroPoints, dims, blockSizes, -128, 127);
  }

  Type subChannelUnchecked(ArrayRef<int32_t> dims,
                           ArrayRef<int64_t> blockSizes) {
    return subChannel(
        [](auto... args) {
          return quant::UniformQuantizedSubChannelType::get(args...);
        },
        dims, blockSizes);
  }

  bool upstreamRejectsSubChannel(ArrayRef<int32_t> dims,
                                 ArrayRef<int64_t> blockSizes) {
    return upstreamRejects([&] {
      return subChannel(
          [&](auto... args) {
            return quant::UniformQuantizedSubChannelType::getChecked(emitter(),
                                                                     args...);
          },
          dims, blockSizes);
    });
  }

  /// Observer statistics with min = avg_min = -1, max = avg_max = 1 and the
  /// given histogram.
  LogicalResult verifyStats(double histMin, double histMax,
                            ArrayRef<int64_t> histogram) {
    return qnt::ObserverStatsAttr::verify(
        emitter(), /*count=*/1, APFloat(-1.0), APFloat(1.0), APFloat(-1.0),
        APFloat(1.0), APFloat(histMin), APFloat(histMax), histogram);
  }

  MLIRContext context;

private:
  std::function<InFlightDiagnostic()> emitErrorFn = [this] {
    return emitError(loc());
  };
};

//===----------------------------------------------------------------------===//
// qnt_c2: scales
//===----------------------------------------------------------------------===//

// Upstream rejects scale <= 0 ("out of expressed type range").
TEST_F(QntVerifierTest, ScaleNotPositive) {
  EXPECT_TRUE(upstreamRejectsPerTensor(i8(), f32(), -1.0));
  expectRejected(perTensor(i8(), f32(), -1.0), {4}, f32(),
                 "qnt_c2: scale -1.000000e+00 must be positive");
  EXPECT_TRUE(upstreamRejectsPerTensor(i8(), f32(), 0.0));
  expectRejected(perTensor(i8(), f32(), 0.0), {4}, f32(),
                 "qnt_c2: scale 0.000000e+00 must be positive");
}

// In a test of its own: the type uniquer compares scales with ==, so in a
// context that already holds the +0.0 type, a -0.0 one may come back as it
// (depending on the hash seed of the run).
TEST_F(QntVerifierTest, ScaleNegativeZero) {
  expectRejected(perTensor(i8(), f32(), -0.0), {4}, f32(),
                 "qnt_c2: scale -0.000000e+00 must be positive");
}

// Upstream rejects infinite scales; NaN, which it lets through, is tested in
// invalid.mlir.
TEST_F(QntVerifierTest, ScaleInfinite) {
  EXPECT_TRUE(upstreamRejectsPerTensor(i8(), f32(), INFINITY));
  expectRejected(perTensor(i8(), f32(), INFINITY), {4}, f32(),
                 "qnt_c2: scale INF must be finite in the expressed type "
                 "'f32'");
  // Not "must be positive": infinities are reported as not finite.
  EXPECT_TRUE(upstreamRejectsPerTensor(i8(), f32(), -INFINITY));
  expectRejected(perTensor(i8(), f32(), -INFINITY), {4}, f32(),
                 "qnt_c2: scale -INF must be finite in the expressed type "
                 "'f32'");
}

// A finite double that overflows f32 (checkScale<float>).
TEST_F(QntVerifierTest, ScaleOverflowsF32) {
  EXPECT_TRUE(upstreamRejectsPerTensor(i8(), f32(), 1.0e39));
  expectRejected(perTensor(i8(), f32(), 1.0e39), {4}, f32(),
                 "qnt_c2: scale 1.000000e+39 must be finite in the expressed "
                 "type 'f32'");
}

// Finite in f32 but above the largest f16 (65504): the 16-bit branch of
// checkScale.
TEST_F(QntVerifierTest, ScaleOverflowsF16) {
  EXPECT_TRUE(upstreamRejectsPerTensor(i8(), f16(), 70000.0));
  expectRejected(perTensor(i8(), f16(), 70000.0), {4}, f16(),
                 "qnt_c2: scale 7.000000e+04 must be finite in the expressed "
                 "type 'f16'");
  expectRejected(perTensor(i8(), f16(), 65505.0), {4}, f16(),
                 "qnt_c2: scale 6.550500e+04 must be finite in the expressed "
                 "type 'f16'");
  // The largest f16 itself is accepted.
  Type largest = perTensor(i8(), f16(), 65504.0);
  EXPECT_TRUE(succeeded(qnt::verifyQuantizedType(
      emitter(), largest, RankedTensorType::get({4}, largest), 2, 32)));
}

// Finite in f32 (max 3.40e38) but above the largest bf16 (3.39e38).
TEST_F(QntVerifierTest, ScaleOverflowsBF16) {
  EXPECT_TRUE(upstreamRejectsPerTensor(i8(), bf16(), 3.4e38));
  expectRejected(perTensor(i8(), bf16(), 3.4e38), {4}, bf16(),
                 "qnt_c2: scale 3.400000e+38 must be finite in the expressed "
                 "type 'bf16'");
}

//===----------------------------------------------------------------------===//
// qnt_c1: storage and expressed types
//===----------------------------------------------------------------------===//

// Upstream caps storage at 32 bits ("illegal storage type size: 33").
TEST_F(QntVerifierTest, StorageWiderThan32Bits) {
  Type i33 = IntegerType::get(&context, 33);
  EXPECT_TRUE(upstreamRejectsPerTensor(i33, f32(), 0.5));
  expectRejected(perTensor(i33, f32(), 0.5), {4}, f32(),
                 "qnt_c1: storage type of 33 bits is outside the supported 2 "
                 "to 32 bits");
  Type i64 = IntegerType::get(&context, 64);
  expectRejected(perTensor(i64, f32(), 0.5), {4}, f32(),
                 "qnt_c1: storage type of 64 bits is outside the supported 2 "
                 "to 32 bits");
}

// Upstream's parser only accepts float expressed types.
TEST_F(QntVerifierTest, ExpressedTypeNotFloat) {
  EXPECT_TRUE(upstreamRejectsPerTensor(i8(), i32(), 0.5));
  // The float side is f32, so the expressed type is what verifyCast reports.
  expectRejected(perTensor(i8(), i32(), 0.5), {4}, f32(),
                 "qnt_c1: expressed type 'i32' is not a float type");
}

//===----------------------------------------------------------------------===//
// qnt_c4, qnt_c5: axes and blocks
//===----------------------------------------------------------------------===//

// Upstream rejects a negative axis ("illegal quantized dimension: -1").
TEST_F(QntVerifierTest, PerAxisNegativeAxis) {
  SmallVector<double> scales = {0.5, 0.25};
  SmallVector<int64_t> zeroPoints = {0, 0};
  EXPECT_TRUE(upstreamRejects([&] {
    return quant::UniformQuantizedPerAxisType::getChecked(
        emitter(), quant::QuantizationFlags::Signed, i8(), f32(), scales,
        zeroPoints, /*quantizedDimension=*/-1, -128, 127);
  }));
  Type type = quant::UniformQuantizedPerAxisType::get(
      quant::QuantizationFlags::Signed, i8(), f32(), scales, zeroPoints,
      /*quantizedDimension=*/-1, -128, 127);
  expectRejected(type, {2, 2}, f32(),
                 "qnt_c4: quantized axis -1 is out of range for a rank-2 "
                 "tensor");
}

// A negative quantized dimension of a sub-channel type.
TEST_F(QntVerifierTest, SubChannelNegativeDimension) {
  EXPECT_TRUE(upstreamRejectsSubChannel({-1}, {2}));
  expectRejected(subChannelUnchecked({-1}, {2}), {4, 2}, f32(),
                 "qnt_c5: quantized dimension -1 is out of range for a "
                 "rank-2 tensor");
}

// Upstream rejects block sizes <= 0 ("illegal block size: 0").
TEST_F(QntVerifierTest, SubChannelBlockSizeNotPositive) {
  EXPECT_TRUE(upstreamRejectsSubChannel({0}, {0}));
  expectRejected(subChannelUnchecked({0}, {0}), {4, 2}, f32(),
                 "qnt_c5: block size 0 does not divide dimension 0 of size 4");
  EXPECT_TRUE(upstreamRejectsSubChannel({0}, {-2}));
  expectRejected(subChannelUnchecked({0}, {-2}), {4, 2}, f32(),
                 "qnt_c5: block size -2 does not divide dimension 0 of size "
                 "4");
}

//===----------------------------------------------------------------------===//
// qnt_c10: observer statistics
//===----------------------------------------------------------------------===//

// The text form writes the edges only together with a non-empty histogram,
// so the parser always gives zero edges to an empty one.
TEST_F(QntVerifierTest, HistogramEdgesWithoutBins) {
  const Messages expected = {"qnt_c10: histogram edges without histogram bins"};
  EXPECT_EQ(collect([&] { EXPECT_TRUE(failed(verifyStats(-1.0, 1.0, {}))); }),
            expected);
  // One non-zero edge is enough.
  EXPECT_EQ(collect([&] { EXPECT_TRUE(failed(verifyStats(0.0, 1.0, {}))); }),
            expected);
  EXPECT_EQ(collect([&] { EXPECT_TRUE(failed(verifyStats(-1.0, 0.0, {}))); }),
            expected);
  // Zero edges without bins, and edges with bins, are fine.
  EXPECT_TRUE(succeeded(verifyStats(0.0, 0.0, {})));
  EXPECT_TRUE(succeeded(verifyStats(-1.0, 1.0, {3, 4})));

  // getChecked runs the same verifier.
  qnt::ObserverStatsAttr stats;
  EXPECT_EQ(collect([&] {
              stats = qnt::ObserverStatsAttr::getChecked(
                  emitter(), &context, int64_t{1}, APFloat(-1.0), APFloat(1.0),
                  APFloat(-1.0), APFloat(1.0), APFloat(-1.0), APFloat(1.0),
                  ArrayRef<int64_t>{});
            }),
            expected);
  EXPECT_FALSE(stats);
}

// Attribute invariants are checked when the attribute is built, not by op
// verification: qnt.observe accepts statistics from the unchecked builder.
// (With assertions enabled, `get` asserts its invariants instead.)
TEST_F(QntVerifierTest, HistogramEdgesWithoutBinsNotReverifiedOnOps) {
#ifndef NDEBUG
  GTEST_SKIP() << "ObserverStatsAttr::get asserts its invariants";
#endif
  auto stats = qnt::ObserverStatsAttr::get(
      &context, int64_t{1}, APFloat(-1.0), APFloat(1.0), APFloat(-1.0),
      APFloat(1.0), APFloat(-1.0), APFloat(1.0), ArrayRef<int64_t>{});
  ASSERT_TRUE(stats);
  OwningOpRef<ModuleOp> module = ModuleOp::create(loc());
  OpBuilder builder = OpBuilder::atBlockBegin(module->getBody());
  Type tensor = RankedTensorType::get({4}, f32());
  auto func = func::FuncOp::create(builder, loc(), "f",
                                   builder.getFunctionType({tensor}, {}));
  Block *entry = func.addEntryBlock();
  builder.setInsertionPointToStart(entry);
  qnt::ObserveOp::create(builder, loc(), tensor, entry->getArgument(0), "a",
                         qnt::ObserverKind::MinMax, stats,
                         /*storage=*/nullptr, /*symmetric=*/false);
  func::ReturnOp::create(builder, loc());
  EXPECT_EQ(collect([&] {
              EXPECT_TRUE(succeeded(mlir::verify(module->getOperation())));
            }),
            Messages{});
}

//===----------------------------------------------------------------------===//
// "must be a tensor of floats": ODS pre-empts the non-tensor half
//===----------------------------------------------------------------------===//

// Each check reads `!tensor || !isa<FloatType>(element)`. A tensor of
// integers reaches it (also from text, see invalid.mlir); a non-tensor fails
// the ODS `AnyTensor` constraint, which verifyInvariants checks before the
// custom verifier, so the `!tensor` half is dead under mlir::verify.

/// True if one message names the ODS tensor constraint and none is ours.
static bool isOdsTensorError(const Messages &messages) {
  bool ods = false;
  for (const std::string &message : messages) {
    if (message.find("qnt_c") != std::string::npos)
      return false;
    ods |=
        message.find("must be tensor of any type values") != std::string::npos;
  }
  return ods;
}

TEST_F(QntVerifierTest, QuantizeInputNotFloatTensor) {
  Type quantTensor = RankedTensorType::get({4}, perTensor(i8(), f32(), 0.5));
  Type intTensor = RankedTensorType::get({4}, i32());
  EXPECT_EQ(verifyFunc(intTensor,
                       [&](OpBuilder &builder, Block &entry) {
                         qnt::QuantizeOp::create(builder, loc(), quantTensor,
                                                 entry.getArgument(0), nullptr);
                       }),
            Messages{"'qnt.quantize' op qnt_c6: input must be a tensor of "
                     "floats, got 'tensor<4xi32>'"});
  Type vector = VectorType::get({4}, f32());
  Messages messages = verifyFunc(vector, [&](OpBuilder &builder, Block &entry) {
    qnt::QuantizeOp::create(builder, loc(), quantTensor, entry.getArgument(0),
                            nullptr);
  });
  EXPECT_TRUE(isOdsTensorError(messages)) << ::testing::PrintToString(messages);
}

TEST_F(QntVerifierTest, DequantizeResultNotFloatTensor) {
  Type quantTensor = RankedTensorType::get({4}, perTensor(i8(), f32(), 0.5));
  EXPECT_EQ(verifyFunc(quantTensor,
                       [&](OpBuilder &builder, Block &entry) {
                         qnt::DequantizeOp::create(
                             builder, loc(), RankedTensorType::get({4}, i32()),
                             entry.getArgument(0));
                       }),
            Messages{"'qnt.dequantize' op qnt_c6: result must be a tensor of "
                     "floats, got 'tensor<4xi32>'"});
  Messages messages =
      verifyFunc(quantTensor, [&](OpBuilder &builder, Block &entry) {
        qnt::DequantizeOp::create(builder, loc(), VectorType::get({4}, f32()),
                                  entry.getArgument(0));
      });
  EXPECT_TRUE(isOdsTensorError(messages)) << ::testing::PrintToString(messages);
}

TEST_F(QntVerifierTest, FakeQuantInputNotFloatTensor) {
  Type quantType = perTensor(i8(), f32(), 0.5);
  Type intTensor = RankedTensorType::get({4}, i32());
  EXPECT_EQ(verifyFunc(intTensor,
                       [&](OpBuilder &builder, Block &entry) {
                         qnt::FakeQuantOp::create(builder, loc(), intTensor,
                                                  entry.getArgument(0),
                                                  quantType, nullptr);
                       }),
            Messages{"'qnt.fake_quant' op qnt_c6: input must be a tensor of "
                     "floats, got 'tensor<4xi32>'"});
  Type vector = VectorType::get({4}, f32());
  Messages messages = verifyFunc(vector, [&](OpBuilder &builder, Block &entry) {
    qnt::FakeQuantOp::create(builder, loc(), vector, entry.getArgument(0),
                             quantType, nullptr);
  });
  EXPECT_TRUE(isOdsTensorError(messages)) << ::testing::PrintToString(messages);
}

TEST_F(QntVerifierTest, ObserveInputNotFloatTensor) {
  Type intTensor = RankedTensorType::get({4}, i32());
  EXPECT_EQ(verifyFunc(intTensor,
                       [&](OpBuilder &builder, Block &entry) {
                         qnt::ObserveOp::create(builder, loc(), intTensor,
                                                entry.getArgument(0), "a",
                                                qnt::ObserverKind::MinMax,
                                                nullptr, nullptr, false);
                       }),
            Messages{"'qnt.observe' op qnt_c8: observed value must be a "
                     "tensor of floats, got 'tensor<4xi32>'"});
  Type vector = VectorType::get({4}, f32());
  Messages messages = verifyFunc(vector, [&](OpBuilder &builder, Block &entry) {
    qnt::ObserveOp::create(builder, loc(), vector, entry.getArgument(0), "a",
                           qnt::ObserverKind::MinMax, nullptr, nullptr, false);
  });
  EXPECT_TRUE(isOdsTensorError(messages)) << ::testing::PrintToString(messages);
}

} // namespace
