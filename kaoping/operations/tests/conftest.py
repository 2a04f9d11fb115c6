"""A world and a few records shared by every test of a module, each test rolled back on its own.

Building the test company takes a few hundred queries; the tests here only read it or add to it.
So each module builds it once, with one record of every kind in each team, inside a transaction
that is rolled back after the module. Every test runs in a savepoint inside that transaction
(pytest-django's `db`), so whatever a test writes is undone before the next one.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.db import transaction
from pytest_django import DjangoDbBlocker

from kaoping.org.tests.factories import World, build_world

from .records import KINDS, TEAM_EMPLOYEE, record_create


@dataclass(frozen=True)
class Shared:
    world: World
    ids: dict[str, dict[str, int]]  # kind → team → id of the shared record


@pytest.fixture(scope="module")
def shared(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[Shared]:
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            world = build_world()
            ids = {
                kind: {team: record_create(kind, world, team).pk for team in TEAM_EMPLOYEE}
                for kind in KINDS
            }
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    try:
        yield Shared(world=world, ids=ids)
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def world(shared: Shared, db: None) -> World:
    """The shared world (overrides the project's fresh one for this folder)."""
    return shared.world
