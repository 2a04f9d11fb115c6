"""Appeals (申诉): against a finding, a fault notice or a result, decided level by level.

An appeal goes up the chain (主管 supervisor → 部门主任 department head → 项目经理 project
manager) or straight to HR (人力资源部, a complaint against an inspector's conduct, seed 002
4.3.1). Each level answers within a number of working days on the company's calendar
(`Holiday`), or the appeal escalates. Upholding one corrects findings through
`FindingCorrection` records: the finding keeps what it was, and a closed result is re-scored as
a new revision that supersedes the old one.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kaoping.appraisals.models import Result
from kaoping.inspections.models import FaultNotice, Finding
from kaoping.org.models import Company, Employee, OrgUnit, Role


class Holiday(models.Model):
    """A day of the company's working calendar that differs from the week's pattern.

    `workday=False`: a holiday (节假日) on what would be a working day. `workday=True`: a make-up
    working day (调休上班) on a Saturday or Sunday.
    """

    company = models.ForeignKey(
        Company, on_delete=models.PROTECT, related_name="+", verbose_name=_("公司")
    )
    date = models.DateField(_("日期"))
    name = models.CharField(_("名称"), max_length=60)
    workday = models.BooleanField(_("调休上班"), default=False)

    class Meta:
        verbose_name = _("节假日")
        verbose_name_plural = _("节假日")
        ordering = ["company_id", "date"]
        constraints = [
            models.UniqueConstraint(fields=["company", "date"], name="holiday_date_unique"),
        ]

    def __str__(self) -> str:
        kind = "调休上班" if self.workday else "放假"
        return f"{self.date} {self.name}({kind})"


class Route(models.TextChoices):
    CHAIN = "chain", _("逐级申诉")
    HR = "hr", _("向人力资源部申诉")


class Level(models.TextChoices):
    """Who answers an appeal; the values are the roles (kaoping.org.models.Role) that hold it."""

    SUPERVISOR = Role.SUPERVISOR.value, _("主管/组长")
    DEPARTMENT_HEAD = Role.DEPARTMENT_HEAD.value, _("部门主任")
    PROJECT_MANAGER = Role.PROJECT_MANAGER.value, _("项目经理")
    HR = Role.HR.value, _("人力资源部")


# The levels of each route, lowest first; the last one decides for good.
CHAIN_LEVELS = (Level.SUPERVISOR, Level.DEPARTMENT_HEAD, Level.PROJECT_MANAGER)
HR_LEVELS = (Level.HR,)


class Appeal(models.Model):
    """An employee's appeal (申诉) against exactly one finding, fault notice or result.

    `unit` is the unit the appealed record belongs to (where the appellant stood): scoping and
    routing use it. `supervisor` is the appellant's direct supervisor (直接上级) there, who holds
    the first level of the chain along with the supervisors over the unit.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("处理中")
        UPHELD = "upheld", _("申诉成立")
        PARTLY_UPHELD = "partly_upheld", _("部分成立")
        REJECTED = "rejected", _("驳回")
        WITHDRAWN = "withdrawn", _("已撤回")

    company = models.ForeignKey(
        Company, on_delete=models.PROTECT, related_name="+", verbose_name=_("公司")
    )
    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="appeals", verbose_name=_("所属单元")
    )
    employee = models.ForeignKey(
        Employee, on_delete=models.PROTECT, related_name="appeals", verbose_name=_("申诉人")
    )
    supervisor = models.ForeignKey(
        Employee,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("直接上级"),
    )
    finding = models.ForeignKey(
        Finding,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appeals",
        verbose_name=_("违规记录"),
    )
    fault_notice = models.ForeignKey(
        FaultNotice,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appeals",
        verbose_name=_("过失通知单"),
    )
    result = models.ForeignKey(
        Result,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appeals",
        verbose_name=_("考核结果"),
    )
    reason = models.TextField(_("申诉理由"))
    filed_at = models.DateTimeField(_("申诉时间"))
    route = models.CharField(_("申诉途径"), max_length=10, choices=Route.choices)
    level = models.CharField(_("当前处理级别"), max_length=20, choices=Level.choices)
    level_due = models.DateField(_("本级答复期限"))
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.OPEN)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)

    DECIDED = (Status.UPHELD, Status.PARTLY_UPHELD, Status.REJECTED)

    class Meta:
        verbose_name = _("申诉")
        verbose_name_plural = _("申诉")
        ordering = ["-filed_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(finding__isnull=False, fault_notice__isnull=True, result__isnull=True)
                | Q(finding__isnull=True, fault_notice__isnull=False, result__isnull=True)
                | Q(finding__isnull=True, fault_notice__isnull=True, result__isnull=False),
                name="appeal_one_target",
            ),
            models.CheckConstraint(
                condition=Q(route=Route.HR, level=Level.HR)
                | Q(route=Route.CHAIN, level__in=[level.value for level in CHAIN_LEVELS]),
                name="appeal_level_on_route",
            ),
            models.CheckConstraint(
                condition=Q(status="open", closed_at__isnull=True)
                | (~Q(status="open") & Q(closed_at__isnull=False)),
                name="appeal_closed_when_not_open",
            ),
            models.UniqueConstraint(
                fields=["finding"], condition=Q(status="open"), name="appeal_open_finding_unique"
            ),
            models.UniqueConstraint(
                fields=["fault_notice"],
                condition=Q(status="open"),
                name="appeal_open_notice_unique",
            ),
            models.UniqueConstraint(
                fields=["result"], condition=Q(status="open"), name="appeal_open_result_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "level_due"]),
            models.Index(fields=["company", "filed_at"]),
        ]

    def __str__(self) -> str:
        return f"申诉 #{self.pk} {self.employee_id} {self.get_status_display()}"

    @property
    def levels(self) -> tuple[Level, ...]:
        return HR_LEVELS if self.route == Route.HR else CHAIN_LEVELS

    @property
    def at_final_level(self) -> bool:
        """The final level (project manager, or HR) decides for good."""
        return self.level == self.levels[-1]

    @property
    def target_finding(self) -> Finding | None:
        """The finding appealed, directly or through its fault notice (None for a result)."""
        if self.fault_notice is not None:
            return self.fault_notice.finding
        return self.finding

    def is_overdue(self, today: dt.date) -> bool:
        """Open and past the current level's due date (逾期未答复)."""
        return self.status == self.Status.OPEN and self.level_due < today


