"""What the engine returns: a result per subject, with its explanation, and its JSON form."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .numbers import fixed, money, plain
from .policy import ACTIONS

_ACTION_ORDER = {action: index for index, action in enumerate(ACTIONS)}


@dataclass
class MemberResult:
    """A team member's grade and actions (service-group-ranking)."""

    id: str
    grade: str | None
    actions: list[str] = field(default_factory=list)


@dataclass
class Outcomes:
    """Consequences of a result; a field left None is absent from the JSON."""

    pay_ratio: Decimal | None = None
    penalty_points: Decimal | None = None
    fine: Decimal | None = None
    supervisor_fine: Decimal | None = None
    actions: list[str] | None = None
    members: list[MemberResult] | None = None

    def add_actions(self, *actions: str) -> None:
        """Add actions, keeping the list free of repeats and in the canonical order."""
        current = set(self.actions or ())
        current.update(actions)
        self.actions = sorted(current, key=_ACTION_ORDER.__getitem__)

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {}
        if self.pay_ratio is not None:
            data["pay_ratio"] = plain(self.pay_ratio)
        if self.penalty_points is not None:
            data["penalty_points"] = plain(self.penalty_points)
        if self.fine is not None:
            data["fine"] = f"{money(self.fine):f}"
        if self.supervisor_fine is not None:
            data["supervisor_fine"] = f"{money(self.supervisor_fine):f}"
        if self.actions is not None:
            data["actions"] = list(self.actions)
        if self.members is not None:
            data["members"] = [
                {"id": m.id, "grade": m.grade, "actions": list(m.actions)} for m in self.members
            ]
        return data


@dataclass
class Result:
    """One subject's result in one period under one policy version."""

    id: str
    evaluated: bool
    explain: list[str]
    sections: dict[str, Decimal] = field(default_factory=dict)
    total: Decimal | None = None
    grade: str | None = None
    outcomes: Outcomes = field(default_factory=Outcomes)
    scored: bool = True  # False for a ledger scored on its own: no sections, total or grade

    def as_json(self, rounding: int) -> dict[str, Any]:
        """The result in the `kaoping score` contract (POLICIES.md §7)."""
        if not self.evaluated:
            return {"id": self.id, "evaluated": False, "explain": list(self.explain)}
        if not self.scored:
            return {
                "id": self.id,
                "evaluated": True,
                "outcomes": self.outcomes.as_json(),
                "explain": list(self.explain),
            }
        assert self.total is not None
        return {
            "id": self.id,
            "evaluated": True,
            "sections": {key: plain(value) for key, value in self.sections.items()},
            "total": fixed(self.total, rounding),
            "grade": self.grade,
            "outcomes": self.outcomes.as_json(),
            "explain": list(self.explain),
        }
