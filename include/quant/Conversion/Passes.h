//===- Passes.h - quant conversion passes -----------------------*- C++ -*-===//
//
// Declarations and registration of the passes in Conversion/Passes.td.
//
//===----------------------------------------------------------------------===//

#ifndef QUANT_CONVERSION_PASSES_H
#define QUANT_CONVERSION_PASSES_H

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir::qnt {

#define GEN_PASS_DECL
#include "quant/Conversion/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "quant/Conversion/Passes.h.inc"

} // namespace mlir::qnt

#endif // QUANT_CONVERSION_PASSES_H
