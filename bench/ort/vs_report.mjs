// Turns the rounds of bench/vs_onnxruntime.sh into its Markdown table and its JSON record.
//
// The work folder holds lscpu.txt, loadavg.txt (the 1-minute load average at the start), sgemm.json
// (bench/sgemm_peak; optional: a board's runtime-only build has no sgemm_peak), and per model and round
// MODEL.roundK.BACKEND.json for each Stride backend (`stride bench --backend BACKEND`) and
// MODEL.roundK.ort.json (ort_bench.mjs).
// Every engine's time is the median of its rounds' medians: `stride bench` reports each round's
// statistics, not its single runs, and every engine is summarised the same way.
//
// Usage: node vs_report.mjs --work DIR --models a,b --backends onednn,torch --threads N --commit SHA
//          --json OUT --markdown OUT
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    work: { type: 'string' },
    models: { type: 'string' },
    backends: { type: 'string', default: 'onednn,torch' },
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

// Stride's backends by their keys in the record and their names in the table; the first one's
// GFLOP/s is reported (and set against the sgemm peak when there is one).
const backends = args.backends.split(',');
const key = (backend) => (backend === 'torch' ? 'libtorch' : `stride_${backend}`);
const label = (backend) => (backend === 'torch' ? 'LibTorch' : `Stride ${backend}`);
const first = backends[0];

const roundFiles = readdirSync(args.work).filter((f) => new RegExp(`\\.round\\d+\\.${first}\\.json$`).test(f));
const sgemm = existsSync(join(args.work, 'sgemm.json')) ? readJson('sgemm.json') : null;
const lscpu = readFileSync(join(args.work, 'lscpu.txt'), 'utf8');
const peak = sgemm?.peak_gflops_per_second ?? null;

const results = [];
const samples = {};
let ortLibrary, warmup, runs;
for (const model of args.models.split(',')) {
  const rounds = roundFiles.filter((f) => f.startsWith(`${model}.round`)).map((f) => f.replace(`.${first}.json`, ''));
  if (rounds.length === 0) throw new Error(`no rounds for ${model} in ${args.work}`);
  const reports = Object.fromEntries(backends.map((b) => [b, rounds.map((r) => readJson(`${r}.${b}.json`))]));
  const ort = rounds.map((r) => readJson(`${r}.ort.json`));
  for (const b of backends) samples[b] = reports[b][0];
  ortLibrary = ort[0].library;
  ({ warmup, runs } = ort[0]);
  for (const { batch, gflop } of reports[first][0].batches) {
    const roundMedians = (list) => list.map((s) => s.batches.find((x) => x.batch === batch))
      .map((x) => x.backends[0].latency.median_ms);
    const ortCases = ort.map((o) => o.cases.find((c) => c.batch === batch));
    const engines = Object.fromEntries(backends.map((b) => [key(b), roundMedians(reports[b])]));
    engines.onnxruntime = ortCases.map((c) => median(c.times_ms));
    const ms = Object.fromEntries(Object.entries(engines).map(([name, medians]) => [name, median(medians)]));
    const gflops = gflop / (ms[key(first)] / 1e3);
    results.push({
      model,
      batch,
      gflop,
      median_ms: ms,
      round_medians_ms: engines,
      over_ort: Object.fromEntries(backends.map((b) => [key(b), ms[key(b)] / ms.onnxruntime])),
      [`${key(first)}_gflops_per_second`]: gflops,
      ...(peak ? { [`${key(first)}_percent_of_sgemm_peak`]: 100 * gflops / peak } : {}),
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
const strideSample = samples[first];
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
const rounds = results[0].round_medians_ms[key(first)].length;
const libraries = Object.assign({ stride: args.commit }, ...backends.map((b) => samples[b].libraries));
const record = {
  machine,
  libraries: { ...libraries, onnxruntime: ortLibrary, node: process.version },
  protocol: {
    rounds,
    warmup_per_round: warmup,
    runs_per_round: runs,
    order: `per round and model: ${backends.map((b) => `stride bench --backend ${b}`).join(', then ')}, ` +
      'then ONNX Runtime, each in its own process',
    time: 'median over the rounds of each round\'s median',
    inputs: 'the tensors `stride run --random` wrote, fed to every engine; outputs compared',
  },
  sgemm: sgemm ? { peak_gflops_per_second: peak, n: sgemm.peak_n, sizes: sgemm.sizes } : null,
  results,
};
writeFileSync(args.json, JSON.stringify(record, null, 2) + '\n');

const f = (x, digits) => x.toFixed(digits);
const lines = [
  `# ${backends.map(label).join(' vs ')} vs ONNX Runtime (FP32, CPU)`,
  '',
  `Produced by \`bench/vs_onnxruntime.sh\` on ${machine.cpu}, ${machine.threads} threads, ` +
    `ONEDNN_MAX_CPU_ISA=${isaLimit ?? '(unset)'}, OMP_WAIT_POLICY=${ompWaitPolicy ?? '(unset)'}, ${machine.date}, ` +
    `load average ${machine.load_average_at_start} at the start; ` +
    `${Object.entries(record.libraries).map(([k, v]) => `${k} ${v}`).join(', ')}. ${rounds} interleaved rounds of ` +
    `${warmup} warm-up + ${runs} timed runs per engine; times are the median of the rounds' medians. ` +
    'X/ORT > 1: ONNX Runtime is faster.' +
    // The peak is this run's: "% of sgemm peak" means nothing against a peak measured another time.
    (peak
      ? ` sgemm peak (oneDNN, ${machine.threads} threads, measured at the start of this run): ${f(peak, 1)} GFLOP/s ` +
        `at n = ${sgemm.peak_n}.`
      : '') +
    (isaLimit ? ' ONEDNN_MAX_CPU_ISA limits oneDNN only: the other engines ignore it.' : ''),
  '',
  `| model | batch | ${backends.map((b) => `${label(b)} ms`).join(' | ')} | ORT ms | ` +
    `${backends.map((b) => `${label(b)}/ORT`).join(' | ')} | ${label(first)} GFLOP/s |` +
    (peak ? ' % of sgemm peak |' : '') + ' ORT vs Stride rel. diff |',
  `| --- | ---: |${' ---: |'.repeat(2 * backends.length + 3 + (peak ? 1 : 0))}`,
  ...results.map((r) => `| ${r.model} | ${r.batch} | ` +
    `${backends.map((b) => f(r.median_ms[key(b)], 3)).join(' | ')} | ${f(r.median_ms.onnxruntime, 3)} | ` +
    `${backends.map((b) => f(r.over_ort[key(b)], 2)).join(' | ')} | ${f(r[`${key(first)}_gflops_per_second`], 1)} |` +
    (peak ? ` ${f(r[`${key(first)}_percent_of_sgemm_peak`], 1)} |` : '') +
    ` ${r.max_relative_difference.onnxruntime_vs_stride.toExponential(1)} |`),
  '',
];
writeFileSync(args.markdown, lines.join('\n'));
process.stdout.write(lines.join('\n'));
