"""Corrections of closed results: a new revision supersedes the old one, which stays."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from kaoping.audit.services import audit_record
from kaoping.org.services import Actor

from ..facts import appraisal_rows, scored_with
from ..models import Appraisal, OutcomeItem, Result
from .close import score_period, write_results

NOT_CLOSED = _("该考核尚未关账,无需更正:关账前的分数随记录实时变化。")
REASON_REQUIRED = _("更正必须说明原因。")


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
    group = scored_with(appraisal) or Appraisal.objects.filter(pk=appraisal.pk)
    rows = appraisal_rows(group)
    batch = score_period(period, rows, workers=1)
    revision = (
        Result.objects.filter(appraisal=appraisal).aggregate(n=Max("revision"))["n"] or 0
    ) + 1
    mine = [row for row in rows if row.pk == appraisal.pk]
    ids = write_results(
        period, mine, batch.scored, batch.hashes, revision=revision, reason=reason.strip()
    )
    new = Result.objects.get(pk=ids[appraisal.pk])
    current.superseded_by = new
    current.save(update_fields=["superseded_by"])
    OutcomeItem.objects.filter(result=current, status=OutcomeItem.Status.OPEN).update(
        status=OutcomeItem.Status.CANCELLED, note="结果已更正 / superseded by a correction"
    )
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
