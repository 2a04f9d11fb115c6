"""Test-wide hooks and fixtures for every test folder (kaoping/**/tests and tests/)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from django.conf import settings

if TYPE_CHECKING:
    from kaoping.org.tests.factories import World


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip tests marked `postgres` unless the suite runs on PostgreSQL (DATABASE_URL)."""
    if "postgresql" in settings.DATABASES["default"]["ENGINE"]:
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL=postgres://...")
    for item in items:
        if item.get_closest_marker("postgres"):
            item.add_marker(skip)


@pytest.fixture
def world(db: None) -> World:
    """The small test company of kaoping/org/tests/factories.py."""
    from kaoping.org.tests.factories import build_world

    return build_world()
