//===- Report.cpp - Markdown report of quant-bench-cpu --------------------===//
//
// Turns the measurements into the tables of bench/results/cpu-int8.md: the
// peaks, every peer as GOPS and as a fraction of its peak, the int8/fp32
// ratios of bar B3, the targets bars B1/B2 set for quant, and the small-M
// VNNI/AMX comparison behind B5, and the AVX2 and AVX-VNNI paths of quant
// and oneDNN.
// quant's VNNI kernel appears as its own rows and in the "quant" columns next
// to oneDNN's VNNI peer.
//
//===----------------------------------------------------------------------===//
#include "BenchCpuInt8.h"

#include "quant/Kernels/Int8Gemm.h"

#include <algorithm>
#include <cstdio>
#include <sstream>

namespace quant::bench {

namespace {
std::string fmt(const char *f, double v) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), f, v);
  return buf;
}

std::string shape(const Candidate &c) {
  return std::to_string(c.m) + "×" + std::to_string(c.k) + "×" +
         std::to_string(c.n);
}

double peakFor(const RunResult &r, const Candidate &c) {
  const Peaks &p = r.peaks;
  int t = c.threads - 1;
  return c.family == "amx" || c.family == "qamx"     ? p.amx[t]
         : c.family == "vnni" || c.family == "qvnni" ? p.vnni[t]
                                                     : p.fma[t];
}

const Candidate *find(const RunResult &r, const Candidate &like,
                      const std::string &family, const std::string &kind) {
  for (const Candidate &c : r.candidates)
    if (c.m == like.m && c.k == like.k && c.n == like.n &&
        c.threads == like.threads && c.family == family && c.kind == kind &&
        c.error.empty() && !c.gops.empty())
      return &c;
  return nullptr;
}

std::string ratio(const Candidate *a, const Candidate *b) {
  if (!a || !b)
    return "—";
  return fmt("%.2f×", a->median() / b->median());
}

/// A whole-layer peer (bias, requantization, u8 output): a section of its
/// own.
bool isLayer(const Candidate &c) { return c.kind == "lu8s8"; }

/// The AVX2 peers have a section of their own.
bool isAvx2(const Candidate &c) {
  return c.family == "avx2" || c.family == "qavx2" || c.family == "avx2vnni" ||
         c.family == "qavx2vnni";
}

std::string peerName(const Candidate &c) {
  if (c.family == "qvnni" || c.family == "qamx")
    return std::string(c.family == "qamx" ? "**quant AMX " : "**quant VNNI ") +
           (c.kind == "u8s8" ? "u8×s8" : "s8×s8") + "**";
  if (c.family == "fp32")
    return "oneDNN fp32";
  return std::string("oneDNN ") + (c.family == "amx" ? "AMX " : "VNNI ") +
         (c.kind == "u8s8" ? "u8×s8" : "s8×s8");
}
} // namespace

