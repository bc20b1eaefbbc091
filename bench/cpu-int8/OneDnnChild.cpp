//===- OneDnnChild.cpp - oneDNN matmul peers, driven over a pipe ----------===//
//
// oneDNN reads ONEDNN_MAX_CPU_ISA and OMP_NUM_THREADS once per process, so
// every (ISA, threads) configuration runs in its own child process started by
// the parent with those variables set. The child answers line commands on
// stdin, so the parent can interleave peers living in different processes:
//
//   prep <id> <u8s8|u7s8|s8s8|f32> <M> <K> <N>
//                                          -> ok <seconds per call> <impl>
//   prep <id> lu8s8 <M> <K> <N>            -> a layer: u8 x s8 + s32 bias,
//                                             requantized per column to u8
//   prep <id> qlu8s8 <M> <K> <N>           -> the same layer on quant's kernels
//   prep <id> <qu8s8|qs8s8> <M> <K> <N>    -> the same for quant's VNNI path
//   prep <id> <au8s8|as8s8> <M> <K> <N>    -> the same for quant's AMX path
//   prep <id> <xu8s8|xs8s8> <M> <K> <N>    -> the same for quant's AVX2 path
//   prep <id> <wu8s8|ws8s8> <M> <K> <N>    -> ... and its AVX-VNNI path
//   run <id> <calls>                       -> t <seconds for all calls>
//   quit
//
// `prep` creates the primitive (weights prepacked in oneDNN's chosen layout,
// outside the timing, as a compiler would for constant weights), checks it
// against a reference first on a small shape (the whole output, once per
// data type) and then on sampled entries of the benchmarked shape. Int8
// results must be exact.
//
//===----------------------------------------------------------------------===//
#include "BenchCpuInt8.h"

#include "oneapi/dnnl/dnnl.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

