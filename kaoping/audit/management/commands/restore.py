"""kaoping restore FILE --yes: replace the configured database's contents with a backup.

The file must be a backup of the same kind of database (`kaoping backup`: a SQLite file, or a
pg_dump custom archive). Afterwards the audit chain is verified and the restore itself is
appended to it. Stop the web server first: open connections hold locks on the tables.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError, connection, transaction

from kaoping.audit.management.commands.backup import (
    PGDUMP_MAGIC,
    SQLITE_MAGIC,
    percent_reporter,
    pg_arguments,
    pg_tool,
    run_pg_tool,
    sqlite_copy,
    sqlite_path,
    vendor,
)
from kaoping.audit.services import audit_record, audit_verify

NEEDS_YES = (
    "恢复会用备份替换数据库中的全部数据;确认请加 --yes"
    " / restore replaces all data in the database with the backup; add --yes to confirm"
)
_EXPECTED = {
    "sqlite": (SQLITE_MAGIC, "SQLite 数据库备份", "a SQLite database backup", "SQLite format 3"),
    "postgresql": (
        PGDUMP_MAGIC,
        "pg_dump 自定义格式备份",
        "a pg_dump custom-format backup",
        "PGDMP",
    ),
}


def check_backup_file(path: Path, kind: str) -> None:
    """Refuse a missing or unreadable file, or one that is not a backup of this kind."""
    magic, chinese, english, shown = _EXPECTED[kind]
    try:
        with open(path, "rb") as file:
            head = file.read(len(magic))
    except OSError as error:
        reason = error.strerror or str(error)
        raise CommandError(
            f"无法读取备份文件 {path}:{reason} / cannot read backup file {path}: {reason}"
        ) from error
    if head != magic:
        raise CommandError(
            f"{path} 不是{chinese}(当前数据库是 {kind},备份文件应以“{shown}”开头)"
            f" / {path} is not {english} (the configured database is {kind};"
            f' expected a file starting with "{shown}")'
        )


KAOPING_TABLES = ("django_migrations", "org_company", "audit_auditevent")


def _refuse_without_kaoping_tables(source: Path, tables: set[str]) -> None:
    """A backup of another application's database would replace ours with nothing of ours."""
    missing = [name for name in KAOPING_TABLES if name not in tables]
    if missing:
        names = "、".join(missing)
        raise CommandError(
            f"{source} 不是考评数据库的备份(没有 {names} 表),数据库未改变"
            f" / {source} is not a backup of a Kaoping database (no {', '.join(missing)} table);"
            " the database is unchanged"
        )


class Command(BaseCommand):
    help = "恢复数据库 / restore the database from FILE, replacing all its data (needs --yes)"
    # Copying a database needs no system checks; a broken configuration must not block it.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "file", metavar="FILE", help="kaoping backup 写的备份文件 / the backup file"
        )
        parser.add_argument(
            "--yes",
            action="store_true",
            help="确认替换全部数据 / confirm replacing all data",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["yes"]:
            raise CommandError(NEEDS_YES)
        source = Path(options["file"])
        kind = vendor()
        check_backup_file(source, kind)
        if kind == "sqlite":
            self._restore_sqlite(source)
        else:
            self._restore_postgresql(source)
        self.stdout.write(f"已恢复 / restored: {source}")
        self._verify_and_record(source)

    def _restore_sqlite(self, source: Path) -> None:
        database = sqlite_path()
        if source.resolve() == database.resolve():
            raise CommandError(
                f"备份文件就是数据库文件本身:{source} / the backup file is the database file itself: {source}"
            )
        connection.close()
        report = percent_reporter(self.stdout.write, "恢复 / restore")
        try:
            # Read-only: opening the backup must not change it.
            backup = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
            try:
                tables = {
                    name
                    for (name,) in backup.execute(
                        "SELECT name FROM sqlite_master WHERE type = 'table'"
                    ).fetchall()
                }
                _refuse_without_kaoping_tables(source, tables)
                target = sqlite3.connect(database)
                try:
                    sqlite_copy(backup, target, report)
                finally:
                    target.close()
            finally:
                backup.close()
        except sqlite3.Error as error:
            raise CommandError(
                f"恢复失败,数据库未改变 / restore failed, the database is unchanged: {error}"
            ) from error

    def _restore_postgresql(self, source: Path) -> None:
        pg_restore = pg_tool("pg_restore")
        args, env = pg_arguments(connection.settings_dict)
        # The archive's table of contents ("215; 1259 16390 TABLE public name owner"): no
        # database is touched.
        listing = run_pg_tool([pg_restore, "--list", str(source)], env, "读取备份目录")
        tables = set()
        for line in listing.splitlines():
            parts = line.split()
            if "TABLE" in parts[:-2]:
                tables.add(parts[parts.index("TABLE") + 2])
        _refuse_without_kaoping_tables(source, tables)
        connection.close()
        self.stdout.write("恢复中(pg_restore)… / restoring (pg_restore)…")
        run_pg_tool(
            [
                pg_restore,
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                *args,
                str(source),
            ],
            env,
            "恢复(数据库未改变)",
        )

    def _verify_and_record(self, source: Path) -> None:
        try:
            report = audit_verify()
            if report.ok:
                self.stdout.write(
                    f"审计链完好 / audit chain intact: {report.checked} 条事件 events"
                )
            else:
                where = f"事件 #{report.broken_id}" if report.broken_id is not None else "链尾"
                self.stderr.write(
                    f"审计链断裂 / audit chain broken at {where}: {report.problem}"
                    f"(此前 {report.checked} 条完好 / {report.checked} events verified before it)"
                )
            with transaction.atomic():
                audit_record(
                    actor=None,
                    action="database.restore",
                    object_type="database",
                    object_id="",
                    reason=f"restored from {source.name}",
                )
        except DatabaseError as error:
            raise CommandError(
                f"数据已恢复,但无法校验审计链或记录此次恢复:{error}(备份若来自旧版本,请先运行"
                " kaoping migrate,再运行 kaoping audit verify)"
                f" / the data is restored, but the audit chain could not be verified or the"
                f" restore recorded: {error} (for a backup from an older version run"
                " `kaoping migrate`, then `kaoping audit verify`)"
            ) from error
