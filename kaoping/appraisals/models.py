"""Appraisals (考核): one per subject and period, its ratings and entries, and its results.

A result is frozen at close with the policy version and a hash of its inputs. It is never
edited: a correction (after an upheld appeal) adds a new revision that supersedes it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kaoping.db.fields import PlainJSONField
from kaoping.org.models import Company, Employee, OrgUnit
from kaoping.periods.models import Period
from kaoping.policies.models import PolicyVersion


class Appraisal(models.Model):
    """The appraisal of one subject (an employee, a unit or a team) in one period."""

    class Status(models.TextChoices):
        OPEN = "open", _("进行中")
        CLOSED = "closed", _("已关账")

    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="appraisals")
    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="+")
    employee = models.ForeignKey(
        Employee, on_delete=models.PROTECT, null=True, blank=True, related_name="appraisals"
    )
    subject_unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="appraisals"
    )
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    supervisor = models.ForeignKey(
        Employee, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Foreign keys nobody looks rows up by carry no index: every index is rewritten when the
    # close marks 100,000 appraisals closed, and the close must stay fast.
    policy_version = models.ForeignKey(
        PolicyVersion, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    consequences_version = models.ForeignKey(
        PolicyVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN)
    employee_signed_at = models.DateTimeField(_("本人签字时间"), null=True, blank=True)
    rater_signed_at = models.DateTimeField(_("考核人签字时间"), null=True, blank=True)
    rater_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )

    class Meta:
        verbose_name = _("考核")
        verbose_name_plural = _("考核")
        constraints = [
            models.CheckConstraint(
                condition=Q(employee__isnull=False, subject_unit__isnull=True)
                | Q(employee__isnull=True, subject_unit__isnull=False),
                name="appraisal_one_subject",
            ),
            models.UniqueConstraint(
                fields=["period", "employee"],
                condition=Q(employee__isnull=False),
                name="appraisal_employee_unique",
            ),
            models.UniqueConstraint(
                fields=["period", "subject_unit"],
                condition=Q(subject_unit__isnull=False),
                name="appraisal_unit_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period.key} {self.employee or self.subject_unit}"

    @property
    def subject_code(self) -> str:
        """The id the engine knows the subject by: the 工号, or the unit code."""
        if self.employee is not None:
            return self.employee.number
        assert self.subject_unit is not None
        return self.subject_unit.code


class Rating(models.Model):
    """One rater's score for one item; every amendment is a new row, the latest stands."""

    class Rater(models.TextChoices):
        SELF = "self", _("自评")
        SUPERVISOR = "supervisor", _("直接上级评")
        INDIRECT = "indirect", _("间接上级评")
        MANAGER = "manager", _("经理评")

    appraisal = models.ForeignKey(Appraisal, on_delete=models.PROTECT, related_name="ratings")
    rater_role = models.CharField(_("评分人"), max_length=12, choices=Rater.choices)
    rater = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    item = models.CharField(_("考核项目"), max_length=60)
    value = models.DecimalField(_("评分"), max_digits=6, decimal_places=1)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("评分")
        verbose_name_plural = _("评分")
        ordering = ["appraisal_id", "id"]
        indexes = [models.Index(fields=["appraisal", "rater_role", "item"])]


class InterviewNote(models.Model):
    """考核面谈: what was discussed, suggestions and the employee's opinion."""

    appraisal = models.ForeignKey(Appraisal, on_delete=models.PROTECT, related_name="interviews")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("面谈记录"))
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("面谈记录")
        verbose_name_plural = _("面谈记录")


