"""Scoring a batch of appraisals, on several processes when the batch is large.

Subjects are grouped by policy version and ledger (teams also by department, since teams are
ranked together); large groups are split into slices scored by forked worker processes, which
return compact rows: the engine's JSON already serialised, the figures the database indexes, and
the actions for HR. Results are identical whatever the number of workers.
"""

from __future__ import annotations

import json
import multiprocessing
import os
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings

from kaoping.periods.models import Period
from kaoping.scoring import Policy, RankingItem, Subject, parse_period, score_subjects
from kaoping.scoring.inputs import HistoryEntry
from kaoping.scoring.results import Result as EngineResult

from .facts import AppraisalRow, Facts, engine_policies

PARALLEL_FROM = 4000  # below this many subjects a single process is faster than forking


@dataclass(frozen=True, slots=True)
class Scored:
    """One appraisal's result, ready to be written."""

    appraisal_id: int
    evaluated: bool
    total: Decimal | None
    grade: str
    pay_ratio: Decimal | None
    penalty_points: Decimal | None
    fine: Decimal | None
    supervisor_fine: Decimal | None
    data: str  # the engine's result as JSON text (sections, outcomes, explain)
    actions: tuple[str, ...]
    member_actions: tuple[tuple[str, str], ...]  # (member id, action)


@dataclass(frozen=True)
class _Job:
    policy: Policy
    ledger: Policy | None
    period: str
    subjects: tuple[Subject, ...]
    appraisal_ids: tuple[int, ...]
    history: dict[str, tuple[HistoryEntry, ...]]
    ranking_items: tuple[RankingItem, ...] | None


_JOBS: list[_Job] = []  # shared with forked workers


def compact(appraisal_id: int, result: EngineResult, rounding: int) -> Scored:
    """The engine's result as the row the close writes."""
    data = result.as_json(rounding)
    outcomes = result.outcomes
    members = tuple((m.id, action) for m in outcomes.members or () for action in m.actions)
    return Scored(
        appraisal_id=appraisal_id,
        evaluated=result.evaluated,
        total=result.total,
        grade=result.grade or "",
        pay_ratio=outcomes.pay_ratio,
        penalty_points=outcomes.penalty_points,
        fine=outcomes.fine,
        supervisor_fine=outcomes.supervisor_fine,
        data=json.dumps(data, ensure_ascii=False, separators=(",", ":")),
        actions=tuple(outcomes.actions or ()) if result.evaluated else (),
        member_actions=members,
    )


def _run(task: tuple[int, int, int]) -> list[Scored]:
    index, low, high = task
    job = _JOBS[index]
    results = score_subjects(
        job.policy,
        parse_period(job.period, job.policy.period),
        job.subjects[low:high],
        ledger=job.ledger,
        history=job.history,
        ranking_items=job.ranking_items,
    )
    return [
        compact(appraisal_id, result, job.policy.rounding)
        for appraisal_id, result in zip(job.appraisal_ids[low:high], results, strict=True)
    ]


def workers_setting() -> int:
    configured = getattr(settings, "KAOPING_SCORING_WORKERS", None)
    return int(configured) if configured else (os.cpu_count() or 1)


def score_batch(
    period: Period,
    rows: Sequence[AppraisalRow],
    facts: Facts,
    *,
    workers: int | None = None,
    parallel_from: int = PARALLEL_FROM,
) -> dict[int, Scored]:
    """Score every appraisal of `rows` from `facts`; InputError names the failing subject."""
    policies = engine_policies(
        [r.policy_version_id for r in rows] + [r.consequences_version_id for r in rows]
    )
    groups: dict[tuple[int, int | None, int | None], list[AppraisalRow]] = defaultdict(list)
    for row in rows:
        department = (
            row.unit_parent_id if policies[row.policy_version_id].ranking is not None else None
        )
        groups[(row.policy_version_id, row.consequences_version_id, department)].append(row)
    jobs: list[_Job] = []
    for (version_id, ledger_id, department), members in groups.items():
        policy = policies[version_id]
        jobs.append(
            _Job(
                policy=policy,
                ledger=policies[ledger_id] if ledger_id is not None else None,
                period=period.key,
                subjects=tuple(facts.subjects[r.pk] for r in members),
                appraisal_ids=tuple(r.pk for r in members),
                history=facts.history,
                ranking_items=facts.ranking_items.get(department or 0, ())
                if policy.ranking
                else None,
            )
        )
    count = workers or workers_setting()
    tasks: list[tuple[int, int, int]] = []
    for index, job in enumerate(jobs):
        size = len(job.subjects)
        slices = (
            count if (count > 1 and size >= PARALLEL_FROM and job.policy.ranking is None) else 1
        )
        step = -(-size // slices)
        tasks += [(index, low, min(low + step, size)) for low in range(0, size, step)]
    _JOBS[:] = jobs
    try:
        if count > 1 and len(rows) >= parallel_from:
            with multiprocessing.get_context("fork").Pool(count) as pool:
                parts = pool.map(_run, tasks)
        else:
            parts = [_run(task) for task in tasks]
    finally:
        _JOBS.clear()
    return {scored.appraisal_id: scored for part in parts for scored in part}
