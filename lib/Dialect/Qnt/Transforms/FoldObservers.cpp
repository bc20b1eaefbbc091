//===- FoldObservers.cpp - Statistics -> quantize/dequantize pairs --------===//
//
// Implements `qnt-fold-observers`, the last step of calibration: a range
// method picks each observer's range, QuantMath picks scale and zero point,
// and the observer becomes a QDQ pair that qnt-fuse-qdq can fuse. Also
// writes the per-layer report users read to decide on overrides.
//
//===----------------------------------------------------------------------===//

#include "quant/Calibration/RangeMethods.h"
#include "quant/Calibration/StatsFile.h"
#include "quant/Dialect/Qnt/IR/QntComputeUtils.h"
#include "quant/Dialect/Qnt/IR/QntOps.h"
#include "quant/Dialect/Qnt/IR/QuantTypeUtils.h"
#include "quant/Dialect/Qnt/Transforms/GraphMatchers.h"
#include "quant/Dialect/Qnt/Transforms/Passes.h"
#include "quant/Support/QuantMath.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>

namespace mlir::qnt {
#define GEN_PASS_DEF_FOLDOBSERVERSPASS
#include "quant/Dialect/Qnt/Transforms/Passes.h.inc"
} // namespace mlir::qnt

using namespace mlir;
using namespace mlir::qnt;

namespace {

/// Share of calibration values (percent) above which a clip is reported.
constexpr double kClippedWarningPercent = 1.0;

struct ActivationReport {
  std::string id;
  std::string method;
  double rangeMin, rangeMax, scale;
  int64_t zeroPoint;
  std::string type;
  std::optional<double> clippedPercent, sqnrDb;
};

struct WeightReport {
  std::string name;
  std::string granularity;
  double relativeError;
};

/// Fraction of histogram mass outside [lo, hi] and the SQNR of quantizing
/// the bin centres (clipped to the data range) with `params`.
std::pair<double, double> measureHistogram(const calib::ObserverStats &stats,
                                           double lo, double hi,
                                           qmath::QuantParams params,
                                           qmath::StorageRange range) {
  const calib::Histogram &hist = stats.histogram();
  double width = hist.binWidth();
  double total = 0, clipped = 0, signal = 0, noise = 0;
  for (auto [i, count] : llvm::enumerate(hist.counts)) {
    if (count == 0)
      continue;
    double left = hist.lowerEdge() + double(i) * width;
    double centre =
        std::clamp(left + width / 2, double(stats.min()), double(stats.max()));
    double n = double(count);
    total += n;
    if (centre < lo || centre > hi)
      clipped += n;
    double q =
        qmath::fakeQuantizeValue<double>(centre, params.scale, params.zeroPoint,
                                         range, qmath::Rounding::HalfToEven);
    signal += n * centre * centre;
    noise += n * (centre - q) * (centre - q);
  }
  double sqnr = noise == 0 ? INFINITY : 10 * std::log10(signal / noise);
  return {total ? 100 * clipped / total : 0, sqnr};
}

struct FoldObserversPass : qnt::impl::FoldObserversPassBase<FoldObserversPass> {
  using FoldObserversPassBase::FoldObserversPassBase;

  void runOnOperation() override;

private:
  LogicalResult foldObserver(ObserveOp op, const calib::CalibrationStats *stats,
                             const llvm::StringMap<calib::RangeMethod> &methods,
                             calib::RangeMethod defaultMethod);
  void reportWeights();
  LogicalResult writeReports();

  std::vector<ActivationReport> activations;
  std::vector<WeightReport> weights;
};

} // namespace

