//===- BenchCpuInt8.h - Shared types of quant-bench-cpu ---------*- C++ -*-===//
//
// The measurements the driver collects and the report renders: machine peaks
// per thread count and, for every shape and peer, the samples taken.
//
//===----------------------------------------------------------------------===//
#ifndef QUANT_BENCH_CPUINT8_BENCHCPUINT8_H
#define QUANT_BENCH_CPUINT8_BENCHCPUINT8_H

#include <cstdint>
#include <string>
#include <vector>

namespace quant::bench {

/// Peaks in operations (or bytes) per second; index 0 is one thread, index 1
/// two threads running at once (the sum over both).
struct Peaks {
  double vnni[2] = {0, 0};
  double amx[2] = {0, 0};
  double fma[2] = {0, 0};
  double readBw[2] = {0, 0};
};

/// One peer on one shape and thread count.
struct Candidate {
  std::string id; ///< Name in the child process.
  /// "vnni", "amx", "avx2", "avx2vnni" or "fp32" (oneDNN), "qvnni" / "qamx"
  /// / "qavx2" / "qavx2vnni" (quant's VNNI / AMX / AVX2 / AVX-VNNI path):
  /// which peak it is held to.
  std::string family;
  /// "u8s8", "s8s8", "f32", or "u7s8": u8 A below 128, which oneDNN's AVX2
  /// int8 kernels need to be exact (their `vpmaddubsw` saturates pairs).
  std::string kind;
  int child = 0;    ///< Index of the child process that runs it.
  int threads = 1;
  int64_t m = 0, k = 0, n = 0;
  bool smallM = false; ///< Part of the small-M dispatch sweep (B5).
  std::string impl;    ///< oneDNN's implementation name.
  std::string error;   ///< Non-empty when creation or the check failed.
  double callSeconds = 0;
  int callsPerSample = 1;
  std::vector<double> gops; ///< One entry per timed sample.

  double median() const;
  double best() const;
};

/// Everything one run measured.
struct RunResult {
  std::string date, machine;
  Peaks peaksStart, peaksEnd, peaks; ///< `peaks` is the higher of the two.
  double probeBest[2] = {0, 0}; ///< Best short VNNI probe, per thread count.
  bool amxAvailable = false;
  bool avx2VnniAvailable = false;
  std::string amxWhy;
  std::vector<int> cpus;
  int samples = 0;
  std::vector<Candidate> candidates;
  std::vector<std::string> notes; ///< Half-speed episodes and other oddities.
  double seconds = 0;
};

/// Renders the Markdown report.
std::string renderReport(const RunResult &r);

/// The child-process mode: answers prep/run commands on stdin.
int runOneDnnChild();

/// The requantization of the layer peers (kind lu8s8): an s32 bias and an
/// f32 scale per column, one output zero point, u8 saturation.
struct LayerParams {
  std::vector<int32_t> bias;
  std::vector<float> scales;
  int32_t outputZeroPoint = 128;
  /// Output (i, j) by quant's float requantization: clamp(round half to
  /// even(f32(A[i,:] B[:,j] + bias[j]) * scale[j]) + zp, 0, 255).
  int reference(const uint8_t *aRow, const int8_t *b, int64_t k, int64_t n,
                int64_t j) const;
};

/// Bias and scales for a K-deep layer of N columns that spread random
/// full-range data over the u8 range.
LayerParams makeLayerParams(int64_t k, int64_t n, uint64_t seed);

/// Which of quant's GEMM paths a quant peer runs.
enum class QuantPath { Vnni, Amx, Avx2, Avx2Vnni };

/// quant's own kernel in the child (QuantPeer.cpp): `kind` is u8s8 or s8s8,
/// or lu8s8 for a matmul layer (quant_layer_run, VNNI path only).
/// Returns the reply to `prep`.
std::string prepareQuantPeer(const std::string &id, const std::string &kind,
                             int64_t m, int64_t k, int64_t n, QuantPath path);
/// Runs a prepared quant problem `calls` times; false if `id` is unknown.
bool runQuantPeer(const std::string &id, int calls, double &seconds);

} // namespace quant::bench

#endif // QUANT_BENCH_CPUINT8_BENCHCPUINT8_H
