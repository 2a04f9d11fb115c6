"""Building messy sheets in tests: title rows, merged cells, mixed values, CSV in any encoding."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook


def xlsx(
    rows: Sequence[Sequence[object]],
    *,
    merges: Sequence[str] = (),
    title: str = "Sheet1",
    number_formats: dict[str, str] | None = None,
) -> bytes:
    """A workbook whose first sheet holds `rows` from A1 (None leaves a cell empty)."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    for row in rows:
        sheet.append(list(row))
    for ref in merges:
        sheet.merge_cells(ref)
    for ref, number_format in (number_formats or {}).items():
        sheet[ref].number_format = number_format
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def csv_bytes(rows: Sequence[Sequence[object]], encoding: str = "utf-8") -> bytes:
    text = "\r\n".join(",".join("" if v is None else str(v) for v in row) for row in rows)
    return text.encode(encoding)


def messy(title: str, header: Sequence[str], rows: Sequence[Sequence[object]]) -> bytes:
    """A sheet as clerks make them: a title row merged across the sheet, the first header cell
    merged over two rows under a merged group header (so the header row is row 3), and a blank
    row after every data row."""
    width = len(header)
    last = chr(ord("A") + width - 1)
    body: list[Sequence[object]] = [
        [title],
        [header[0], "登记信息"],
        [None, *header[1:]],
    ]
    for row in rows:
        body.append(row)
        body.append([])
    return xlsx(body, merges=[f"A1:{last}1", "A2:A3", f"B2:{last}2"])
