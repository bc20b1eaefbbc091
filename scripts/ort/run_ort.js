// Runs an ONNX model with ONNX Runtime (CPU) on .npy inputs and writes each
// output as <outdir>/output_<i>.npy, so tests can compare quant-run with
// ONNX Runtime exactly.
//
//   node run_ort.js MODEL.onnx OUTDIR NAME=INPUT.npy ...
//
// QUANT_ORT_OPT=disabled|basic|extended|all (default all) sets the graph
// optimization level; "disabled" runs QDQ graphs as written (float kernels
// between QuantizeLinear/DequantizeLinear), "all" fuses them into integer
// kernels. QUANT_ORT_THREADS=N sets the intra-op threads (default: ORT's).
// QUANT_ORT_BENCH=N then times N more runs (after 10 warm-up runs) and
// prints "benchmark: N runs, median X ms, min Y ms" like quant-run.
"use strict";
const fs = require("fs");
const path = require("path");
const ort = require("onnxruntime-node");

const DTYPES = {
  "<f4": ["float32", Float32Array], "<f8": ["float64", Float64Array],
  "|i1": ["int8", Int8Array], "|u1": ["uint8", Uint8Array],
  "<i2": ["int16", Int16Array], "<i4": ["int32", Int32Array],
  "<i8": ["int64", BigInt64Array], "|b1": ["bool", Uint8Array],
};

function readNpy(file) {
  const buf = fs.readFileSync(file);
  if (buf.toString("latin1", 1, 6) !== "NUMPY") throw new Error(`${file}: not .npy`);
  const major = buf[6];
  const headerLen = major === 1 ? buf.readUInt16LE(8) : buf.readUInt32LE(8);
  const start = major === 1 ? 10 : 12;
  const header = buf.toString("latin1", start, start + headerLen);
  const descr = /'descr':\s*'([^']+)'/.exec(header)[1];
  if (/'fortran_order':\s*True/.test(header)) throw new Error(`${file}: Fortran order`);
  const shape = /'shape':\s*\(([^)]*)\)/.exec(header)[1]
    .split(",").map((s) => s.trim()).filter((s) => s).map(Number);
  const [type, Ctor] = DTYPES[descr] || [];
  if (!type) throw new Error(`${file}: unsupported dtype ${descr}`);
  const data = buf.subarray(start + headerLen);
  const copy = new Uint8Array(data.length);
  copy.set(data);
  let values = new Ctor(copy.buffer);
  if (type === "bool") values = Uint8Array.from(values);
  return new ort.Tensor(type, values, shape);
}

function writeNpy(file, tensor) {
  const descr = Object.keys(DTYPES).find((d) => DTYPES[d][0] === tensor.type);
  const shape = tensor.dims.length === 1 ? `(${tensor.dims[0]},)` : `(${tensor.dims.join(", ")})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shape}, }`;
  const pad = 64 - ((10 + header.length + 1) % 64);
  header += " ".repeat(pad % 64) + "\n";
  const prefix = Buffer.alloc(10);
  prefix.write("\x93NUMPY", 0, "latin1");
  prefix[6] = 1;
  prefix[7] = 0;
  prefix.writeUInt16LE(header.length, 8);
  const data = Buffer.from(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength);
  fs.writeFileSync(file, Buffer.concat([prefix, Buffer.from(header, "latin1"), data]));
}

async function main() {
  const [model, outDir, ...specs] = process.argv.slice(2);
  const options = {
    executionProviders: ["cpu"],
    graphOptimizationLevel: process.env.QUANT_ORT_OPT || "all",
  };
  if (process.env.QUANT_ORT_THREADS) {
    options.intraOpNumThreads = Number(process.env.QUANT_ORT_THREADS);
    options.interOpNumThreads = 1;
  }
  const session = await ort.InferenceSession.create(model, options);
  const feeds = {};
  for (const spec of specs) {
    const eq = spec.indexOf("=");
    feeds[spec.slice(0, eq)] = readNpy(spec.slice(eq + 1));
  }
  const results = await session.run(feeds);
  session.outputNames.forEach((name, i) =>
    writeNpy(path.join(outDir, `output_${i}.npy`), results[name]));
  const runs = Number(process.env.QUANT_ORT_BENCH || 0);
  if (runs > 0) {
    for (let i = 0; i < 10; ++i) await session.run(feeds);
    const times = [];
    for (let i = 0; i < runs; ++i) {
      const start = process.hrtime.bigint();
      await session.run(feeds);
      times.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
    times.sort((a, b) => a - b);
    const median = runs % 2 ? times[(runs - 1) / 2]
                            : (times[runs / 2 - 1] + times[runs / 2]) / 2;
    console.log(`benchmark: ${runs} runs, median ${median.toFixed(4)} ms, ` +
                `min ${times[0].toFixed(4)} ms`);
  }
}

main().catch((e) => { console.error(`run_ort: ${e.message}`); process.exit(1); });
