//===- PackSubByteStorage.cpp - Pack i4/i2 buffers into bytes -------------===//
//
// Implements qnt-pack-sub-byte-storage: function arguments of sub-byte
// memrefs are made flat byte buffers and unpacked into a local buffer, then
// MLIR's narrow type emulation packs every sub-byte memref (allocations,
// loads, stores, function results) into bytes.
//
//===----------------------------------------------------------------------===//

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Transforms/NarrowTypeEmulationConverter.h"
#include "mlir/Dialect/Arith/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Func/Transforms/FuncConversions.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/MemRef/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Transforms/DialectConversion.h"
#include "quant/Conversion/Passes.h"

namespace mlir::qnt {
#define GEN_PASS_DEF_PACKSUBBYTESTORAGEPASS
#include "quant/Conversion/Passes.h.inc"
} // namespace mlir::qnt

using namespace mlir;

/// True for memrefs of 2- or 4-bit integers (i1 stays a byte per value,
/// as booleans are everywhere else).
static bool isSubByte(Type type) {
  auto memref = dyn_cast<MemRefType>(type);
  if (!memref || !memref.getElementType().isInteger())
    return false;
  unsigned width = memref.getElementType().getIntOrFloatBitWidth();
  return width == 2 || width == 4;
}

/// Makes sub-byte argument `index` of `func` a packed byte buffer and
/// unpacks it into a fresh sub-byte buffer that replaces its uses:
///
///   %flat = memref.alloc() : memref<Nxi4>
///   scf.for %i = 0 to N { %b = load %arg[%i floordiv 2]; store
///     trunc(%b >> (%i mod 2) * 4), %flat[%i] }
///   %m = memref.expand_shape %flat ... into memref<AxBxi4>
static LogicalResult unpackArgument(func::FuncOp func, unsigned index) {
  Block &entry = func.getBody().front();
  BlockArgument arg = entry.getArgument(index);
  auto type = cast<MemRefType>(arg.getType());
  if (!type.hasStaticShape() || !type.getLayout().isIdentity())
    return func.emitError("sub-byte argument ")
           << index << " of type " << type
           << " needs a static shape and an identity layout";
  unsigned bits = type.getElementTypeBitWidth();
  int64_t perByte = 8 / bits;
  int64_t count = type.getNumElements();
  OpBuilder b = OpBuilder::atBlockBegin(&entry);
  Location loc = func.getLoc();
  auto packedType =
      MemRefType::get({(count + perByte - 1) / perByte}, b.getI8Type());
  arg.setType(packedType);
  auto flatType = MemRefType::get({count}, type.getElementType());
  Value flat = memref::AllocOp::create(b, loc, flatType);
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  Value end = arith::ConstantIndexOp::create(b, loc, count);
  auto loop = scf::ForOp::create(b, loc, zero, end, one);
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(loop.getBody());
    Value i = loop.getInductionVar();
    Value per = arith::ConstantIndexOp::create(b, loc, perByte);
    Value byteIndex = arith::DivUIOp::create(b, loc, i, per);
    Value slot = arith::RemUIOp::create(b, loc, i, per);
    Value byte = memref::LoadOp::create(b, loc, arg, ValueRange{byteIndex});
    Value shift = arith::IndexCastOp::create(
        b, loc, b.getI8Type(),
        arith::MulIOp::create(b, loc, slot,
                              arith::ConstantIndexOp::create(b, loc, bits)));
    Value shifted = arith::ShRUIOp::create(b, loc, byte, shift);
    Value value =
        arith::TruncIOp::create(b, loc, type.getElementType(), shifted);
    memref::StoreOp::create(b, loc, value, flat, ValueRange{i});
  }
  Value shaped = flat;
  if (type.getRank() != 1) {
    SmallVector<ReassociationIndices> groups(1);
    for (int64_t d = 0; d < type.getRank(); ++d)
      groups[0].push_back(d);
    shaped = memref::ExpandShapeOp::create(b, loc, type, flat, groups);
  }
  arg.replaceUsesWithIf(shaped, [&](OpOperand &use) {
    return !loop->isAncestor(use.getOwner());
  });
  // The unpacked copy lives until the function returns.
  func.walk([&](func::ReturnOp ret) {
    OpBuilder before(ret);
    memref::DeallocOp::create(before, loc, flat);
  });
  return success();
}

