"""Properties of the engine that hold for any valid input (POLICIES.md §1–§3), via Hypothesis."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from kaoping.scoring import Finding, Subject, builtin_policy, parse_period, score_subjects
from kaoping.scoring.numbers import round_half_up
from kaoping.scoring.policy import Policy, Section
from kaoping.scoring.results import Result


def _builtin(policy_id: str) -> Policy:
    policy = builtin_policy(policy_id)
    assert policy is not None
    return policy


INSPECTION = _builtin("cs-group-inspection")
ADMIN = _builtin("cs-admin-monthly")
LEDGER = _builtin("cs-violation-penalties")
OCTOBER = parse_period("2026-10", "month")
ZERO = Decimal(0)
HUNDRED = Decimal(100)


# --- strategies ----------------------------------------------------------------------------------


def _halves(low: Decimal, high: Decimal) -> st.SearchStrategy[Decimal]:
    """Multiples of 0.5 in [low, high]."""
    return st.integers(int(low * 2), int(high * 2)).map(lambda n: Decimal(n) / 2)


@st.composite
def inspection_findings(draw: st.DrawFn) -> Finding:
    """A valid finding of cs-group-inspection: points inside the severity's range, in halves."""
    section = draw(st.sampled_from(INSPECTION.sections))
    severity = draw(st.sampled_from(sorted(section.severities)))
    bounds = section.severities[severity]
    return Finding(
        section=section.id,
        severity=severity,
        points=draw(_halves(bounds.low, bounds.high)),
        item=draw(st.sampled_from([None, "uniform", "badge", "late"])),
        mandatory_penalty=draw(st.sampled_from([False] * 9 + [True])),
        supervisor_liable=draw(st.booleans()),
    )


findings_lists = st.lists(inspection_findings(), max_size=12)
bonuses = st.one_of(st.just(ZERO), st.integers(1, 20).map(Decimal))


def inspected(findings: list[Finding], bonus: Decimal) -> Subject:
    return Subject(
        "E001", findings=tuple(findings), bonus=bonus, given=frozenset({"findings", "bonus"})
    )


def score_one(policy: Policy, subject: Subject, ledger: Policy | None = None) -> Result:
    [result] = score_subjects(policy, OCTOBER, [subject], ledger=ledger)
    return result


def contract_fields(result: Result) -> dict[str, Any]:
    data = result.as_json(1)
    data.pop("explain")
    return data


# --- cs-group-inspection ---------------------------------------------------------------------------


@settings(max_examples=150, deadline=None)
@given(findings=findings_lists, bonus=bonuses)
def test_sections_stay_in_range_and_the_total_in_0_to_100(
    findings: list[Finding], bonus: Decimal
) -> None:
    result = score_one(INSPECTION, inspected(findings, bonus))

    assert result.evaluated
    assert list(result.sections) == [s.id for s in INSPECTION.sections]
    for section in INSPECTION.sections:
        assert ZERO <= result.sections[section.id] <= section.max
    assert result.total is not None
    assert ZERO <= result.total <= HUNDRED


def _expected_section(section: Section, findings: list[Finding]) -> Decimal:
    mine = [f for f in findings if f.section == section.id]
    if any(f.mandatory_penalty for f in mine):
        return ZERO
    deducted = sum((f.points for f in mine if f.points is not None), ZERO)
    return max(ZERO, section.max - deducted)


@settings(max_examples=150, deadline=None)
@given(findings=findings_lists, bonus=bonuses)
def test_sections_are_max_minus_deductions_and_the_total_their_capped_sum(
    findings: list[Finding], bonus: Decimal
) -> None:
    result = score_one(INSPECTION, inspected(findings, bonus))

    expected = {s.id: _expected_section(s, findings) for s in INSPECTION.sections}
    assert result.sections == expected
    assert result.total == round_half_up(min(HUNDRED, sum(expected.values(), ZERO) + bonus), 1)


@settings(max_examples=150, deadline=None)
@given(findings=findings_lists, extra=inspection_findings(), bonus=bonuses)
def test_one_more_finding_never_raises_a_section_or_the_total(
    findings: list[Finding], extra: Finding, bonus: Decimal
) -> None:
    before = score_one(INSPECTION, inspected(findings, bonus), ledger=LEDGER)

    after = score_one(INSPECTION, inspected([*findings, extra], bonus), ledger=LEDGER)

    for section_id, score in before.sections.items():
        assert after.sections[section_id] <= score
    assert after.total is not None and before.total is not None
    assert after.total <= before.total
    assert after.outcomes.penalty_points is not None and before.outcomes.penalty_points is not None
    assert after.outcomes.penalty_points == before.outcomes.penalty_points + (extra.points or ZERO)


