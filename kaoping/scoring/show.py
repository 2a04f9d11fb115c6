"""A policy as a readable table, in the layout of the paper form (考核表)."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from .engine import grade_rule_text
from .numbers import ZERO, plain
from .policy import ACTION_TITLES, RATER_TITLES, SEVERITY_TITLES, Policy, Section

_PERIODS = {"month": "月度", "quarter": "季度", "half": "半年度", "year": "年度"}
_SUBJECTS = {"employee": "员工", "unit": "单位", "team": "小组"}


def text_width(text: str) -> int:
    """Display width in a terminal: CJK characters take two columns."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - text_width(text))


def render_table(rows: Sequence[Sequence[str]]) -> list[str]:
    """Rows as aligned columns; the first row is the header."""
    widths = [max(text_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for index, row in enumerate(rows):
        lines.append("  ".join(_pad(cell, widths[i]) for i, cell in enumerate(row)).rstrip())
        if index == 0:
            lines.append("  ".join("─" * w for w in widths))
    return lines


def _standards(section: Section) -> list[str]:
    lines = []
    for severity, bounds in section.severities.items():
        lines.append(
            f"{SEVERITY_TITLES[severity]} 每次扣 {plain(bounds.low)}–{plain(bounds.high)} 分"
        )
    for item in section.checklist.values():
        lines.append(f"{item.title},一次扣 {plain(item.points)} 分 [{item.id}]")
    for event in section.events.values():
        lines.append(f"{event.title},每次扣 {plain(event.points)} 分 [{event.type}]")
    for rule in section.metric_rules:
        lines.append(f"{rule.title},扣 {plain(rule.points)} 分 [{rule.metric}]")
    if section.method == "ratio":
        lines.insert(0, f"{section.max} × min(1, {section.metric} ÷ {plain(section.target)})")
    for band in section.bands:
        lines.append(band.label())
    for level in section.levels.values():
        lines.append(f"{level.title} {plain(level.points)} 分 [{level.id}]")
    if section.same_item_count:
        lines.append(f"同一条目当月发生 {section.same_item_count} 起以上,该分值全扣")
    if section.method == "deduction":
        lines.append("扣完为止")
    return lines or [section.description or "—"]


def render_policy(policy: Policy) -> str:
    """The whole policy as text: header, sections table, totals, grades, outcomes, notes."""
    scale = ""
    if policy.kind == "scoring":
        cap = "无" if policy.cap is None else plain(policy.cap)
        scale = f"  保留小数:{policy.rounding} 位  总分上限:{cap}"
    out = [
        f"{policy.title}({policy.id} 第 {policy.version} 版)",
        policy.title_en,
        f"考评对象:{_SUBJECTS[policy.subject]}  周期:{_PERIODS[policy.period]}{scale}",
    ]
    if policy.source:
        out.append(f"依据:{policy.source}")
    out = [line for line in out if line]
    if policy.sections:
        rows: list[list[str]] = [["序号", "考核项目", "考核标准", "分值"]]
        for index, section in enumerate(policy.sections, start=1):
            standards = _standards(section)
            title = f"{section.title} [{section.id}]" + (" *" if section.assumed else "")
            rows.append([str(index), title, standards[0], plain(section.max)])
            rows.extend(["", "", line, ""] for line in standards[1:])
        rows.append(["", "合计", "", plain(sum((s.max for s in policy.sections), ZERO))])
        out.append("")
        out.extend(render_table(rows))
    if policy.combination is not None:
        if policy.combination.kind == "weights":
            parts = [
                f"{RATER_TITLES[r]} × {plain(w * 100)}%"
                for r, w in policy.combination.weights.items()
            ]
            out.append("实评 = " + " + ".join(parts) + (" + 奖扣分" if policy.adjustment else ""))
        else:
            out.append(
                "审核链:"
                + " → ".join(RATER_TITLES[r] for r in policy.combination.chain)
                + "(以最后签核人为准)"
            )
    for rule in (policy.bonus, policy.adjustment):
        if rule is not None:
            out.append(f"{rule.title}:{plain(rule.low)} 至 {plain(rule.high)} 分")
    if policy.grades:
        out.append("")
        out.append(
            "等级:"
            + ";".join(
                f"{g.title} {grade_rule_text(g)}" + ("(经理评定)" if g.manual else "")
                for g in policy.grades
            )
        )
    for pay in policy.pay_bands:
        out.append(f"绩效浮动比例 {plain(pay.ratio * 100)}%:{pay.title}")
    for band in policy.action_bands:
        out.append(f"{ACTION_TITLES[band.action]}:{band.title}")
    if policy.not_evaluated is not None:
        out.append(f"不出具考评意见:{policy.not_evaluated.title}")
    if policy.repeat_fail is not None:
        out.append(f"{ACTION_TITLES[policy.repeat_fail.action]}:{policy.repeat_fail.title}")
    if policy.ledger is not None:
        ledger = policy.ledger
        out.append("")
        out.append(f"{ledger.deduction_title}:每扣 1 分 {plain(ledger.point_fine)} 元")
        rows = [["累计扣分", "处理"]]
        for ledger_band in ledger.bands:
            what = ledger_band.title + (" *" if ledger_band.assumed else "")
            rows.append([ledger_band.band.label(), what])
        out.extend(render_table(rows))
        out.append(
            f"公布张贴:扣分达 {plain(ledger.publish_min_points)} 分以上或同一问题发生 "
            f"{ledger.publish_same_item} 次以上"
        )
        share = plain(ledger.supervisor_share * 100)
        out.append(
            f"直属上司连带责任:查实负有管理责任或同一问题一个月内发生 {ledger.liability_same_item} 次以上,"
            f"本人 {plain(100 - ledger.supervisor_share * 100)}%、直属上司 {share}%"
        )
    if policy.members is not None:
        out.append("")
        out.append(
            "成员等级:"
            + ";".join(f"小组 {g} → {'、'.join(s)}" for g, s in policy.members.grade_sets.items())
        )
        for event in policy.members.events.values():
            out.append(f"  {event.title}:扣工作积分 {plain(event.points)} [{event.type}]")
    if policy.notes:
        out.append("")
        out.append("说明:")
        out.extend(f"  {i}. {note}" for i, note in enumerate(policy.notes, start=1))
    if any(s.assumed for s in policy.sections) or (
        policy.ledger and any(b.assumed for b in policy.ledger.bands)
    ):
        out.append("  * 补充规定:原文字迹不清或未作规定,由本办法补充。")
    return "\n".join(out) + "\n"
