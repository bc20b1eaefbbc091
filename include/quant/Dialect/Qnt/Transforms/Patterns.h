//===- Patterns.h - Reusable qnt rewrite patterns ---------------*- C++ -*-===//
//
// Pattern sets shared by passes, pipelines, the C API and unit tests.
//
//===----------------------------------------------------------------------===//

#ifndef QUANT_DIALECT_QNT_TRANSFORMS_PATTERNS_H
#define QUANT_DIALECT_QNT_TRANSFORMS_PATTERNS_H

#include "mlir/IR/PatternMatch.h"

namespace mlir::qnt {

/// dequantize(quantize(x)) -> fake_quant(x).
void populateQdqPairFoldingPatterns(RewritePatternSet &patterns);

/// quantize/dequantize of dense constants -> constants.
void populateConstantFoldingPatterns(RewritePatternSet &patterns);

/// fake_quant(x) -> dequantize(quantize(x)).
void populateExpandFakeQuantPatterns(RewritePatternSet &patterns);

} // namespace mlir::qnt

#endif // QUANT_DIALECT_QNT_TRANSFORMS_PATTERNS_H
