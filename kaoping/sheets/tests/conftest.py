"""Fixtures of the sheets tests: the test world with its policies assigned."""

from __future__ import annotations

import datetime as dt

import pytest

from kaoping.org.tests.factories import World
from kaoping.policies.models import PolicyDocument
from kaoping.policies.services import builtin_policies_install, policy_assign


@pytest.fixture
def policies(world: World) -> World:
    """The world with cs-group-inspection (and its penalty ledger) for every employee, and
    unit-satisfaction for departments, from 2026-01-01."""
    builtin_policies_install(actor=None, company=world.company)
    docs = {d.code: d for d in PolicyDocument.objects.filter(company=world.company)}
    start = dt.date(2026, 1, 1)
    policy_assign(
        actor=None,
        document=docs["cs-group-inspection"],
        unit=world.units["root"],
        consequences=docs["cs-violation-penalties"],
        start=start,
    )
    policy_assign(
        actor=None,
        document=docs["unit-satisfaction"],
        unit=world.units["root"],
        unit_kind="department",
        start=start,
    )
    return world
