"""Fault-notice numbers stay unique when two inspectors save at the same moment (PostgreSQL)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.db import connection, transaction

from kaoping.org.tests.factories import World

from ..models import FaultNotice, FaultNoticeCounter
from ..services import _next_notice_number, finding_record, inspection_create
from .conftest import at, install_policies

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def run_together(work: list[Callable[[], str]]) -> list[str]:
    """Run each callable in its own thread and database connection, released by one barrier."""
    barrier = threading.Barrier(len(work))
    results: list[str] = []
    errors: list[BaseException] = []

    def run(job: Callable[[], str]) -> None:
        try:
            barrier.wait(timeout=10)
            results.append(job())
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(job,)) for job in work]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors
    return sorted(results)


def test_two_inspectors_recording_at_the_same_moment_get_distinct_numbers(world: World) -> None:
    install_policies(world)
    inspections = {
        name: inspection_create(
            actor=world.users[name], unit=world.units["t1"], kind="daily", at=at(3, 10, 9)
        )
        for name in ("sup1", "quality")
    }

    def recorder(name: str) -> Callable[[], str]:
        def job() -> str:
            actor = User.objects.get(pk=world.users[name].pk)  # one user object per thread
            finding = finding_record(
                actor=actor,
                inspection=inspections[name],
                employee=world.employees["e1"],
                section="service",
                severity="general",
                points=Decimal(1),
                description="未佩戴工牌",
                occurred_at=at(3, 10, 9),
            )
            return finding.fault_notice.number

        return job

    numbers = run_together([recorder("sup1"), recorder("quality")])

    assert numbers == ["GZ-202603-0001", "GZ-202603-0002"]
    assert sorted(FaultNotice.objects.values_list("number", flat=True)) == numbers


def test_the_counter_alone_survives_the_race_to_create_the_months_row(world: World) -> None:
    # Both transactions find no counter row for April and try to create it: the loser's insert
    # waits for the winner to commit, fails inside its savepoint, then locks the winner's row.
    def take() -> str:
        with transaction.atomic():
            number = _next_notice_number(
                company_id=world.company.pk, code="GZ", day=at(4, 2).date()
            )
            time.sleep(0.2)  # hold the lock while the other transaction queues behind it
            return number

    numbers = run_together([take, take, take])

    assert numbers == ["GZ-202604-0001", "GZ-202604-0002", "GZ-202604-0003"]
    assert FaultNoticeCounter.objects.get().last == 3
