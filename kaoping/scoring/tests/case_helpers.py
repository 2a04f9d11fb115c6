"""Builders for scoring cases (the `kaoping score` JSON of POLICIES.md §7) used by the tests.

Everything goes through the public API, `score_case(parse_case(...))`; nothing is patched.
"""

from __future__ import annotations

from typing import Any

import pytest

from kaoping.scoring import InputError, parse_case, score_case

MONTH = "2026-10"

# cs-admin-monthly: every item rated at its maximum (items total 90, POLICIES.md §6).
ADMIN_FULL: dict[str, Any] = {
    "dedication": 6,
    "communication": 10,
    "reception_complaints": 12,
    "fee_collection": 15,
    "repairs_followup": 10,
    "environment": 9,
    "facilities": 8,
    "public_order": 5,
    "meetings_training": 5,
    "compliance": 5,
    "assigned_tasks": 5,
}

# cs-quarterly-review: every rating section at its maximum (sums to 100).
QUARTERLY_FULL: dict[str, Any] = {
    "attitude": 20,
    "efficiency": 15,
    "quality": 20,
    "satisfaction": 15,
    "completion": 15,
    "teamwork": 15,
}

GROUP_FULL_SECTIONS = {
    "post_quality": "20",
    "handover": "10",
    "training": "10",
    "efficiency": "20",
    "service": "20",
    "other_sop": "10",
    "other": "10",
}

STAFF_FULL_SECTIONS = {
    "attendance": "5",
    "appearance": "10",
    "etiquette": "10",
    "training": "5",
    "owner_visits": "5",
    "complaints": "10",
    "fee_collection": "10",
    "renovation": "10",
    "records": "10",
    "keys": "5",
    "phone": "5",
    "self_management": "10",
    "office": "5",
}

LEDGER_ZEROS = {
    "penalty_points": "0",
    "fine": "0.00",
    "supervisor_fine": "0.00",
    "actions": [],
}


def case(policy: str, *subjects: dict[str, Any], period: str = MONTH, **top: Any) -> dict[str, Any]:
    """A case dict for `policy` with the given subjects and top-level keys."""
    return {"policy": policy, "period": period, "subjects": list(subjects), **top}


def score(data: dict[str, Any]) -> dict[str, Any]:
    """The JSON object `kaoping score` prints for `data`."""
    return score_case(parse_case(data))


def results(data: dict[str, Any]) -> list[dict[str, Any]]:
    """All results of a case, in subject order."""
    return list(score(data)["results"])


def only_result(data: dict[str, Any]) -> dict[str, Any]:
    """The result of a case with exactly one subject."""
    found = results(data)
    assert len(found) == 1
    return found[0]


def refused(data: dict[str, Any]) -> InputError:
    """The InputError raised when scoring `data` (the test fails if none is raised)."""
    with pytest.raises(InputError) as info:
        score(data)
    return info.value


def finding(
    section: str, severity: str | None = None, points: Any = None, **rest: Any
) -> dict[str, Any]:
    """A finding dict; keys left None are omitted."""
    data: dict[str, Any] = {"section": section}
    if severity is not None:
        data["severity"] = severity
    if points is not None:
        data["points"] = points
    data.update(rest)
    return data


def item(section: str, item_id: str, **rest: Any) -> dict[str, Any]:
    """A checklist finding (细则条目) of cs-staff-monthly."""
    return {"section": section, "item": item_id, **rest}


def events(*types: str) -> list[dict[str, str]]:
    """An `events` list."""
    return [{"type": t} for t in types]
