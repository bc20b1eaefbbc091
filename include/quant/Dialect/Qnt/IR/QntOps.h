//===- QntOps.h - qnt operations --------------------------------*- C++ -*-===//
//
// Declares the operations of the `qnt` dialect.
//
//===----------------------------------------------------------------------===//

#ifndef QUANT_DIALECT_QNT_IR_QNTOPS_H
#define QUANT_DIALECT_QNT_IR_QNTOPS_H

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "quant/Dialect/Qnt/IR/QntDialect.h"

#define GET_OP_CLASSES
#include "quant/Dialect/Qnt/IR/QntOps.h.inc"

#endif // QUANT_DIALECT_QNT_IR_QNTOPS_H
