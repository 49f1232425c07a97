"""Which dataset an accuracy came from, for the bench tables' notes: the folder's name and, for a set
made by `stride data synth`, the preset and seed its manifest records."""
import os

MANIFEST = "stride-synth.txt"  # src/stride/data/synthesizer.h, kSynthManifest


def dataset_label(folder):
    """'tum-gaid-mini (preset tum-gaid-mini, seed 1)', or the folder's name when it has no manifest."""
    name = os.path.basename(os.path.normpath(folder))
    try:
        with open(os.path.join(folder, MANIFEST)) as f:
            fields = dict(line.split(": ", 1) for line in f.read().splitlines() if ": " in line)
    except OSError:
        return name
    return f"{name} (preset {fields.get('preset', '?')}, seed {fields.get('seed', '?')})"
