"""Scoring a batch of appraisals, on several processes when the batch is large.

A large batch is split into parts (employees by contiguous ranges of id, units together so that
teams ranked with one another stay together); each part is loaded from the database *and* scored
by its own forked worker on its own connection, so reading millions of findings runs on every
core, not in the parent alone. Workers return compact rows: the engine's JSON already
serialised, the figures the database indexes, the actions for HR, the inputs hash. Results are
identical whatever the number of workers.

A subject whose input the engine refuses (a missing rating, say) does not stop the others: its
error is returned next to the results of the rest, and the caller decides (the close refuses and
lists them all; the preview shows them on their lines).
"""

from __future__ import annotations

import json
import multiprocessing
import os
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

from django.conf import settings
from django.db import connections
from django.utils.translation import gettext_lazy as _

from kaoping.periods.models import Period
from kaoping.scoring import InputError, Policy, RankingItem, Subject, parse_period, score_subjects
from kaoping.scoring.inputs import HistoryEntry
from kaoping.scoring.results import Result as EngineResult

from .facts import AppraisalRow, build_facts, engine_policies

PARALLEL_FROM = 4000  # below this many subjects a single process is faster than forking
RANKED_WITH_FAILED = _("同组排名的{subject}无法计分,本组排名暂不能计算")


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


@dataclass
class BatchScores:
    """What scoring a batch gave: results, inputs hashes and the subjects that could not be
    scored, each by appraisal id."""

    scored: dict[int, Scored] = field(default_factory=dict)
    hashes: dict[int, str] = field(default_factory=dict)
    errors: dict[int, InputError] = field(default_factory=dict)

    def merge(self, other: BatchScores) -> None:
        self.scored.update(other.scored)
        self.hashes.update(other.hashes)
        self.errors.update(other.errors)


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


def _score_group(
    policy: Policy,
    ledger: Policy | None,
    period: str,
    members: list[tuple[int, Subject]],
    history: dict[str, tuple[HistoryEntry, ...]],
    ranking_items: tuple[RankingItem, ...] | None,
    out: BatchScores,
) -> None:
    """Score subjects that are scored together; on a refused input, find every refused one."""

    def run(chosen: list[tuple[int, Subject]]) -> None:
        results = score_subjects(
            policy,
            parse_period(period, policy.period),
            [subject for _, subject in chosen],
            ledger=ledger,
            history=history,
            ranking_items=ranking_items,
        )
        for (appraisal_id, _subject), result in zip(chosen, results, strict=True):
            out.scored[appraisal_id] = compact(appraisal_id, result, policy.rounding)

    try:
        run(members)
        return
    except InputError:
        pass
    if policy.ranking is None:  # each subject stands alone: score them one by one
        for member in members:
            try:
                run([member])
            except InputError as exc:
                out.errors[member[0]] = exc
        return
    # Ranked together: a refused subject makes the group's ranking undecidable. Name every
    # refused subject, and say why the others cannot be ranked.
    remaining = list(members)
    failed: list[str] = []
    while remaining:
        try:
            score_subjects(
                policy,
                parse_period(period, policy.period),
                [subject for _, subject in remaining],
                ledger=ledger,
                history=history,
                ranking_items=ranking_items,
            )
            break
        except InputError as exc:
            culprit = next((m for m in remaining if m[1].id == exc.subject), remaining[0])
            out.errors[culprit[0]] = exc
            failed.append(culprit[1].id)
            remaining.remove(culprit)
    for appraisal_id, subject in remaining:
        out.errors[appraisal_id] = InputError(
            RANKED_WITH_FAILED.format(subject="、".join(failed)), subject=subject.id
        )


def score_rows(period: Period, rows: Sequence[AppraisalRow]) -> BatchScores:
    """Load the records of `rows` and score them, in this process."""
    out = BatchScores()
    if not rows:
        return out
    facts = build_facts(period, rows)
    out.hashes = facts.hashes
    policies = engine_policies(
        [r.policy_version_id for r in rows] + [r.consequences_version_id for r in rows]
    )
    groups: dict[tuple[int, int | None, int | None], list[AppraisalRow]] = defaultdict(list)
    for row in rows:
        ranked = policies[row.policy_version_id].ranking is not None
        groups[
            (
                row.policy_version_id,
                row.consequences_version_id,
                facts.ranking_unit(row.unit_path) if ranked else None,
            )
        ].append(row)
    for (version_id, ledger_id, ranking_unit), members in groups.items():
        policy = policies[version_id]
        _score_group(
            policy,
            policies[ledger_id] if ledger_id is not None else None,
            period.key,
            [(r.pk, facts.subjects[r.pk]) for r in members],
            facts.history,
            facts.ranking_items.get(ranking_unit or 0, ()) if policy.ranking else None,
            out,
        )
    return out


