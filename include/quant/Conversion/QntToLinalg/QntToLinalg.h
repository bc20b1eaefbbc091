//===- QntToLinalg.h - qnt to linalg conversion -----------------*- C++ -*-===//
//
// The type converter and patterns of convert-qnt-to-linalg, for pipelines
// that run them inside their own conversion.
//
//===----------------------------------------------------------------------===//

#ifndef QUANT_CONVERSION_QNTTOLINALG_QNTTOLINALG_H
#define QUANT_CONVERSION_QNTTOLINALG_QNTTOLINALG_H

#include "mlir/Transforms/DialectConversion.h"

namespace mlir::qnt {

/// Maps tensors of `!quant.uniform` to tensors of their signless storage
/// integer type and leaves every other type alone.
class QuantStorageTypeConverter : public TypeConverter {
public:
  QuantStorageTypeConverter();
};

/// Replaces the single-result `op` with `value`, cast (tensor.cast) to the
/// converted result type when the operands were less static than the
/// result.
void replaceWithCast(ConversionPatternRewriter &rewriter,
                     const TypeConverter &converter, Operation *op,
                     Value value);

/// Patterns lowering qnt.quantize/dequantize/fake_quant and quant.scast.
void populateQntToLinalgConversionPatterns(const TypeConverter &converter,
                                           RewritePatternSet &patterns);

/// Patterns lowering qnt.matmul/conv2d/add/mul to i32 accumulation and
/// requantization generics.
void populateComputeToLinalgConversionPatterns(const TypeConverter &converter,
                                               RewritePatternSet &patterns);

} // namespace mlir::qnt

#endif // QUANT_CONVERSION_QNTTOLINALG_QNTTOLINALG_H
