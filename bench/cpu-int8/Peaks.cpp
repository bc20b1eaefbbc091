//===- Peaks.cpp - CPU detection, pinning and peak measurement ------------===//
//
// Compiled for baseline x86-64: it checks cpuid and asks Linux for AMX state
// before any ISA-specific kernel runs, and drives the kernels on pinned
// threads that start together.
//
//===----------------------------------------------------------------------===//
#include "Peaks.h"

#include "quant/Kernels/Int8Gemm.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cpuid.h>
#include <cstring>
#include <sched.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <thread>
#include <unistd.h>

namespace quant::bench {

namespace {
using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

/// Starts `threads` threads pinned to the first allowed CPUs; each waits
/// until all are running, then calls `body(index)`.
template <typename Body> void runPinned(int threads, Body body) {
  std::vector<int> cpus = allowedCpus();
  std::atomic<int> ready{0};
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    int cpu = cpus[t % cpus.size()];
    pool.emplace_back([&, t, cpu] {
      pinCurrentThread(cpu);
      ready.fetch_add(1);
      while (ready.load() < threads) {
      }
      body(t);
    });
  }
  for (std::thread &th : pool)
    th.join();
}
} // namespace

CpuFeatures detectCpuFeatures() {
  CpuFeatures f;
  unsigned eax, ebx, ecx, edx;
  if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx))
    return f;
  f.avx512f = ebx & (1u << 16);
  f.avx512vnni = ecx & (1u << 11);
  return f;
}

bool requestAmxPermission(std::string &why) {
  why = mlir::qnt::kernels::getAmxUnavailableReason();
  return why.empty();
}

std::vector<int> allowedCpus() {
  cpu_set_t set;
  CPU_ZERO(&set);
  std::vector<int> cpus;
  if (sched_getaffinity(0, sizeof(set), &set) == 0)
    for (int c = 0; c < CPU_SETSIZE; ++c)
      if (CPU_ISSET(c, &set))
        cpus.push_back(c);
  if (cpus.empty())
    cpus.push_back(0);
  return cpus;
}

bool pinCurrentThread(int cpu) {
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  return sched_setaffinity(0, sizeof(set), &set) == 0;
}

double measurePeak(PeakKernel kernel, int threads, double seconds,
                   int repeats) {
  // Calibrate on one pinned thread: grow the iteration count until a run
  // takes 10 ms, then scale to the requested duration.
  uint64_t iters = 1000;
  runPinned(1, [&](int) {
    for (;;) {
      Clock::time_point start = Clock::now();
      kernel(iters);
      double t = secondsSince(start);
      if (t > 0.01) {
        iters = std::max<uint64_t>(1, uint64_t(iters * seconds / t));
        break;
      }
      iters *= 4;
    }
  });
  double best = 0;
  for (int r = 0; r < repeats; ++r) {
    std::vector<double> rate(threads);
    runPinned(threads, [&](int t) {
      Clock::time_point start = Clock::now();
      uint64_t ops = kernel(iters);
      rate[t] = ops / secondsSince(start);
    });
    double total = 0;
    for (double x : rate)
      total += x;
    best = std::max(best, total);
  }
  return best;
}

double measureReadBandwidth(int threads, size_t bytes, int repeats) {
  void *mem = mmap(nullptr, bytes, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (mem == MAP_FAILED)
    return 0;
  madvise(mem, bytes, MADV_HUGEPAGE);
  char *base = static_cast<char *>(mem);
  size_t chunk = (bytes / threads) & ~size_t(255);
  // Each thread touches the part it will read.
  runPinned(threads,
            [&](int t) { std::memset(base + t * chunk, t + 1, chunk); });
  double best = 0;
  std::atomic<uint64_t> sink{0};
  for (int r = 0; r < repeats; ++r) {
    std::vector<Clock::time_point> begin(threads), end(threads);
    runPinned(threads, [&](int t) {
      begin[t] = Clock::now();
      sink += readStreamKernel(base + t * chunk, chunk);
      end[t] = Clock::now();
    });
    Clock::time_point first = *std::min_element(begin.begin(), begin.end());
    Clock::time_point last = *std::max_element(end.begin(), end.end());
    double t = std::chrono::duration<double>(last - first).count();
    best = std::max(best, double(chunk) * threads / t);
  }
  munmap(mem, bytes);
  return sink.load() == 1 ? best + 0 : best;
}

} // namespace quant::bench
