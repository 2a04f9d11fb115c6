"""Writes to the operations data: each in a transaction, checked, with its audit event.

Who may write: a supervisor, department head, project manager or the quality department over the
record's unit (`operations.change_record`); employees, HR, finance and admins may not. `actor`
None is the system itself (setup, the demo). Every record's responsible employee must belong to
the unit's company and be placed in the unit's subtree on the record's day.

`<noun>_update` takes the fields to change as keywords (an unknown or fixed field is a
TypeError) and returns the record as stored, re-read under a row lock; an update that changes
nothing writes nothing and records nothing. `reason` goes into the audit event.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from kaoping.audit.services import audit_record, snapshot
from kaoping.org.models import Employee, OrgUnit
from kaoping.org.selectors import placement_on
from kaoping.org.services import NO_PERMISSION, Actor
from kaoping.periods.guard import ensure_open

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

_R = TypeVar("_R", bound=OperationsRecord)

WRITE_PERMISSION = "operations.change_record"
EMPLOYEE_OTHER_COMPANY = _("员工“{employee}”不属于“{unit}”所在的公司。")
EMPLOYEE_NOT_PLACED = _("员工“{employee}”在 {day} 未在“{unit}”或其下属单位任职。")
UNIT_OTHER_COMPANY = _("不能把记录移到其他公司的单位“{unit}”。")
NOT_EDITABLE = "{model} 不能修改这些字段:{fields}"
WORK_POINTS_MISSING = _("请填写工作积分。")

# The audit action of each record type: "<noun>.create|update|delete".
NOUNS: Mapping[type[OperationsRecord], str] = {
    Complaint: "complaint",
    Incident: "incident",
    CallStatistic: "call_statistic",
    WorkOrder: "work_order",
    FeeCollection: "fee_collection",
    OwnerVisit: "owner_visit",
    SurveyResponse: "survey_response",
    WorkPointEntry: "work_point_entry",
}
_NOT_EDITABLE = frozenset({"id", "company", "created_by", "created_at"})


# --- the common path of every write -------------------------------------------------------------


def _require_writer(actor: Actor, unit: OrgUnit) -> None:
    if actor is not None and not actor.has_perm(WRITE_PERMISSION, unit):
        raise PermissionDenied(NO_PERMISSION)


def _employee_errors(record: OperationsRecord) -> dict[str, str]:
    employee: Employee | None = getattr(record, "employee", None)
    if employee is None:
        return {}
    unit = record.unit
    if employee.company_id != unit.company_id:
        return {"employee": EMPLOYEE_OTHER_COMPANY.format(employee=employee, unit=unit.name)}
    day = record.record_day()
    if day is None:
        return {}  # the missing date is reported on its own field
    placement = placement_on(employee=employee, day=day)
    if placement is None or not placement.unit.is_within(unit):
        return {"employee": EMPLOYEE_NOT_PLACED.format(employee=employee, day=day, unit=unit.name)}
    return {}


def _validate(record: OperationsRecord) -> None:
    """Every error of the record at once, each under the field to correct."""
    errors: dict[str, Any] = {}
    try:
        record.full_clean()
    except ValidationError as exc:
        errors = exc.update_error_dict(errors)
    if "employee" not in errors and "unit" not in errors:
        for field, message in _employee_errors(record).items():
            errors.setdefault(field, []).append(message)
    if errors:
        raise ValidationError(errors)


def _ensure_open(record: OperationsRecord) -> None:
    """Refuse a write dated inside a period closed for the record's unit."""
    day = record.record_day()
    if day is not None:
        ensure_open(
            company_id=record.unit.company_id,
            day=day,
            field=record.date_field,
            unit_path=record.unit.path,
        )


def _save(record: OperationsRecord, update_fields: list[str] | None = None) -> None:
    try:
        with transaction.atomic():
            record.save(update_fields=update_fields)
    except IntegrityError:
        # Another request saved the same external id or day in between: report it like any
        # other validation error (the conflicting row is visible now).
        record.full_clean()
        raise


