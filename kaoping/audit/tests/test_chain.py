"""The audit chain: every write appends a linked event; tampering is caught."""

from __future__ import annotations

import subprocess
import sys

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from kaoping.audit.context import origin
from kaoping.audit.models import AuditEvent, AuditHead
from kaoping.audit.services import GENESIS, _payload, audit_record, audit_verify, event_hash
from kaoping.org.models import Company
from kaoping.org.services import company_create
from kaoping.org.tests.factories import World

pytestmark = pytest.mark.django_db


def test_each_event_links_to_the_one_before_in_its_company_chain(world: World) -> None:
    events = list(AuditEvent.objects.order_by("id"))
    by_chain: dict[str, list[AuditEvent]] = {}
    for event in events:
        by_chain.setdefault(event.chain, []).append(event)

    assert set(by_chain) <= {f"company:{world.company.pk}", "system"}
    assert f"company:{world.company.pk}" in by_chain
    for chain in by_chain.values():
        assert chain[0].prev_hash == GENESIS
        assert all(
            later.prev_hash == earlier.hash
            for earlier, later in zip(chain, chain[1:], strict=False)
        )
        head = AuditHead.objects.get(chain=chain[0].chain)
        assert (head.last_hash, head.count) == (chain[-1].hash, len(chain))
    report = audit_verify()
    assert report.ok
    assert (report.checked, report.chains) == (len(events), len(by_chain))


def test_two_companies_write_to_two_chains_each_verified_alone(world: World) -> None:
    # given a second company, created and written to after the first
    other = company_create(actor=None, code="SZ", name="深圳物业")
    with transaction.atomic():
        audit_record(actor=None, action="company.note", obj=other, reason="第二家公司")
    mine = AuditEvent.objects.filter(chain=f"company:{world.company.pk}")
    theirs = AuditEvent.objects.filter(chain=f"company:{other.pk}").order_by("id")

    # then the second company's chain starts at the beginning, not after the first's events
    assert [e.action for e in theirs] == ["company.create", "org_unit.create", "company.note"]
    assert [e.prev_hash for e in theirs] == [GENESIS, theirs[0].hash, theirs[1].hash]
    # and each company's chain verifies on its own
    assert audit_verify(company_id=other.pk).checked == 3
    assert audit_verify(company_id=world.company.pk).checked == mine.count()

    # when an event is moved from one chain to the other, both hash and link break
    victim = theirs[2]
    _tamper(
        "UPDATE audit_auditevent SET chain = %s WHERE id = %s",
        [f"company:{world.company.pk}", victim.pk],
    )
    report = audit_verify()
    assert not report.ok
    assert (report.broken_id, report.chain) == (victim.pk, f"company:{world.company.pk}")
    # and the chain it left no longer matches its head
    left = audit_verify(company_id=other.pk)
    assert (left.ok, left.broken_id, left.chain) == (False, None, f"company:{other.pk}")


def test_the_first_single_chain_still_verifies(db: None) -> None:
    """Events written before chains were per company (chain "", hashed without it) verify as
    they always did, beside the new chains."""
    previous = GENESIS
    with connection.cursor():
        for number in range(3):
            event = AuditEvent(
                at=timezone.now(),
                actor_name="system",
                action="legacy.write",
                object_type="t",
                object_id=str(number),
                chain="",
                prev_hash=previous,
            )
            event.hash = event_hash(previous, _payload(event))
            assert "chain" not in _payload(event)
            event.save(force_insert=True)
            previous = event.hash
    AuditHead.objects.create(chain="", last_hash=previous, count=3)
    company_create(actor=None, code="SZ", name="深圳物业")

    report = audit_verify()

    assert report.ok
    assert report.chains == 2
    assert report.checked == AuditEvent.objects.count()
    assert AuditEvent.objects.filter(chain="").count() == 3


def test_a_deleted_head_is_caught_by_verify(world: World) -> None:
    _tamper("DELETE FROM audit_audithead WHERE chain = %s", [f"company:{world.company.pk}"])

    report = audit_verify()

    assert (report.ok, report.chain) == (False, f"company:{world.company.pk}")
    assert "链头" in report.problem


def test_a_write_records_actor_object_before_after_and_origin(world: World) -> None:
    # given a request origin
    with origin("req-123", "10.1.2.3"), transaction.atomic():
        company = Company.objects.get(pk=world.company.pk)
        audit_record(
            actor=world.users["admin"],
            action="company.rename",
            obj=company,
            before={"name": "广州物业"},
            after={"name": "广州物业服务"},
            reason="工商变更",
        )

    # then the event carries all of it, with UTC time
    event = AuditEvent.objects.latest("id")
    assert (event.action, event.object_type, event.object_id) == (
        "company.rename",
        "org.company",
        str(company.pk),
    )
    assert event.actor_id == world.users["admin"].pk
    assert event.actor_name == "gz-admin"
    assert event.before == {"name": "广州物业"} and event.after == {"name": "广州物业服务"}
    assert (event.reason, event.request_id, event.address) == ("工商变更", "req-123", "10.1.2.3")
    assert event.at.utcoffset().total_seconds() == 0
    assert event.company_id == company.pk