@settings(max_examples=150, deadline=None)
@given(findings=findings_lists, bonus=bonuses, data=st.data())
def test_the_order_of_findings_never_changes_the_result(
    findings: list[Finding], bonus: Decimal, data: st.DataObject
) -> None:
    shuffled = data.draw(st.permutations(findings))

    original = score_one(INSPECTION, inspected(findings, bonus), ledger=LEDGER)
    reordered = score_one(INSPECTION, inspected(list(shuffled), bonus), ledger=LEDGER)

    assert contract_fields(reordered) == contract_fields(original)


# --- rounding ------------------------------------------------------------------------------------


def _half_up_by_integers(units: int, exponent: int, places: int) -> str:
    """Round units × 10^-exponent (units ≥ 0) half-up to `places` decimals, as text."""
    if exponent <= places:
        scaled = units * 10 ** (places - exponent)
    else:
        step = 10 ** (exponent - places)
        scaled = (units + step // 2) // step
    if places == 0:
        return str(scaled)
    digits = str(scaled).rjust(places + 1, "0")
    return f"{digits[:-places]}.{digits[-places:]}"


@settings(max_examples=300, deadline=None)
@given(
    units=st.integers(0, 10**9),
    exponent=st.integers(0, 6),
    places=st.integers(0, 4),
)
def test_round_half_up_matches_integer_arithmetic(units: int, exponent: int, places: int) -> None:
    value = Decimal(units).scaleb(-exponent)

    rounded = round_half_up(value, places)

    assert f"{rounded:f}" == _half_up_by_integers(units, exponent, places)


@settings(max_examples=100, deadline=None)
@given(units=st.integers(0, 10**6), places=st.integers(0, 4))
def test_a_5_just_beyond_the_kept_places_always_rounds_up(units: int, places: int) -> None:
    value = Decimal(units * 10 + 5).scaleb(-(places + 1))  # e.g. 12.345 for places 2

    rounded = round_half_up(value, places)

    assert rounded == Decimal(units + 1).scaleb(-places)
    assert rounded.as_tuple().exponent == -places


def test_round_half_up_examples() -> None:
    cases = [
        ("2.25", 1, "2.3"),
        ("2.35", 1, "2.4"),
        ("2.249", 1, "2.2"),
        ("0.05", 1, "0.1"),
        ("99.95", 1, "100.0"),
        ("0.125", 2, "0.13"),
        ("89.45", 0, "89"),
        ("89.5", 0, "90"),
        ("16", 1, "16.0"),
    ]

    assert [f"{round_half_up(Decimal(v), p):f}" for v, p, _ in cases] == [e for _, _, e in cases]


# --- cs-admin-monthly ------------------------------------------------------------------------------


def _in_band(section: Section) -> st.SearchStrategy[Decimal]:
    """A rating inside the item's bands (the bands cover [lowest band start, max])."""
    return _halves(min(b.low for b in section.bands), section.max)


admin_ratings = st.fixed_dictionaries({s.id: _in_band(s) for s in ADMIN.sections})
adjustments = st.integers(-100, 100).map(lambda n: Decimal(n) / 10)


@settings(max_examples=150, deadline=None)
@given(own=admin_ratings, supervisor=admin_ratings, adjustment=adjustments)
def test_admin_total_is_weighted_sum_plus_adjustment_clamped_and_rounded(
    own: dict[str, Decimal], supervisor: dict[str, Decimal], adjustment: Decimal
) -> None:
    subject = Subject(
        "A001",
        ratings={"self": own, "supervisor": supervisor},
        adjustment=adjustment,
        given=frozenset({"ratings", "adjustment"}),
    )

    result = score_one(ADMIN, subject)

    weighted = {k: own[k] * Decimal("0.3") + supervisor[k] * Decimal("0.7") for k in own}
    raw = sum(weighted.values(), ZERO) + adjustment
    assert result.sections == weighted
    assert result.total == round_half_up(min(HUNDRED, max(ZERO, raw)), 1)
    assert ZERO <= result.total <= HUNDRED
