"""Template filters and tags of every page: `{% load kaoping %}`.

Numbers and money in the user's locale (Django's formats for zh-Hans, zh-Hant, en), scores with
their policy's decimals, and the small status badges the pages share.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

register = template.Library()


def _to_decimal(value: object) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


@register.filter
def score(value: object, decimals: int | None = None) -> str:
    """A score in the locale's format: with its own decimals (the engine writes a total with the
    policy's `rounding`, e.g. "94.5", "100.0"), or with `decimals`; '—' if there is none."""
    number = _to_decimal(value)
    if number is None:
        return "—"
    if decimals is None:
        decimals = max(0, -int(number.as_tuple().exponent))
    return number_format(number, decimal_pos=int(decimals), use_l10n=True)


@register.filter
def points(value: object) -> str:
    """Points as the policies write them: 4, 1.5 (no trailing zeros)."""
    number = _to_decimal(value)
    if number is None:
        return "—"
    normalized = number.normalize()
    decimals = max(0, -int(normalized.as_tuple().exponent))
    return number_format(normalized, decimal_pos=decimals, use_l10n=True)


@register.filter
def yuan(value: object) -> str:
    """An amount of money in yuan, grouped, two decimals: 1,200.00 元 / CNY 1,200.00."""
    number = _to_decimal(value)
    if number is None:
        return "—"
    amount = number_format(number, decimal_pos=2, use_l10n=True, force_grouping=True)
    return _("{amount} 元").format(amount=amount)


@register.filter
def percent_of(value: object, maximum: object) -> int:
    """`value` as a whole percentage of `maximum` (progress bars), 0 when either is missing."""
    number, top = _to_decimal(value), _to_decimal(maximum)
    if number is None or top is None or top <= 0:
        return 0
    return max(0, min(100, int(number * 100 / top)))


def display_name(user: object) -> str:
    """A user's name as people write it: 蒋建华 (family name first, no space) for Chinese names,
    "Jane Doe" otherwise, the user name when none is recorded."""
    first = str(getattr(user, "first_name", "") or "").strip()
    last = str(getattr(user, "last_name", "") or "").strip()
    if first and last and _is_cjk(first + last):
        return last + first
    full = f"{first} {last}".strip()
    if full:
        return full
    get_username = getattr(user, "get_username", None)
    return str(get_username()) if callable(get_username) else ""


def _is_cjk(text: str) -> bool:
    return any("\u3400" <= char <= "\u9fff" for char in text)


@register.filter(name="user_name")
def user_name(user: object) -> str:
    """`{{ inspection.inspector|user_name }}`: see display_name."""
    return display_name(user) if user else ""


@register.simple_tag
def badge(text: object, tone: str = "secondary") -> SafeString:
    """A small status label: tone is a Tabler colour (green, red, orange, azure, secondary)."""
    return format_html('<span class="badge bg-{}-lt">{}</span>', tone, text)


@register.filter(name="explain_line")
def explain_line_filter(value: object) -> str:
    """One of the engine's explanation lines in the user's language (web/explain.py): as written
    in zh-Hans, converted with OpenCC in zh-Hant, the engine's wording in English."""
    from ..explain import explain_line

    return explain_line(value)
