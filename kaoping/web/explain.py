"""The engine's explanation lines in the reader's language, at display time.

The scoring engine (kaoping/scoring: engine.py, ledger.py, ranking.py) writes its explanation in
zh-Hans ("总分 87.5", "服务质量 扣分合计 12 分,扣完为止,按 0 分计"), and results keep it so
(Result.data, frozen at close). Pages show each line through the `explain_line` filter:

- zh-Hans: the line as written;
- zh-Hant: the whole line converted with OpenCC (s2t), like the zh_Hant catalogue;
- English: the line is matched against the engine's own f-strings (`LINES`, each a gettext
  msgid with its placeholders); the fixed words become their English, and what the policy
  wrote (section, rule and grade titles, item codes) and the numbers stay as they are. A line
  no pattern knows is shown as written.

Each English text comes from the catalogue (msgid = the engine's zh-Hans wording); until a
translator has written it there, the English given here is used.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from django.utils import translation
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_noop as N_

from kaoping.scoring.policy import ACTION_TITLES, RATER_TITLES, SEVERITY_TITLES

# Placeholders holding a number as the engine writes it (plain(), money, "−4", "+5", "-70").
_NUMBER = r"[-+−]?\d+(?:\.\d+)?"
NUMERIC = frozenset(
    {
        "score",
        "max",
        "points",
        "amount",
        "count",
        "value",
        "total",
        "cap",
        "cap2",
        "places",
        "rounded",
        "actual",
        "target",
        "share",
        "ratio",
        "rank",
        "rank2",
        "n",
        "n2",
        "level",
        "rate",
        "min",
        "low",
        "high",
        "limit",
        "expected",
        "employee",
        "supervisor",
        "penalty",
        "left",
        "mean",
    }
)
# Placeholders holding one of the engine's own titles: translated through their msgids (the
# catalogue already carries them: the pages show the same titles elsewhere).
VOCABULARY: Mapping[str, Mapping[str, str]] = {
    "action": ACTION_TITLES,
    "rater": RATER_TITLES,
    "severity": SEVERITY_TITLES,
}
# The engine's titles as msgids, so that the catalogue keeps them (they are the same msgids as
# the pages' labels of actions, raters and severities).
_TITLE_MSGIDS = (
    N_("公布张贴"),
    N_("行政处分(警告/罚款/记过)"),
    N_("开除处理"),
    N_("直属上司连带责任"),
    N_("调岗或开除"),
    N_("严重警告"),
    N_("改为试用期三个月"),
    N_("取消年终评先资格"),
    N_("自评"),
    N_("直接上级评"),
    N_("间接上级评"),
    N_("经理评"),
    N_("一般违规"),
    N_("严重违规"),
    N_("引起不良后果"),
)


@dataclass(frozen=True)
class Phrase:
    """One of the engine's wordings: the msgid (its f-string with named placeholders) and the
    English used until the catalogue has one."""

    msgid: str
    english: str

    @property
    def literal_length(self) -> int:
        """How much fixed text the wording has: the most specific wordings are tried first."""
        return len(re.sub(r"\{[a-z0-9_]+\}", "", self.msgid))


# Every explanation line the engine writes (engine.py, ledger.py, ranking.py). The bonus and
# adjustment lines ("{title} +5") are the policy's own title and a number: nothing to translate.
LINES: tuple[Phrase, ...] = (
    # engine.py: sections
    Phrase(N_("{section}:{score}/{max}"), "{section}: {score}/{max}"),
    Phrase(N_("{section}:{score}"), "{section}: {score}"),
    Phrase(N_("不出具考评意见:{title}"), "No appraisal opinion given: {title}"),
    Phrase(
        N_("{section} 积分 {score} 为负,按 0 计"),
        "{section}: work points {score} are negative, counted as 0",
    ),
    Phrase(
        N_("{section} −{amount}:{title} {count} 次 × {points} 分"),
        "{section} −{amount}: {title}, {count} times × {points} points",
    ),
    Phrase(
        N_("{section} −{points}:{title}(实际 {value})"),
        "{section} −{points}: {title} (actual {value})",
    ),
    Phrase(N_("{section} −{points}:{label}"), "{section} −{points}: {label}"),
    Phrase(
        N_("{section} 该分值全扣:{reason}"),
        "{section}: all of this item's points lost: {reason}",
    ),
    Phrase(
        N_("{section} 扣分合计 {points} 分,扣完为止,按 0 分计"),
        "{section}: deductions total {points} points, more than the item holds; counted as 0",
    ),
    Phrase(
        N_("{section} 审核链:{steps}(以最后签核人为准)"),
        "{section} review chain: {steps} (the last to sign off stands)",
    ),
    Phrase(N_("{section}:{parts} = {score}"), "{section}: {parts} = {score}"),
    Phrase(
        N_("{section}:{steps}(以最后签核人为准)= {score}"),
        "{section}: {steps} (the last to sign off stands) = {score}",
    ),
    Phrase(
        N_("{section}:完成率 {actual} / 目标 {target},得 {max} × {share} = {score}"),
        "{section}: completion {actual} / target {target}, scores {max} × {share} = {score}",
    ),
    Phrase(
        N_("{section}:无调查问卷,按满分计"),
        "{section}: no survey responses, full points",
    ),
    Phrase(N_("{section}:无调查问卷,按0 分计"), "{section}: no survey responses, 0 points"),
    Phrase(
        N_("{section}:{count} 份问卷({detail}),平均 {mean} 分"),
        "{section}: {count} survey responses ({detail}), average {mean} points",
    ),
    # engine.py: total, grade, outcomes
    Phrase(N_("总分 {total} 低于 0,按 0 计"), "Total {total} is below 0, counted as 0"),
    Phrase(
        N_("总分 {total} 超过上限 {cap},按 {cap2} 计"),
        "Total {total} is above the cap of {cap}, counted as {cap2}",
    ),
    Phrase(
        N_("总分 {total} 保留 {places} 位小数(四舍五入)为 {rounded}"),
        "Total {total} rounded half-up to {places} decimal places: {rounded}",
    ),
    Phrase(N_("总分 {total}"), "Total {total}"),
    Phrase(N_("等级:{grade}({rule})"), "Grade: {grade} ({rule})"),
    Phrase(
        N_("绩效浮动比例 {ratio}%:{title}(总分在 {band} 内)"),
        "Floating pay {ratio}%: {title} (total in {band})",
    ),
    Phrase(N_("{action}:{title}(总分在 {band} 内)"), "{action}: {title} (total in {band})"),
    Phrase(
        N_("{action}:{title}(本年度第 {count} 次不合格)"),
        "{action}: {title} (failed {count} times this year)",
    ),
    # ledger.py
    Phrase(
        N_("{title}:违规扣分合计 {points} 分 × {rate} 元 = {amount} 元"),
        "{title}: penalty points {points} × {rate} yuan = {amount} yuan",
    ),
    Phrase(
        N_("加罚 {amount} 元:{title}(累计扣分在 {band} 内)"),
        "Surcharge of {amount} yuan: {title} (month's penalty points in {band})",
    ),
    Phrase(
        N_("{action}:{title}(累计扣分在 {band} 内)"),
        "{action}: {title} (month's penalty points in {band})",
    ),
    Phrase(
        N_("{action}:{title}(累计扣分在 {band} 内)(办法补充规定)"),
        "{action}: {title} (month's penalty points in {band}) (the policy's own rule)",
    ),
    Phrase(
        N_("公布张贴:累计扣分 {points} 分 ≥ {min} 分"),
        "Posted on the notice board: {points} penalty points this month ≥ {min} points",
    ),
    Phrase(
        N_("公布张贴:同一问题 '{item}' 发生 {count} 次 ≥ {min} 次"),
        "Posted on the notice board: the same problem '{item}' occurred {count} times "
        "≥ {min} times",
    ),
    Phrase(
        N_(
            "直属上司连带责任({reasons}):相关扣分 {points} 分,{amount} 元按 "
            "{employee}/{supervisor} 分担,直属上司承担 {share} 元"
        ),
        "Direct supervisor jointly liable ({reasons}): {points} points concerned, {amount} "
        "yuan shared {employee}/{supervisor}, the direct supervisor bears {share} yuan",
    ),
    Phrase(
        N_("本人绩效扣减合计 {amount} 元"),
        "Own performance-pay deduction in total: {amount} yuan",
    ),
    # ranking.py
    Phrase(
        N_("提示:本月评比项目为 {have},等级分数线按 {want} 设定"),
        "Note: this month's ranking items are {have}; the grade thresholds assume {want}",
    ),
    Phrase(
        N_("提示:本月 {count} 个小组参评,等级分数线按 {expected} 个小组设定"),
        "Note: {count} teams ranked this month; the grade thresholds assume {expected} teams",
    ),
    Phrase(
        N_(
            "{item}:数值 {value},第 {rank} 名 / {n},{level} 级 × ({n2} − {rank2} + 1) = {points} 分"
        ),
        "{item}: value {value}, rank {rank} / {n}, level {level} × ({n2} − {rank2} + 1) = "
        "{points} points",
    ),
    Phrase(N_("总分 {total}(第 {rank} 名)"), "Total {total} (rank {rank})"),
    Phrase(N_("小组等级:{grade}({rule})"), "Team grade: {grade} ({rule})"),
    Phrase(
        N_("小组等级:{grade}({rule})(办法补充规定)"),
        "Team grade: {grade} ({rule}) (the policy's own rule)",
    ),
    Phrase(
        N_("成员 {member}:{title},扣除工作积分 {points}"),
        "Member {member}: {title}, {points} work points deducted",
    ),
    Phrase(
        N_("成员 {member}:工作积分 {points} − {penalty} = {left}"),
        "Member {member}: work points {points} − {penalty} = {left}",
    ),
    Phrase(
        N_(
            "成员 {member}:一个月内扣分处罚 {count} 次(≥{limit} 次),当月绩效为 0,等级 {grade},{action}"
        ),
        "Member {member}: penalised {count} times in a month (≥{limit}), the month's "
        "performance is 0, grade {grade}, {action}",
    ),
    Phrase(
        N_("成员 {member}:连续两个月绩效为 0,{action}"),
        "Member {member}: performance 0 two months in a row, {action}",
    ),
    Phrase(
        N_("成员 {member}:待主管在 {allowed} 中评定等级"),
        "Member {member}: the supervisor still has to choose a grade among {allowed}",
    ),
)

# Parts of a line made of several engine wordings ("自评 5(合格) × 0.3 + 直接上级评 4(合格) × 0.7"),
# by placeholder: the wordings found inside, translated one by one; the rest stays as written.
FRAGMENTS: Mapping[str, tuple[Phrase, ...]] = {
    "label": (
        Phrase(N_("{severity}({low}–{high}分)"), "{severity} ({low}–{high} points)"),
        Phrase(N_(" [必须惩处]"), " [must be penalised]"),
    ),
    "steps": (Phrase(N_("计算得分 {score}"), "computed {score}"), Phrase("{rater}", "{rater}")),
    "parts": (Phrase("{rater}", "{rater}"),),
    "rule": (
        Phrase(N_("当月最佳"), "best of the month"),
        Phrase(N_("当月第二名"), "second of the month"),
        Phrase(N_("当月最差"), "worst of the month"),
        Phrase(N_("其余"), "all others"),
        Phrase(",", ", "),
    ),
    "reason": (
        Phrase(
            N_("触犯《行政奖罚标准操作规程》必须惩处的情形"),
            "a case the administrative rewards and penalties procedure says must be penalised",
        ),
        Phrase(
            N_("同一条目“{title}”当月发生 {count} 起(≥{limit} 起)"),
            "the same item “{title}” occurred {count} times this month (≥{limit})",
        ),
    ),
    "reasons": (
        Phrase(
            N_("经查实直属上司负有管理责任"),
            "the direct supervisor was found to bear management responsibility",
        ),
        Phrase(
            N_("同一问题 '{item}' 一个月内发生 {count} 次"),
            "the same problem '{item}' occurred {count} times in a month",
        ),
        Phrase("、", "; "),
    ),
    "have": (
        Phrase(N_("{count} 项 {level} 级"), "{count} items of level {level}"),
        Phrase("、", ", "),
    ),
    "want": (
        Phrase(N_("{count} 项 {level} 级"), "{count} items of level {level}"),
        Phrase("、", ", "),
    ),
}
# A composite placeholder that is only this word ("本月评比项目为 无").
WHOLE: Mapping[str, Phrase] = {
    "have": Phrase(N_("无"), "none"),
}

_PLACEHOLDER = re.compile(r"\{([a-z0-9_]+)\}")


def _group_pattern(name: str, prefix: str = "") -> str:
    if name in NUMERIC:
        body = _NUMBER
    elif name in VOCABULARY:
        titles = sorted(VOCABULARY[name].values(), key=len, reverse=True)
        body = "|".join(re.escape(title) for title in titles)
    else:
        body = ".+?"
    return f"(?P<{prefix}{name}>{body})"


def _pattern(msgid: str, prefix: str = "") -> str:
    """The wording as a regular expression: its fixed text literally, each placeholder a group."""
    parts: list[str] = []
    position = 0
    for match in _PLACEHOLDER.finditer(msgid):
        parts.append(re.escape(msgid[position : match.start()]))
        parts.append(_group_pattern(match.group(1), prefix))
        position = match.end()
    parts.append(re.escape(msgid[position:]))
    return "".join(parts)


def _by_specificity(phrases: tuple[Phrase, ...]) -> list[Phrase]:
    return sorted(phrases, key=lambda p: p.literal_length, reverse=True)


_LINES = [(phrase, re.compile(f"^{_pattern(phrase.msgid)}$")) for phrase in _by_specificity(LINES)]


def _fragment_regex(phrases: tuple[Phrase, ...]) -> tuple[re.Pattern[str], list[Phrase]]:
    ordered = _by_specificity(phrases)
    alternatives = [f"(?P<p{i}>{_pattern(p.msgid, f'p{i}_')})" for i, p in enumerate(ordered)]
    return re.compile("|".join(alternatives)), ordered


_FRAGMENTS = {name: _fragment_regex(phrases) for name, phrases in FRAGMENTS.items()}


def _english(phrase: Phrase) -> str:
    """The catalogue's English of a wording, or the one given here while the catalogue has none."""
    if not phrase.msgid or not re.search(r"[^\x00-\x7f]", phrase.msgid):
        return phrase.english  # punctuation only ("," → ", "): not a message
    translated = gettext(phrase.msgid)
    return phrase.english if translated == phrase.msgid else translated


