//===- StatsFile.cpp - The calibration statistics file --------------------===//
//
// Reading is strict: every member is type-checked with its JSON path in the
// message, unknown members are rejected (a typo must not silently drop
// statistics), and the statistics are rebuilt through
// ObserverStats::fromState, which rejects any state calibration could not
// have produced. Writing goes through a temporary file and a rename.
//
//===----------------------------------------------------------------------===//

#include "quant/Calibration/StatsFile.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>

using namespace mlir::qnt::calib;
namespace json = llvm::json;
using llvm::Error;
using llvm::StringRef;
using llvm::Twine;

//===----------------------------------------------------------------------===//
// Printing
//===----------------------------------------------------------------------===//

/// Signed lowercase hexadecimal without prefix, e.g. "-1f4".
static std::string printFixedPoint(const llvm::APInt &value) {
  llvm::SmallString<100> text;
  value.toString(text, 16, /*Signed=*/true, /*formatAsCLiteral=*/false,
                 /*UpperCase=*/false);
  return std::string(text);
}

static json::Value observerToJSON(const ObserverStats &stats) {
  const ObserverState &s = stats.state();
  json::Array counts;
  for (uint64_t c : s.histogram.counts)
    counts.push_back(c);
  // Floats widen to double exactly and print with 17 significant digits,
  // which reads back to the same double and so to the same float.
  return json::Object{
      {"batches", s.batches},
      {"values", s.values},
      {"non_finite", s.nonFinite},
      {"min", double(s.min)},
      {"max", double(s.max)},
      {"sum_batch_min", printFixedPoint(s.sumBatchMin)},
      {"sum_batch_max", printFixedPoint(s.sumBatchMax)},
      {"histogram", json::Object{{"exponent", s.histogram.exponent},
                                 {"first_bin", s.histogram.firstBin},
                                 {"counts", std::move(counts)}}},
  };
}

std::string mlir::qnt::calib::printStats(const CalibrationStats &stats) {
  json::Object observers;
  for (const auto &[id, observer] : stats.observers)
    observers[id] = observerToJSON(observer);
  json::Value root = json::Object{
      {"format", kStatsFormat},
      {"version", kStatsVersion},
      {"samples", stats.samples},
      {"observers", std::move(observers)},
  };
  // json::Value prints object members sorted by key.
  std::string text;
  llvm::raw_string_ostream os(text);
  os << llvm::formatv("{0:2}", root) << "\n";
  return text;
}

//===----------------------------------------------------------------------===//
// Parsing
//===----------------------------------------------------------------------===//

namespace {
/// Type-checked access to JSON members; errors read
/// "<source>: <path>: <message>".
class Reader {
public:
  explicit Reader(StringRef source) : source(source) {}

  Error error(const Twine &path, const Twine &message) const {
    return llvm::createStringError(source + ": " + path + ": " + message);
  }

  /// Fails on members outside `known`.
  Error checkMembers(const json::Object &object, const std::string &path,
                     llvm::ArrayRef<StringRef> known) const {
    // Sorted, so the reported member does not depend on hash order.
    std::vector<std::string> unknown;
    for (const auto &member : object)
      if (!llvm::is_contained(known, StringRef(member.first)))
        unknown.push_back(member.first.str());
    if (unknown.empty())
      return Error::success();
    llvm::sort(unknown);
    return error(join(path, unknown.front()), "unknown member");
  }

  llvm::Expected<const json::Value *> get(const json::Object &object,
                                          const std::string &path,
                                          StringRef key) const {
    if (const json::Value *value = object.get(key))
      return value;
    return error(join(path, key), "missing");
  }

  llvm::Expected<const json::Object *> getObject(const json::Object &object,
                                                 const std::string &path,
                                                 StringRef key) const {
    auto value = get(object, path, key);
    if (!value)
      return value.takeError();
    if (const json::Object *result = (*value)->getAsObject())
      return result;
    return error(join(path, key), "expected object");
  }

  llvm::Expected<uint64_t> getUInt(const json::Object &object,
                                   const std::string &path,
                                   StringRef key) const {
    auto value = get(object, path, key);
    if (!value)
      return value.takeError();
    if (auto result = (*value)->getAsUINT64())
      return *result;
    return error(join(path, key), "expected non-negative integer");
  }

