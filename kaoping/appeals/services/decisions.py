"""Deciding an appeal (申诉处理): upheld, partly upheld or rejected, with its corrections.

An upheld appeal corrects findings through `FindingCorrection` records. A finding dated inside
a closed period is corrected here on purpose, past the closed-period lock (periods.guard), and
the closed result is then re-scored as a new revision (`result_rescore`) that supersedes the old.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy

from kaoping.appraisals.models import Appraisal
from kaoping.appraisals.services.corrections import result_rescore
from kaoping.audit.services import audit_record, snapshot
from kaoping.inspections.models import Finding
from kaoping.inspections.services import corrective_actions_cancel
from kaoping.org.services import Actor
from kaoping.policies.selectors import engine_policy
from kaoping.scoring import InputError
from kaoping.scoring.engine import resolve_finding
from kaoping.scoring.inputs import Finding as EngineFinding

from ..models import Appeal, AppealStep, FindingCorrection
from ..selectors import period_window
from ._common import locked_appeal, now_or_current, require, require_open

ONE_DECIMAL = Decimal("0.1")

NOT_THE_HOLDER = gettext_lazy("您不是该申诉当前级别({level})的处理人。")
DECISION_REASON_REQUIRED = gettext_lazy("请填写处理意见(决定理由)。")
UNKNOWN_OUTCOME = gettext_lazy("处理结果须为:申诉成立、部分成立或驳回。")
CORRECTION_REQUIRED = gettext_lazy(
    "申诉成立(含部分成立)时,须至少更正一条违规记录(撤销或改变扣分)。"
)
NO_CORRECTION_ON_REJECT = gettext_lazy("驳回申诉时不能更正违规记录。")
CORRECTION_UNKNOWN_ACTION = gettext_lazy("未知的更正方式“{action}”(可选:撤销、改变扣分)。")
CORRECTION_OUTSIDE = gettext_lazy("违规记录 #{pk} 不在本申诉的范围内。")
CORRECTION_TWICE = gettext_lazy("违规记录 #{pk} 重复更正。")
CORRECTION_VOIDED = gettext_lazy("违规记录 #{pk} 已撤销。")
ACTION_CANCELLED = gettext_lazy("违规记录经申诉 #{pk} 撤销,无需整改。")
POINTS_REQUIRED = gettext_lazy("请填写违规记录 #{pk} 的新扣分。")
POINTS_NOT_LOWER = gettext_lazy(
    "申诉更正只能减少扣分:违规记录 #{pk} 原扣 {old} 分,新扣分须低于此数。"
)
POINTS_INVALID = gettext_lazy("违规记录 #{pk}:{message}")
CORRECTION_REASON = "申诉 #{pk}({outcome}):{reason}"


@dataclass(frozen=True)
class Correction:
    """What an upholding decision does to one finding: void it (撤销) or lower its points."""

    finding: Finding
    action: str  # FindingCorrection.Action
    points: Decimal | None = None

    @classmethod
    def void(cls, finding: Finding) -> Correction:
        return cls(finding=finding, action=FindingCorrection.Action.VOID)

    @classmethod
    def change_points(cls, finding: Finding, points: Decimal | str | int) -> Correction:
        return cls(
            finding=finding, action=FindingCorrection.Action.CHANGE_POINTS, points=Decimal(points)
        )


def _correctable(appeal: Appeal) -> Q:
    """The findings an appeal may correct: the one appealed, or for a result the appellant's
    findings of that result's period."""
    finding = appeal.target_finding
    if finding is not None:
        return Q(pk=finding.pk)
    assert appeal.result is not None
    start, end = period_window(appeal.result.period)
    return Q(
        company_id=appeal.company_id,
        employee_id=appeal.employee_id,
        occurred_at__gte=start,
        occurred_at__lt=end,
    )


def _checked_corrections(
    appeal: Appeal, corrections: Sequence[Correction]
) -> list[tuple[Finding, Correction]]:
    """Lock the findings and check every correction before anything is written."""
    ids = [c.finding.pk for c in corrections]
    for pk in ids:
        if ids.count(pk) > 1:
            raise ValidationError({"corrections": CORRECTION_TWICE.format(pk=pk)})
    findings = {
        f.pk: f
        for f in Finding.objects.select_for_update(of=("self",))
        .filter(_correctable(appeal), pk__in=ids)
        .select_related("policy_version__document")
    }
    checked = []
    for correction in corrections:
        pk = correction.finding.pk
        finding = findings.get(pk)
        if finding is None:
            raise ValidationError({"corrections": CORRECTION_OUTSIDE.format(pk=pk)})
        if correction.action not in FindingCorrection.Action.values:
            raise ValidationError(
                {"corrections": CORRECTION_UNKNOWN_ACTION.format(action=correction.action)}
            )
        if finding.status == Finding.Status.VOIDED:
            raise ValidationError({"corrections": CORRECTION_VOIDED.format(pk=pk)})
        if correction.action == FindingCorrection.Action.CHANGE_POINTS:
            _check_points(finding, correction.points)
        checked.append((finding, correction))
    return checked


