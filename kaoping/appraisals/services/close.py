"""Preview and close a period: results frozen with the policy version and an inputs hash.

The close is set-based (a fixed number of queries whatever the head count, inserts batched),
runs in one transaction (an interrupted close leaves nothing half-done and can simply be run
again), and closing an already closed period changes nothing and says so.
"""

from __future__ import annotations

import contextlib
import gc
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kaoping.audit.services import audit_record
from kaoping.org.models import OrgUnit, path_prefixes
from kaoping.org.services import NO_PERMISSION, Actor, company_root
from kaoping.periods.models import Period, PeriodClosure
from kaoping.scoring import InputError

from ..batch import BatchScores, Scored, prepare_parts, score_batch, score_parts
from ..facts import AppraisalRow, appraisal_rows
from ..models import Appraisal, OutcomeItem, Result

Progress = Callable[[str], None]
SCORING_FAILED = _("{count} 份考核无法计分,请先补齐:{errors}")
MORE_ERRORS = _("……另有 {count} 份")
SHOWN_ERRORS = 10
_CHUNK = 5000
_RESULT_COLUMNS = (
    "appraisal_id",
    "revision",
    "company_id",
    "unit_id",
    "employee_id",
    "period_id",
    "policy_version_id",
    "consequences_version_id",
    "inputs_hash",
    "evaluated",
    "total",
    "grade",
    "pay_ratio",
    "penalty_points",
    "fine",
    "supervisor_fine",
    "data",
    "created_at",
    "correction_reason",
)
_OUTCOME_COLUMNS = ("result_id", "company_id", "unit_id", "employee_id", "action", "status", "note")


@dataclass
class CloseReport:
    """What a close did: how many results, and whether it had already been done."""

    period: Period
    unit: OrgUnit
    results: int = 0
    outcome_items: int = 0
    already_closed: bool = False
    seconds: dict[str, float] = field(default_factory=dict)


def scoring_errors(errors: dict[int, InputError]) -> str:
    """The subjects that cannot be scored, as one message: the first few, then how many more."""
    ordered = sorted(errors.values(), key=lambda e: (e.subject or "", e.field))
    shown = "；".join(str(e) for e in ordered[:SHOWN_ERRORS])
    more = (
        MORE_ERRORS.format(count=len(ordered) - SHOWN_ERRORS) if len(ordered) > SHOWN_ERRORS else ""
    )
    return SCORING_FAILED.format(count=len(ordered), errors=shown + more)


def score_period(
    period: Period,
    rows: Sequence[AppraisalRow],
    *,
    workers: int | None = None,
    partial: bool = False,
    progress: Progress | None = None,
) -> BatchScores:
    """Score appraisals from their records.

    Subjects whose input the engine refuses are listed in the error (工号 or unit code, field,
    reason); with `partial`, they are returned in `errors` beside the results of the others.
    """
    batch = score_batch(period, rows, workers=workers, progress=progress)
    if batch.errors and not partial:
        raise ValidationError({"period": scoring_errors(batch.errors)})
    return batch


def _insert(
    table: str,
    columns: Sequence[str],
    rows: Sequence[tuple[Any, ...]],
) -> None:
    """Plain multi-row inserts, without building a model object per row.

    PostgreSQL gets COPY (text in, the server parses numbers and JSON itself); SQLite gets
    executemany of one prepared INSERT.
    """
    if connection.vendor == "postgresql":
        with _copy_into(table, columns) as copy:
            for row in rows:
                copy.write_row(row)
        return
    placeholders = ", ".join("%s" for _ in columns)
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})"
    with connection.cursor() as cursor:
        for low in range(0, len(rows), _CHUNK):
            cursor.executemany(sql, rows[low : low + _CHUNK])


def member_note(member: str) -> str:
    """The note of an outcome item for a team member (the team's result names them by 工号)."""
    return f"成员 member {member}"


def write_results(
    period: Period,
    rows: Sequence[AppraisalRow],
    scored: dict[int, Scored],
    hashes: dict[int, str],
    *,
    revision: int = 1,
    reason: str = "",
) -> dict[int, int]:
    """Insert one result per appraisal and its outcome items; return result ids by appraisal."""
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    values = []
    for row in rows:
        s = scored[row.pk]
        values.append(
            (
                row.pk,
                revision,
                row.company_id,
                row.unit_id,
                row.employee_id,
                period.pk,
                row.policy_version_id,
                row.consequences_version_id,
                hashes[row.pk],
                s.evaluated,
                s.total,
                s.grade,
                s.pay_ratio,
                s.penalty_points,
                s.fine,
                s.supervisor_fine,
                s.data,
                now,
                reason,
            )
        )
    table = Result._meta.db_table
    with connection.cursor() as cursor:  # the new rows' ids will be above this one
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
        (before,) = cursor.fetchone()
    _insert(table, _RESULT_COLUMNS, values)
    written = Result.objects.filter(id__gt=before, period=period, revision=revision)
    mine = {row.pk for row in rows}
    ids = {a: r for a, r in written.values_list("appraisal_id", "id") if a in mine}
    items = []
    for row in rows:
        s = scored[row.pk]
        result_id = ids[row.pk]
        for action in s.actions:
            items.append(
                (result_id, row.company_id, row.unit_id, row.employee_id, action, "open", "")
            )
        for member, action in s.member_actions:
            items.append(
                (
                    result_id,
                    row.company_id,
                    row.unit_id,
                    None,
                    action,
                    "open",
                    member_note(member),
                )
            )
    _insert(OutcomeItem._meta.db_table, _OUTCOME_COLUMNS, items)
    return ids


