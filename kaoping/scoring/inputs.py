"""What the engine scores: subjects with their findings, events, metrics, ratings and more.

These are plain immutable values. `case.py` reads them from the JSON of `kaoping score`; the
Django side builds them from its records (appraisals/facts.py). The engine validates them
against the policy.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class Finding:
    """A recorded violation (违规) against a subject; `points` None takes the rule's default."""

    section: str | None
    points: Decimal | None = None
    severity: str | None = None
    item: str | None = None
    mandatory_penalty: bool = False
    supervisor_liable: bool = False


@dataclass(frozen=True, slots=True)
class Member:
    """A member of a team subject (服务小组成员)."""

    id: str
    grade: str | None = None
    events: tuple[str, ...] = ()
    work_points: Decimal = ZERO


@dataclass(frozen=True)
class Subject:
    """One subject (an employee, a unit or a team) in one period, with everything it is judged on.

    `given` names the keys the caller actually supplied, so that a policy can refuse the keys it
    does not use.
    """

    id: str
    findings: tuple[Finding, ...] = ()
    events: tuple[str, ...] = ()
    metrics: Mapping[str, Decimal] = field(default_factory=dict)
    ratings: Mapping[str, Mapping[str, Decimal]] = field(default_factory=dict)
    survey: tuple[str, ...] = ()
    values: Mapping[str, Decimal] = field(default_factory=dict)
    members: tuple[Member, ...] = ()
    inspections: int | None = None
    bonus: Decimal = ZERO
    adjustment: Decimal = ZERO
    work_points: Decimal = ZERO
    given: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """An earlier result of a subject, for rules across periods."""

    period: str
    total: Decimal | None = None
    grade: str | None = None


@dataclass(frozen=True, slots=True)
class RankingItem:
    """One of the month's ranking items (评比项目) with its level (评分级别)."""

    id: str
    level: int
    better: Literal["higher", "lower"] = "higher"
