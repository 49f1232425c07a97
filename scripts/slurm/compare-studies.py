#!/usr/bin/env python3
"""Checks that two study folders hold the same results, timings aside.

For every cell of the first folder's results.json: the cell is computed in both; each file it wrote
(models, data, JSON results) has the same content in both, except result.json and the log; its
result.json is equal once the figures that are times, dates or paths are left out; a cell that
measures time has timings in both. Then the tables: equal cell by cell, except in the columns that
hold times or ratios of times. Prints what differs; exit status 1 when anything does.
usage: compare-studies.py FOLDER_A FOLDER_B
"""
import json
import os
import re
import sys

# Figures that are times, dates, memory use or paths of the run, not results (the command line
# names the cell's folders).
TIMING_KEY = re.compile(r"(seconds|_ms|ms_|date|energy|latency|throughput|threads|machine|dataset|^data$|model|output|rss|^command$)", re.I)
# Columns of times and of ratios of times ("measured b1": measured speed-up).
TIMING_COLUMN = re.compile(r"(ms|speed|vs |EDP|mJ|time|samples/s|throughput|measured)", re.I)
# A training checkpoint holds LibTorch's optimizer state, which LibTorch keys by tensor addresses:
# its bytes differ from process to process even when every weight is identical (model.onnx is compared).
NOT_A_RESULT = re.compile(r"(^log\.txt$|^result\.json$|\.checkpoint$)")


def without_timings(value):
    if isinstance(value, dict):
        return {k: without_timings(v) for k, v in value.items() if not TIMING_KEY.search(k)}
    if isinstance(value, list):
        return [without_timings(v) for v in value]
    return value


def cells(folder):
    out = {}
    root = os.path.join(folder, "cells")
    for name in os.listdir(root):
        record = os.path.join(root, name, "cell.json")
        if os.path.isfile(record):
            with open(record) as f:
                j = json.load(f)
            out[j["id"]] = (os.path.join(root, name), j)
    return out


def result(path):
    p = os.path.join(path, "result.json")
    if not os.path.isfile(p):
        return None
    with open(p) as f:
        return json.load(f)


def main(a, b):
    problems = []
    ca, cb = cells(a), cells(b)
    for cell_id, (path_a, rec_a) in sorted(ca.items()):
        if cell_id not in cb:
            problems.append(f"{cell_id}: not computed in {b}")
            continue
        path_b, rec_b = cb[cell_id]
        timed = cell_id.startswith("bench/")
        for name, digest in rec_a["files"].items():
            if NOT_A_RESULT.search(name):
                continue
            if rec_b["files"].get(name) != digest:
                problems.append(f"{cell_id}: {name} differs")
        ra, rb = result(path_a), result(path_b)
        if timed:
            for r, where in ((ra, a), (rb, b)):
                if not r or not r.get("batches"):
                    problems.append(f"{cell_id}: no timings in {where}")
        elif without_timings(ra) != without_timings(rb):
            problems.append(f"{cell_id}: result.json differs beyond timings")
    with open(os.path.join(a, "results.json")) as f:
        ta = {t["id"]: t for t in json.load(f)["tables"]}
    with open(os.path.join(b, "results.json")) as f:
        tb = {t["id"]: t for t in json.load(f)["tables"]}
    compared = 0
    for key in ta:
        x, y = ta[key], tb.get(key)
        if y is None or x["header"] != y["header"] or len(x["rows"]) != len(y["rows"]):
            problems.append(f"table {key}: different shape")
            continue
        keep = [i for i, h in enumerate(x["header"]) if not TIMING_COLUMN.search(h)]
        for rx, ry in zip(x["rows"], y["rows"]):
            for i in keep:
                compared += 1
                if rx[i] != ry[i]:
                    problems.append(f"table {key}, row {rx[0]} {rx[1] if len(rx) > 1 else ''}: "
                                    f"'{x['header'][i]}' {rx[i]} vs {ry[i]}")
    print(f"{len(ca)} cells and {compared} non-timing table entries compared: "
          f"{'identical' if not problems else str(len(problems)) + ' differences'}")
    for p in problems:
        print("  " + p)
    return 1 if problems else 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], sys.argv[2]))
