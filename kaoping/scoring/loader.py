"""Load a policy document (YAML) into a `Policy`, naming the file, line and path of any defect.

Numbers are read from the document's text straight into `Decimal`, never through float.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, TypeVar, cast

import yaml

from .errors import PolicyError
from .numbers import is_half_multiple
from .policy import (
    ACTIONS,
    RATERS,
    SEVERITIES,
    ActionBand,
    Band,
    ChecklistItem,
    Combination,
    EventRule,
    Grade,
    Ledger,
    LedgerBand,
    MemberRules,
    MetricRule,
    NotEvaluatedRule,
    PayBand,
    PointsRange,
    Policy,
    Ranking,
    RatingBand,
    RepeatFailRule,
    ScoreRange,
    Section,
    SurveyLevel,
)

T = TypeVar("T")
_METHODS = ("deduction", "rating", "ratio", "survey", "points")


class Node:
    """A YAML node with its path and line, so that every error can say where it is."""

    def __init__(self, node: yaml.Node, path: str, source: str):
        self.node = node
        self.path = path
        self.source = source

    @property
    def line(self) -> int:
        return int(self.node.start_mark.line) + 1

    def error(self, message: str) -> PolicyError:
        return PolicyError(message, path=self.path, source=self.source, line=self.line)

    def _child(self, node: yaml.Node, suffix: str) -> Node:
        path = f"{self.path}.{suffix}" if self.path and not suffix.startswith("[") else suffix
        if self.path and suffix.startswith("["):
            path = f"{self.path}{suffix}"
        return Node(node, path, self.source)

    # --- shapes -------------------------------------------------------------------------------
    def mapping(self) -> dict[str, Node]:
        if not isinstance(self.node, yaml.MappingNode):
            raise self.error("应为键值表 (mapping)")
        result: dict[str, Node] = {}
        for key_node, value_node in self.node.value:
            key = str(key_node.value)
            if key in result:
                raise Node(key_node, self.path, self.source).error(f"重复的键 '{key}'")
            result[key] = self._child(value_node, key)
        return result

    def items(self) -> list[Node]:
        if not isinstance(self.node, yaml.SequenceNode):
            raise self.error("应为列表 (list)")
        return [self._child(child, f"[{i}]") for i, child in enumerate(self.node.value)]

    def scalar(self) -> str:
        if not isinstance(self.node, yaml.ScalarNode):
            raise self.error("应为单个值")
        return str(self.node.value)

    def text(self) -> str:
        value = self.scalar()
        if self.node.tag == "tag:yaml.org,2002:null" or value == "":
            raise self.error("不能为空")
        return value

    def decimal(self) -> Decimal:
        value = self.scalar()
        try:
            result = Decimal(value.replace("_", ""))
        except InvalidOperation:
            raise self.error(f"应为数字,而不是 '{value}'") from None
        if not result.is_finite():
            raise self.error("应为有限数字")
        return result

    def integer(self) -> int:
        value = self.decimal()
        if value != value.to_integral_value():
            raise self.error(f"应为整数,而不是 '{self.scalar()}'")
        return int(value)

    def boolean(self) -> bool:
        value = self.scalar().lower()
        if value in ("true", "yes", "on"):
            return True
        if value in ("false", "no", "off"):
            return False
        raise self.error(f"应为 true 或 false,而不是 '{self.scalar()}'")

    def choice(self, allowed: tuple[str, ...]) -> str:
        value = self.text()
        if value not in allowed:
            raise self.error(f"'{value}' 不是可选值之一:{', '.join(allowed)}")
        return value


class Fields:
    """The keys of one mapping: taken one by one, and any key left over is an error."""

    def __init__(self, node: Node):
        self.node = node
        self.values = node.mapping()
        self.used: set[str] = set()

    def get(self, key: str) -> Node | None:
        self.used.add(key)
        return self.values.get(key)

    def need(self, key: str) -> Node:
        found = self.get(key)
        if found is None:
            raise self.node.error(f"缺少必填项 '{key}'")
        return found

    def opt(self, key: str, read: Callable[[Node], T], default: T) -> T:
        found = self.get(key)
        return default if found is None else read(found)

    def list(self, key: str) -> list[Node]:
        found = self.get(key)
        return [] if found is None else found.items()

    def done(self) -> None:
        for key, value in self.values.items():
            if key not in self.used:
                raise value.error(f"未知的键 '{key}'")


def load_policy_file(path: Path | str) -> Policy:
    """Read and validate one policy file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PolicyError(f"无法读取文件:{exc.strerror}", source=str(path)) from None
    except UnicodeDecodeError:
        raise PolicyError("文件不是 UTF-8 编码的文本", source=str(path)) from None
    return load_policy_text(text, source=path.name)


