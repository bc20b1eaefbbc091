//===- QntDialect.cpp - qnt dialect registration and attributes -----------===//
//
// Registers the ops and attributes of the `qnt` dialect, materializes folded
// constants, and parses, prints and verifies the observer statistics.
//
//===----------------------------------------------------------------------===//

#include "quant/Dialect/Qnt/IR/QntDialect.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "quant/Dialect/Qnt/IR/QntOps.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::qnt;

#include "quant/Dialect/Qnt/IR/QntOpsDialect.cpp.inc"

#include "quant/Dialect/Qnt/IR/QntEnums.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "quant/Dialect/Qnt/IR/QntAttrs.cpp.inc"

void QntDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "quant/Dialect/Qnt/IR/QntOps.cpp.inc"
      >();
  addAttributes<
#define GET_ATTRDEF_LIST
#include "quant/Dialect/Qnt/IR/QntAttrs.cpp.inc"
      >();
}

Operation *QntDialect::materializeConstant(OpBuilder &builder, Attribute value,
                                           Type type, Location loc) {
  auto typed = dyn_cast<TypedAttr>(value);
  if (!typed || typed.getType() != type)
    return nullptr;
  return arith::ConstantOp::create(builder, loc, type, typed);
}

//===----------------------------------------------------------------------===//
// ObserverStatsAttr
//===----------------------------------------------------------------------===//

// Text form: `<count = N, min = F, max = F, avg_min = F, avg_max = F
//              [, hist_min = F, hist_max = F, histogram = [i, ...]]>`.

/// Parses `name = <double>`.
static ParseResult parseNamedDouble(AsmParser &parser, StringRef name,
                                    double &value) {
  return failure(parser.parseKeyword(name) || parser.parseEqual() ||
                 parser.parseFloat(value));
}

Attribute ObserverStatsAttr::parse(AsmParser &parser, Type) {
  int64_t count = 0;
  double min, max, avgMin, avgMax, histMin = 0, histMax = 0;
  SmallVector<int64_t> histogram;
  if (parser.parseLess() || parser.parseKeyword("count") ||
      parser.parseEqual() || parser.parseInteger(count) ||
      parser.parseComma() || parseNamedDouble(parser, "min", min) ||
      parser.parseComma() || parseNamedDouble(parser, "max", max) ||
      parser.parseComma() || parseNamedDouble(parser, "avg_min", avgMin) ||
      parser.parseComma() || parseNamedDouble(parser, "avg_max", avgMax))
    return {};
  if (succeeded(parser.parseOptionalComma())) {
    auto parseBin = [&]() -> ParseResult {
      return parser.parseInteger(histogram.emplace_back());
    };
    if (parseNamedDouble(parser, "hist_min", histMin) || parser.parseComma() ||
        parseNamedDouble(parser, "hist_max", histMax) || parser.parseComma() ||
        parser.parseKeyword("histogram") || parser.parseEqual() ||
        parser.parseCommaSeparatedList(AsmParser::Delimiter::Square, parseBin))
      return {};
    if (histogram.empty()) {
      parser.emitError(parser.getCurrentLocation(),
                       "qnt_c10: a histogram needs at least one bin");
      return {};
    }
  }
  if (parser.parseGreater())
    return {};
  return getChecked([&] { return parser.emitError(parser.getNameLoc()); },
                    parser.getContext(), count, APFloat(min), APFloat(max),
                    APFloat(avgMin), APFloat(avgMax), APFloat(histMin),
                    APFloat(histMax), histogram);
}

void ObserverStatsAttr::print(AsmPrinter &printer) const {
  printer << "<count = " << getCount() << ", min = ";
  printer.printFloat(getMin());
  printer << ", max = ";
  printer.printFloat(getMax());
  printer << ", avg_min = ";
  printer.printFloat(getAvgMin());
  printer << ", avg_max = ";
  printer.printFloat(getAvgMax());
  if (!getHistogram().empty()) {
    printer << ", hist_min = ";
    printer.printFloat(getHistMin());
    printer << ", hist_max = ";
    printer.printFloat(getHistMax());
    printer << ", histogram = [";
    llvm::interleaveComma(getHistogram(), printer);
    printer << "]";
  }
  printer << ">";
}

LogicalResult
ObserverStatsAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                          int64_t count, APFloat min, APFloat max,
                          APFloat avgMin, APFloat avgMax, APFloat histMin,
                          APFloat histMax, ArrayRef<int64_t> histogram) {
  if (count < 0)
    return emitError() << "qnt_c10: statistics count " << count
                       << " must not be negative";
  std::pair<StringRef, const APFloat *> values[] = {
      {"min", &min},        {"max", &max},          {"avg_min", &avgMin},
      {"avg_max", &avgMax}, {"hist_min", &histMin}, {"hist_max", &histMax}};
  for (auto [name, value] : values)
    if (!value->isFinite())
      return emitError() << "qnt_c10: statistic '" << name
                         << "' must be finite";
  double lo = min.convertToDouble(), hi = max.convertToDouble();
  double avgLo = avgMin.convertToDouble(), avgHi = avgMax.convertToDouble();
  if (!(lo <= avgLo && avgLo <= avgHi && avgHi <= hi))
    return emitError() << "qnt_c10: statistics must satisfy min <= avg_min <= "
                          "avg_max <= max, got "
                       << lo << ", " << avgLo << ", " << avgHi << ", " << hi;
  if (histogram.empty()) {
    if (!histMin.isZero() || !histMax.isZero())
      return emitError() << "qnt_c10: histogram edges without histogram bins";
    return success();
  }
  if (!(histMin.convertToDouble() < histMax.convertToDouble()))
    return emitError() << "qnt_c10: histogram range ["
                       << histMin.convertToDouble() << ", "
                       << histMax.convertToDouble() << "] is empty";
  for (int64_t bin : histogram)
    if (bin < 0)
      return emitError() << "qnt_c10: histogram bin count " << bin
                         << " must not be negative";
  return success();
}
