"""The policy model (考评办法): typed, immutable objects that a policy document loads into.

A policy is data, not code: the quality department writes it (YAML), `lint` checks it and the
engine reads it. Nothing here computes a score; `engine` does.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

SubjectKind = Literal["employee", "unit", "team"]
PeriodKind = Literal["month", "quarter", "half", "year"]
Method = Literal["deduction", "rating", "ratio", "survey", "points"]

SEVERITIES: tuple[str, ...] = ("general", "serious", "consequence")
SEVERITY_TITLES: Mapping[str, str] = {
    "general": "一般违规",
    "serious": "严重违规",
    "consequence": "引起不良后果",
}
RATERS: tuple[str, ...] = ("self", "supervisor", "indirect", "manager")
RATER_TITLES: Mapping[str, str] = {
    "self": "自评",
    "supervisor": "直接上级评",
    "indirect": "间接上级评",
    "manager": "经理评",
}
# The order in which actions are listed in a result, whatever produced them.
ACTIONS: tuple[str, ...] = (
    "publish",
    "administrative_sanction",
    "dismissal",
    "supervisor_liability",
    "reassign_or_dismiss",
    "serious_warning",
    "probation",
    "no_annual_award",
)
ACTION_TITLES: Mapping[str, str] = {
    "publish": "公布张贴",
    "administrative_sanction": "行政处分(警告/罚款/记过)",
    "dismissal": "开除处理",
    "supervisor_liability": "直属上司连带责任",
    "reassign_or_dismiss": "调岗或开除",
    "serious_warning": "严重警告",
    "probation": "改为试用期三个月",
    "no_annual_award": "取消年终评先资格",
}


@dataclass(frozen=True, slots=True)
class PointsRange:
    """An inclusive range of points per finding for one severity (e.g. 严重违规 3–5 分)."""

    low: Decimal
    high: Decimal

    def contains(self, points: Decimal) -> bool:
        return self.low <= points <= self.high


@dataclass(frozen=True, slots=True)
class ChecklistItem:
    """A 细则条目: an item with a fixed deduction per occurrence."""

    id: str
    title: str
    points: Decimal


@dataclass(frozen=True, slots=True)
class EventRule:
    """A counted event type with a fixed deduction each (e.g. 有效投诉 −6)."""

    type: str
    title: str
    points: Decimal


@dataclass(frozen=True, slots=True)
class MetricRule:
    """Deduct fixed points when a metric is below (or above) a threshold."""

    metric: str
    title: str
    points: Decimal
    below: Decimal | None = None
    above: Decimal | None = None
    required: bool = True

    def triggered(self, value: Decimal) -> bool:
        if self.below is not None and value < self.below:
            return True
        return self.above is not None and value > self.above


@dataclass(frozen=True, slots=True)
class RatingBand:
    """A rating band of an item, e.g. 合格 [5, 6] or 部分合格 [1, 5)."""

    id: str
    title: str
    low: Decimal
    high: Decimal
    high_inclusive: bool

    def contains(self, value: Decimal) -> bool:
        if value < self.low:
            return False
        return value <= self.high if self.high_inclusive else value < self.high

    def label(self) -> str:
        close = "]" if self.high_inclusive else ")"
        return f"{self.title}[{_n(self.low)}, {_n(self.high)}{close}"


@dataclass(frozen=True, slots=True)
class SurveyLevel:
    """A response level of a satisfaction survey and its points (很满意 20 …)."""

    id: str
    title: str
    points: Decimal


@dataclass(frozen=True)
class Section:
    """One scored part of a policy (考评项目) with its maximum and method."""

    id: str
    title: str
    max: Decimal
    method: Method
    description: str = ""
    severities: Mapping[str, PointsRange] = field(default_factory=dict)
    checklist: Mapping[str, ChecklistItem] = field(default_factory=dict)
    events: Mapping[str, EventRule] = field(default_factory=dict)
    metric_rules: tuple[MetricRule, ...] = ()
    same_item_count: int | None = None
    metric: str | None = None
    target: Decimal = Decimal(1)
    bands: tuple[RatingBand, ...] = ()
    levels: Mapping[str, SurveyLevel] = field(default_factory=dict)
    no_data: Literal["full", "zero"] = "full"
    allow_negative: bool = False
    assumed: bool = False
    notes: str = ""

    @property
    def takes_findings(self) -> bool:
        return self.method == "deduction" and bool(self.severities or self.checklist)


@dataclass(frozen=True, slots=True)
class ScoreRange:
    """The allowed range of a bonus (嘉奖加分) or an adjustment (奖扣分)."""

    title: str
    low: Decimal
    high: Decimal


@dataclass(frozen=True, slots=True)
class Combination:
    """How raters combine: weights (自评×30% + 上级评×70%) or a review chain (last one stands)."""

    kind: Literal["weights", "chain"]
    weights: Mapping[str, Decimal] = field(default_factory=dict)
    chain: tuple[str, ...] = ()

    @property
    def raters(self) -> tuple[str, ...]:
        return tuple(self.weights) if self.kind == "weights" else self.chain


Place = Literal["best", "second", "worst"]


@dataclass(frozen=True, slots=True)
class Grade:
    """A grade band; every condition given must hold. Grades are tried in order."""

    id: str
    title: str
    min: Decimal | None = None
    below: Decimal | None = None
    place: Place | None = None
    manual: bool = False
    assumed: bool = False
    notes: str = ""

    @property
    def unconditional(self) -> bool:
        return self.min is None and self.below is None and self.place is None

    def matches(self, total: Decimal, places: frozenset[str]) -> bool:
        if self.manual:
            return False
        if self.min is not None and total < self.min:
            return False
        if self.below is not None and total >= self.below:
            return False
        return self.place is None or self.place in places


@dataclass(frozen=True, slots=True)
class Band:
    """A half-open interval [low, high) of a total or of penalty points (high None: ∞)."""

    low: Decimal
    high: Decimal | None

    def contains(self, value: Decimal) -> bool:
        return value >= self.low and (self.high is None or value < self.high)

    def label(self) -> str:
        high = "∞" if self.high is None else _n(self.high)
        return f"[{_n(self.low)}, {high})"


@dataclass(frozen=True, slots=True)
class PayBand:
    """Floating-pay ratio for totals in a band (绩效浮动比例)."""

    band: Band
    ratio: Decimal
    title: str


@dataclass(frozen=True, slots=True)
class ActionBand:
    """An action for totals in a band (e.g. < 80 → 调岗或开除)."""

    band: Band
    action: str
    title: str


@dataclass(frozen=True, slots=True)
class NotEvaluatedRule:
    """No result for a subject with nothing to judge (seed 004 第六条5)."""

    title: str
    no_events: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RepeatFailRule:
    """`action` when a result fails and is at least the `count`-th fail of its calendar year."""

    action: str
    count: int
    fail_grade: str
    fail_below: Decimal
    title: str


@dataclass(frozen=True, slots=True)
class LedgerBand:
    """A band of monthly penalty points with its surcharge and/or action (seed 002 4.2)."""

    band: Band
    title: str
    surcharge: Decimal = Decimal(0)
    action: str | None = None
    assumed: bool = False
    notes: str = ""


@dataclass(frozen=True)
class Ledger:
    """The penalty ledger (违规处罚): money per point, bands, publication and liability."""

    point_fine: Decimal
    bands: tuple[LedgerBand, ...]
    publish_min_points: Decimal
    publish_same_item: int
    liability_same_item: int
    supervisor_share: Decimal
    deduction_title: str


@dataclass(frozen=True)
class Ranking:
    """Team ranking (服务小组评比): allowed levels and the month the thresholds assume."""

    levels: tuple[int, ...]
    expected_teams: int
    expected_levels: Mapping[int, int]


@dataclass(frozen=True)
class MemberRules:
    """How team members are graded: sets allowed by the team grade, work-point penalties."""

    grade_sets: Mapping[str, tuple[str, ...]]
    events: Mapping[str, EventRule]
    zero_at_events: int
    zero_grade: str


@dataclass(frozen=True)
class Policy:
    """A whole policy (考评办法) in one version."""

    id: str
    version: int
    title: str
    subject: SubjectKind
    period: PeriodKind
    kind: Literal["scoring", "ledger"] = "scoring"
    title_en: str = ""
    source: str = ""
    rounding: int = 1
    cap: Decimal | None = Decimal(100)
    sections: tuple[Section, ...] = ()
    bonus: ScoreRange | None = None
    adjustment: ScoreRange | None = None
    combination: Combination | None = None
    grades: tuple[Grade, ...] = ()
    pay_bands: tuple[PayBand, ...] = ()
    action_bands: tuple[ActionBand, ...] = ()
    not_evaluated: NotEvaluatedRule | None = None
    repeat_fail: RepeatFailRule | None = None
    ledger: Ledger | None = None
    ranking: Ranking | None = None
    members: MemberRules | None = None
    notes: tuple[str, ...] = ()
    source_file: str = ""

    def section(self, section_id: str) -> Section | None:
        for section in self.sections:
            if section.id == section_id:
                return section
        return None

    def item_title(self, section_id: str, item: str | None) -> str:
        """A finding's checklist item (细则条目) as this policy names it, else as recorded."""
        if not item:
            return ""
        section = self.section(section_id)
        entry = section.checklist.get(item) if section is not None else None
        return entry.title if entry is not None else item

    def grade_place(self, grade: str | None) -> tuple[int, str]:
        """A grade's place in this policy's order and its title (优秀 for `excellent`);
        a grade the policy does not name comes last, as written; no grade is ""."""
        if not grade:
            return -1, ""
        for place, option in enumerate(self.grades):
            if option.id == grade:
                return place, option.title
        return len(self.grades), grade

    @property
    def event_sections(self) -> Mapping[str, Section]:
        """Which section each event type deducts from."""
        return {etype: s for s in self.sections for etype in s.events}

    @property
    def metrics(self) -> frozenset[str]:
        names = {s.metric for s in self.sections if s.metric}
        names.update(rule.metric for s in self.sections for rule in s.metric_rules)
        return frozenset(names)


def _n(value: Decimal) -> str:
    if value == value.to_integral_value():
        return str(int(value))
    return f"{value.normalize():f}"