  llvm::Expected<int64_t> getInt(const json::Object &object,
                                 const std::string &path, StringRef key) const {
    auto value = get(object, path, key);
    if (!value)
      return value.takeError();
    if (auto result = (*value)->getAsInteger())
      return *result;
    return error(join(path, key), "expected integer");
  }

  llvm::Expected<float> getFloat(const json::Object &object,
                                 const std::string &path, StringRef key) const {
    auto value = get(object, path, key);
    if (!value)
      return value.takeError();
    std::optional<double> number = (*value)->getAsNumber();
    if (!number)
      return error(join(path, key), "expected number");
    float result = static_cast<float>(*number);
    if (!std::isfinite(result) || double(result) != *number)
      return error(join(path, key), "expected a float32 value");
    return result;
  }

  llvm::Expected<llvm::APInt> getFixedPoint(const json::Object &object,
                                            const std::string &path,
                                            StringRef key) const {
    auto value = get(object, path, key);
    if (!value)
      return value.takeError();
    std::optional<StringRef> text = (*value)->getAsString();
    if (!text)
      return error(join(path, key), "expected string");
    StringRef digits = *text;
    digits.consume_front("-");
    if (digits.empty() || !llvm::all_of(digits, llvm::isHexDigit))
      return error(join(path, key), "expected a signed hexadecimal integer");
    // Leading zeros aside, anything wider than the sums is out of range.
    digits = digits.ltrim('0');
    if (digits.size() > kFixedPointBits / 4)
      return error(join(path, key), "integer out of range");
    llvm::APInt result(kFixedPointBits + 8, *text, 16);
    if (result.getSignificantBits() > kFixedPointBits)
      return error(join(path, key), "integer out of range");
    return result.trunc(kFixedPointBits);
  }

  static std::string join(const std::string &path, StringRef key) {
    return path.empty() ? key.str() : path + "." + key.str();
  }

private:
  std::string source;
};
} // namespace

static llvm::Expected<ObserverStats> parseObserver(const Reader &reader,
                                                   const json::Value &value,
                                                   const std::string &path) {
  const json::Object *object = value.getAsObject();
  if (!object)
    return reader.error(path, "expected object");
  if (Error e =
          reader.checkMembers(*object, path,
                              {"batches", "values", "non_finite", "min", "max",
                               "sum_batch_min", "sum_batch_max", "histogram"}))
    return std::move(e);
  ObserverState state;
  auto read = [&](auto &field, auto result) -> Error {
    if (!result)
      return result.takeError();
    field = *result;
    return Error::success();
  };
  if (Error e = read(state.batches, reader.getUInt(*object, path, "batches")))
    return std::move(e);
  if (Error e = read(state.values, reader.getUInt(*object, path, "values")))
    return std::move(e);
  if (Error e =
          read(state.nonFinite, reader.getUInt(*object, path, "non_finite")))
    return std::move(e);
  if (Error e = read(state.min, reader.getFloat(*object, path, "min")))
    return std::move(e);
  if (Error e = read(state.max, reader.getFloat(*object, path, "max")))
    return std::move(e);
  if (Error e = read(state.sumBatchMin,
                     reader.getFixedPoint(*object, path, "sum_batch_min")))
    return std::move(e);
  if (Error e = read(state.sumBatchMax,
                     reader.getFixedPoint(*object, path, "sum_batch_max")))
    return std::move(e);

  auto histogram = reader.getObject(*object, path, "histogram");
  if (!histogram)
    return histogram.takeError();
  std::string histogramPath = Reader::join(path, "histogram");
  if (Error e = reader.checkMembers(**histogram, histogramPath,
                                    {"exponent", "first_bin", "counts"}))
    return std::move(e);
  auto exponent = reader.getInt(**histogram, histogramPath, "exponent");
  if (!exponent)
    return exponent.takeError();
  if (*exponent < -1000 || *exponent > 1000)
    return reader.error(Reader::join(histogramPath, "exponent"),
                        "exponent out of range");
  state.histogram.exponent = int(*exponent);
  if (Error e = read(state.histogram.firstBin,
                     reader.getInt(**histogram, histogramPath, "first_bin")))
    return std::move(e);
  std::string countsPath = Reader::join(histogramPath, "counts");
  auto counts = reader.get(**histogram, histogramPath, "counts");
  if (!counts)
    return counts.takeError();
  const json::Array *array = (*counts)->getAsArray();
  if (!array)
    return reader.error(countsPath, "expected array");
  if (array->size() > size_t(kHistogramBins))
    return reader.error(
        countsPath,
        llvm::formatv("{0} bins (at most {1})", array->size(), kHistogramBins));
  for (size_t i = 0, e = array->size(); i != e; ++i) {
    std::optional<uint64_t> count = (*array)[i].getAsUINT64();
    if (!count)
      return reader.error(countsPath + "[" + Twine(i) + "]",
                          "expected non-negative integer");
    state.histogram.counts.push_back(*count);
  }

  auto stats = ObserverStats::fromState(std::move(state));
  if (!stats)
    return reader.error(path, llvm::toString(stats.takeError()));
  return stats;
}

