// Times one ONNX model on ONNX Runtime's CPU engine, on the very tensors Stride ran it on, for
// bench/vs_onnxruntime.sh. Each case folder is what `stride run --random --output-dir` wrote: one .npy
// per model input and one per output. The outputs are checked against Stride's before any timing
// (the same relative difference `stride bench --vs` uses: largest |ORT - Stride| over largest |Stride|).
//
// Usage: node ort_bench.mjs --model M.onnx --threads N --warmup W --runs R --tolerance T --json OUT CASE_DIR...
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import ort from 'onnxruntime-node';

const { values: args, positionals: caseDirs } = parseArgs({
  allowPositionals: true,
  options: {
    model: { type: 'string' },
    threads: { type: 'string' },
    warmup: { type: 'string', default: '5' },
    runs: { type: 'string', default: '20' },
    tolerance: { type: 'string', default: '1e-3' },
    json: { type: 'string' },
  },
});
if (!args.model || !args.threads || !args.json || caseDirs.length === 0) {
  console.error('usage: node ort_bench.mjs --model M.onnx --threads N [--warmup W] [--runs R] [--tolerance T] ' +
    '--json OUT CASE_DIR...');
  process.exit(2);
}
const threads = Number(args.threads), warmup = Number(args.warmup), runs = Number(args.runs);
const tolerance = Number(args.tolerance);

// The file `stride run` writes for a graph value: characters that cannot be in a file name become '_'.
const tensorFile = (dir, name) => join(dir, name.replace(/[/\\:]/g, '_') + '.npy');

// The .npy element types Stride writes for model inputs and outputs: f32, and u8/s8 for a
// full-integer model's.
const NPY_TYPES = {
  '<f4': ['float32', Float32Array],
  '|u1': ['uint8', Uint8Array],
  '|i1': ['int8', Int8Array],
};

function readNpy(path) {
  const bytes = readFileSync(path);
  if (bytes.toString('latin1', 0, 6) !== '\x93NUMPY') throw new Error(`${path}: not a .npy file`);
  const major = bytes[6];
  const headerLength = major === 1 ? bytes.readUInt16LE(8) : bytes.readUInt32LE(8);
  const dataStart = (major === 1 ? 10 : 12) + headerLength;
  const header = bytes.toString('latin1', dataStart - headerLength, dataStart);
  const descr = /'descr':\s*'([^']*)'/.exec(header)?.[1];
  if (!(descr in NPY_TYPES)) throw new Error(`${path}: dtype ${descr}; f32, u8 and s8 are supported`);
  if (/'fortran_order':\s*True/.test(header)) throw new Error(`${path}: Fortran order is not supported`);
  const shape = /'shape':\s*\(([^)]*)\)/.exec(header)[1].split(',').map((s) => s.trim()).filter((s) => s).map(Number);
  const [type, ArrayType] = NPY_TYPES[descr];
  // Copied out, because a Float32Array view needs a 4-byte-aligned offset that the header need not give.
  const data = new ArrayType(bytes.buffer.slice(bytes.byteOffset + dataStart, bytes.byteOffset + bytes.length));
  return new ort.Tensor(type, data, shape);
}

function relativeDifference(ortData, strideData) {
  if (ortData.length !== strideData.length) {
    throw new Error(`output sizes differ: ${ortData.length} (ONNX Runtime) vs ${strideData.length} (Stride)`);
  }
  let diff = 0, scale = 1e-30;
  for (let i = 0; i < ortData.length; ++i) {
    diff = Math.max(diff, Math.abs(ortData[i] - strideData[i]));
    scale = Math.max(scale, Math.abs(strideData[i]));
  }
  return diff / scale;
}

const session = await ort.InferenceSession.create(args.model, {
  executionProviders: ['cpu'],
  intraOpNumThreads: threads,  // the pool includes the calling thread, like Stride's OpenMP team
  interOpNumThreads: 1,
  executionMode: 'sequential',
  graphOptimizationLevel: 'all',
});

const cases = [];
for (const dir of caseDirs) {
  const feeds = Object.fromEntries(session.inputNames.map((name) => [name, readNpy(tensorFile(dir, name))]));
  const outputs = await session.run(feeds);
  let worst = 0;
  for (const name of session.outputNames) {
    worst = Math.max(worst, relativeDifference(outputs[name].data, readNpy(tensorFile(dir, name)).data));
  }
  if (!(worst <= tolerance)) {
    throw new Error(`${dir}: ONNX Runtime's outputs differ from Stride's by ${worst} (relative), ` +
      `more than the tolerance ${tolerance}`);
  }
  for (let r = 0; r < warmup; ++r) await session.run(feeds);
  const timesMs = [];
  for (let r = 0; r < runs; ++r) {
    const start = process.hrtime.bigint();
    await session.run(feeds);
    timesMs.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  cases.push({
    batch: feeds[session.inputNames[0]].dims[0],
    inputs: dir,
    max_relative_difference: worst,
    times_ms: timesMs,
  });
}

const version = createRequire(import.meta.url)('onnxruntime-node/package.json').version;
writeFileSync(args.json, JSON.stringify({
  library: `ONNX Runtime ${version} (CPU execution provider)`,
  model: args.model,
  session: { intra_op_threads: threads, inter_op_threads: 1, execution_mode: 'sequential',
    graph_optimization_level: 'all' },
  warmup,
  runs,
  cases,
}, null, 2) + '\n');