def _value(name: str, text: str) -> str:
    """A placeholder's text in English: engine titles translated, composites part by part,
    numbers and the policy's own words as written."""
    if name in VOCABULARY:
        return gettext(text)
    whole = WHOLE.get(name)
    if whole is not None and text == whole.msgid:
        return _english(whole)
    fragments = _FRAGMENTS.get(name)
    if fragments is None:
        return text
    regex, ordered = fragments

    def replace(match: re.Match[str]) -> str:
        for index, phrase in enumerate(ordered):
            if match.group(f"p{index}") is None:
                continue
            values = {
                key[len(f"p{index}_") :]: value
                for key, value in match.groupdict().items()
                if key.startswith(f"p{index}_") and value is not None
            }
            return _fill(phrase, values)
        return match.group(0)

    return regex.sub(replace, text)


def _fill(phrase: Phrase, values: Mapping[str, str]) -> str:
    english = _english(phrase)
    translated = {name: _value(name, text) for name, text in values.items()}
    try:
        return english.format(**translated)
    except (KeyError, IndexError, ValueError):  # a translator's placeholder typo
        return phrase.english.format(**translated)


def to_english(line: str) -> str:
    """The line with the engine's wording in English (as written when no wording matches)."""
    for phrase, regex in _LINES:
        match = regex.match(line)
        if match is not None:
            return _fill(phrase, match.groupdict())
    return line


@lru_cache(maxsize=1)
def _hant_converter() -> Callable[[str], str]:
    from .catalogues import opencc_converter

    return opencc_converter()


def to_hant(line: str) -> str:
    """The whole line in Traditional characters (OpenCC s2t)."""
    return _hant_converter()(line)


@lru_cache(maxsize=4096)
def _translated(line: str, language: str) -> str:
    if language.startswith("en"):
        with translation.override(language):  # the catalogue of `language`, whatever is active
            return to_english(line)
    return to_hant(line)


def explain_line(line: object, language: str | None = None) -> str:
    """An explanation line in `language` (default: the active one); zh-Hans as written."""
    text = "" if line is None else str(line)
    language = (language or get_language() or "zh-hans").lower()
    if not text or language.startswith("zh-hans") or language == "zh-cn":
        return text
    if language.startswith("zh"):  # zh-hant, zh-tw, zh-hk
        return _translated(text, "zh-hant")
    if language.startswith("en"):
        return _translated(text, "en")
    return text
