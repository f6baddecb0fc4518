"""Measured clearance on synthetic photograph pairs: its error against the known truth, and its speed.

Generates ``--pairs`` seeded pairs (a fifth of them too dark or blurred on purpose), measures each,
and reports the mean absolute error of measured against true clearance, the Bland–Altman mean
difference and 95% limits of agreement, how often a flag replaced the number (on clean and on
degraded pairs), and the time per pair; then times a few full-size (1600×1200) pairs.

Run with ``make bench-photos`` (``ARGS="--pairs 50"`` for fewer); ``--json PATH`` writes the figures
too. The results are written down in docs/photos.md.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import time
from collections import Counter
from pathlib import Path
from typing import Any

from scleropath.imaging import measure_clearance
from scleropath.imaging.synthetic import make_pair

SEED = 20261205


def run(pairs: int, full_size: int) -> dict[str, Any]:
    differences: list[float] = []
    seconds: list[float] = []
    flags: dict[str, Counter[str]] = {"none": Counter(), "dark": Counter(), "blurred": Counter()}
    for index in range(pairs):
        degradation = ("dark", "blurred")[index % 2] if index % 5 == 4 else "none"
        pair = make_pair(SEED + index, degradation=degradation)
        started = time.perf_counter()
        result = measure_clearance(pair.before, pair.after, pair.area)
        seconds.append(time.perf_counter() - started)
        flags[degradation][result.quality] += 1
        if result.clearance_percent is not None and degradation == "none":
            differences.append(result.clearance_percent - pair.true_clearance_percent)
    full_seconds = []
    for index in range(full_size):
        pair = make_pair(SEED + 10_000 + index, width=1600, height=1200, px_per_mm=10.0, max_shift_px=40)
        started = time.perf_counter()
        measure_clearance(pair.before, pair.after, pair.area)
        full_seconds.append(time.perf_counter() - started)
    mean_difference = statistics.fmean(differences)
    spread = statistics.stdev(differences)
    clean = sum(flags["none"].values())
    degraded = sum(flags["dark"].values()) + sum(flags["blurred"].values())
    return {
        "pairs": pairs,
        "measured_clean_pairs": len(differences),
        "mean_absolute_error": statistics.fmean(abs(d) for d in differences),
        "mean_difference": mean_difference,
        "limits_of_agreement": [mean_difference - 1.96 * spread, mean_difference + 1.96 * spread],
        "flag_rate_clean": 1 - flags["none"]["ok"] / clean,
        "flag_rate_degraded": 1 - (flags["dark"]["ok"] + flags["blurred"]["ok"]) / degraded,
        "flags": {name: dict(counter) for name, counter in flags.items()},
        "seconds_mean": statistics.fmean(seconds),
        "seconds_p95": sorted(seconds)[int(0.95 * (len(seconds) - 1))],
        "full_size_seconds": full_seconds,
        "machine": f"{platform.machine()}, Python {platform.python_version()}",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pairs", type=int, default=200)
    parser.add_argument("--full-size", type=int, default=5, help="1600×1200 pairs to time")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    figures = run(args.pairs, args.full_size)
    print(json.dumps(figures, indent=2))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n")


if __name__ == "__main__":
    main()