# --- PostgreSQL: the rows made in the workers, in COPY's text format ---------------------------

_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_NULL = "\\N"


def copy_text(value: object) -> str:
    """One value as COPY's text format writes it (what psycopg's `write_row` sends)."""
    if value is None:
        return _NULL
    if value is True or value is False:
        return "t" if value else "f"
    if isinstance(value, str):
        return value.translate(_COPY_ESCAPES)
    return str(value)


def _nullable(value: object) -> str:
    return _NULL if value is None else str(value)


@dataclass(frozen=True)
class CopyPart:
    """One part of a close as the worker that scored it sends it back: the refused subjects,
    or the part's results and outcome items as COPY text, ids already given."""

    errors: dict[int, InputError]
    results: bytes = b""
    items: bytes = b""
    result_count: int = 0
    item_count: int = 0


def copy_rows(
    period: Period, result_ids: dict[int, int], now: str
) -> Callable[[list[AppraisalRow], BatchScores], CopyPart]:
    """What a worker makes of a part's scores: the rows the close COPYs into the database.

    Formatting 100,000 results took the parent 1.2 s, and unpickling them from the workers as
    much again: in the workers it runs on every core, and the parent receives one bytes object
    per table and part and passes it on. A result's row has the columns ("id",
    *_RESULT_COLUMNS) in that order. Its JSON needs only its backslashes doubled: json.dumps
    writes no raw tab, newline or carriage return.
    """
    period_id = str(period.pk)

    def prepare(rows: list[AppraisalRow], scores: BatchScores) -> CopyPart:
        if scores.errors:
            return CopyPart(errors=scores.errors)
        results: list[str] = []
        items: list[str] = []
        scored, hashes = scores.scored, scores.hashes
        for row in rows:
            s = scored[row.pk]
            result_id = result_ids[row.pk]
            company, unit = row.company_id, row.unit_id
            results.append(
                "\t".join(
                    (
                        str(result_id),
                        str(row.pk),
                        "1",
                        str(company),
                        str(unit),
                        _nullable(row.employee_id),
                        period_id,
                        str(row.policy_version_id),
                        _nullable(row.consequences_version_id),
                        hashes[row.pk],
                        "t" if s.evaluated else "f",
                        _nullable(s.total),
                        copy_text(s.grade),
                        _nullable(s.pay_ratio),
                        _nullable(s.penalty_points),
                        _nullable(s.fine),
                        _nullable(s.supervisor_fine),
                        s.data.replace("\\", "\\\\"),
                        now,
                        "",
                    )
                )
            )
            employee = _nullable(row.employee_id)
            for action in s.actions:
                items.append(f"{result_id}\t{company}\t{unit}\t{employee}\t{action}\topen\t")
            for member, action in s.member_actions:
                note = copy_text(member_note(member))
                items.append(f"{result_id}\t{company}\t{unit}\t{_NULL}\t{action}\topen\t{note}")
        return CopyPart(
            errors={},
            results=("\n".join(results) + "\n").encode() if results else b"",
            items=("\n".join(items) + "\n").encode() if items else b"",
            result_count=len(results),
            item_count=len(items),
        )

    return prepare


@contextlib.contextmanager
def _copy_into(table: str, columns: Sequence[str]) -> Iterator[Any]:
    """PostgreSQL's COPY … FROM STDIN on the close's connection (psycopg's Copy object)."""
    connection.ensure_connection()
    with connection.cursor() as cursor:
        raw = cursor.cursor  # the psycopg cursor under Django's wrapper
        with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            yield copy


def _copy(table: str, columns: Sequence[str], data: bytes) -> None:
    """Rows already in COPY's text format (made by the workers)."""
    if data:
        with _copy_into(table, columns) as copy:
            copy.write(data)


