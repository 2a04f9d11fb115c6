"""kaoping backup -o FILE: a consistent snapshot of the configured database into one file.

SQLite is copied with SQLite's online backup API (a consistent copy even while the site is
running); PostgreSQL with `pg_dump --format=custom`. The copy is written to FILE.partial and
renamed to FILE only when complete, so FILE is never half written and a rerun is safe.
`kaoping restore FILE --yes` puts it back.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from kaoping.outputs import output_path

SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"
# Pages copied per step of SQLite's backup API (4 MB at the default page size): other
# connections may write between steps, and progress is reported after each.
PAGES_PER_STEP = 1024


def vendor() -> str:
    """The configured database's kind: "sqlite" or "postgresql"; refuse any other."""
    kind = connection.vendor
    if kind not in {"sqlite", "postgresql"}:
        raise CommandError(
            f"不支持此数据库类型:{kind}(仅支持 SQLite 与 PostgreSQL)"
            f" / unsupported database: {kind} (only SQLite and PostgreSQL)"
        )
    return kind


def sqlite_path() -> Path:
    """The configured SQLite database file; refuse an in-memory or missing database."""
    name = str(connection.settings_dict["NAME"] or "")
    if name in {"", ":memory:"} or "mode=memory" in name:
        raise CommandError(
            "内存数据库无法备份或恢复 / an in-memory database cannot be backed up or restored"
        )
    path = Path(name)
    if not path.is_file():
        raise CommandError(
            f"找不到数据库文件:{path}(请先运行 kaoping migrate)"
            f" / database file not found: {path} (run `kaoping migrate` first)"
        )
    return path


def sqlite_copy(
    source: sqlite3.Connection, target: sqlite3.Connection, report: Callable[[int], None]
) -> None:
    """Copy `source` into `target` with the online backup API, reporting whole percents."""

    def progress(status: int, remaining: int, total: int) -> None:
        if total:
            report(100 * (total - remaining) // total)

    source.backup(target, pages=PAGES_PER_STEP, progress=progress)


def percent_reporter(write: Callable[[str], None], label: str) -> Callable[[int], None]:
    """A progress callback that writes "label: N%" at most once per 10 percent."""
    last = -1

    def report(percent: int) -> None:
        nonlocal last
        decile = percent // 10
        if decile > last and percent < 100:
            last = decile
            write(f"{label}: {percent}%")

    return report


def pg_tool(name: str) -> str:
    """The path of a PostgreSQL client program; refuse when it is not installed."""
    found = shutil.which(name)
    if found is None:
        raise CommandError(
            f"找不到 {name}:请安装 PostgreSQL 客户端工具(例如 apt install postgresql-client)"
            f" / {name} not found: install the PostgreSQL client tools"
            " (e.g. apt install postgresql-client)"
        )
    return found


def pg_arguments(settings: Mapping[str, Any]) -> tuple[list[str], dict[str, str]]:
    """Connection options for pg_dump / pg_restore, and their environment (PGPASSWORD)."""
    args = ["--dbname", str(settings["NAME"])]
    if settings.get("HOST"):
        args += ["--host", str(settings["HOST"])]
    if settings.get("PORT"):
        args += ["--port", str(settings["PORT"])]
    if settings.get("USER"):
        args += ["--username", str(settings["USER"])]
    env = dict(os.environ)
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings["PASSWORD"])
    sslmode = (settings.get("OPTIONS") or {}).get("sslmode")
    if sslmode:
        env["PGSSLMODE"] = str(sslmode)
    return [*args, "--no-password"], env


def run_pg_tool(argv: list[str], env: dict[str, str], what: str) -> str:
    """Run pg_dump / pg_restore and return what it printed; refuse with its own error output
    when it fails."""
    try:
        result = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
    except OSError as error:
        raise CommandError(f"无法运行 {argv[0]} / cannot run {argv[0]}: {error}") from error
    if result.returncode != 0:
        detail = result.stderr.strip() or result.stdout.strip()
        raise CommandError(
            f"{what}失败 / {Path(argv[0]).name} failed (exit {result.returncode}): {detail}"
        )
    return result.stdout


def size_text(path: Path) -> str:
    return f"{path.stat().st_size / (1024 * 1024):.1f} MB"


def remove_quietly(*paths: Path) -> None:
    for path in paths:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


class Command(BaseCommand):
    help = (
        "备份数据库 / back up the database: -o FILE (SQLite 在线备份 online backup;"
        " PostgreSQL pg_dump --format=custom)"
    )
    # Copying a database needs no system checks; a broken configuration must not block it.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "-o",
            "--output",
            required=True,
            metavar="FILE",
            help="备份文件 / the backup file to write",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="覆盖已有的文件 / overwrite an existing FILE",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        kind = vendor()
        target = output_path(options["output"])
        if target.exists() and not options["force"]:
            raise CommandError(
                f"文件已存在:{target}(用 --force 覆盖)"
                f" / file exists: {target} (use --force to overwrite it)"
            )
        partial = target.with_name(target.name + ".partial")
        # A partial file left by an interrupted run (and its SQLite journal) is stale.
        remove_quietly(partial, Path(f"{partial}-journal"))
        try:
            if kind == "sqlite":
                self._backup_sqlite(partial, target)
            else:
                self._backup_postgresql(partial)
            with open(partial, "rb") as written:
                os.fsync(written.fileno())
            os.replace(partial, target)
        except BaseException:
            remove_quietly(partial, Path(f"{partial}-journal"))
            raise
        self.stdout.write(f"已备份 / backed up: {target} ({size_text(target)})")

    def _backup_sqlite(self, partial: Path, target: Path) -> None:
        database = sqlite_path()
        if target.exists() and target.resolve() == database.resolve():
            raise CommandError(
                f"不能备份到数据库文件本身:{target} / cannot back up onto the database file itself: {target}"
            )
        report = percent_reporter(self.stdout.write, "备份 / backup")
        try:
            source = sqlite3.connect(database)
            try:
                copy = sqlite3.connect(partial)
                try:
                    sqlite_copy(source, copy, report)
                    # One self-contained file: no write-ahead log beside it.
                    copy.execute("PRAGMA journal_mode = DELETE")
                finally:
                    copy.close()
            finally:
                source.close()
        except sqlite3.Error as error:
            raise CommandError(f"备份失败 / backup failed: {error}") from error

    def _backup_postgresql(self, partial: Path) -> None:
        pg_dump = pg_tool("pg_dump")
        args, env = pg_arguments(connection.settings_dict)
        self.stdout.write("备份中(pg_dump)… / backing up (pg_dump)…")
        run_pg_tool(
            [pg_dump, "--format=custom", "--no-owner", "--file", str(partial), *args],
            env,
            "备份",
        )