def _create(actor: Actor, record: _R, reason: str) -> _R:
    _require_writer(actor, record.unit)
    record.company_id = record.unit.company_id
    record.created_by = actor
    _validate(record)
    _ensure_open(record)
    _save(record)
    audit_record(
        actor=actor,
        action=f"{NOUNS[type(record)]}.create",
        obj=record,
        after=snapshot(record),
        reason=reason,
    )
    return record


def _update(actor: Actor, record: _R, changes: Mapping[str, Any], reason: str) -> _R:
    model = type(record)
    editable = {f.name for f in model._meta.concrete_fields} - _NOT_EDITABLE
    unknown = sorted(set(changes) - editable)
    if unknown:
        raise TypeError(NOT_EDITABLE.format(model=model.__name__, fields=", ".join(unknown)))
    current = model._default_manager.select_for_update().select_related("unit").get(pk=record.pk)
    _require_writer(actor, current.unit)
    _ensure_open(current)
    before = snapshot(current)
    for name, value in changes.items():
        setattr(current, name, value)
    if "unit" in changes:
        _require_writer(actor, current.unit)
        if current.unit.company_id != current.company_id:
            raise ValidationError({"unit": UNIT_OTHER_COMPANY.format(unit=current.unit.name)})
    _validate(current)
    _ensure_open(current)
    after = snapshot(current)
    changed = [name for name, value in after.items() if before.get(name) != value]
    if not changed:
        return current  # nothing to write, nothing to record
    _save(current, update_fields=changed)
    audit_record(
        actor=actor,
        action=f"{NOUNS[model]}.update",
        obj=current,
        before={name: before[name] for name in changed},
        after={name: after[name] for name in changed},
        reason=reason,
    )
    return current


def _delete(actor: Actor, record: OperationsRecord, reason: str) -> None:
    model = type(record)
    current = model._default_manager.select_for_update().select_related("unit").get(pk=record.pk)
    _require_writer(actor, current.unit)
    _ensure_open(current)
    before = snapshot(current)
    pk = current.pk
    current.delete()
    audit_record(
        actor=actor,
        action=f"{NOUNS[model]}.delete",
        object_type=model._meta.label_lower,
        object_id=str(pk),
        company_id=current.company_id,
        before=before,
        reason=reason,
    )


# --- complaints 投诉 ------------------------------------------------------------------------------


@transaction.atomic
def complaint_create(
    *,
    actor: Actor,
    unit: OrgUnit,
    received_at: dt.datetime,
    category: str,
    description: str,
    employee: Employee | None = None,
    source: str = "",
    complainant: str = "",
    valid: bool = False,
    major: bool = False,
    resolved_at: dt.datetime | None = None,
    callback_at: dt.datetime | None = None,
    callback_satisfaction: str = "",
    external_id: str = "",
    reason: str = "",
) -> Complaint:
    """Record a complaint (投诉): valid (有效) and major (重大) are the quality judgement."""
    complaint = Complaint(
        unit=unit,
        employee=employee,
        received_at=received_at,
        category=category,
        source=source,
        complainant=complainant,
        description=description,
        valid=valid,
        major=major,
        resolved_at=resolved_at,
        callback_at=callback_at,
        callback_satisfaction=callback_satisfaction,
        external_id=external_id.strip(),
    )
    return _create(actor, complaint, reason)


@transaction.atomic
def complaint_update(
    *, actor: Actor, complaint: Complaint, reason: str = "", **changes: Any
) -> Complaint:
    """Change fields of a complaint, e.g. judge it valid or record its callback (回访)."""
    return _update(actor, complaint, changes, reason)


@transaction.atomic
def complaint_delete(*, actor: Actor, complaint: Complaint, reason: str = "") -> None:
    """Delete a complaint entered by mistake; the audit log keeps its last values."""
    _delete(actor, complaint, reason)


# --- incidents 事故 -------------------------------------------------------------------------------


@transaction.atomic
def incident_create(
    *,
    actor: Actor,
    unit: OrgUnit,
    kind: str,
    occurred_at: dt.datetime,
    description: str,
    place: str = "",
    external_id: str = "",
    reason: str = "",
) -> Incident:
    """Record an incident (事故) such as a theft (盗窃) in a unit."""
    incident = Incident(
        unit=unit,
        kind=kind,
        occurred_at=occurred_at,
        place=place,
        description=description,
        external_id=external_id.strip(),
    )
    return _create(actor, incident, reason)


