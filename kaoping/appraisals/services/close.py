"""Preview and close a period: results frozen with the policy version and an inputs hash.

The close is set-based (a fixed number of queries, whatever the head count), runs in one
transaction (an interrupted close leaves nothing half-done and can simply be run again), and
closing an already closed period changes nothing and says so.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from kaoping.audit.services import audit_record
from kaoping.org.models import OrgUnit
from kaoping.org.services import NO_PERMISSION, Actor, company_root
from kaoping.periods.models import Period, PeriodClosure
from kaoping.policies.selectors import engine_policy
from kaoping.scoring import InputError
from kaoping.scoring.results import Result as EngineResult

from ..facts import build_facts, score_facts
from ..models import Appraisal, OutcomeItem, Result

Progress = Callable[[str], None]
SCORING_FAILED = "{subject}:{error}"


@dataclass
class CloseReport:
    """What a close did: how many results, and whether it had already been done."""

    period: Period
    unit: OrgUnit
    results: int = 0
    outcome_items: int = 0
    already_closed: bool = False
    seconds: dict[str, float] = field(default_factory=dict)


def _appraisals(period: Period, unit: OrgUnit) -> list[Appraisal]:
    return list(
        Appraisal.objects.filter(
            period=period, unit__path__startswith=unit.path, status=Appraisal.Status.OPEN
        )
        .select_related(
            "employee",
            "subject_unit",
            "unit",
            "policy_version__document",
            "consequences_version__document",
        )
        .order_by("id")
    )


def score_period(
    period: Period, appraisals: Sequence[Appraisal]
) -> tuple[dict[int, EngineResult], dict[int, str]]:
    """Score appraisals from their records; errors name the subject (工号 or unit code)."""
    facts = build_facts(period, appraisals)
    try:
        scored = score_facts(period, appraisals, facts)
    except InputError as exc:
        raise ValidationError(
            {"period": SCORING_FAILED.format(subject=exc.subject or "", error=exc)}
        ) from None
    return scored, facts.hashes  # type: ignore[return-value]


def _decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(value)


def period_close(
    *, actor: Actor, period: Period, unit: OrgUnit | None = None, progress: Progress | None = None
) -> CloseReport:
    """Close the period for `unit`'s subtree (the whole company by default)."""
    import time

    say = progress or (lambda message: None)
    unit = unit or company_root(period.company)
    if actor is not None and not actor.has_perm("appraisals.close_period", unit):
        raise PermissionDenied(NO_PERMISSION)
    report = CloseReport(period=period, unit=unit)
    if (
        period.status == Period.Status.CLOSED
        or PeriodClosure.objects.filter(period=period, unit__path__in=_prefixes(unit.path)).exists()
    ):
        report.already_closed = True
        return report
    clock = time.perf_counter()
    with transaction.atomic():
        Period.objects.select_for_update().filter(pk=period.pk).first()
        appraisals = _appraisals(period, unit)
        say(f"载入 loading: {len(appraisals)} 份考核 appraisals")
        scored, hashes = score_period(period, appraisals)
        report.seconds["score"] = time.perf_counter() - clock
        say(f"计分完成 scored in {report.seconds['score']:.1f} s")
        clock = time.perf_counter()
        rows: list[Result] = []
        for appraisal in appraisals:
            result = scored[appraisal.pk]
            data = result.as_json(engine_policy(appraisal.policy_version).rounding)
            outcomes = result.outcomes
            rows.append(
                Result(
                    appraisal=appraisal,
                    revision=1,
                    company_id=appraisal.company_id,
                    unit_id=appraisal.unit_id,
                    employee_id=appraisal.employee_id,
                    period=period,
                    policy_version_id=appraisal.policy_version_id,
                    consequences_version_id=appraisal.consequences_version_id,
                    inputs_hash=hashes[appraisal.pk],
                    evaluated=result.evaluated,
                    total=result.total,
                    grade=result.grade or "",
                    pay_ratio=outcomes.pay_ratio,
                    penalty_points=outcomes.penalty_points,
                    fine=outcomes.fine,
                    supervisor_fine=outcomes.supervisor_fine,
                    data=data,
                )
            )
        Result.objects.bulk_create(rows, batch_size=1000)
        report.results = len(rows)
        report.seconds["write_results"] = time.perf_counter() - clock
        say(f"写入结果 wrote {len(rows)} results in {report.seconds['write_results']:.1f} s")
        clock = time.perf_counter()
        items = outcome_items_for(rows)
        OutcomeItem.objects.bulk_create(items, batch_size=2000)
        report.outcome_items = len(items)
        Appraisal.objects.filter(
            period=period, unit__path__startswith=unit.path, status=Appraisal.Status.OPEN
        ).update(status=Appraisal.Status.CLOSED)
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
    return report


def _prefixes(path: str) -> list[str]:
    parts = [p for p in path.split("/") if p]
    return ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def outcome_items_for(results: Sequence[Result]) -> list[OutcomeItem]:
    """One item per action of each result (and of each team member) for HR to work through."""
    items: list[OutcomeItem] = []
    for result in results:
        outcomes = result.data.get("outcomes", {}) if result.evaluated else {}
        for action in outcomes.get("actions", []):
            items.append(
                OutcomeItem(
                    result=result,
                    company_id=result.company_id,
                    unit_id=result.unit_id,
                    employee_id=result.employee_id,
                    action=action,
                )
            )
        for member in outcomes.get("members", []):
            for action in member.get("actions", []):
                items.append(
                    OutcomeItem(
                        result=result,
                        company_id=result.company_id,
                        unit_id=result.unit_id,
                        action=action,
                        note=f"成员 member {member['id']}",
                    )
                )
    return items
