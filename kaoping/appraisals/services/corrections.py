"""Corrections of closed results: a new revision supersedes the old one, which stays."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from kaoping.audit.services import audit_record
from kaoping.org.services import Actor
from kaoping.policies.selectors import engine_policy

from ..models import Appraisal, OutcomeItem, Result
from .close import outcome_items_for, score_period

NOT_CLOSED = "该考核尚未关账,无需更正:关账前的分数随记录实时变化。"
REASON_REQUIRED = "更正必须说明原因。"


@transaction.atomic
def result_rescore(*, actor: Actor, appraisal: Appraisal, reason: str) -> Result:
    """Score a closed appraisal again from its (corrected) records as a new revision.

    Called by the appeal service after it has voided or changed a finding through a correction
    record. The previous revision stays, linked to the new one; open outcome items of the old
    revision are cancelled and the new revision's items are opened.
    """
    if not reason.strip():
        raise ValidationError({"reason": REASON_REQUIRED})
    if appraisal.status != Appraisal.Status.CLOSED:
        raise ValidationError({"appraisal": NOT_CLOSED})
    current = Result.objects.select_for_update().get(
        appraisal=appraisal, superseded_by__isnull=True
    )
    period = appraisal.period
    group = [appraisal]
    policy = engine_policy(appraisal.policy_version)
    if policy.ranking is not None:  # teams are ranked together: score the department's teams
        group = list(
            Appraisal.objects.filter(
                period=period,
                unit__parent_id=appraisal.unit.parent_id,
                policy_version=appraisal.policy_version,
            ).select_related(
                "employee", "subject_unit", "unit", "policy_version", "consequences_version"
            )
        )
    scored, hashes = score_period(period, group)
    result = scored[appraisal.pk]
    revision = (
        Result.objects.filter(appraisal=appraisal).aggregate(n=Max("revision"))["n"] or 0
    ) + 1
    outcomes = result.outcomes
    new = Result.objects.create(
        appraisal=appraisal,
        revision=revision,
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
        data=result.as_json(policy.rounding),
        correction_reason=reason.strip(),
    )
    current.superseded_by = new
    current.save(update_fields=["superseded_by"])
    OutcomeItem.objects.filter(result=current, status=OutcomeItem.Status.OPEN).update(
        status=OutcomeItem.Status.CANCELLED, note="结果已更正 / superseded by a correction"
    )
    OutcomeItem.objects.bulk_create(outcome_items_for([new]))
    audit_record(
        actor=actor,
        action="result.correct",
        obj=new,
        before={
            "revision": current.revision,
            "total": current.total,
            "grade": current.grade,
            "fine": current.fine,
        },
        after={"revision": new.revision, "total": new.total, "grade": new.grade, "fine": new.fine},
        reason=reason,
    )
    return new