def _result_ids(count: int) -> list[int]:
    """`count` new result ids from the table's own sequence (so that the workers can write
    outcome items next to their results without asking the database for them)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [Result._meta.db_table])
        (sequence,) = cursor.fetchone()
        cursor.execute(
            "SELECT nextval(%s::regclass) FROM generate_series(1, %s)", [sequence, count]
        )
        return [pk for (pk,) in cursor.fetchall()]


@dataclass(frozen=True)
class _Written:
    """A scored part, and how to write it: its refused subjects, or a `write` that inserts its
    results and outcome items and returns how many of each."""

    errors: dict[int, InputError]
    write: Callable[[], tuple[int, int]]


def _scored_and_written(
    period: Period, rows: Sequence[AppraisalRow], say: Progress
) -> Iterator[tuple[list[AppraisalRow], _Written]]:
    """Score `rows` part by part (the workers score the last parts while this process writes
    the first ones). PostgreSQL: the workers also format their rows for COPY, result ids taken
    beforehand; SQLite: this process builds the rows for executemany."""
    if connection.vendor == "postgresql":
        result_ids = dict(zip((row.pk for row in rows), _result_ids(len(rows)), strict=True))
        prepare = copy_rows(period, result_ids, timezone.now().isoformat())
        for part, copied in prepare_parts(period, rows, prepare, parts_per_worker=4, progress=say):

            def copy(copied: CopyPart = copied) -> tuple[int, int]:
                _copy(Result._meta.db_table, ("id", *_RESULT_COLUMNS), copied.results)
                _copy(OutcomeItem._meta.db_table, _OUTCOME_COLUMNS, copied.items)
                return copied.result_count, copied.item_count

            yield part, _Written(copied.errors, copy)
        return
    for part, scores in score_parts(period, rows, parts_per_worker=4, progress=say):

        def insert(
            part: list[AppraisalRow] = part, scores: BatchScores = scores
        ) -> tuple[int, int]:
            ids = write_results(period, part, scores.scored, scores.hashes)
            items = sum(len(s.actions) + len(s.member_actions) for s in scores.scored.values())
            return len(ids), items

        yield part, _Written(scores.errors, insert)


def _mark_closed(appraisal_ids: list[int]) -> None:
    """Appraisals whose results are written are closed (a bounded number of ids per query)."""
    if connection.vendor == "postgresql":  # one array, not thousands of parameters
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {Appraisal._meta.db_table} SET status = %s WHERE id = ANY(%s::bigint[])",
                [Appraisal.Status.CLOSED, appraisal_ids],
            )
        return
    for low in range(0, len(appraisal_ids), _CHUNK):
        Appraisal.objects.filter(pk__in=appraisal_ids[low : low + _CHUNK]).update(
            status=Appraisal.Status.CLOSED
        )


def period_close(
    *, actor: Actor, period: Period, unit: OrgUnit | None = None, progress: Progress | None = None
) -> CloseReport:
    """Close the period for `unit`'s subtree (the whole company by default)."""
    say = progress or (lambda message: None)
    unit = unit or company_root(period.company)
    if actor is not None and not actor.has_perm("appraisals.close_period", unit):
        raise PermissionDenied(NO_PERMISSION)
    report = CloseReport(period=period, unit=unit)
    if (
        period.status == Period.Status.CLOSED
        or PeriodClosure.objects.filter(
            period=period, unit__path__in=path_prefixes(unit.path)
        ).exists()
    ):
        report.already_closed = True
        return report
    clock = time.perf_counter()
    # A close builds millions of small objects that all stay alive until it ends: the cyclic
    # garbage collector would scan them over and over for nothing.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _close(actor, period, unit, report, say, clock)
    finally:
        if collecting:
            gc.enable()


def _close(
    actor: Actor, period: Period, unit: OrgUnit, report: CloseReport, say: Progress, clock: float
) -> CloseReport:
    with transaction.atomic():
        Period.objects.select_for_update().filter(pk=period.pk).first()
        open_here = Appraisal.objects.filter(period=period, status=Appraisal.Status.OPEN)
        if unit.parent_id is not None:  # a project or a department: its subtree only
            open_here = open_here.filter(unit__path__startswith=unit.path)
        rows = appraisal_rows(open_here)
        say(f"计分 scoring: {len(rows)} 份考核 appraisals")
        if connection.vendor == "postgresql":
            # Foreign keys checked as each part is written (while the workers score the next
            # parts), not all together at commit.
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        errors: dict[int, InputError] = {}
        writing = 0.0
        for part, written in _scored_and_written(period, rows, say):
            errors.update(written.errors)
            if errors:  # nothing will be written: go on scoring only to list every error
                continue
            started = time.perf_counter()
            results, items = written.write()
            _mark_closed([row.pk for row in part])
            report.results += results
            report.outcome_items += items
            writing += time.perf_counter() - started
            say(f"写入 wrote {report.results}/{len(rows)} results")
        if errors:
            raise ValidationError({"period": scoring_errors(errors)})
        report.seconds["score and write"] = time.perf_counter() - clock
        report.seconds["of which writing"] = writing
        clock = time.perf_counter()
        PeriodClosure.objects.create(period=period, unit=unit, closed_by=actor)
        if (
            unit.parent_id is None
            or not Appraisal.objects.filter(period=period, status=Appraisal.Status.OPEN).exists()
        ):
            Period.objects.filter(pk=period.pk).update(
                status=Period.Status.CLOSED, closed_at=timezone.now(), closed_by=actor
            )
            period.refresh_from_db()
        audit_record(
            actor=actor,
            action="period.close",
            obj=period,
            after={
                "unit": unit.code,
                "results": report.results,
                "outcome_items": report.outcome_items,
            },
        )
        report.seconds["finish"] = time.perf_counter() - clock
        clock = time.perf_counter()
    report.seconds["commit"] = time.perf_counter() - clock
    return report
