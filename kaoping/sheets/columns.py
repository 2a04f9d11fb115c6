"""The columns of an import kind, and finding them in a sheet's header row.

A column is known by its Chinese title (the template's header), its synonyms in Chinese and
English, and its key. The header row need not be row 1: title rows above it and merged header
cells are common, so the first rows are scanned and the row naming the most columns wins.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from .cells import header_key, shown
from .files import Table

ColumnType = Literal[
    "text",  # free text, kept as typed
    "token",  # a code or a name: full-width made plain, padding spaces removed
    "date",
    "datetime",
    "month",
    "decimal",
    "integer",
    "boolean",
    "choice",
    "employee",  # a person by 工号 or by name (resolved against the company's staff)
    "unit",  # an org unit by code, name or “上级/名称”
    "position",  # a position by code or name
    "user",  # a login by user name, or a member of staff who has one
]
# How many non-blank rows from the top may hold titles before the header row.
HEADER_SCAN_ROWS = 30
# A header row names at least this many columns of the kind.
HEADER_MIN_MATCHES = 2


@dataclass(frozen=True)
class Column:
    """One column of an import kind: its key, Chinese title, type and how users may name it."""

    key: str
    title: str  # the Chinese header, a msgid (marked with gettext_noop where it is written)
    type: ColumnType = "text"
    required: bool = False
    synonyms: tuple[str, ...] = ()
    help: str = ""
    example: str = ""
    choices: tuple[tuple[str, str, tuple[str, ...]], ...] = ()  # (value, label, aliases)

    @property
    def shown_title(self) -> str:
        """The title in the user's language (`title` is the Chinese msgid)."""
        return _(self.title)

    @property
    def shown_help(self) -> str:
        return _(self.help) if self.help else ""

    def header_keys(self) -> set[str]:
        """Every header this column is recognised by, as compared (see cells.header_key): its
        Chinese title, the title in the user's language, its synonyms and its key."""
        keys = {
            header_key(self.title),
            header_key(self.shown_title),
            header_key(self.key),
            header_key(self.key.replace("_", " ")),
        }
        keys.update(header_key(name) for name in self.synonyms)
        keys.discard("")
        return keys

    def allowed(self) -> str:
        """The allowed values, for the template's explanations (empty when any value goes)."""
        return "、".join(label for _value, label, _aliases in self.choices)


@dataclass
class Header:
    """Where a kind's columns are in a table: the header row, each key's column index and the
    header text the sheet used; unknown headers are listed, conflicting ones are problems."""

    row: int
    index: dict[str, int] = field(default_factory=dict)
    text: dict[str, str] = field(default_factory=dict)
    ignored: list[str] = field(default_factory=list)
    problems: list[tuple[int, str, str]] = field(default_factory=list)  # (index, header, reason)

    def label(self, key: str) -> str:
        """The column as the user finds it: letter and header, e.g. “C 列「工号」”."""
        if key not in self.index:
            return ""
        return column_label(self.index[key], self.text[key])


def column_label(index: int, header: str) -> str:
    """“C 列「工号」” for the zero-based column index 2 headed 工号."""
    return _("{letter} 列「{header}」").format(letter=get_column_letter(index + 1), header=header)


def header_map(columns: Sequence[Column]) -> dict[str, str]:
    """Header key → column key, for every name of every column of a kind."""
    mapping: dict[str, str] = {}
    for column in columns:
        for key in column.header_keys():
            mapping.setdefault(key, column.key)
    return mapping


def header_find(table: Table, columns: Sequence[Column]) -> Header | None:
    """The header row of `table` for `columns`: among the first rows, the one naming the most
    columns (the earliest on a tie); None when no row names at least two."""
    mapping = header_map(columns)
    best: tuple[int, int, list[object]] | None = None  # (matches, row number, cells)
    for number, cells in table.rows[:HEADER_SCAN_ROWS]:
        keys = {mapping.get(header_key(shown(cell))) for cell in cells if cell is not None}
        keys.discard(None)
        if len(keys) >= HEADER_MIN_MATCHES and (best is None or len(keys) > best[0]):
            best = (len(keys), number, cells)
    if best is None:
        return None
    _count, number, cells = best
    header = Header(row=number)
    titles = {column.key: column.shown_title for column in columns}
    for index, cell in enumerate(cells):
        text = shown(cell)
        if not text:
            continue
        key = mapping.get(header_key(text))
        if key is None:
            header.ignored.append(text)
            continue
        if key in header.index:
            header.problems.append(
                (
                    index,
                    text,
                    _("与 {first} 都表示“{title}”,请只保留一列。").format(
                        first=header.label(key), title=titles[key]
                    ),
                )
            )
            continue
        header.index[key] = index
        header.text[key] = text
    return header
