// Turns the rounds of bench/vs_onnxruntime.sh into its Markdown table and its JSON record.
//
// The work folder holds sgemm.json (bench/sgemm_peak), lscpu.txt, loadavg.txt (the 1-minute load average
// at the start), and per model and round
// MODEL.roundK.onednn.json and MODEL.roundK.torch.json (`stride bench --backend ...`) and
// MODEL.roundK.ort.json (ort_bench.mjs).
// Every engine's time is the median of its rounds' medians: `stride bench` reports each round's
// statistics, not its single runs, and all three engines are summarised the same way.
//
// Usage: node vs_report.mjs --work DIR --models a,b --threads N --commit SHA --json OUT --markdown OUT
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    work: { type: 'string' },
    models: { type: 'string' },
    threads: { type: 'string' },
    commit: { type: 'string' },
    json: { type: 'string' },
    markdown: { type: 'string' },
  },
});
for (const option of ['work', 'models', 'threads', 'commit', 'json', 'markdown']) {
  if (!args[option]) {
    console.error(`vs_report.mjs: --${option} is required`);
    process.exit(2);
  }
}

const readJson = (file) => JSON.parse(readFileSync(join(args.work, file), 'utf8'));
const median = (values) => {
  const v = [...values].sort((a, b) => a - b);
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
};
const lscpuField = (text, field) => new RegExp(`^${field}:\\s*(.*)$`, 'm').exec(text)?.[1] ?? 'unknown';

const roundFiles = readdirSync(args.work).filter((f) => /\.round\d+\.onednn\.json$/.test(f));
const sgemm = readJson('sgemm.json');
const lscpu = readFileSync(join(args.work, 'lscpu.txt'), 'utf8');
const peak = sgemm.peak_gflops_per_second;

const results = [];
let strideSample, torchSample, ortLibrary, warmup, runs;
for (const model of args.models.split(',')) {
  const rounds = roundFiles.filter((f) => f.startsWith(`${model}.round`)).map((f) => f.replace(/\.onednn\.json$/, ''));
  if (rounds.length === 0) throw new Error(`no rounds for ${model} in ${args.work}`);
  const stride = rounds.map((r) => readJson(`${r}.onednn.json`));
  const torch = rounds.map((r) => readJson(`${r}.torch.json`));
  const ort = rounds.map((r) => readJson(`${r}.ort.json`));
  strideSample = stride[0];
  torchSample = torch[0];
  ortLibrary = ort[0].library;
  ({ warmup, runs } = ort[0]);
  for (const { batch, gflop } of stride[0].batches) {
    const roundMedians = (reports) => reports.map((s) => s.batches.find((b) => b.batch === batch))
      .map((b) => b.backends[0].latency.median_ms);
    const ortCases = ort.map((o) => o.cases.find((c) => c.batch === batch));
    const engines = {
      stride_onednn: roundMedians(stride),
      libtorch: roundMedians(torch),
      onnxruntime: ortCases.map((c) => median(c.times_ms)),
    };
    const ms = Object.fromEntries(Object.entries(engines).map(([name, medians]) => [name, median(medians)]));
    const gflops = gflop / (ms.stride_onednn / 1e3);
    results.push({
      model,
      batch,
      gflop,
      median_ms: ms,
      round_medians_ms: engines,
      stride_over_ort: ms.stride_onednn / ms.onnxruntime,
      torch_over_stride: ms.libtorch / ms.stride_onednn,
      stride_gflops_per_second: gflops,
      stride_percent_of_sgemm_peak: 100 * gflops / peak,
      max_relative_difference: {
        onnxruntime_vs_stride: Math.max(...ortCases.map((c) => c.max_relative_difference)),
      },
    });
  }
}

const isaLimit = process.env.ONEDNN_MAX_CPU_ISA || null;
// OpenMP threads spin while they wait by default; on a busy machine that can cost Stride (and LibTorch)
// several times their run time, so a record must say how they waited.
const ompWaitPolicy = process.env.OMP_WAIT_POLICY || null;
const machine = {
  cpu: lscpuField(lscpu, 'Model name'),
  isa_flags: strideSample.machine.isa_flags,
  onednn_max_cpu_isa: isaLimit,
  omp_wait_policy: ompWaitPolicy,
  logical_cores: strideSample.machine.logical_cores,
  threads: Number(args.threads),
  kernel: strideSample.machine.kernel,
  load_average_at_start: Number(readFileSync(join(args.work, 'loadavg.txt'), 'utf8')),
  date: strideSample.machine.date,
};
const rounds = results[0].round_medians_ms.stride_onednn.length;
const record = {
  machine,
  libraries: {
    stride: args.commit,
    ...strideSample.libraries,
    ...torchSample.libraries,
    onnxruntime: ortLibrary,
    node: process.version,
  },
  protocol: {
    rounds,
    warmup_per_round: warmup,
    runs_per_round: runs,
    order: 'per round and model: stride bench --backend onednn, then --backend torch, then ONNX Runtime, each in its own process',
    time: 'median over the rounds of each round\'s median',
    inputs: 'the tensors `stride run --random` wrote, fed to both engines; outputs compared',
  },
  sgemm: { peak_gflops_per_second: peak, n: sgemm.peak_n, sizes: sgemm.sizes },
  results,
};
writeFileSync(args.json, JSON.stringify(record, null, 2) + '\n');

const f = (x, digits) => x.toFixed(digits);
const lines = [
  '# Stride vs ONNX Runtime vs LibTorch eager (FP32, CPU)',
  '',
  `Produced by \`bench/vs_onnxruntime.sh\` on ${machine.cpu}, ${machine.threads} threads, ` +
    `ONEDNN_MAX_CPU_ISA=${isaLimit ?? '(unset)'}, OMP_WAIT_POLICY=${ompWaitPolicy ?? '(unset)'}, ${machine.date}, ` +
    `load average ${machine.load_average_at_start} ` +
    `at the start; ${record.libraries.onednn}, ` +
    `${record.libraries.torch}, ${ortLibrary}. ${rounds} interleaved rounds of ${warmup} warm-up + ${runs} timed ` +
    'runs per engine; times are the median of the rounds\' medians. Stride/ORT > 1: ONNX Runtime is faster. ' +
    `sgemm peak (oneDNN, ${machine.threads} threads): ${f(peak, 1)} GFLOP/s at n = ${sgemm.peak_n}.` +
    (isaLimit ? ' ONEDNN_MAX_CPU_ISA limits oneDNN only: ONNX Runtime\'s own kernels ignore it.' : ''),
  '',
  '| model | batch | Stride onednn ms | LibTorch ms | ORT ms | Stride/ORT | Torch/Stride | Stride GFLOP/s ' +
    '| % of sgemm peak | ORT vs Stride rel. diff |',
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...results.map((r) => `| ${r.model} | ${r.batch} | ${f(r.median_ms.stride_onednn, 3)} | ` +
    `${f(r.median_ms.libtorch, 3)} | ${f(r.median_ms.onnxruntime, 3)} | ${f(r.stride_over_ort, 2)} | ` +
    `${f(r.torch_over_stride, 2)} | ${f(r.stride_gflops_per_second, 1)} | ${f(r.stride_percent_of_sgemm_peak, 1)} | ` +
    `${r.max_relative_difference.onnxruntime_vs_stride.toExponential(1)} |`),
  '',
];
writeFileSync(args.markdown, lines.join('\n'));
process.stdout.write(lines.join('\n'));
