"""Opening an uploaded sheet safely: size, type by content, zip and XML bombs, row limits.

A file is checked before any parser sees it: its size (KAOPING_MAX_IMPORT_BYTES), that its
content is what its name says (an .xlsx is a zip holding [Content_Types].xml and
xl/workbook.xml; an old binary .xls is recognised and the user asked to save it as .xlsx), and
that the zip does not inflate beyond KAOPING_MAX_IMPORT_UNCOMPRESSED_BYTES or by a suspicious
ratio. openpyxl parses the XML with defusedxml (entity expansion and DTDs are refused); rows
are streamed (read-only mode) and reading stops past KAOPING_MAX_IMPORT_ROWS.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import warnings
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import IO

import openpyxl
from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl.utils.cell import range_boundaries

from .cells import is_blank

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_MAX_ROWS = 50_000
DEFAULT_MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
# A member of an .xlsx that inflates more than this many times is treated as a zip bomb; real
# sheet XML compresses about 5–20 times. Small members are not judged (tiny XML compresses well).
MAX_COMPRESSION_RATIO = 100
RATIO_FROM_BYTES = 1024 * 1024
MAX_MEMBERS = 2000
# Columns beyond this are never read: no import has that many fields.
MAX_COLUMNS = 64

XLSX_SUFFIXES = frozenset({".xlsx", ".xlsm"})
CSV_SUFFIXES = frozenset({".csv", ".txt"})
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_MERGE_CELL = re.compile(
    rb"<(?:[A-Za-z_][\w.-]*:)?mergeCell\b[^>]*?\bref=\"([A-Za-z]{1,3}\d{1,7}(?::[A-Za-z]{1,3}\d{1,7})?)\""
)


class SheetRefused(Exception):
    """The whole file is refused before any row is read; `reason` says why, to the user."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


@dataclass(frozen=True)
class Upload:
    """An uploaded file's name (only its suffix is trusted, and only after the content agrees)
    and its bytes."""

    name: str
    data: bytes

    @property
    def suffix(self) -> str:
        return PurePath(self.name).suffix.lower()


@dataclass
class Table:
    """One worksheet (or a CSV file) as rows of cell values, merged cells filled down.

    `rows` holds the non-blank rows with their row number as the user sees it (1-based).
    """

    sheet: str
    rows: list[tuple[int, list[object]]] = field(default_factory=list)


def max_bytes() -> int:
    return int(getattr(settings, "KAOPING_MAX_IMPORT_BYTES", DEFAULT_MAX_BYTES))


def max_rows() -> int:
    return int(getattr(settings, "KAOPING_MAX_IMPORT_ROWS", DEFAULT_MAX_ROWS))


def max_uncompressed_bytes() -> int:
    return int(
        getattr(settings, "KAOPING_MAX_IMPORT_UNCOMPRESSED_BYTES", DEFAULT_MAX_UNCOMPRESSED_BYTES)
    )


def size_text(size: int) -> str:
    """A size for people: 10 MB, 10.5 MB, 2 KB, 500 字节."""
    for unit, scale in (("MB", 1024 * 1024), ("KB", 1024)):
        if size >= scale:
            return f"{size / scale:.1f}".removesuffix(".0") + f" {unit}"
    return _("{size} 字节").format(size=size)


def _too_large(size: int) -> SheetRefused:
    return SheetRefused(
        _("文件太大({size}),导入文件不能超过 {limit}。请拆分后分批导入。").format(
            size=size_text(size), limit=size_text(max_bytes())
        )
    )


def upload_read(file: str | Path | IO[bytes], *, name: str | None = None) -> Upload:
    """Read an upload (a path, or a binary file object such as Django's UploadedFile) without
    ever holding more than the size limit plus one byte."""
    limit = max_bytes()
    if isinstance(file, str | Path):
        path = Path(file)
        size = path.stat().st_size
        if size > limit:
            raise _too_large(size)
        with path.open("rb") as stream:
            data = stream.read(limit + 1)
        shown_name = name or path.name
    else:
        declared = getattr(file, "size", None)
        if isinstance(declared, int) and declared > limit:
            raise _too_large(declared)
        if hasattr(file, "seek"):
            file.seek(0)
        data = file.read(limit + 1)
        shown_name = name or PurePath(str(getattr(file, "name", "") or "")).name
    if len(data) > limit:
        raise _too_large(len(data))
    return Upload(name=shown_name, data=data)


