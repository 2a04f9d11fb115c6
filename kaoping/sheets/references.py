"""Finding the people, units, positions and logins a sheet names, within the viewer's reach.

Sheets name an employee by 工号 or by name, a unit by code or name, an inspector by login or as
a member of staff. Each lookup loads the candidates a sheet mentions with a bounded number of
queries, then answers in memory; a name that fits two records is ambiguous and the error names
both. Records outside the viewer's scope are not found, exactly as if they did not exist.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, TypeVar

from django.contrib.auth.models import User
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from kaoping.org.access import SystemViewer
from kaoping.org.models import Company, Employee, OrgUnit, Position
from kaoping.org.selectors import employee_roster, position_list, unit_list

from .cells import CellError, label_key, token

_T = TypeVar("_T")
CHUNK = 500
_NAME_AND_NUMBER = re.compile(r"^(?P<a>[^()]+?)\s*\((?P<b>[^()]+)\)$")


def chunks(values: Sequence[_T], size: int = CHUNK) -> Iterator[Sequence[_T]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _codes(records: Iterable[Any], attribute: str) -> str:
    return "、".join(sorted(str(getattr(record, attribute)) for record in records))


class EmployeeLookup:
    """Employees of a company by 工号 (exact, then ignoring case) or by name."""

    def __init__(self, *, viewer: Any, company: Company, mentioned: Iterable[str]) -> None:
        self.company = company
        self.by_number: dict[str, Employee] = {}
        self.by_folded_number: dict[str, list[Employee]] = defaultdict(list)
        self.by_name: dict[str, list[Employee]] = defaultdict(list)
        tokens = sorted({t for t in mentioned if t})
        # The roster includes employees not placed yet, for those who read the whole company's
        # people (a people import may place someone created earlier without a placement); the
        # system reaches every employee.
        base: QuerySet[Employee] = (
            Employee.objects.filter(company=company)
            if isinstance(viewer, SystemViewer)
            else employee_roster(viewer=viewer).filter(company=company)
        )
        variants = sorted({v for t in tokens for v in (t, t.upper(), t.lower())})
        for part in chunks(variants):
            for employee in base.filter(Q(number__in=part) | Q(name__in=part)):
                self.add(employee)

    def add(self, employee: Employee) -> None:
        """Make an employee findable (e.g. one the import has just created)."""
        if employee.number in self.by_number:
            return
        self.by_number[employee.number] = employee
        self.by_folded_number[employee.number.casefold()].append(employee)
        self.by_name[token(employee.name)].append(employee)

    def by_number_or_none(self, number: str) -> Employee | None:
        found = self.by_number.get(number)
        if found is not None:
            return found
        folded = self.by_folded_number.get(number.casefold(), [])
        return folded[0] if len(folded) == 1 else None

    def named(self, name: str) -> Employee:
        """The one employee with this name (or, failing that, this 工号: clerks mix the two
        columns up); CellError when none or several."""
        found = self.by_name.get(name, [])
        if not found:
            by_number = self.by_number_or_none(name)
            if by_number is not None:
                return by_number
            raise CellError(_("没有名为“{name}”的员工").format(name=name))
        if len(found) > 1:
            raise CellError(
                _("姓名“{name}”对应 {count} 名员工({numbers}),请改填工号").format(
                    name=name, count=len(found), numbers=_codes(found, "number")
                )
            )
        return found[0]

    def numbered(self, number: str) -> Employee:
        """The employee with this 工号 (or, failing that, the one with this name)."""
        found = self.by_number_or_none(number)
        if found is not None:
            return found
        if number in self.by_name:
            return self.named(number)
        raise CellError(_("没有工号为“{number}”的员工").format(number=number))

    def check_name(self, employee: Employee, name: str) -> None:
        """The name typed next to a 工号 must be that employee's."""
        if token(employee.name) != name:
            raise CellError(
                _("工号 {number} 是“{actual}”,与姓名“{name}”不符").format(
                    number=employee.number, actual=employee.name, name=name
                )
            )

    def either(self, value: str) -> Employee:
        """A cell holding a 工号, a name, or both (“张三(GZ001)”, “GZ001 张三”)."""
        found = self.by_number_or_none(value)
        if found is not None:
            return found
        if value in self.by_name:
            return self.named(value)
        match = _NAME_AND_NUMBER.match(value)
        parts = [match["a"], match["b"]] if match else value.split(" ")
        if len(parts) == 2:
            for number, name in (parts, parts[::-1]):
                candidate = self.by_number_or_none(number.strip())
                if candidate is not None:
                    self.check_name(candidate, name.strip())
                    return candidate
        raise CellError(_("没有工号或姓名为“{value}”的员工").format(value=value))


def employee_tokens(value: str) -> list[str]:
    """The strings to load for an employee cell (see EmployeeLookup.either)."""
    tokens = [value]
    match = _NAME_AND_NUMBER.match(value)
    if match:
        tokens += [match["a"].strip(), match["b"].strip()]
    else:
        tokens += [part for part in value.split(" ") if part]
    return tokens


