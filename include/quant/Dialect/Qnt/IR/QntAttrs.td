//===- QntAttrs.td - qnt attributes and enums --------------*- tablegen -*-===//
//
// Attributes for what `!quant.uniform` cannot say: the rounding mode, the
// observer kind and the statistics an observer collected.
//
//===----------------------------------------------------------------------===//

#ifndef QUANT_DIALECT_QNT_IR_QNTATTRS_TD
#define QUANT_DIALECT_QNT_IR_QNTATTRS_TD

include "quant/Dialect/Qnt/IR/QntBase.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"

//===----------------------------------------------------------------------===//
// Enums
//===----------------------------------------------------------------------===//

def Qnt_RoundingMode : I32EnumAttr<"RoundingMode",
    "how a quotient x / scale is rounded to an integer", [
      I32EnumAttrCase<"HalfToEven", 0, "half_to_even">,
      I32EnumAttrCase<"HalfAwayFromZero", 1, "half_away_from_zero">
    ]> {
  let cppNamespace = "::mlir::qnt";
  let genSpecializedAttr = 0;
}

def Qnt_RoundingModeAttr : EnumAttr<Qnt_Dialect, Qnt_RoundingMode, "rounding"> {
  let assemblyFormat = "`<` $value `>`";
}

def Qnt_ObserverKind : I32EnumAttr<"ObserverKind",
    "which statistics an observer collects", [
      I32EnumAttrCase<"MinMax", 0, "min_max">,
      I32EnumAttrCase<"MovingAverage", 1, "moving_average">,
      I32EnumAttrCase<"Histogram", 2, "histogram">
    ]> {
  let cppNamespace = "::mlir::qnt";
  let genSpecializedAttr = 0;
}

def Qnt_ObserverKindAttr : EnumAttr<Qnt_Dialect, Qnt_ObserverKind, "observer"> {
  let assemblyFormat = "`<` $value `>`";
}

def Qnt_RequantizeMode : I32EnumAttr<"RequantizeMode",
    "how an i32 accumulator is rescaled to the output storage type", [
      I32EnumAttrCase<"Float", 0, "float">,
      I32EnumAttrCase<"Integer", 1, "integer">
    ]> {
  let cppNamespace = "::mlir::qnt";
  let genSpecializedAttr = 0;
}

def Qnt_RequantizeModeAttr : EnumAttr<Qnt_Dialect, Qnt_RequantizeMode,
                                      "requantize"> {
  let assemblyFormat = "`<` $value `>`";
}

def Qnt_ConvLayout : I32EnumAttr<"ConvLayout",
    "data layout of a 2-D convolution (input, filter, result)", [
      I32EnumAttrCase<"NCHW", 0, "nchw">,
      I32EnumAttrCase<"NHWC", 1, "nhwc">
    ]> {
  let cppNamespace = "::mlir::qnt";
  let genSpecializedAttr = 0;
}

def Qnt_ConvLayoutAttr : EnumAttr<Qnt_Dialect, Qnt_ConvLayout, "layout"> {
  let assemblyFormat = "`<` $value `>`";
}

//===----------------------------------------------------------------------===//
// Observer statistics
//===----------------------------------------------------------------------===//

// A double printed so that it parses back to the same bits.
def Qnt_F64Parameter : APFloatParameter<"a double-precision value"> {
  let parser = [{ [&]() -> ::mlir::FailureOr<::llvm::APFloat> {
    double value;
    if (::mlir::failed($_parser.parseFloat(value)))
      return ::mlir::failure();
    return ::llvm::APFloat(value);
  }() }];
  let printer = [{ $_printer.printFloat($_self) }];
}

def Qnt_ObserverStatsAttr : AttrDef<Qnt_Dialect, "ObserverStats"> {
  let mnemonic = "stats";
  let summary = "Statistics a calibration run collected for one observer.";
  let description = [{
    `count` is the number of observed batches; `min`/`max` the extreme values
    over all of them; `avg_min`/`avg_max` the running average of per-batch
    extremes. An optional fixed-edge histogram covers `[hist_min, hist_max]`
    with `histogram.size()` equal bins; without a histogram the two edges are
    omitted in the text form (and are zero).

    ```mlir
    #qnt.stats<count = 4, min = -1.5, max = 2.0, avg_min = -1.0, avg_max = 1.5>
    ```
  }];
  let parameters = (ins
    "int64_t":$count,
    Qnt_F64Parameter:$min,
    Qnt_F64Parameter:$max,
    Qnt_F64Parameter:$avgMin,
    Qnt_F64Parameter:$avgMax,
    Qnt_F64Parameter:$histMin,
    Qnt_F64Parameter:$histMax,
    OptionalArrayRefParameter<"int64_t">:$histogram
  );
  let hasCustomAssemblyFormat = 1;
  let genVerifyDecl = 1;
}

#endif // QUANT_DIALECT_QNT_IR_QNTATTRS_TD