def tables_read(upload: Upload) -> list[Table]:
    """The worksheets of an .xlsx (or the one table of a .csv), after every safety check."""
    suffix = upload.suffix
    data = upload.data
    if suffix == ".xls":
        if data.startswith(_OLE_MAGIC):
            raise SheetRefused(
                _(
                    "这是旧版 Excel 文件(.xls),无法安全读取。请在 Excel 中“另存为”"
                    " Excel 工作簿(.xlsx)后再导入。"
                )
            )
        raise SheetRefused(_not_what_it_says(upload))
    if suffix in XLSX_SUFFIXES:
        return _xlsx_tables(upload)
    if suffix in CSV_SUFFIXES:
        if data.startswith((_ZIP_MAGIC, _OLE_MAGIC)):
            raise SheetRefused(_not_what_it_says(upload))
        return [_csv_table(upload)]
    raise SheetRefused(
        _("不支持的文件类型“{suffix}”:请上传 Excel 工作簿(.xlsx)或 CSV 文件(.csv)。").format(
            suffix=suffix or upload.name
        )
    )


def _content_kind(data: bytes) -> str:
    if data.startswith(_OLE_MAGIC):
        return _("旧版 Excel(.xls)或其他 Office 文件")
    if data.startswith(_ZIP_MAGIC):
        return _("压缩包(zip)")
    head = data[:512].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html", b"<table")):
        return _("网页(HTML)")
    if head.startswith(b"%pdf"):
        return "PDF"
    return _("文本或其他格式")


def _not_what_it_says(upload: Upload) -> str:
    return _(
        "文件“{name}”的内容与扩展名不符(内容是{kind}),请上传真正的 .xlsx 或 .csv 文件。"
    ).format(name=upload.name, kind=_content_kind(upload.data))


# --- .xlsx -------------------------------------------------------------------------------------