def _check_points(finding: Finding, points: Decimal | None) -> None:
    """The new points are lower than the old and allowed by the finding's own policy version."""
    if points is None:
        raise ValidationError({"corrections": POINTS_REQUIRED.format(pk=finding.pk)})
    if points >= finding.points:
        raise ValidationError(
            {"corrections": POINTS_NOT_LOWER.format(pk=finding.pk, old=finding.points)}
        )
    try:
        resolve_finding(
            engine_policy(finding.policy_version),
            EngineFinding(
                section=finding.section,
                points=points,
                severity=finding.severity or None,
                item=finding.item or None,
                mandatory_penalty=finding.mandatory_penalty,
                supervisor_liable=finding.supervisor_liable,
            ),
        )
    except InputError as exc:
        raise ValidationError(
            {"corrections": POINTS_INVALID.format(pk=finding.pk, message=exc.message)}
        ) from None


def _finding_correct(
    *, actor: Actor, appeal: Appeal, finding: Finding, correction: Correction, now: dt.datetime
) -> FindingCorrection:
    """Apply one correction; on purpose past the closed-period lock (only appeals may)."""
    before = snapshot(finding)
    record = FindingCorrection(
        finding=finding,
        appeal=appeal,
        action=correction.action,
        old_points=finding.points,
        by=actor,
        at=now,
    )
    if correction.action == FindingCorrection.Action.VOID:
        finding.status = Finding.Status.VOIDED
        finding.save(update_fields=["status"])
        corrective_actions_cancel(
            actor=actor, finding=finding, reason=ACTION_CANCELLED.format(pk=appeal.pk)
        )
    else:
        assert correction.points is not None
        record.new_points = correction.points.quantize(ONE_DECIMAL)
        finding.points = record.new_points
        finding.save(update_fields=["points"])
    record.full_clean()
    record.save()
    audit_record(
        actor=actor,
        action="finding.correct",
        obj=finding,
        before=before,
        after={**snapshot(finding), "correction_id": record.pk, "appeal_id": appeal.pk},
        reason=f"申诉 #{appeal.pk}",
    )
    return record


def _closed_appraisals(findings: Iterable[Finding]) -> list[Appraisal]:
    """The closed appraisals whose frozen results counted these findings."""
    condition = Q(pk__in=[])
    for finding in findings:
        day = timezone.localdate(finding.occurred_at)
        condition |= Q(
            employee_id=finding.employee_id,
            company_id=finding.company_id,
            period__start__lte=day,
            period__end__gte=day,
        )
    return list(
        Appraisal.objects.filter(condition, status=Appraisal.Status.CLOSED)
        .select_related("period", "unit", "employee", "subject_unit", "policy_version")
        .order_by("period__start", "id")
    )


@transaction.atomic
def appeal_decide(
    *,
    actor: Actor,
    appeal: Appeal,
    outcome: str,
    reason: str,
    corrections: Sequence[Correction] = (),
    now: dt.datetime | None = None,
) -> Appeal:
    """Decide an appeal at its current level: upheld (申诉成立), partly upheld or rejected (驳回).

    Only a holder of the current level over the appeal's unit decides (never the appellant nor
    the inspector appealed against), always with a reason. Upholding, fully or partly, corrects
    at least one finding: voided, or its points lowered within its policy version's range. When
    a corrected finding lies in a closed period, the closed result is re-scored as a new
    revision that supersedes the old one (which stays). A rejection below the final level may be
    taken to the next level by the appellant (appeal_escalate_request).
    """
    now = now_or_current(now)
    appeal = locked_appeal(appeal)
    require_open(appeal, "处理")
    require(
        actor,
        "appeals.decide",
        appeal,
        NOT_THE_HOLDER.format(level=appeal.get_level_display()),
    )
    if outcome not in Appeal.DECIDED:
        raise ValidationError({"outcome": UNKNOWN_OUTCOME})
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": DECISION_REASON_REQUIRED})
    if outcome == Appeal.Status.REJECTED and corrections:
        raise ValidationError({"corrections": NO_CORRECTION_ON_REJECT})
    if outcome != Appeal.Status.REJECTED and not corrections:
        raise ValidationError({"corrections": CORRECTION_REQUIRED})
    checked = _checked_corrections(appeal, list(corrections))

    before = snapshot(appeal)
    for finding, correction in checked:
        _finding_correct(
            actor=actor, appeal=appeal, finding=finding, correction=correction, now=now
        )
    label = str(Appeal.Status(outcome).label)
    for appraisal in _closed_appraisals(finding for finding, _ in checked):
        result_rescore(
            actor=actor,
            appraisal=appraisal,
            reason=CORRECTION_REASON.format(pk=appeal.pk, outcome=label, reason=reason),
        )
    AppealStep.objects.create(
        appeal=appeal,
        level=appeal.level,
        kind=AppealStep.Kind.DECISION,
        outcome=outcome,
        reason=reason,
        actor=actor,
        at=now,
    )
    appeal.status = outcome
    appeal.closed_at = now
    appeal.save(update_fields=["status", "closed_at"])
    audit_record(
        actor=actor,
        action="appeal.decide",
        obj=appeal,
        before=before,
        after=snapshot(appeal),
        reason=reason,
    )
    return appeal