def partition(rows: Sequence[AppraisalRow], count: int) -> list[list[AppraisalRow]]:
    """Split `rows` into at most `count` parts of about equal size: employees by contiguous
    ranges of id (each worker then reads one range of findings), units all in one part (teams
    ranked together must be scored together)."""
    units = [r for r in rows if r.employee_id is None]
    people = sorted((r for r in rows if r.employee_id is not None), key=_employee_key)
    size = -(-len(rows) // count)
    parts: list[list[AppraisalRow]] = [units]
    for row in people:
        if len(parts[-1]) >= size:
            parts.append([])
        parts[-1].append(row)
    return [part for part in parts if part]


def _employee_key(row: AppraisalRow) -> int:
    return row.employee_id or 0


T = TypeVar("T")
Prepare = Callable[[list[AppraisalRow], BatchScores], Any]

# Shared with forked workers: each part, and what to make of its scores before sending them.
_PARTS: list[tuple[Period, list[AppraisalRow]]] = []
_PREPARE: list[Prepare] = []
_INHERITED: list[Any] = []  # the parent's connections, kept alive and unused in a worker


def _worker_start() -> None:
    """In a forked worker: leave the parent's database connections alone (closing them would
    close the parent's session) and open fresh ones on first use. An in-memory SQLite database
    exists only in the parent's memory, of which the worker has a private copy: keep using it.
    """
    for conn in connections.all(initialized_only=True):
        if conn.connection is None:
            continue
        if conn.vendor == "sqlite" and conn.is_in_memory_db():  # type: ignore[attr-defined]
            continue
        _INHERITED.append(conn.connection)
        conn.connection = None


def _run_part(index: int) -> tuple[int, Any]:
    period, rows = _PARTS[index]
    return index, _PREPARE[0](rows, score_rows(period, rows))


def _as_scored(_rows: list[AppraisalRow], scores: BatchScores) -> BatchScores:
    return scores


def workers_setting() -> int:
    configured = getattr(settings, "KAOPING_SCORING_WORKERS", None)
    return int(configured) if configured else (os.cpu_count() or 1)


def score_batch(
    period: Period,
    rows: Sequence[AppraisalRow],
    *,
    workers: int | None = None,
    parallel_from: int | None = None,
    progress: Callable[[str], None] | None = None,
) -> BatchScores:
    """Load and score every appraisal of `rows` (all of `period`).

    Workers read the database on connections of their own, so the caller must not hold
    uncommitted writes that the scoring needs to see (the close reads before it writes).
    """
    out = BatchScores()
    for _part, scores in score_parts(
        period, rows, workers=workers, parallel_from=parallel_from, progress=progress
    ):
        out.merge(scores)
    return out


def score_parts(
    period: Period,
    rows: Sequence[AppraisalRow],
    *,
    workers: int | None = None,
    parallel_from: int | None = None,
    parts_per_worker: int = 1,
    progress: Callable[[str], None] | None = None,
) -> Iterator[tuple[list[AppraisalRow], BatchScores]]:
    """Like `score_batch`, part by part as each is scored: (the part's rows, their scores).

    With `parts_per_worker` > 1 the batch is cut finer than the number of workers, so that the
    caller can write the first parts while the workers score the last ones.
    """
    yield from prepare_parts(
        period,
        rows,
        _as_scored,
        workers=workers,
        parallel_from=parallel_from,
        parts_per_worker=parts_per_worker,
        progress=progress,
    )


def prepare_parts(
    period: Period,
    rows: Sequence[AppraisalRow],
    prepare: Callable[[list[AppraisalRow], BatchScores], T],
    *,
    workers: int | None = None,
    parallel_from: int | None = None,
    parts_per_worker: int = 1,
    progress: Callable[[str], None] | None = None,
) -> Iterator[tuple[list[AppraisalRow], T]]:
    """Score part by part and yield (the part's rows, `prepare(rows, scores)`).

    `prepare` runs where the part was scored, in a worker: what the caller needs of the scores
    (the close: its rows already in the database's COPY format) is made on every core, and only
    that is sent back to this process, not 100,000 result objects to unpickle.
    """
    count = workers or workers_setting()
    if count <= 1 or len(rows) < (PARALLEL_FROM if parallel_from is None else parallel_from):
        part = list(rows)
        yield part, prepare(part, score_rows(period, rows))
        return
    parts = partition(rows, count * parts_per_worker)
    _PARTS[:] = [(period, part) for part in parts]
    _PREPARE[:] = [prepare]
    done_rows = 0
    try:
        context = multiprocessing.get_context("fork")
        with context.Pool(min(count, len(parts)), initializer=_worker_start) as pool:
            for done, (index, prepared) in enumerate(
                pool.imap_unordered(_run_part, range(len(parts))), 1
            ):
                done_rows += len(parts[index])
                if progress is not None:
                    progress(f"计分 scored part {done}/{len(parts)}: {done_rows} subjects")
                yield parts[index], prepared
    finally:
        _PARTS.clear()
        _PREPARE.clear()
