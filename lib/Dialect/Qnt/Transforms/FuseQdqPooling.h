//===- FuseQdqPooling.h - Pooling between casts in integers -----*- C++ -*-===//
//
// Builders of the pooling fusions of `qnt-fuse-qdq` (FuseQdqPooling.cpp).
//
//===----------------------------------------------------------------------===//

#ifndef LIB_DIALECT_QNT_TRANSFORMS_FUSEQDQPOOLING_H
#define LIB_DIALECT_QNT_TRANSFORMS_FUSEQDQPOOLING_H

#include "quant/Dialect/Qnt/IR/QntOps.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"

namespace mlir::qnt {

/// The integer max pooling that replaces `root` = quantize(`pool`(
/// dequantize(x))) when both ends have one exact type, built before `root`;
/// failure when the chain does not match.
FailureOr<Value> buildIntegerMaxPool(QuantizeOp root,
                                     linalg::PoolingNchwMaxOp pool);

/// The integer global average pool (ONNX Runtime's
/// QLinearGlobalAveragePool) that replaces `root` = quantize(the importer's
/// GlobalAveragePool of dequantize(x)), built before `root`; failure when
/// the chain does not match.
FailureOr<Value> buildIntegerGlobalAveragePool(QuantizeOp root);

} // namespace mlir::qnt

#endif // LIB_DIALECT_QNT_TRANSFORMS_FUSEQDQPOOLING_H
