"""Ratings (自评, 上级评, review chain), interview notes, sign-off, bonus and adjustment entries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kaoping.audit.services import audit_record, snapshot
from kaoping.org.services import NO_PERMISSION, Actor
from kaoping.periods.guard import ensure_open
from kaoping.policies.selectors import engine_policy
from kaoping.scoring import InputError, validate_rating

from ..models import Appraisal, InterviewNote, Rating, ScoreEntry

PAST_DEADLINE = _("{what}已于 {deadline} 截止。")
NOT_YOURS = _("只有被考核人本人可以{what}。")
APPROVE_OWN = _("不能批准自己录入的奖扣分。")
NOT_IN_POLICY = _("本考核办法没有{what}。")
UNKNOWN_RATER = _("未知的评分人 '{rater}'。")
OUT_OF_RANGE = _("{value} 超出{title}的范围 {low}–{high}。")
ALREADY_SIGNED = _("已签字,不能重复签字。")

_RATER_PERMS = {
    "supervisor": "appraisals.rate_supervisor",
    "indirect": "appraisals.rate_indirect",
    "manager": "appraisals.rate_manager",
}


def _is_subject(actor: Actor, appraisal: Appraisal) -> bool:
    return (
        actor is not None
        and appraisal.employee is not None
        and appraisal.employee.user_id == actor.pk
    )


def _may_rate(actor: Actor, appraisal: Appraisal, rater_role: str) -> bool:
    if actor is None:
        return False  # a rating is always somebody's
    if rater_role == "self":
        return _is_subject(actor, appraisal)
    if _is_subject(actor, appraisal):
        return False  # nobody rates themselves as their own superior
    if (
        rater_role == "supervisor"
        and appraisal.supervisor is not None
        and appraisal.supervisor.user_id == actor.pk
    ):
        return True
    return actor.has_perm(_RATER_PERMS[rater_role], appraisal.unit)


def _today() -> dt.date:
    return timezone.localdate()


@transaction.atomic
def rating_submit(
    *, actor: Actor, appraisal: Appraisal, rater_role: str, values: Mapping[str, Decimal]
) -> list[Rating]:
    """Record one rater's scores for items; each is checked against the policy's bands.

    Amendments are new rows: the earlier ones stay, the latest of each rater and item stands.
    """
    if rater_role not in Rating.Rater.values:
        raise ValidationError({"rater_role": UNKNOWN_RATER.format(rater=rater_role)})
    if not _may_rate(actor, appraisal, rater_role):
        raise PermissionDenied(NO_PERMISSION)
    period = appraisal.period
    ensure_open(company_id=appraisal.company_id, day=period.end, field="values")
    deadline = period.self_deadline if rater_role == "self" else period.rating_deadline
    if deadline is not None and _today() > deadline:
        what = "自评" if rater_role == "self" else "上级评分"
        raise ValidationError({"values": PAST_DEADLINE.format(what=what, deadline=deadline)})
    policy = engine_policy(appraisal.policy_version)
    errors: dict[str, str] = {}
    for item, value in values.items():
        try:
            validate_rating(policy, rater_role, item, value)
        except InputError as exc:
            errors[f"values.{item}"] = exc.message
    if errors:
        raise ValidationError(errors)
    assert actor is not None
    ratings = [
        Rating(appraisal=appraisal, rater_role=rater_role, rater=actor, item=item, value=value)
        for item, value in values.items()
    ]
    for rating in ratings:
        rating.full_clean()
    Rating.objects.bulk_create(ratings)
    audit_record(
        actor=actor,
        action="rating.submit",
        obj=appraisal,
        after={"rater_role": rater_role, "values": dict(values)},
    )
    return ratings


@transaction.atomic
def interview_note_add(*, actor: Actor, appraisal: Appraisal, text: str) -> InterviewNote:
    """Record the appraisal interview (考核面谈)."""
    if actor is None or not (
        _is_subject(actor, appraisal) or _may_rate(actor, appraisal, "supervisor")
    ):
        raise PermissionDenied(NO_PERMISSION)
    note = InterviewNote(appraisal=appraisal, author=actor, text=text.strip())
    note.full_clean()
    note.save()
    audit_record(
        actor=actor,
        action="interview.add",
        obj=note,
        company_id=appraisal.company_id,
        after=snapshot(note),
    )
    return note


@transaction.atomic
def appraisal_sign(*, actor: Actor, appraisal: Appraisal, as_subject: bool) -> Appraisal:
    """Sign the appraisal form: the employee (本人签字) or the rater (上级签字), timestamped."""
    ensure_open(company_id=appraisal.company_id, day=appraisal.period.end, field="signature")
    appraisal = Appraisal.objects.select_for_update().get(pk=appraisal.pk)
    before = snapshot(appraisal, ["employee_signed_at", "rater_signed_at", "rater_signed_by"])
    if as_subject:
        if not _is_subject(actor, appraisal):
            raise PermissionDenied(NOT_YOURS.format(what="签字"))
        if appraisal.employee_signed_at is not None:
            raise ValidationError({"signature": ALREADY_SIGNED})
        appraisal.employee_signed_at = timezone.now()
    else:
        if actor is None or not _may_rate(actor, appraisal, "supervisor"):
            raise PermissionDenied(NO_PERMISSION)
        if appraisal.rater_signed_at is not None:
            raise ValidationError({"signature": ALREADY_SIGNED})
        appraisal.rater_signed_at = timezone.now()
        appraisal.rater_signed_by = actor
    appraisal.save(update_fields=["employee_signed_at", "rater_signed_at", "rater_signed_by"])
    audit_record(
        actor=actor,
        action="appraisal.sign",
        obj=appraisal,
        before=before,
        after=snapshot(appraisal, ["employee_signed_at", "rater_signed_at", "rater_signed_by"]),
    )
    return appraisal


@transaction.atomic
def score_entry_add(
    *, actor: Actor, appraisal: Appraisal, kind: str, value: Decimal, reason: str
) -> ScoreEntry:
    """Propose a bonus or adjustment with its reason; it counts once a manager approves it."""
    if actor is None or not actor.has_perm("appraisals.manage_entries", appraisal.unit):
        raise PermissionDenied(NO_PERMISSION)
    ensure_open(company_id=appraisal.company_id, day=appraisal.period.end, field="value")
    policy = engine_policy(appraisal.policy_version)
    rule = policy.bonus if kind == "bonus" else policy.adjustment if kind == "adjustment" else None
    if rule is None:
        what = "嘉奖加分" if kind == "bonus" else "奖扣分" if kind == "adjustment" else kind
        raise ValidationError({"kind": NOT_IN_POLICY.format(what=what)})
    if not rule.low <= value <= rule.high or value == 0:
        raise ValidationError(
            {
                "value": OUT_OF_RANGE.format(
                    value=value, title=rule.title, low=rule.low, high=rule.high
                )
            }
        )
    entry = ScoreEntry(
        appraisal=appraisal, kind=kind, value=value, reason=reason.strip(), created_by=actor
    )
    entry.full_clean()
    entry.save()
    audit_record(
        actor=actor,
        action="score_entry.add",
        obj=entry,
        company_id=appraisal.company_id,
        after=snapshot(entry),
    )
    return entry


@transaction.atomic
def score_entry_approve(*, actor: Actor, entry: ScoreEntry) -> ScoreEntry:
    """Approve a bonus or adjustment: by a department head or manager other than its author."""
    appraisal = entry.appraisal
    if actor is None or not actor.has_perm("appraisals.approve_entries", appraisal.unit):
        raise PermissionDenied(NO_PERMISSION)
    if entry.created_by_id == actor.pk:
        raise ValidationError({"approved_by": APPROVE_OWN})
    if entry.approved_at is not None or entry.rejected_at is not None:
        raise ValidationError({"approved_by": ALREADY_DECIDED})
    ensure_open(company_id=appraisal.company_id, day=appraisal.period.end, field="value")
    before = snapshot(entry)
    entry.approved_by = actor
    entry.approved_at = timezone.now()
    entry.save(update_fields=["approved_by", "approved_at"])
    audit_record(
        actor=actor,
        action="score_entry.approve",
        obj=entry,
        company_id=appraisal.company_id,
        before=before,
        after=snapshot(entry),
    )
    return entry


REJECT_OWN = _("不能驳回自己录入的奖扣分。")
ALREADY_APPROVED = _("该奖扣分已批准,不能驳回。")
ALREADY_DECIDED = _("该奖扣分已处理。")
REASON_REQUIRED = _("请填写驳回理由。")


@transaction.atomic
def score_entry_reject(*, actor: Actor, entry: ScoreEntry, reason: str) -> ScoreEntry:
    """Reject a proposed bonus or adjustment with a reason: by whoever may approve it (a
    department head or manager other than its author). It stays on the form, marked rejected
    with the reason, and never counts."""
    appraisal = entry.appraisal
    if actor is None or not actor.has_perm("appraisals.approve_entries", appraisal.unit):
        raise PermissionDenied(NO_PERMISSION)
    if entry.created_by_id == actor.pk:
        raise ValidationError({"approved_by": REJECT_OWN})
    if entry.approved_at is not None:
        raise ValidationError({"approved_by": ALREADY_APPROVED})
    if entry.rejected_at is not None:
        raise ValidationError({"approved_by": ALREADY_DECIDED})
    if not reason.strip():
        raise ValidationError({"reason": REASON_REQUIRED})
    ensure_open(company_id=appraisal.company_id, day=appraisal.period.end, field="value")
    before = snapshot(entry)
    entry.rejected_by = actor
    entry.rejected_at = timezone.now()
    entry.rejection_reason = reason.strip()
    entry.save(update_fields=["rejected_by", "rejected_at", "rejection_reason"])
    audit_record(
        actor=actor,
        action="score_entry.reject",
        obj=entry,
        company_id=appraisal.company_id,
        before=before,
        after=snapshot(entry),
        reason=reason.strip(),
    )
    return entry
