"""The company the API tests run against, built once per test module, and clients per role.

`api_world` is the test company of kaoping/org/tests/factories.py with policies and records,
built through the services inside a transaction that is rolled back after the module (every
test runs in a savepoint inside it, so what a test writes is undone before the next):

    2026-09 closed:  F-sep on 张三 e1 (t1), three on 赵六 e3 (t3, 6 points in all: published)
                     → a result per appraisal, an outcome item for 赵六
    2026-10 open:    in each team t1, t2, t3 one finding on its employee (e1, e2, e3), with its
                     fault notice; one record of every operations type about that employee
    recent (now):    a finding on 张三 e1 (t1), under appeal by 张三 at the supervisor level

Each user of the world has a token (`api_client("sup1")`); `api_client(None)` is anonymous.
Import the fixtures into a test module: `from kaoping.api.tests.fixtures import *  # noqa`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from pytest_django import DjangoDbBlocker
from rest_framework.test import APIClient

from kaoping.api.services import token_create
from kaoping.appeals.models import Appeal
from kaoping.appeals.services import appeal_file
from kaoping.appraisals.services.close import period_close
from kaoping.appraisals.services.periods import period_open
from kaoping.inspections.models import Finding
from kaoping.inspections.services import finding_record, inspection_create
from kaoping.operations.tests.records import KINDS, record_create
from kaoping.org.tests.factories import START, World, build_world
from kaoping.periods.models import Period
from kaoping.policies.models import PolicyDocument
from kaoping.policies.services import builtin_policies_install, policy_assign

__all__ = [
    "RECORDS_SEEN",
    "ROLES",
    "SHANGHAI",
    "TEAM_OF",
    "ApiWorld",
    "api_world",
    "at",
    "api_client",
    "listed",
]

SHANGHAI = ZoneInfo("Asia/Shanghai")
ROLES = [
    "emp1",
    "emp2",
    "sup1",
    "head1",
    "manager1",
    "manager2",
    "quality",
    "hr",
    "finance",
    "admin",
]
TEAM_OF = {"e1": "t1", "e2": "t2", "e3": "t3"}
# What each role reads of the records (inspections, findings, operations …): the teams of its
# subtree, and its own employee's records (kaoping/org/access.py).
RECORDS_SEEN: dict[str, tuple[set[str], str | None]] = {
    "emp1": (set(), "e1"),
    "emp2": (set(), "e2"),
    "sup1": ({"t1"}, "sup1"),
    "head1": ({"t1", "t2"}, None),
    "manager1": ({"t1", "t2"}, None),
    "manager2": ({"t3"}, None),
    "quality": ({"t1", "t2", "t3"}, None),
    "hr": (set(), None),
    "finance": (set(), None),
    "admin": (set(), None),
}


def at(month: int, day: int, hour: int = 10, year: int = 2026) -> dt.datetime:
    """An aware time in the company's zone."""
    return dt.datetime(year, month, day, hour, 0, tzinfo=SHANGHAI)


@dataclass
class ApiWorld:
    world: World
    secrets: dict[str, str] = field(default_factory=dict)
    findings: dict[str, Finding] = field(default_factory=dict)  # "t1" (Oct), "sep", "recent"
    records: dict[str, dict[str, int]] = field(default_factory=dict)  # kind → team → id
    periods: dict[str, Period] = field(default_factory=dict)
    appeal: Appeal | None = None

    @property
    def users(self) -> dict[str, Any]:
        return self.world.users


def install_policies(world: World) -> None:
    """cs-group-inspection with its penalty ledger for everyone, unit-satisfaction for the
    departments (as the close tests do)."""
    builtin_policies_install(actor=None, company=world.company)
    docs = {d.code: d for d in PolicyDocument.objects.filter(company=world.company)}
    root = world.units["root"]
    policy_assign(
        actor=None,
        document=docs["cs-group-inspection"],
        unit=root,
        consequences=docs["cs-violation-penalties"],
        start=START,
    )
    policy_assign(
        actor=None,
        document=docs["unit-satisfaction"],
        unit=root,
        unit_kind="department",
        start=START,
    )


def _finding(
    world: World, employee: str, when: dt.datetime, by: str = "quality", points: str = "1.5"
) -> Finding:
    inspection = inspection_create(
        actor=world.users[by], unit=world.units["root"], kind="spot", at=when
    )
    return finding_record(
        actor=world.users[by],
        inspection=inspection,
        employee=world.employees[employee],
        section="service",
        severity="general",
        points=Decimal(points),
        description="接待台无人值守",
        occurred_at=when,
    )


def build_api_world() -> ApiWorld:
    world = build_world()
    install_policies(world)
    api = ApiWorld(world=world)
    quality = world.users["quality"]

    api.findings["sep"] = _finding(world, "e1", at(9, 15))
    for n in range(3):
        api.findings[f"sep-e3-{n}"] = _finding(world, "e3", at(9, 20, 10 + n), points="2")
    september = period_open(actor=quality, company=world.company, kind="month", key="2026-09")
    period_close(actor=quality, period=september)
    september.refresh_from_db()
    api.periods["2026-09"] = september

    api.periods["2026-10"] = period_open(
        actor=quality, company=world.company, kind="month", key="2026-10"
    )
    for employee, team in TEAM_OF.items():
        api.findings[team] = _finding(world, employee, at(10, 12))
    api.records = {
        kind: {team: record_create(kind, world, team).pk for team in TEAM_OF.values()}
        for kind in KINDS
    }

    api.findings["recent"] = _finding(world, "e1", timezone.now() - dt.timedelta(hours=1))
    api.appeal = appeal_file(
        actor=world.users["emp1"], finding=api.findings["recent"], reason="当时在处理报修"
    )
    for name, user in world.users.items():
        api.secrets[name] = token_create(actor=None, user=user)[1]
    return api


def listed(client: APIClient, url: str) -> set[int]:
    """The ids a list answers (up to 500), after checking that it answers 200."""
    separator = "&" if "?" in url else "?"
    response = client.get(f"{url}{separator}page_size=500")
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


@pytest.fixture(scope="module")
def api_world(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[ApiWorld]:
    """The API test company, built once for the module and rolled back after it."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            built = build_api_world()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    try:
        yield built
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def api_client(api_world: ApiWorld, db: None) -> Callable[[str | None], APIClient]:
    """`api_client("sup1")`: an API client with sup1's token; `api_client(None)`: anonymous."""
    cache.clear()  # request rates are counted in the cache

    def make(name: str | None) -> APIClient:
        made = APIClient()
        if name is not None:
            made.credentials(HTTP_AUTHORIZATION=f"Token {api_world.secrets[name]}")
        return made

    return make
