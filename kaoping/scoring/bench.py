"""The engine benchmark: a month of generated subjects and findings, scored in memory."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from .engine import score_subjects
from .inputs import Finding, Subject
from .periods import parse_period
from .policy import Policy
from .registry import builtin_policy


@dataclass(frozen=True, slots=True)
class BenchFigures:
    """What one run measured."""

    subjects: int
    findings: int
    seconds: float

    @property
    def findings_per_second(self) -> float:
        return self.findings / self.seconds if self.seconds else float("inf")

    @property
    def subjects_per_second(self) -> float:
        return self.subjects / self.seconds if self.seconds else float("inf")


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


def run_engine_bench(
    *,
    subjects: int,
    findings: int,
    policy_id: str = "cs-group-inspection",
    ledger_id: str | None = "cs-violation-penalties",
    period: str = "2026-10",
    seed: int = 2026,
    progress: Callable[[str], None] = lambda _: None,
) -> BenchFigures:
    """Generate a month and score it once, timing only the scoring."""
    policy = builtin_policy(policy_id)
    if policy is None:
        raise ValueError(f"unknown policy {policy_id}")
    ledger = builtin_policy(ledger_id) if ledger_id else None
    progress(f"生成数据 generating: {subjects} subjects, {findings} findings …")
    month = generate_month(policy, subjects=subjects, findings=findings, seed=seed)
    progress("计分 scoring …")
    started = time.perf_counter()
    results = score_subjects(policy, parse_period(period, policy.period), month, ledger=ledger)
    seconds = time.perf_counter() - started
    assert len(results) == subjects
    return BenchFigures(subjects, findings, seconds)
