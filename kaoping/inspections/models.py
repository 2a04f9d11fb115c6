"""Inspections (检查), findings (违规记录), fault notices (过失通知单), corrective actions (纠正措施).

An inspector inspects a unit and records findings against a person or a unit; each finding is
checked against the policy version in force for its subject on its date and keeps that version.
A finding on a person issues a numbered fault notice; a serious one opens a corrective action.
Every record carries its company, and the unit that scoping filters on.
"""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kaoping.org.models import Company, Employee, OrgUnit, Role
from kaoping.policies.models import PolicyVersion


class InspectionKind(models.TextChoices):
    """The kinds of inspection: the six of the quality manual and the scheduled plan kinds."""

    DAILY = "daily", _("日检")
    WEEKLY = "weekly", _("周检")
    MONTHLY = "monthly", _("月检")
    SPOT = "spot", _("抽检")
    INTERNAL_AUDIT = "internal_audit", _("内审")
    MANAGEMENT_REVIEW = "management_review", _("管理评审")
    PATROL = "patrol", _("巡视")
    VISIT = "visit", _("走访")
    SURVEY = "survey", _("问卷")


class PlanPeriod(models.TextChoices):
    DAY = "day", _("每日")
    WEEK = "week", _("每周")
    MONTH = "month", _("每月")
    QUARTER = "quarter", _("每季度")


class Severity(models.TextChoices):
    """The policy's severities (scoring.policy.SEVERITY_TITLES); blank where a section has none."""

    GENERAL = "general", _("一般违规")
    SERIOUS = "serious", _("严重违规")
    CONSEQUENCE = "consequence", _("引起不良后果")


class InspectionPlan(models.Model):
    """How often a unit is to be inspected (检查计划), e.g. 巡视 2×/day: coverage is read against it."""

    company = models.ForeignKey(
        Company, on_delete=models.PROTECT, related_name="+", verbose_name=_("公司")
    )
    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="inspection_plans", verbose_name=_("单元")
    )
    kind = models.CharField(_("检查类型"), max_length=30, choices=InspectionKind.choices)
    times = models.PositiveSmallIntegerField(_("每周期次数"))
    period = models.CharField(_("周期"), max_length=10, choices=PlanPeriod.choices)
    responsible_role = models.CharField(_("负责角色"), max_length=20, choices=Role.choices)
    active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("检查计划")
        verbose_name_plural = _("检查计划")
        ordering = ["unit__path", "kind"]
        constraints = [
            models.CheckConstraint(
                condition=Q(times__gte=1), name="inspection_plan_times_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.get_kind_display()} {self.times}次/{self.get_period_display()}"


class Inspection(models.Model):
    """One inspection (检查) of a unit: kind, inspector, time and place."""

    company = models.ForeignKey(
        Company, on_delete=models.PROTECT, related_name="+", verbose_name=_("公司")
    )
    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="inspections", verbose_name=_("受检单元")
    )
    kind = models.CharField(_("检查类型"), max_length=30, choices=InspectionKind.choices)
    plan = models.ForeignKey(
        InspectionPlan,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inspections",
        verbose_name=_("检查计划"),
    )
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="inspections",
        verbose_name=_("检查人"),
    )
    at = models.DateTimeField(_("检查时间"))
    place = models.CharField(_("检查地点"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("检查")
        verbose_name_plural = _("检查")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["company", "at"])]

    def __str__(self) -> str:
        return f"{self.unit} {self.get_kind_display()} {timezone.localtime(self.at):%Y-%m-%d %H:%M}"


class Finding(models.Model):
    """A finding (违规记录) against an employee or a unit, checked against the policy in force.

    `unit` is where the subject stood on the finding's day (for a person, the placement's unit):
    scoping filters on it, so a later transfer does not move old findings to the new team.
    """

    class Status(models.TextChoices):
        ACTIVE = "active", _("有效")
        VOIDED = "voided", _("已撤销")

    inspection = models.ForeignKey(
        Inspection, on_delete=models.PROTECT, related_name="findings", verbose_name=_("检查")
    )
    company = models.ForeignKey(
        Company, on_delete=models.PROTECT, related_name="+", verbose_name=_("公司")
    )
    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="findings", verbose_name=_("所属单元")
    )
    employee = models.ForeignKey(
        Employee,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="findings",
        verbose_name=_("员工"),
        db_index=False,  # the (employee, occurred_at, id) index below serves reads by employee
    )
    subject_unit = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("被考评单元"),
    )
    policy_version = models.ForeignKey(
        PolicyVersion, on_delete=models.PROTECT, related_name="+", verbose_name=_("考评办法版本")
    )
    section = models.CharField(_("考评项目"), max_length=60)
    item = models.CharField(_("细则条目"), max_length=60, blank=True)
    severity = models.CharField(_("违规程度"), max_length=20, choices=Severity.choices, blank=True)
    points = models.DecimalField(_("扣分"), max_digits=6, decimal_places=1)
    description = models.TextField(_("违规描述"))
    occurred_at = models.DateTimeField(_("发生时间"))
    mandatory_penalty = models.BooleanField(_("须另行处罚"), default=False)
    supervisor_liable = models.BooleanField(_("上级负连带责任"), default=False)
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("录入人"),
    )
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("违规记录")
        verbose_name_plural = _("违规记录")
        ordering = ["-occurred_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(employee__isnull=False) & Q(subject_unit__isnull=True))
                | (Q(employee__isnull=True) & Q(subject_unit__isnull=False)),
                name="finding_one_subject",
            ),
            models.CheckConstraint(condition=Q(points__gt=0), name="finding_points_positive"),
        ]
        indexes = [
            models.Index(fields=["company", "occurred_at"]),
            # An employee's findings in the order they happened, with what scoring reads of
            # each: PostgreSQL scores a range of employees from this index alone (an
            # index-only scan), without visiting the table's pages, where a month's findings
            # lie scattered among everyone else's. SQLite ignores `include`.
            models.Index(
                fields=["employee", "occurred_at", "id"],
                include=[
                    "company",
                    "status",
                    "section",
                    "severity",
                    "points",
                    "item",
                    "mandatory_penalty",
                    "supervisor_liable",
                    "subject_unit",
                ],
                name="finding_employee_scoring",
            ),
        ]

    def __str__(self) -> str:
        subject = self.employee or self.subject_unit
        return f"{subject} {self.section} -{self.points}"


