"""Page-level reads of the record lists (检查记录, 违规记录, 运营记录), composed from the apps'
selectors.

Like web/selectors.py: every read starts from a scoped selector and only narrows it (filters,
annotations), so nothing outside the viewer's scope reaches a list or its export, and each
function makes a fixed number of queries whatever the number of rows.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from kaoping.appraisals.facts import engine_policies
from kaoping.inspections.models import Finding, Inspection
from kaoping.inspections.selectors import INSPECTOR_ROLES, finding_list, inspection_list
from kaoping.org.access import scope_of
from kaoping.org.models import Employee, OrgUnit
from kaoping.org.selectors import employee_list, unit_list

from .selectors import Viewer


def local_midnight(day: dt.date) -> dt.datetime:
    """The start of `day` in the current (the company's) time zone."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def filter_units(*, viewer: Viewer) -> QuerySet[OrgUnit]:
    """The units a list may be narrowed to: those in the viewer's scope, in tree order."""
    return unit_list(viewer=viewer)


def writable_units(*, viewer: Viewer) -> QuerySet[OrgUnit]:
    """The units the viewer may enter operations records for (operations.change_record: a
    supervisor, department head, project manager or quality over the unit), in tree order."""
    scope = scope_of(viewer)
    condition = Q(pk__in=[])
    for role in INSPECTOR_ROLES:
        for prefix in scope.roles.get(role, ()):
            condition |= Q(path__startswith=prefix)
    return unit_list(viewer=viewer).filter(condition, active=True)


def may_enter_records(*, viewer: Viewer) -> bool:
    """The viewer holds a role that enters operations records somewhere (no query)."""
    scope = scope_of(viewer)
    return any(scope.has_role(role) for role in INSPECTOR_ROLES)


def employee_by_number(*, viewer: Viewer, number: str) -> Employee | None:
    """The employee with this 工号 whom the viewer may see, or None."""
    return employee_list(viewer=viewer).filter(number=number.strip()).first()


def employee_matching(lookup: str, query: str) -> Q:
    """Rows whose employee (at `lookup`) has a name or 工号 containing `query`."""
    query = query.strip()
    return Q(**{f"{lookup}__name__icontains": query}) | Q(**{f"{lookup}__number__icontains": query})


def in_units(lookup: str, unit: OrgUnit) -> Q:
    """Rows whose unit (path at `lookup`) is `unit` or below it."""
    return Q(**{f"{lookup}__startswith": unit.path})


def inspection_rows(
    *,
    viewer: Viewer,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
    kind: str | None = None,
    unit: OrgUnit | None = None,
    employee_query: str = "",
) -> QuerySet[Inspection]:
    """Inspections (检查) the viewer may read, newest first, each with the number of its active
    findings that the viewer may read (`visible_findings`); `employee_query` keeps those that
    found against a person whose name or 工号 contains it."""
    visible = finding_list(viewer=viewer).filter(inspection_id=OuterRef("pk"))
    counted = visible.order_by().values("inspection_id").annotate(n=Count("id")).values("n")[:1]
    inspections = inspection_list(viewer=viewer, start=start, end=end, kind=kind or None)
    if unit is not None:
        inspections = inspections.filter(in_units("unit__path", unit))
    if employee_query.strip():
        matching = finding_list(viewer=viewer, status=None).filter(
            employee_matching("employee", employee_query)
        )
        inspections = inspections.filter(pk__in=matching.values("inspection_id"))
    return inspections.annotate(visible_findings=Coalesce(Subquery(counted), 0))


def finding_rows(
    *,
    viewer: Viewer,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
    unit: OrgUnit | None = None,
    employee_query: str = "",
    section: str = "",
    status: str | None = Finding.Status.ACTIVE,
    inspection_id: int | None = None,
) -> QuerySet[Finding]:
    """Findings (违规记录) the viewer may read, newest first, with their fault notice (过失通知单,
    None for a finding on a unit) and their inspection's inspector."""
    findings = finding_list(viewer=viewer, status=status or None).select_related(
        "fault_notice", "inspection__inspector"
    )
    if start is not None:
        findings = findings.filter(occurred_at__gte=start)
    if end is not None:
        findings = findings.filter(occurred_at__lt=end)
    if unit is not None:
        findings = findings.filter(in_units("unit__path", unit))
    if employee_query.strip():
        findings = findings.filter(employee_matching("employee", employee_query))
    if section:
        findings = findings.filter(section=section)
    if inspection_id is not None:
        findings = findings.filter(inspection_id=inspection_id)
    return findings


def finding_section_choices(*, viewer: Viewer) -> list[tuple[str, str]]:
    """The policy sections (考评项目) the viewer's findings fall under: (id, title), by title.
    Two queries: the policy versions in use, then the versions themselves (cached)."""
    versions = (
        finding_list(viewer=viewer, status=None)
        .order_by()
        .values_list("policy_version_id", flat=True)
        .distinct()
    )
    titles: dict[str, list[str]] = {}
    for policy in engine_policies(list(versions)).values():
        for section in policy.sections:
            if section.takes_findings:
                names = titles.setdefault(section.id, [])
                if section.title not in names:
                    names.append(section.title)
    return sorted(
        ((section_id, " / ".join(names)) for section_id, names in titles.items()),
        key=lambda choice: (choice[1], choice[0]),
    )
