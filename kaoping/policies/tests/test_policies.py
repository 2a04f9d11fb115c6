"""Policies in the database: install, draft with lint, publish, assign, which version applies."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from kaoping.audit.models import AuditEvent
from kaoping.org.tests.factories import World
from kaoping.policies.models import PolicyDocument, PolicyVersion
from kaoping.policies.selectors import (
    engine_policy,
    policy_document_get,
    policy_document_list,
    policy_for_employee,
    policy_for_unit,
    policy_version_in_force,
)
from kaoping.policies.services import (
    builtin_policies_install,
    policy_assign,
    policy_draft_save,
    policy_publish,
)

pytestmark = pytest.mark.django_db
OCT = dt.date(2026, 10, 15)


@pytest.fixture
def installed(world: World) -> World:
    builtin_policies_install(actor=None, company=world.company)
    return world


def doc(code: str) -> PolicyDocument:
    return PolicyDocument.objects.get(code=code)


def test_the_ten_built_ins_install_as_published_version_1(installed: World) -> None:
    versions = PolicyVersion.objects.filter(document__company=installed.company)

    assert versions.count() == 10
    assert set(versions.values_list("number", "status").distinct()) == {(1, "published")}
    assert (
        engine_policy(versions.get(document__code="cs-group-inspection")).sections[0].id
        == "post_quality"
    )
    # installing again adds nothing
    builtin_policies_install(actor=None, company=installed.company)
    assert PolicyVersion.objects.filter(document__company=installed.company).count() == 10


def test_a_draft_with_lint_errors_is_refused_and_nothing_is_saved(installed: World) -> None:
    document = doc("cs-group-inspection")
    source = document.versions.get(number=1).source.replace(
        "general: [1, 2], serious: [3, 5], consequence: [6, 20]",
        "general: [1, 2], serious: [3, 5], consequence: [6, 30]",
        1,
    )
    events = AuditEvent.objects.count()

    with pytest.raises(ValidationError) as raised:
        policy_draft_save(actor=installed.users["quality"], document=document, source=source)

    assert "扣分上限 30 超过该项满分 20" in raised.value.message_dict["source"][0]
    assert document.versions.count() == 1
    assert AuditEvent.objects.count() == events


def test_a_draft_with_a_yaml_error_names_the_line(installed: World) -> None:
    with pytest.raises(ValidationError) as raised:
        policy_draft_save(
            actor=installed.users["quality"], document=doc("cs-group-inspection"), source="id: ["
        )

    assert raised.value.message_dict["source"][0].startswith("cs-group-inspection:")


def test_a_draft_for_another_policy_id_is_refused(installed: World) -> None:
    source = doc("unit-satisfaction").versions.get(number=1).source

    with pytest.raises(ValidationError) as raised:
        policy_draft_save(
            actor=installed.users["quality"], document=doc("cs-group-inspection"), source=source
        )

    assert "unit-satisfaction" in raised.value.message_dict["source"][0]


def test_only_quality_may_edit_policies(installed: World) -> None:
    document = doc("cs-group-inspection")
    source = document.versions.get(number=1).source

    for user in ("manager1", "hr", "admin", "emp1"):
        with pytest.raises(PermissionDenied):
            policy_draft_save(actor=installed.users[user], document=document, source=source)
    assert document.versions.count() == 1


def test_publish_freezes_a_version_and_the_new_one_applies_from_its_period(
    installed: World,
) -> None:
    # given a draft version 2 that lowers the bonus ceiling, published from 2026-11
    document = doc("cs-group-inspection")
    source = document.versions.get(number=1).source.replace(
        "  max: 20\nnotes:", "  max: 10\nnotes:"
    )
    draft = policy_draft_save(actor=installed.users["quality"], document=document, source=source)
    assert (draft.number, draft.status) == (2, "draft")
    assert policy_version_in_force(document=document, on=dt.date(2026, 11, 1)).number == 1

    published = policy_publish(
        actor=installed.users["quality"], version=draft, effective_period="2026-11"
    )

    # then October stays on version 1 and November on version 2, whose bonus is 1–10
    assert published.effective_from == dt.date(2026, 11, 1)
    assert policy_version_in_force(document=document, on=dt.date(2026, 10, 31)).number == 1
    v2 = policy_version_in_force(document=document, on=dt.date(2026, 11, 1))
    assert v2.number == 2
    assert engine_policy(v2).version == 2
    assert engine_policy(v2).bonus.high == 10
    with pytest.raises(ValidationError) as raised:
        policy_publish(
            actor=installed.users["quality"], version=published, effective_period="2026-12"
        )
    assert raised.value.message_dict == {"status": ["已发布的版本不能修改,请新建版本。"]}
    # a new draft is a new number; the published text never changes
    again = policy_draft_save(actor=installed.users["quality"], document=document, source=source)
    assert again.number == 3
    assert PolicyVersion.objects.get(pk=published.pk).source == source


def test_a_bad_effective_period_is_refused(installed: World) -> None:
    document = doc("cs-group-inspection")
    draft = policy_draft_save(
        actor=installed.users["quality"],
        document=document,
        source=document.versions.get(number=1).source,
    )
    with pytest.raises(ValidationError) as raised:
        policy_publish(actor=installed.users["quality"], version=draft, effective_period="2026-13")
    assert "effective_period" in raised.value.message_dict
    assert PolicyVersion.objects.get(pk=draft.pk).status == "draft"


def test_the_most_specific_assignment_wins(installed: World) -> None:
    # given the company-wide inspection policy, and the staff form for receptionists of P1
    world = installed
    start = dt.date(2026, 1, 1)
    policy_assign(
        actor=None, document=doc("cs-group-inspection"), unit=world.units["root"], start=start
    )
    policy_assign(
        actor=None,
        document=doc("cs-staff-monthly"),
        unit=world.units["p1"],
        position=world.positions["reception"],
        consequences=doc("cs-violation-penalties"),
        start=start,
    )

    e1 = policy_for_employee(employee=world.employees["e1"], on=OCT)
    e3 = policy_for_employee(employee=world.employees["e3"], on=OCT)
    sup1 = policy_for_employee(employee=world.employees["sup1"], on=OCT)

    assert e1 is not None and e1.version.document.code == "cs-staff-monthly"
    assert e1.consequences is not None and e1.consequences.document.code == "cs-violation-penalties"
    assert e3 is not None and e3.version.document.code == "cs-group-inspection"
    assert sup1 is not None and sup1.version.document.code == "cs-group-inspection"
    assert policy_for_employee(employee=world.employees["e1"], on=dt.date(2025, 12, 31)) is None


def test_unit_policies_match_by_subtree_and_kind(installed: World) -> None:
    world = installed
    policy_assign(
        actor=None,
        document=doc("unit-satisfaction"),
        unit=world.units["root"],
        unit_kind="department",
        start=dt.date(2026, 1, 1),
    )
    policy_assign(
        actor=None,
        document=doc("service-group-ranking"),
        unit=world.units["cs1"],
        unit_kind="team",
        start=dt.date(2026, 1, 1),
    )

    assert (
        policy_for_unit(unit=world.units["cs2"], on=OCT).version.document.code
        == "unit-satisfaction"
    )
    assert policy_for_unit(unit=world.units["p1"], on=OCT) is None
    assert (
        policy_for_unit(unit=world.units["t1"], on=OCT, subject="team").version.document.code
        == "service-group-ranking"
    )
    assert policy_for_unit(unit=world.units["t3"], on=OCT, subject="team") is None


def test_policies_are_visible_to_their_company_only(installed: World) -> None:
    from kaoping.org.tests.factories import build_world

    other = build_world("SZ")
    builtin_policies_install(actor=None, company=other.company)

    assert policy_document_list(viewer=installed.users["emp1"]).count() == 10
    assert set(
        policy_document_list(viewer=installed.users["emp1"]).values_list("company", flat=True)
    ) == {installed.company.pk}
    with pytest.raises(Http404):
        policy_document_get(viewer=other.users["quality"], code="nonexistent")
    assert (
        policy_document_get(viewer=other.users["quality"], code="cs-group-inspection").company
        == other.company
    )
