//===- QuantPeer.cpp - quant's own int8 GEMM as a benchmark candidate -----===//
//
// Runs mlir::qnt::kernels::gemmU8S8 / gemmS8S8 (weights packed once, outside
// the timing) on its VNNI path inside the VNNI child process, on its AMX
// path inside the AMX child, and on its AVX2 and AVX-VNNI paths inside the
// children limited to those, so its
// samples interleave with oneDNN's peer of the same ISA exactly like the oneDNN
// peers do with each other. The kernels are single-threaded; with two threads
// (the child's OMP_NUM_THREADS) an OpenMP team of two splits the rows in
// halves, as the compiled code's parallel loop over row blocks does. Before
// timing, the kernel is checked bit-exactly against a plain loop with zero
// points on two small shapes (the whole output), then without zero points (as
// the oneDNN peers run) on sampled entries of the benchmarked one. The
// layer peer (kind lu8s8) runs a packLayer blob through quant_layer_run,
// as compiled code calls it, checked exactly against the definition of the
// float requantization.
//
//===----------------------------------------------------------------------===//
#include "BenchCpuInt8.h"
#include "Peaks.h"

#include "quant/Kernels/Int8Gemm.h"
#include "quant/Kernels/QuantizedLayer.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <map>
#include <memory>
#include <new>
#include <omp.h>
#include <random>
#include <sstream>
#include <vector>

namespace quant::bench {
namespace qk = mlir::qnt::kernels;

namespace {
/// Threads of this child: its OMP_NUM_THREADS, pinned by its OMP_PLACES.
bool twoThreads() { return omp_get_max_threads() >= 2; }

/// Runs block(0, m) on this thread, or with two threads block(0, half) and
/// block(half, m) on a team of two: the one oneDNN's peers in this process
/// use (same runtime, same pinning and spinning).
template <typename Block> void runRows(int64_t m, int64_t half, Block block) {
  if (!twoThreads() || half <= 0 || half >= m) {
    block(0, m);
    return;
  }
#pragma omp parallel num_threads(2)
  {
    if (omp_get_thread_num() == 0)
      block(0, half);
    else
      block(half, m);
  }
}

/// Sizes and random full-range A (M x K) and B (K x N) of a problem.
template <typename Problem>
void fillOperands(Problem &p, int64_t m, int64_t k, int64_t n,
                  std::mt19937 &rng) {
  p.m = m;
  p.k = k;
  p.n = n;
  p.a.resize(size_t(m * k));
  for (uint8_t &x : p.a)
    x = uint8_t(rng());
  p.b.resize(size_t(k * n));
  for (int8_t &x : p.b)
    x = int8_t(rng());
}

/// Whether got == want; otherwise `err` names the entry.
bool matches(int64_t m, int64_t k, int64_t n, int64_t i, int64_t j, int64_t got,
             int64_t want, std::string &err) {
  if (got == want)
    return true;
  std::ostringstream os;
  os << m << "x" << k << "x" << n << ":C[" << i << "," << j << "]=" << got
     << "_expected_" << want;
  err = os.str();
  return false;
}

/// 64-byte aligned storage, as oneDNN allocates its memory objects: C rows
/// of whole vectors and AMX tile rows then store without splitting lines.
template <typename T> struct Aligned64 {
  using value_type = T;
  Aligned64() = default;
  template <typename U> Aligned64(const Aligned64<U> &) {}
  T *allocate(size_t count) {
    void *p = std::aligned_alloc(64, (count * sizeof(T) + 63) / 64 * 64);
    if (!p)
      throw std::bad_alloc();
    return static_cast<T *>(p);
  }
  void deallocate(T *p, size_t) { std::free(p); }
  bool operator==(const Aligned64 &) const { return true; }
  bool operator!=(const Aligned64 &) const { return false; }
};

struct QuantProblem {
  bool aSigned = false;
  qk::GemmOptions options;
  int64_t m = 0, k = 0, n = 0;
  int32_t zpA = 0;
  std::vector<int32_t> zpB; // empty: no zero point
  std::vector<uint8_t, Aligned64<uint8_t>> a;
  std::vector<int8_t> b;
  qk::PackedWeights packed;
  std::vector<int32_t, Aligned64<int32_t>> c;