@transaction.atomic
def incident_update(
    *, actor: Actor, incident: Incident, reason: str = "", **changes: Any
) -> Incident:
    """Change fields of an incident."""
    return _update(actor, incident, changes, reason)


@transaction.atomic
def incident_delete(*, actor: Actor, incident: Incident, reason: str = "") -> None:
    """Delete an incident entered by mistake."""
    _delete(actor, incident, reason)


# --- call statistics 电话统计 ---------------------------------------------------------------------


@transaction.atomic
def call_statistic_create(
    *,
    actor: Actor,
    unit: OrgUnit,
    date: dt.date,
    offered: int,
    answered: int,
    external_id: str = "",
    reason: str = "",
) -> CallStatistic:
    """Record a unit's calls offered (呼入) and answered (接听) on one day."""
    statistic = CallStatistic(
        unit=unit, date=date, offered=offered, answered=answered, external_id=external_id.strip()
    )
    return _create(actor, statistic, reason)


@transaction.atomic
def call_statistic_update(
    *, actor: Actor, call_statistic: CallStatistic, reason: str = "", **changes: Any
) -> CallStatistic:
    """Correct a day's call statistic."""
    return _update(actor, call_statistic, changes, reason)


@transaction.atomic
def call_statistic_delete(*, actor: Actor, call_statistic: CallStatistic, reason: str = "") -> None:
    """Delete a day's call statistic."""
    _delete(actor, call_statistic, reason)


# --- work orders 工单 -----------------------------------------------------------------------------


@transaction.atomic
def work_order_create(
    *,
    actor: Actor,
    unit: OrgUnit,
    kind: str,
    opened_at: dt.datetime,
    employee: Employee | None = None,
    completed_at: dt.datetime | None = None,
    description: str = "",
    external_id: str = "",
    reason: str = "",
) -> WorkOrder:
    """Record a work order (工单): a repair (报修), a complaint follow-up, a service request …"""
    order = WorkOrder(
        unit=unit,
        employee=employee,
        kind=kind,
        opened_at=opened_at,
        completed_at=completed_at,
        description=description,
        external_id=external_id.strip(),
    )
    return _create(actor, order, reason)


@transaction.atomic
def work_order_update(
    *, actor: Actor, work_order: WorkOrder, reason: str = "", **changes: Any
) -> WorkOrder:
    """Change fields of a work order, e.g. record its completion."""
    return _update(actor, work_order, changes, reason)


@transaction.atomic
def work_order_delete(*, actor: Actor, work_order: WorkOrder, reason: str = "") -> None:
    """Delete a work order entered by mistake."""
    _delete(actor, work_order, reason)


# --- fee collection 物业费收缴 --------------------------------------------------------------------


@transaction.atomic
def fee_collection_create(
    *,
    actor: Actor,
    unit: OrgUnit,
    month: dt.date,
    households_due: int,
    households_paid: int,
    amount_due: Decimal,
    amount_paid: Decimal,
    task_amount: Decimal,
    building: str = "",
    employee: Employee | None = None,
    external_id: str = "",
    reason: str = "",
) -> FeeCollection:
    """Record a month's fee collection (物业费收缴) of a unit, or of one building (楼栋)."""
    collection = FeeCollection(
        unit=unit,
        employee=employee,
        building=building.strip(),
        month=month,
        households_due=households_due,
        households_paid=households_paid,
        amount_due=amount_due,
        amount_paid=amount_paid,
        task_amount=task_amount,
        external_id=external_id.strip(),
    )
    return _create(actor, collection, reason)


@transaction.atomic
def fee_collection_update(
    *, actor: Actor, fee_collection: FeeCollection, reason: str = "", **changes: Any
) -> FeeCollection:
    """Correct a month's fee collection."""
    return _update(actor, fee_collection, changes, reason)


