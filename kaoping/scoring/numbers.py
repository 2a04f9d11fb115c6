"""Exact decimal arithmetic: parsing, rounding and formatting of scores and money.

Scores and money are `Decimal`s from end to end; binary floats never enter the engine
(a float cannot hold 0.1 exactly, and the seeds score in halves and tenths).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

ZERO = Decimal(0)
ONE = Decimal(1)
HALF = Decimal("0.5")
CENT = Decimal("0.01")
_QUANTS = {n: Decimal(1).scaleb(-n) for n in range(0, 7)}


def to_decimal(value: object) -> Decimal:
    """Convert an int, a Decimal or a numeric string to a Decimal; refuse floats and bools.

    Raises ValueError with a short reason when the value is not an exact number.
    """
    if isinstance(value, bool):
        raise ValueError("应为数字")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, str):
        try:
            result = Decimal(value.strip())
        except InvalidOperation:
            raise ValueError("应为数字") from None
    elif isinstance(value, float):
        # Only reachable from callers that bypass the JSON/YAML readers; keep it exact.
        result = Decimal(repr(value))
    else:
        raise ValueError("应为数字")
    if not result.is_finite():
        raise ValueError("应为有限数字")
    return result


def round_half_up(value: Decimal, places: int) -> Decimal:
    """Round half-up (四舍五入) to `places` decimals, as the seeds' forms do."""
    return value.quantize(_QUANTS[places], rounding=ROUND_HALF_UP)


def money(value: Decimal) -> Decimal:
    """Money is kept to the fen (2 decimals), rounded half-up."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def is_half_multiple(value: Decimal) -> bool:
    """True when `value` is a whole multiple of 0.5 (the seeds deduct in halves)."""
    return (value * 2) % 1 == 0


def plain(value: Decimal) -> str:
    """An exact decimal as text without exponent and without trailing zeros ("16", "0.5")."""
    text = str(value)
    if "E" in text:
        text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def fixed(value: Decimal, places: int) -> str:
    """A decimal as text with exactly `places` decimals ("100.0", "43.50")."""
    return f"{round_half_up(value, places):f}"


def signed(value: Decimal) -> str:
    """A signed amount with a real minus sign for explanations ("−4", "+5")."""
    if value < 0:
        return f"−{plain(-value)}"
    return f"+{plain(value)}"


def clamp(value: Decimal, low: Decimal, high: Decimal | None) -> Decimal:
    """`value` limited to [low, high] (no upper limit when high is None)."""
    if value < low:
        return low
    if high is not None and value > high:
        return high
    return value
