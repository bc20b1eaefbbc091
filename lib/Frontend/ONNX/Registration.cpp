//===- Registration.cpp - Dialects of imported ONNX models ----------------===//
//
// The dialects the importer emits, for tools that parse or create its IR.
//
//===----------------------------------------------------------------------===//

#include "quant/Frontend/ONNX/Importer.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "quant/Dialect/Qnt/IR/QntDialect.h"

void mlir::qnt::onnx_frontend::registerImportDialects(
    DialectRegistry &registry) {
  registry.insert<arith::ArithDialect, func::FuncDialect, linalg::LinalgDialect,
                  math::MathDialect, quant::QuantDialect, tensor::TensorDialect,
                  tosa::TosaDialect, qnt::QntDialect>();
}
