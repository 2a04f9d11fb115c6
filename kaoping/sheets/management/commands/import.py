"""kaoping import KIND FILE [--company CODE] [--as USERNAME] [--dry-run]: import a sheet.

Prints the report (rows read, imported, unchanged, every error with row, column, value and
reason). Exit status 0 when imported (or a clean dry run), 1 when the sheet was refused with
errors (nothing was written), 2 on bad usage (unknown kind, company or user, missing file).
Progress goes to stderr every --progress-every rows.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from kaoping.appraisals.management.commands.close import company_from
from kaoping.sheets.importers import importers
from kaoping.sheets.services import UnknownKind, sheet_import

USAGE_ERROR = 2
REFUSED = 1


def kinds_help() -> str:
    return ", ".join(f"{importer.key} {importer.title}" for importer in importers())


class Command(BaseCommand):
    help = "导入表格 / import a sheet (.xlsx, .csv): " + kinds_help()

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", help="导入类型 / kind: " + kinds_help())
        parser.add_argument("file", help="文件 .xlsx 或 .csv / the file")
        parser.add_argument("--company", help="公司编码 / company code")
        parser.add_argument(
            "--as",
            dest="as_user",
            help="以该用户身份导入(检查权限)/ import as this user (default: the system)",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="只检查,不写入 / check everything, write nothing",
        )
        parser.add_argument(
            "--progress-every",
            type=int,
            default=500,
            help="每处理多少行报告一次进度(标准错误)/ report progress every N rows (stderr)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if path.is_dir():
            raise CommandError(
                _("{path} 是一个文件夹,请给出要导入的文件").format(path=path)
                + " / a folder, not a file",
                returncode=USAGE_ERROR,
            )
        if not path.is_file():
            raise CommandError(
                _("文件不存在:{path}").format(path=path) + " / no such file",
                returncode=USAGE_ERROR,
            )
        try:
            company = company_from(options["company"])
        except CommandError as exc:
            raise CommandError(str(exc), returncode=USAGE_ERROR) from None
        actor = None
        if options["as_user"]:
            actor = User.objects.filter(username=options["as_user"], is_active=True).first()
            if actor is None:
                raise CommandError(
                    _("--as:没有用户名为 {name} 的有效用户").format(name=options["as_user"])
                    + " / no such user",
                    returncode=USAGE_ERROR,
                )
        every = max(1, options["progress_every"])

        def progress(done: int, total: int) -> None:
            if done % every == 0 or done == total:
                self.stderr.write(_("… 已处理 {done}/{total} 行").format(done=done, total=total))

        try:
            report = sheet_import(
                actor=actor,
                kind=options["kind"],
                file=path,
                company=company,
                dry_run=options["dry_run"],
                progress=progress,
            )
        except UnknownKind as exc:
            raise CommandError(str(exc), returncode=USAGE_ERROR) from None
        for line in report.lines():
            self.stdout.write(line)
        if report.refused:
            raise CommandError(
                _("导入被拒绝,未写入任何记录") + " / refused, nothing imported",
                returncode=REFUSED,
            )
