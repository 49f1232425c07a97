"""The bench scripts' accuracy columns: the Wilson interval against hand-computed values (the same
as tests/report/accuracy_text_test.cpp), the probe count from `stride eval --json`, the dataset named
from its manifest, and bench/prune_table6.py's table carrying all three.
Usage: python3 bench_tables_test.py SOURCE_DIR"""
import json
import os
import subprocess
import sys
import tempfile
import unittest

BENCH = os.path.join(sys.argv.pop(1), "bench")
sys.path.insert(0, BENCH)

from accuracy_interval import interval_cell, probe_count, wilson_interval  # noqa: E402
from dataset_label import dataset_label  # noqa: E402


class WilsonInterval(unittest.TestCase):
    def test_hand_computed_values(self):
        low, high = wilson_interval(8, 10)
        self.assertAlmostEqual(low, 0.4902, places=4)
        self.assertAlmostEqual(high, 0.9433, places=4)
        self.assertEqual(interval_cell(75.0, 32), "57.9–86.7")

    def test_edges(self):
        self.assertEqual(wilson_interval(0, 10)[0], 0.0)
        self.assertAlmostEqual(wilson_interval(0, 10)[1], 0.2775, places=4)
        self.assertEqual(wilson_interval(10, 10)[1], 1.0)
        self.assertEqual(wilson_interval(0, 0), (0.0, 1.0))
        self.assertEqual(interval_cell(None, 10), "-")
        self.assertEqual(interval_cell(50.0, None), "-")


class Provenance(unittest.TestCase):
    def test_probes_are_summed_over_conditions(self):
        self.assertEqual(probe_count({"result": {"conditions": [{"probes": 34}, {"probes": 68}]}}), 102)
        self.assertIsNone(probe_count({"result": {"conditions": [{"probes": 34}, {"rank1": 1}]}}))
        self.assertIsNone(probe_count({}))

    def test_dataset_named_with_preset_and_seed(self):
        with tempfile.TemporaryDirectory() as d:
            folder = os.path.join(d, "tum-gaid-mini")
            os.mkdir(folder)
            self.assertEqual(dataset_label(folder), "tum-gaid-mini")
            with open(os.path.join(folder, "stride-synth.txt"), "w") as f:
                f.write("generator: stride procedural gait walker\npreset: tum-gaid-mini\nseed: 7\n")
            self.assertEqual(dataset_label(folder), "tum-gaid-mini (preset tum-gaid-mini, seed 7)")


class PruneTable(unittest.TestCase):
    def test_rows_carry_probes_interval_and_cost_in_gmac(self):
        with tempfile.TemporaryDirectory() as out:
            def write(name, value):
                with open(os.path.join(out, name), "w") as f:
                    json.dump(value, f)

            machine = {"cpu_model": "test cpu", "cores": 2}  # the result header's (docs/results.md)
            conditions = [{"probes": 60, "correct": 54}, {"probes": 40, "correct": 26}]
            for variant, gflop, rank1 in (("base", 2.0, 80.0), ("l1-0.3", 1.0, 75.0)):
                write(f"cnn2d-{variant}.eval.json",
                      {"dataset": os.path.join(out, "tum-gaid-mini"), "mean_rank1": rank1,
                       "result": {"conditions": conditions}})
                write(f"cnn2d-{variant}.bench.json",
                      {"machine": machine, "date": "today", "params": 1000,
                       "batches": [{"batch": b, "gflop": gflop * b, "backends": [{"latency": {"median_ms": 2.0 * b}}]}
                                   for b in (1, 8)]})
            write("cnn2d-l1-0.3.prune.json", {"criterion": "l1", "requested_ratio": 0.3, "real_ratio": 0.25})
            result = subprocess.run([sys.executable, os.path.join(BENCH, "prune_table6.py"), out,
                                     os.path.join(out, "table")], capture_output=True, text=True)
            self.assertEqual(result.returncode, 0, result.stderr)
            with open(os.path.join(out, "table.md")) as f:
                md = f.read()
        self.assertIn("| rank-1 % | probes | 95 % CI |", md)
        self.assertIn("| GMAC b1 |", md)
        self.assertIn("| cnn2d | base | 0.0 (0) | 1,000 | 1.000 |", md)
        self.assertIn("| 80.00 | 100 | 71.1–86.7 | +0.00 |", md)
        self.assertIn("Rank-1 on the test subjects of tum-gaid-mini (cnn2d)", md)


if __name__ == "__main__":
    unittest.main()
