"""`kaoping backup` and `kaoping restore`, run as the real command on a throw-away database.

The test database is not used: on SQLite it lives in memory and cannot be backed up. Each
database kind gets its own migrated database for the module (a SQLite file always; a
PostgreSQL database `kaoping_backup_test_<pid>` when the tests run on PostgreSQL), and the
commands run in a subprocess with local settings and DATABASE_URL pointing at it.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.conf import settings
from django.db import connection

KAOPING = [sys.executable, "-m", "kaoping"]


@dataclass
class Site:
    """A migrated database of one kind, and a folder for backup files."""

    kind: str  # "sqlite" or "postgresql"
    url: str
    folder: Path
    conninfo: str = ""  # PostgreSQL only

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL"}
        }
        env["DATABASE_URL"] = self.url
        return subprocess.run(
            [*KAOPING, *args], env=env, capture_output=True, text=True, timeout=120
        )

    def create_company(self, code: str) -> None:
        result = self.run(
            "shell",
            "-c",
            "from kaoping.org.services import company_create;"
            f" company_create(actor=None, code={code!r}, name='公司 {code}')",
        )
        assert result.returncode == 0, result.stderr

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        if self.kind == "sqlite":
            with sqlite3.connect(self.url.removeprefix("sqlite:///")) as db:
                return db.execute(sql).fetchall()
        with psycopg.connect(self.conninfo) as db:
            return db.execute(sql).fetchall()  # type: ignore[arg-type]

    def state(self) -> tuple[list[str], int, str]:
        """The companies, the number of audit events and the last event's action."""
        codes = [code for (code,) in self.query("SELECT code FROM org_company ORDER BY code")]
        rows = self.query("SELECT action FROM audit_auditevent ORDER BY id")
        return codes, len(rows), rows[-1][0] if rows else ""


def _migrated(site: Site) -> Site:
    result = site.run("migrate", "--no-input")
    assert result.returncode == 0, result.stderr
    site.create_company("A")
    return site


def _postgres_conninfo(dbname: str) -> str:
    db = settings.DATABASES["default"]
    parts = {
        "host": db.get("HOST") or "",
        "port": str(db.get("PORT") or ""),
        "user": db.get("USER") or "",
        "password": db.get("PASSWORD") or "",
        "dbname": dbname,
    }
    return " ".join(f"{key}='{value}'" for key, value in parts.items() if value)


def _postgres_url(dbname: str) -> str:
    db = settings.DATABASES["default"]
    user = db.get("USER") or ""
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host = db.get("HOST") or "127.0.0.1"
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{user}{password}@{host}{port}/{dbname}"


@pytest.fixture(
    scope="module",
    params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)],
)
def site(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Site]:
    folder = tmp_path_factory.mktemp(f"backup-{request.param}")
    if request.param == "sqlite":
        yield _migrated(Site("sqlite", f"sqlite:///{folder}/k.sqlite3", folder))
        return
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: set DATABASE_URL=postgres://...")
    name = f"kaoping_backup_test_{os.getpid()}"
    admin = _postgres_conninfo(str(settings.DATABASES["default"]["NAME"]))
    with psycopg.connect(admin, autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}"')  # type: ignore[arg-type]
        db.execute(f'CREATE DATABASE "{name}"')  # type: ignore[arg-type]
    try:
        yield _migrated(Site("postgresql", _postgres_url(name), folder, _postgres_conninfo(name)))
    finally:
        with psycopg.connect(admin, autocommit=True) as db:
            db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')  # type: ignore[arg-type]


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_backup_then_restore_brings_back_the_earlier_data(site: Site) -> None:
    # given a backup of the database as it is now
    backup = site.folder / "round-trip.backup"
    before = site.state()
    result = site.run("backup", "-o", str(backup))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].startswith(f"已备份 / backed up: {backup} (")
    assert result.stdout.rstrip().endswith(" MB)")
    assert backup.is_file() and not Path(f"{backup}.partial").exists()
    assert backup.read_bytes().startswith(
        b"SQLite format 3\x00" if site.kind == "sqlite" else b"PGDMP"
    )

    # and a later write
    site.create_company("LATER")
    assert "LATER" in site.state()[0]

    # when the backup is restored
    result = site.run("restore", str(backup), "--yes")

    # then the later write is gone, the earlier data is back, and the restore is on record
    assert result.returncode == 0, result.stderr
    codes, events, last_action = site.state()
    assert codes == before[0]
    assert events == before[1] + 1
    assert last_action == "database.restore"
    assert f"审计链完好 / audit chain intact: {before[1]} 条事件 events" in result.stdout
    verify = site.run("audit", "verify")
    assert verify.returncode == 0, verify.stderr
    assert f"{events} 条事件" in verify.stdout


