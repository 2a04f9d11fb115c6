"""What each role of the world sees of every inspection record type, and what answers 404."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pytest
from django.db.models import Model
from django.http import Http404

from kaoping.org.tests.factories import World

from ..selectors import (
    corrective_action_get,
    corrective_action_list,
    fault_notice_get,
    fault_notice_list,
    finding_get,
    finding_list,
    inspection_get,
    inspection_list,
    inspection_plan_get,
    inspection_plan_list,
)
from .conftest import Records

pytestmark = pytest.mark.django_db

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

NONE: set[str] = set()
SEEN_INSPECTIONS = {
    "emp1": {"I1"},
    "emp2": {"I2"},
    "sup1": {"I1"},
    "head1": {"I1", "I2"},
    "manager1": {"I1", "I2"},
    "manager2": {"I3"},
    "quality": {"I1", "I2", "I3"},
    "hr": NONE,
    "finance": NONE,
    "admin": NONE,
}
SEEN_FINDINGS = {
    "emp1": {"F1"},
    "emp2": {"F2"},
    "sup1": {"F1"},
    "head1": {"F1", "F2", "F4"},
    "manager1": {"F1", "F2", "F4"},
    "manager2": {"F3"},
    "quality": {"F1", "F2", "F3", "F4"},
    "hr": NONE,
    "finance": NONE,
    "admin": NONE,
}
SEEN_NOTICES = {
    "emp1": {"N1"},
    "emp2": {"N2"},
    "sup1": {"N1"},
    "head1": {"N1", "N2"},
    "manager1": {"N1", "N2"},
    "manager2": {"N3"},
    "quality": {"N1", "N2", "N3"},
    "hr": NONE,
    "finance": NONE,
    "admin": NONE,
}
# An employee sees the corrective actions they own: 张三 owns none, 李四 (sup1) owns A1.
SEEN_ACTIONS = {
    "emp1": NONE,
    "emp2": NONE,
    "sup1": {"A1"},
    "head1": {"A1"},
    "manager1": {"A1"},
    "manager2": {"A3"},
    "quality": {"A1", "A3"},
    "hr": NONE,
    "finance": NONE,
    "admin": NONE,
}
SEEN_PLANS = {
    "emp1": NONE,
    "emp2": NONE,
    "sup1": {"t1-patrol"},
    "head1": {"t1-patrol"},
    "manager1": {"t1-patrol", "p1-visit"},
    "manager2": {"p2-patrol"},
    "quality": {"t1-patrol", "p1-visit", "root-survey", "p2-patrol"},
    "hr": NONE,
    "finance": NONE,
    "admin": NONE,
}


def keys_of(objects: Any, named: Mapping[str, Model]) -> set[str]:
    by_pk = {obj.pk: key for key, obj in named.items()}
    return {by_pk[obj.pk] for obj in objects}


def check_gets(
    get: Callable[..., Model], viewer: Any, named: Mapping[str, Model], seen: set[str]
) -> None:
    """Every visible object is returned by its detail selector; every other one answers 404."""
    for key, obj in named.items():
        if key in seen:
            assert get(viewer=viewer, pk=obj.pk) == obj, (viewer.username, key)
        else:
            with pytest.raises(Http404):
                get(viewer=viewer, pk=obj.pk)
                pytest.fail(f"{viewer.username} reads {key}")


def test_each_role_sees_exactly_the_records_of_its_scope_and_404_outside(
    world: World, records: Records
) -> None:
    # One test for every role and record type: building the records is the costly part.
    seen: dict[str, dict[str, set[str]]] = {}
    for role in ROLES:
        viewer = world.users[role]
        seen[role] = {
            "inspections": keys_of(inspection_list(viewer=viewer), records.inspections),
            "findings": keys_of(finding_list(viewer=viewer), records.findings),
            "notices": keys_of(fault_notice_list(viewer=viewer), records.notices),
            "actions": keys_of(corrective_action_list(viewer=viewer), records.actions),
            "plans": keys_of(inspection_plan_list(viewer=viewer), records.plans),
        }
        check_gets(inspection_get, viewer, records.inspections, SEEN_INSPECTIONS[role])
        check_gets(finding_get, viewer, records.findings, SEEN_FINDINGS[role])
        check_gets(fault_notice_get, viewer, records.notices, SEEN_NOTICES[role])
        check_gets(corrective_action_get, viewer, records.actions, SEEN_ACTIONS[role])
        check_gets(inspection_plan_get, viewer, records.plans, SEEN_PLANS[role])

    assert seen == {
        role: {
            "inspections": SEEN_INSPECTIONS[role],
            "findings": SEEN_FINDINGS[role],
            "notices": SEEN_NOTICES[role],
            "actions": SEEN_ACTIONS[role],
            "plans": SEEN_PLANS[role],
        }
        for role in ROLES
    }


def test_a_finding_stays_with_the_team_of_its_day_after_a_transfer(
    world: World, records: Records
) -> None:
    # given 张三 moves from 服务一组 to 服务二组 in April
    import datetime as dt

    from kaoping.org.services import placement_transfer

    placement_transfer(
        actor=None,
        employee=world.employees["e1"],
        unit=world.units["t2"],
        position=world.positions["reception"],
        start=dt.date(2026, 4, 1),
    )

    # then the March finding is still 服务一组's: its supervisor sees it, he still sees his own
    assert keys_of(finding_list(viewer=world.users["sup1"]), records.findings) == {"F1"}
    assert keys_of(finding_list(viewer=world.users["emp1"]), records.findings) == {"F1"}


def test_lists_read_their_related_rows_in_one_query(
    world: World, records: Records, django_assert_num_queries: Any
) -> None:
    viewer = world.users["quality"]
    list(finding_list(viewer=viewer))  # the viewer's scope is computed once, then cached

    with django_assert_num_queries(1):
        rows = [
            (f.unit.name, f.employee, f.subject_unit, f.inspection.kind, f.policy_version.document)
            for f in finding_list(viewer=viewer)
        ]
    with django_assert_num_queries(1):
        notices = [(n.number, n.finding.employee.name) for n in fault_notice_list(viewer=viewer)]
    with django_assert_num_queries(1):
        actions = [(a.unit.name, a.owner) for a in corrective_action_list(viewer=viewer)]
    with django_assert_num_queries(1):
        inspections = [(i.unit.name, i.inspector.username) for i in inspection_list(viewer=viewer)]

    assert (len(rows), len(notices), len(actions), len(inspections)) == (4, 3, 2, 3)


def test_unanswered_notices_and_voided_findings_filters(world: World, records: Records) -> None:
    from ..models import Finding

    Finding.objects.filter(pk=records.findings["F2"].pk).update(status=Finding.Status.VOIDED)
    quality = world.users["quality"]

    assert keys_of(finding_list(viewer=quality), records.findings) == {"F1", "F3", "F4"}
    assert keys_of(finding_list(viewer=quality, status=None), records.findings) == {
        "F1",
        "F2",
        "F3",
        "F4",
    }
    assert finding_get(viewer=quality, pk=records.findings["F2"].pk) == records.findings["F2"]
    assert keys_of(fault_notice_list(viewer=quality, unanswered=True), records.notices) == {
        "N1",
        "N2",
        "N3",
    }
