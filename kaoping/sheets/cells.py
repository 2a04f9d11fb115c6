"""Reading one cell of a real-world sheet: text, numbers, dates, yes/no and choices.

Clerks type full-width digits (２０２６．１０), pad names with ideographic spaces (王　五), write
dates as 2026年10月3日, 2026/10/3, 2026-10-03, 2026.10.3 or leave Excel's serial numbers.
Everything here accepts what is unambiguous and raises CellError, whose message is the reason
in the user's language, for the rest. No database access.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.utils.datetime import from_excel

from kaoping.appraisals.exports import safe_cell

# Excel serial numbers taken as dates: 1954-10-04 … 2119-01-14. Smaller or larger numbers in a
# date column are far more likely a typo than a date.
SERIAL_MIN = 20000
SERIAL_MAX = 80000

_SPACES = re.compile(r"\s+")
# Whitespace between two CJK characters is padding (王　五), never part of the name.
_CJK_GAP = re.compile(r"(?<=[\u3400-\u9fff])\s+(?=[\u3400-\u9fff])")
_BRACKETED = re.compile(r"[(\[【〔].*?[)\]】〕]")
_HEADER_NOISE = re.compile(r"[\s*※:;,.、/\\_\-–—·'\"“”‘’!?#]+")
_DATE = (
    r"(?P<y>\d{4})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*[日号]?"
    r"|(?P<y8>\d{4})(?P<m8>\d{2})(?P<d8>\d{2})"
)
_TIME = (
    r"(?P<H>\d{1,2})\s*[:时点]\s*(?P<M>\d{1,2})\s*分?"
    r"(?:\s*[:]?\s*(?P<S>\d{1,2})(?:\.\d+)?\s*秒?)?"
)
_DATETIME_RE = re.compile(rf"^(?:{_DATE})(?:\s*T?\s*(?:{_TIME}))?$")
_MONTH_RE = re.compile(
    r"^(?P<y>\d{4})\s*[-/.年]\s*(?P<m>\d{1,2})\s*月?$|^(?P<y6>\d{4})(?P<m6>\d{2})$"
)
_NUMBER_UNITS = ("元", "分", "户", "次", "个", "件", "人")
_TRUE = frozenset({"是", "y", "yes", "true", "t", "1", "√", "✓", "✔", "有", "对", "需要"})
_FALSE = frozenset(
    {"否", "n", "no", "false", "f", "0", "×", "✗", "✘", "无", "不", "不是", "不需要"}
)
_FORMULA_EXTRA = ("\t", "\r")


class CellError(ValueError):
    """A cell that cannot be read unambiguously; the message is the reason for the user."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


# --- text ------------------------------------------------------------------------------------


def is_blank(value: object) -> bool:
    """An empty cell, or one holding only spaces (including U+3000 and no-break spaces)."""
    return value is None or (isinstance(value, str) and not value.strip())


def shown(value: object) -> str:
    """A cell's value as the user sees it, for error reports (never None)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return (
            value.strftime("%Y-%m-%d %H:%M") if value.time() != dt.time() else f"{value:%Y-%m-%d}"
        )
    return str(value).strip()


def text(value: object) -> str:
    """Free text (descriptions, notes): kept as typed, trimmed of spaces at both ends."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return shown(value)
    return str(value).strip()


def token(value: object) -> str:
    """An identifier or a name (工号, 姓名, codes): full-width letters and digits made plain,
    outer spaces dropped, runs of spaces made one, padding between Chinese characters removed."""
    raw = text(value)
    if not raw:
        return ""
    plain = unicodedata.normalize("NFKC", raw).strip()
    plain = _CJK_GAP.sub("", plain)
    return _SPACES.sub(" ", plain)


@lru_cache(maxsize=1)
def _to_simplified() -> object:
    import opencc

    return opencc.OpenCC("t2s")


@lru_cache(maxsize=4096)
def simplified(value: str) -> str:
    """Traditional characters as simplified ones (違規 → 违规), for matching headers and choices."""
    converter = _to_simplified()
    return str(converter.convert(value))  # type: ignore[attr-defined]


@lru_cache(maxsize=4096)
def label_key(value: str) -> str:
    """The key two labels are compared by: plain width, simplified, lower case, no spaces."""
    plain = unicodedata.normalize("NFKC", value)
    return _SPACES.sub("", simplified(plain)).lower()


@lru_cache(maxsize=4096)
def header_key(value: str) -> str:
    """The key a column header is matched by: `label_key` without bracketed remarks, required
    marks and punctuation (“员工编号(必填)*” and “员工编号” are the same header)."""
    plain = simplified(unicodedata.normalize("NFKC", value)).lower()
    plain = _BRACKETED.sub("", plain)
    return _HEADER_NOISE.sub("", plain)


def neutralise(value: object) -> object:
    """A value safe to write into a cell: text that a spreadsheet would read as a formula
    (= + - @, and a leading tab or carriage return) gets a leading quote (appraisals.safe_cell)."""
    if isinstance(value, str) and value.startswith(_FORMULA_EXTRA):
        return "'" + value
    return safe_cell(value)


# --- numbers ---------------------------------------------------------------------------------


