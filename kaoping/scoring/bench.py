"""The engine benchmark: a month of generated subjects and findings, scored in memory."""

from __future__ import annotations

import gc
import multiprocessing
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from .engine import score_subjects
from .inputs import Finding, Subject
from .periods import Period, parse_period
from .policy import Policy
from .registry import builtin_policy
from .results import Result


@dataclass(frozen=True, slots=True)
class BenchFigures:
    """What the runs measured: wall-clock seconds of each scoring run."""

    subjects: int
    findings: int
    workers: int
    seconds: tuple[float, ...]


def generate_month(
    policy: Policy, *, subjects: int, findings: int, seed: int = 2026
) -> list[Subject]:
    """Subjects with `findings` valid findings spread at random over them.

    Findings pick a section, a severity and points inside its range, and an item from a small
    vocabulary (so repeats happen, as in real months); 1 in 50 is flagged supervisor-liable.
    """
    rng = random.Random(seed)
    shapes: list[tuple[str, str, Decimal]] = []
    for section in policy.sections:
        for severity, bounds in section.severities.items():
            value = bounds.low
            while value <= bounds.high:
                shapes.append((section.id, severity, value))
                value += Decimal("0.5")
    if not shapes:
        raise ValueError(f"{policy.id} has no sections that take findings with severities")
    items = [f"item{n:02d}" for n in range(40)]
    per_subject = [0] * subjects
    for _ in range(findings):
        per_subject[rng.randrange(subjects)] += 1
    month: list[Subject] = []
    for index, count in enumerate(per_subject):
        subject_findings = []
        for _ in range(count):
            section_id, severity, points = shapes[rng.randrange(len(shapes))]
            subject_findings.append(
                Finding(
                    section=section_id,
                    severity=severity,
                    points=points,
                    item=items[rng.randrange(len(items))],
                    supervisor_liable=rng.randrange(50) == 0,
                )
            )
        month.append(
            Subject(
                id=f"E{index:06d}", findings=tuple(subject_findings), given=frozenset({"findings"})
            )
        )
    return month


# The month being scored, shared with forked workers without copying it through a pipe.
_MONTH: list[Subject] = []
_JOB: tuple[Policy, Period, Policy | None] | None = None


def _score_shard(bounds: tuple[int, int]) -> tuple[int, Decimal, Decimal]:
    """Score one slice of the month in a worker; return its count and checksums."""
    assert _JOB is not None
    policy, period, ledger = _JOB
    results = score_subjects(policy, period, _MONTH[bounds[0] : bounds[1]], ledger=ledger)
    return _summary(results)


def _summary(results: list[Result]) -> tuple[int, Decimal, Decimal]:
    totals = sum((r.total or Decimal(0) for r in results), Decimal(0))
    fines = sum((r.outcomes.fine or Decimal(0) for r in results), Decimal(0))
    return len(results), totals, fines


def run_engine_bench(
    *,
    subjects: int,
    findings: int,
    policy_id: str = "cs-group-inspection",
    ledger_id: str | None = "cs-violation-penalties",
    period: str = "2026-10",
    seed: int = 2026,
    repeat: int = 1,
    workers: int = 1,
    progress: Callable[[str], None] = lambda _: None,
) -> BenchFigures:
    """Generate a month, then score it `repeat` times, timing only the scoring.

    With several workers the month is split into contiguous slices scored by forked processes
    (each keeps its results, as a close worker writing them to the database would); the
    checksums of every run must agree, or the run is refused.
    """
    global _JOB
    policy = builtin_policy(policy_id)
    if policy is None:
        raise ValueError(f"unknown policy {policy_id}")
    ledger = builtin_policy(ledger_id) if ledger_id else None
    progress(f"生成数据 generating {subjects} subjects, {findings} findings")
    _MONTH[:] = generate_month(policy, subjects=subjects, findings=findings, seed=seed)
    _JOB = (policy, parse_period(period, policy.period), ledger)
    step = -(-subjects // workers)
    shards = [(i, min(i + step, subjects)) for i in range(0, subjects, step)]
    timings: list[float] = []
    checks: set[tuple[int, Decimal, Decimal]] = set()
    for run in range(1, repeat + 1):
        progress(f"计分 scoring, run {run}/{repeat}")
        gc.collect()
        started = time.perf_counter()
        if workers == 1:
            summary = _score_shard((0, subjects))
        else:
            context = multiprocessing.get_context("fork")
            with context.Pool(workers) as pool:
                parts = pool.map(_score_shard, shards)
            summary = (
                sum(p[0] for p in parts),
                sum((p[1] for p in parts), Decimal(0)),
                sum((p[2] for p in parts), Decimal(0)),
            )
        timings.append(time.perf_counter() - started)
        checks.add(summary)
        progress(f"  {timings[-1]:.2f} s")
    if len(checks) != 1 or next(iter(checks))[0] != subjects:
        raise RuntimeError(f"runs disagree: {sorted(checks)}")
    _MONTH.clear()
    return BenchFigures(subjects, findings, workers, tuple(timings))
