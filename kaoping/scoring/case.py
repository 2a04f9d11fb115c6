"""Read a scoring case (the JSON of `kaoping score`) into engine inputs, checking its shape.

Only the shape is checked here (types, required keys, duplicates); whether a section, item,
event or rater exists is the policy's business and is checked by the engine.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .errors import InputError
from .inputs import Finding, HistoryEntry, Member, RankingItem, Subject
from .numbers import to_decimal

SUBJECT_KEYS = (
    "id",
    "findings",
    "events",
    "metrics",
    "ratings",
    "survey",
    "values",
    "members",
    "inspections",
    "bonus",
    "adjustment",
    "work_points",
)
_CASE_KEYS = ("policy", "period", "consequences", "subjects", "history", "ranking_items")
_FINDING_KEYS = (
    "section",
    "severity",
    "points",
    "item",
    "mandatory_penalty",
    "supervisor_liable",
)


@dataclass(frozen=True)
class Case:
    """A whole case: which policy, which period, and the subjects to score."""

    policy: str
    period: str
    subjects: tuple[Subject, ...]
    consequences: str | None = None
    history: Mapping[str, tuple[HistoryEntry, ...]] = field(default_factory=dict)
    ranking_items: tuple[RankingItem, ...] | None = None


def parse_case_json(text: str) -> Case:
    """Parse the JSON text of a case; malformed JSON is a `case:` error."""
    try:
        data = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise InputError(f"JSON 格式错误:第 {exc.lineno} 行第 {exc.colno} 列:{exc.msg}") from None
    return parse_case(data)


def parse_case(data: object) -> Case:
    """Check the shape of a decoded case and build its inputs."""
    if not isinstance(data, dict):
        raise InputError("应为 JSON 对象")
    for key in data:
        if key not in _CASE_KEYS:
            raise InputError("未知的键", field=str(key))
    policy = _text(data.get("policy"), None, "policy")
    period = _text(data.get("period"), None, "period")
    consequences = data.get("consequences")
    if consequences is not None:
        consequences = _text(consequences, None, "consequences")
    raw_subjects = data.get("subjects")
    if not isinstance(raw_subjects, list):
        raise InputError("应为列表", field="subjects")
    subjects: list[Subject] = []
    seen: set[str] = set()
    for index, raw in enumerate(raw_subjects):
        subject = _subject(raw, index)
        if subject.id in seen:
            raise InputError(f"主体 id '{subject.id}' 重复", field=f"subjects[{index}].id")
        seen.add(subject.id)
        subjects.append(subject)
    ranking_items = None
    if "ranking_items" in data:
        ranking_items = _ranking_items(data["ranking_items"])
    return Case(
        policy=policy,
        period=period,
        subjects=tuple(subjects),
        consequences=consequences,
        history=_history(data.get("history")),
        ranking_items=ranking_items,
    )


def _text(value: object, subject: str | None, name: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InputError("应为非空字符串", subject=subject, field=name)
    return value.strip()


def _number(value: object, subject: str | None, name: str) -> Decimal:
    try:
        return to_decimal(value)
    except ValueError as exc:
        raise InputError(f"{exc},而不是 {_show(value)}", subject=subject, field=name) from None


def _flag(value: object, subject: str, name: str) -> bool:
    if not isinstance(value, bool):
        raise InputError(f"应为 true 或 false,而不是 {_show(value)}", subject=subject, field=name)
    return value


def _show(value: object) -> str:
    if isinstance(value, Decimal):
        return str(value)
    return json.dumps(value, ensure_ascii=False, default=str)


def _list(value: object, subject: str, name: str) -> list[Any]:
    if not isinstance(value, list):
        raise InputError("应为列表", subject=subject, field=name)
    return value


def _object(value: object, subject: str | None, name: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise InputError("应为 JSON 对象", subject=subject, field=name)
    return value


def _subject(raw: object, index: int) -> Subject:
    where = f"subjects[{index}]"
    data = _object(raw, None, where)
    if "id" not in data:
        raise InputError("缺少必填项 id", field=where)
    sid = _text(data["id"], None, f"{where}.id")
    for key in data:
        if key not in SUBJECT_KEYS:
            raise InputError("未知的键", subject=sid, field=str(key))
    findings = tuple(
        _finding(item, sid, f"findings[{i}]")
        for i, item in enumerate(_list(data.get("findings", []), sid, "findings"))
    )
    events = tuple(
        _event(item, sid, f"events[{i}]")
        for i, item in enumerate(_list(data.get("events", []), sid, "events"))
    )
    metrics = {
        _key(k, sid, "metrics"): _number(v, sid, f"metrics.{k}")
        for k, v in _object(data.get("metrics", {}), sid, "metrics").items()
    }
    ratings: dict[str, dict[str, Decimal]] = {}
    for rater, items in _object(data.get("ratings", {}), sid, "ratings").items():
        ratings[rater] = {
            _key(k, sid, f"ratings.{rater}"): _number(v, sid, f"ratings.{rater}.{k}")
            for k, v in _object(items, sid, f"ratings.{rater}").items()
        }
    survey = tuple(
        _text(level, sid, f"survey[{i}]")
        for i, level in enumerate(_list(data.get("survey", []), sid, "survey"))
    )
    values = {
        _key(k, sid, "values"): _number(v, sid, f"values.{k}")
        for k, v in _object(data.get("values", {}), sid, "values").items()
    }
    members = _members(data.get("members", []), sid)
    inspections = None
    if "inspections" in data:
        count = _number(data["inspections"], sid, "inspections")
        if count < 0 or count != count.to_integral_value():
            raise InputError(f"应为非负整数,而不是 {count}", subject=sid, field="inspections")
        inspections = int(count)
    return Subject(
        id=sid,
        findings=findings,
        events=events,
        metrics=metrics,
        ratings=ratings,
        survey=survey,
        values=values,
        members=members,
        inspections=inspections,
        bonus=_number(data.get("bonus", 0), sid, "bonus"),
        adjustment=_number(data.get("adjustment", 0), sid, "adjustment"),
        work_points=_number(data.get("work_points", 0), sid, "work_points"),
        given=frozenset(k for k in data if k != "id"),
    )


def _key(value: object, subject: str, name: str) -> str:
    if not isinstance(value, str) or not value:
        raise InputError("键应为非空字符串", subject=subject, field=name)
    return value


def _finding(raw: object, sid: str, where: str) -> Finding:
    data = _object(raw, sid, where)
    for key in data:
        if key not in _FINDING_KEYS:
            raise InputError("未知的键", subject=sid, field=f"{where}.{key}")

    def optional_text(name: str) -> str | None:
        value = data.get(name)
        return None if value is None else _text(value, sid, f"{where}.{name}")

    points = data.get("points")
    return Finding(
        section=optional_text("section"),
        points=None if points is None else _number(points, sid, f"{where}.points"),
        severity=optional_text("severity"),
        item=optional_text("item"),
        mandatory_penalty=_flag(
            data.get("mandatory_penalty", False), sid, f"{where}.mandatory_penalty"
        ),
        supervisor_liable=_flag(
            data.get("supervisor_liable", False), sid, f"{where}.supervisor_liable"
        ),
    )


def _event(raw: object, sid: str, where: str) -> str:
    data = _object(raw, sid, where)
    for key in data:
        if key != "type":
            raise InputError("未知的键", subject=sid, field=f"{where}.{key}")
    return _text(data.get("type"), sid, f"{where}.type")


def _members(raw: object, sid: str) -> tuple[Member, ...]:
    members: list[Member] = []
    seen: set[str] = set()
    for i, item in enumerate(_list(raw, sid, "members")):
        where = f"members[{i}]"
        data = _object(item, sid, where)
        for key in data:
            if key not in ("id", "grade", "events", "work_points"):
                raise InputError("未知的键", subject=sid, field=f"{where}.{key}")
        mid = _text(data.get("id"), sid, f"{where}.id")
        if mid in seen:
            raise InputError(f"成员 id '{mid}' 重复", subject=sid, field=f"{where}.id")
        seen.add(mid)
        grade = data.get("grade")
        members.append(
            Member(
                id=mid,
                grade=None if grade is None else _text(grade, sid, f"{where}.grade"),
                events=tuple(
                    _event(e, sid, f"{where}.events[{j}]")
                    for j, e in enumerate(_list(data.get("events", []), sid, f"{where}.events"))
                ),
                work_points=_number(data.get("work_points", 0), sid, f"{where}.work_points"),
            )
        )
    return tuple(members)


def _history(raw: object) -> dict[str, tuple[HistoryEntry, ...]]:
    if raw is None:
        return {}
    data = _object(raw, None, "history")
    history: dict[str, tuple[HistoryEntry, ...]] = {}
    for sid, entries in data.items():
        parsed: list[HistoryEntry] = []
        if not isinstance(entries, list):
            raise InputError("应为列表", field=f"history.{sid}")
        for i, entry in enumerate(entries):
            where = f"history.{sid}[{i}]"
            item = _object(entry, None, where)
            for key in item:
                if key not in ("period", "total", "grade"):
                    raise InputError("未知的键", field=f"{where}.{key}")
            total = item.get("total")
            grade = item.get("grade")
            parsed.append(
                HistoryEntry(
                    period=_text(item.get("period"), None, f"{where}.period"),
                    total=None if total is None else _number(total, None, f"{where}.total"),
                    grade=None if grade is None else _text(grade, None, f"{where}.grade"),
                )
            )
        history[sid] = tuple(parsed)
    return history


def _ranking_items(raw: object) -> tuple[RankingItem, ...]:
    if not isinstance(raw, list):
        raise InputError("应为列表", field="ranking_items")
    items: list[RankingItem] = []
    seen: set[str] = set()
    for i, entry in enumerate(raw):
        where = f"ranking_items[{i}]"
        data = _object(entry, None, where)
        for key in data:
            if key not in ("id", "level", "better"):
                raise InputError("未知的键", field=f"{where}.{key}")
        item_id = _text(data.get("id"), None, f"{where}.id")
        if item_id in seen:
            raise InputError(f"评比项目 '{item_id}' 重复", field=f"{where}.id")
        seen.add(item_id)
        level = _number(data.get("level"), None, f"{where}.level")
        if level != level.to_integral_value():
            raise InputError(f"应为整数,而不是 {level}", field=f"{where}.level")
        better = data.get("better", "higher")
        if better not in ("higher", "lower"):
            raise InputError(
                f"应为 higher 或 lower,而不是 {_show(better)}", field=f"{where}.better"
            )
        items.append(RankingItem(item_id, int(level), better))
    return tuple(items)
