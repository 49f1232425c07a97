"""Every JSON result of `stride` against docs/result-schema.json.

Runs each command that writes JSON (info, bench, eval of a gait and of an activity model, prune,
quantize, sensitivity, convert, compare, export-c, video track and score, and the study's cell record
and results.json) on a tiny procedural dataset and zoo models built here, and checks each document against the schema and against the rule the schema cannot state: every null has
a sibling "<name>_reason" string. Documents broken on purpose must fail both checks, so that the
checks can fail at all.

usage: validate_results.py STRIDE_BINARY SCHEMA
"""
import copy
import json
import os
import subprocess
import sys
import tempfile
import time
import unittest

import jsonschema

STRIDE, SCHEMA_PATH = os.path.abspath(sys.argv[1]), sys.argv[2]
with open(SCHEMA_PATH) as f:
    SCHEMA = json.load(f)
jsonschema.Draft202012Validator.check_schema(SCHEMA)
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)


def nulls_without_reason(value, where="$"):
    """The paths of the nulls that have no "<name>_reason" string beside them."""
    found = []
    if isinstance(value, dict):
        for key, item in value.items():
            if item is None and not isinstance(value.get(key + "_reason"), str):
                found.append(f"{where}.{key}")
            found += nulls_without_reason(item, f"{where}.{key}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            if item is None:
                found.append(f"{where}[{i}]")  # an item has no sibling to say why
            found += nulls_without_reason(item, f"{where}[{i}]")
    return found


def problems(document):
    """Every way the document breaks the schema or the null rule, as lines of text."""
    lines = [f"{'/'.join(map(str, e.absolute_path)) or '(top)'}: {e.message}" for e in VALIDATOR.iter_errors(document)]
    lines += [f"{path}: null without a reason" for path in nulls_without_reason(document)]
    return lines


class Results(unittest.TestCase):
    """The commands run once (setUpClass); each test checks one kind of document."""

    @classmethod
    def stride(cls, *args):
        done = subprocess.run([STRIDE, *args], cwd=cls.dir, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)
        if done.returncode != 0:
            raise AssertionError(f"stride {' '.join(args)} exited {done.returncode}:\n{done.stdout}")
        return done.stdout

    @classmethod
    def setUpClass(cls):
        cls.temp = tempfile.TemporaryDirectory(prefix="stride-results-")
        cls.dir = cls.temp.name
        cls.stride("data", "synth", "--preset", "tiny", "--seed", "1", "-o", "data")
        cls.stride("zoo", "build", "gaitset", "--width-mult", "0.125", "-o", "g.onnx")
        cls.stride("zoo", "build", "cnn3d", "--width-mult", "0.125", "--classes", "4", "-o", "c3.onnx")
        cls.stride("info", "g.onnx", "--json", "info.json")
        # No meter: energy is null with its reason. A power log (3 W around now): energy measured.
        cls.stride("bench", "g.onnx", "--backend", "onednn", "--vs", "ref", "--batch", "1,2", "--warmup", "0",
                   "--runs", "2", "--energy", "none", "--explain", "--baseline", "g.onnx", "--json", "bench.json")
        now = time.time()
        with open(os.path.join(cls.dir, "power.csv"), "w") as log:
            log.write(f"{now - 3600:.3f},3\n{now + 3600:.3f},3\n")
        cls.stride("bench", "g.onnx", "--backend", "onednn", "--batch", "1", "--warmup", "0", "--runs", "2",
                   "--energy", "file:power.csv", "--json", "bench-energy.json")
        cls.stride("eval", "g.onnx", "--data", "data", "--batch", "4", "--energy", "none", "--json", "eval.json")
        cls.stride("eval", "g.onnx", "--data", "data", "--batch", "4", "--open-set", "--json", "eval-open-set.json")
        cls.stride("gallery", "init", "g.db", "--key-file", "g.key", "--model", "g.onnx")
        cls.stride("gallery", "enroll", "g.db", "--key-file", "g.key", "--model", "g.onnx", "--data", "data",
                   "--subject", "6", "--name", "Ada", "--retain", "30d")
        cls.stride("gallery", "list", "g.db", "--key-file", "g.key", "--json", "gallery-list-uncalibrated.json")
        cls.stride("gallery", "calibrate", "g.db", "--key-file", "g.key", "--model", "g.onnx", "--data", "data",
                   "--fpir", "0.1")
        cls.stride("gallery", "list", "g.db", "--key-file", "g.key", "--json", "gallery-list.json")
        cls.stride("identify", "g.db", "--key-file", "g.key", "--model", "g.onnx", "--data", "data", "--json",
                   "identify.json")
        cls.stride("prune", "g.onnx", "--ratio", "0.3", "-o", "p.onnx", "--json", "prune.json")
        cls.stride("quantize", "g.onnx", "--precision", "int8", "--data", "data", "--samples", "4", "--method",
                   "minmax", "-o", "q.onnx", "--json", "quantize.json")
        cls.stride("sensitivity", "g.onnx", "--data", "data", "--ratios", "0.5", "--json", "sensitivity.json")
        cls.stride("convert", "c3.onnx", "--3d-to-2d", "--init", "fresh", "-o", "c2.onnx", "--json", "convert.json")
        cls.stride("zoo", "build", "resnet50-gei", "--width-mult", "0.125", "--height", "32", "--width", "32",
                   "--classes", "4", "-o", "r.onnx")
        cls.stride("convert", "r.onnx", "--ghost", "-o", "rg.onnx", "--json", "ghost.json")
        cls.stride("compare", "r.onnx", "rg.onnx", "--data", "data", "--samples", "4", "--backend", "ref",
                   "--json", "compare.json")
        # An activity model on generated sensor windows (untrained: the accuracy is whatever it is).
        cls.stride("data", "synth-imu", "--preset", "har-mini", "--seed", "1", "-o", "har")
        cls.stride("zoo", "build", "har-cnn", "-o", "h.onnx")
        cls.stride("eval", "h.onnx", "--data", "har", "--backend", "onednn", "--energy", "none", "--json",
                   "eval-activity.json")
        # The same model as C for a microcontroller (docs/mcu.md).
        cls.stride("quantize", "h.onnx", "--precision", "full-int", "--data", "har", "--samples", "8", "--method",
                   "minmax", "-o", "h-int.onnx")
        cls.stride("export-c", "h-int.onnx", "--board", "nano33ble", "--validate", "har", "-o", "h-c", "--json",
                   "export-c.json")
        # A generated video of walkers tracked and scored (docs/video.md).
        cls.stride("data", "synth-video", "--people", "2", "--frames", "60", "--seed", "2", "-o", "walk.avi", "--gt",
                   "gt.csv", "--masks", "gt-masks")
        cls.stride("video", "track", "walk.avi", "-o", "tracks.csv", "--masks", "masks", "--json", "video-track.json")
        cls.stride("video", "score", "tracks.csv", "--gt", "gt.csv", "--masks", "masks", "--gt-masks", "gt-masks",
                   "--json", "video-score.json")
        # One study cell computed as a cluster job computes it, then the report of the study so far.
        study = ["study", "--preset", "quick", "--models", "gaitset", "-o", "study"]
        cls.stride(*study, "--run-cell", "build/gaitset")
        cls.stride(*study, "--report-only")

    @classmethod
    def tearDownClass(cls):
        cls.temp.cleanup()

    def load(self, name):
        with open(os.path.join(self.dir, name)) as f:
            return json.load(f)

    def assert_valid(self, name, kind):
        document = self.load(name)
        self.assertEqual(document.get("kind"), kind, name)
        self.assertEqual(problems(document), [], name)
        # The header comes first, in the same order in every document.
        self.assertEqual(list(document)[:7], ["kind", "stride", "command", "date", "machine", "libraries", "threads"])
        return document

    def test_video(self):
        t = self.assert_valid("video-track.json", "video-track")
        self.assertEqual(t["frames"], 60)
        self.assertEqual([t["width"], t["height"]], [640, 480])
        s = self.assert_valid("video-score.json", "video-score")
        self.assertEqual(s["tracked_boxes"], t["boxes"])
        self.assertIn("mask_iou", s)

    def test_export_c(self):
        d = self.assert_valid("export-c.json", "export-c")
        self.assertEqual(d["board"], "nano33ble")
        self.assertTrue(d["fits"])
        self.assertEqual(d["needs"]["ram_bytes"], d["needs"]["arena_bytes"] + d["needs"]["reserve_bytes"])
        v = d["validation"]
        self.assertEqual(v["engine"], "onednn")
        self.assertEqual(v["values"], v["inputs"] * 6)
        self.assertLessEqual(v["worst_lsb"], 1)

    def test_info(self):
        d = self.assert_valid("info.json", "info")
        self.assertEqual(d["command"][1:], ["info", "g.onnx", "--json", "info.json"])
        self.assertEqual(d["model"], {"path": "g.onnx", "name": d["model"]["name"]})

    def test_bench_without_and_with_energy(self):
        d = self.assert_valid("bench.json", "bench")
        timing = d["batches"][0]["backends"][0]
        self.assertIsNone(timing["energy"])
        self.assertEqual(timing["energy_reason"], "not measured (--energy none)")
        self.assertEqual(d["backends"], ["onednn", "ref"])
        self.assertEqual(d["model_file"]["baseline"]["model"]["path"], "g.onnx")
        self.assertTrue(all("kernel" in s for e in d["explain"] for s in e["steps"]))
        measured = self.assert_valid("bench-energy.json", "bench")["batches"][0]["backends"][0]["energy"]
        self.assertEqual(measured["peak_watts"], 3.0)
        self.assertGreater(measured["window_ms"], 0)

    def test_eval(self):
        d = self.assert_valid("eval.json", "eval")
        self.assertIsNone(d["feature_energy_per_recording"])
        self.assertGreater(d["feature_ms"], 0)

    def test_eval_activity(self):
        d = self.assert_valid("eval-activity.json", "eval-activity")
        self.assertIsNone(d["energy_per_window"])
        self.assertEqual(len(d["confusion"]), len(d["activities"]))
        self.assertEqual(sum(map(sum, d["confusion"])), d["windows"])

    def test_eval_open_set(self):
        d = self.assert_valid("eval-open-set.json", "eval-open-set")
        self.assertEqual([row["target_fpir"] for row in d["dir_at_fpir"]], [0.001, 0.01, 0.1])
        self.assertIsNone(d["dir_at_fpir"][0]["dir"])  # 12 calibration searches cannot set 0.1 %

    def test_gallery_list_and_identify(self):
        bare = self.assert_valid("gallery-list-uncalibrated.json", "gallery-list")
        self.assertIsNone(bare["threshold"])
        listed = self.assert_valid("gallery-list.json", "gallery-list")
        self.assertEqual([p["name"] for p in listed["persons"]], ["Ada"])
        self.assertEqual(listed["threshold"]["fpir"], 0.1)
        identified = self.assert_valid("identify.json", "identify")
        self.assertEqual(identified["threshold"], listed["threshold"]["value"])
        self.assertTrue(any(p["enrolled"] for p in identified["probes"]))

    def test_prune_quantize_sensitivity_convert(self):
        self.assertEqual(self.assert_valid("prune.json", "prune")["output"]["path"], "p.onnx")
        self.assertEqual(self.assert_valid("quantize.json", "quantize")["precision"], "int8")
        self.assertEqual(len(self.assert_valid("sensitivity.json", "sensitivity")["curves"][0]["rank1"]), 1)
        layers = self.assert_valid("convert.json", "convert")["layers"]
        self.assertTrue(any(layer["relative_error"] is None for layer in layers), "fresh weights have no error")

    def test_ghost_convert_and_compare(self):
        ghost = self.assert_valid("ghost.json", "convert")
        self.assertEqual(ghost["conversion"], "ghost")
        self.assertEqual(ghost["skipped"][0]["node"], "stem/Conv")  # 2 maps at an eighth of the width
        compare = self.assert_valid("compare.json", "compare")
        self.assertEqual(compare["samples"], 4)
        self.assertTrue(any(layer["convolution"] for layer in compare["layers"]))

    def test_study_cell_record_and_results(self):
        cells = os.path.join(self.dir, "study", "cells")
        (folder,) = [f for f in os.listdir(cells) if f.startswith("build-gaitset-") and not f.endswith(".partial")]
        record = self.assert_valid(os.path.join("study", "cells", folder, "cell.json"), "study-cell")
        self.assertEqual(record["id"], "build/gaitset")
        results = self.assert_valid(os.path.join("study", "results.json"), "study")
        states = {c["id"]: c["state"] for c in results["cells"]}
        self.assertEqual(states["build/gaitset"], "cached")
        self.assertIn("skipped", states.values())  # whose machine is null, with the reason

    def test_broken_documents_fail(self):
        bench = self.load("bench.json")
        broken = {
            "no header field": lambda d: d.pop("machine"),
            "energy as the string n/a": lambda d: d["batches"][0]["backends"][0].update(energy="n/a"),
            "a null energy without its reason": lambda d: d["batches"][0]["backends"][0].pop("energy_reason"),
            "a time in seconds": lambda d: d.update(run_seconds=1.5),
            "a model named by a bare path": lambda d: d.update(model="g.onnx"),
            "a count that is not an integer": lambda d: d["model_file"].update(macs=1234.5),
            "the explain's old word": lambda d: d["explain"][0]["steps"][0].update(implementation="x"),
            "an unknown kind": lambda d: d.update(kind="benchmark"),
            "a null anywhere without its reason": lambda d: d["protocol"].update(seed=None),
        }
        self.assertEqual(problems(bench), [])
        for what, breaking in broken.items():
            document = copy.deepcopy(bench)
            breaking(document)
            self.assertNotEqual(problems(document), [], what)
        # The null rule alone, where the schema says nothing of the field.
        self.assertEqual(nulls_without_reason({"a": {"b": None}}), ["$.a.b"])
        self.assertEqual(nulls_without_reason({"a": {"b": None, "b_reason": "why"}}), [])


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1], verbosity=2)