@transaction.atomic
def fee_collection_delete(*, actor: Actor, fee_collection: FeeCollection, reason: str = "") -> None:
    """Delete a month's fee collection."""
    _delete(actor, fee_collection, reason)


# --- owner visits 业主走访 ------------------------------------------------------------------------


@transaction.atomic
def owner_visit_create(
    *,
    actor: Actor,
    unit: OrgUnit,
    employee: Employee,
    household: str,
    visited_on: dt.date,
    record: str,
    callback: bool = False,
    external_id: str = "",
    reason: str = "",
) -> OwnerVisit:
    """Record an employee's visit to an owner's household (业主走访), or a callback (回访)."""
    visit = OwnerVisit(
        unit=unit,
        employee=employee,
        household=household.strip(),
        visited_on=visited_on,
        record=record,
        callback=callback,
        external_id=external_id.strip(),
    )
    return _create(actor, visit, reason)


@transaction.atomic
def owner_visit_update(
    *, actor: Actor, owner_visit: OwnerVisit, reason: str = "", **changes: Any
) -> OwnerVisit:
    """Change fields of an owner visit."""
    return _update(actor, owner_visit, changes, reason)


@transaction.atomic
def owner_visit_delete(*, actor: Actor, owner_visit: OwnerVisit, reason: str = "") -> None:
    """Delete an owner visit entered by mistake."""
    _delete(actor, owner_visit, reason)


# --- satisfaction surveys 满意度调查 --------------------------------------------------------------


@transaction.atomic
def survey_response_create(
    *,
    actor: Actor,
    unit: OrgUnit,
    level: str,
    answered_on: dt.date,
    employee: Employee | None = None,
    respondent: str = "",
    comment: str = "",
    external_id: str = "",
    reason: str = "",
) -> SurveyResponse:
    """Record one answered satisfaction survey (满意度调查) about a unit or one of its staff."""
    response = SurveyResponse(
        unit=unit,
        employee=employee,
        level=level,
        answered_on=answered_on,
        respondent=respondent,
        comment=comment,
        external_id=external_id.strip(),
    )
    return _create(actor, response, reason)


@transaction.atomic
def survey_response_update(
    *, actor: Actor, survey_response: SurveyResponse, reason: str = "", **changes: Any
) -> SurveyResponse:
    """Correct a survey response."""
    return _update(actor, survey_response, changes, reason)


@transaction.atomic
def survey_response_delete(
    *, actor: Actor, survey_response: SurveyResponse, reason: str = ""
) -> None:
    """Delete a survey response entered by mistake."""
    _delete(actor, survey_response, reason)


# --- work points 工作积分 -------------------------------------------------------------------------


@transaction.atomic
def work_point_entry_create(
    *,
    actor: Actor,
    unit: OrgUnit,
    employee: Employee,
    date: dt.date,
    kind: str = WorkPointEntry.Kind.WORK,
    points: Decimal | None = None,
    note: str = "",
    external_id: str = "",
    reason: str = "",
) -> WorkPointEntry:
    """Record work points (工作积分) a team member earned, or a penalty (扣分处罚, seed 003 二).

    A penalty without `points` deducts the seed's amount (−50 or −20).
    """
    _require_writer(actor, unit)
    if points is None:
        if kind not in WorkPointEntry.PENALTY_POINTS:
            raise ValidationError({"points": WORK_POINTS_MISSING})
        points = WorkPointEntry.PENALTY_POINTS[kind]
    entry = WorkPointEntry(
        unit=unit,
        employee=employee,
        date=date,
        kind=kind,
        points=points,
        note=note,
        external_id=external_id.strip(),
    )
    return _create(actor, entry, reason)


@transaction.atomic
def work_point_entry_update(
    *, actor: Actor, work_point_entry: WorkPointEntry, reason: str = "", **changes: Any
) -> WorkPointEntry:
    """Correct a work-point entry."""
    return _update(actor, work_point_entry, changes, reason)


@transaction.atomic
def work_point_entry_delete(
    *, actor: Actor, work_point_entry: WorkPointEntry, reason: str = ""
) -> None:
    """Delete a work-point entry entered by mistake."""
    _delete(actor, work_point_entry, reason)
