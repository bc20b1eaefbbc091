//===- StatsFileTest.cpp - Tests of the calibration statistics file -------===//
//
// Bit-exact round trips, every parse error with its located message, atomic
// writes and merging of shard files.
//
//===----------------------------------------------------------------------===//

#include "quant/Calibration/StatsFile.h"
#include "StatsTestUtils.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Path.h"

#include "gtest/gtest.h"

#include <functional>
#include <limits>

using namespace mlir::qnt::calib;
namespace json = llvm::json;

namespace {

CalibrationStats sample() {
  float nan = std::numeric_limits<float>::quiet_NaN();
  CalibrationStats stats;
  stats.samples = 12;
  stats.observers["conv1.out"] =
      statsOf({{-0.1f, 0.3f, 1e-7f}, {nan, 2.5f}}, NonFinitePolicy::Ignore);
  stats.observers["a"] = statsOf({{2, 2}}, NonFinitePolicy::Ignore);
  stats.observers["tiny"] =
      statsOf({{std::numeric_limits<float>::denorm_min(), -3e38f}},
              NonFinitePolicy::Ignore);
  return stats;
}

std::string errorOf(llvm::StringRef text) {
  auto stats = parseStats(text, "t.json");
  if (stats)
    return "no error";
  return llvm::toString(stats.takeError());
}

/// The printed sample with `edit` applied to its JSON.
std::string edited(const std::function<void(json::Object &)> &edit) {
  auto value = json::parse(printStats(sample()));
  EXPECT_TRUE(static_cast<bool>(value));
  edit(*value->getAsObject());
  return llvm::formatv("{0}", *value).str();
}

json::Object &observer(json::Object &root, llvm::StringRef id) {
  return *root.getObject("observers")->getObject(id);
}

TEST(CalibStatsFileTest, RoundTripIsBitExact) {
  CalibrationStats stats = sample();
  std::string text = printStats(stats);
  auto parsed = parseStats(text, "t.json");
  ASSERT_TRUE(static_cast<bool>(parsed)) << llvm::toString(parsed.takeError());
  EXPECT_EQ(parsed->samples, 12u);
  ASSERT_EQ(parsed->observers.size(), 3u);
  for (const auto &[id, observer] : stats.observers)
    EXPECT_TRUE(parsed->observers.at(id) == observer) << id;
  EXPECT_EQ(printStats(*parsed), text);
  EXPECT_EQ(parsed->observers.at("conv1.out").nonFinite(), 1u);
}

TEST(CalibStatsFileTest, PrintsHandComputedMembers) {
  // Observer "a" saw one batch {2, 2}: sums 2 * 2^149 = 2^150 = 4 * 16^37;
  // exponent ilogb(2) - 34 = -33, bin 2 * 2^33.
  std::string text = printStats(sample());
  EXPECT_NE(text.find("\"format\": \"quant-calibration-statistics\""),
            std::string::npos);
  EXPECT_NE(text.find("\"version\": 1"), std::string::npos);
  EXPECT_NE(text.find("\"sum_batch_min\": \"4" + std::string(37, '0') + "\""),
            std::string::npos);
  EXPECT_NE(text.find("\"first_bin\": 17179869184"), std::string::npos);
  EXPECT_NE(text.find("\"exponent\": -33"), std::string::npos);
  // Sorted ids: "a" before "conv1.out" before "tiny".
  EXPECT_LT(text.find("\"a\""), text.find("\"conv1.out\""));
  EXPECT_LT(text.find("\"conv1.out\""), text.find("\"tiny\""));
}

TEST(CalibStatsFileTest, SyntaxAndVersionErrors) {
  EXPECT_EQ(errorOf("{").substr(0, 21), "t.json: invalid JSON:");
  EXPECT_EQ(errorOf("[]"), "t.json: expected a JSON object");
  EXPECT_EQ(errorOf(edited([](json::Object &root) { root["version"] = 2; })),
            "t.json: unsupported calibration statistics version 2 (this "
            "build reads version 1)");
  EXPECT_EQ(
      errorOf(edited([](json::Object &root) { root["format"] = "other"; })),
      "t.json: not a calibration statistics file (\"format\" is not "
      "\"quant-calibration-statistics\")");
  EXPECT_EQ(errorOf(edited([](json::Object &root) { root["version"] = "1"; })),
            "t.json: version: expected integer");
}

TEST(CalibStatsFileTest, TypeErrorsAreLocated) {
  EXPECT_EQ(errorOf(edited([](json::Object &root) {
              (*observer(root, "conv1.out").getObject("histogram"))["counts"] =
                  json::Object{};
            })),
            "t.json: observers.conv1.out.histogram.counts: expected array");
  EXPECT_EQ(errorOf(edited(
                [](json::Object &root) { observer(root, "a")["min"] = "2"; })),
            "t.json: observers.a.min: expected number");
  EXPECT_EQ(errorOf(edited(
                [](json::Object &root) { observer(root, "a")["min"] = 0.1; })),
            "t.json: observers.a.min: expected a float32 value");
  EXPECT_EQ(errorOf(edited([](json::Object &root) {
              observer(root, "a").erase("values");
            })),
            "t.json: observers.a.values: missing");
  EXPECT_EQ(errorOf(edited([](json::Object &root) {
              observer(root, "a")["batches"] = -1;
            })),
            "t.json: observers.a.batches: expected non-negative integer");
  EXPECT_EQ(errorOf(edited(
                [](json::Object &root) { observer(root, "a")["colour"] = 1; })),
            "t.json: observers.a.colour: unknown member");
  EXPECT_EQ(errorOf(edited([](json::Object &root) {
              observer(root, "a")["sum_batch_max"] = "12g";
            })),
            "t.json: observers.a.sum_batch_max: expected a signed "
            "hexadecimal integer");
  EXPECT_EQ(errorOf(edited([](json::Object &root) {
              observer(root, "a")["sum_batch_max"] = std::string(97, 'f');
            })),
            "t.json: observers.a.sum_batch_max: integer out of range");
  EXPECT_EQ(errorOf(edited([](json::Object &root) {
              (*observer(root, "a").getObject("histogram"))["counts"] =
                  json::Array{1, "x"};
            })),
            "t.json: observers.a.histogram.counts[1]: expected non-negative "
            "integer");
  EXPECT_EQ(errorOf(edited([](json::Object &root) { root["observers"] = 3; })),
            "t.json: observers: expected object");
}

TEST(CalibStatsFileTest, InconsistentStatisticsAreRejected) {
  EXPECT_EQ(errorOf(edited([](json::Object &root) {
              (*observer(root, "a").getObject("histogram"))["counts"] =
                  json::Array{3};
            })),
            "t.json: observers.a: histogram counts sum to 3 but values is 2");
  EXPECT_EQ(errorOf(edited(
                [](json::Object &root) { observer(root, "a")["min"] = 3; })),
            "t.json: observers.a: min 3 is greater than max 2");
  EXPECT_EQ(errorOf(edited([](json::Object &root) {
              json::Array counts;
              for (int i = 0; i < 2049; ++i)
                counts.push_back(1);
              (*observer(root, "a").getObject("histogram"))["counts"] =
                  std::move(counts);
            })),
            "t.json: observers.a.histogram.counts: 2049 bins (at most 2048)");
  // One batch whose minimum would be 3, above max 2: 3 * 2^149 = 6 * 16^37.
  EXPECT_EQ(errorOf(edited([](json::Object &root) {
              observer(root, "a")["sum_batch_min"] = "6" + std::string(37, '0');
            })),
            "t.json: observers.a: average batch minimum or maximum lies "
            "outside [min, max]");
  EXPECT_EQ(errorOf(edited([](json::Object &root) {
              observer(root, "a")["batches"] = 3;
            })),
            "t.json: observers.a: 3 batches cannot hold 2 values");
}

TEST(CalibStatsFileTest, WriteAndRead) {
  llvm::SmallString<128> dir;
  ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("calib-stats", dir));
  llvm::SmallString<128> path(dir);
  llvm::sys::path::append(path, "stats.json");
  CalibrationStats stats = sample();
  ASSERT_FALSE(static_cast<bool>(writeStatsFile(path, stats)));
  // Overwrite with different content: still one file, no temporaries left.
  stats.samples = 99;
  ASSERT_FALSE(static_cast<bool>(writeStatsFile(path, stats)));
  auto read = readStatsFile(path);
  ASSERT_TRUE(static_cast<bool>(read)) << llvm::toString(read.takeError());
  EXPECT_EQ(read->samples, 99u);
  EXPECT_EQ(printStats(*read), printStats(stats));

