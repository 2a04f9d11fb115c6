"""What each role sees of appeals (list, 404, inbox), and the audit trail of a whole appeal."""

from __future__ import annotations

import pytest
from django.http import Http404

from kaoping.org.access import SYSTEM
from kaoping.org.tests.factories import World

from ..models import Appeal
from ..selectors import appeal_get, appeal_inbox, appeal_list
from ..services import (
    Correction,
    appeal_decide,
    appeal_escalate_request,
    appeal_file,
    appeals_escalate,
)
from .conftest import at, audit_since, last_audit_id, record

pytestmark = pytest.mark.django_db


@pytest.fixture
def appeals(world: World, policies: None) -> dict[str, Appeal]:
    """张三's chain appeal (服务一组) and her complaint to HR; 王五's (服务二组); 赵六's (翠苑).

    赵六 has no login: the system files his appeal for him (a paper appeal entered by HR).
    """
    e1 = world.users["emp1"]
    return {
        "e1": appeal_file(actor=e1, finding=record(world), reason="不服", now=at(10, 16)),
        "e1-hr": appeal_file(
            actor=e1,
            finding=record(world, section="training", points="0.5"),
            reason="检查人员打击报复",
            to_hr=True,
            now=at(10, 16),
        ),
        "e2": appeal_file(
            actor=world.users["emp2"], finding=record(world, "e2"), reason="不服", now=at(10, 16)
        ),
        "e3": appeal_file(actor=None, finding=record(world, "e3"), reason="不服", now=at(10, 16)),
    }


def test_each_role_lists_what_it_may_see(world: World, appeals: dict[str, Appeal]) -> None:
    expected = {
        "emp1": {"e1", "e1-hr"},
        "emp2": {"e2"},
        "sup1": {"e1"},
        "head1": {"e1", "e2"},
        "manager1": {"e1", "e2"},
        "manager2": {"e3"},
        "quality": {"e1", "e2", "e3"},
        "hr": {"e1", "e1-hr", "e2", "e3"},
        "finance": set(),
        "admin": set(),
    }
    names = {a.pk: key for key, a in appeals.items()}
    seen = {user: {names[a.pk] for a in appeal_list(viewer=world.users[user])} for user in expected}

    assert seen == expected
    assert {names[a.pk] for a in appeal_list(viewer=SYSTEM)} == set(appeals)
    assert [names[a.pk] for a in appeal_list(viewer=world.users["hr"], level="hr")] == ["e1-hr"]
    assert list(appeal_list(viewer=world.users["hr"], status="withdrawn")) == []


def test_outside_the_scope_an_appeal_is_404(world: World, appeals: dict[str, Appeal]) -> None:
    assert appeal_get(viewer=world.users["emp1"], pk=appeals["e1"].pk) == appeals["e1"]
    assert appeal_get(viewer=world.users["hr"], pk=appeals["e1-hr"].pk) == appeals["e1-hr"]
    for user, key in [
        ("emp2", "e1"),
        ("sup1", "e2"),
        ("sup1", "e1-hr"),
        ("quality", "e1-hr"),
        ("manager2", "e1"),
        ("finance", "e1"),
        ("admin", "e3"),
    ]:
        with pytest.raises(Http404):
            appeal_get(viewer=world.users[user], pk=appeals[key].pk)


def test_the_inbox_holds_what_waits_for_the_viewer_earliest_due_first(
    world: World, appeals: dict[str, Appeal]
) -> None:
    # given the HR complaint is also due earlier than the others
    Appeal.objects.filter(pk=appeals["e1-hr"].pk).update(level_due="2026-10-20")

    inbox = {
        user: [a.pk for a in appeal_inbox(viewer=world.users[user])]
        for user in ("emp1", "sup1", "head1", "manager1", "manager2", "quality", "hr", "finance")
    }

    assert inbox == {
        "emp1": [],
        "sup1": [appeals["e1"].pk],
        "head1": [appeals["e2"].pk],
        "manager1": [],
        "manager2": [appeals["e3"].pk],
        "quality": [],
        "hr": [appeals["e1-hr"].pk],
        "finance": [],
    }
    assert list(appeal_inbox(viewer=SYSTEM)) == []


def test_the_inbox_leaves_out_the_viewers_own_findings(world: World, policies: None) -> None:
    # given 李四 recorded a finding on 张三: it goes past him to the department head
    own = record(world, by="sup1", section="handover", points="1")
    appeal = appeal_file(
        actor=world.users["emp1"], finding=own, reason="组长处理不公", now=at(10, 16)
    )

    assert appeal.level == "department_head"
    assert list(appeal_inbox(viewer=world.users["sup1"])) == []
    assert list(appeal_inbox(viewer=world.users["head1"])) == [appeal]


def test_every_step_of_an_appeal_is_in_the_audit_log(world: World, policies: None) -> None:
    mark = last_audit_id()
    finding = record(world, when=at(10, 15))
    emp1 = world.users["emp1"]

    appeal = appeal_file(actor=emp1, finding=finding, reason="不服", now=at(10, 16))
    appeal_decide(
        actor=world.users["sup1"],
        appeal=appeal,
        outcome="rejected",
        reason="事实清楚",
        now=at(10, 19),
    )
    appeal_escalate_request(actor=emp1, appeal=appeal, reason="组长偏袒", now=at(10, 19))
    appeals_escalate(now=at(10, 27))
    appeal_decide(
        actor=world.users["manager1"],
        appeal=appeal,
        outcome="upheld",
        reason="确属误判",
        corrections=[Correction.void(finding)],
        now=at(10, 28),
    )

    assert audit_since(mark)[-6:] == [
        ("appeal.file", "appeals.appeal"),
        ("appeal.decide", "appeals.appeal"),
        ("appeal.escalate_request", "appeals.appeal"),
        ("appeal.escalate", "appeals.appeal"),
        ("finding.correct", "inspections.finding"),
        ("appeal.decide", "appeals.appeal"),
    ]
