"""Reads of the operations data, each scoped to what the viewer may see.

Supervisors, department heads, project managers and the quality department see the records of
their subtree; an employee sees only the records about themselves (where a record names an
employee); HR, finance and admins see none. An object outside the scope answers 404.
"""

from __future__ import annotations

import datetime as dt
from typing import TypeVar

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import DateTimeField, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from kaoping.org.access import Family, scoped
from kaoping.org.models import Employee, OrgUnit

from .models import (
    CallStatistic,
    Complaint,
    FeeCollection,
    Incident,
    OperationsRecord,
    OwnerVisit,
    SurveyResponse,
    WorkOrder,
    WorkPointEntry,
)

Viewer = AbstractBaseUser | AnonymousUser | None
_R = TypeVar("_R", bound=OperationsRecord)


def _local_midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _list(
    model: type[_R],
    *,
    viewer: Viewer,
    unit: OrgUnit | None,
    employee: Employee | None,
    date_from: dt.date | None,
    date_to: dt.date | None,
    has_employee: bool,
) -> QuerySet[_R]:
    related = ["unit", "employee"] if has_employee else ["unit"]
    queryset = scoped(
        model._default_manager.select_related(*related),
        viewer,
        Family.RECORDS,
        unit_path="unit__path",
        employee="employee" if has_employee else None,
    )
    if unit is not None:
        queryset = queryset.filter(unit__path__startswith=unit.path)
    if employee is not None:
        queryset = queryset.filter(employee=employee)
    field = model._meta.get_field(model.date_field)
    # Bounds are local days, inclusive; a time field is compared with the day's local midnight
    # so that the index on it is used.
    if isinstance(field, DateTimeField):
        if date_from is not None:
            queryset = queryset.filter(**{f"{field.name}__gte": _local_midnight(date_from)})
        if date_to is not None:
            next_day = _local_midnight(date_to + dt.timedelta(days=1))
            queryset = queryset.filter(**{f"{field.name}__lt": next_day})
    else:
        if date_from is not None:
            queryset = queryset.filter(**{f"{field.name}__gte": date_from})
        if date_to is not None:
            queryset = queryset.filter(**{f"{field.name}__lte": date_to})
    return queryset


def complaint_list(
    *,
    viewer: Viewer,
    unit: OrgUnit | None = None,
    employee: Employee | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[Complaint]:
    """Complaints (投诉) received in the range, newest first."""
    return _list(
        Complaint,
        viewer=viewer,
        unit=unit,
        employee=employee,
        date_from=date_from,
        date_to=date_to,
        has_employee=True,
    )


def complaint_get(*, viewer: Viewer, pk: int) -> Complaint:
    return get_object_or_404(complaint_list(viewer=viewer), pk=pk)


def incident_list(
    *,
    viewer: Viewer,
    unit: OrgUnit | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[Incident]:
    """Incidents (事故) that occurred in the range; they name no employee."""
    return _list(
        Incident,
        viewer=viewer,
        unit=unit,
        employee=None,
        date_from=date_from,
        date_to=date_to,
        has_employee=False,
    )


def incident_get(*, viewer: Viewer, pk: int) -> Incident:
    return get_object_or_404(incident_list(viewer=viewer), pk=pk)


def call_statistic_list(
    *,
    viewer: Viewer,
    unit: OrgUnit | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[CallStatistic]:
    """Daily call statistics (电话统计) of units; they name no employee."""
    return _list(
        CallStatistic,
        viewer=viewer,
        unit=unit,
        employee=None,
        date_from=date_from,
        date_to=date_to,
        has_employee=False,
    )


def call_statistic_get(*, viewer: Viewer, pk: int) -> CallStatistic:
    return get_object_or_404(call_statistic_list(viewer=viewer), pk=pk)


def work_order_list(
    *,
    viewer: Viewer,
    unit: OrgUnit | None = None,
    employee: Employee | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[WorkOrder]:
    """Work orders (工单) opened in the range."""
    return _list(
        WorkOrder,
        viewer=viewer,
        unit=unit,
        employee=employee,
        date_from=date_from,
        date_to=date_to,
        has_employee=True,
    )


def work_order_get(*, viewer: Viewer, pk: int) -> WorkOrder:
    return get_object_or_404(work_order_list(viewer=viewer), pk=pk)


def fee_collection_list(
    *,
    viewer: Viewer,
    unit: OrgUnit | None = None,
    employee: Employee | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[FeeCollection]:
    """Monthly fee collection (物业费收缴) of the months that overlap the range."""
    return _list(
        FeeCollection,
        viewer=viewer,
        unit=unit,
        employee=employee,
        date_from=date_from.replace(day=1) if date_from is not None else None,
        date_to=date_to,
        has_employee=True,
    )


def fee_collection_get(*, viewer: Viewer, pk: int) -> FeeCollection:
    return get_object_or_404(fee_collection_list(viewer=viewer), pk=pk)


def owner_visit_list(
    *,
    viewer: Viewer,
    unit: OrgUnit | None = None,
    employee: Employee | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[OwnerVisit]:
    """Owner visits (业主走访) made in the range."""
    return _list(
        OwnerVisit,
        viewer=viewer,
        unit=unit,
        employee=employee,
        date_from=date_from,
        date_to=date_to,
        has_employee=True,
    )


def owner_visit_get(*, viewer: Viewer, pk: int) -> OwnerVisit:
    return get_object_or_404(owner_visit_list(viewer=viewer), pk=pk)


def survey_response_list(
    *,
    viewer: Viewer,
    unit: OrgUnit | None = None,
    employee: Employee | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[SurveyResponse]:
    """Satisfaction survey responses (满意度调查) answered in the range."""
    return _list(
        SurveyResponse,
        viewer=viewer,
        unit=unit,
        employee=employee,
        date_from=date_from,
        date_to=date_to,
        has_employee=True,
    )


def survey_response_get(*, viewer: Viewer, pk: int) -> SurveyResponse:
    return get_object_or_404(survey_response_list(viewer=viewer), pk=pk)


def work_point_entry_list(
    *,
    viewer: Viewer,
    unit: OrgUnit | None = None,
    employee: Employee | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[WorkPointEntry]:
    """Work-point entries (工作积分) dated in the range."""
    return _list(
        WorkPointEntry,
        viewer=viewer,
        unit=unit,
        employee=employee,
        date_from=date_from,
        date_to=date_to,
        has_employee=True,
    )


def work_point_entry_get(*, viewer: Viewer, pk: int) -> WorkPointEntry:
    return get_object_or_404(work_point_entry_list(viewer=viewer), pk=pk)