class ScoreEntry(models.Model):
    """A bonus (嘉奖加分) or adjustment (奖扣分) with its reason; counts once approved."""

    class Kind(models.TextChoices):
        BONUS = "bonus", _("嘉奖加分")
        ADJUSTMENT = "adjustment", _("奖扣分")

    appraisal = models.ForeignKey(Appraisal, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices)
    value = models.DecimalField(_("分值"), max_digits=6, decimal_places=1)
    reason = models.TextField(_("原因"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(_("批准时间"), null=True, blank=True)
    # A rejected proposal stays on the form with the reason; it never counts.
    rejected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    rejected_at = models.DateTimeField(_("驳回时间"), null=True, blank=True)
    rejection_reason = models.TextField(_("驳回理由"), blank=True)

    class Meta:
        verbose_name = _("奖扣分")
        verbose_name_plural = _("奖扣分")


class RankingItem(models.Model):
    """One of the month's ranking items of a department's teams, set before the month starts."""

    class Better(models.TextChoices):
        HIGHER = "higher", _("越高越好")
        LOWER = "lower", _("越低越好")

    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="ranking_items")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    code = models.SlugField(_("编号"), max_length=60)
    title = models.CharField(_("评比项目"), max_length=100)
    level = models.PositiveSmallIntegerField(_("评分级别"))
    better = models.CharField(
        _("方向"), max_length=10, choices=Better.choices, default=Better.HIGHER
    )

    class Meta:
        verbose_name = _("评比项目")
        verbose_name_plural = _("评比项目")
        constraints = [
            models.UniqueConstraint(fields=["period", "unit", "code"], name="ranking_item_unique"),
        ]


class RankingValue(models.Model):
    """A team's value on one ranking item."""

    item = models.ForeignKey(RankingItem, on_delete=models.PROTECT, related_name="values")
    team = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField(_("数值"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("评比数值")
        verbose_name_plural = _("评比数值")
        constraints = [
            models.UniqueConstraint(fields=["item", "team"], name="ranking_value_unique"),
        ]


class MemberGrade(models.Model):
    """A team member's grade, picked by the supervisor within the set the team grade allows."""

    appraisal = models.ForeignKey(Appraisal, on_delete=models.PROTECT, related_name="member_grades")
    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="+")
    grade = models.CharField(_("等级"), max_length=4)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(_("时间"), auto_now=True)

    class Meta:
        verbose_name = _("成员等级")
        verbose_name_plural = _("成员等级")
        constraints = [
            models.UniqueConstraint(fields=["appraisal", "employee"], name="member_grade_unique"),
        ]


class Result(models.Model):
    """A frozen result: the engine's output with the version and the hash of its inputs."""

    # Only the indexes that reads use (a close writes 100,000 rows at once): by appraisal through
    # the (appraisal, revision) constraint, by period and by employee through the indexes below.
    # Company, unit, employee, period and versions are copies of the appraisal's own columns,
    # kept for reading without a join; the database checks them on the appraisal (its foreign
    # keys), not again on every result: those checks are most of a PostgreSQL close's commit.
    appraisal = models.ForeignKey(
        Appraisal, on_delete=models.PROTECT, related_name="results", db_index=False
    )
    revision = models.PositiveIntegerField(_("版本"), default=1)
    company = models.ForeignKey(
        Company, on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    employee = models.ForeignKey(
        Employee,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    period = models.ForeignKey(
        Period, on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False
    )
    policy_version = models.ForeignKey(
        PolicyVersion,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    consequences_version = models.ForeignKey(
        PolicyVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    inputs_hash = models.CharField(_("输入哈希"), max_length=64)
    evaluated = models.BooleanField(_("已评定"), default=True)
    total = models.DecimalField(_("总分"), max_digits=8, decimal_places=2, null=True, blank=True)
    grade = models.CharField(_("等级"), max_length=20, blank=True)
    pay_ratio = models.DecimalField(
        _("绩效比例"), max_digits=5, decimal_places=3, null=True, blank=True
    )
    penalty_points = models.DecimalField(
        _("违规扣分"), max_digits=8, decimal_places=1, null=True, blank=True
    )
    fine = models.DecimalField(
        _("绩效扣减"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    supervisor_fine = models.DecimalField(
        _("直属上司分担"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    data = PlainJSONField(_("结果"))  # the engine's JSON result: sections, outcomes, explain
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    superseded_by = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="supersedes"
    )
    correction_reason = models.TextField(_("更正原因"), blank=True)

    class Meta:
        verbose_name = _("考核结果")
        verbose_name_plural = _("考核结果")
        constraints = [
            models.UniqueConstraint(
                fields=["appraisal", "revision"], name="result_revision_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["period", "superseded_by"]),
            models.Index(fields=["employee", "period"]),
        ]

    @property
    def current(self) -> bool:
        return self.superseded_by_id is None


class OutcomeItem(models.Model):
    """An action HR works through (publish, sanction, dismissal, reassign, warning, probation …)."""

    class Status(models.TextChoices):
        OPEN = "open", _("待处理")
        DONE = "done", _("已处理")
        CANCELLED = "cancelled", _("已撤销")

    # Written by the hundred thousand at a close: company, unit and employee are copies of the
    # result's appraisal (checked there), kept to scope reads without joins, and not checked
    # again as foreign keys; reads go by result, unit or employee (no index on company or on
    # the handler, which no read uses).
    result = models.ForeignKey(Result, on_delete=models.PROTECT, related_name="outcome_items")
    company = models.ForeignKey(
        Company, on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False
    )
    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    employee = models.ForeignKey(
        Employee,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
    )
    action = models.CharField(_("处理"), max_length=40)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    handled_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    note = models.TextField(_("备注"), blank=True)

    class Meta:
        verbose_name = _("处理事项")
        verbose_name_plural = _("处理事项")