LogicalResult FoldObserversPass::foldObserver(
    ObserveOp op, const calib::CalibrationStats *stats,
    const llvm::StringMap<calib::RangeMethod> &methods,
    calib::RangeMethod defaultMethod) {
  StringRef id = op.getId();
  auto override = methods.find(id);
  calib::RangeMethod rangeMethod =
      override == methods.end() ? defaultMethod : override->second;
  auto storage = cast<IntegerType>(op.getStorage().value_or(
      IntegerType::get(&getContext(), 8, IntegerType::Unsigned)));
  bool isSigned = !storage.isUnsigned();
  std::optional<qmath::StorageRange> range =
      qmath::getStorageRange(storage.getWidth(), isSigned);
  if (!range)
    return op.emitError() << "observer '" << id << "': unsupported storage "
                          << storage;

  // The range, from the file's statistics or the op's attribute.
  calib::Range chosen{0, 0};
  const calib::ObserverStats *observerStats = nullptr;
  if (stats) {
    auto it = stats->observers.find(id.str());
    if (it != stats->observers.end())
      observerStats = &it->second;
  }
  if (observerStats) {
    calib::RangeOptions options;
    options.method = rangeMethod;
    options.percentile = percentile;
    options.bits = storage.getWidth();
    options.symmetric = op.getSymmetric();
    llvm::Expected<calib::Range> range =
        calib::computeRange(*observerStats, options);
    if (!range)
      return op.emitError() << "observer '" << id
                            << "': " << llvm::toString(range.takeError());
    chosen = *range;
  } else if (std::optional<ObserverStatsAttr> attr = op.getStats()) {
    if (rangeMethod == calib::RangeMethod::MinMax)
      chosen = {attr->getMin().convertToDouble(),
                attr->getMax().convertToDouble()};
    else if (rangeMethod == calib::RangeMethod::MovingAverage)
      chosen = {attr->getAvgMin().convertToDouble(),
                attr->getAvgMax().convertToDouble()};
    else
      return op.emitError()
             << "observer '" << id << "': method '"
             << calib::stringifyRangeMethod(rangeMethod)
             << "' needs the histogram of a statistics file (stats-file)";
    if (attr->getCount() == 0)
      return op.emitError()
             << "observer '" << id << "' observed nothing (count = 0)";
  } else {
    return op.emitError() << "observer '" << id << "' has no statistics"
                          << (stats ? " in the statistics file" : "")
                          << "; was the model calibrated?";
  }

  double lo = std::min(chosen.min, 0.0), hi = std::max(chosen.max, 0.0);
  std::optional<qmath::QuantParams> params =
      op.getSymmetric() ? qmath::chooseSymmetricParams(lo, hi, *range)
                        : qmath::chooseAsymmetricParams(lo, hi, *range);
  if (!params)
    return op.emitError() << "observer '" << id
                          << "': no quantization parameters for range [" << lo
                          << ", " << hi << "]";
  if (params->scaleFloored)
    op.emitWarning() << "observer '" << id << "': range [" << lo << ", " << hi
                     << "] is too small for a normal f32 scale; using "
                        "the smallest normal scale";

  auto tensorType = cast<RankedTensorType>(op.getType());
  auto quantized = quant::UniformQuantizedType::get(
      isSigned ? quant::QuantizationFlags::Signed : 0,
      IntegerType::get(&getContext(), storage.getWidth()),
      tensorType.getElementType(), params->scale, params->zeroPoint, range->min,
      range->max);

  ActivationReport report{id.str(),
                          calib::stringifyRangeMethod(rangeMethod).str(),
                          lo,
                          hi,
                          params->scale,
                          params->zeroPoint,
                          "",
                          {},
                          {}};
  llvm::raw_string_ostream(report.type) << quantized;
  if (observerStats && !observerStats->empty()) {
    auto [clipped, sqnr] =
        measureHistogram(*observerStats, lo, hi, *params, *range);
    report.clippedPercent = clipped;
    report.sqnrDb = sqnr;
    // A clip this large usually costs accuracy (entropy calibration on a
    // histogram with spikes, a low percentile): say which observer.
    if (clipped > kClippedWarningPercent)
      op.emitWarning() << "observer '" << id << "': the "
                       << calib::stringifyRangeMethod(rangeMethod)
                       << " range clips " << llvm::formatv("{0:f1}", clipped)
                       << "% of the calibration values; consider another "
                          "method for it, e.g. the override '"
                       << id << "=mse'";
  }
  activations.push_back(std::move(report));

  OpBuilder builder(op);
  auto quantize =
      QuantizeOp::create(builder, op.getLoc(), tensorType.clone(quantized),
                         op.getInput(), /*rounding=*/nullptr);
  auto dequantize =
      DequantizeOp::create(builder, op.getLoc(), tensorType, quantize);
  op.replaceAllUsesWith(dequantize.getResult());
  op.erase();
  ++numFolded;
  return success();
}

