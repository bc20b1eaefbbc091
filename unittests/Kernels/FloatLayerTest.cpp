//===- FloatLayerTest.cpp - fp32 layers: packing and epilogue -------------===//
//
// packFloatLayer rejects inconsistent layers with a message each; the
// epilogue of quant_float_layer_run adds the bias and applies the ReLU with
// arith.maximumf's rules (NaN stays NaN, negatives become +0.0).
//
//===----------------------------------------------------------------------===//

#include "quant/Kernels/FloatLayer.h"

#include "gtest/gtest.h"

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <string>

using namespace mlir::qnt::kernels;

namespace {

/// x (M x 2) times [[1, 0, 2], [0, 1, -1]].
FloatLayerSpec getMatmulSpec() {
  FloatLayerSpec spec;
  spec.kind = LayerKind::Matmul;
  spec.k = 2;
  spec.n = 3;
  spec.weights = {1, 0, 2, 0, 1, -1};
  return spec;
}

std::string getPackError(const FloatLayerSpec &spec) {
  std::string error;
  std::vector<uint8_t> blob = packFloatLayer(spec, error);
  EXPECT_EQ(blob.empty(), !error.empty());
  return error;
}

TEST(FloatLayerTest, RejectsInconsistentLayers) {
  FloatLayerSpec spec = getMatmulSpec();
  EXPECT_EQ(getPackError(spec), "");
  spec.weights.pop_back();
  EXPECT_EQ(getPackError(spec), "weights are not K x N");

  spec = getMatmulSpec();
  spec.bias = {1, 2};
  EXPECT_EQ(getPackError(spec), "the bias does not have N values");

  spec = getMatmulSpec();
  spec.kind = LayerKind::Conv2dNhwc;
  spec.channels = 1;
  spec.kernelH = spec.kernelW = 3;
  spec.outH = spec.outW = 1;
  EXPECT_EQ(getPackError(spec), "convolution geometry does not match K");
}

/// Runs the layer on `rows` rows of x (M x 2, row-major) into y (M x 3).
std::vector<float> run(const FloatLayerSpec &spec, const float *x,
                       int64_t rows) {
  std::string error;
  std::vector<uint8_t> packed = packFloatLayer(spec, error);
  EXPECT_TRUE(error.empty()) << error;
  // The compiled code hands the kernels 64-byte aligned blobs.
  auto *blob = static_cast<uint8_t *>(
      std::aligned_alloc(64, (packed.size() + 63) / 64 * 64));
  std::memcpy(blob, packed.data(), packed.size());
  std::vector<float> y(size_t(rows * 3), -7.0f);
  quant_float_layer_run(blob, x, 2, 1, 0, 0, rows, 0, rows, 0, 3, y.data());
  std::free(blob);
  return y;
}

TEST(FloatLayerTest, BiasAndReluEpilogue) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  // Row products: [1, 2, 0], [-3, 1, -7], and NaN (0 * NaN is NaN too).
  const float x[] = {1, 2, -3, 1, nan, 1};
  FloatLayerSpec spec = getMatmulSpec();
  spec.bias = {0.5f, -4.0f, 5.0f};
  std::vector<float> y = run(spec, x, 3);
  const float biased[] = {1.5f, -2.0f, 5.0f, -2.5f, -3.0f, -2.0f};
  for (int i = 0; i < 6; ++i)
    EXPECT_EQ(y[size_t(i)], biased[i]) << i;
  for (int i = 6; i < 9; ++i)
    EXPECT_TRUE(std::isnan(y[size_t(i)])) << i;

  spec.relu = true;
  y = run(spec, x, 3);
  const float relu[] = {1.5f, 0.0f, 5.0f, 0.0f, 0.0f, 0.0f};
  for (int i = 0; i < 6; ++i) {
    EXPECT_EQ(y[size_t(i)], relu[i]) << i;
    EXPECT_FALSE(std::signbit(y[size_t(i)])) << i;
  }
  for (int i = 6; i < 9; ++i)
    EXPECT_TRUE(std::isnan(y[size_t(i)])) << i;

  // ReLU alone.
  spec.bias.clear();
  y = run(spec, x, 2);
  const float plain[] = {1, 2, 0, 0, 1, 0};
  for (int i = 0; i < 6; ++i) {
    EXPECT_EQ(y[size_t(i)], plain[i]) << i;
    EXPECT_FALSE(std::signbit(y[size_t(i)])) << i;
  }
}

} // namespace