class AppealStep(models.Model):
    """One step of an appeal's history: a decision, an escalation or the withdrawal.

    `level` is the level the step happened at (for an escalation, the level it left); `actor`
    is null for an automatic escalation of an overdue appeal.
    """

    class Kind(models.TextChoices):
        DECISION = "decision", _("决定")
        ESCALATION = "escalation", _("升级")
        WITHDRAWAL = "withdrawal", _("撤回")

    appeal = models.ForeignKey(
        Appeal, on_delete=models.PROTECT, related_name="steps", verbose_name=_("申诉")
    )
    level = models.CharField(_("级别"), max_length=20, choices=Level.choices)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    outcome = models.CharField(_("结果"), max_length=20, choices=Appeal.Status.choices, blank=True)
    reason = models.TextField(_("理由"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("处理人"),
    )
    at = models.DateTimeField(_("时间"))

    class Meta:
        verbose_name = _("申诉处理记录")
        verbose_name_plural = _("申诉处理记录")
        ordering = ["appeal_id", "at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="decision") & ~Q(outcome=""))
                | (~Q(kind="decision") & Q(outcome="")),
                name="appeal_step_outcome_on_decision",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.appeal_id} {self.get_level_display()} {self.get_kind_display()}"


class FindingCorrection(models.Model):
    """A correction of a finding by an upheld appeal (更正记录): voided, or its points changed.

    The finding keeps its row; the correction holds what it was and what it became.
    """

    class Action(models.TextChoices):
        VOID = "void", _("撤销")
        CHANGE_POINTS = "change_points", _("改变扣分")

    finding = models.ForeignKey(
        Finding, on_delete=models.PROTECT, related_name="corrections", verbose_name=_("违规记录")
    )
    appeal = models.ForeignKey(
        Appeal, on_delete=models.PROTECT, related_name="corrections", verbose_name=_("申诉")
    )
    action = models.CharField(_("更正方式"), max_length=20, choices=Action.choices)
    old_points = models.DecimalField(_("原扣分"), max_digits=6, decimal_places=1)
    new_points = models.DecimalField(
        _("新扣分"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("更正人"),
    )
    at = models.DateTimeField(_("更正时间"))

    class Meta:
        verbose_name = _("违规记录更正")
        verbose_name_plural = _("违规记录更正")
        ordering = ["finding_id", "at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(action="void", new_points__isnull=True)
                | Q(action="change_points", new_points__gt=0),
                name="finding_correction_points",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.finding_id} {self.get_action_display()} {self.old_points}→{self.new_points}"