def load_policy_text(text: str, *, source: str = "policy") -> Policy:
    """Validate a policy document given as YAML text; `source` names it in errors."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = int(mark.line) + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise PolicyError(f"YAML 语法错误:{problem}", source=source, line=line) from None
    if root is None:
        raise PolicyError("文件为空", source=source)
    return _policy(Node(root, "", source), source)


def _policy(node: Node, source: str) -> Policy:
    f = Fields(node)
    policy_id = f.need("id").text()
    kind = f.opt("kind", lambda n: n.choice(("scoring", "ledger")), "scoring")
    sections = tuple(_section(n) for n in f.list("sections"))
    _unique([s.id for s in sections], f.list("sections"), "考评项目 id")
    # A grade may be reached by several rules (seed 003: best team → A, total ≥ 92 → A).
    grades = tuple(_grade(n) for n in f.list("grades"))
    cap_node = f.get("cap")
    cap: Decimal | None = Decimal(100)
    if cap_node is not None:
        cap = None if cap_node.scalar() in ("none", "null", "~", "") else cap_node.decimal()
    outcomes = f.get("outcomes")
    pay_bands: tuple[PayBand, ...] = ()
    action_bands: tuple[ActionBand, ...] = ()
    if outcomes is not None:
        of = Fields(outcomes)
        pay_bands = tuple(_pay_band(n) for n in of.list("pay_ratio"))
        action_bands = tuple(_action_band(n) for n in of.list("actions"))
        of.done()
    policy = Policy(
        id=policy_id,
        version=f.opt("version", Node.integer, 1),
        title=f.need("title").text(),
        title_en=f.opt("title_en", Node.text, ""),
        subject=cast(Any, f.need("subject").choice(("employee", "unit", "team"))),
        period=cast(Any, f.need("period").choice(("month", "quarter", "half", "year"))),
        kind=cast(Any, kind),
        source=f.opt("source", Node.text, ""),
        rounding=f.opt("rounding", _rounding, 1),
        cap=cap,
        sections=sections,
        bonus=f.opt("bonus", _score_range, None),
        adjustment=f.opt("adjustment", _score_range, None),
        combination=f.opt("combination", _combination, None),
        grades=grades,
        pay_bands=pay_bands,
        action_bands=action_bands,
        not_evaluated=f.opt("not_evaluated", _not_evaluated, None),
        repeat_fail=f.opt("repeat_fail", _repeat_fail, None),
        ledger=f.opt("ledger", _ledger, None),
        ranking=f.opt("ranking", _ranking, None),
        members=f.opt("members", _members, None),
        notes=tuple(n.text() for n in f.list("notes")),
        source_file=source,
    )
    f.done()
    _check_policy(policy, node, f)
    return policy


def _check_policy(policy: Policy, node: Node, f: Fields) -> None:
    if policy.kind == "ledger" and policy.ledger is None:
        raise node.error("kind: ledger 的办法必须有 'ledger'")
    if policy.kind == "scoring" and policy.ledger is not None:
        raise node.error("只有 kind: ledger 的办法可以有 'ledger'")
    if policy.kind == "scoring" and not policy.sections and policy.ranking is None:
        raise node.error("缺少 'sections'")
    if policy.ranking is not None and policy.subject != "team":
        raise f.need("ranking").error("排名评比只适用于 subject: team")
    if policy.members is not None and policy.ranking is None:
        raise f.need("members").error("'members' 需要同时定义 'ranking'")
    raters = {s.id for s in policy.sections if s.method == "rating"}
    if raters and policy.combination is None:
        raise node.error("有评分 (rating) 项目的办法必须定义 'combination'")
    if policy.repeat_fail is not None and policy.grades:
        ids = {g.id for g in policy.grades}
        if policy.repeat_fail.fail_grade not in ids:
            raise f.need("repeat_fail").error(f"未知的等级 '{policy.repeat_fail.fail_grade}'")
    if policy.members is not None:
        ids = {g.id for g in policy.grades}
        member_rules = f.need("members")
        for team_grade, allowed in policy.members.grade_sets.items():
            if team_grade not in ids:
                raise member_rules.error(f"grade_sets: 未知的小组等级 '{team_grade}'")
            for grade in allowed:
                if grade not in ids:
                    raise member_rules.error(f"grade_sets.{team_grade}: 未知的等级 '{grade}'")


def _unique(ids: list[str], nodes: list[Node], what: str) -> None:
    """Refuse a repeated id, naming the entry that repeats it."""
    seen: set[str] = set()
    for value, node in zip(ids, nodes, strict=True):
        if value in seen:
            raise node._child(node.mapping()["id"].node, "id").error(f"{what} '{value}' 重复")
        seen.add(value)


def _rounding(node: Node) -> int:
    value = node.integer()
    if not 0 <= value <= 4:
        raise node.error("保留小数位数应在 0 到 4 之间")
    return value


def _positive_half(node: Node) -> Decimal:
    value = node.decimal()
    if value <= 0 or not is_half_multiple(value):
        raise node.error(f"分值应为 0.5 的正整数倍,而不是 {node.scalar()}")
    return value


def _points_range(node: Node) -> PointsRange:
    parts = node.items()
    if len(parts) != 2:
        raise node.error("分值区间应为 [下限, 上限]")
    low, high = _positive_half(parts[0]), _positive_half(parts[1])
    if low > high:
        raise node.error(f"区间下限 {parts[0].scalar()} 大于上限 {parts[1].scalar()}")
    return PointsRange(low, high)


def _section(node: Node) -> Section:
    f = Fields(node)
    method = cast(Any, f.need("method").choice(_METHODS))
    max_node = f.need("max")
    max_value = max_node.decimal()
    if max_value <= 0:
        raise max_node.error("满分应大于 0")
    severities: dict[str, PointsRange] = {}
    sev_node = f.get("severities")
    if sev_node is not None:
        for key, value in sev_node.mapping().items():
            if key not in SEVERITIES:
                raise value.error(f"未知的违规程度 '{key}',可选:{', '.join(SEVERITIES)}")
            severities[key] = _points_range(value)
    checklist: dict[str, ChecklistItem] = {}
    for item_node in f.list("checklist"):
        item = _checklist_item(item_node)
        if item.id in checklist:
            raise item_node.error(f"细则条目 id '{item.id}' 重复")
        checklist[item.id] = item
    events: dict[str, EventRule] = {}
    for event_node in f.list("events"):
        event = _event(event_node)
        if event.type in events:
            raise event_node.error(f"事件类型 '{event.type}' 重复")
        events[event.type] = event
    levels: dict[str, SurveyLevel] = {}
    for level_node in f.list("levels"):
        lf = Fields(level_node)
        level = SurveyLevel(
            lf.need("id").text(), lf.need("title").text(), lf.need("points").decimal()
        )
        lf.done()
        levels[level.id] = level
    section = Section(
        id=f.need("id").text(),
        title=f.need("title").text(),
        max=max_value,
        method=method,
        description=f.opt("description", Node.text, ""),
        severities=severities,
        checklist=checklist,
        events=events,
        metric_rules=tuple(_metric_rule(n) for n in f.list("metric_rules")),
        same_item_count=f.opt("same_item_count", Node.integer, None),
        metric=f.opt("metric", Node.text, None),
        target=f.opt("target", Node.decimal, Decimal(1)),
        bands=tuple(_rating_band(n) for n in f.list("bands")),
        levels=levels,
        no_data=cast(Any, f.opt("no_data", lambda n: n.choice(("full", "zero")), "full")),
        allow_negative=f.opt("allow_negative", Node.boolean, False),
        assumed=f.opt("assumed", Node.boolean, False),
        notes=f.opt("notes", Node.text, ""),
    )
    f.done()
    if method == "ratio" and section.metric is None:
        raise node.error("ratio 计分的项目必须指定 'metric'")
    if method == "ratio" and section.target <= 0:
        raise f.need("target").error("目标值应大于 0")
    if method == "survey" and not levels:
        raise node.error("survey 计分的项目必须列出 'levels'")
    if method != "deduction" and (severities or checklist):
        raise node.error("只有 deduction 计分的项目可以有 'severities' 或 'checklist'")
    if method not in ("deduction", "ratio") and (events or section.metric_rules):
        raise node.error("只有 deduction 或 ratio 计分的项目可以有 'events' 或 'metric_rules'")
    if method != "rating" and section.bands:
        raise node.error("只有 rating 计分的项目可以有 'bands'")
    if section.same_item_count is not None and section.same_item_count < 1:
        raise f.need("same_item_count").error("应为正整数")
    return section


def _checklist_item(node: Node) -> ChecklistItem:
    f = Fields(node)
    item = ChecklistItem(
        f.need("id").text(), f.need("title").text(), _positive_half(f.need("points"))
    )
    f.done()
    return item


def _event(node: Node) -> EventRule:
    f = Fields(node)
    event = EventRule(
        f.need("type").text(), f.need("title").text(), _positive_half(f.need("points"))
    )
    f.done()
    return event


def _metric_rule(node: Node) -> MetricRule:
    f = Fields(node)
    rule = MetricRule(
        metric=f.need("metric").text(),
        title=f.need("title").text(),
        points=_positive_half(f.need("points")),
        below=f.opt("below", Node.decimal, None),
        above=f.opt("above", Node.decimal, None),
        required=f.opt("required", Node.boolean, True),
    )
    f.done()
    if (rule.below is None) == (rule.above is None):
        raise node.error("指标规则应有且只有 'below' 或 'above' 之一")
    return rule


def _rating_band(node: Node) -> RatingBand:
    f = Fields(node)
    band = RatingBand(
        id=f.need("id").text(),
        title=f.need("title").text(),
        low=f.need("from").decimal(),
        high=f.need("to").decimal(),
        high_inclusive=f.opt("to_inclusive", Node.boolean, True),
    )
    f.done()
    if band.low > band.high:
        raise node.error("档次下限大于上限")
    return band


def _score_range(node: Node) -> ScoreRange:
    f = Fields(node)
    result = ScoreRange(f.need("title").text(), f.need("min").decimal(), f.need("max").decimal())
    f.done()
    if result.low > result.high:
        raise node.error("下限大于上限")
    return result


def _combination(node: Node) -> Combination:
    f = Fields(node)
    weights_node = f.get("weights")
    chain_node = f.get("chain")
    f.done()
    if (weights_node is None) == (chain_node is None):
        raise node.error("combination 应有且只有 'weights' 或 'chain' 之一")
    if weights_node is not None:
        weights: dict[str, Decimal] = {}
        for rater, value in weights_node.mapping().items():
            if rater not in RATERS:
                raise value.error(f"未知的评分人 '{rater}',可选:{', '.join(RATERS)}")
            weights[rater] = value.decimal()
            if weights[rater] <= 0:
                raise value.error("权重应大于 0")
        if sum(weights.values()) != 1:
            raise weights_node.error("各评分人权重之和应为 1")
        return Combination("weights", weights=weights)
    assert chain_node is not None
    chain = tuple(n.choice(RATERS) for n in chain_node.items())
    if not chain or len(set(chain)) != len(chain):
        raise chain_node.error("审核链应列出不重复的评分人")
    return Combination("chain", chain=chain)


def _grade(node: Node) -> Grade:
    f = Fields(node)
    grade = Grade(
        id=f.need("id").text(),
        title=f.need("title").text(),
        min=f.opt("min", Node.decimal, None),
        below=f.opt("below", Node.decimal, None),
        place=cast(Any, f.opt("place", lambda n: n.choice(("best", "second", "worst")), None)),
        manual=f.opt("manual", Node.boolean, False),
        assumed=f.opt("assumed", Node.boolean, False),
        notes=f.opt("notes", Node.text, ""),
    )
    f.done()
    return grade


def _band(f: Fields) -> Band:
    low = f.opt("from", Node.decimal, Decimal(0))
    high = f.opt("to", Node.decimal, None)
    if high is not None and high <= low:
        raise f.node.error("区间上限应大于下限 (区间为 [from, to))")
    return Band(low, high)


def _pay_band(node: Node) -> PayBand:
    f = Fields(node)
    band = _band(f)
    result = PayBand(band, f.need("ratio").decimal(), f.need("title").text())
    f.done()
    return result


def _action_band(node: Node) -> ActionBand:
    f = Fields(node)
    band = _band(f)
    result = ActionBand(band, f.need("action").choice(ACTIONS), f.need("title").text())
    f.done()
    return result


def _not_evaluated(node: Node) -> NotEvaluatedRule:
    f = Fields(node)
    rule = NotEvaluatedRule(f.need("title").text(), tuple(n.text() for n in f.list("no_events")))
    f.done()
    return rule


def _repeat_fail(node: Node) -> RepeatFailRule:
    f = Fields(node)
    rule = RepeatFailRule(
        action=f.need("action").choice(ACTIONS),
        count=f.need("count").integer(),
        fail_grade=f.need("fail_grade").text(),
        fail_below=f.need("fail_below").decimal(),
        title=f.need("title").text(),
    )
    f.done()
    return rule


def _ledger(node: Node) -> Ledger:
    f = Fields(node)
    bands: list[LedgerBand] = []
    for band_node in f.need("bands").items():
        bf = Fields(band_node)
        band = _band(bf)
        action_node = bf.get("action")
        bands.append(
            LedgerBand(
                band=band,
                title=bf.need("title").text(),
                surcharge=bf.opt("surcharge", Node.decimal, Decimal(0)),
                action=None if action_node is None else action_node.choice(ACTIONS),
                assumed=bf.opt("assumed", Node.boolean, False),
                notes=bf.opt("notes", Node.text, ""),
            )
        )
        bf.done()
    publish = Fields(f.need("publish"))
    liability = Fields(f.need("supervisor_liability"))
    ledger = Ledger(
        point_fine=f.need("point_fine").decimal(),
        bands=tuple(bands),
        publish_min_points=publish.need("min_points").decimal(),
        publish_same_item=publish.need("same_item_count").integer(),
        liability_same_item=liability.need("same_item_count").integer(),
        supervisor_share=liability.need("supervisor_share").decimal(),
        deduction_title=f.need("deduction_title").text(),
    )
    publish.done()
    liability.done()
    f.done()
    if not 0 <= ledger.supervisor_share <= 1:
        raise f.need("supervisor_liability").error("supervisor_share 应在 0 到 1 之间")
    return ledger


def _ranking(node: Node) -> Ranking:
    f = Fields(node)
    levels = tuple(n.integer() for n in f.need("levels").items())
    expected: dict[int, int] = {}
    for key, value in f.need("expected_levels").mapping().items():
        try:
            level = int(key)
        except ValueError:
            raise value.error(f"级别应为整数,而不是 '{key}'") from None
        expected[level] = value.integer()
    ranking = Ranking(levels, f.need("expected_teams").integer(), expected)
    f.done()
    return ranking


def _members(node: Node) -> MemberRules:
    f = Fields(node)
    grade_sets: dict[str, tuple[str, ...]] = {}
    for team_grade, allowed in f.need("grade_sets").mapping().items():
        grade_sets[team_grade] = tuple(n.text() for n in allowed.items())
    events: dict[str, EventRule] = {}
    for event_node in f.need("events").items():
        event = _event(event_node)
        events[event.type] = event
    rules = MemberRules(
        grade_sets=grade_sets,
        events=events,
        zero_at_events=f.need("zero_at_events").integer(),
        zero_grade=f.need("zero_grade").text(),
    )
    f.done()
    return rules
