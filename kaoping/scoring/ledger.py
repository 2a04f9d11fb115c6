"""The penalty ledger (违规处罚, seed 002 4.2): money per point, bands, publication, liability.

The seed's "fine" is modelled as a deduction from floating performance pay (绩效扣减), which is
what the law allows; the policy keeps its own words in the explanation.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from .numbers import ZERO, money, plain
from .policy import ACTION_TITLES, Ledger
from .results import Outcomes


class Penalty(Protocol):
    """What the ledger reads of a finding: its points, item label and liability flag."""

    @property
    def points(self) -> Decimal: ...
    @property
    def item(self) -> str | None: ...
    @property
    def supervisor_liable(self) -> bool: ...


@dataclass(frozen=True, slots=True)
class PenaltyEntry:
    """A finding as the ledger scored on its own reads it."""

    points: Decimal
    item: str | None
    supervisor_liable: bool


def apply_ledger(ledger: Ledger, penalties: Sequence[Penalty], outcomes: Outcomes) -> list[str]:
    """Fill the ledger's outcomes for one subject's month and return the explanation lines.

    Penalty points are the sum of the points recorded on the findings (before any section
    floor); money is point_fine × points; the band of the month's points adds a surcharge or an
    action; findings whose supervisor is liable (flagged, or of an item repeated ≥ N times) have
    their money split between the employee and the direct supervisor.
    """
    total_points = ZERO
    counts: dict[str, int] = {}
    any_flagged = False
    for penalty in penalties:
        total_points += penalty.points
        item = penalty.item
        if item is not None:
            counts[item] = counts.get(item, 0) + 1
        if penalty.supervisor_liable:
            any_flagged = True
    most = max(counts.values()) if counts else 0
    base = ledger.point_fine * total_points
    explain = [
        f"{ledger.deduction_title}:违规扣分合计 {plain(total_points)} 分 × "
        f"{plain(ledger.point_fine)} 元 = {money(base):f} 元"
    ]
    surcharge = ZERO
    actions: list[str] = []
    for band in ledger.bands:
        if not band.band.contains(total_points):
            continue
        if band.surcharge:
            surcharge += band.surcharge
            explain.append(
                f"加罚 {money(band.surcharge):f} 元:{band.title}(累计扣分在 {band.band.label()} 内)"
            )
        if band.action is not None:
            actions.append(band.action)
            assumed = "(办法补充规定)" if band.assumed else ""
            explain.append(
                f"{ACTION_TITLES[band.action]}:{band.title}"
                f"(累计扣分在 {band.band.label()} 内){assumed}"
            )
    if total_points >= ledger.publish_min_points:
        actions.append("publish")
        explain.append(
            f"公布张贴:累计扣分 {plain(total_points)} 分 ≥ {plain(ledger.publish_min_points)} 分"
        )
    if most >= ledger.publish_same_item:
        actions.append("publish")
        for item in sorted(i for i, n in counts.items() if n >= ledger.publish_same_item):
            explain.append(
                f"公布张贴:同一问题 '{item}' 发生 {counts[item]} 次 ≥ {ledger.publish_same_item} 次"
            )
    repeated: set[str] = set()
    if most >= ledger.liability_same_item:
        repeated = {item for item, n in counts.items() if n >= ledger.liability_same_item}
    supervisor_fine = ZERO
    if any_flagged or repeated:
        liable_points = ZERO
        for penalty in penalties:
            if penalty.supervisor_liable or penalty.item in repeated:
                liable_points += penalty.points
        actions.append("supervisor_liability")
        liable_money = ledger.point_fine * liable_points
        supervisor_fine = money(liable_money * ledger.supervisor_share)
        employee_pct = plain((1 - ledger.supervisor_share) * 100)
        supervisor_pct = plain(ledger.supervisor_share * 100)
        reasons = ["经查实直属上司负有管理责任"] if any_flagged else []
        for item in sorted(repeated):
            reasons.append(f"同一问题 '{item}' 一个月内发生 {counts[item]} 次")
        explain.append(
            f"直属上司连带责任({'、'.join(reasons)}):相关扣分 {plain(liable_points)} 分,"
            f"{money(liable_money):f} 元按 {employee_pct}/{supervisor_pct} 分担,"
            f"直属上司承担 {supervisor_fine:f} 元"
        )
    fine = money(base - supervisor_fine + surcharge)
    explain.append(f"本人绩效扣减合计 {fine:f} 元")
    outcomes.penalty_points = total_points
    outcomes.fine = fine
    outcomes.supervisor_fine = supervisor_fine
    outcomes.add_actions(*actions)
    return explain