namespace quant::bench {

namespace {
using dt = dnnl::memory::data_type;
using tag = dnnl::memory::format_tag;

/// A small, fast deterministic generator for test data.
struct SplitMix {
  uint64_t state;
  uint64_t next() {
    uint64_t z = (state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
};

/// One benchmarked matmul: C[M,N] = A[M,K] * B[K,N], A and C row-major.
struct Problem {
  std::string kind;
  int64_t m, k, n;
  dnnl::matmul prim;
  dnnl::memory src, wei, dst;
  std::unordered_map<int, dnnl::memory> args;
  std::vector<uint8_t> bPlain; // K x N row-major copy of the weights
  std::string impl;
  LayerParams layer; // lu8s8 only
};

struct Session {
  dnnl::engine eng{dnnl::engine::kind::cpu, 0};
  dnnl::stream strm{eng};
  std::map<std::string, std::unique_ptr<Problem>> problems;
  std::map<std::string, std::string> smallChecked;
};

size_t elemSize(const std::string &kind) { return kind == "f32" ? 4 : 1; }

/// Creates the primitive and fills A and B with random values.
std::unique_ptr<Problem> makeProblem(Session &s, const std::string &kind,
                                     int64_t m, int64_t k, int64_t n,
                                     uint64_t seed) {
  auto p = std::make_unique<Problem>();
  p->kind = kind;
  p->m = m;
  p->k = k;
  p->n = n;
  const bool layer = kind == "lu8s8";
  const bool aUnsigned = kind == "u8s8" || kind == "u7s8" || layer;
  dt srcDt = kind == "f32" ? dt::f32 : aUnsigned ? dt::u8 : dt::s8;
  dt weiDt = kind == "f32" ? dt::f32 : dt::s8;
  dt dstDt = kind == "f32" ? dt::f32 : layer ? dt::u8 : dt::s32;
  dnnl::memory::desc aMd({m, k}, srcDt, tag::ab);
  dnnl::memory::desc bMd({k, n}, weiDt, tag::any);
  dnnl::memory::desc cMd({m, n}, dstDt, tag::ab);
  dnnl::memory::desc biasMd({1, n}, dt::s32, tag::ab);
  // A layer: s32 bias, a scale per column (mask: dimension 1) and the
  // output zero point, u8 saturation.
  dnnl::primitive_attr attr;
  if (layer) {
    p->layer = makeLayerParams(k, n, seed);
    attr.set_output_scales(1 << 1, p->layer.scales);
    attr.set_zero_points(DNNL_ARG_DST, 0, {p->layer.outputZeroPoint});
  }
  dnnl::matmul::desc desc = layer ? dnnl::matmul::desc(aMd, bMd, biasMd, cMd)
                                  : dnnl::matmul::desc(aMd, bMd, cMd);
  dnnl::matmul::primitive_desc pd(desc, attr, s.eng);
  p->impl = pd.impl_info_str();
  p->prim = dnnl::matmul(pd);
  p->src = dnnl::memory(pd.src_desc(), s.eng);
  p->wei = dnnl::memory(pd.weights_desc(), s.eng);
  p->dst = dnnl::memory(pd.dst_desc(), s.eng);

  SplitMix rng{seed};
  size_t es = elemSize(kind);
  auto fill = [&](void *data, size_t count) {
    if (kind == "f32") {
      float *f = static_cast<float *>(data);
      for (size_t i = 0; i < count; ++i)
        f[i] = float(int64_t(rng.next() % 2001) - 1000) / 1000.0f;
    } else {
      uint8_t *b = static_cast<uint8_t *>(data);
      for (size_t i = 0; i < count; ++i)
        b[i] = uint8_t(rng.next());
    }
  };
  fill(p->src.get_data_handle(), size_t(m * k));
  if (kind == "u7s8")
    for (size_t i = 0; i < size_t(m * k); ++i)
      static_cast<uint8_t *>(p->src.get_data_handle())[i] &= 0x7f;
  p->bPlain.resize(size_t(k * n) * es);
  fill(p->bPlain.data(), size_t(k * n));
  dnnl::memory plain({{k, n}, weiDt, tag::ab}, s.eng, p->bPlain.data());
  dnnl::reorder(plain, p->wei).execute(s.strm, plain, p->wei);
  s.strm.wait();
  p->args = {{DNNL_ARG_SRC, p->src},
             {DNNL_ARG_WEIGHTS, p->wei},
             {DNNL_ARG_DST, p->dst}};
  if (layer)
    p->args[DNNL_ARG_BIAS] = dnnl::memory(biasMd, s.eng, p->layer.bias.data());
  return p;
}

void execute(Session &s, Problem &p) {
  p.prim.execute(s.strm, p.args);
  s.strm.wait();
}

/// Compares output entry (i, j) against a plain dot product. Int8 must match
/// exactly; fp32 within a bound relative to sum |a||b|.
bool checkEntry(const Problem &p, int64_t i, int64_t j, std::string &err) {
  const void *a = p.src.get_data_handle();
  const void *c = p.dst.get_data_handle();
  if (p.kind == "f32") {
    const float *af = static_cast<const float *>(a);
    const float *bf = reinterpret_cast<const float *>(p.bPlain.data());
    double ref = 0, mag = 0;
    for (int64_t q = 0; q < p.k; ++q) {
      double x = double(af[i * p.k + q]) * bf[q * p.n + j];
      ref += x;
      mag += std::fabs(x);
    }
    double got = static_cast<const float *>(c)[i * p.n + j];
    if (std::fabs(got - ref) <= 1e-5 * mag + 1e-6)
      return true;
    std::ostringstream os;
    os << "C[" << i << "," << j << "]=" << got << " expected " << ref;
    err = os.str();
    return false;
  }
  const int8_t *b = reinterpret_cast<const int8_t *>(p.bPlain.data());
  if (p.kind == "lu8s8") {
    // oneDNN applies bias and scale in its own order: within 1 of the
    // definition (quant's check is exact).
    const auto *au8 = static_cast<const uint8_t *>(a);
    int want = p.layer.reference(au8 + i * p.k, b, p.k, p.n, j);
    int got = static_cast<const uint8_t *>(c)[i * p.n + j];
    if (std::abs(got - want) <= 1)
      return true;
    std::ostringstream os;
    os << "C[" << i << "," << j << "]=" << got << " expected " << want;
    err = os.str();
    return false;
  }
  int64_t ref = 0;
  for (int64_t q = 0; q < p.k; ++q) {
    int32_t av = p.kind == "u8s8" || p.kind == "u7s8"
                     ? int32_t(static_cast<const uint8_t *>(a)[i * p.k + q])
                     : int32_t(static_cast<const int8_t *>(a)[i * p.k + q]);
    ref += int64_t(av) * b[q * p.n + j];
  }
  int32_t got = static_cast<const int32_t *>(c)[i * p.n + j];
  if (got == ref)
    return true;
  std::ostringstream os;
  os << "C[" << i << "," << j << "]=" << got << " expected " << ref;
  err = os.str();
  return false;
}

/// Checks every entry of a small problem, or `samples` random entries (and
/// the four corners) of a large one.
bool checkProblem(const Problem &p, int samples, std::string &err) {
  if (samples <= 0) {
    for (int64_t i = 0; i < p.m; ++i)
      for (int64_t j = 0; j < p.n; ++j)
        if (!checkEntry(p, i, j, err))
          return false;
    return true;
  }
  SplitMix rng{77};
  int64_t corners[4][2] = {
      {0, 0}, {0, p.n - 1}, {p.m - 1, 0}, {p.m - 1, p.n - 1}};
  for (auto &c : corners)
    if (!checkEntry(p, c[0], c[1], err))
      return false;
  for (int t = 0; t < samples; ++t)
    if (!checkEntry(p, int64_t(rng.next() % p.m), int64_t(rng.next() % p.n),
                    err))
      return false;
  return true;
}

std::string noSpaces(std::string s) {
  for (char &c : s)
    if (c == ' ')
      c = '_';
  return s;
}

/// Handles `prep`; returns the reply line.
std::string prepare(Session &s, const std::string &id, const std::string &kind,
                    int64_t m, int64_t k, int64_t n) {
  if (kind != "u8s8" && kind != "u7s8" && kind != "s8s8" && kind != "f32" &&
      kind != "lu8s8")
    return "err unknown kind " + kind;
  std::string err;
  // Small shapes that are not multiples of any block size, once per kind.
  if (!s.smallChecked.count(kind)) {
    for (auto [sm, sk, sn] : {std::tuple<int, int, int>{37, 300, 71},
                              std::tuple<int, int, int>{64, 1024, 96}}) {
      std::unique_ptr<Problem> small = makeProblem(s, kind, sm, sk, sn, 5);
      execute(s, *small);
      if (!checkProblem(*small, 0, err))
        return "err small-shape " + small->impl + " " + noSpaces(err);
    }
    s.smallChecked[kind] = "ok";
  }
  std::unique_ptr<Problem> p = makeProblem(s, kind, m, k, n, 11);
  execute(s, *p);
  if (!checkProblem(*p, 256, err))
    return "err " + p->impl + " " + noSpaces(err);
  // One more warm call, then time one call to size the samples.
  execute(s, *p);
  auto start = std::chrono::steady_clock::now();
  execute(s, *p);
  double t =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  std::string impl = noSpaces(p->impl);
  s.problems[id] = std::move(p);
  std::ostringstream os;
  os << "ok " << t << " " << impl;
  return os.str();
}
} // namespace

int runOneDnnChild() {
  Session s;
  std::string line;
  while (std::getline(std::cin, line)) {
    std::istringstream in(line);
    std::string cmd;
    in >> cmd;
    std::string reply;
    try {
      if (cmd == "prep") {
        std::string id, kind;
        int64_t m = 0, k = 0, n = 0;
        in >> id >> kind >> m >> k >> n;
        // "q<kind>" / "a<kind>" / "x<kind>" / "w<kind>": quant's own
        // kernel (VNNI / AMX / AVX2 / AVX-VNNI path) rather than oneDNN.
        static const std::map<char, QuantPath> quantPaths = {
            {'q', QuantPath::Vnni},
            {'a', QuantPath::Amx},
            {'x', QuantPath::Avx2},
            {'w', QuantPath::Avx2Vnni}};
        auto quant = kind.empty() ? quantPaths.end() : quantPaths.find(kind[0]);
        reply =
            quant != quantPaths.end()
                ? prepareQuantPeer(id, kind.substr(1), m, k, n, quant->second)
                : prepare(s, id, kind, m, k, n);
      } else if (cmd == "run") {
        std::string id;
        int calls = 0;
        in >> id >> calls;
        // Idle first: libgomp's workers spin for milliseconds after a
        // parallel region (GOMP_SPINCOUNT pauses) on the cores this
        // sample's threads are pinned to; by now they sleep, whichever peer
        // ran before (without this, quant's u8 x s8 two-thread samples,
        // which follow oneDNN's, measured 12% below its s8 x s8 ones).
        std::this_thread::sleep_for(std::chrono::milliseconds(30));
        auto it = s.problems.find(id);
        double quantSeconds = 0;
        if (it == s.problems.end() && runQuantPeer(id, calls, quantSeconds)) {
          std::ostringstream os;
          os << "t " << quantSeconds;
          reply = os.str();
        } else if (it == s.problems.end()) {
          reply = "err unknown problem " + id;
        } else {
          auto start = std::chrono::steady_clock::now();
          for (int c = 0; c < calls; ++c)
            execute(s, *it->second);
          std::ostringstream os;
          os << "t "
             << std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                              start)
                    .count();
          reply = os.str();
        }
      } else if (cmd == "quit") {
        return 0;
      } else {
        reply = "err unknown command " + cmd;
      }
    } catch (const dnnl::error &e) {
      reply = std::string("err oneDNN: ") + noSpaces(e.what());
    }
    std::cout << reply << std::endl;
  }
  return 0;
}

} // namespace quant::bench