namespace {

/// A sub-byte memref.global becomes a global of packed bytes.
struct PackGlobal : OpConversionPattern<memref::GlobalOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(memref::GlobalOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = op.getType();
    auto packedType = getTypeConverter()->convertType<MemRefType>(type);
    if (!packedType)
      return rewriter.notifyMatchFailure(op, "unsupported memref type");
    Attribute initial = op.getInitialValueAttr();
    if (auto values = dyn_cast_if_present<DenseElementsAttr>(initial)) {
      unsigned bits = type.getElementTypeBitWidth();
      unsigned perByte = 8 / bits;
      SmallVector<uint8_t> bytes(packedType.getNumElements(), 0);
      int64_t i = 0;
      for (APInt value : values.getValues<APInt>()) {
        bytes[i / perByte] |=
            static_cast<uint8_t>((value.getZExtValue() & ((1u << bits) - 1))
                                 << (i % perByte * bits));
        ++i;
      }
      initial = DenseElementsAttr::get(
          RankedTensorType::get(packedType.getShape(),
                                packedType.getElementType()),
          ArrayRef<uint8_t>(bytes));
    } else if (initial && !isa<UnitAttr>(initial)) {
      return rewriter.notifyMatchFailure(op, "non-dense initial value");
    }
    rewriter.replaceOpWithNewOp<memref::GlobalOp>(
        op, op.getSymName(), op.getSymVisibilityAttr(), packedType, initial,
        op.getConstant(), op.getAlignmentAttr());
    return success();
  }
};

struct PackGetGlobal : OpConversionPattern<memref::GetGlobalOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(memref::GetGlobalOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto packedType = getTypeConverter()->convertType<MemRefType>(op.getType());
    if (!packedType)
      return rewriter.notifyMatchFailure(op, "unsupported memref type");
    rewriter.replaceOpWithNewOp<memref::GetGlobalOp>(op, packedType,
                                                     op.getName());
    return success();
  }
};

struct PackSubByteStoragePass
    : qnt::impl::PackSubByteStoragePassBase<PackSubByteStoragePass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    for (auto func : module.getOps<func::FuncOp>()) {
      if (func.isExternal())
        continue;
      SmallVector<Type> inputs(func.getArgumentTypes());
      for (unsigned i = 0; i < inputs.size(); ++i) {
        if (!isSubByte(inputs[i]))
          continue;
        if (failed(unpackArgument(func, i)))
          return signalPassFailure();
        inputs[i] = func.getArgument(i).getType();
      }
      func.setFunctionType(
          FunctionType::get(&getContext(), inputs, func.getResultTypes()));
    }

    MLIRContext *ctx = &getContext();
    // Bytes in memory; scalars keep their narrow type.
    arith::NarrowTypeEmulationConverter converter(/*targetBitwidth=*/8);
    converter.addConversion([](IntegerType type) { return type; });
    memref::populateMemRefNarrowTypeEmulationConversions(converter);
    // Registered last, so tried first: only 2- and 4-bit memrefs are packed.
    converter.addConversion([](MemRefType type) -> std::optional<Type> {
      if (isSubByte(type))
        return std::nullopt;
      return type;
    });
    ConversionTarget target(*ctx);
    auto isLegal = [&](Operation *op) { return converter.isLegal(op); };
    target.addDynamicallyLegalOp<func::FuncOp>([&](func::FuncOp op) {
      return converter.isLegal(op.getFunctionType());
    });
    target.addDynamicallyLegalOp<func::CallOp, func::ReturnOp>(isLegal);
    target.addDynamicallyLegalOp<memref::GlobalOp>(
        [&](memref::GlobalOp op) { return converter.isLegal(op.getType()); });
    target.addDynamicallyLegalDialect<
        arith::ArithDialect, memref::MemRefDialect, affine::AffineDialect>(
        isLegal);
    RewritePatternSet patterns(ctx);
    arith::populateArithNarrowTypeEmulationPatterns(converter, patterns);
    memref::populateMemRefNarrowTypeEmulationPatterns(converter, patterns);
    patterns.add<PackGlobal, PackGetGlobal>(converter, ctx);
    populateFunctionOpInterfaceTypeConversionPattern<func::FuncOp>(patterns,
                                                                   converter);
    populateReturnOpTypeConversionPattern(patterns, converter);
    if (failed(applyPartialConversion(module, target, std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
