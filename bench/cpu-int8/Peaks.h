//===- Peaks.h - Machine peaks for the CPU int8 benchmark -------*- C++ -*-===//
//
// The denominators every benchmark figure is reported against, measured in the
// same run: VNNI (vpdpbusd zmm) and AMX (tdpbssd) int8 throughput, fp32 FMA
// throughput and streaming read bandwidth, on pinned threads.
//
//===----------------------------------------------------------------------===//
#ifndef QUANT_BENCH_CPUINT8_PEAKS_H
#define QUANT_BENCH_CPUINT8_PEAKS_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace quant::bench {

/// A throughput kernel: runs `iters` iterations on the calling thread and
/// returns the number of operations done (one multiply-add is two).
using PeakKernel = uint64_t (*)(uint64_t iters);

/// 12 independent `vpdpbusd zmm` chains (PeakVnni.cpp, -mavx512vnni).
uint64_t vnniPeakKernel(uint64_t iters);
/// 6 independent `tdpbssd` accumulator tiles (PeakAmx.cpp, -mamx-int8). The
/// process must have been granted AMX state (requestAmxPermission).
uint64_t amxPeakKernel(uint64_t iters);
/// 12 independent `vfmadd231ps zmm` chains (PeakFma.cpp).
uint64_t fmaPeakKernel(uint64_t iters);
/// Reads `bytes` (a multiple of 256, 64-byte aligned) with 512-bit loads and
/// returns a checksum (Bandwidth.cpp).
uint64_t readStreamKernel(const void *data, size_t bytes);

/// What cpuid says about the instruction sets the benchmark uses.
struct CpuFeatures {
  bool avx512f = false;
  bool avx512vnni = false;
};
CpuFeatures detectCpuFeatures();

/// Asks Linux for the AMX tile data state (through the kernel library, once
/// per process). Returns false with the reason in `why` when the CPU or
/// kernel refuses.
bool requestAmxPermission(std::string &why);

/// The CPUs this process may run on, in order.
std::vector<int> allowedCpus();
/// Pins the calling thread to `cpu`.
bool pinCurrentThread(int cpu);

/// Runs `kernel` on `threads` threads pinned to the first allowed CPUs, all
/// at once, each for about `seconds`, and returns the best of `repeats` of the
/// sum of the per-thread rates (operations per second).
double measurePeak(PeakKernel kernel, int threads, double seconds, int repeats);

/// Streams over a buffer of `bytes` split between `threads` pinned threads
/// and returns the best of `repeats` read bandwidths in bytes per second.
double measureReadBandwidth(int threads, size_t bytes, int repeats);

} // namespace quant::bench

#endif // QUANT_BENCH_CPUINT8_PEAKS_H
