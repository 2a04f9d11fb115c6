"""HR works through the outcome items of a close (处理事项): each is done or cancelled, once."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kaoping.audit.services import audit_record, snapshot
from kaoping.org.services import NO_PERMISSION, Actor

from ..models import OutcomeItem

NOT_OPEN = _("该处理事项已是“{status}”,不能再次处理。")
UNKNOWN_STATUS = _("处理结果只能是“已处理”或“已撤销”。")
NOTE_REQUIRED = _("撤销处理事项须写明原因。")


@transaction.atomic
def outcome_item_handle(
    *, actor: Actor, item: OutcomeItem, status: str, note: str = ""
) -> OutcomeItem:
    """Mark an open outcome item done (已处理) or cancelled (已撤销, with the reason).

    Only HR over the item's unit may; the item is locked so that two clerks cannot both
    handle it.
    """
    if actor is None or not actor.has_perm("appraisals.handle_outcomes", item.unit):
        raise PermissionDenied(NO_PERMISSION)
    if status not in (OutcomeItem.Status.DONE, OutcomeItem.Status.CANCELLED):
        raise ValidationError({"status": UNKNOWN_STATUS})
    note = note.strip()
    if status == OutcomeItem.Status.CANCELLED and not note:
        raise ValidationError({"note": NOTE_REQUIRED})
    locked = OutcomeItem.objects.select_for_update().get(pk=item.pk)
    if locked.status != OutcomeItem.Status.OPEN:
        raise ValidationError(
            {"status": NOT_OPEN.format(status=OutcomeItem.Status(locked.status).label)}
        )
    before = snapshot(locked, ["status", "note", "handled_by", "handled_at"])
    locked.status = status
    locked.note = note or locked.note
    locked.handled_by = actor
    locked.handled_at = timezone.now()
    locked.full_clean()
    locked.save(update_fields=["status", "note", "handled_by", "handled_at"])
    audit_record(
        actor=actor,
        action="outcome_item.handle",
        obj=locked,
        company_id=locked.company_id,
        before=before,
        after=snapshot(locked, ["status", "note", "handled_by", "handled_at"]),
        reason=note,
    )
    return locked