@pytest.mark.django_db(transaction=True)
def test_recording_outside_a_transaction_is_refused() -> None:
    with pytest.raises(RuntimeError):
        audit_record(actor=None, action="x", object_type="t", object_id="1")


def test_a_refused_write_leaves_no_event(db: None) -> None:
    company_create(actor=None, code="SZ", name="深圳物业")
    count = AuditEvent.objects.count()

    with pytest.raises(ValidationError):
        company_create(actor=None, code="SZ", name="重复的编码")

    assert AuditEvent.objects.count() == count


def _tamper(sql: str, params: list[object]) -> None:
    """Change the table behind the application's back (on PostgreSQL past the trigger)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "ALTER TABLE audit_auditevent DISABLE TRIGGER audit_auditevent_append_only"
            )
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute(
                "ALTER TABLE audit_auditevent ENABLE TRIGGER audit_auditevent_append_only"
            )


def test_an_edited_event_is_caught_by_verify(world: World) -> None:
    victim = AuditEvent.objects.order_by("id")[3]
    _tamper("UPDATE audit_auditevent SET reason = %s WHERE id = %s", ["改过了", victim.pk])

    report = audit_verify()

    assert not report.ok
    assert report.broken_id == victim.pk
    assert report.checked == 3
    with pytest.raises(CommandError) as raised:
        call_command("audit", "verify")
    assert f"#{victim.pk}" in str(raised.value)
    assert raised.value.returncode == 1


def test_a_deleted_event_is_caught_by_verify(world: World) -> None:
    victim = AuditEvent.objects.order_by("id")[2]
    _tamper("DELETE FROM audit_auditevent WHERE id = %s", [victim.pk])

    report = audit_verify()

    assert not report.ok
    after = AuditEvent.objects.filter(id__gt=victim.pk, chain=victim.chain).order_by("id")
    assert report.broken_id == after.first().pk


def test_a_deleted_last_event_is_caught_by_verify(world: World) -> None:
    last = AuditEvent.objects.latest("id")
    _tamper("DELETE FROM audit_auditevent WHERE id = %s", [last.pk])

    report = audit_verify()

    assert not report.ok
    assert report.broken_id is None
    assert "链头" in report.problem


def test_a_recomputed_hash_still_breaks_the_next_link(world: World) -> None:
    # an attacker who edits a row and recomputes its own hash breaks its successor's link
    victim = AuditEvent.objects.order_by("id")[1]
    victim.reason = "伪造"
    forged = event_hash(victim.prev_hash, _payload(victim))
    _tamper(
        "UPDATE audit_auditevent SET reason = %s, hash = %s WHERE id = %s",
        ["伪造", forged, victim.pk],
    )

    report = audit_verify()

    following = AuditEvent.objects.filter(id__gt=victim.pk, chain=victim.chain).order_by("id")
    assert report.broken_id == following.first().pk


def test_verify_command_reports_the_count(world: World, capsys: pytest.CaptureFixture[str]) -> None:
    call_command("audit", "verify")

    assert f"{AuditEvent.objects.count()} 条事件" in capsys.readouterr().out

    call_command("audit", "verify", "--company", world.company.code)
    mine = AuditEvent.objects.filter(chain=f"company:{world.company.pk}").count()
    assert f"{mine} 条事件 events verified (1 条链 chains)" in capsys.readouterr().out
    with pytest.raises(CommandError, match="--company:没有编码为 XX 的公司"):
        call_command("audit", "verify", "--company", "XX")


@pytest.mark.postgres
def test_postgresql_refuses_update_and_delete_of_events(world: World) -> None:
    event = AuditEvent.objects.order_by("id").first()
    assert event is not None

    for statement in (
        "UPDATE audit_auditevent SET reason = 'x' WHERE id = %s",
        "DELETE FROM audit_auditevent WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement, [event.pk])

    assert audit_verify().ok


def test_kaoping_audit_verify_command_line_exit_codes(tmp_path) -> None:  # type: ignore[no-untyped-def]
    # the real command on a fresh SQLite database: migrate, then verify an empty chain
    env = {"DATABASE_URL": f"sqlite:///{tmp_path}/a.sqlite3", "PATH": "/usr/bin:/bin"}
    run = [sys.executable, "-m", "kaoping"]
    subprocess.run([*run, "migrate", "--no-input"], env=env, check=True, capture_output=True)
    result = subprocess.run([*run, "audit", "verify"], env=env, capture_output=True, text=True)
    assert result.returncode == 0
    assert "0 条事件" in result.stdout


@pytest.mark.postgres
def test_the_first_chain_head_after_the_single_head_gets_a_fresh_id(db: None) -> None:
    """The single head was written with id 1 by hand; migration 0003 moves the id sequence past
    it, so that the first company chain's head does not take id 1 again."""
    import importlib

    from django.apps import apps

    AuditHead.objects.create(pk=1, chain="", last_hash=GENESIS, count=0)  # as it was written
    migration = importlib.import_module("kaoping.audit.migrations.0003_one_chain_per_company")
    with connection.schema_editor(atomic=False) as editor:
        migration.reset_head_ids(apps, editor)

    company = company_create(actor=None, code="SZ", name="深圳物业")

    assert AuditHead.objects.get(chain=f"company:{company.pk}").pk > 1
    assert audit_verify().ok