/// ||W - Q(W)|| / ||W|| of every quantized f32 constant.
void FoldObserversPass::reportWeights() {
  getOperation().walk([&](QuantizeOp op) {
    auto constant = op.getInput().getDefiningOp<arith::ConstantOp>();
    auto quantized = dyn_cast<quant::QuantizedType>(
        cast<ShapedType>(op.getType()).getElementType());
    if (!constant || !quantized)
      return;
    auto type = cast<RankedTensorType>(constant.getType());
    DenseElementsAttr dense = getDenseConstant(constant);
    if (!dense || !dense.getElementType().isF32())
      return;
    auto values = dense.getValues<float>();
    SmallVector<double> scales = getScales(quantized);
    SmallVector<int64_t> zeroPoints = getZeroPoints(quantized);
    qmath::StorageRange range = getStorageRange(quantized);
    int64_t inner = 1, channels = 1;
    std::string granularity = "per-tensor";
    if (auto perAxis =
            dyn_cast<quant::UniformQuantizedPerAxisType>(quantized)) {
      int32_t axis = perAxis.getQuantizedDimension();
      channels = type.getDimSize(axis);
      for (int64_t d = axis + 1; d < type.getRank(); ++d)
        inner *= type.getDimSize(d);
      granularity = "per-channel";
    } else if (!isa<quant::UniformQuantizedType>(quantized)) {
      return;
    }
    double signal = 0, noise = 0;
    for (auto [i, value] : llvm::enumerate(values)) {
      int64_t c = (int64_t(i) / inner) % channels;
      double q = qmath::fakeQuantizeValue<float>(value, float(scales[c]),
                                                 zeroPoints[c], range,
                                                 qmath::Rounding::HalfToEven);
      signal += double(value) * value;
      noise += (value - q) * (value - q);
    }
    std::string name;
    if (auto named = dyn_cast<NameLoc>(constant.getLoc()))
      name = named.getName().str();
    else
      llvm::raw_string_ostream(name) << constant.getLoc();
    weights.push_back(
        {name, granularity, signal > 0 ? std::sqrt(noise / signal) : 0.0});
  });
}

static llvm::json::Value optionalNumber(std::optional<double> value) {
  if (!value || !std::isfinite(*value))
    return nullptr;
  return *value;
}