class UnitLookup:
    """Org units of a company the viewer reaches, by code, by name, or by “上级/名称”."""

    def __init__(self, *, viewer: Any, company: Company) -> None:
        units = list(unit_list(viewer=viewer).filter(company=company))
        self.by_id = {unit.pk: unit for unit in units}
        self.by_code: dict[str, OrgUnit] = {unit.code: unit for unit in units}
        self.by_folded_code: dict[str, list[OrgUnit]] = defaultdict(list)
        self.by_name: dict[str, list[OrgUnit]] = defaultdict(list)
        for unit in units:
            self.by_folded_code[unit.code.casefold()].append(unit)
            self.by_name[label_key(unit.name)].append(unit)

    def _names_above(self, unit: OrgUnit) -> list[str]:
        names = []
        parent = self.by_id.get(unit.parent_id) if unit.parent_id else None
        while parent is not None:
            names.append(label_key(parent.name))
            parent = self.by_id.get(parent.parent_id) if parent.parent_id else None
        return names

    def find(self, value: str) -> OrgUnit:
        """The unit a cell names; CellError when none or several fit."""
        if value in self.by_code:
            return self.by_code[value]
        folded = self.by_folded_code.get(value.casefold(), [])
        if len(folded) == 1:
            return folded[0]
        parts = [label_key(p) for p in re.split(r"\s*[/>\\|]\s*", value) if p.strip()]
        if not parts:
            raise CellError(_("请填写单位"))
        candidates = self.by_name.get(parts[-1], [])
        if len(parts) > 1:
            candidates = [u for u in candidates if _in_order(parts[:-1], self._names_above(u))]
        if not candidates:
            raise CellError(_("没有编码或名称为“{value}”的单位").format(value=value))
        if len(candidates) > 1:
            raise CellError(
                _("“{value}”对应多个单位({codes}),请填写单位编码或“上级/名称”").format(
                    value=value, codes=_codes(candidates, "code")
                )
            )
        return candidates[0]


def _in_order(wanted: list[str], above: list[str]) -> bool:
    """`wanted` (outermost first) are names of ancestors, in that order (not necessarily
    adjacent): “御景湾管理处/服务一组” finds the team under that project."""
    remaining = list(reversed(wanted))  # nearest ancestor first, like `above`
    for name in above:
        if remaining and remaining[0] == name:
            remaining.pop(0)
    return not remaining


class PositionLookup:
    """Positions (岗位) of a company the viewer reads, by code or name."""

    def __init__(self, *, viewer: Any, company: Company) -> None:
        visible = (
            Position.objects.all()
            if isinstance(viewer, SystemViewer)
            else position_list(viewer=viewer)
        )
        positions = list(visible.filter(company=company))
        self.by_code = {p.code.casefold(): p for p in positions}
        self.by_name: dict[str, list[Position]] = defaultdict(list)
        for position in positions:
            self.by_name[label_key(position.name)].append(position)

    def find(self, value: str) -> Position:
        found = self.by_code.get(value.casefold())
        if found is not None:
            return found
        named = self.by_name.get(label_key(value), [])
        if len(named) == 1:
            return named[0]
        if named:
            raise CellError(
                _("岗位“{value}”对应多个岗位({codes}),请填写岗位编码").format(
                    value=value, codes=_codes(named, "code")
                )
            )
        raise CellError(_("没有编码或名称为“{value}”的岗位").format(value=value))


class UserLookup:
    """Logins (e.g. inspectors) by user name, or as the member of staff linked to one."""

    def __init__(self, *, company: Company, mentioned: Iterable[str]) -> None:
        names = sorted({m for m in mentioned if m})
        self.by_username: dict[str, User] = {}
        self.by_number: dict[str, Employee] = {}
        self.by_name: dict[str, list[Employee]] = defaultdict(list)
        for part in chunks(names):
            for user in User.objects.filter(username__in=part, is_active=True):
                self.by_username[user.username] = user
            staff = (
                Employee.objects.filter(company=company, user__is_active=True)
                .filter(Q(number__in=part) | Q(name__in=part))
                .select_related("user")
            )
            for employee in staff:
                self.by_number[employee.number] = employee
                if employee not in self.by_name[token(employee.name)]:
                    self.by_name[token(employee.name)].append(employee)

    def find(self, value: str) -> User:
        """The login a cell names; CellError when none, or when a name fits several."""
        user = self.by_username.get(value)
        if user is not None:
            return user
        employee = self.by_number.get(value)
        if employee is None:
            named = self.by_name.get(value, [])
            if len(named) > 1:
                raise CellError(
                    _("姓名“{name}”对应 {count} 名员工({numbers}),请改填工号或用户名").format(
                        name=value, count=len(named), numbers=_codes(named, "number")
                    )
                )
            employee = named[0] if named else None
        if employee is None or employee.user is None:
            raise CellError(
                _("没有用户名、工号或姓名为“{value}”的检查人(须有登录账号)").format(value=value)
            )
        return employee.user
