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

} // namespace
