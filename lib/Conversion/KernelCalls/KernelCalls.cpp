//===- KernelCalls.cpp - Layers as parallel calls into the kernels --------===//

#include "KernelCalls.h"

#include "../RuntimeSymbols.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;

namespace {

/// Fewest output rows a task takes while it has more than this: a layer
/// with fewer rows than this per thread is split by columns too, so that
/// the threads share the weights' traffic instead of each reading all of
/// them for a few rows.
constexpr int64_t kMinTaskRows = 48;
/// Columns of a task: a multiple of the kernels' widest panel.
constexpr int64_t kColumnQuantum = 64;
/// Tasks when the module's own symbol hides omp_get_max_threads.
constexpr int64_t kFallbackThreads = 8;

Value toI64(OpBuilder &b, Location loc, Value index) {
  return arith::IndexCastOp::create(b, loc, b.getI64Type(), index);
}

/// The address of element 0 of the buffer `memref` (offset included), as
/// a pointer for the call; its strides in elements go to `strides`.
Value getElementPointer(OpBuilder &b, Location loc, Value memref,
                        SmallVectorImpl<Value> *strides = nullptr) {
  auto metadata = memref::ExtractStridedMetadataOp::create(b, loc, memref);
  Value base = memref::ExtractAlignedPointerAsIndexOp::create(
      b, loc, metadata.getBaseBuffer());
  int64_t bytes =
      cast<MemRefType>(memref.getType()).getElementTypeBitWidth() / 8;
  Value offset =
      arith::MulIOp::create(b, loc, metadata.getOffset(),
                            arith::ConstantIndexOp::create(b, loc, bytes));
  Value address = toI64(b, loc, arith::AddIOp::create(b, loc, base, offset));
  if (strides)
    for (Value stride : metadata.getStrides())
      strides->push_back(toI64(b, loc, stride));
  return LLVM::IntToPtrOp::create(
      b, loc, LLVM::LLVMPointerType::get(b.getContext()), address);
}

} // namespace

LogicalResult qnt::declareKernelEntry(ModuleOp module, StringRef name) {
  MLIRContext *ctx = module.getContext();
  Type ptr = LLVM::LLVMPointerType::get(ctx), i64 = IntegerType::get(ctx, 64);
  auto type = FunctionType::get(
      ctx, {ptr, ptr, i64, i64, i64, i64, i64, i64, i64, i64, i64, ptr}, {});
  if (Operation *existing = module.lookupSymbol(name)) {
    auto func = dyn_cast<func::FuncOp>(existing);
    if (!func || func.getFunctionType() != type || !func.isDeclaration())
      return existing->emitError()
             << "@" << name << " is reserved for the kernel library";
    return success();
  }
  OpBuilder builder = OpBuilder::atBlockBegin(module.getBody());
  func::FuncOp::create(builder, module.getLoc(), name, type).setPrivate();
  return success();
}

static Value transposeRank4(OpBuilder &b, Location loc, Value value,
                            ArrayRef<int64_t> permutation) {
  SmallVector<OpFoldResult> sizes;
  for (int64_t d : permutation)
    sizes.push_back(tensor::getMixedSize(b, loc, value, d));
  Value empty = tensor::EmptyOp::create(
      b, loc, sizes, cast<RankedTensorType>(value.getType()).getElementType());
  return linalg::TransposeOp::create(b, loc, value, empty, permutation)
      ->getResult(0);
}

Value qnt::transposeToNhwc(OpBuilder &b, Location loc, Value value) {
  return transposeRank4(b, loc, value, {0, 2, 3, 1});
}

Value qnt::transposeToNchw(OpBuilder &b, Location loc, Value value) {
  return transposeRank4(b, loc, value, {0, 3, 1, 2});
}

