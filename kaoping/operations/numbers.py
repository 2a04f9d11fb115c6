"""Exact ratios for the operations metrics (收缴率, 任务完成率, 接通率)."""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Context, Decimal, localcontext

# The quotient is exact whenever it terminates within 28 significant digits (every ratio of
# amounts in fen or of household counts that a person would write down does); a fixed context
# keeps the result independent of whatever context the caller has set.
_RATIO_CONTEXT = Context(prec=28, rounding=ROUND_HALF_EVEN)


def quotient(numerator: int | Decimal, denominator: int | Decimal) -> Decimal | None:
    """`numerator ÷ denominator` as a Decimal; None when the denominator is zero (no base)."""
    if not denominator:
        return None
    with localcontext(_RATIO_CONTEXT):
        return Decimal(numerator) / Decimal(denominator)
