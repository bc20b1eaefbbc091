//===- KernelCalls.h - Layers as parallel calls into the kernels -*- C++
//-*-===//
//
// What convert-qnt-to-kernels and convert-linalg-to-kernels share: a layer
// packed at compile time into a blob becomes a private aligned constant and
// an scf.parallel over blocks of output rows and columns, one block per
// thread, each calling the kernel library's entry point (quant_layer_run,
// quant_float_layer_run) with raw pointers, strides and the block bounds.
//
//===----------------------------------------------------------------------===//

#ifndef QUANT_LIB_CONVERSION_KERNELCALLS_KERNELCALLS_H
#define QUANT_LIB_CONVERSION_KERNELCALLS_KERNELCALLS_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/SymbolTable.h"

#include <cstdint>
#include <vector>

namespace mlir::qnt {

/// Declares `void name(ptr blob, ptr input, i64 s0..s3, i64 batch, i64
/// rowBegin, i64 rowEnd, i64 colBegin, i64 colEnd, ptr output)` in `module`,
/// or checks an existing declaration; any other symbol of that name is an
/// error.
LogicalResult declareKernelEntry(ModuleOp module, StringRef name);

/// One layer call site.
struct KernelCall {
  StringRef entry; ///< declared with declareKernelEntry
  const std::vector<uint8_t> *blob;
  Value input;                 ///< tensor the kernel reads (storage type)
  RankedTensorType resultType; ///< tensor the kernel writes (storage type)
  Value batch;                 ///< index: size of dimension 0
  int64_t rowsPerItem = 1;     ///< output rows per batch item
  int64_t columns = 0;         ///< output channels
  int64_t depth = 1;           ///< multiply-adds per output element
  /// Multiply-adds of the kernel per operation of a generic loop (the unit
  /// of qnt-parallel-min-work's estimate).
  int64_t macsPerOperation = 1;
};

/// Emits the call site of `call` at the builder's insertion point and
/// returns the result tensor.
Value emitKernelCall(OpBuilder &b, Location loc, SymbolTable &symbols,
                     const KernelCall &call);

/// `value` (rank 4, NCHW) transposed to NHWC.
Value transposeToNhwc(OpBuilder &b, Location loc, Value value);

/// `value` (rank 4, NHWC) transposed to NCHW.
Value transposeToNchw(OpBuilder &b, Location loc, Value value);

} // namespace mlir::qnt

#endif // QUANT_LIB_CONVERSION_KERNELCALLS_KERNELCALLS_H
