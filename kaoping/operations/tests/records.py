"""One valid record of every operations type, in any team of the test world.

`record_create(kind, world, "t1")` makes the record of `kind` in team t1 about the team's
employee (e1 in t1, e2 in t2, e3 in t3) through its service, as the system unless an actor is
given. `n` varies the day and the building so that several records of a kind can coexist.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Model

from kaoping.operations import selectors, services
from kaoping.operations.models import (
    CallStatistic,
    Complaint,
    FeeCollection,
    Incident,
    OwnerVisit,
    SurveyResponse,
    WorkOrder,
    WorkPointEntry,
)
from kaoping.org.tests.factories import World

SHANGHAI = ZoneInfo("Asia/Shanghai")
DAY = dt.date(2026, 10, 12)
MONTH = dt.date(2026, 10, 1)
TEAM_EMPLOYEE = {"t1": "e1", "t2": "e2", "t3": "e3"}


def at(day: dt.date, hour: int = 9, minute: int = 30) -> dt.datetime:
    """A local (Asia/Shanghai) time on `day`."""
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=SHANGHAI)


@dataclass(frozen=True)
class RecordType:
    """How the tests make, change, list and fetch one type of record."""

    noun: str
    model: type[Model]
    has_employee: bool
    fields: Callable[[World, str, int], dict[str, Any]]
    change: dict[str, Any]  # a valid update

    def create(self, **kwargs: Any) -> Any:
        return getattr(services, f"{self.noun}_create")(**kwargs)

    def update(self, *, actor: Any, record: Any, reason: str = "", **changes: Any) -> Any:
        return getattr(services, f"{self.noun}_update")(
            actor=actor, reason=reason, **{self.noun: record}, **changes
        )

    def delete(self, *, actor: Any, record: Any, reason: str = "") -> None:
        getattr(services, f"{self.noun}_delete")(actor=actor, reason=reason, **{self.noun: record})

    def list(self, **kwargs: Any) -> Any:
        return getattr(selectors, f"{self.noun}_list")(**kwargs)

    def get(self, **kwargs: Any) -> Any:
        return getattr(selectors, f"{self.noun}_get")(**kwargs)


def _unit_and_employee(world: World, team: str) -> dict[str, Any]:
    return {"unit": world.units[team], "employee": world.employees[TEAM_EMPLOYEE[team]]}


RECORD_TYPES: dict[str, RecordType] = {
    "complaint": RecordType(
        noun="complaint",
        model=Complaint,
        has_employee=True,
        fields=lambda world, team, n: {
            **_unit_and_employee(world, team),
            "received_at": at(DAY + dt.timedelta(days=n)),
            "category": "cleaning",
            "description": "楼道垃圾未及时清运",
        },
        change={"valid": True},
    ),
    "incident": RecordType(
        noun="incident",
        model=Incident,
        has_employee=False,
        fields=lambda world, team, n: {
            "unit": world.units[team],
            "kind": "theft",
            "occurred_at": at(DAY + dt.timedelta(days=n), 2, 0),
            "description": "地下车库电动车被盗",
        },
        change={"place": "地下车库 B2"},
    ),
    "call_statistic": RecordType(
        noun="call_statistic",
        model=CallStatistic,
        has_employee=False,
        fields=lambda world, team, n: {
            "unit": world.units[team],
            "date": DAY + dt.timedelta(days=n),
            "offered": 120,
            "answered": 114,
        },
        change={"answered": 118},
    ),
    "work_order": RecordType(
        noun="work_order",
        model=WorkOrder,
        has_employee=True,
        fields=lambda world, team, n: {
            **_unit_and_employee(world, team),
            "kind": "repair",
            "opened_at": at(DAY + dt.timedelta(days=n)),
        },
        change={"completed_at": at(DAY + dt.timedelta(days=20), 15, 0)},
    ),
    "fee_collection": RecordType(
        noun="fee_collection",
        model=FeeCollection,
        has_employee=True,
        fields=lambda world, team, n: {
            **_unit_and_employee(world, team),
            "building": f"{n + 1}栋",
            "month": MONTH,
            "households_due": 200,
            "households_paid": 190,
            "amount_due": Decimal("100000.00"),
            "amount_paid": Decimal("95000.00"),
            "task_amount": Decimal("98000.00"),
        },
        change={"households_paid": 195},
    ),
    "owner_visit": RecordType(
        noun="owner_visit",
        model=OwnerVisit,
        has_employee=True,
        fields=lambda world, team, n: {
            **_unit_and_employee(world, team),
            "household": "3栋1单元502",
            "visited_on": DAY + dt.timedelta(days=n),
            "record": "业主反映电梯异响,已报工程部",
        },
        change={"callback": True},
    ),
    "survey_response": RecordType(
        noun="survey_response",
        model=SurveyResponse,
        has_employee=True,
        fields=lambda world, team, n: {
            **_unit_and_employee(world, team),
            "level": "satisfied",
            "answered_on": DAY + dt.timedelta(days=n),
        },
        change={"level": "very_satisfied"},
    ),
    "work_point_entry": RecordType(
        noun="work_point_entry",
        model=WorkPointEntry,
        has_employee=True,
        fields=lambda world, team, n: {
            **_unit_and_employee(world, team),
            "date": DAY + dt.timedelta(days=n),
            "points": Decimal("12.5"),
            "note": "走访客户 5 户",
        },
        change={"points": Decimal("15")},
    ),
}
KINDS = list(RECORD_TYPES)


def record_create(
    record_kind: str, world: World, team: str, /, *, actor: Any = None, n: int = 0, **overrides: Any
) -> Any:
    """Create the record of `record_kind` in `team` through its service."""
    record_type = RECORD_TYPES[record_kind]
    return record_type.create(actor=actor, **{**record_type.fields(world, team, n), **overrides})