  /// Rows [r0, r1) of C.
  void runBlock(int64_t r0, int64_t r1) {
    const int32_t *zp = zpB.empty() ? nullptr : zpB.data();
    const uint8_t *rows = a.data() + r0 * k;
    int32_t *out = c.data() + r0 * n;
    if (aSigned)
      qk::gemmS8S8(reinterpret_cast<const int8_t *>(rows), k, r1 - r0, packed,
                   zpA, zp, out, n, options);
    else
      qk::gemmU8S8(rows, k, r1 - r0, packed, zpA, zp, out, n, options);
  }

  /// With two threads, halves of the rows, like the compiled code's parallel
  /// loop (a block of rows per thread). Halves of the columns, where each core
  /// packs all of A, measured slower on every shape of the tables
  /// (512x1024x1024, outside the harness: median 1150 against 1360 GOPS).
  void run() {
    // On a 32-row boundary (the AMX block), from 64 rows on.
    runRows(m, m < 64 ? 0 : (m / 2 + 31) / 32 * 32,
            [this](int64_t r0, int64_t r1) { runBlock(r0, r1); });
  }

  /// Entry (i, j) from the definition, in 64-bit, truncated like the kernel.
  int32_t reference(int64_t i, int64_t j) const {
    int64_t s = 0;
    for (int64_t q = 0; q < k; ++q) {
      uint8_t raw = a[size_t(i * k + q)];
      int64_t av = aSigned ? int64_t(int8_t(raw)) : int64_t(raw);
      s += (av - zpA) * (b[size_t(q * n + j)] - (zpB.empty() ? 0 : zpB[j]));
    }
    return int32_t(uint32_t(uint64_t(s)));
  }

  bool check(int64_t i, int64_t j, std::string &err) const {
    return matches(m, k, n, i, j, c[size_t(i * n + j)], reference(i, j), err);
  }
};

std::unique_ptr<QuantProblem> makeProblem(bool aSigned, int64_t m, int64_t k,
                                          int64_t n, bool zeroPoints,
                                          unsigned seed, qk::GemmPath path) {
  auto p = std::make_unique<QuantProblem>();
  p->aSigned = aSigned;
  p->options.path = path;
  std::mt19937 rng(seed);
  fillOperands(*p, m, k, n, rng);
  if (zeroPoints) {
    p->zpA = aSigned ? -5 : 130;
    for (int64_t j = 0; j < n; ++j)
      p->zpB.push_back(int32_t(rng() % 256) - 128);
  }
  p->packed = qk::packWeights(p->b.data(), k, n, n);
  p->c.assign(size_t(m * n), 0);
  return p;
}

std::map<std::string, std::unique_ptr<QuantProblem>> &problems() {
  static std::map<std::string, std::unique_ptr<QuantProblem>> map;
  return map;
}

/// Runs `p`, checks its corners and 256 sampled entries, then times one
/// warm call into `seconds`.
template <typename Problem>
bool checkAndTime(Problem &p, double &seconds, std::string &err) {
  const int64_t m = p.m, n = p.n;
  p.run();
  std::mt19937_64 rng(77);
  int64_t corners[4][2] = {{0, 0}, {0, n - 1}, {m - 1, 0}, {m - 1, n - 1}};
  for (auto &c : corners)
    if (!p.check(c[0], c[1], err))
      return false;
  for (int t = 0; t < 256; ++t)
    if (!p.check(int64_t(rng() % uint64_t(m)), int64_t(rng() % uint64_t(n)),
                 err))
      return false;
  p.run();
  auto start = std::chrono::steady_clock::now();
  p.run();
  seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  return true;
}

/// A matmul layer as the compiled code runs it: a blob of packLayer (bias,
/// float multipliers, u8 output), quant_layer_run on one block of rows per
/// thread, the requantization in the VNNI microkernel's epilogue.
struct LayerProblem {
  int64_t m = 0, k = 0, n = 0;
  std::vector<uint8_t, Aligned64<uint8_t>> a, blob, c;
  std::vector<int8_t> b;
  LayerParams params;

