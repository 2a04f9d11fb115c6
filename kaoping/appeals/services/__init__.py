"""Writes of appeals (申诉): file, decide, escalate, withdraw; and the working-day calendar.

Each service runs in one transaction, checks permission through the rules of `rules.py`, and
appends its audit events. `actor=None` is the system itself (the demo, imports of paper appeals,
the scheduled escalation) and skips the permission checks. `now` defaults to the current time;
passing it replays a step at a given moment (the demo's history, tests).
"""

from .decisions import Correction, appeal_decide
from .escalation import appeal_escalate_request, appeal_withdraw, appeals_escalate
from .filing import appeal_file
from .holidays import holiday_set

__all__ = [
    "Correction",
    "appeal_decide",
    "appeal_escalate_request",
    "appeal_file",
    "appeal_withdraw",
    "appeals_escalate",
    "holiday_set",
]
