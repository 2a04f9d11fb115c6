"""The built-in policies, shipped as YAML files inside the package (`policies/`)."""

from __future__ import annotations

from functools import cache
from importlib import resources

from .loader import load_policy_text
from .policy import Policy


@cache
def builtin_policies() -> dict[str, Policy]:
    """Every built-in policy by id, loaded and validated once per process."""
    policies: dict[str, Policy] = {}
    folder = resources.files("kaoping.scoring") / "policies"
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".yaml"):
            continue
        policy = load_policy_text(entry.read_text(encoding="utf-8"), source=entry.name)
        policies[policy.id] = policy
    return policies


def builtin_policy(policy_id: str) -> Policy | None:
    """One built-in policy, or None when there is no such id."""
    return builtin_policies().get(policy_id)
