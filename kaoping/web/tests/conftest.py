"""Fixtures of the web tests: the world with policies (`scenario`), clients signed in."""

from __future__ import annotations

import pytest
from django.test import Client

from kaoping.org.tests.factories import World

from .scenario import Scenario


@pytest.fixture
def scenario(world: World) -> Scenario:
    """build_world with the built-in policies assigned; nothing recorded yet."""
    made = Scenario(world)
    made.policies()
    return made


def signed_in(world: World, name: str, **defaults: str) -> Client:
    """A test client signed in as the world's user `name`; `defaults` are request META
    entries sent with every request (HTTP_ACCEPT_LANGUAGE="en")."""
    client = Client(**defaults)
    client.force_login(world.users[name])
    return client