std::string renderReport(const RunResult &r) {
  std::ostringstream os;
  os << "# CPU int8 GEMM: machine peaks, oneDNN peers and quant's kernel\n\n";
  os << "Made by `scripts/bench-cpu-int8.sh` (`quant-bench-cpu`) on " << r.date
     << ".\n\nMachine: " << r.machine << ".\n\n";
  os << "Threads are pinned (CPUs";
  for (int c : r.cpus)
    os << " " << c;
  os << "); \"2 threads\" figures are the sum over both cores running at once. "
        "Each oneDNN configuration runs in its own process "
        "(`ONEDNN_MAX_CPU_ISA=AVX512_CORE_AMX`, `AVX512_CORE_VNNI`, `AVX2`, "
        "`AVX2_VNNI`, and no limit for fp32; `OMP_NUM_THREADS`/`OMP_PLACES` "
        "pin its "
        "threads), "
        "weights prepacked in oneDNN's chosen layout outside the timing, "
        "A u8/s8 row-major, C s32 row-major, both 64-byte aligned (oneDNN "
        "allocates its memory objects so; quant's are allocated likewise), "
        "no scales. Every peer was checked "
        "first (int8 exactly, the whole output of 37×300×71 and 64×1024×96, "
        "then 260 sampled entries of the benchmarked shape). quant's kernels "
        "(`mlir::qnt::kernels::gemmU8S8`/`gemmS8S8`, single-threaded; with 2 "
        "threads two pinned threads take half of the rows each, as the "
        "compiled code's parallel loop does with two threads; the "
        "small-M table "
        "stays 1-thread) run with `GemmPath::Vnni` (6×64 register "
        "tile) in the VNNI child and `GemmPath::Amx` (2×2 tiles of 16×16 "
        "i32, `tdpbusd`/`tdpbssd`) in the AMX child, weights packed outside "
        "the timing and no zero points, like the peers; they are checked the "
        "same way, the small shapes with zero points. Samples of the "
        "peers of one shape are interleaved (A B C A B C ...), one warm-up "
        "round, then "
     << r.samples
     << " rounds of ≥ 30 ms samples, each after 30 ms idle (a previous "
        "sample's OpenMP workers spin for milliseconds before they sleep); a "
        "block whose 20 ms VNNI probe before or "
        "after is under 75% of the best probe of the run (half-speed mode) is "
        "measured again, up to twice. GOPS: "
        "one multiply-add = 2 operations. Total run: "
     << fmt("%.0f", r.seconds) << " s.\n\n";

  os << "## Peaks (measured in this run, at the start and at the end; the "
        "tables use the higher)\n\n";
  os << "| peak | 1 thread start | 1 thread end | 2 threads start | 2 threads "
        "end | 2 threads per core |\n|---|---|---|---|---|---|\n";
  auto peakRow = [&](const char *name, const double *s, const double *e,
                     double scale, const char *unit) {
    os << "| " << name << " | " << fmt("%.0f", s[0] / scale) << " " << unit
       << " | " << fmt("%.0f", e[0] / scale) << " " << unit << " | "
       << fmt("%.0f", s[1] / scale) << " " << unit << " | "
       << fmt("%.0f", e[1] / scale) << " " << unit << " | "
       << fmt("%.0f", std::max(s[1], e[1]) / 2 / scale) << " " << unit
       << " |\n";
  };
  peakRow("VNNI int8 (`vpdpbusd zmm`, 12 chains)", r.peaksStart.vnni,
          r.peaksEnd.vnni, 1e9, "GOPS");
  if (r.amxAvailable)
    peakRow("AMX int8 (`tdpbssd`, 6 accumulator tiles)", r.peaksStart.amx,
            r.peaksEnd.amx, 1e9, "GOPS");
  else
    os << "| AMX int8 | AMX unavailable: " << r.amxWhy << " | | | | |\n";
  peakRow("fp32 FMA (`vfmadd231ps zmm`, 12 chains)", r.peaksStart.fma,
          r.peaksEnd.fma, 1e9, "GFLOPS");
  peakRow("streaming read, 2 GiB", r.peaksStart.readBw, r.peaksEnd.readBw, 1e9,
          "GB/s");
  os << "\n";

  for (int threads = 1; threads <= 2; ++threads) {
    os << "## " << threads << (threads == 1 ? " thread" : " threads")
       << ": shapes of bars B1–B3\n\n";
    os << "| M×K×N | peer | oneDNN implementation | GOPS median | GOPS best "
          "| % of peak | ÷ oneDNN fp32 | quant GOPS | quant ÷ peer |\n"
          "|---|---|---|---|---|---|---|---|---|\n";
    for (const Candidate &c : r.candidates) {
      if (c.threads != threads || c.smallM || isAvx2(c) || isLayer(c))
        continue;
      os << "| " << shape(c) << " | " << peerName(c) << " | ";
      if (!c.error.empty() || c.gops.empty()) {
        os << "failed: " << c.error << " | | | | | — | |\n";
        continue;
      }
      os << "`" << c.impl << "` | " << fmt("%.0f", c.median()) << " | "
         << fmt("%.0f", c.best()) << " | "
         << fmt("%.1f%%", 100 * c.median() * 1e9 / peakFor(r, c)) << " | "
         << (c.family == "fp32" ? "1" : ratio(&c, find(r, c, "fp32", "f32")))
         << " | ";
      // quant's kernel against the oneDNN peer of the same ISA and kind.
      bool amxSide = c.family == "amx" || c.family == "qamx";
      const Candidate *quant = find(r, c, amxSide ? "qamx" : "qvnni", c.kind);
      const Candidate *peer = c.family == "qvnni"  ? find(r, c, "vnni", c.kind)
                              : c.family == "qamx" ? find(r, c, "amx", c.kind)
                                                   : &c;
      if (c.family != "fp32")
        os << (quant ? fmt("%.0f", quant->median()) : std::string("—")) << " | "
           << ratio(quant, peer) << " |\n";
      else
        os << "— | — |\n";
    }
    os << "\n";
  }

  os << "## Layers: bias, requantization per column, u8 output\n\n"
        "What a compiled int8 matmul layer does, against oneDNN doing the "
        "same: u8 A, s8 weights prepacked outside the timing, an s32 bias "
        "and an f32 scale per output column, an output zero point and u8 "
        "saturation. oneDNN runs a matmul primitive with that bias, "
        "`set_output_scales` (mask: columns) and a destination zero point; "
        "quant runs `quant_layer_run` on the blob `packLayer` makes "
        "(requantization in the VNNI microkernel's epilogue), on one block "
        "of rows per thread as the compiled code's loop does. Checked first "
        "on sampled entries: quant exactly against round-half-to-even of "
        "f32(acc + bias) × scale, oneDNN within 1 of it (it applies bias "
        "and scale in its own order). The last column divides by quant's "
        "GEMM with i32 output on the same shape (the tables above).\n\n"
        "| M×K×N | threads | oneDNN implementation | oneDNN GOPS median | "
        "quant GOPS median | quant GOPS best | quant ÷ oneDNN | quant layer "
        "÷ quant GEMM |\n"
        "|---|---|---|---|---|---|---|---|\n";
  for (const Candidate &c : r.candidates) {
    if (!isLayer(c) || c.family != "qvnni")
      continue;
    const Candidate *peer = find(r, c, "vnni", "lu8s8");
    const Candidate *gemm = find(r, c, "qvnni", "u8s8");
    os << "| " << shape(c) << " | " << c.threads << " | ";
    if (!peer || !peer->error.empty() || peer->gops.empty())
      os << "failed: " << (peer ? peer->error : std::string("missing"))
         << " | — | ";
    else
      os << "`" << peer->impl << "` | " << fmt("%.0f", peer->median()) << " | ";
    if (!c.error.empty() || c.gops.empty()) {
      os << "failed: " << c.error << " | | | |\n";
      continue;
    }
    os << fmt("%.0f", c.median()) << " | " << fmt("%.0f", c.best()) << " | "
       << ratio(&c, peer) << " | " << ratio(&c, gemm) << " |\n";
  }
  os << "\n";

  os << "## Bar B3: int8 ÷ fp32 speedup (oneDNN medians)\n\n"
        "| M×K×N | threads | fp32 GFLOPS | VNNI u8×s8 | VNNI s8×s8 | AMX u8×s8 "
        "| AMX s8×s8 | quant VNNI (u8×s8 / s8×s8) | quant AMX |\n"
        "|---|---|---|---|---|---|---|---|---|\n";
  for (const Candidate &c : r.candidates) {
    if (c.smallM || c.family != "fp32" || !c.error.empty() || c.gops.empty())
      continue;
    os << "| " << shape(c) << " | " << c.threads << " | "
       << fmt("%.0f", c.median()) << " | "
       << ratio(find(r, c, "vnni", "u8s8"), &c) << " | "
       << ratio(find(r, c, "vnni", "s8s8"), &c) << " | "
       << ratio(find(r, c, "amx", "u8s8"), &c) << " | "
       << ratio(find(r, c, "amx", "s8s8"), &c) << " | ";
    const Candidate *qu = find(r, c, "qvnni", "u8s8");
    const Candidate *qs = find(r, c, "qvnni", "s8s8");
    if (qu || qs)
      os << ratio(qu, &c) << " / " << ratio(qs, &c);
    else
      os << "—";
    const Candidate *au = find(r, c, "qamx", "u8s8");
    const Candidate *as = find(r, c, "qamx", "s8s8");
    if (au || as)
      os << " | " << ratio(au, &c) << " / " << ratio(as, &c) << " |\n";
    else
      os << " | — |\n";
  }
  os << "\nBar: VNNI ≥ 3.5×, AMX ≥ 12× against oneDNN fp32.\n\n";

  os << "## What bars B1–B3 ask of quant's kernels, in GOPS\n\n"
        "B1: ≥ oneDNN VNNI and ≥ 70% of the VNNI peak; B2: ≥ 1.5× oneDNN "
        "AMX and ≥ 35% of the AMX peak; B3: 3.5× / 12× oneDNN fp32. Each cell "
        "is the larger requirement (u8×s8 / s8×s8), from this run's medians "
        "and peaks.\n\n"
        "| M×K×N | threads | B1 VNNI | B2 AMX | B3 VNNI | B3 AMX |\n"
        "|---|---|---|---|---|---|\n";
  for (const Candidate &c : r.candidates) {
    if (c.smallM || c.family != "fp32" || !c.error.empty() || c.gops.empty())
      continue;
    int t = c.threads - 1;
    auto need = [&](const std::string &family, double factor, double frac,
                    double peak) {
      std::string s;
      for (const char *kind : {"u8s8", "s8s8"}) {
        const Candidate *p = find(r, c, family, kind);
        s += (s.empty() ? "" : " / ") +
             (p ? fmt("%.0f", std::max(factor * p->median(), frac * peak / 1e9))
                : std::string("—"));
      }
      return s;
    };
    os << "| " << shape(c) << " | " << c.threads << " | "
       << need("vnni", 1.0, 0.70, r.peaks.vnni[t]) << " | "
       << (r.amxAvailable ? need("amx", 1.5, 0.35, r.peaks.amx[t]) : "—")
       << " | " << fmt("%.0f", 3.5 * c.median()) << " | "
       << fmt("%.0f", 12 * c.median()) << " |\n";
  }
  os << "\n";

  // The verdict per bar, from the same medians, so that an unmet bar says
  // by how much.
  os << "## Bars B1–B3: quant's kernels, met or not\n\n";
  for (const Candidate &c : r.candidates) {
    if (c.smallM || c.family != "fp32" || !c.error.empty() || c.gops.empty())
      continue;
    const int t = c.threads - 1;
    for (const char *kind : {"u8s8", "s8s8"}) {
      const Candidate *q = find(r, c, "qvnni", kind);
      const Candidate *peer = find(r, c, "vnni", kind);
      if (!q || !peer || q->gops.empty() || peer->gops.empty())
        continue;
      const double vsPeer = q->median() / peer->median();
      const double ofPeak = q->median() * 1e9 / r.peaks.vnni[t];
      const double vsFp32 = q->median() / c.median();
      auto verdict = [](bool met) { return met ? "met" : "**not met**"; };
      os << "- " << shape(c) << ", " << c.threads << " thread(s), "
         << (std::string(kind) == "u8s8" ? "u8×s8" : "s8×s8") << ": B1 "
         << fmt("%.2f×", vsPeer) << " oneDNN VNNI (" << verdict(vsPeer >= 1.0)
         << "), " << fmt("%.0f%%", 100 * ofPeak) << " of the VNNI peak ("
         << verdict(ofPeak >= 0.70) << "); B3 " << fmt("%.2f×", vsFp32)
         << " oneDNN fp32 (" << verdict(vsFp32 >= 3.5) << ")\n";
    }
  }
  if (!r.amxAvailable)
    os << "- B2 and the AMX half of B3: not measurable here (AMX "
          "unavailable).\n";
  os << "\n";

  os << "## Small M (bar B5 context): oneDNN VNNI vs AMX, u8×s8, K = N = "
        "4096\n\n"
        "| M | threads | VNNI GOPS | AMX GOPS | VNNI impl | AMX impl | faster "
        "| faster ÷ slower | quant VNNI GOPS | quant AMX GOPS | quant Auto "
        "picks |\n"
        "|---|---|---|---|---|---|---|---|---|---|---|\n";
  for (const Candidate &c : r.candidates) {
    if (!c.smallM || c.family != "vnni")
      continue;
    const Candidate *v = find(r, c, "vnni", "u8s8");
    const Candidate *a = find(r, c, "amx", "u8s8");
    os << "| " << c.m << " | " << c.threads << " | "
       << (v ? fmt("%.0f", v->median()) : "—") << " | "
       << (a ? fmt("%.0f", a->median()) : "—") << " | "
       << (v ? "`" + v->impl + "`" : "—") << " | "
       << (a ? "`" + a->impl + "`" : "—") << " | ";
    if (v && a) {
      bool amxFaster = a->median() > v->median();
      os << (amxFaster ? "AMX" : "VNNI") << " | "
         << fmt("%.2f×", amxFaster ? a->median() / v->median()
                                   : v->median() / a->median());
    } else {
      os << "— | —";
    }
    const Candidate *qv = find(r, c, "qvnni", "u8s8");
    const Candidate *qa = find(r, c, "qamx", "u8s8");
    os << " | " << (qv ? fmt("%.0f", qv->median()) : "—") << " | "
       << (qa ? fmt("%.0f", qa->median()) : "—") << " | "
       << (c.threads != 1                          ? "—"
           : c.m < mlir::qnt::kernels::kAmxMinRows ? "VNNI"
           : r.amxAvailable                        ? "AMX"
                                                   : "VNNI (no AMX)")
       << " |\n";
  }
  os << "\nquant's Auto rule: AMX from M ≥ kAmxMinRows = "
     << mlir::qnt::kernels::kAmxMinRows
     << " rows of A (when the CPU and kernel allow AMX), VNNI below.\n\n";

  os << "## Without AVX-512: quant's AVX2 and AVX-VNNI paths against "
        "oneDNN's (`ONEDNN_MAX_CPU_ISA=AVX2`, `AVX2_VNNI`), u8×s8\n\n"
        "AVX2 has no exact u8×s8 multiply-add: `vpmaddubsw` saturates each "
        "pair of products to i16. quant's AVX2 microkernel widens both "
        "operands to i16 (`vpmaddwd`) and is exact on full-range u8 A; "
        "oneDNN's AVX2 kernels are exact only for A below 128, so its AVX2 "
        "peer runs such data (the same work; timings do not depend on "
        "values). ";
  for (const Candidate &c : r.candidates)
    if (c.family == "avx2" && c.kind == "u8s8") {
      os << "With full-range A (" << shape(c) << ") oneDNN "
         << (c.error.empty() ? std::string("passed the exact check")
                             : "fails the exact check: `" + c.error + "`")
         << ". ";
      break;
    }
  os << "AVX-VNNI (`vpdpbusd` on ymm, Intel client cores from Alder Lake on) "
        "is exact for both.\n\n"
        "| M×K×N | threads | path | oneDNN implementation | oneDNN GOPS "
        "median | quant GOPS median | quant GOPS best | quant ÷ oneDNN | "
        "quant ÷ quant AVX-512 VNNI |\n"
        "|---|---|---|---|---|---|---|---|---|\n";
  for (const Candidate &c : r.candidates) {
    if ((c.family != "qavx2" && c.family != "qavx2vnni") || c.smallM)
      continue;
    const bool avx2 = c.family == "qavx2";
    const Candidate *peer =
        avx2 ? find(r, c, "avx2", "u7s8") : find(r, c, "avx2vnni", "u8s8");
    const Candidate *vnni = find(r, c, "qvnni", "u8s8");
    os << "| " << shape(c) << " | " << c.threads << " | "
       << (avx2 ? "AVX2 (oneDNN: A < 128)" : "AVX-VNNI") << " | "
       << (peer ? "`" + peer->impl + "`" : std::string("—")) << " | "
       << (peer ? fmt("%.0f", peer->median()) : std::string("—")) << " | ";
    if (!c.error.empty() || c.gops.empty()) {
      os << "failed: " << c.error << " | | | |\n";
      continue;
    }
    os << fmt("%.0f", c.median()) << " | " << fmt("%.0f", c.best()) << " | "
       << ratio(&c, peer) << " | " << ratio(&c, vnni) << " |\n";
  }
  os << "\n";

  os << "## Notes\n\n";
  if (r.notes.empty())
    os << "- No block showed the half-speed mode; no peer failed.\n";
  for (const std::string &n : r.notes)
    os << "- " << n << "\n";
  return os.str();
}

} // namespace quant::bench