  // Into a directory that does not exist: an error and no file anywhere.
  llvm::SmallString<128> missing(dir);
  llvm::sys::path::append(missing, "no-such-dir", "stats.json");
  llvm::Error e = writeStatsFile(missing, stats);
  ASSERT_TRUE(static_cast<bool>(e));
  EXPECT_EQ(llvm::toString(std::move(e)).find("cannot write '"), 0u);

  std::vector<std::string> entries;
  std::error_code ec;
  for (llvm::sys::fs::directory_iterator it(dir, ec), end; it != end && !ec;
       it.increment(ec))
    entries.push_back(llvm::sys::path::filename(it->path()).str());
  EXPECT_EQ(entries, std::vector<std::string>({"stats.json"}));

  auto absent = readStatsFile(missing);
  ASSERT_FALSE(static_cast<bool>(absent));
  EXPECT_EQ(llvm::toString(absent.takeError()).find("cannot read '"), 0u);

  llvm::sys::fs::remove(path);
  llvm::sys::fs::remove(dir);
}

TEST(CalibStatsFileTest, MergeShardFiles) {
  std::vector<float> first = {-1, 0.5f, 3}, second = {7, -2}, third = {0.25f};
  CalibrationStats shard1, shard2, all;
  shard1.samples = 2;
  shard1.observers["x"] = statsOf({first}, NonFinitePolicy::Ignore);
  shard1.observers["only1"] = statsOf({{4}}, NonFinitePolicy::Ignore);
  shard2.samples = 3;
  shard2.observers["x"] = statsOf({second, third}, NonFinitePolicy::Ignore);
  shard2.observers["only2"] = statsOf({{5}}, NonFinitePolicy::Ignore);
  all.samples = 5;
  all.observers["x"] = statsOf({third, first, second}, NonFinitePolicy::Ignore);
  all.observers["only1"] = statsOf({{4}}, NonFinitePolicy::Ignore);
  all.observers["only2"] = statsOf({{5}}, NonFinitePolicy::Ignore);

  // Through the printed form, as files would be merged.
  auto a = parseStats(printStats(shard1), "1.json");
  auto b = parseStats(printStats(shard2), "2.json");
  ASSERT_TRUE(a && b);
  ASSERT_FALSE(static_cast<bool>(mergeStats(*a, *b)));
  EXPECT_EQ(printStats(*a), printStats(all));

  CalibrationStats full;
  full.samples = std::numeric_limits<uint64_t>::max();
  llvm::Error e = mergeStats(full, shard1);
  ASSERT_TRUE(static_cast<bool>(e));
  EXPECT_EQ(llvm::toString(std::move(e)), "merged sample count overflows");
  EXPECT_EQ(full.samples, std::numeric_limits<uint64_t>::max());
}

} // namespace
