"""Escalating (升级) and withdrawing (撤回) appeals; the scheduled escalation of overdue ones."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kaoping.audit.services import audit_record, snapshot
from kaoping.org.services import Actor

from ..models import Appeal, AppealStep, Level
from ..workdays import APPEAL_WORKING_DAYS, add_working_days
from ._common import (
    ONLY_THE_APPELLANT,
    level_from,
    locked_appeal,
    now_or_current,
    require,
    require_open,
)

ESCALATION_REASON_REQUIRED = _("请说明申请上一级复核的理由。")
NOT_ESCALATABLE = _("只有被驳回或部分成立的申诉可以申请上一级复核。")
FINAL_LEVEL = _("该申诉已由最终级别({level})处理,不能再升级。")
ESCALATION_WINDOW_PASSED = _(
    "已超过申请复核的期限:须在处理决定后 {days} 个工作日内(至 {deadline})提出。"
)
AUTO_ESCALATION = "{level}逾期未答复(期限 {due}),自动升级至{next}。"


def _escalate(
    *, actor: Actor, appeal: Appeal, to: Level, reason: str, now: dt.datetime, action: str
) -> Appeal:
    before = snapshot(appeal)
    AppealStep.objects.create(
        appeal=appeal,
        level=appeal.level,
        kind=AppealStep.Kind.ESCALATION,
        reason=reason,
        actor=actor,
        at=now,
    )
    appeal.level = to
    appeal.level_due = add_working_days(
        appeal.company_id, timezone.localdate(now), APPEAL_WORKING_DAYS
    )
    appeal.status = Appeal.Status.OPEN
    appeal.closed_at = None
    appeal.save(update_fields=["level", "level_due", "status", "closed_at"])
    audit_record(
        actor=actor,
        action=action,
        obj=appeal,
        before=before,
        after=snapshot(appeal),
        reason=reason,
    )
    return appeal


@transaction.atomic
def appeal_escalate_request(
    *, actor: Actor, appeal: Appeal, reason: str, now: dt.datetime | None = None
) -> Appeal:
    """The appellant takes a rejected (or partly upheld) appeal to the next level (越级申诉),
    within APPEAL_WORKING_DAYS working days of the decision; the final level's word stands."""
    now = now_or_current(now)
    today = timezone.localdate(now)
    appeal = locked_appeal(appeal)
    require(actor, "appeals.escalate", appeal, ONLY_THE_APPELLANT.format(verb="申请上一级复核"))
    if appeal.status not in (Appeal.Status.REJECTED, Appeal.Status.PARTLY_UPHELD):
        raise ValidationError({"status": NOT_ESCALATABLE})
    if appeal.at_final_level:
        raise ValidationError({"level": FINAL_LEVEL.format(level=appeal.get_level_display())})
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": ESCALATION_REASON_REQUIRED})
    assert appeal.closed_at is not None
    deadline = add_working_days(
        appeal.company_id, timezone.localdate(appeal.closed_at), APPEAL_WORKING_DAYS
    )
    if today > deadline:
        raise ValidationError(
            {"status": ESCALATION_WINDOW_PASSED.format(days=APPEAL_WORKING_DAYS, deadline=deadline)}
        )
    to = level_from(appeal, appeal.level, today)
    assert to is not None
    return _escalate(
        actor=actor,
        appeal=appeal,
        to=to,
        reason=reason,
        now=now,
        action="appeal.escalate_request",
    )


@transaction.atomic
def appeal_withdraw(
    *, actor: Actor, appeal: Appeal, reason: str = "", now: dt.datetime | None = None
) -> Appeal:
    """The appellant withdraws an open appeal (撤回申诉)."""
    now = now_or_current(now)
    appeal = locked_appeal(appeal)
    require(actor, "appeals.withdraw", appeal, ONLY_THE_APPELLANT.format(verb="撤回申诉"))
    require_open(appeal, "撤回")
    before = snapshot(appeal)
    reason = reason.strip()
    AppealStep.objects.create(
        appeal=appeal,
        level=appeal.level,
        kind=AppealStep.Kind.WITHDRAWAL,
        reason=reason,
        actor=actor,
        at=now,
    )
    appeal.status = Appeal.Status.WITHDRAWN
    appeal.closed_at = now
    appeal.save(update_fields=["status", "closed_at"])
    audit_record(
        actor=actor,
        action="appeal.withdraw",
        obj=appeal,
        before=before,
        after=snapshot(appeal),
        reason=reason,
    )
    return appeal


@transaction.atomic
def appeals_escalate(*, now: dt.datetime | None = None) -> int:
    """Move every open appeal whose level is past its due date up to the next level, with an
    automatic escalation step and a new due date; return how many moved.

    An overdue appeal at the final level stays where it is (selectors.appeal_overdue_list
    reports it). The new due date lies in the future, so running this again at once, or from
    cron any number of times, changes nothing.
    """
    now = now_or_current(now)
    today = timezone.localdate(now)
    overdue = (
        Appeal.objects.select_for_update(of=("self",))
        .filter(status=Appeal.Status.OPEN, level_due__lt=today)
        .select_related("unit", "employee", "supervisor", "finding", "fault_notice__finding")
        .order_by("level_due", "id")
    )
    moved = 0
    for appeal in overdue:
        to = level_from(appeal, appeal.level, today)
        if to is None:
            continue
        reason = AUTO_ESCALATION.format(
            level=appeal.get_level_display(), due=appeal.level_due, next=str(to.label)
        )
        _escalate(
            actor=None, appeal=appeal, to=to, reason=reason, now=now, action="appeal.escalate"
        )
        moved += 1
    return moved
