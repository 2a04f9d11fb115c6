"""Score a whole case (the `kaoping score` contract, POLICIES.md §7) and render its JSON."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .case import Case
from .engine import score_subjects
from .errors import InputError
from .periods import parse_period
from .policy import Policy
from .registry import builtin_policy
from .results import Result

PolicyLookup = Callable[[str], "Policy | None"]


def score_case(case: Case, *, lookup: PolicyLookup = builtin_policy) -> dict[str, Any]:
    """Score `case` and return the JSON object of the contract."""
    policy, results = evaluate_case(case, lookup=lookup)
    return {
        "policy": policy.id,
        "policy_version": policy.version,
        "period": case.period,
        "results": [r.as_json(policy.rounding) for r in results],
    }


def evaluate_case(
    case: Case, *, lookup: PolicyLookup = builtin_policy
) -> tuple[Policy, list[Result]]:
    """Score `case`, returning the policy used and the results as objects."""
    policy = lookup(case.policy)
    if policy is None:
        raise InputError(f"未知的考评办法 '{case.policy}'", field="policy")
    try:
        period = parse_period(case.period, policy.period)
    except ValueError as exc:
        raise InputError(str(exc), field="period") from None
    ledger = None
    if case.consequences is not None:
        ledger = lookup(case.consequences)
        if ledger is None or ledger.kind != "ledger":
            raise InputError(f"'{case.consequences}' 不是违规处罚办法", field="consequences")
        if policy.kind == "ledger":
            raise InputError("违规处罚办法不能再附加处罚办法", field="consequences")
        if policy.subject != "employee":
            raise InputError("违规处罚只适用于员工的考评办法", field="consequences")
    results = score_subjects(
        policy,
        period,
        case.subjects,
        ledger=ledger,
        history=case.history,
        ranking_items=case.ranking_items,
    )
    return policy, results
