"""Engine throughput and latency benchmark.

Measures, in one process on one core:
- the floor: validating the same assessments into typed inputs, with no planning;
- batch throughput: planning 1,000,000 random findings (in assessments of 40 findings);
- latency: one 40-finding plan, repeated, median and 95th percentile.

Run with ``make bench`` or ``python benchmarks/bench_engine.py [--findings N]``. The results are
written down in docs/performance.md.
"""

from __future__ import annotations

import argparse
import gc
import platform
import random
import statistics
import time
from typing import Any

from scleropath.protocol import Engine
from scleropath.protocol.inputs import Assessment

FINDINGS_PER_ASSESSMENT = 40


def random_assessments(engine: Engine, n_findings: int, seed: int = 20261124) -> list[dict[str, Any]]:
    """Deterministic random assessments drawn from the protocol's own vocabularies."""
    rng = random.Random(seed)
    regions = [r.id for r in engine.protocol.procedures.regions]
    conditions = sorted(engine.protocol.condition_codes)
    out: list[dict[str, Any]] = []
    made = 0
    while made < n_findings:
        count = min(FINDINGS_PER_ASSESSMENT, n_findings - made)
        findings = []
        for i in range(count):
            finding: dict[str, Any] = {
                "id": f"f{i}",
                "side": rng.choice(("left", "right")),
                "region": rng.choice(regions),
                "diameter_mm": round(rng.uniform(0.2, 9.0), 1),
                "depth": rng.choice(("intradermal", "subcutaneous", "subfascial")),
                "reflux": rng.choice((True, False, None)),
                "recurrent": rng.random() < 0.05,
            }
            if rng.random() < 0.1:
                finding["named_vein"] = rng.choice(("gsv", "ssv", "aasv", "perforator"))
            findings.append(finding)
        patient = {
            "age_years": rng.randint(18, 85),
            "sex": rng.choice(("female", "male")),
            "weight_kg": round(rng.uniform(45, 120), 1),
            "pregnant": False,
            "allergies": rng.choice(([], [], [], ["polidocanol"], ["sodium_tetradecyl_sulfate"])),
            "conditions": rng.sample(conditions, k=rng.choice((0, 0, 0, 1, 2))),
            "mobility": "ambulant",
        }
        out.append(
            {"patient": patient, "findings": findings, "planned": {"session_number": rng.randint(1, 3)}}
        )
        made += count
    return out


def timed(label: str, fn: Any) -> float:
    gc.collect()
    # The million input dicts are long-lived; freezing them keeps the cyclic collector from
    # rescanning them on every collection, as a streaming batch job would never hold them all.
    gc.freeze()
    start = time.perf_counter()
    fn()
    elapsed = time.perf_counter() - start
    print(f"  {label}: {elapsed:.2f} s")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--findings", type=int, default=1_000_000)
    parser.add_argument("--latency-runs", type=int, default=2_000)
    args = parser.parse_args()

    engine = Engine()
    print(f"Python {platform.python_version()} on {platform.machine()} ({platform.processor() or 'cpu'})")
    print(f"Generating {args.findings:,} findings in assessments of {FINDINGS_PER_ASSESSMENT}...")
    data = random_assessments(engine, args.findings)

    print("Batch:")

    def validate_all() -> None:
        for a in data:
            Assessment.model_validate(a)

    def plan_all() -> None:
        for a in data:
            engine.plan(a)

    floor = timed("validation only (floor)", validate_all)
    engine.plan(data[0])  # first call builds the protocol's cached indexes
    planned = timed("validate + plan", plan_all)
    print(f"  floor:      {args.findings / floor:>12,.0f} findings/s")
    print(f"  plan:       {args.findings / planned:>12,.0f} findings/s")
    print(f"  planning costs {planned / floor:.1f}x the validation floor")

    one = next(a for a in data if len(a["findings"]) == FINDINGS_PER_ASSESSMENT)
    samples = []
    for _ in range(args.latency_runs):
        start = time.perf_counter()
        engine.plan(one)
        samples.append(time.perf_counter() - start)
    samples.sort()
    median = statistics.median(samples) * 1000
    p95 = samples[int(len(samples) * 0.95)] * 1000
    vstart = time.perf_counter()
    for _ in range(args.latency_runs):
        Assessment.model_validate(one)
    vfloor = (time.perf_counter() - vstart) / args.latency_runs * 1000
    print(f"Latency of one {FINDINGS_PER_ASSESSMENT}-finding plan ({args.latency_runs} runs):")
    print(f"  median {median:.3f} ms, p95 {p95:.3f} ms (validation alone {vfloor:.3f} ms)")


if __name__ == "__main__":
    main()
