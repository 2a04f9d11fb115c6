"""Writing cells and whole lists to .xlsx: the generic “list as filtered on screen” exporter.

    columns = model_columns(Complaint, ["received_at", "category", "unit", "employee", "valid"])
    data = list_workbook(title="投诉", columns=columns, rows=complaint_list(viewer=user, ...))

Every value goes through `cell_value`: aware times become local times (Excel has no time zones),
yes/no becomes 是/否, records become their names, and text that a spreadsheet would take for a
formula (= + - @, a leading tab or carriage return) is neutralised.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..cells import neutralise

DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
WRAP = Alignment(wrap_text=True, vertical="top")
SHEET_TITLE_LIMIT = 31  # Excel's limit on a sheet name
_SHEET_TITLE_FORBIDDEN = str.maketrans({c: "_" for c in "[]:*?/\\"})


def cell_value(value: object) -> object:
    """A value as a cell should hold it (see the module docstring); None stays empty."""
    if value is None:
        return None
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, dt.datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return local.replace(tzinfo=None)
    if isinstance(value, int | float | Decimal | dt.date | dt.time):
        return value
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, list | tuple | set | frozenset):
        value = "、".join(str(cell_value(v)) for v in value if v is not None)
    return neutralise(str(value))


def number_format_of(value: object) -> str | None:
    if isinstance(value, dt.datetime):
        return DATETIME_FORMAT
    if isinstance(value, dt.date):
        return DATE_FORMAT
    return None


def sheet_title(text: str) -> str:
    """A valid, unique-enough sheet name: Excel allows 31 characters and no []:*?/\\."""
    return text.translate(_SHEET_TITLE_FORBIDDEN)[:SHEET_TITLE_LIMIT] or "Sheet"


def put(sheet: Worksheet, row: int, column: int, value: object, **style: Any) -> None:
    """Write one cell, made safe (cell_value), with a date format where needed."""
    cell = sheet.cell(row=row, column=column, value=cell_value(value))  # type: ignore[arg-type]
    number_format = number_format_of(cell.value)
    if number_format:
        cell.number_format = number_format
    for name, setting in style.items():
        setattr(cell, name, setting)


def workbook_bytes(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@dataclass(frozen=True)
class ExportColumn:
    """A column of an exported list: its header, and how to read a row's value — an attribute
    path (“employee.name”, also dict keys) or a function of the row."""

    title: str
    value: str | Callable[[Any], object]
    width: int | None = None
    number_format: str | None = None  # e.g. "0.0%" for a share kept as a number

    def read(self, row: Any) -> object:
        if callable(self.value):
            return self.value(row)
        current: Any = row
        for part in self.value.split("."):
            if current is None:
                return None
            current = current.get(part) if isinstance(current, dict) else getattr(current, part)
        return current() if callable(current) else current


def model_columns(model: type[models.Model], names: Sequence[str]) -> list[ExportColumn]:
    """Columns for a model's fields, headed by their verbose names; a choice shows its label,
    a related record its name."""
    columns = []
    for name in names:
        field = model._meta.get_field(name)
        title = str(getattr(field, "verbose_name", name))
        if getattr(field, "choices", None):
            columns.append(ExportColumn(title, f"get_{name}_display"))
        else:
            columns.append(ExportColumn(title, name))
    return columns


def list_workbook(
    *,
    columns: Sequence[ExportColumn],
    rows: Iterable[Any],
    title: str = "",
    sheet: str = "",
    notes: Sequence[str] = (),
) -> bytes:
    """Any list as an .xlsx: an optional title row, notes, the header, one row per item.

    Written in openpyxl's streaming mode, so a long list never sits in memory as cells.
    """
    book = Workbook(write_only=True)
    out = book.create_sheet(sheet_title(sheet or title or _("列表")))
    for index, column in enumerate(columns, start=1):
        width = column.width or max(10, min(40, len(column.title) * 2 + 4))
        out.column_dimensions[get_column_letter(index)].width = width
    header_row = 1
    if title:
        heading = WriteOnlyCell(out, value=cell_value(title))
        heading.font = TITLE
        out.append([heading])
        header_row += 1
    for note in notes:
        out.append([cell_value(note)])
        header_row += 1
    header = []
    for column in columns:
        cell = WriteOnlyCell(out, value=cell_value(column.title))
        cell.font = BOLD
        cell.fill = HEADER_FILL
        header.append(cell)
    out.append(header)
    out.freeze_panes = f"A{header_row + 1}"
    for row in rows:
        values = []
        for column in columns:
            value = cell_value(column.read(row))
            number_format = number_format_of(value) or (
                column.number_format if value is not None else None
            )
            if number_format:
                cell = WriteOnlyCell(out, value=value)
                cell.number_format = number_format
                values.append(cell)
            else:
                values.append(value)
        out.append(values)
    return workbook_bytes(book)
