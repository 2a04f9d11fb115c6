"""Schemathesis against the OpenAPI schema, in-process over WSGI: every operation, no server
error, every answer as documented (status code, content type, body), with a writer's token.

Each operation gets a few positive and negative examples (MAX_EXAMPLES) on the API test company;
they all run inside the module's transaction, which is rolled back at the end.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import zlib
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core import NotSet
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from kaoping.api.tests.fixtures import *  # noqa: F403
from kaoping.api.tests.fixtures import ApiWorld
from kaoping.appeals.models import Appeal
from kaoping.inspections.models import Finding

# Examples per operation: enough to reach the services' checks with valid and invalid data, the
# same ones on every run (CI stays reproducible). A deeper, random run sets
# KAOPING_SCHEMATHESIS_EXAMPLES (e.g. 100).
DEEP = "KAOPING_SCHEMATHESIS_EXAMPLES" in os.environ
MAX_EXAMPLES = int(os.environ.get("KAOPING_SCHEMATHESIS_EXAMPLES", "6"))
SEED = 20261023
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]
application = get_wsgi_application()


def _load_schema() -> Any:
    """The schema as /api/schema/ serves it, generated here (collection may not use the
    database, and the operations are parametrized at import)."""
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.renderers import OpenApiJsonRenderer

    generated = SchemaGenerator().get_schema(request=None, public=True)
    loaded = schemathesis.openapi.from_dict(json.loads(OpenApiJsonRenderer().render(generated)))
    loaded.app = application
    loaded.config.generation.update(max_examples=MAX_EXAMPLES, database="none")
    if not DEEP:
        loaded.config.seed = SEED
    # The coverage phase derives hundreds of boundary cases per operation up front: minutes for
    # this schema. Fuzzing, positive and negative, keeps the run within its budget.
    loaded.config.phases.coverage.enabled = False
    return loaded


schema = _load_schema()

# --- steering generated data towards the test company ------------------------------------------
# Random codes and ids would almost never name a unit, an employee or a record of the test
# company, so nearly every write would stop at "unknown unit". Before each call, two thirds of
# the values of these names are replaced by ones that exist (the choice is a hash of the
# generated value, so a failing example replays the same way); schemathesis then re-checks
# whether the case is still the positive or negative one it was generated as.

CODES = {
    "unit": ["GZ-P1-T1", "GZ-P1-T2", "GZ-P2-T3", "GZ-P1-CS", "GZ-P1", "GZ"],
    "parent": ["GZ-P1-CS", "GZ-P1", "GZ-R1", "GZ"],
    "subject_unit": ["GZ-P1-CS", "GZ-P2-CS", "GZ-P1-T1"],
    "employee": ["GZ001", "GZ002", "GZ003", "GZ004"],
    "supervisor": ["GZ002"],
    "owner": ["GZ002", "GZ001"],
    "position": ["reception", "lead"],
    "company": ["GZ"],
    "period": ["2026-10", "2026-09"],
    "section": ["service", "post_quality", "handover", "cleaning"],
    "month": ["2026-10-01"],
    "team": ["GZ-P1-T1", "GZ-P1-T2", "GZ-P2-T3"],
}
TIMES = {
    "received_at",
    "occurred_at",
    "opened_at",
    "completed_at",
    "resolved_at",
    "callback_at",
    "at",
}
DAYS = {"date", "visited_on", "answered_on", "start", "end", "hire_date", "date_from", "date_to"}
# Body keys naming a record by id, and the list (URL segment) the id is taken from.
ID_KEYS = {
    "inspection": "inspections",
    "finding": "findings",
    "fault_notice": "fault-notices",
    "result": "results",
    "appraisal": "appraisals",
    "plan": "inspection-plans",
    "item": "ranking-items",
}
KNOWN_IDS: dict[str, list[int]] = {}
WRITERS = ["quality", "manager1", "sup1", "emp1", "admin", "head1", "hr"]


def _pick(key: str, value: Any, options: list[Any]) -> Any:
    digest = zlib.crc32(f"{key}:{value!r}".encode())
    if not options or digest % 3 == 0:
        return value
    return options[digest % len(options)]


def _steer_value(key: str, value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and key in CODES:
        return _pick(key, value, CODES[key])
    if isinstance(value, str) and key in TIMES:
        day = zlib.crc32(value.encode()) % 20 + 1
        return _pick(key, value, [f"2026-10-{day:02d}T10:30:00+08:00"])
    if isinstance(value, str) and key in DAYS:
        day = zlib.crc32(value.encode()) % 20 + 1
        return _pick(key, value, [f"2026-10-{day:02d}"])
    if isinstance(value, int) and key in ID_KEYS:
        return _pick(key, value, KNOWN_IDS.get(ID_KEYS[key], []))
    return value


def _steer(container: Any) -> None:
    """Replace, in place, values of the names above inside a body or parameter mapping."""
    if isinstance(container, list):
        for item in container:
            _steer(item)
    elif isinstance(container, dict):
        for key, value in container.items():
            if isinstance(value, dict | list):
                _steer(value)
            else:
                container[key] = _steer_value(key, value)


@schemathesis.hook
def before_call(context: Any, case: Any, kwargs: dict[str, Any]) -> None:
    # A global hook (schemathesis allows this one only globally): act on this API alone.
    if not case.operation.path.startswith("/api/"):
        return
    resource = case.operation.path.split("/")[2]
    if case.path_parameters and isinstance(case.path_parameters.get("id"), int):
        case.path_parameters["id"] = _pick(
            "id", case.path_parameters["id"], KNOWN_IDS.get(resource, [])
        )
    for container in (case.query, case.body):
        _steer(container)


@pytest.fixture(scope="module")
def _reference_rows(api_world: ApiWorld, django_db_blocker: Any) -> None:
    """October ranking items of both departments with their teams' values, a member grade and a
    calendar day, so that the ranking, grade and calendar operations reach real rows."""
    from decimal import Decimal

    from kaoping.appeals.services.holidays import holiday_set
    from kaoping.appraisals.models import Appraisal, MemberGrade, RankingItem, RankingValue

    w = api_world.world
    october = api_world.periods["2026-10"]
    with django_db_blocker.unblock():
        for department, teams in (("cs1", ("t1", "t2")), ("cs2", ("t3",))):
            item = RankingItem.objects.create(
                period=october, unit=w.units[department], code="calls", title="接通率", level=1
            )
            for team in teams:
                RankingValue.objects.create(item=item, team=w.units[team], value=Decimal("90"))
            appraisal = Appraisal.objects.get(period=october, subject_unit=w.units[department])
            MemberGrade.objects.create(
                appraisal=appraisal,
                employee=w.employees["e1" if department == "cs1" else "e3"],
                grade="A",
                set_by=w.users["sup1"],
            )
        holiday_set(actor=None, company=w.company, date=dt.date(2026, 10, 1), name="国庆节")


@pytest.fixture(autouse=True)
def _known_ids(api_world: ApiWorld, _reference_rows: None, db: None) -> None:
    from kaoping.appeals.models import Holiday
    from kaoping.appraisals.models import (
        Appraisal,
        MemberGrade,
        RankingItem,
        RankingValue,
        Rating,
        Result,
        ScoreEntry,
    )
    from kaoping.inspections.models import (
        CorrectiveAction,
        FaultNotice,
        FindingPhoto,
        Inspection,
        InspectionPlan,
    )
    from kaoping.operations import models as operations
    from kaoping.org.models import Employee, OrgUnit, Placement, Position, RoleAssignment
    from kaoping.periods.models import Period
    from kaoping.policies.models import PolicyDocument, PolicyVersion

    lists = {
        "units": OrgUnit,
        "positions": Position,
        "employees": Employee,
        "placements": Placement,
        "inspection-plans": InspectionPlan,
        "inspections": Inspection,
        "findings": Finding,
        "fault-notices": FaultNotice,
        "corrective-actions": CorrectiveAction,
        "complaints": operations.Complaint,
        "incidents": operations.Incident,
        "call-statistics": operations.CallStatistic,
        "work-orders": operations.WorkOrder,
        "fee-collections": operations.FeeCollection,
        "owner-visits": operations.OwnerVisit,
        "surveys": operations.SurveyResponse,
        "work-points": operations.WorkPointEntry,
        "periods": Period,
        "appraisals": Appraisal,
        "ratings": Rating,
        "score-entries": ScoreEntry,
        "results": Result,
        "appeals": Appeal,
        "ranking-items": RankingItem,
        "ranking-values": RankingValue,
        "member-grades": MemberGrade,
        "holidays": Holiday,
        "policies": PolicyDocument,
        "policy-versions": PolicyVersion,
        "role-assignments": RoleAssignment,
        "finding-photos": FindingPhoto,
    }
    KNOWN_IDS.clear()
    for name, model in lists.items():
        KNOWN_IDS[name] = list(
            model._default_manager.order_by("pk").values_list("pk", flat=True)[:12]
        )


@pytest.fixture(autouse=True)
def _one_connection() -> Iterator[None]:
    # Requests go to the real WSGI handler, which closes the database connection after each
    # one; the tests run in one transaction, so keep it open, as Django's test client does.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture(autouse=True)
def _unthrottled(settings: Any) -> None:
    # Many requests in a few seconds: no request-rate limit for this run.
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": None, "user": None},
    }


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    derandomize=not DEEP,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_answers_as_documented(case: Any, api_world: ApiWorld, db: None) -> None:
    # Writers take turns (quality, a project manager, a supervisor, an employee, admin …), chosen
    # from the generated data, so that a failing example replays as the same user.
    body = None if isinstance(case.body, NotSet) else case.body
    generated = repr((case.operation.label, case.path_parameters, case.query, body))
    user = WRITERS[zlib.crc32(generated.encode()) % len(WRITERS)]
    case.call_and_validate(
        headers={"Authorization": f"Token {api_world.secrets[user]}"}, checks=CHECKS
    )
