"""Appraisal periods: a month (2026-10), quarter (2026-Q4), half-year (2026-H2) or year (2026)."""

from __future__ import annotations

import re
from dataclasses import dataclass

_FORMS = {
    "month": re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$"),
    "quarter": re.compile(r"^(\d{4})-Q([1-4])$"),
    "half": re.compile(r"^(\d{4})-H([12])$"),
    "year": re.compile(r"^(\d{4})$"),
}
_EXAMPLES = {"month": "2026-10", "quarter": "2026-Q4", "half": "2026-H2", "year": "2026"}
_PER_YEAR = {"month": 12, "quarter": 4, "half": 2, "year": 1}
_PREFIX = {"month": "", "quarter": "Q", "half": "H", "year": ""}


@dataclass(frozen=True, order=True, slots=True)
class Period:
    """One period of a kind; `index` counts from 1 inside the year (the year itself is 1)."""

    year: int
    index: int
    kind: str

    def __str__(self) -> str:
        if self.kind == "year":
            return f"{self.year:04d}"
        if self.kind == "month":
            return f"{self.year:04d}-{self.index:02d}"
        return f"{self.year:04d}-{_PREFIX[self.kind]}{self.index}"

    def previous(self) -> Period:
        if self.index > 1:
            return Period(self.year, self.index - 1, self.kind)
        return Period(self.year - 1, _PER_YEAR[self.kind], self.kind)


def parse_period(text: str, kind: str) -> Period:
    """Parse `text` as a period of `kind`; ValueError names the expected form."""
    for candidate, pattern in _FORMS.items():
        match = pattern.match(text)
        if match is None:
            continue
        if candidate != kind:
            raise ValueError(
                f"'{text}' 是{_TITLES[candidate]},本办法按{_TITLES[kind]}考评(如 {_EXAMPLES[kind]})"
            )
        index = int(match.group(2)) if candidate != "year" else 1
        return Period(int(match.group(1)), index, kind)
    raise ValueError(f"'{text}' 不是有效的考评期间,应如 {_EXAMPLES[kind]}")


def parse_any_period(text: str) -> Period:
    """Parse a period of whatever kind its form says."""
    for kind, pattern in _FORMS.items():
        if pattern.match(text):
            return parse_period(text, kind)
    raise ValueError(f"'{text}' 不是有效的考评期间,应如 2026-10、2026-Q4、2026-H2 或 2026")


_TITLES = {"month": "月度", "quarter": "季度", "half": "半年度", "year": "年度"}
