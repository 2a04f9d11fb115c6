"""An integration that sends the same record twice at the same moment gets one row (PostgreSQL)."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import connection

from kaoping.audit.models import AuditEvent
from kaoping.operations.models import Complaint
from kaoping.org.tests.factories import build_world

from .records import record_create

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def run_together(jobs: list[Callable[[], str]]) -> list[str]:
    """Run each job in its own thread and connection, released by one barrier; their outcomes."""
    barrier = threading.Barrier(len(jobs))
    outcomes: list[str] = []

    def run(job: Callable[[], str]) -> None:
        try:
            barrier.wait(timeout=10)
            outcomes.append(job())
        except BaseException as exc:  # reported by the main thread
            outcomes.append(f"{type(exc).__name__}: {exc}")
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return sorted(outcomes)


def test_a_retried_request_racing_the_first_one_makes_no_duplicate() -> None:
    world = build_world()

    def send() -> str:
        actor = User.objects.get(pk=world.users["quality"].pk)  # one user object per thread
        try:
            record_create("complaint", world, "t1", actor=actor, external_id="CRM-88017")
        except ValidationError as exc:
            return f"refused {exc.message_dict}"
        return "created"

    outcomes = run_together([send, send])

    assert outcomes == [
        "created",
        "refused {'external_id': ['外部编号(external_id)在本公司已存在,该记录已导入。']}",
    ]
    assert Complaint.objects.filter(external_id="CRM-88017").count() == 1
    assert AuditEvent.objects.filter(action="complaint.create").count() == 1