llvm::Expected<CalibrationStats>
mlir::qnt::calib::parseStats(StringRef text, StringRef sourceName) {
  auto parsed = json::parse(text);
  if (!parsed)
    return llvm::createStringError(
        sourceName + ": invalid JSON: " + llvm::toString(parsed.takeError()));
  const json::Object *root = parsed->getAsObject();
  if (!root)
    return llvm::createStringError(sourceName + ": expected a JSON object");
  Reader reader(sourceName);

  std::optional<StringRef> format = root->getString("format");
  if (!format || *format != kStatsFormat)
    return llvm::createStringError(
        sourceName +
        ": not a calibration statistics file (\"format\" is not "
        "\"" +
        kStatsFormat + "\")");
  auto version = reader.getInt(*root, "", "version");
  if (!version)
    return version.takeError();
  if (*version != kStatsVersion)
    return llvm::createStringError(
        llvm::formatv("{0}: unsupported calibration statistics version {1} "
                      "(this build reads version {2})",
                      sourceName, *version, kStatsVersion)
            .str());
  if (Error e = reader.checkMembers(
          *root, "", {"format", "version", "samples", "observers"}))
    return std::move(e);

  CalibrationStats stats;
  auto samples = reader.getUInt(*root, "", "samples");
  if (!samples)
    return samples.takeError();
  stats.samples = *samples;
  auto observers = reader.getObject(*root, "", "observers");
  if (!observers)
    return observers.takeError();
  for (const auto &[id, value] : **observers) {
    auto observer = parseObserver(reader, value, Reader::join("observers", id));
    if (!observer)
      return observer.takeError();
    stats.observers.emplace(id.str(), std::move(*observer));
  }
  return stats;
}

llvm::Expected<CalibrationStats>
mlir::qnt::calib::readStatsFile(StringRef path) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/true);
  if (!buffer)
    return llvm::createStringError("cannot read '" + path +
                                   "': " + buffer.getError().message());
  return parseStats((*buffer)->getBuffer(), path);
}

//===----------------------------------------------------------------------===//
// Writing and merging
//===----------------------------------------------------------------------===//

Error mlir::qnt::calib::writeStatsFile(StringRef path,
                                       const CalibrationStats &stats) {
  std::string text = printStats(stats);
  // writeToOutput writes a unique temporary file next to `path`, renames it
  // over `path` on success and deletes it on failure.
  Error e = llvm::writeToOutput(path, [&](llvm::raw_ostream &os) {
    os << text;
    return Error::success();
  });
  if (e)
    return llvm::createStringError("cannot write '" + path +
                                   "': " + llvm::toString(std::move(e)));
  return Error::success();
}

static bool addOverflows(uint64_t a, uint64_t b) { return a > UINT64_MAX - b; }

Error mlir::qnt::calib::mergeStats(CalibrationStats &into,
                                   const CalibrationStats &from) {
  if (addOverflows(into.samples, from.samples))
    return llvm::createStringError("merged sample count overflows");
  for (const auto &[id, stats] : from.observers) {
    auto it = into.observers.find(id);
    if (it == into.observers.end())
      continue;
    const ObserverStats &mine = it->second;
    if (addOverflows(mine.batches(), stats.batches()) ||
        addOverflows(mine.values(), stats.values()) ||
        addOverflows(mine.nonFinite(), stats.nonFinite()))
      return llvm::createStringError("merged counts of observer '" + id +
                                     "' overflow");
  }
  into.samples += from.samples;
  for (const auto &[id, stats] : from.observers)
    into.observers[id].merge(stats);
  return Error::success();
}
