"""Importing a sheet (表格导入): the one entry point for the command line, the web and the API.

    report = sheet_import(actor=user, kind="complaints", file=upload, company=company)

`file` is a path or a binary file object (a Django UploadedFile works as is). The whole sheet is
imported in one transaction, row by row through the owning app's services (validation, the
closed-period lock, the audit event): a sheet with any bad row imports nothing, and the report
lists every error with its row, column, value and reason. `dry_run` checks everything and
writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kaoping.org.access import SYSTEM
from kaoping.org.models import Company

from .cells import header_key, shown
from .columns import Header, column_label, header_find
from .files import SheetRefused, Table, max_rows, tables_read, upload_read
from .importers import importer_for, kind_keys
from .importers.base import Job, SheetRow
from .report import ImportReport, RowError

NO_HEADER = gettext_lazy(
    "找不到表头:前 30 行中没有一行包含本类型的列名(如 {examples})。请使用导入模板。"
)
EXPLANATION_SHEET = "说明"

REPEATED_ROW = gettext_lazy(
    "与第 {row} 行完全相同:同一张表中的重复行不导入,请删去其一(若确是两条记录,请写明其区别,"
    "如时间或说明)"
)
NO_ROWS = gettext_lazy("表头(第 {row} 行)以下没有数据行:没有可导入的内容")
__all__ = ["ImportReport", "RowError", "UnknownKind", "sheet_import"]


class UnknownKind(ValueError):
    """The import kind named does not exist (a usage error, not a problem of the sheet)."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        super().__init__(
            _("未知的导入类型“{kind}”,可选:{kinds}").format(kind=kind, kinds="、".join(kind_keys()))
        )


def sheet_import(
    *,
    actor: User | None,
    kind: str,
    file: str | Path | IO[bytes],
    company: Company,
    dry_run: bool = False,
    file_name: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Import one sheet of `kind` into `company` as `actor` (None: the system itself).

    Returns the report; raises UnknownKind for a kind that does not exist. Nothing is written
    when the report has errors, or in a dry run. `progress(done, total)` is called after each
    row written.
    """
    importer = importer_for(kind)
    if importer is None:
        raise UnknownKind(kind)
    report = ImportReport(
        kind=importer.key,
        kind_title=importer.shown_title,
        file_name=file_name or _file_name(file),
        dry_run=dry_run,
    )
    try:
        upload = upload_read(file, name=file_name)
        report.file_name = upload.name
        tables = tables_read(upload)
    except SheetRefused as exc:
        report.errors.append(RowError(row=0, column="", value="", reason=exc.reason))
        return report

    found = _best_table(tables, importer.columns)
    if found is None:
        examples = "、".join(c.shown_title for c in importer.columns if c.required)
        report.errors.append(
            RowError(row=0, column="", value="", reason=NO_HEADER.format(examples=examples))
        )
        return report
    table, header = found
    report.sheet = table.sheet
    report.header_row = header.row
    report.ignored_columns = header.ignored
    for index, text, reason in header.problems:
        report.errors.append(
            RowError(row=header.row, column=column_label(index, text), value=text, reason=reason)
        )
    for reason in importer.header_problems(header):
        report.errors.append(RowError(row=header.row, column="", value="", reason=reason))

    rows = _data_rows(table, header)
    report.rows_read = len(rows)
    if not rows:
        report.errors.append(
            RowError(row=header.row, column="", value="", reason=NO_ROWS.format(row=header.row))
        )
    if len(rows) > max_rows():
        report.errors.append(
            RowError(
                row=0,
                column="",
                value="",
                reason=_(
                    "表格行数超过上限:最多 {limit} 行数据,本表有 {count} 行。请拆分后分批导入。"
                ).format(limit=max_rows(), count=len(rows)),
            )
        )
    if report.errors:
        return report

    with transaction.atomic():
        job = Job(
            actor=actor,
            viewer=actor if actor is not None else SYSTEM,
            company=company,
            importer=importer,
            header=header,
            report=report,
            reason=_("表格导入“{name}”").format(name=report.file_name),
            progress=progress,
        )
        readable = [row for row in rows if job.read(row)]
        if not importer.repeats_are_records:
            readable = _without_repeats(report, readable)
        importer.run(job, readable)
        if report.errors or dry_run:
            transaction.set_rollback(True)
    report.errors.sort(key=lambda error: error.row)
    return report


def _without_repeats(report: ImportReport, rows: list[SheetRow]) -> list[SheetRow]:
    """The rows, each reported and left out when it reads exactly as an earlier row of the same
    sheet: a finding pasted twice would otherwise be two findings (two fault notices, twice the
    deduction). A row identical to a finding already stored still counts as already imported:
    that is how a sheet is imported again safely."""
    first: dict[tuple[tuple[str, str], ...], int] = {}
    kept = []
    for row in rows:
        key = tuple(sorted((name, repr(value)) for name, value in row.values.items()))
        number = first.setdefault(key, row.number)
        if number != row.number:
            report.errors.append(
                RowError(
                    row=row.number, column="", value="", reason=REPEATED_ROW.format(row=number)
                )
            )
            continue
        kept.append(row)
    return kept


def _file_name(file: object) -> str:
    if isinstance(file, str | Path):
        return Path(file).name
    return Path(str(getattr(file, "name", "") or "")).name


def _best_table(tables: list[Table], columns: Any) -> tuple[Table, Header] | None:
    """The worksheet whose header names the most of the kind's columns (the explanations
    sheet of a template is never taken)."""
    best: tuple[Table, Header] | None = None
    for table in tables:
        if table.sheet.strip() == EXPLANATION_SHEET:
            continue
        header = header_find(table, columns)
        if header is not None and (best is None or len(header.index) > len(best[1].index)):
            best = (table, header)
    return best


def _data_rows(table: Table, header: Header) -> list[SheetRow]:
    """The rows below the header, by column key; a repeat of the header row (printed sheets
    repeat it on every page) is skipped."""
    header_cells = next(cells for number, cells in table.rows if number == header.row)
    header_keys = [header_key(shown(cell)) for cell in header_cells]
    rows = []
    for number, cells in table.rows:
        if number <= header.row:
            continue
        if [header_key(shown(cell)) for cell in cells[: len(header_keys)]] == header_keys:
            continue
        values = {
            key: cells[index] if index < len(cells) else None for key, index in header.index.items()
        }
        rows.append(SheetRow(number=number, cells=values))
    return rows
