"""The engine's explanation lines at display time (web/explain.py): as written in zh-Hans, OpenCC
in zh-Hant, the engine's wording in English with the policy's own titles left as written.

Every wording of the engine (engine.py, ledger.py, ranking.py) is checked against real engine
output: the built-in policies' examples, cases made to reach the other wordings, and, for the
wordings no built-in policy can produce, a built-in policy with one section changed."""

from __future__ import annotations

import dataclasses
import json
import re
from decimal import Decimal
from typing import Any

import pytest
from django.utils import translation

from kaoping.scoring import Subject, parse_period, score_subjects
from kaoping.scoring.case import parse_case
from kaoping.scoring.examples import example_texts
from kaoping.scoring.policy import Policy
from kaoping.scoring.registry import builtin_policy
from kaoping.scoring.scorecase import score_case
from kaoping.web.explain import _LINES, LINES, explain_line

CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
# Fields of a policy that hold its authors' words (shown as written in every language).
SKIPPED_FIELDS = {"notes", "source", "description"}


def _policy_texts(value: Any, seen: set[int] | None = None) -> set[str]:
    """Every text a policy holds (titles, labels, ids), its notes left out."""
    seen = seen if seen is not None else set()
    if id(value) in seen:
        return set()
    seen.add(id(value))
    found: set[str] = set()
    if isinstance(value, str):
        return {value}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        for item in dataclasses.fields(value):
            if item.name not in SKIPPED_FIELDS:
                found |= _policy_texts(getattr(value, item.name), seen)
    elif isinstance(value, dict):
        for key, item in value.items():
            found |= _policy_texts(key, seen) | _policy_texts(item, seen)
    elif isinstance(value, (list, tuple, set, frozenset)):
        for item in value:
            found |= _policy_texts(item, seen)
    elif hasattr(value, "items") and callable(value.items):  # a read-only mapping
        for key, item in value.items():
            found |= _policy_texts(key, seen) | _policy_texts(item, seen)
    return found


def _without_policy_words(line: str, policies: list[Policy]) -> str:
    texts = set().union(*(_policy_texts(p) for p in policies))
    for text in sorted(texts, key=len, reverse=True):
        if len(text) > 1:
            line = line.replace(text, "")
    return line


def _case(data: dict[str, Any]) -> list[str]:
    out = score_case(parse_case(data))
    return [line for result in out["results"] for line in result.get("explain", [])]


def _engine(policy: Policy, *subjects: Subject, period: str = "2026-10") -> list[str]:
    results = score_subjects(policy, parse_period(period, policy.period), list(subjects))
    return [line for result in results for line in result.explain]


def _replace_section(policy: Policy, section_id: str, **changes: Any) -> Policy:
    sections = tuple(
        dataclasses.replace(s, **changes) if s.id == section_id else s for s in policy.sections
    )
    return dataclasses.replace(policy, sections=sections)


def _policy(policy_id: str) -> Policy:
    policy = builtin_policy(policy_id)
    assert policy is not None
    return policy


def engine_lines() -> list[tuple[list[Policy], str]]:
    """Real engine output reaching every wording, with the policies whose words it holds."""
    lines: list[tuple[list[Policy], str]] = []
    for policy_id, text in example_texts().items():
        data = json.loads(text)
        policies = [_policy(policy_id)]
        if data.get("consequences"):
            policies.append(_policy(data["consequences"]))
        lines += [(policies, line) for line in _case(data)]
    group = [_policy("cs-group-inspection"), _policy("cs-violation-penalties")]
    many = [{"section": "handover", "severity": "serious", "points": 4}] * 3
    lines += [
        (group, line)
        for line in _case(
            {
                "policy": "cs-group-inspection",
                "period": "2026-10",
                "subjects": [{"id": "E1", "findings": many}, {"id": "E2", "bonus": 5}],
            }
        )
    ]
    ranking = json.loads(example_texts()["service-group-ranking"])
    ranking["ranking_items"] = ranking["ranking_items"][:2]  # fewer items, fewer teams
    kept = {item["id"] for item in ranking["ranking_items"]}
    ranking["subjects"] = [
        {**s, "values": {k: v for k, v in s["values"].items() if k in kept}}
        for s in ranking["subjects"][:3]
    ]
    ranking["subjects"][0]["members"] = [{"id": "G1-01", "work_points": 300}]  # no grade yet
    lines += [([_policy("service-group-ranking")], line) for line in _case(ranking)]
    # Wordings no built-in policy reaches: a built-in policy with one section changed.
    survey = _policy("unit-satisfaction")
    survey_id = next(s.id for s in survey.sections if s.method == "survey")
    zero = _replace_section(survey, survey_id, no_data="zero")
    lines += [([zero], line) for line in _engine(zero, Subject(id="U1", inspections=1))]
    staff = _policy("cs-group-inspection")
    points = _replace_section(staff, "service", method="points")
    lines += [
        ([points], line)
        for line in _engine(
            points,
            Subject(id="P1", work_points=Decimal(-5)),
            Subject(id="P2", work_points=Decimal(12)),
        )
    ]
    low = dataclasses.replace(staff, cap=Decimal(50))
    lines += [([low], line) for line in _engine(low, Subject(id="C1"))]
    negative = _replace_section(points, "service", method="points", allow_negative=True)
    negative = dataclasses.replace(
        negative, sections=tuple(s for s in negative.sections if s.id == "service")
    )
    lines += [
        ([negative], line) for line in _engine(negative, Subject(id="N1", work_points=Decimal(-5)))
    ]
    chain = _policy("cs-staff-monthly")
    chained = _replace_section(chain, "keys", method="rating")
    lines += [
        ([chained], line)
        for line in _engine(
            chained,
            Subject(
                id="K1",
                ratings={"supervisor": {"keys": Decimal(5)}, "indirect": {"keys": Decimal(4)}},
                given=frozenset({"ratings"}),
            ),
        )
    ]
    return lines


