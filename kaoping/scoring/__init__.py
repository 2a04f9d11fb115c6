"""Kaoping's scoring engine (考评计分引擎): pure Python, never imports Django.

Policies are data (YAML) loaded into immutable objects; the engine scores subjects under a
policy with exact decimals and explains every result line by line.
"""

from .case import Case, parse_case, parse_case_json
from .engine import resolve_finding, score_subjects, validate_rating
from .errors import InputError, PolicyError, ScoringError
from .inputs import Finding, HistoryEntry, Member, RankingItem, Subject
from .loader import load_policy_file, load_policy_text
from .periods import Period, parse_period
from .policy import Policy
from .registry import builtin_policies, builtin_policy
from .results import Outcomes, Result
from .scorecase import evaluate_case, score_case

__all__ = [
    "Case",
    "Finding",
    "HistoryEntry",
    "InputError",
    "Member",
    "Outcomes",
    "Period",
    "Policy",
    "PolicyError",
    "RankingItem",
    "Result",
    "ScoringError",
    "Subject",
    "builtin_policies",
    "builtin_policy",
    "evaluate_case",
    "load_policy_file",
    "load_policy_text",
    "parse_case",
    "parse_case_json",
    "parse_period",
    "resolve_finding",
    "score_case",
    "score_subjects",
    "validate_rating",
]
