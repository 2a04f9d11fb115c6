"""Writes to policies: install the built-ins, save drafts (lint refuses errors), publish, assign."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kaoping.audit.services import audit_record, snapshot
from kaoping.org.models import Company, OrgUnit, Position
from kaoping.org.services import NO_PERMISSION, Actor, company_root
from kaoping.scoring import PolicyError, builtin_policies, load_policy_text
from kaoping.scoring.lint import lint_policy
from kaoping.scoring.periods import parse_any_period

from .models import PolicyAssignment, PolicyDocument, PolicyVersion

BUILTIN_EFFECTIVE_FROM = dt.date(2000, 1, 1)
PUBLISHED_IS_FROZEN = _("已发布的版本不能修改,请新建版本。")
WRONG_ID = _("文件中的 id '{found}' 与办法编号 '{expected}' 不符。")
LINT_ERRORS = _("办法检查发现错误:{errors}")


def _require_quality(actor: Actor, company: Company) -> None:
    if actor is not None and not actor.has_perm("policies.change_policy", company_root(company)):
        raise PermissionDenied(NO_PERMISSION)


@transaction.atomic
def builtin_policies_install(*, actor: Actor, company: Company) -> list[PolicyDocument]:
    """Load every built-in policy as version 1 of the company's policy of that id."""
    from importlib import resources

    documents = []
    folder = resources.files("kaoping.scoring") / "policies"
    for policy in builtin_policies().values():
        document, created = PolicyDocument.objects.get_or_create(
            company=company,
            code=policy.id,
            defaults={"title": policy.title, "subject": policy.subject, "period": policy.period},
        )
        documents.append(document)
        if not created:
            continue
        source = (folder / policy.source_file).read_text(encoding="utf-8")
        version = PolicyVersion.objects.create(
            document=document,
            number=1,
            status=PolicyVersion.Status.PUBLISHED,
            source=source,
            effective_from=BUILTIN_EFFECTIVE_FROM,
            published_at=timezone.now(),
        )
        audit_record(
            actor=actor,
            action="policy.install",
            obj=version,
            company_id=company.pk,
            after={"code": document.code, "number": 1},
        )
    return documents


def _checked(document: PolicyDocument, source: str) -> None:
    try:
        policy = load_policy_text(source, source=document.code)
    except PolicyError as exc:
        raise ValidationError({"source": str(exc)}) from None
    if policy.id != document.code:
        raise ValidationError({"source": WRONG_ID.format(found=policy.id, expected=document.code)})
    errors = [issue.render() for issue in lint_policy(policy) if issue.level == "error"]
    if errors:
        raise ValidationError({"source": LINT_ERRORS.format(errors="; ".join(errors))})


@transaction.atomic
def policy_draft_save(*, actor: Actor, document: PolicyDocument, source: str) -> PolicyVersion:
    """Save the policy's draft (creating the next version number if there is none); lint first."""
    _require_quality(actor, document.company)
    _checked(document, source)
    PolicyDocument.objects.select_for_update().filter(pk=document.pk).first()
    draft = document.versions.filter(status=PolicyVersion.Status.DRAFT).first()
    before = snapshot(draft) if draft is not None else None
    if draft is None:
        number = (document.versions.aggregate(n=Max("number"))["n"] or 0) + 1
        draft = PolicyVersion(document=document, number=number, created_by=actor)
    draft.source = source
    draft.full_clean()
    draft.save()
    audit_record(
        actor=actor,
        action="policy.draft_save",
        obj=draft,
        company_id=document.company_id,
        before=before,
        after=snapshot(draft),
    )
    return draft


@transaction.atomic
def policy_publish(*, actor: Actor, version: PolicyVersion, effective_period: str) -> PolicyVersion:
    """Publish a draft, effective from the first day of `effective_period` (e.g. 2026-11)."""
    document = version.document
    _require_quality(actor, document.company)
    version = PolicyVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != PolicyVersion.Status.DRAFT:
        raise ValidationError({"status": PUBLISHED_IS_FROZEN})
    try:
        period = parse_any_period(effective_period)
    except ValueError as exc:
        raise ValidationError({"effective_period": str(exc)}) from None
    months = {"month": 1, "quarter": 3, "half": 6, "year": 12}[period.kind]
    start = dt.date(period.year, (period.index - 1) * months + 1, 1)
    _checked(document, version.source)
    before = snapshot(version)
    version.status = PolicyVersion.Status.PUBLISHED
    version.effective_from = start
    version.published_at = timezone.now()
    version.published_by = actor
    version.save(update_fields=["status", "effective_from", "published_at", "published_by"])
    audit_record(
        actor=actor,
        action="policy.publish",
        obj=version,
        company_id=document.company_id,
        before=before,
        after=snapshot(version),
    )
    return version


@transaction.atomic
def policy_assign(
    *,
    actor: Actor,
    document: PolicyDocument,
    start: dt.date,
    unit: OrgUnit | None = None,
    position: Position | None = None,
    unit_kind: str = "",
    consequences: PolicyDocument | None = None,
    end: dt.date | None = None,
) -> PolicyAssignment:
    """Apply a policy to a position and/or a unit subtree from `start`."""
    _require_quality(actor, document.company)
    errors = {}
    if unit is not None and unit.company_id != document.company_id:
        errors["unit"] = "不属于该办法所在公司。"
    if position is not None and position.company_id != document.company_id:
        errors["position"] = "不属于该办法所在公司。"
    if consequences is not None and consequences.company_id != document.company_id:
        errors["consequences"] = "不属于该办法所在公司。"
    if errors:
        raise ValidationError(errors)
    assignment = PolicyAssignment(
        document=document,
        unit=unit,
        position=position,
        unit_kind=unit_kind,
        consequences=consequences,
        start=start,
        end=end,
    )
    assignment.full_clean()
    assignment.save()
    audit_record(
        actor=actor,
        action="policy.assign",
        obj=assignment,
        company_id=document.company_id,
        after=snapshot(assignment),
    )
    return assignment
