"""Reads of policies: which version is in force, for whom, and its engine form."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from functools import lru_cache
from typing import Any

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


def policy_for_employee(*, employee: Employee, on: dt.date) -> Applicable | None:
    """Which policy version applies to `employee` on `on` (one selector, used everywhere)."""
    placement = placement_on(employee=employee, day=on)
    if placement is None:
        return None
    resolver = PolicyResolver(company_id=employee.company_id, on=on)
    return resolver.for_placement(unit=placement.unit, position_id=placement.position_id)


def policy_for_unit(*, unit: OrgUnit, on: dt.date, subject: str = "unit") -> Applicable | None:
    """Which policy version applies to a unit (or, with subject="team", a team) on `on`."""
    return PolicyResolver(company_id=unit.company_id, on=on).for_unit(unit=unit, subject=subject)


class PolicyResolver:
    """Which policy applies, answered in memory for many subjects of one company and day.

    Loads the company's active assignments and the versions in force with a fixed number of
    queries, then matches placements and units without further queries (set-based: opening or
    closing a period of 100,000 employees does not ask the database 100,000 times).
    """

    def __init__(self, *, company_id: int, on: dt.date):
        self.on = on
        assignments = list(
            PolicyAssignment.objects.filter(
                _active(on), document__company_id=company_id
            ).select_related("document", "unit", "consequences")
        )
        documents = {a.document_id for a in assignments} | {
            a.consequences_id for a in assignments if a.consequences_id
        }
        in_force: dict[int, PolicyVersion] = {}
        for version in (
            PolicyVersion.objects.filter(
                document_id__in=documents,
                status=PolicyVersion.Status.PUBLISHED,
                effective_from__lte=on,
            )
            .select_related("document")
            .order_by("document_id", "effective_from", "number")
        ):
            in_force[version.document_id] = version  # the last one per document wins
        self.in_force = in_force
        ranked = sorted(assignments, key=_specificity, reverse=True)
        self.by_subject: dict[str, list[PolicyAssignment]] = {}
        for assignment in ranked:
            if assignment.document_id in in_force:
                self.by_subject.setdefault(assignment.document.subject, []).append(assignment)

    def _applicable(self, assignment: PolicyAssignment) -> Applicable:
        ledger = (
            self.in_force.get(assignment.consequences_id) if assignment.consequences_id else None
        )
        return Applicable(self.in_force[assignment.document_id], ledger, assignment)

    def for_placement(self, *, unit: OrgUnit, position_id: int) -> Applicable | None:
        for a in self.by_subject.get("employee", ()):
            if a.position_id is not None and a.position_id != position_id:
                continue
            if a.unit is not None and not unit.path.startswith(a.unit.path):
                continue
            if a.unit_kind and a.unit_kind != unit.kind:
                continue
            return self._applicable(a)
        return None

    def for_unit(self, *, unit: OrgUnit, subject: str = "unit") -> Applicable | None:
        for a in self.by_subject.get(subject, ()):
            if a.position_id is not None:
                continue
            if a.unit is not None and not unit.path.startswith(a.unit.path):
                continue
            if a.unit_kind and a.unit_kind != unit.kind:
                continue
            return self._applicable(a)
        return None


# --- pages: a policy's versions, its draft, who may edit it ------------------------------------


def policy_versions(*, document: PolicyDocument) -> list[PolicyVersion]:
    """Every version of the policy, the newest first (one query)."""
    return list(document.versions.select_related("created_by", "published_by").order_by("-number"))


def policy_draft(*, document: PolicyDocument) -> PolicyVersion | None:
    """The policy's draft (草稿) being edited, if any."""
    return document.versions.filter(status=PolicyVersion.Status.DRAFT).first()


def policy_latest_published(*, document: PolicyDocument) -> PolicyVersion | None:
    """The published version with the highest number: where a new draft starts from."""
    return (
        document.versions.filter(status=PolicyVersion.Status.PUBLISHED).order_by("-number").first()
    )


def policy_editable(*, viewer: Viewer, document: PolicyDocument) -> bool:
    """Whether the viewer may edit and publish the policy (质管部 over the company)."""
    from django.contrib.auth.models import User

    if not isinstance(viewer, User) or not viewer.is_authenticated:
        return False
    root = OrgUnit.objects.get(company_id=document.company_id, parent__isnull=True)
    return viewer.has_perm("policies.change_policy", root)


def policy_version_list(*, viewer: Any) -> QuerySet[PolicyVersion]:
    """Every version of the policies of the viewer's companies."""
    return (
        PolicyVersion.objects.filter(document__in=policy_document_list(viewer=viewer).values("pk"))
        .select_related("document", "created_by", "published_by")
        .order_by("document__code", "-number", "id")
    )