LogicalResult FoldObserversPass::writeReports() {
  ModuleOp module = getOperation();
  if (!reportJson.empty()) {
    llvm::json::Array layers, weightList;
    for (const ActivationReport &r : activations)
      layers.push_back(llvm::json::Object{
          {"id", r.id},
          {"method", r.method},
          {"range", llvm::json::Array{r.rangeMin, r.rangeMax}},
          {"scale", r.scale},
          {"zero_point", r.zeroPoint},
          {"type", r.type},
          {"clipped_percent", optionalNumber(r.clippedPercent)},
          {"sqnr_db", optionalNumber(r.sqnrDb)}});
    for (const WeightReport &w : weights)
      weightList.push_back(
          llvm::json::Object{{"name", w.name},
                             {"granularity", w.granularity},
                             {"relative_error", w.relativeError}});
    llvm::json::Object root{{"activations", std::move(layers)},
                            {"weights", std::move(weightList)}};
    if (llvm::Error error =
            llvm::writeToOutput(reportJson, [&](llvm::raw_ostream &os) {
              os << llvm::formatv("{0:2}", llvm::json::Value(std::move(root)))
                 << "\n";
              return llvm::Error::success();
            }))
      return module.emitError() << "cannot write '" << reportJson
                                << "': " << llvm::toString(std::move(error));
  }
  if (!reportMarkdown.empty()) {
    if (llvm::Error error =
            llvm::writeToOutput(reportMarkdown, [&](llvm::raw_ostream &os) {
              os << "## Activations\n\n| observer | method | range | scale | "
                    "zero point | clipped | SQNR |\n|---|---|---|---|---|---|"
                    "---|\n";
              for (const ActivationReport &r : activations) {
                // formatv has no %g style ("{0:g}" prints two decimals).
                os << llvm::formatv(
                    "| `{0}` | {1} | [{2}, {3}] | {4:e} | {5} | ", r.id,
                    r.method, llvm::format("%g", r.rangeMin),
                    llvm::format("%g", r.rangeMax), r.scale, r.zeroPoint);
                if (r.clippedPercent)
                  os << llvm::formatv("{0:f3}%", *r.clippedPercent);
                else
                  os << "-";
                os << " | ";
                if (r.sqnrDb && std::isfinite(*r.sqnrDb))
                  os << llvm::formatv("{0:f1} dB", *r.sqnrDb);
                else
                  os << "-";
                os << " |\n";
              }
              os << "\n## Weights\n\n| weight | granularity | ||W - Q(W)|| / "
                    "||W|| |\n|---|---|---|\n";
              for (const WeightReport &w : weights)
                os << llvm::formatv("| `{0}` | {1} | {2:e} |\n", w.name,
                                    w.granularity, w.relativeError);
              return llvm::Error::success();
            }))
      return module.emitError() << "cannot write '" << reportMarkdown
                                << "': " << llvm::toString(std::move(error));
  }
  return success();
}

void FoldObserversPass::runOnOperation() {
  ModuleOp module = getOperation();
  std::optional<calib::RangeMethod> defaultMethod =
      calib::parseRangeMethod(method);
  if (!defaultMethod) {
    module.emitError() << "qnt-fold-observers: unknown method '" << method
                       << "' (expected minmax, moving-average, percentile, "
                          "entropy or mse)";
    return signalPassFailure();
  }
  llvm::StringMap<calib::RangeMethod> methods;
  llvm::StringSet<> keepFloat;
  for (const std::string &entry : overrides) {
    auto [id, name] = StringRef(entry).rsplit('=');
    if (!id.empty() && name == "float") {
      keepFloat.insert(id);
      continue;
    }
    std::optional<calib::RangeMethod> parsed = calib::parseRangeMethod(name);
    if (id.empty() || name.empty() || !parsed) {
      module.emitError() << "qnt-fold-observers: override '" << entry
                         << "' is not id=method with a known method";
      return signalPassFailure();
    }
    methods[id] = *parsed;
  }
  std::optional<calib::CalibrationStats> stats;
  if (!statsFile.empty()) {
    llvm::Expected<calib::CalibrationStats> read =
        calib::readStatsFile(statsFile);
    if (!read) {
      module.emitError() << llvm::toString(read.takeError());
      return signalPassFailure();
    }
    stats = std::move(*read);
  }
  activations.clear();
  weights.clear();
  SmallVector<ObserveOp> observers;
  module.walk([&](ObserveOp op) { observers.push_back(op); });
  for (ObserveOp op : observers) {
    if (keepFloat.contains(op.getId())) {
      op.replaceAllUsesWith(op.getInput());
      op.erase();
      continue;
    }
    if (failed(foldObserver(op, stats ? &*stats : nullptr, methods,
                            *defaultMethod)))
      return signalPassFailure();
  }
  reportWeights();
  if (failed(writeReports()))
    return signalPassFailure();
}
