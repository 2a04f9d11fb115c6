"""The appraisal cycle end to end: open a period, record, rate, close, and the lock after it."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kaoping.appraisals.models import Appraisal, OutcomeItem, Result
from kaoping.appraisals.services.close import period_close
from kaoping.appraisals.services.periods import period_open
from kaoping.inspections.services import finding_record, inspection_create
from kaoping.org.services import employee_create, placement_create
from kaoping.org.tests.factories import World
from kaoping.periods.guard import ensure_open
from kaoping.policies.models import PolicyDocument
from kaoping.policies.services import builtin_policies_install, policy_assign

pytestmark = pytest.mark.django_db
OCT_5 = dt.datetime(2026, 10, 5, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def _setup(world: World) -> None:
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


def _finding(
    world: World, employee: str, section: str, severity: str, points: str, item: str = ""
) -> None:
    inspection = inspection_create(
        actor=world.users["quality"], unit=world.units["root"], kind="monthly", at=OCT_5
    )
    finding_record(
        actor=world.users["quality"],
        inspection=inspection,
        employee=world.employees[employee],
        section=section,
        severity=severity,
        points=Decimal(points),
        item=item,
        description="接待台无人值守",
        occurred_at=OCT_5,
    )


def test_open_creates_an_appraisal_for_every_covered_subject(world: World) -> None:
    _setup(world)

    period = period_open(
        actor=world.users["quality"], company=world.company, kind="month", key="2026-10"
    )

    employees = set(
        Appraisal.objects.filter(period=period, employee__isnull=False).values_list(
            "employee__name", flat=True
        )
    )
    units = set(
        Appraisal.objects.filter(period=period, subject_unit__isnull=False).values_list(
            "subject_unit__code", flat=True
        )
    )
    assert employees == {"张三", "李四", "王五", "赵六"}
    assert units == {"GZ-P1-CS", "GZ-P2-CS"}
    assert (period.start, period.end) == (dt.date(2026, 10, 1), dt.date(2026, 10, 31))
    e1 = Appraisal.objects.get(period=period, employee=world.employees["e1"])
    assert e1.supervisor == world.employees["sup1"] and e1.unit == world.units["t1"]
    assert e1.consequences_version.document.code == "cs-violation-penalties"


def test_close_freezes_results_with_version_hash_and_outcomes(world: World) -> None:
    # given e1 has two findings in October
    _setup(world)
    period = period_open(
        actor=world.users["quality"], company=world.company, kind="month", key="2026-10"
    )
    _finding(world, "e1", "post_quality", "serious", "4", "uniform")
    _finding(world, "e1", "service", "general", "1.5")

    # when the manager closes the month
    report = period_close(actor=world.users["quality"], period=period)

    # then every appraisal has its frozen result
    assert report.results == 6 and not report.already_closed
    result = Result.objects.get(period=period, employee=world.employees["e1"])
    assert result.total == Decimal("94.5")
    assert result.data["sections"]["post_quality"] == "16"
    assert result.data["outcomes"] == {
        "penalty_points": "5.5",
        "fine": "47.50",
        "supervisor_fine": "0.00",
        "actions": ["publish"],
    }
    assert result.fine == Decimal("47.50")
    assert result.policy_version.document.code == "cs-group-inspection"
    assert len(result.inputs_hash) == 64
    assert result.data["explain"][0] == "岗位工作质量 −4:严重违规(3–5分) uniform"
    assert list(OutcomeItem.objects.filter(result=result).values_list("action", flat=True)) == [
        "publish"
    ]
    untouched = Result.objects.get(period=period, employee=world.employees["e2"])
    assert untouched.total == Decimal("100.0") and untouched.fine == Decimal("0.00")
    # a unit with neither inspection nor complaint gets no opinion (seed 004)
    cs2 = Result.objects.get(period=period, appraisal__subject_unit=world.units["cs2"])
    assert not cs2.evaluated and cs2.total is None
    period.refresh_from_db()
    assert period.status == "closed"
    assert set(Appraisal.objects.filter(period=period).values_list("status", flat=True)) == {
        "closed"
    }


def test_closing_again_changes_nothing_and_says_so(world: World) -> None:
    _setup(world)
    period = period_open(
        actor=world.users["quality"], company=world.company, kind="month", key="2026-10"
    )
    period_close(actor=world.users["quality"], period=period)
    count = Result.objects.count()

    report = period_close(actor=world.users["quality"], period=period)

    assert report.already_closed and report.results == 0
    assert Result.objects.count() == count


def test_nothing_dated_in_a_closed_period_can_change(world: World) -> None:
    _setup(world)
    period = period_open(
        actor=world.users["quality"], company=world.company, kind="month", key="2026-10"
    )
    period_close(actor=world.users["quality"], period=period)

    with pytest.raises(ValidationError) as raised:
        ensure_open(company_id=world.company.pk, day=dt.date(2026, 10, 20))
    assert "2026-10 月度考评期间已关账" in raised.value.message_dict["date"][0]
    ensure_open(company_id=world.company.pk, day=dt.date(2026, 11, 1))  # November is open


def test_a_project_close_locks_only_its_subtree(world: World) -> None:
    _setup(world)
    period = period_open(
        actor=world.users["quality"], company=world.company, kind="month", key="2026-10"
    )

    report = period_close(actor=world.users["manager1"], period=period, unit=world.units["p1"])

    assert report.results == 4  # 张三, 李四, 王五 and P1's service centre
    period.refresh_from_db()
    assert period.status == "open"
    with pytest.raises(ValidationError):
        ensure_open(
            company_id=world.company.pk, day=dt.date(2026, 10, 2), unit_path=world.units["t1"].path
        )
    ensure_open(
        company_id=world.company.pk, day=dt.date(2026, 10, 2), unit_path=world.units["t3"].path
    )


def _staff(world: World, count: int) -> None:
    for n in range(count):
        employee = employee_create(
            actor=None, company=world.company, number=f"X{n:04d}", name=f"员工{n}"
        )
        placement_create(
            actor=None,
            employee=employee,
            unit=world.units["t2"],
            position=world.positions["reception"],
            start=dt.date(2026, 1, 1),
        )
        _finding(world, "e1", "training", "general", "0.5")  # more findings as the company grows


def _close_queries(world: World) -> tuple[int, int]:
    period = period_open(
        actor=world.users["quality"], company=world.company, kind="month", key="2026-10"
    )
    with CaptureQueriesContext(connection) as queries:
        report = period_close(actor=world.users["quality"], period=period)
    return report.results, len(queries)


def test_close_makes_the_same_number_of_queries_for_10_and_200_employees(db: None) -> None:
    from kaoping.org.tests.factories import build_world

    small, large = build_world("SM"), build_world("LG")
    for world, extra in ((small, 10), (large, 200)):
        _setup(world)
        _staff(world, extra)

    small_results, small_queries = _close_queries(small)
    large_results, large_queries = _close_queries(large)

    assert (small_results, large_results) == (4 + 10 + 2, 4 + 200 + 2)
    assert small_queries == large_queries


def test_payroll_export_caps_at_the_minimum_wage_and_splits_liability(
    world: World, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    from io import BytesIO

    from openpyxl import load_workbook

    from kaoping.appraisals.exports import payroll_workbook
    from kaoping.appraisals.selectors import payroll_rows
    from kaoping.org.models import Company

    # given e1 (base 3000 + floating 800, minimum wage 2300) with a flagged finding, and a
    # minimum wage so high that her deduction must be capped
    _setup(world)
    period = period_open(
        actor=world.users["quality"], company=world.company, kind="month", key="2026-10"
    )
    inspection = inspection_create(
        actor=world.users["quality"], unit=world.units["root"], kind="monthly", at=OCT_5
    )
    finding_record(
        actor=world.users["quality"],
        inspection=inspection,
        employee=world.employees["e1"],
        section="service",
        severity="consequence",
        points=Decimal("20"),
        description="与业主争吵",
        occurred_at=OCT_5,
        supervisor_liable=True,
    )
    period_close(actor=world.users["quality"], period=period)
    Company.objects.filter(pk=world.company.pk).update(minimum_wage=Decimal("3750.00"))
    period.refresh_from_db()

    # when finance exports the payroll sheet
    rows = {r.number: r for r in payroll_rows(viewer=world.users["finance"], period=period)}

    # then e1's 20 points are 100 CNY, 30 borne by her supervisor; 70 wanted, 50 allowed
    e1, sup1 = rows["GZ001"], rows["GZ002"]
    assert (e1.own_deduction, e1.supervisor_share) == (Decimal("70.00"), Decimal("0"))
    assert (e1.deduction, e1.floor_applied) == (Decimal("50.00"), True)
    assert (sup1.own_deduction, sup1.supervisor_share, sup1.deduction) == (
        Decimal("0.00"),
        Decimal("30.00"),
        Decimal("30.00"),
    )
    assert set(rows) == {"GZ001", "GZ002", "GZ003", "GZ004"}
    # the sheet has a title row, the headers and one row per employee
    sheet = load_workbook(BytesIO(payroll_workbook(period, list(rows.values())))).active
    assert sheet.cell(2, 1).value == "工号"
    assert sheet.max_row == 2 + 4
    # an employee sees only their own line; a supervisor only their team
    assert payroll_rows(viewer=world.users["emp1"], period=period)[0].number == "GZ001"
    assert {r.number for r in payroll_rows(viewer=world.users["sup1"], period=period)} == {
        "GZ001",
        "GZ002",
    }


def test_records_dated_in_a_closed_period_are_refused_by_every_service(world: World) -> None:
    from kaoping.audit.models import AuditEvent
    from kaoping.inspections.models import Finding
    from kaoping.operations.models import Complaint
    from kaoping.operations.services import complaint_create

    # given October is closed, with one complaint recorded before the close
    _setup(world)
    complaint = complaint_create(
        actor=world.users["quality"],
        unit=world.units["cs1"],
        received_at=OCT_5,
        category="cleaning",
        description="楼道未清扫",
        valid=True,
    )
    period = period_open(
        actor=world.users["quality"], company=world.company, kind="month", key="2026-10"
    )
    period_close(actor=world.users["quality"], period=period)
    findings, complaints, events = (
        Finding.objects.count(),
        Complaint.objects.count(),
        AuditEvent.objects.count(),
    )

    # then nothing dated in October can be added, changed or removed
    with pytest.raises(ValidationError) as raised:
        _finding(world, "e1", "service", "general", "1")
    assert "已关账" in str(raised.value)
    with pytest.raises(ValidationError) as raised:
        complaint_create(
            actor=world.users["quality"],
            unit=world.units["cs1"],
            received_at=OCT_5,
            category="order",
            description="车辆乱停",
        )
    assert "已关账" in raised.value.message_dict["received_at"][0]
    from kaoping.operations.services import complaint_delete, complaint_update

    with pytest.raises(ValidationError):
        complaint_update(actor=world.users["quality"], complaint=complaint, valid=False)
    with pytest.raises(ValidationError):
        complaint_delete(actor=world.users["quality"], complaint=complaint)
    assert (Finding.objects.count(), Complaint.objects.count(), AuditEvent.objects.count()) == (
        findings,
        complaints,
        events,
    )
    # and November is open
    complaint_create(
        actor=world.users["quality"],
        unit=world.units["cs1"],
        received_at=OCT_5 + dt.timedelta(days=30),
        category="order",
        description="车辆乱停",
    )


# Workers read the database on their own connections: the data must be committed, as it is
# when a real close runs.
@pytest.mark.django_db(transaction=True)
def test_scoring_on_two_processes_gives_the_same_results(world: World) -> None:
    from kaoping.appraisals.batch import score_batch
    from kaoping.appraisals.facts import appraisal_rows

    # given a month with findings on several people
    _setup(world)
    period = period_open(
        actor=world.users["quality"], company=world.company, kind="month", key="2026-10"
    )
    _finding(world, "e1", "post_quality", "serious", "4", "uniform")
    _finding(world, "e2", "handover", "general", "1.5")
    _finding(world, "e3", "service", "consequence", "12")
    rows = appraisal_rows(Appraisal.objects.filter(period=period))

    # when scored by one process and by two forked workers, each reading its own part
    one = score_batch(period, rows, workers=1)
    two = score_batch(period, rows, workers=2, parallel_from=1)

    # then every result and every inputs hash is identical
    assert len(one.scored) == len(rows)
    assert one.scored == two.scored
    assert one.hashes == two.hashes
    assert one.errors == two.errors == {}


# A large close is scored by forked workers part by part while this process writes the parts
# already scored; the test makes every close "large" and splits it across three workers.
@pytest.mark.django_db(transaction=True)
def test_a_close_on_several_workers_writes_what_one_process_computes(
    world: World, settings, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from kaoping.appraisals import batch
    from kaoping.appraisals.batch import score_batch
    from kaoping.appraisals.facts import appraisal_rows

    # given findings whose kinds appear in a different order in each part of the batch
    _setup(world)
    period = period_open(
        actor=world.users["quality"], company=world.company, kind="month", key="2026-10"
    )
    _finding(world, "e1", "post_quality", "serious", "4", "uniform")
    _finding(world, "e1", "handover", "general", "1.5")
    _finding(world, "e2", "handover", "general", "1.5")
    _finding(world, "e3", "service", "consequence", "12")
    _finding(world, "e3", "post_quality", "serious", "4", "uniform")
    rows = appraisal_rows(Appraisal.objects.filter(period=period))
    alone = score_batch(period, rows, workers=1)
    assert score_batch(period, rows, workers=3, parallel_from=1).hashes == alone.hashes

    # when the month is closed by three workers, in parts of one or two subjects
    monkeypatch.setattr(batch, "PARALLEL_FROM", 1)
    settings.KAOPING_SCORING_WORKERS = 3
    report = period_close(actor=world.users["quality"], period=period)

    # then every appraisal has the result and the inputs hash one process computes
    assert report.results == len(rows) == 6
    written = {r.appraisal_id: r for r in Result.objects.filter(period=period)}
    assert {a: r.inputs_hash for a, r in written.items()} == alone.hashes
    assert {a: r.data for a, r in written.items()} == {
        a: json.loads(s.data) for a, s in alone.scored.items()
    }
    # and every column that HR, the payroll and the scoping read (PostgreSQL writes rows the
    # workers formatted for COPY; SQLite the rows this process builds)
    assert {
        a: (
            r.revision,
            r.evaluated,
            r.total,
            r.grade,
            r.pay_ratio,
            r.penalty_points,
            r.fine,
            r.supervisor_fine,
            r.correction_reason,
            r.superseded_by_id,
        )
        for a, r in written.items()
    } == {
        a: (
            1,
            s.evaluated,
            s.total,
            s.grade,
            s.pay_ratio,
            s.penalty_points,
            s.fine,
            s.supervisor_fine,
            "",
            None,
        )
        for a, s in alone.scored.items()
    }
    appraisals = {a.pk: a for a in Appraisal.objects.filter(period=period)}
    copies = ("company_id", "unit_id", "employee_id", "period_id", "policy_version_id")
    assert {
        a: tuple(getattr(r, name) for name in (*copies, "consequences_version_id"))
        for a, r in written.items()
    } == {
        a.pk: tuple(getattr(a, name) for name in (*copies, "consequences_version_id"))
        for a in appraisals.values()
    }
    assert all(abs((timezone.now() - r.created_at).total_seconds()) < 60 for r in written.values())
    items = OutcomeItem.objects.filter(result__period=period).select_related("result")
    assert sorted(
        (i.result.appraisal_id, i.action, i.company_id, i.unit_id, i.employee_id, i.status, i.note)
        for i in items
    ) == sorted(
        (a, action, world.company.pk, appraisals[a].unit_id, appraisals[a].employee_id, "open", "")
        for a, s in alone.scored.items()
        for action in s.actions
    )
    expected_items = sum(len(s.actions) + len(s.member_actions) for s in alone.scored.values())
    assert report.outcome_items == expected_items > 0
    assert not Appraisal.objects.filter(period=period, status="open").exists()


@pytest.mark.django_db(transaction=True)
def test_a_close_on_several_workers_writes_nothing_when_a_part_cannot_be_scored(
    world: World, settings, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from kaoping.appraisals import batch

    # given 李四 (appraised on a rated form) has no rating, while others have findings
    _setup(world)
    admin_form = PolicyDocument.objects.get(company=world.company, code="cs-admin-monthly")
    policy_assign(
        actor=None, document=admin_form, unit=world.units["t1"], start=dt.date(2026, 1, 1)
    )
    period = period_open(
        actor=world.users["quality"], company=world.company, kind="month", key="2026-10"
    )
    _finding(world, "e3", "service", "consequence", "12")

    # when the month is closed by three workers
    monkeypatch.setattr(batch, "PARALLEL_FROM", 1)
    settings.KAOPING_SCORING_WORKERS = 3
    with pytest.raises(ValidationError) as raised:
        period_close(actor=world.users["quality"], period=period)

    # then the close names every subject that cannot be scored and writes nothing at all
    message = raised.value.message_dict["period"][0]
    assert message.startswith("2 份考核无法计分,请先补齐:GZ001: ratings.self.")
    assert "GZ002: ratings.self." in message
    assert not Result.objects.filter(period=period).exists()
    assert not OutcomeItem.objects.exists()
    period.refresh_from_db()
    assert period.status == "open"
    assert Appraisal.objects.filter(period=period, status="open").count() == 6


@pytest.mark.postgres
@pytest.mark.django_db
def test_copy_text_reads_back_as_written() -> None:
    """The close's COPY rows (formatted in the workers) read back as the values they came from,
    whatever characters a text holds."""
    from kaoping.appraisals.services.close import copy_text

    values = [
        ("a\tb\nc\rd", "back\\slash \\N", '{"k":"\\u2028 \\"q\\" \\\\"}', "成员 member 工号"),
        ("", None, "{}", "\\"),
    ]
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE copied (n serial, a text, b text, c json, d text)")
        block = "".join("\t".join(copy_text(v) for v in row) + "\n" for row in values)
        with cursor.cursor.copy("COPY copied (a, b, c, d) FROM STDIN") as copy:
            copy.write(block.encode())
        cursor.execute("SELECT a, b, c::text, d FROM copied ORDER BY n")
        assert cursor.fetchall() == values
    assert [copy_text(v) for v in (None, True, False, Decimal("12.50"), 7)] == [
        "\\N",
        "t",
        "f",
        "12.50",
        "7",
    ]


def test_close_and_export_commands(world: World, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    from django.core.management import call_command
    from django.core.management.base import CommandError
    from openpyxl import load_workbook

    _setup(world)
    period_open(actor=world.users["quality"], company=world.company, kind="month", key="2026-10")
    _finding(world, "e1", "post_quality", "serious", "4", "uniform")
    output = tmp_path / "payroll.xlsx"

    # exporting before the close is refused
    with pytest.raises(CommandError, match="尚未关账"):
        call_command("export", "payroll", "--period", "2026-10", "-o", str(output))

    call_command("close", "--period", "2026-10")
    assert "关账完成 / closed: 6 个结果 results" in capsys.readouterr().out
    call_command("close", "--period", "2026-10")
    assert "已关账,未做任何更改" in capsys.readouterr().out

    call_command("export", "payroll", "--period", "2026-10", "-o", str(output))
    sheet = load_workbook(output).active
    numbers = [sheet.cell(row, 1).value for row in range(3, sheet.max_row + 1)]
    assert numbers == ["GZ001", "GZ002", "GZ003", "GZ004"]
    assert sheet.cell(3, 11).value == 20  # 本人违规扣减: 4 points × 5 CNY


def test_live_score_is_scoped_and_follows_the_records(world: World) -> None:
    from django.http import Http404

    from kaoping.appraisals.selectors import appraisal_live_score

    _setup(world)
    period = period_open(
        actor=world.users["quality"], company=world.company, kind="month", key="2026-10"
    )
    e1 = Appraisal.objects.get(period=period, employee=world.employees["e1"])

    assert appraisal_live_score(viewer=world.users["emp1"], pk=e1.pk)["total"] == "100.0"
    _finding(world, "e1", "post_quality", "serious", "4", "uniform")
    live = appraisal_live_score(viewer=world.users["sup1"], pk=e1.pk)
    assert live["total"] == "96.0"
    assert live["explain"][0] == "岗位工作质量 −4:严重违规(3–5分) uniform"
    for outsider in ("emp2", "manager2", "admin"):
        with pytest.raises(Http404):
            appraisal_live_score(viewer=world.users[outsider], pk=e1.pk)
    # after the close the frozen result answers
    period_close(actor=world.users["quality"], period=period)
    assert appraisal_live_score(viewer=world.users["emp1"], pk=e1.pk)["total"] == "96.0"


def test_preview_shows_each_result_and_the_change_from_last_month(world: World) -> None:
    from kaoping.appraisals.selectors import period_preview

    # given September closed with 张三 at 100, and a finding on her in October
    _setup(world)
    september = period_open(
        actor=world.users["quality"], company=world.company, kind="month", key="2026-09"
    )
    period_close(actor=world.users["quality"], period=september)
    october = period_open(
        actor=world.users["quality"], company=world.company, kind="month", key="2026-10"
    )
    _finding(world, "e1", "post_quality", "serious", "4", "uniform")

    # when her supervisor previews October
    rows = period_preview(viewer=world.users["sup1"], period=october)

    # then the team's two people appear, with the change from September
    by_subject = {row.subject: row for row in rows}
    assert set(by_subject) == {"GZ001", "GZ002"}
    e1 = by_subject["GZ001"]
    assert (e1.total, e1.previous_total, e1.change) == (
        Decimal("96.0"),
        Decimal("100.0"),
        Decimal("-4.0"),
    )
    assert e1.data["explain"][0] == "岗位工作质量 −4:严重违规(3–5分) uniform"
    assert by_subject["GZ002"].change == Decimal("0.0")
    # an employee previews only themselves; nothing is written
    assert [row.subject for row in period_preview(viewer=world.users["emp2"], period=october)] == [
        "GZ003"
    ]
    assert not Result.objects.filter(period=october).exists()


def test_a_subject_that_cannot_be_scored_is_named_and_does_not_hide_the_others(
    world: World,
) -> None:
    from kaoping.appraisals.selectors import appraisal_live_score, period_preview
    from kaoping.appraisals.services.ratings import rating_submit
    from kaoping.policies.selectors import engine_policy

    # given team 1 appraised by cs-admin-monthly (self 30 % + supervisor 70 %), and in October
    # 张三 rated by herself and by her supervisor, while 李四 has no rating at all
    _setup(world)
    admin_form = PolicyDocument.objects.get(company=world.company, code="cs-admin-monthly")
    policy_assign(
        actor=None, document=admin_form, unit=world.units["t1"], start=dt.date(2026, 1, 1)
    )
    period = period_open(
        actor=world.users["quality"], company=world.company, kind="month", key="2026-10"
    )
    e1 = Appraisal.objects.get(period=period, employee=world.employees["e1"])
    sup1 = Appraisal.objects.get(period=period, employee=world.employees["sup1"])
    full = {
        s.id: s.max
        for s in engine_policy(e1.policy_version).sections
        if s.method == "rating" and s.max is not None
    }
    rating_submit(actor=world.users["emp1"], appraisal=e1, rater_role="self", values=full)
    rating_submit(actor=world.users["sup1"], appraisal=e1, rater_role="supervisor", values=full)

    # when the department head previews the month
    rows = {row.subject: row for row in period_preview(viewer=world.users["head1"], period=period)}

    # then 张三 is scored and 李四's line says what is missing, the others unaffected
    assert sum(full.values()) == 90  # the form's rated items; top marks from both raters
    assert rows["GZ001"].total == Decimal("90.0") and rows["GZ001"].error == ""
    assert rows["GZ002"].total is None
    assert rows["GZ002"].error.startswith("ratings.self.")
    assert "缺少" in rows["GZ002"].error
    assert rows["GZ003"].total == Decimal("100.0")
    # and 李四's live score says the same instead of failing
    live = appraisal_live_score(viewer=world.users["head1"], pk=sup1.pk)
    assert live["evaluated"] is False
    assert live["error"]["field"].startswith("ratings.self.")

    # when the month is closed, the close refuses, naming 李四, and writes nothing
    with pytest.raises(ValidationError) as raised:
        period_close(actor=world.users["quality"], period=period)
    message = raised.value.message_dict["period"][0]
    assert message.startswith("1 份考核无法计分,请先补齐:GZ002: ratings.self.")
    assert not Result.objects.filter(period=period).exists()
    period.refresh_from_db()
    assert period.status == "open"


def test_hr_works_through_the_outcome_items(world: World) -> None:
    from kaoping.appraisals.selectors import outcome_item_list
    from kaoping.appraisals.services.outcomes import outcome_item_handle
    from kaoping.audit.models import AuditEvent

    # given a closed October in which 张三's penalty is published (publish list)
    _setup(world)
    period = period_open(
        actor=world.users["quality"], company=world.company, kind="month", key="2026-10"
    )
    _finding(world, "e1", "post_quality", "serious", "4", "uniform")
    _finding(world, "e1", "service", "general", "1.5")
    period_close(actor=world.users["quality"], period=period)
    [item] = outcome_item_list(viewer=world.users["hr"], period=period, open_only=True)
    assert (item.employee, item.action) == (world.employees["e1"], "publish")

    # a supervisor may not handle it, and cancelling needs a reason; nothing changes
    with pytest.raises(PermissionDenied):
        outcome_item_handle(actor=world.users["sup1"], item=item, status="done")
    with pytest.raises(ValidationError) as raised:
        outcome_item_handle(actor=world.users["hr"], item=item, status="cancelled", note=" ")
    assert raised.value.message_dict == {"note": ["撤销处理事项须写明原因。"]}
    item.refresh_from_db()
    assert item.status == "open" and item.handled_by is None

    # when HR marks it done
    done = outcome_item_handle(
        actor=world.users["hr"], item=item, status="done", note="已在公告栏公布"
    )

    # then it is done, by whom and when, audited, off the open list, and cannot be handled again
    assert (done.status, done.note, done.handled_by) == (
        "done",
        "已在公告栏公布",
        world.users["hr"],
    )
    assert done.handled_at is not None
    event = AuditEvent.objects.filter(action="outcome_item.handle").get()
    assert event.before["status"] == "open" and event.after["status"] == "done"
    assert not outcome_item_list(viewer=world.users["hr"], period=period, open_only=True).exists()
    with pytest.raises(ValidationError) as raised:
        outcome_item_handle(actor=world.users["hr"], item=done, status="cancelled", note="误操作")
    assert raised.value.message_dict == {"status": ["该处理事项已是“已处理”,不能再次处理。"]}
