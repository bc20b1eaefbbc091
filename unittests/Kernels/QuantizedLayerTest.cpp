//===- QuantizedLayerTest.cpp - packLayer rejects inconsistent layers -----===//
//
// The compiler only hands packLayer layers it has checked, so these
// diagnostics are for other clients of the kernel library: each
// inconsistency must give an empty blob and its own message.
//
//===----------------------------------------------------------------------===//

#include "quant/Kernels/QuantizedLayer.h"

#include "gtest/gtest.h"

#include <string>

using namespace mlir::qnt::kernels;

namespace {

/// A consistent 3 x 3 depthwise layer over 4 channels, u8 results.
LayerSpec getDepthwiseSpec() {
  LayerSpec spec;
  spec.kind = LayerKind::DepthwiseNhwc;
  spec.k = 9;
  spec.n = 4;
  spec.weights.assign(36, 1);
  spec.output = LayerOutput::U8;
  spec.floatMultipliers.assign(4, 0.5f);
  spec.clampMax = 255;
  spec.channels = 4;
  spec.height = spec.width = 5;
  spec.kernelH = spec.kernelW = 3;
  spec.outH = spec.outW = 3;
  return spec;
}

std::string getPackError(const LayerSpec &spec) {
  std::string error;
  std::vector<uint8_t> blob = packLayer(spec, error);
  EXPECT_EQ(blob.empty(), !error.empty());
  return error;
}

TEST(QuantizedLayerTest, AcceptsDepthwise) {
  LayerSpec spec = getDepthwiseSpec();
  EXPECT_EQ(getPackError(spec), "");
  std::string error;
  std::vector<uint8_t> blob = packLayer(spec, error);
  ASSERT_FALSE(blob.empty());
  EXPECT_EQ(getLayerRows(blob.data(), 2), 2 * 3 * 3);
}

TEST(QuantizedLayerTest, RejectsInconsistentLayers) {
  LayerSpec spec = getDepthwiseSpec();
  spec.weights.pop_back();
  EXPECT_EQ(getPackError(spec), "weights are not K x N");

  spec = getDepthwiseSpec();
  spec.weightZeroPoints.assign(3, 1);
  EXPECT_EQ(getPackError(spec),
            "weight zero points are not per output channel");

  spec = getDepthwiseSpec();
  spec.bias.assign(5, 0);
  EXPECT_EQ(getPackError(spec), "bias is not per output channel");

  spec = getDepthwiseSpec();
  spec.floatMultipliers.pop_back();
  EXPECT_EQ(getPackError(spec), "float multipliers are not per output channel");

  spec = getDepthwiseSpec();
  spec.rescale = LayerRescale::Integer;
  spec.fixedMultipliers.assign(4, 1 << 30);
  spec.shifts.assign(4, 0);
  EXPECT_EQ(getPackError(spec), "a shift is outside [1, 62]");

  spec = getDepthwiseSpec();
  spec.kernelW = 2;
  EXPECT_EQ(getPackError(spec), "convolution geometry does not match K");

  spec = getDepthwiseSpec();
  spec.kind = LayerKind::Conv2dNhwc; // K would be C * 9
  EXPECT_EQ(getPackError(spec), "convolution geometry does not match K");

  spec = getDepthwiseSpec();
  spec.channels = 2;
  EXPECT_EQ(getPackError(spec),
            "a depthwise convolution has one filter per channel");
}

TEST(QuantizedLayerTest, AcceptsPool) {
  // 2 x 2 windows, stride 1, over the 3 x 3 output: 2 x 2 pooled pixels.
  LayerSpec spec = getDepthwiseSpec();
  spec.poolH = spec.poolW = 2;
  std::string error;
  std::vector<uint8_t> blob = packLayer(spec, error);
  ASSERT_FALSE(blob.empty()) << error;
  EXPECT_EQ(getLayerRows(blob.data(), 2), 2 * 2 * 2);
  // Stride 2: the last row and column of the output are dropped.
  spec.poolStrideH = spec.poolStrideW = 2;
  blob = packLayer(spec, error);
  ASSERT_FALSE(blob.empty()) << error;
  EXPECT_EQ(getLayerRows(blob.data(), 2), 2 * 1 * 1);
}

TEST(QuantizedLayerTest, RejectsInconsistentPools) {
  LayerSpec spec;
  spec.k = spec.n = 1;
  spec.weights.assign(1, 1);
  spec.poolH = 2;
  EXPECT_EQ(getPackError(spec), "only a convolution takes a pool");

  spec = getDepthwiseSpec();
  spec.poolW = 0;
  EXPECT_EQ(getPackError(spec),
            "the pool window is empty or larger than the output");

  spec = getDepthwiseSpec();
  spec.poolH = 4; // the output has 3 rows
  EXPECT_EQ(getPackError(spec),
            "the pool window is empty or larger than the output");

  spec = getDepthwiseSpec();
  spec.poolH = 2;
  spec.poolStrideW = -1;
  EXPECT_EQ(getPackError(spec),
            "the pool window is empty or larger than the output");

  spec = getDepthwiseSpec();
  spec.poolH = spec.poolW = 2;
  spec.floatMultipliers[1] = -0.5f;
  EXPECT_EQ(getPackError(spec), "a pool needs positive multipliers");

  spec = getDepthwiseSpec();
  spec.poolH = spec.poolW = 2;
  spec.rescale = LayerRescale::Integer;
  spec.fixedMultipliers.assign(4, 1 << 30);
  spec.fixedMultipliers[3] = 0;
  spec.shifts.assign(4, 31);
  EXPECT_EQ(getPackError(spec), "a pool needs positive multipliers");
}

} // namespace