def finding_photo_path(instance: FindingPhoto, filename: str) -> str:
    """findings/<company code>/<year>/<month>/<random>.<ext>: never the uploader's file name."""
    now = timezone.localtime()
    suffix = PurePosixPath(filename).suffix.lower()
    return f"findings/{instance.company.code}/{now:%Y}/{now:%m}/{uuid.uuid4().hex}{suffix}"


class FindingPhoto(models.Model):
    """A photo as evidence of a finding (照片), stored through Django's storage API."""

    finding = models.ForeignKey(
        Finding, on_delete=models.PROTECT, related_name="photos", verbose_name=_("违规记录")
    )
    company = models.ForeignKey(
        Company, on_delete=models.PROTECT, related_name="+", verbose_name=_("公司")
    )
    image = models.FileField(_("照片"), upload_to=finding_photo_path, max_length=255)
    content_type = models.CharField(_("文件类型"), max_length=40)
    size = models.PositiveIntegerField(_("大小(字节)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("上传人"),
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("违规照片")
        verbose_name_plural = _("违规照片")
        ordering = ["finding_id", "id"]

    def __str__(self) -> str:
        return self.image.name


class FaultNotice(models.Model):
    """The fault notice (过失通知单) a finding on a person issues, numbered per company and month.

    The employee either acknowledges it (签收) or disputes it (提出异议); the first answer is final
    here, a dispute is then pursued as an appeal.
    """

    finding = models.OneToOneField(
        Finding, on_delete=models.PROTECT, related_name="fault_notice", verbose_name=_("违规记录")
    )
    company = models.ForeignKey(
        Company, on_delete=models.PROTECT, related_name="+", verbose_name=_("公司")
    )
    number = models.CharField(_("编号"), max_length=40)
    issued_at = models.DateTimeField(_("发出时间"))
    acknowledged_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    disputed_at = models.DateTimeField(_("提出异议时间"), null=True, blank=True)
    dispute_reason = models.TextField(_("异议理由"), blank=True)

    class Meta:
        verbose_name = _("过失通知单")
        verbose_name_plural = _("过失通知单")
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "number"], name="fault_notice_number_unique"
            ),
            models.CheckConstraint(
                condition=Q(acknowledged_at__isnull=True) | Q(disputed_at__isnull=True),
                name="fault_notice_one_answer",
            ),
        ]

    def __str__(self) -> str:
        return self.number


class FaultNoticeCounter(models.Model):
    """The last fault-notice number given in a company and month (locked to take the next)."""

    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="+")
    month = models.DateField(_("月份"))  # the first day of the month
    last = models.PositiveIntegerField(_("最后序号"), default=0)

    class Meta:
        verbose_name = _("过失通知单计数器")
        verbose_name_plural = _("过失通知单计数器")
        constraints = [
            models.UniqueConstraint(
                fields=["company", "month"], name="fault_notice_counter_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.company_id} {self.month:%Y-%m}: {self.last}"


class CorrectiveAction(models.Model):
    """A corrective action (纠正措施报告) opened by a serious finding: owner, due date, verification.

    open → in_progress → done → verified; overdue while not done when the due date has passed.
    Cancelled (已撤销) when its finding is voided on appeal: nothing is left to correct.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("待处理")
        IN_PROGRESS = "in_progress", _("整改中")
        DONE = "done", _("已完成")
        VERIFIED = "verified", _("已验证")
        CANCELLED = "cancelled", _("已撤销")

    finding = models.ForeignKey(
        Finding,
        on_delete=models.PROTECT,
        related_name="corrective_actions",
        verbose_name=_("违规记录"),
    )
    company = models.ForeignKey(
        Company, on_delete=models.PROTECT, related_name="+", verbose_name=_("公司")
    )
    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="corrective_actions", verbose_name=_("单元")
    )
    owner = models.ForeignKey(
        Employee,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrective_actions",
        verbose_name=_("责任人"),
    )
    due = models.DateField(_("完成期限"))
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.OPEN)
    description = models.TextField(_("纠正措施"), blank=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    completed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    verification_note = models.TextField(_("验证意见"), blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("验证人"),
    )
    verified_at = models.DateTimeField(_("验证时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    # Still owing work: what "overdue" counts once the due date has passed.
    PENDING = (Status.OPEN, Status.IN_PROGRESS)

    class Meta:
        verbose_name = _("纠正措施")
        verbose_name_plural = _("纠正措施")
        ordering = ["due", "id"]
        indexes = [models.Index(fields=["status", "due"])]

    def __str__(self) -> str:
        return f"{self.unit} {self.get_status_display()} {self.due}"

    def is_overdue(self, today: dt.date) -> bool:
        """Past its due date and not yet done (逾期)."""
        return self.due < today and self.status in self.PENDING