def _checked_zip(upload: Upload) -> zipfile.ZipFile:
    """The upload as a zip, refused when it is not an Excel workbook or would inflate too far."""
    if not upload.data.startswith(_ZIP_MAGIC):
        raise SheetRefused(_not_what_it_says(upload))
    try:
        archive = zipfile.ZipFile(io.BytesIO(upload.data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise SheetRefused(_("文件已损坏,无法作为 Excel 工作簿(.xlsx)打开。")) from None
    names = {member.filename for member in members}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise SheetRefused(_not_what_it_says(upload))
    if len(members) > MAX_MEMBERS:
        raise SheetRefused(
            _("文件结构异常(包含 {count} 个部件),已拒绝。").format(count=len(members))
        )
    total = 0
    for member in members:
        total += member.file_size
        if member.file_size > RATIO_FROM_BYTES and member.file_size > MAX_COMPRESSION_RATIO * max(
            member.compress_size, 1
        ):
            raise SheetRefused(
                _("文件解压后异常膨胀(“{part}”压缩比超过 {ratio}:1),疑似压缩炸弹,已拒绝。").format(
                    part=member.filename, ratio=MAX_COMPRESSION_RATIO
                )
            )
    if total > max_uncompressed_bytes():
        raise SheetRefused(
            _("文件解压后为 {size},超过上限 {limit},已拒绝。请拆分后分批导入。").format(
                size=size_text(total), limit=size_text(max_uncompressed_bytes())
            )
        )
    return archive


def _merged_ranges(archive: zipfile.ZipFile, worksheet: object) -> list[tuple[int, int, int, int]]:
    """The merged ranges of a worksheet as (min_col, min_row, max_col, max_row).

    Read-only worksheets do not expose them, so they are read from the worksheet's part (its
    XML has already been parsed safely by openpyxl by then; this is a plain text search).
    """
    path = str(getattr(worksheet, "_worksheet_path", "") or "").lstrip("/")
    if not path:
        return []
    try:
        xml = archive.read(path)
    except KeyError:
        return []
    start = xml.find(b"mergeCell")
    if start < 0:
        return []
    ranges = []
    for match in _MERGE_CELL.finditer(xml, max(0, start - 64)):
        ref = match.group(1).decode()
        min_col, min_row, max_col, max_row = range_boundaries(ref if ":" in ref else f"{ref}:{ref}")
        assert min_col and min_row and max_col and max_row
        ranges.append((min_col, min_row, max_col, max_row))
    return ranges


def _xlsx_tables(upload: Upload) -> list[Table]:
    archive = _checked_zip(upload)
    if not openpyxl.DEFUSEDXML:
        # openpyxl falls back to the standard library's XML parser without defusedxml, which
        # expands entities: never open an untrusted workbook that way.
        raise SheetRefused(_("服务器未启用安全的 XML 解析(defusedxml),不能读取 Excel 文件。"))
    from defusedxml import DefusedXmlException

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            book = openpyxl.load_workbook(
                io.BytesIO(upload.data), read_only=True, data_only=True, keep_links=False
            )
            try:
                return [
                    _worksheet_table(archive, sheet)
                    for sheet in book.worksheets
                    if getattr(sheet, "iter_rows", None) is not None
                ]
            finally:
                book.close()
    except SheetRefused:
        raise
    except Exception as exc:  # any parser failure on untrusted input refuses the file
        if _caused_by(exc, DefusedXmlException):
            raise SheetRefused(
                _("文件包含不安全的 XML 内容(实体定义或 DTD,可能是 XML 炸弹),已拒绝。")
            ) from None
        raise SheetRefused(_("文件已损坏,无法作为 Excel 工作簿(.xlsx)打开。")) from None


def _caused_by(exc: BaseException, kind: type[BaseException]) -> bool:
    """`exc` is, or was raised from, an exception of `kind` (openpyxl wraps parser errors)."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, kind):
            return True
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return False


def _too_many_rows(count: int) -> SheetRefused:
    return SheetRefused(
        _("表格行数超过上限:最多 {limit} 行数据,本表至少有 {count} 行。请拆分后分批导入。").format(
            limit=max_rows(), count=count
        )
    )


def _worksheet_table(archive: zipfile.ZipFile, worksheet: object) -> Table:
    title = str(getattr(worksheet, "title", ""))
    # Title and header rows come first; allow a few beyond the data limit before refusing.
    ceiling = max_rows() + 50
    grid: dict[int, list[object]] = {}
    rows: Iterator[tuple[object, ...]] = worksheet.iter_rows(  # type: ignore[attr-defined]
        max_col=MAX_COLUMNS, values_only=True
    )
    for number, values in enumerate(rows, start=1):
        if all(is_blank(v) for v in values):
            continue
        grid[number] = list(values)
        if len(grid) > ceiling:
            raise _too_many_rows(len(grid))
    _fill_merged(grid, _merged_ranges(archive, worksheet))
    return Table(sheet=title, rows=sorted(grid.items()))


def _fill_merged(grid: dict[int, list[object]], ranges: list[tuple[int, int, int, int]]) -> None:
    """A merged cell's value belongs to every row it spans: fill it down its first column.

    Only down: a range merged across columns keeps its value in its first column, so a header
    spanning two columns names one column, and a title row across the sheet stays one cell.
    """
    for min_col, min_row, _max_col, max_row in ranges:
        if min_col > MAX_COLUMNS or min_row not in grid:
            continue
        value = grid[min_row][min_col - 1] if min_col - 1 < len(grid[min_row]) else None
        if value is None:
            continue
        for number in range(min_row + 1, max_row + 1):
            row = grid.get(number)
            if row is None:
                if number > max(grid):
                    break
                continue  # a blank row inside a merged block stays blank
            while len(row) < min_col:
                row.append(None)
            row[min_col - 1] = value


# --- .csv --------------------------------------------------------------------------------------


def _decoded(upload: Upload) -> str:
    """CSV text: UTF-8 (with or without BOM), UTF-16 with BOM (Excel's “Unicode text”), or
    GB18030 (what Excel saves on Chinese Windows)."""
    data = upload.data
    if data.startswith(codecs.BOM_UTF8):
        candidates = ["utf-8-sig"]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ["utf-16"]
    else:
        candidates = ["utf-8", "gb18030"]
    for encoding in candidates:
        try:
            decoded = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in decoded:
            break
        return decoded
    raise SheetRefused(
        _not_what_it_says(upload)
        if b"\x00" in data
        else _("无法识别文件的文字编码:请另存为 UTF-8 或 GB18030 编码的 CSV 文件。")
    )


def _csv_table(upload: Upload) -> Table:
    content = _decoded(upload)
    sample = content[:8192]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    table = Table(sheet="")
    ceiling = max_rows() + 50
    reader = csv.reader(io.StringIO(content, newline=""), dialect)
    try:
        for number, values in enumerate(reader, start=1):
            if all(is_blank(v) for v in values):
                continue
            table.rows.append((number, list(values[:MAX_COLUMNS])))
            if len(table.rows) > ceiling:
                raise _too_many_rows(len(table.rows))
    except csv.Error:
        raise SheetRefused(_("CSV 文件格式有误,无法读取。")) from None
    return table
