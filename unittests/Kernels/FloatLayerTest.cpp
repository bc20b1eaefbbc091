//===- FloatLayerTest.cpp - fp32 layers: packing and epilogue -------------===//
//
// packFloatLayer rejects inconsistent layers with a message each; the
// epilogue of quant_float_layer_run adds the bias and applies the ReLU with
// arith.maximumf's rules (NaN stays NaN, negatives become +0.0), and a
// fused max pool takes arith.maximumf over its windows from its init.
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

/// A 1 x 1 convolution of one channel into 20 (weights 1..20) over 5 x 11
/// pixels, pooled in 2 x 2 windows at stride 2: pooled rows of 5 pixels
/// (the last column dropped), 20 columns (a whole vector and a tail).
FloatLayerSpec getPooledSpec() {
  FloatLayerSpec spec;
  spec.kind = LayerKind::Conv2dNhwc;
  spec.k = 1;
  spec.n = 20;
  for (int j = 0; j < 20; ++j)
    spec.weights.push_back(float(j + 1));
  spec.channels = 1;
  spec.height = spec.outH = 5;
  spec.width = spec.outW = 11;
  spec.poolH = spec.poolW = spec.poolStrideH = spec.poolStrideW = 2;
  spec.poolInit = -std::numeric_limits<float>::infinity();
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

  spec = getMatmulSpec();
  spec.poolH = 2;
  EXPECT_EQ(getPackError(spec), "only a convolution takes a pool");

  spec = getPooledSpec();
  EXPECT_EQ(getPackError(spec), "");
  spec.poolW = 12;
  EXPECT_EQ(getPackError(spec),
            "the pool window is empty or larger than the output");
  spec.poolW = 2;
  spec.poolStrideH = 0;
  EXPECT_EQ(getPackError(spec),
            "the pool window is empty or larger than the output");
}

/// The packed layer, 64-byte aligned as the compiled code hands it over.
class Blob {
public:
  explicit Blob(const FloatLayerSpec &spec) {
    std::string error;
    std::vector<uint8_t> packed = packFloatLayer(spec, error);
    EXPECT_TRUE(error.empty()) << error;
    data = static_cast<uint8_t *>(
        std::aligned_alloc(64, (packed.size() + 63) / 64 * 64));
    std::memcpy(data, packed.data(), packed.size());
  }
  ~Blob() { std::free(data); }
  Blob(const Blob &) = delete;
  Blob &operator=(const Blob &) = delete;
  const uint8_t *get() const { return data; }

private:
  uint8_t *data;
};

/// Runs the layer on `rows` rows of x (M x 2, row-major) into y (M x 3).
std::vector<float> run(const FloatLayerSpec &spec, const float *x,
                       int64_t rows) {
  Blob blob(spec);
  std::vector<float> y(size_t(rows * 3), -7.0f);
  quant_float_layer_run(blob.get(), x, 2, 1, 0, 0, rows, 0, rows, 0, 3,
                        y.data());
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

TEST(FloatLayerTest, FusedMaxPool) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  constexpr int64_t items = 2, h = 5, w = 11, ph = 2, pw = 5, n = 20;
  // Distinct values of both signs, and a NaN in item 1's window (1, 3).
  std::vector<float> x(items * h * w);
  for (size_t i = 0; i < x.size(); ++i)
    x[i] = float((int(i) * 37) % 101 - 50) / 8.0f;
  x[size_t((1 * h + 2) * w + 7)] = nan;
  for (float init : {-std::numeric_limits<float>::infinity(), 2.5f}) {
    FloatLayerSpec spec = getPooledSpec();
    spec.poolInit = init;
    Blob blob(spec);
    std::vector<float> y(size_t(items * ph * pw * n), -7.0f);
    // Two runs split inside item 0's second pooled row, as threads do.
    quant_float_layer_run(blob.get(), x.data(), h * w, w, 1, 1, items, 0, 7, 0,
                          n, y.data());
    quant_float_layer_run(blob.get(), x.data(), h * w, w, 1, 1, items, 7,
                          items * ph * pw, 0, n, y.data());
    for (int64_t item = 0; item < items; ++item)
      for (int64_t py = 0; py < ph; ++py)
        for (int64_t px = 0; px < pw; ++px)
          for (int64_t j = 0; j < n; ++j) {
            float want = init;
            bool sawNan = false;
            for (int64_t i = 0; i < 2; ++i)
              for (int64_t t = 0; t < 2; ++t) {
                float v = x[size_t((item * h + 2 * py + i) * w + 2 * px + t)] *
                          float(j + 1);
                sawNan |= std::isnan(v);
                want = v > want ? v : want;
              }
            float got = y[size_t(((item * ph + py) * pw + px) * n + j)];
            if (sawNan)
              EXPECT_TRUE(std::isnan(got)) << item << py << px << j;
            else
              EXPECT_EQ(got, want)
                  << item << " " << py << " " << px << " " << j;
          }
  }
}

TEST(FloatLayerTest, OneByOnePoolFromInit) {
  // A 1 x 1 window at stride 1 into a fill of 0.5 is maximumf(0.5, x); from
  // -inf it is no pool at all.
  const float nan = std::numeric_limits<float>::quiet_NaN();
  FloatLayerSpec spec = getPooledSpec();
  spec.poolH = spec.poolW = spec.poolStrideH = spec.poolStrideW = 1;
  constexpr int64_t pixels = 5 * 11, n = 20;
  std::vector<float> x(pixels);
  for (int64_t i = 0; i < pixels; ++i)
    x[size_t(i)] = float(i % 7 - 3) / 4.0f;
  x[3] = nan;
  for (float init : {0.5f, -std::numeric_limits<float>::infinity()}) {
    spec.poolInit = init;
    Blob blob(spec);
    std::vector<float> y(size_t(pixels * n), -7.0f);
    quant_float_layer_run(blob.get(), x.data(), pixels, 11, 1, 1, 1, 0, pixels,
                          0, n, y.data());
    for (int64_t p = 0; p < pixels; ++p)
      for (int64_t j = 0; j < n; ++j) {
        float v = x[size_t(p)] * float(j + 1);
        float got = y[size_t(p * n + j)];
        if (std::isnan(v))
          EXPECT_TRUE(std::isnan(got)) << p << " " << j;
        else
          EXPECT_EQ(got, v > init ? v : init) << p << " " << j;
      }
  }
}

} // namespace
