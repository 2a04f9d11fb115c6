"""Simulating a policy draft against a closed period (模拟测算): who would change grade and pay.

The appraisals whose frozen (current) result used the draft's policy document are rebuilt into
engine input with the close's own facts builder (facts.build_facts), scored with the draft, and
compared with what was frozen. Nothing is written.

Pay is the floating performance pay (浮动绩效) times the pay ratio less the fine (绩效扣减), as
on the payroll sheet before its minimum-wage floor; the difference is the draft's pay less the
frozen pay.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kaoping.org.access import SystemViewer
from kaoping.org.models import Placement
from kaoping.periods.models import Period
from kaoping.policies.models import PolicyVersion
from kaoping.policies.selectors import engine_policy
from kaoping.scoring import InputError, Policy, PolicyError, parse_period, score_subjects

from .batch import compact
from .facts import AppraisalRow, appraisal_rows, build_facts, engine_policies
from .models import Appraisal
from .selectors import result_list

Viewer = AbstractBaseUser | AnonymousUser | SystemViewer | None
CENT = Decimal("0.01")
NOT_CLOSED = _("只能对已关账的期间模拟测算。")
OTHER_COMPANY = _("该期间不属于本办法所在的公司。")
DRAFT_INVALID = _("草稿无法载入:{error}")


@dataclass(frozen=True)
class SimulatedRow:
    """One subject: what was frozen and what the draft gives (None: not evaluated or refused)."""

    appraisal_id: int
    number: str
    name: str
    unit: str
    old_total: Decimal | None
    new_total: Decimal | None
    old_grade: str
    new_grade: str
    old_pay_ratio: Decimal | None
    new_pay_ratio: Decimal | None
    old_fine: Decimal | None
    new_fine: Decimal | None
    pay_difference: Decimal
    error: str = ""

    @property
    def grade_changed(self) -> bool:
        return not self.error and self.old_grade != self.new_grade

    @property
    def changed(self) -> bool:
        return self.grade_changed or self.old_total != self.new_total or bool(self.pay_difference)


@dataclass
class Simulation:
    """The draft against a closed period: a row per subject and the summary."""

    period: Period
    version: PolicyVersion
    rows: list[SimulatedRow] = field(default_factory=list)
    rounding: int = 1  # the draft's decimals of a total

    @property
    def grade_changes(self) -> int:
        return sum(1 for row in self.rows if row.grade_changed)

    @property
    def changed(self) -> int:
        return sum(1 for row in self.rows if row.changed)

    @property
    def errors(self) -> int:
        return sum(1 for row in self.rows if row.error)

    @property
    def pay_difference(self) -> Decimal:
        return sum((row.pay_difference for row in self.rows), Decimal(0))


def _pay(floating: Decimal, ratio: Decimal | None, fine: Decimal | None) -> Decimal:
    return (
        floating * (ratio if ratio is not None else Decimal(1)) - (fine or Decimal(0))
    ).quantize(CENT)


def _score(
    policy: Policy,
    ledgers: dict[int, Policy],
    period: Period,
    rows: list[AppraisalRow],
) -> tuple[dict[int, tuple[Decimal | None, str, Decimal | None, Decimal | None]], dict[int, str]]:
    """Score the rows with the draft: (total, grade, pay ratio, fine) or an error, by appraisal."""
    facts = build_facts(period, rows)
    groups: dict[tuple[int | None, int | None], list[AppraisalRow]] = defaultdict(list)
    for row in rows:
        ranking = facts.ranking_unit(row.unit_path) if policy.ranking is not None else None
        groups[(row.consequences_version_id, ranking)].append(row)
    scored: dict[int, tuple[Decimal | None, str, Decimal | None, Decimal | None]] = {}
    errors: dict[int, str] = {}
    for (ledger_id, ranking_unit), members in groups.items():
        chunks = [members] if policy.ranking is not None else [[member] for member in members]
        for chunk in chunks:
            try:
                results = score_subjects(
                    policy,
                    parse_period(period.key, policy.period),
                    [facts.subjects[row.pk] for row in chunk],
                    ledger=ledgers.get(ledger_id) if ledger_id is not None else None,
                    history=facts.history,
                    ranking_items=facts.ranking_items.get(ranking_unit or 0, ())
                    if policy.ranking is not None
                    else None,
                )
            except InputError as exc:
                for row in chunk:
                    errors[row.pk] = exc.message
                continue
            for row, result in zip(chunk, results, strict=True):
                out = compact(row.pk, result, policy.rounding)
                if out.evaluated:
                    scored[row.pk] = (out.total, out.grade, out.pay_ratio, out.fine)
                else:
                    scored[row.pk] = (None, "", None, None)
    return scored, errors


def policy_simulate(*, viewer: Viewer, version: PolicyVersion, period: Period) -> Simulation:
    """Score the closed `period`'s subjects whose current result used `version`'s document with
    `version` (usually a draft), and compare with the frozen results, subject by subject.

    Only results the viewer may read are simulated. Raises ValidationError when the period is
    not closed or belongs to another company, or the version cannot be loaded.
    """
    if period.status != Period.Status.CLOSED:
        raise ValidationError({"period": NOT_CLOSED})
    if period.company_id != version.document.company_id:
        raise ValidationError({"period": OTHER_COMPANY})
    try:
        policy = engine_policy(version)
    except (PolicyError, ValueError) as exc:
        raise ValidationError({"source": DRAFT_INVALID.format(error=exc)}) from None
    simulation = Simulation(period=period, version=version, rounding=policy.rounding)
    results = {
        r.appraisal_id: r
        for r in result_list(viewer=viewer, period=period)
        .filter(policy_version__document_id=version.document_id)
        .select_related("appraisal__subject_unit")
    }
    if not results:
        return simulation
    rows = appraisal_rows(Appraisal.objects.filter(pk__in=list(results)))
    ledgers = engine_policies([row.consequences_version_id for row in rows])
    frozen = engine_policies([r.policy_version_id for r in results.values()])
    titles = {g.id: g.title for p in frozen.values() for g in p.grades}
    titles.update({g.id: g.title for g in policy.grades})
    scored, errors = _score(policy, ledgers, period, rows)
    floating = {
        employee_id: pay
        for employee_id, pay in Placement.objects.filter(
            employee_id__in=[r.employee_id for r in results.values() if r.employee_id],
            start__lte=period.end,
        )
        .order_by("start", "id")
        .values_list("employee_id", "position__floating_pay")
    }
    for row in rows:
        old = results[row.pk]
        new_total, new_grade, new_ratio, new_fine = scored.get(row.pk, (None, "", None, None))
        error = errors.get(row.pk, "")
        base = floating.get(old.employee_id, Decimal(0)) if old.employee_id else Decimal(0)
        difference = Decimal(0)
        if not error and old.employee_id:
            difference = _pay(base, new_ratio, new_fine) - _pay(base, old.pay_ratio, old.fine)
        who = old.employee if old.employee_id else old.appraisal.subject_unit
        simulation.rows.append(
            SimulatedRow(
                appraisal_id=row.pk,
                number=row.subject_code,
                name=getattr(who, "name", ""),
                unit=old.unit.name,
                old_total=old.total,
                new_total=new_total,
                old_grade=titles.get(old.grade, old.grade),
                new_grade=titles.get(new_grade, new_grade),
                old_pay_ratio=old.pay_ratio,
                new_pay_ratio=new_ratio,
                old_fine=old.fine,
                new_fine=new_fine,
                pay_difference=difference,
                error=error,
            )
        )
    simulation.rows.sort(key=lambda r: (not r.grade_changed, not r.changed, r.number))
    return simulation
