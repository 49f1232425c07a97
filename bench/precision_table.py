"""Summarises bench/precision_table.sh's work folder: per model, precision and batch the median
latency on onednn and on ONNX Runtime over every round, speed-ups over FP32, file sizes, accuracy
(from `stride quantize --json`) and ONNX Runtime's agreement with Stride."""
import argparse
import json
import os
import statistics

from accuracy_interval import interval_cell
from dataset_label import dataset_label

parser = argparse.ArgumentParser()
for option in ("--work", "--names", "--commit", "--json", "--markdown"):
    parser.add_argument(option, required=True)
parser.add_argument("--rounds", type=int, required=True)
parser.add_argument("--threads", type=int, required=True)
args = parser.parse_args()

PRECISIONS = ("fp32", "fp16", "bf16", "int8", "dynamic", "full-int")


def load(path):
    with open(path) as f:
        return json.load(f)


rows = []
machine = None
datasets = {}  # model -> the dataset its accuracy was measured on
for name in args.names.split(","):
    times = {}  # (precision, engine, batch) -> [ms]
    ort_difference = {}
    accuracy, method = {}, {}
    probes = None  # every precision is judged on the same test recordings
    for precision in PRECISIONS:
        if precision != "fp32":
            q = load(f"{args.work}/{name}.{precision}.quantize.json")
            accuracy["fp32"] = q.get("accuracy_before")
            accuracy[precision] = q.get("accuracy_after")
            method[precision] = q.get("method")
            probes = q.get("probes", probes)
            if q.get("data"):
                datasets[name] = dataset_label(q["data"])
        for r in range(1, args.rounds + 1):
            stride = load(f"{args.work}/{name}.{precision}.round{r}.onednn.json")
            machine = stride["machine"]
            for batch in stride["batches"]:
                # `stride bench` keeps statistics, not samples: each round contributes its median.
                ms = batch["backends"][0]["latency"]["median_ms"]
                times.setdefault((precision, "onednn", batch["batch"]), []).append(ms)
            ort = load(f"{args.work}/{name}.{precision}.round{r}.ort.json")
            for case in ort["cases"]:
                times.setdefault((precision, "ort", case["batch"]), []).extend(case["times_ms"])
                key = (precision, case["batch"])
                ort_difference[key] = max(ort_difference.get(key, 0.0), case["max_relative_difference"])
    for batch in sorted({k[2] for k in times}):
        base = {e: statistics.median(times[("fp32", e, batch)]) for e in ("onednn", "ort")}
        for precision in PRECISIONS:
            med = {e: statistics.median(times[(precision, e, batch)]) for e in ("onednn", "ort")}
            rows.append({
                "model": name, "precision": precision, "batch": batch,
                "method": method.get(precision), "accuracy": accuracy.get(precision), "probes": probes,
                "file_bytes": os.path.getsize(f"{args.work}/{name}.{precision}.onnx"),
                "onednn_ms": med["onednn"], "onednn_speedup_vs_fp32": base["onednn"] / med["onednn"],
                "ort_ms": med["ort"], "ort_speedup_vs_fp32": base["ort"] / med["ort"],
                "ort_over_onednn": med["ort"] / med["onednn"],
                "ort_max_relative_difference": ort_difference[(precision, batch)],
            })

header = ("| model | precision | batch | accuracy % | probes | 95 % CI | file MiB | onednn ms | vs FP32 | ORT ms | "
          "ORT vs its FP32 | ORT / onednn | ORT vs Stride (rel.) | calibration |")
lines = [header, "|" + "---|" * 14]
for r in rows:
    acc = "-" if r["accuracy"] is None else f"{r['accuracy']:.2f}"
    lines.append(f"| {r['model']} | {r['precision']} | {r['batch']} | {acc} | {r['probes'] or '-'} | "
                 f"{interval_cell(r['accuracy'], r['probes'])} | {r['file_bytes'] / 2**20:.2f} | "
                 f"{r['onednn_ms']:.2f} | {r['onednn_speedup_vs_fp32']:.2f}× | {r['ort_ms']:.2f} | "
                 f"{r['ort_speedup_vs_fp32']:.2f}× | {r['ort_over_onednn']:.2f}× | "
                 f"{r['ort_max_relative_difference']:.1e} | {r['method'] or '-'} |")
isa = os.environ.get("ONEDNN_MAX_CPU_ISA", "(unset)")
with open(f"{args.work}/lscpu.txt") as f:
    lscpu = f.read()
table = "\n".join(lines)
print(table)
with open(args.markdown, "w") as f:
    f.write(f"# FP32 / FP16 / BF16 / INT8 / dynamic / full-int (onednn and ONNX Runtime), {args.threads} threads, "
            f"ONEDNN_MAX_CPU_ISA={isa}, commit {args.commit}\n\n"
            f"Median latency per batch over {args.rounds} interleaved rounds; accuracy on the test subjects "
            f"(onednn), as `stride quantize` measured it, with its probes and 95 % Wilson interval; datasets: "
            f"{', '.join(f'{m}: {d}' for m, d in datasets.items()) or 'not recorded'}.\n\n" + table + "\n")
with open(args.json, "w") as f:
    json.dump({"commit": args.commit, "threads": args.threads, "onednn_max_cpu_isa": isa, "rounds": args.rounds,
               "machine": machine, "lscpu": lscpu, "rows": rows}, f, indent=2)