def test_backup_refuses_an_existing_file_without_force(site: Site) -> None:
    existing = site.folder / "existing.backup"
    existing.write_bytes(b"an older backup")

    result = site.run("backup", "-o", str(existing))

    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"CommandError: 文件已存在:{existing}(用 --force 覆盖)"
        f" / file exists: {existing} (use --force to overwrite it)"
    )
    assert existing.read_bytes() == b"an older backup"
    assert not Path(f"{existing}.partial").exists()

    # with --force it is replaced by a real backup
    result = site.run("backup", "-o", str(existing), "--force")
    assert result.returncode == 0, result.stderr
    assert existing.read_bytes() != b"an older backup"


def test_restore_refuses_without_yes(site: Site) -> None:
    backup = site.folder / "unconfirmed.backup"
    assert site.run("backup", "-o", str(backup)).returncode == 0
    before, digest = site.state(), _digest(backup)

    result = site.run("restore", str(backup))

    assert result.returncode == 1
    assert result.stderr.strip() == (
        "CommandError: 恢复会用备份替换数据库中的全部数据;确认请加 --yes"
        " / restore replaces all data in the database with the backup; add --yes to confirm"
    )
    assert site.state() == before
    assert _digest(backup) == digest


def test_restore_refuses_a_file_that_is_not_a_backup_of_this_kind(site: Site) -> None:
    text = site.folder / "notes.txt"
    text.write_text("这不是备份 / not a backup\n", encoding="utf-8")
    # a backup of the other kind of database is refused too
    other = site.folder / "other-kind.backup"
    other.write_bytes(b"PGDMP\x01\x0e" if site.kind == "sqlite" else b"SQLite format 3\x00")
    missing = site.folder / "missing.backup"
    before = site.state()
    if site.kind == "sqlite":
        chinese, english, magic = "SQLite 数据库备份", "a SQLite database backup", "SQLite format 3"
    else:
        chinese, english, magic = (
            "pg_dump 自定义格式备份",
            "a pg_dump custom-format backup",
            "PGDMP",
        )

    for wrong in (text, other):
        result = site.run("restore", str(wrong), "--yes")

        assert result.returncode == 1
        assert result.stderr.strip() == (
            f"CommandError: {wrong} 不是{chinese}(当前数据库是 {site.kind},"
            f"备份文件应以“{magic}”开头) / {wrong} is not {english}"
            f' (the configured database is {site.kind}; expected a file starting with "{magic}")'
        )

    result = site.run("restore", str(missing), "--yes")

    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"CommandError: 无法读取备份文件 {missing}:No such file or directory"
        f" / cannot read backup file {missing}: No such file or directory"
    )
    assert site.state() == before


def test_restore_refuses_a_backup_of_another_applications_database(site: Site) -> None:
    # given a real backup of the right kind, but of a database that is not Kaoping's
    foreign = site.folder / "foreign.backup"
    if site.kind == "sqlite":
        with sqlite3.connect(foreign) as db:
            db.execute(
                "CREATE TABLE django_migrations (id INTEGER PRIMARY KEY, app, name, applied)"
            )
    else:
        name = f"kaoping_foreign_{os.getpid()}"
        admin = _postgres_conninfo(str(settings.DATABASES["default"]["NAME"]))
        with psycopg.connect(admin, autocommit=True) as db:
            db.execute(f'DROP DATABASE IF EXISTS "{name}"')  # type: ignore[arg-type]
            db.execute(f'CREATE DATABASE "{name}"')  # type: ignore[arg-type]
        try:
            with psycopg.connect(_postgres_conninfo(name), autocommit=True) as db:
                db.execute("CREATE TABLE django_migrations (id serial PRIMARY KEY, app text)")
            dumped = subprocess.run(
                ["pg_dump", "--format=custom", "-f", str(foreign), _postgres_url(name)],
                capture_output=True,
                text=True,
                check=False,
            )
            assert dumped.returncode == 0, dumped.stderr
        finally:
            with psycopg.connect(admin, autocommit=True) as db:
                db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')  # type: ignore[arg-type]
    before = site.state()

    # when it is restored with --yes
    result = site.run("restore", str(foreign), "--yes")

    # then it is refused, naming what it lacks, and the database keeps all its data
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"CommandError: {foreign} 不是考评数据库的备份(没有 org_company、audit_auditevent 表),"
        f"数据库未改变 / {foreign} is not a backup of a Kaoping database"
        " (no org_company, audit_auditevent table); the database is unchanged"
    )
    assert site.state() == before
