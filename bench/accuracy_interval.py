"""Accuracy beside the probes it was measured on and its 95 % Wilson score interval, for the bench
scripts' Markdown tables: the Python side of src/stride/report/accuracy_text.h, with the same
rounding, so that a bench table and a `stride` table print the same interval for the same figures."""
import math

Z95 = 1.96


def wilson_interval(successes, trials, z=Z95):
    """(low, high) of the proportion successes / trials; (0, 1) with no trials."""
    if trials <= 0:
        return 0.0, 1.0
    p = successes / trials
    z2n = z * z / trials
    centre = (p + z2n / 2) / (1 + z2n)
    half = z / (1 + z2n) * math.sqrt(p * (1 - p) / trials + z2n / (4 * trials))
    return max(0.0, centre - half), min(1.0, centre + half)


def interval_cell(percent, probes):
    """'57.9–86.7': the interval of an accuracy in percent over `probes` probes; '-' without them."""
    if percent is None or not probes:
        return "-"
    low, high = wilson_interval(percent / 100 * probes, probes)
    return f"{100 * low:.1f}–{100 * high:.1f}"


def probe_count(evaluation):
    """The probes behind `stride eval --json`'s mean_rank1: the sum over its probe conditions; None
    when the file predates the count."""
    conditions = evaluation.get("result", {}).get("conditions", [])
    if not conditions or any("probes" not in c for c in conditions):
        return None
    return sum(c["probes"] for c in conditions)