@pytest.fixture(scope="module")
def produced() -> list[tuple[list[Policy], str]]:
    return engine_lines()


def test_every_wording_of_the_engine_is_reached_by_real_output(
    produced: list[tuple[list[Policy], str]],
) -> None:
    reached = set()
    for _policies, line in produced:
        for phrase, regex in _LINES:
            if regex.match(line):
                reached.add(phrase.msgid)
                break
    assert {phrase.msgid for phrase in LINES} - reached == set()


def test_in_english_no_fixed_chinese_wording_is_left(
    produced: list[tuple[list[Policy], str]],
) -> None:
    left = []
    with translation.override("en"):
        for policies, line in produced:
            english = explain_line(line)
            rest = _without_policy_words(english, policies)
            if CJK.search(rest):
                left.append((line, english))
    assert left == []


def test_english_keeps_the_policys_titles_and_the_numbers() -> None:
    with translation.override("en"):
        assert explain_line("服务质量 扣分合计 12 分,扣完为止,按 0 分计") == (
            "服务质量: deductions total 12 points, more than the item holds; counted as 0"
        )
        assert explain_line("总分 87.5") == "Total 87.5"
        assert explain_line("等级:良好(≥80)") == "Grade: 良好 (≥80)"
        assert explain_line(
            "钥匙管理 审核链:计算得分 5 → 直接上级评 5 → 间接上级评 4(以最后签核人为准)"
        ) == (
            "钥匙管理 review chain: computed 5 → Direct supervisor's rating 5 → "
            "Indirect supervisor's rating 4 (the last to sign off stands)"
        )
        assert explain_line("交接班质量 −3:严重违规(2–4分) handover_log") == (
            "交接班质量 −3: Serious violation (2–4 points) handover_log"
        )
        # A title holding the list separator stays as written.
        assert explain_line(
            "档案资料 该分值全扣:同一条目“资料未按时存档、装订不规范”当月发生 3 起(≥3 起)"
        ) == (
            "档案资料: all of this item's points lost: the same item “资料未按时存档、装订不规范” "
            "occurred 3 times this month (≥3)"
        )
        assert explain_line("嘉奖加分 +5") == "嘉奖加分 +5"  # the policy's title and a number
        assert explain_line("不是引擎的说明") == "不是引擎的说明"  # unknown: as written


def test_zh_hans_as_written_and_zh_hant_converted_whole() -> None:
    line = "钥匙管理 审核链:计算得分 5 → 直接上级评 5 → 间接上级评 4(以最后签核人为准)"
    with translation.override("zh-hans"):
        assert explain_line(line) == line
    with translation.override("zh-hant"):
        assert explain_line(line) == (
            "鑰匙管理 審覈鏈:計算得分 5 → 直接上級評 5 → 間接上級評 4(以最後籤核人爲準)"
        )
    assert explain_line(line, "en").startswith("钥匙管理 review chain")


def test_english_asked_for_while_chinese_is_active_is_english() -> None:
    line = "钥匙管理 审核链:计算得分 5 → 直接上级评 5 → 间接上级评 4(以最后签核人为准)"
    with translation.override("zh-hans"):
        english = explain_line(line, "en")
    assert "直接上级评" not in english
    with translation.override("en"):
        assert explain_line(line) == english
