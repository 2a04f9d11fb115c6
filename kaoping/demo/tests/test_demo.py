"""kaoping demo: the company it builds, its logins, a second run, production settings.

The build is the heavy part (about half a minute on SQLite), so one test builds the demo once
and checks everything about it. On PostgreSQL, where each of its ~70,000 queries costs a round
trip, the test builds three months (two closed, the current one) instead of six to stay within
the suite's time budget; the command itself is then run to show that it changes nothing.
"""

from __future__ import annotations

import io
import os
import secrets
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from kaoping.appraisals.models import Appraisal, Result
from kaoping.audit.models import AuditEvent
from kaoping.demo.builder import (
    COMPANY_CODE,
    LOGINS,
    MONTHS,
    PASSWORD,
    build_demo,
    demo_state,
    production_refusal,
)
from kaoping.inspections.models import FaultNotice, Finding
from kaoping.org.models import Company, Employee, OrgUnit, RoleAssignment
from kaoping.periods.models import Period


def _run_demo() -> tuple[str, int]:
    """Build the demo as `kaoping demo` does; return the output and the months built."""
    out = io.StringIO()
    if connection.vendor == "postgresql":
        months = 3
        build_demo(say=lambda line: out.write(line + "\n"), months=months)
        call_command("demo", stdout=out)
        return out.getvalue(), months
    call_command("demo", stdout=out)
    return out.getvalue(), MONTHS


@pytest.mark.django_db
def test_the_demo_builds_a_believable_company_once() -> None:
    output, months = _run_demo()
    today = timezone.localdate()

    # the organisation: 3 projects, 8 teams, about 80 staff
    company = Company.objects.get(code=COMPANY_CODE)
    units = OrgUnit.objects.filter(company=company)
    assert units.filter(kind=OrgUnit.Kind.PROJECT).count() == 3
    assert units.filter(kind=OrgUnit.Kind.TEAM).count() == 8
    assert 70 <= Employee.objects.filter(company=company).count() <= 90
    assert demo_state() == "complete"

    # a login per role, with its role where the story needs it
    employee = Employee.objects.get(user__username="demo-employee")
    placement = employee.placements.select_related("unit__parent__parent").get()
    team = placement.unit
    center = team.parent
    project = center.parent
    assert team.kind == OrgUnit.Kind.TEAM and placement.position.name == "接待员"
    expected_units = {
        "demo-employee": team,
        "demo-supervisor": team,
        "demo-head": center,
        "demo-manager": project,
    }
    root = units.get(parent__isnull=True)
    for username, role, _zh, _en in LOGINS:
        user = User.objects.get(username=username)
        assert user.check_password(PASSWORD), username
        assert RoleAssignment.objects.filter(
            user=user, role=role, unit=expected_units.get(username, root)
        ).exists(), username
        assert username in output
    assert User.objects.get(username="demo-admin").is_staff
    supervisor = Employee.objects.get(user__username="demo-supervisor")
    assert placement.supervisor == supervisor

    # the earlier months are closed with a result for every appraisal; the current one is open
    periods = list(Period.objects.filter(company=company).order_by("start"))
    assert len(periods) == months
    *closed, current = periods
    assert current.start <= today <= current.end
    assert current.status == Period.Status.OPEN
    assert not Result.objects.filter(period=current).exists()
    for period in closed:
        assert period.status == Period.Status.CLOSED, period.key
        appraisals = Appraisal.objects.filter(period=period)
        assert appraisals.count() > 80
        assert not appraisals.filter(status=Appraisal.Status.OPEN).exists()
        results = Result.objects.filter(period=period, superseded_by__isnull=True)
        assert results.count() == appraisals.count(), period.key
        assert f"{period.key} 已关账 closed" in output
    assert f"{current.key} 进行中 open" in output
    assert "申诉 appeals" in output
    assert Appraisal.objects.filter(period=current, status=Appraisal.Status.OPEN).count() > 80

    # the demo employee has findings, and a fault notice of this month still to sign for
    assert Finding.objects.filter(employee=employee).count() >= months
    waiting = FaultNotice.objects.filter(
        finding__employee=employee,
        finding__occurred_at__date__gte=current.start,
        acknowledged_at__isnull=True,
        disputed_at__isnull=True,
    )
    assert waiting.exists()
    assert Finding.objects.filter(company=company, description__contains="规程").exists()

    # a second run changes nothing and prints the logins again
    events = AuditEvent.objects.count()
    again = io.StringIO()
    call_command("demo", stdout=again)
    assert AuditEvent.objects.count() == events
    assert "已存在,未做任何更改" in again.getvalue()
    for username, *_ in LOGINS:
        assert username in again.getvalue()

    # and the audit chain is intact
    verified = io.StringIO()
    call_command("audit", "verify", stdout=verified)
    assert "审计链完好" in verified.getvalue()


def test_production_settings_are_refused(tmp_path: Path) -> None:
    database = tmp_path / "production.sqlite3"
    environ = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "DEBUG"}
    }
    environ.update(
        DJANGO_SETTINGS_MODULE="kaoping.config.settings.production",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="kaoping.example.com",
        DATABASE_URL=f"sqlite:///{database}",
    )

    result = subprocess.run(
        [sys.executable, "-m", "kaoping", "demo"],
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == 1, result.stdout + result.stderr
    assert "生产环境" in result.stderr
    assert "production settings" in result.stderr
    if database.exists():  # nothing was migrated, let alone built
        with sqlite3.connect(database) as db:
            tables = db.execute("select name from sqlite_master where type='table'").fetchall()
        assert tables == []


@pytest.mark.parametrize(
    ("module", "debug", "refused"),
    [
        ("kaoping.config.settings.production", False, True),
        ("kaoping.config.settings.production", True, True),
        ("acme.settings.production", False, True),
        ("acme.settings.production", True, False),
        ("kaoping.config.settings.local", False, False),
    ],
)
def test_which_settings_count_as_production(module: str, debug: bool, refused: bool) -> None:
    with override_settings(SETTINGS_MODULE=module, DEBUG=debug):
        assert (production_refusal() is not None) is refused
