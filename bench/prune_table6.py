#!/usr/bin/env python3
"""Assembles bench/prune_table6.sh's per-model JSON files into Table 6 (JSON and Markdown)."""
import glob
import json
import os
import sys

from accuracy_interval import interval_cell, probe_count
from dataset_label import dataset_label

out, prefix = sys.argv[1], sys.argv[2]


def load(path):
    with open(path) as f:
        return json.load(f)


def medians(bench):
    return {b["batch"]: b["backends"][0]["latency"]["median_ms"] for b in bench["batches"]}


rows = []
machine = None
for eval_path in sorted(glob.glob(os.path.join(out, "*.eval.json"))):
    name = os.path.basename(eval_path)[: -len(".eval.json")]
    model = name.split("-")[0]
    bench = load(os.path.join(out, name + ".bench.json"))
    machine = bench["machine"]
    prune_path = os.path.join(out, name + ".prune.json")
    prune = load(prune_path) if os.path.exists(prune_path) else None
    rows.append({
        "model": model,
        "variant": name[len(model) + 1:],
        "criterion": prune["criterion"] if prune else "none",
        "requested_ratio": prune.get("requested_ratio") if prune else 0.0,
        "real_ratio": prune.get("real_ratio") if prune else 0.0,
        "sparsity": prune.get("sparsity") if prune else None,
        "params": bench["params"],
        "gflop_batch1": bench["batches"][0]["gflop"],
        "median_ms": medians(bench),
        "rank1": load(eval_path)["mean_rank1"],
        "probes": probe_count(load(eval_path)),
        "dataset": dataset_label(load(eval_path)["dataset"]),
    })

for r in rows:
    base = next(b for b in rows if b["model"] == r["model"] and b["variant"] == "base")
    r["rank1_change"] = r["rank1"] - base["rank1"]
    r["theoretical_speedup"] = base["gflop_batch1"] / r["gflop_batch1"]
    r["measured_speedup"] = {str(k): base["median_ms"][k] / v for k, v in r["median_ms"].items()}

flags = " ".join(f"{k}='{os.environ[k]}'" for k in ("PRUNE_FLAGS", "CNN2D_FLAGS", "GAITSET_FLAGS") if os.environ.get(k))
with open(prefix + ".json", "w") as f:
    json.dump({"table": "Ruiz-Barroso et al. 2022, Table 6 (pruning), regenerated", "flags": flags,
               "note": os.environ.get("TABLE_NOTE", ""), "machine": machine, "rows": rows}, f, indent=2)

lines = [
    f"# Table 6 regenerated — {machine['cpu']}, {machine['logical_cores']} logical cores, {machine['date']}",
    "",
    f"L1 prunes with flags: `{flags or 'none'}`; fine-tuned after pruning (see bench/prune_table6.sh).",
    "",
    "Rank-1 on the test subjects of "
    + ", ".join(sorted({f"{r['dataset']} ({r['model']})" for r in rows}))
    + "; 95 % CI: Wilson score interval over the probes.",
    "",
] + ([os.environ["TABLE_NOTE"], ""] if os.environ.get("TABLE_NOTE") else []) + [
    "| model | variant | real (requested) % | params | GMAC b1 | ms b1 | ms b8 | theor. speed-up | measured b1 | "
    "measured b8 | rank-1 % | probes | 95 % CI | change |",
    "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
]
for r in rows:
    ratio = (f"sparsity {100 * r['sparsity']:.1f}" if r["sparsity"] is not None
             else f"{100 * r['real_ratio']:.1f} ({100 * r['requested_ratio']:.0f})")
    m = r["median_ms"]
    s = r["measured_speedup"]
    lines.append(
        f"| {r['model']} | {r['variant']} | {ratio} | {r['params']:,} | {r['gflop_batch1'] / 2:.3f} | {m[1]:.2f} | "
        f"{m[8]:.2f} | {r['theoretical_speedup']:.2f} | {s['1']:.2f} | {s['8']:.2f} | {r['rank1']:.2f} | "
        f"{r['probes'] or '-'} | {interval_cell(r['rank1'], r['probes'])} | {r['rank1_change']:+.2f} |")
with open(prefix + ".md", "w") as f:
    f.write("\n".join(lines) + "\n")
print("\n".join(lines))