Value qnt::emitKernelCall(OpBuilder &b, Location loc, SymbolTable &symbols,
                          const KernelCall &call) {
  MLIRContext *ctx = b.getContext();
  const std::vector<uint8_t> &blob = *call.blob;

  // The blob, as a private aligned constant (symbols.insert renames it
  // uniquely), shared by layers with the same blob: copies of one function
  // (qnt-parallel-batch) must not store their weights twice. Attributes are
  // uniqued, so equal contents are one attribute.
  auto module = cast<ModuleOp>(symbols.getOp());
  OpBuilder moduleBuilder = OpBuilder::atBlockEnd(module.getBody());
  auto blobType =
      MemRefType::get({int64_t(blob.size())}, IntegerType::get(ctx, 8));
  auto contents = DenseElementsAttr::getFromRawBuffer(
      RankedTensorType::get(blobType.getShape(), blobType.getElementType()),
      ArrayRef<char>(reinterpret_cast<const char *>(blob.data()), blob.size()));
  memref::GlobalOp global;
  for (auto existing : module.getOps<memref::GlobalOp>())
    if (existing.getConstant() && existing.isPrivate() &&
        existing.getType() == blobType &&
        existing.getInitialValueAttr() == contents &&
        existing.getAlignment() == std::optional<uint64_t>(64) &&
        existing.getSymName().starts_with("__quant_layer")) {
      global = existing;
      break;
    }
  if (!global) {
    global = memref::GlobalOp::create(
        moduleBuilder, loc, "__quant_layer",
        moduleBuilder.getStringAttr("private"), blobType, contents,
        /*constant=*/true, moduleBuilder.getI64IntegerAttr(64));
    symbols.insert(global);
  }

  auto inputType = cast<RankedTensorType>(call.input.getType());
  auto stridedLayout = StridedLayoutAttr::get(
      ctx, ShapedType::kDynamic,
      SmallVector<int64_t>(inputType.getRank(), ShapedType::kDynamic));
  auto inputBuffer = bufferization::ToBufferOp::create(
      b, loc,
      MemRefType::get(inputType.getShape(), inputType.getElementType(),
                      stridedLayout),
      call.input, /*read_only=*/true);
  SmallVector<Value> dynamicSizes;
  if (call.resultType.isDynamicDim(0))
    dynamicSizes.push_back(call.batch);
  auto outputType = MemRefType::get(call.resultType.getShape(),
                                    call.resultType.getElementType());
  Value output = memref::AllocOp::create(b, loc, outputType, dynamicSizes,
                                         b.getI64IntegerAttr(64));

  SmallVector<Value> strides;
  Value blobPtr = getElementPointer(
      b, loc,
      memref::GetGlobalOp::create(b, loc, blobType, global.getSymName()));
  Value inputPtr = getElementPointer(b, loc, inputBuffer, &strides);
  while (strides.size() < 4)
    strides.push_back(arith::ConstantIntOp::create(b, loc, 0, 64));
  Value outputPtr = getElementPointer(b, loc, output);

  // One task per thread, of equal rows (the kernels block rows and columns
  // for the caches inside a call, and each call sets the layer up again:
  // header, column terms, a convolution's padded input rows); threads
  // without kMinTaskRows rows of their own split the columns too. Fixed
  // tasks of 96 rows split 512 rows 288 : 224 between two threads, and
  // splitting columns when rows were plenty packed A once per task.
  Value rows = call.batch;
  if (call.rowsPerItem != 1)
    rows = arith::MulIOp::create(
        b, loc, rows, arith::ConstantIndexOp::create(b, loc, call.rowsPerItem));
  auto constant = [&](int64_t v) {
    return arith::ConstantIndexOp::create(b, loc, v);
  };
  Value one = constant(1);
  // A layer in a slice of the batch (qnt-parallel-batch) runs on its
  // slice's thread.
  Operation *parent = b.getInsertionBlock()->getParentOp();
  const bool inSlice = isa<scf::ForallOp, scf::ParallelOp>(parent) ||
                       parent->getParentOfType<scf::ForallOp>() ||
                       parent->getParentOfType<scf::ParallelOp>();
  Value threads;
  if (inSlice) {
    threads = one;
  } else if (qnt::canUseThreadCount(module)) {
    func::FuncOp threadCount = qnt::getThreadCountFunction(b, module);
    Value count = func::CallOp::create(b, loc, threadCount).getResult(0);
    threads = arith::MaxSIOp::create(
        b, loc, arith::IndexCastOp::create(b, loc, b.getIndexType(), count),
        one);
  } else {
    threads = constant(kFallbackThreads);
  }
  Value rowTasks = arith::MaxUIOp::create(
      b, loc,
      arith::MinUIOp::create(
          b, loc, threads,
          arith::CeilDivUIOp::create(b, loc, rows, constant(kMinTaskRows))),
      one);
  Value rowStep = arith::MaxUIOp::create(
      b, loc, arith::CeilDivUIOp::create(b, loc, rows, rowTasks), one);
  Value colTasks = arith::MinUIOp::create(
      b, loc, arith::CeilDivUIOp::create(b, loc, threads, rowTasks),
      constant((call.columns + kColumnQuantum - 1) / kColumnQuantum));
  Value colStep = arith::MulIOp::create(
      b, loc,
      arith::CeilDivUIOp::create(
          b, loc,
          arith::CeilDivUIOp::create(b, loc, constant(call.columns), colTasks),
          constant(kColumnQuantum)),
      constant(kColumnQuantum));
  Value zero = constant(0);
  Value columns = constant(call.columns);
  Value batch64 = toI64(b, loc, call.batch);
  auto loop = scf::ParallelOp::create(
      b, loc, ValueRange{zero, zero}, ValueRange{rows, columns},
      ValueRange{rowStep, colStep},
      [&](OpBuilder &nb, Location l, ValueRange ivs) {
        // The entry points clip the ends to the layer.
        Value rowEnd = arith::AddIOp::create(nb, l, ivs[0], rowStep);
        Value colEnd = arith::AddIOp::create(nb, l, ivs[1], colStep);
        func::CallOp::create(
            nb, l, call.entry, TypeRange{},
            ValueRange{blobPtr, inputPtr, strides[0], strides[1], strides[2],
                       strides[3], batch64, toI64(nb, l, ivs[0]),
                       toI64(nb, l, rowEnd), toI64(nb, l, ivs[1]),
                       toI64(nb, l, colEnd), outputPtr});
        scf::ReduceOp::create(nb, l);
      });
  loop->setAttr(
      qnt::kPointWorkAttr,
      b.getF64FloatAttr(double(call.depth) /
                        double(std::max<int64_t>(call.macsPerOperation, 1))));
  return bufferization::ToTensorOp::create(b, loc, call.resultType, output,
                                           /*restrict=*/true,
                                           /*writable=*/true);
}