  void runBlock(int64_t r0, int64_t r1) {
    quant_layer_run(blob.data(), a.data(), k, 1, 0, 0, m, r0, r1, 0, n,
                    c.data());
  }
  void run() {
    // Equal halves from 2 x 48 rows on, as the compiled code's tasks.
    runRows(m, m < 2 * 48 ? 0 : (m + 1) / 2,
            [this](int64_t r0, int64_t r1) { runBlock(r0, r1); });
  }
  bool check(int64_t i, int64_t j, std::string &err) const {
    return matches(m, k, n, i, j, c[size_t(i * n + j)],
                   params.reference(a.data() + i * k, b.data(), k, n, j), err);
  }
};

std::unique_ptr<LayerProblem> makeLayer(int64_t m, int64_t k, int64_t n,
                                        unsigned seed, std::string &err) {
  auto p = std::make_unique<LayerProblem>();
  std::mt19937 rng(seed);
  fillOperands(*p, m, k, n, rng);
  p->params = makeLayerParams(k, n, seed);
  qk::LayerSpec spec;
  spec.kind = qk::LayerKind::Matmul;
  spec.k = k;
  spec.n = n;
  spec.weights = p->b;
  spec.bias = p->params.bias;
  spec.output = qk::LayerOutput::U8;
  spec.rescale = qk::LayerRescale::Float;
  spec.floatMultipliers = p->params.scales;
  spec.outputZeroPoint = p->params.outputZeroPoint;
  spec.clampMin = 0;
  spec.clampMax = 255;
  std::vector<uint8_t> blob = qk::packLayer(spec, err);
  if (blob.empty())
    return nullptr;
  p->blob.assign(blob.begin(), blob.end());
  p->c.assign(size_t(m * n), 0);
  return p;
}

std::map<std::string, std::unique_ptr<LayerProblem>> &layers() {
  static std::map<std::string, std::unique_ptr<LayerProblem>> map;
  return map;
}

std::string prepareLayer(const std::string &id, int64_t m, int64_t k,
                         int64_t n) {
  std::string err;
  for (auto [sm, sk, sn] : {std::tuple<int, int, int>{37, 300, 71},
                            std::tuple<int, int, int>{64, 1100, 96}}) {
    auto small = makeLayer(sm, sk, sn, 5, err);
    if (!small)
      return "err quant layer: " + err;
    small->run();
    for (int64_t i = 0; i < sm; ++i)
      for (int64_t j = 0; j < sn; ++j)
        if (!small->check(i, j, err))
          return "err quant layer " + err;
  }
  auto p = makeLayer(m, k, n, 11, err);
  if (!p)
    return "err quant layer: " + err;
  double t = 0;
  if (!checkAndTime(*p, t, err))
    return "err quant layer " + err;
  layers()[id] = std::move(p);
  std::ostringstream os;
  os << "ok " << t << " quant:layer_avx512_vnni_fused_requant"
     << (twoThreads() ? "_2_row_halves" : "");
  return os.str();
}
} // namespace

LayerParams makeLayerParams(int64_t k, int64_t n, uint64_t seed) {
  // Random full-range u8 x s8 sums have a standard deviation of about
  // sqrt(K) * 147.5 * 73.9; scales put +-2 of them over the u8 range.
  std::mt19937 rng(unsigned(seed) * 2654435761u + 1);
  const double sigma = std::sqrt(double(k)) * 147.5 * 73.9;
  LayerParams p;
  for (int64_t j = 0; j < n; ++j) {
    p.bias.push_back(int32_t(int64_t(rng() % 2001) - 1000) *
                     int32_t(sigma / 4000));
    p.scales.push_back(float((0.75 + double(rng() % 501) / 1000) * 64 / sigma));
  }
  return p;
}

int LayerParams::reference(const uint8_t *aRow, const int8_t *b, int64_t k,
                           int64_t n, int64_t j) const {
  int64_t acc = bias[size_t(j)];
  for (int64_t q = 0; q < k; ++q)
    acc += int64_t(aRow[q]) * b[q * n + j];
  float scaled = float(acc) * scales[size_t(j)];
  long q = std::lrint(scaled) + outputZeroPoint; // half to even
  return int(std::clamp<long>(q, 0, 255));
}

std::string prepareQuantPeer(const std::string &id, const std::string &kind,
                             int64_t m, int64_t k, int64_t n,
                             QuantPath quantPath) {
  if (kind == "lu8s8")
    return quantPath == QuantPath::Vnni && qk::cpuHasVnni()
               ? prepareLayer(id, m, k, n)
               : "err quant: layers run here on the VNNI path only";
  if (kind != "u8s8" && kind != "s8s8")
    return "err quant has no kernel for " + kind;
  if (quantPath == QuantPath::Vnni && !qk::cpuHasVnni())
    return "err quant: this CPU has no AVX-512 VNNI";
  if (quantPath == QuantPath::Amx && !qk::cpuHasAmx())
    return "err quant: no AMX-INT8 (cpuid or arch_prctl)";
  if (quantPath == QuantPath::Avx2 && !qk::cpuHasAvx2())
    return "err quant: this CPU has no AVX2";
  if (quantPath == QuantPath::Avx2Vnni && !qk::cpuHasAvx2Vnni())
    return "err quant: this CPU has no AVX-VNNI";
  const qk::GemmPath path = quantPath == QuantPath::Amx    ? qk::GemmPath::Amx
                            : quantPath == QuantPath::Avx2 ? qk::GemmPath::Avx2
                            : quantPath == QuantPath::Avx2Vnni
                                ? qk::GemmPath::Avx2Vnni
                                : qk::GemmPath::Vnni;
  std::vector<int> cpus = allowedCpus();
  if (!cpus.empty())
    pinCurrentThread(cpus[0]);
  bool aSigned = kind == "s8s8";
  std::string err;
  for (auto [sm, sk, sn] : {std::tuple<int, int, int>{37, 300, 71},
                            std::tuple<int, int, int>{64, 1024, 96}}) {
    auto small = makeProblem(aSigned, sm, sk, sn, /*zeroPoints=*/true, 5, path);
    if (!small->packed.valid())
      return "err quant: packing failed";
    small->run();
    for (int64_t i = 0; i < sm; ++i)
      for (int64_t j = 0; j < sn; ++j)
        if (!small->check(i, j, err))
          return "err quant " + err;
  }
  auto p = makeProblem(aSigned, m, k, n, /*zeroPoints=*/false, 11, path);
  if (!p->packed.valid())
    return "err quant: packing failed";
  double t = 0;
  if (!checkAndTime(*p, t, err))
    return "err quant " + err;
  problems()[id] = std::move(p);
  std::ostringstream os;
  os << "ok " << t
     << (quantPath == QuantPath::Amx        ? " quant:amx_2x2_tiles"
         : quantPath == QuantPath::Avx2     ? " quant:avx2_6x8"
         : quantPath == QuantPath::Avx2Vnni ? " quant:avx_vnni_6x16"
                                            : " quant:avx512_vnni_6x64")
     << (twoThreads() ? "_2_row_halves" : "");
  return os.str();
}

bool runQuantPeer(const std::string &id, int calls, double &seconds) {
  auto it = problems().find(id);
  auto layer = layers().find(id);
  if (it == problems().end() && layer == layers().end())
    return false;
  auto start = std::chrono::steady_clock::now();
  for (int c = 0; c < calls; ++c) {
    if (layer != layers().end())
      layer->second->run();
    else
      it->second->run();
  }
  seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  return true;
}

} // namespace quant::bench