def decimal(value: object) -> Decimal:
    """A number: 12, 12.5, “１２．５”, “1,200.00”, “4分”, “−3” (a float cell keeps its shortest
    decimal form, so 0.1 is 0.1 and not 0.1000000000000000055…)."""
    if isinstance(value, bool):
        raise CellError(_("应为数字"))
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, Decimal):
        return value
    if isinstance(value, dt.date | dt.time):
        raise CellError(_("应为数字,而不是日期或时间"))
    raw = token(value).replace(",", "").replace(" ", "").replace("\u2212", "-")
    for unit in _NUMBER_UNITS:
        if raw.endswith(unit):
            raw = raw[: -len(unit)]
            break
    try:
        number = Decimal(raw)
    except InvalidOperation:
        raise CellError(_("应为数字")) from None
    if not number.is_finite():
        raise CellError(_("应为数字"))
    return number


def integer(value: object) -> int:
    """A whole number (counts of calls, households)."""
    number = decimal(value)
    if number != number.to_integral_value():
        raise CellError(_("应为整数"))
    return int(number)


def boolean(value: object) -> bool:
    """Yes or no: 是/否, Y/N, yes/no, true/false, 1/0, √/×, 有/无."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    key = label_key(token(value))
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise CellError(_("应填“是”或“否”"))


# --- dates -----------------------------------------------------------------------------------


def _from_serial(number: Decimal) -> dt.datetime:
    if not SERIAL_MIN <= number <= SERIAL_MAX:
        raise CellError(_("无法识别的日期,请写成 2026-10-03 或 2026年10月3日"))
    value = from_excel(float(number))
    assert isinstance(value, dt.datetime)
    # Excel stores times as fractions of a day; drop the float noise below a second.
    return value.replace(microsecond=0) + dt.timedelta(
        seconds=1 if value.microsecond >= 500_000 else 0
    )


def _parts(value: object) -> tuple[dt.date, dt.time | None]:
    """The day and, when given, the time of day of a date or date-time cell."""
    if isinstance(value, dt.datetime):
        moment = value if timezone.is_naive(value) else timezone.localtime(value)
        return moment.date(), moment.time() if moment.time() != dt.time() else None
    if isinstance(value, dt.date):
        return value, None
    if isinstance(value, bool):
        raise CellError(_("无法识别的日期,请写成 2026-10-03 或 2026年10月3日"))
    if isinstance(value, int | float | Decimal):
        moment = _from_serial(decimal(value))
        return moment.date(), moment.time() if moment.time() != dt.time() else None
    raw = token(value)
    if raw.isdigit() and len(raw) == 5:
        moment = _from_serial(Decimal(raw))
        return moment.date(), None
    match = _DATETIME_RE.match(raw)
    if match is None:
        raise CellError(_("无法识别的日期,请写成 2026-10-03 或 2026年10月3日"))
    year, month, day = (
        (match["y"], match["m"], match["d"])
        if match["y"]
        else (match["y8"], match["m8"], match["d8"])
    )
    try:
        date = dt.date(int(year), int(month), int(day))
    except ValueError:
        raise CellError(_("日期不存在")) from None
    if match["H"] is None:
        return date, None
    try:
        time = dt.time(int(match["H"]), int(match["M"]), int(match["S"] or 0))
    except ValueError:
        raise CellError(_("时间不存在")) from None
    return date, time


def date(value: object) -> dt.date:
    """A day: 2026年10月3日, 2026/10/3, 2026-10-03, 2026.10.3, 20261003, a date cell or an Excel
    serial number. Day-first or two-digit years are refused as ambiguous."""
    day, _time = _parts(value)
    return day


def moment(value: object) -> dt.datetime:
    """A local date and time, made aware in the company's time zone; a day alone is its
    midnight (e.g. 2026-10-03 14:30, 2026年10月3日 14时30分, or a date-time cell)."""
    day, time = _parts(value)
    naive = dt.datetime.combine(day, time or dt.time())
    return timezone.make_aware(naive, timezone.get_current_timezone())


def month(value: object) -> dt.date:
    """A month, as its first day: 2026-10, 2026年10月, 2026/10, 202610, or any day of it."""
    if not isinstance(value, dt.date | int | float | Decimal):
        match = _MONTH_RE.match(token(value))
        if match is not None:
            year, number = (match["y"], match["m"]) if match["y"] else (match["y6"], match["m6"])
            if not 1 <= int(number) <= 12:
                raise CellError(_("月份不存在"))
            return dt.date(int(year), int(number), 1)
    try:
        return date(value).replace(day=1)
    except CellError:
        raise CellError(_("无法识别的月份,请写成 2026-10 或 2026年10月")) from None


# --- choices ---------------------------------------------------------------------------------


def choice_keys(value: str, label: str, aliases: Iterable[str] = ()) -> set[str]:
    """Every key a choice is recognised by: its value, its label, each part of a label such as
    “秩序/车辆”, and any aliases."""
    keys = {label_key(value), label_key(label)}
    keys.update(label_key(part) for part in re.split(r"[/、]", label) if part.strip())
    keys.update(label_key(alias) for alias in aliases)
    return keys


def choice(value: object, choices: Sequence[tuple[str, str, tuple[str, ...]]]) -> str:
    """The value of the choice a cell names, by value, label or alias (e.g. “清洁卫生”, “清洁” or
    “cleaning” → cleaning). `choices` are (value, label, aliases)."""
    key = label_key(token(value))
    for stored, label, aliases in choices:
        if key in choice_keys(stored, label, aliases):
            return stored
    allowed = "、".join(label for _stored, label, _aliases in choices)
    raise CellError(_("不是可选的值(可选:{allowed})").format(allowed=allowed))
