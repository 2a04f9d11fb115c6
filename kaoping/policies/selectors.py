"""Reads of policies: which version is in force, for whom, and its engine form."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from functools import lru_cache

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from kaoping.org.access import scope_of
from kaoping.org.models import Employee, OrgUnit
from kaoping.org.selectors import placement_on
from kaoping.scoring import Policy, load_policy_text

from .models import PolicyAssignment, PolicyDocument, PolicyVersion

Viewer = AbstractBaseUser | AnonymousUser | None


def policy_document_list(*, viewer: Viewer) -> QuerySet[PolicyDocument]:
    """The policies of the viewer's companies: the rules are public to everyone they bind."""
    return PolicyDocument.objects.filter(company_id__in=scope_of(viewer).company_ids).order_by(
        "code"
    )


def policy_document_get(*, viewer: Viewer, code: str) -> PolicyDocument:
    return get_object_or_404(policy_document_list(viewer=viewer), code=code)


def policy_version_in_force(*, document: PolicyDocument, on: dt.date) -> PolicyVersion | None:
    """The latest published version effective on `on`."""
    return (
        document.versions.filter(status=PolicyVersion.Status.PUBLISHED, effective_from__lte=on)
        .order_by("-effective_from", "-number")
        .first()
    )


def engine_policy(version: PolicyVersion) -> Policy:
    """The engine's form of a stored version (cached: published versions never change)."""
    digest = hashlib.sha256(version.source.encode()).hexdigest()
    return _load(digest, version.source, version.document.code, version.number)


@lru_cache(maxsize=256)
def _load(digest: str, source: str, code: str, number: int) -> Policy:
    policy = load_policy_text(source, source=f"{code} v{number}")
    return dataclasses.replace(policy, version=number)


@dataclasses.dataclass(frozen=True)
class Applicable:
    """The policy version in force for a subject on a day, with its attached ledger if any."""

    version: PolicyVersion
    consequences: PolicyVersion | None
    assignment: PolicyAssignment


def _active(on: dt.date) -> Q:
    return Q(start__lte=on) & (Q(end__isnull=True) | Q(end__gte=on))


def _specificity(assignment: PolicyAssignment) -> tuple[int, int, int]:
    depth = assignment.unit.path.count("/") if assignment.unit is not None else 0
    return (1 if assignment.position_id else 0, depth, 1 if assignment.unit_kind else 0)


def _resolve(candidates: list[PolicyAssignment], on: dt.date) -> Applicable | None:
    for assignment in sorted(candidates, key=_specificity, reverse=True):
        version = policy_version_in_force(document=assignment.document, on=on)
        if version is None:
            continue
        ledger = None
        if assignment.consequences_id:
            assert assignment.consequences is not None
            ledger = policy_version_in_force(document=assignment.consequences, on=on)
        return Applicable(version, ledger, assignment)
    return None


def policy_for_employee(*, employee: Employee, on: dt.date) -> Applicable | None:
    """Which policy version applies to `employee` on `on` (one selector, used everywhere)."""
    placement = placement_on(employee=employee, day=on)
    if placement is None:
        return None
    candidates = [
        a
        for a in PolicyAssignment.objects.filter(
            _active(on), document__company_id=employee.company_id, document__subject="employee"
        ).select_related("document", "unit", "consequences")
        if (a.position_id is None or a.position_id == placement.position_id)
        and (a.unit is None or placement.unit.path.startswith(a.unit.path))
        and (not a.unit_kind or a.unit_kind == placement.unit.kind)
    ]
    return _resolve(candidates, on)


def policy_for_unit(*, unit: OrgUnit, on: dt.date, subject: str = "unit") -> Applicable | None:
    """Which policy version applies to a unit (or, with subject="team", a team) on `on`."""
    candidates = [
        a
        for a in PolicyAssignment.objects.filter(
            _active(on), document__company_id=unit.company_id, document__subject=subject
        ).select_related("document", "unit", "consequences")
        if (a.unit is None or unit.path.startswith(a.unit.path))
        and (not a.unit_kind or a.unit_kind == unit.kind)
        and a.position_id is None
    ]
    return _resolve(candidates, on)
