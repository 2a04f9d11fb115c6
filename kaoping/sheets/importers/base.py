"""What every importer shares: reading a row's cells by column type, resolving references, and
writing each row in its own savepoint so that every row's errors are reported.

An importer declares its columns and implements `import_row`, which calls the owning app's
services. The job runs it row by row inside the import's transaction; a row that fails is rolled
back to its savepoint and its errors are recorded against the column the user has to correct.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kaoping.org.models import Company, Employee, OrgUnit, Position
from kaoping.org.selectors import placement_on

from .. import cells
from ..cells import CellError
from ..columns import Column, Header
from ..references import (
    EmployeeLookup,
    PositionLookup,
    UnitLookup,
    UserLookup,
    employee_tokens,
)
from ..report import ImportReport, RowError

EMPLOYEE_KEYS = ("employee_number", "employee_name", "employee")
REQUIRED = gettext_lazy("必填,不能为空")
NOT_PLACED = gettext_lazy("{employee} 在 {day} 没有任职记录")
UNIT_REQUIRED = gettext_lazy("请填写单位(或填写员工,按其当日任职单位)")
EMPLOYEE_REQUIRED = gettext_lazy("请填写员工的工号或姓名")

Progress = Callable[[int, int], None]


class Outcome(StrEnum):
    """What importing one row did."""

    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


@dataclass
class SheetRow:
    """One data row: its number in the sheet, raw cells and read values by column key.

    Only the columns the sheet has are present; a blank cell reads as None.
    """

    number: int
    cells: dict[str, object]
    values: dict[str, Any] = field(default_factory=dict)

    def has(self, key: str) -> bool:
        return self.values.get(key) is not None

    def get(self, key: str, default: Any = None) -> Any:
        value = self.values.get(key)
        return default if value is None else value


class RowProblem(Exception):
    """A row cannot be imported: (column key or None for the whole row, reason) pairs."""

    def __init__(self, problems: Sequence[tuple[str | None, str]]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(reason for _key, reason in self.problems))


def problem(key: str | None, reason: str) -> RowProblem:
    return RowProblem([(key, reason)])


@dataclass
class Job:
    """One import in progress: who imports, into which company, the header found, the report,
    and the lookups of people, units, positions and logins the sheet mentions."""

    actor: Any
    viewer: Any
    company: Company
    importer: Importer
    header: Header
    report: ImportReport
    reason: str = ""
    progress: Progress | None = None
    employees: EmployeeLookup | None = None
    units: UnitLookup | None = None
    positions: PositionLookup | None = None
    users: UserLookup | None = None

    # --- reading cells ------------------------------------------------------------------------

    def read(self, row: SheetRow) -> bool:
        """Read every cell of `row` by its column's type; record each bad cell. True if all good."""
        ok = True
        for column in self.importer.columns:
            if column.key not in row.cells:
                continue
            raw = row.cells[column.key]
            if cells.is_blank(raw):
                row.values[column.key] = None
                if column.required:
                    self.error(row, column.key, str(REQUIRED))
                    ok = False
                continue
            try:
                row.values[column.key] = read_cell(column, raw)
            except CellError as exc:
                self.error(row, column.key, exc.reason)
                ok = False
        return ok

    def error(self, row: SheetRow | int, key: str | None, reason: str) -> None:
        """Record a problem in `row` at column `key` (None: the whole row)."""
        number = row if isinstance(row, int) else row.number
        raw = None if isinstance(row, int) or key is None else row.cells.get(key)
        label = self.header.label(key) if key is not None else ""
        self.report.errors.append(
            RowError(row=number, column=label, value=cells.shown(raw), reason=str(reason))
        )

    def present(self, *keys: str) -> str | None:
        """The first of `keys` that the sheet has a column for."""
        return next((key for key in keys if key in self.header.index), None)

    # --- writing rows ---------------------------------------------------------------------------

    def attempt(
        self, row: SheetRow, write: Callable[[SheetRow], Outcome], *, count: bool = True
    ) -> Outcome | None:
        """Write one row in a savepoint; on failure roll it back and record why. The outcome is
        counted in the report unless `count` is false (a first pass over the rows)."""
        try:
            with transaction.atomic():
                outcome = write(row)
        except RowProblem as exc:
            for key, reason in exc.problems:
                self.error(row, key if key in self.header.index else None, reason)
            return None
        except ValidationError as exc:
            for key, reason in self.importer.problems_of(exc, self):
                self.error(row, key, reason)
            return None
        except PermissionDenied as exc:
            reason = str(exc) or _("您没有权限执行此操作。")
            self.error(row, self.present("unit", *EMPLOYEE_KEYS), reason)
            return None
        if not count:
            return outcome
        if outcome is Outcome.CREATED:
            self.report.created += 1
        elif outcome is Outcome.UPDATED:
            self.report.updated += 1
        else:
            self.report.unchanged += 1
        return outcome

    # --- references -----------------------------------------------------------------------------

    def employee_of(self, row: SheetRow, *, required: bool) -> Employee | None:
        """The employee a row names by 工号 and/or name (or one cell holding either)."""
        assert self.employees is not None
        lookup = self.employees
        number, name, either = (row.get(key) for key in EMPLOYEE_KEYS)
        if not (number or name or either):
            if required:
                raise problem(self.present(*EMPLOYEE_KEYS), str(EMPLOYEE_REQUIRED))
            return None
        key = "employee_number" if number else "employee_name" if name else "employee"
        try:
            if number:
                employee = lookup.numbered(number)
            elif name:
                employee = lookup.named(name)
            else:
                employee = lookup.either(either)
        except CellError as exc:
            raise problem(key, exc.reason) from None
        if number and name:
            try:
                lookup.check_name(employee, name)
            except CellError as exc:
                raise problem("employee_name", exc.reason) from None
        return employee

    def unit_of(self, row: SheetRow, key: str = "unit") -> OrgUnit | None:
        value = row.get(key)
        if not value:
            return None
        assert self.units is not None
        try:
            return self.units.find(value)
        except CellError as exc:
            raise problem(key, exc.reason) from None

    def unit_for(self, row: SheetRow, employee: Employee | None, day: dt.date | None) -> OrgUnit:
        """The row's unit, or the employee's unit on the record's day when none is given."""
        unit = self.unit_of(row)
        if unit is not None:
            return unit
        if employee is not None and day is not None:
            placement = placement_on(employee=employee, day=day)
            if placement is None:
                raise problem(
                    self.present(*EMPLOYEE_KEYS), NOT_PLACED.format(employee=employee, day=day)
                )
            return placement.unit
        raise problem(self.present("unit", *EMPLOYEE_KEYS), str(UNIT_REQUIRED))

    def position_of(self, row: SheetRow, key: str = "position") -> Position | None:
        value = row.get(key)
        if not value:
            return None
        assert self.positions is not None
        try:
            return self.positions.find(value)
        except CellError as exc:
            raise problem(key, exc.reason) from None

    def user_of(self, row: SheetRow, key: str) -> Any:
        value = row.get(key)
        if not value:
            return None
        assert self.users is not None
        try:
            return self.users.find(value)
        except CellError as exc:
            raise problem(key, exc.reason) from None

    def load_employees(self, rows: Iterable[SheetRow], keys: Sequence[str] = EMPLOYEE_KEYS) -> None:
        """Load every employee the rows mention, in a bounded number of queries."""
        mentioned: list[str] = []
        for row in rows:
            for key in keys:
                value = row.values.get(key)
                if value:
                    mentioned.extend(employee_tokens(value))
        self.employees = EmployeeLookup(
            viewer=self.viewer, company=self.company, mentioned=mentioned
        )

    def load_units(self) -> None:
        self.units = UnitLookup(viewer=self.viewer, company=self.company)

    def load_positions(self) -> None:
        self.positions = PositionLookup(viewer=self.viewer, company=self.company)

    def load_users(self, rows: Iterable[SheetRow], key: str) -> None:
        self.users = UserLookup(
            company=self.company, mentioned=(row.values.get(key) or "" for row in rows)
        )

    def reason_for(self, row: SheetRow) -> str:
        """The audit reason of a row's write: the file and the row."""
        return _("{source} 第 {row} 行").format(source=self.reason, row=row.number)

    def tick(self, done: int, total: int) -> None:
        if self.progress is not None:
            self.progress(done, total)


