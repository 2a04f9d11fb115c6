"""What the appeal services share: the clock, permission checks, locking, and routing."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kaoping.org.models import RoleAssignment
from kaoping.org.services import NO_PERMISSION, Actor

from ..models import Appeal, Level

NOT_OPEN = _("该申诉当前为“{status}”,不能{verb}。")
ONLY_THE_APPELLANT = _("只有申诉人本人可以{verb}。")


def now_or_current(now: dt.datetime | None) -> dt.datetime:
    if now is None:
        return timezone.now()
    if timezone.is_naive(now):
        raise ValueError("now must be an aware datetime")
    return now


def require(actor: Actor, perm: str, obj: models.Model, message: str = NO_PERMISSION) -> None:
    if actor is not None and not actor.has_perm(perm, obj):
        raise PermissionDenied(message)


def ancestors(path: str) -> list[str]:
    """'/1/4/9/' → ['/1/', '/1/4/', '/1/4/9/']: roles over any of them reach the unit."""
    parts = [p for p in path.split("/") if p]
    return ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def locked_appeal(appeal: Appeal) -> Appeal:
    return (
        Appeal.objects.select_for_update(of=("self",))
        .select_related(
            "unit", "employee", "supervisor", "finding", "fault_notice__finding", "result__period"
        )
        .get(pk=appeal.pk)
    )


def require_open(appeal: Appeal, verb: str) -> None:
    if appeal.status != Appeal.Status.OPEN:
        raise ValidationError(
            {"status": NOT_OPEN.format(status=appeal.get_status_display(), verb=verb)}
        )


# --- routing: who holds a level ---------------------------------------------------------------


def parties(appeal: Appeal) -> set[int]:
    """Users who may not judge this appeal: the appellant and the evaluator appealed against."""
    users = {appeal.employee.user_id}
    finding = appeal.target_finding
    if finding is not None:
        users.add(finding.created_by_id)
    return {user for user in users if user is not None}


def has_holder(appeal: Appeal, level: str, day: dt.date) -> bool:
    """Someone other than the parties holds `level` over the appeal's unit on `day`."""
    excluded = parties(appeal)
    supervisor = appeal.supervisor
    if (
        level == Level.SUPERVISOR
        and supervisor is not None
        and supervisor.active
        and supervisor.user_id is not None
        and supervisor.user_id not in excluded
    ):
        return True
    return (
        RoleAssignment.objects.filter(
            role=level,
            unit__path__in=ancestors(appeal.unit.path),
            unit__active=True,
            user__is_active=True,
            start__lte=day,
        )
        .filter(Q(end__isnull=True) | Q(end__gte=day))
        .exclude(user_id__in=excluded)
        .exists()
    )


def level_from(appeal: Appeal, after: str | None, day: dt.date) -> Level | None:
    """The first level above `after` (from the bottom when None) that someone holds; the final
    level when none of them is held (it decides for good); None above the final level."""
    levels = appeal.levels
    candidates = levels if after is None else levels[levels.index(Level(after)) + 1 :]
    if not candidates:
        return None
    for level in candidates:
        if has_holder(appeal, level, day):
            return level
    return candidates[-1]
