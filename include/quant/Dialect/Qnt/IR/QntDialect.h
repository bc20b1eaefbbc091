//===- QntDialect.h - qnt dialect declaration -------------------*- C++ -*-===//
//
// Declares the `qnt` dialect class and its attributes.
//
//===----------------------------------------------------------------------===//

#ifndef QUANT_DIALECT_QNT_IR_QNTDIALECT_H
#define QUANT_DIALECT_QNT_IR_QNTDIALECT_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/IR/Dialect.h"

#include "quant/Dialect/Qnt/IR/QntOpsDialect.h.inc"

#include "quant/Dialect/Qnt/IR/QntEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "quant/Dialect/Qnt/IR/QntAttrs.h.inc"

#endif // QUANT_DIALECT_QNT_IR_QNTDIALECT_H