def read_cell(column: Column, raw: object) -> Any:
    """A non-blank cell read as its column's type (references stay text until resolved)."""
    kind = column.type
    if kind == "text":
        return cells.text(raw)
    if kind == "date":
        return cells.date(raw)
    if kind == "datetime":
        return cells.moment(raw)
    if kind == "month":
        return cells.month(raw)
    if kind == "decimal":
        return cells.decimal(raw)
    if kind == "integer":
        value = cells.integer(raw)
        if value < 0:
            raise CellError(_("不能为负数"))
        return value
    if kind == "boolean":
        return cells.boolean(raw)
    if kind == "choice":
        return cells.choice(raw, column.choices)
    return cells.token(raw)  # token, employee, unit, position, user


def local_day(value: object) -> dt.date | None:
    """The local day of a date or an aware time."""
    if isinstance(value, dt.datetime):
        return timezone.localdate(value)
    return value if isinstance(value, dt.date) else None


class Importer:
    """One kind of sheet: its columns, and how one row is written through the services."""

    key: str
    title: str
    summary: str
    columns: tuple[Column, ...]
    # Validation errors of these fields are reported against these columns (first present).
    field_columns: Mapping[str, tuple[str, ...]] = {}
    aliases: tuple[str, ...] = ()
    # Two identical rows of one sheet are two records (two anonymous survey answers alike);
    # otherwise (findings, people) the second is refused as pasted twice.
    repeats_are_records = False

    @property
    def shown_title(self) -> str:
        """The kind's title in the user's language (`title` is the Chinese msgid)."""
        return _(self.title)

    @property
    def shown_summary(self) -> str:
        return _(self.summary)

    def column(self, key: str) -> Column:
        return next(column for column in self.columns if column.key == key)

    def header_problems(self, header: Header) -> list[str]:
        """Required columns the header lacks (as the template names them)."""
        return [
            _("缺少必填列“{title}”").format(title=column.shown_title)
            for column in self.columns
            if column.required and column.key not in header.index
        ]

    def problems_of(self, exc: ValidationError, job: Job) -> list[tuple[str | None, str]]:
        """A service's validation error as (column key, reason) pairs."""
        if hasattr(exc, "error_dict"):
            found: list[tuple[str | None, str]] = []
            for name, messages in exc.message_dict.items():
                keys = self.field_columns.get(name, (name,))
                key = None if name == NON_FIELD_ERRORS else job.present(*keys)
                found.extend((key, str(message)) for message in messages)
            return found
        return [(None, str(message)) for message in exc.messages]

    def run(self, job: Job, rows: list[SheetRow]) -> None:
        """Import every row (each in its own savepoint)."""
        self.prepare(job, rows)
        total = len(rows)
        for done, row in enumerate(rows, start=1):
            job.attempt(row, lambda r: self.import_row(job, r))
            job.tick(done, total)

    def prepare(self, job: Job, rows: list[SheetRow]) -> None:
        """Load what the rows refer to (bounded queries, before any row is written)."""

    def import_row(self, job: Job, row: SheetRow) -> Outcome:
        raise NotImplementedError
