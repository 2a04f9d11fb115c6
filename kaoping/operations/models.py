"""Operations data (运营数据): what happened in a unit, which the appraisals are computed from.

Complaints, incidents, call statistics, work orders, fee collection, owner visits, satisfaction
surveys and work points. Every record belongs to a company and a unit (scopes filter on the
unit's path) and, where a person is responsible, to an employee. Records sent by an integration
carry its `external_id`, unique per company, so that a retried request never makes a duplicate.
How these records become the engine's events, metrics, survey levels and work points is written
down in MAPPING.md and implemented in facts.py.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kaoping.org.models import Company, Employee, OrgUnit

from .numbers import quotient

# Constraint violations are reported against the field a user has to correct, by their code.
CONSTRAINT_FIELDS: dict[str, str] = {
    "external_id_taken": "external_id",
    "major_not_valid": "major",
    "resolved_before_received": "resolved_at",
    "callback_before_received": "callback_at",
    "satisfaction_without_callback": "callback_satisfaction",
    "answered_over_offered": "answered",
    "call_day_taken": "date",
    "completed_before_opened": "completed_at",
    "paid_over_due": "households_paid",
    "fee_month_taken": "building",
    "penalty_not_negative": "points",
    "work_points_zero": "points",
}


class SurveyLevel(models.TextChoices):
    """The five satisfaction levels (满意度档次) of seed 004, ids as in `unit-satisfaction`."""

    VERY_SATISFIED = "very_satisfied", _("很满意")
    SATISFIED = "satisfied", _("基本满意")
    NEUTRAL = "neutral", _("一般")
    DISSATISFIED = "dissatisfied", _("不太满意")
    VERY_DISSATISFIED = "very_dissatisfied", _("很不满意")


class OperationsRecord(models.Model):
    """What every operations record has: company, unit, external id, who entered it and when."""

    company = models.ForeignKey(
        Company, on_delete=models.PROTECT, related_name="+", verbose_name=_("公司")
    )
    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("单位")
    )
    external_id = models.CharField(
        _("外部编号"),
        max_length=100,
        blank=True,
        help_text=_("来源系统(工单、呼叫中心、收费系统)中的编号,同一公司内唯一。"),
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

    # The day a record is about: placements and period filters are read on this day.
    date_field: ClassVar[str]

    class Meta:
        abstract = True
        constraints = [
            models.UniqueConstraint(
                fields=["company", "external_id"],
                condition=~Q(external_id=""),
                name="%(app_label)s_%(class)s_external_id_unique",
                violation_error_code="external_id_taken",
                violation_error_message=_("外部编号(external_id)在本公司已存在,该记录已导入。"),
            ),
        ]

    def record_day(self) -> dt.date | None:
        """The local day the record is about (None while the date field is empty)."""
        value = getattr(self, self.date_field)
        if isinstance(value, dt.datetime):
            return timezone.localdate(value) if timezone.is_aware(value) else value.date()
        return value if isinstance(value, dt.date) else None

    def clean(self) -> None:
        # Decimals are kept with the field's places, so that 15 and 15.00 are the same value in
        # the audit log and an update from 15.00 to 15 changes nothing.
        for field in self._meta.concrete_fields:
            if isinstance(field, models.DecimalField):
                value = getattr(self, field.attname)
                setattr(self, field.attname, _with_places(value, field.decimal_places or 0))
        # A naive time from an import would be read in whatever zone the server runs in.
        errors = {
            field.name: _("时间须带时区(按所在地时间录入)。")
            for field in self._meta.concrete_fields
            if isinstance(field, models.DateTimeField)
            and isinstance(getattr(self, field.attname), dt.datetime)
            and timezone.is_naive(getattr(self, field.attname))
        }
        if errors:
            raise ValidationError(errors)

    def validate_constraints(self, exclude: Any = None) -> None:
        try:
            super().validate_constraints(exclude=exclude)
        except ValidationError as exc:
            raise ValidationError(_keyed_by_field(exc)) from None


def _keyed_by_field(exc: ValidationError) -> dict[str, list[ValidationError]]:
    errors: dict[str, list[ValidationError]] = {}
    for field, messages in exc.error_dict.items():
        for error in messages:
            target = field
            if field == NON_FIELD_ERRORS:
                target = CONSTRAINT_FIELDS.get(str(error.code), field)
            errors.setdefault(target, []).append(error)
    return errors


def _with_places(value: object, places: int) -> object:
    """`value` written with `places` decimals when that loses nothing; else left to the checks."""
    if not isinstance(value, Decimal) or not value.is_finite():
        return value
    exponent = value.as_tuple().exponent
    if not isinstance(exponent, int) or exponent < -places or value.adjusted() >= 20:
        return value
    return value.quantize(Decimal(1).scaleb(-places))


def _minutes_between(start: dt.datetime | None, end: dt.datetime | None) -> int | None:
    if start is None or end is None:
        return None
    return int((end - start).total_seconds() // 60)


class Complaint(OperationsRecord):
    """A complaint (投诉) by an owner or resident, judged valid (有效) or major (重大) or neither.

    A major complaint is always a valid one. Thefts are incidents, not complaints.
    """

    class Category(models.TextChoices):
        CLEANING = "cleaning", _("清洁卫生")
        ORDER = "order", _("秩序/车辆")
        PROCESS = "process", _("服务过程")
        FEE = "fee", _("收费")
        ATTITUDE = "attitude", _("服务态度")
        REPAIR = "repair", _("维修")
        OTHER = "other", _("其他")

    class Source(models.TextChoices):
        PHONE = "phone", _("电话")
        VISIT = "visit", _("来访")
        ONLINE = "online", _("网络/APP")
        LETTER = "letter", _("信函")
        REFERRAL = "referral", _("上级转办")
        OTHER = "other", _("其他")

    employee = models.ForeignKey(
        Employee,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("责任人"),
    )
    received_at = models.DateTimeField(_("受理时间"))
    category = models.CharField(_("投诉类别"), max_length=20, choices=Category.choices)
    source = models.CharField(_("投诉渠道"), max_length=20, choices=Source.choices, blank=True)
    complainant = models.CharField(_("投诉人/房号"), max_length=100, blank=True)
    description = models.TextField(_("投诉内容"))
    valid = models.BooleanField(_("有效投诉"), default=False)
    major = models.BooleanField(_("重大投诉"), default=False)
    resolved_at = models.DateTimeField(_("处理完成时间"), null=True, blank=True)
    callback_at = models.DateTimeField(_("回访时间"), null=True, blank=True)
    callback_satisfaction = models.CharField(
        _("回访满意度"), max_length=20, choices=SurveyLevel.choices, blank=True
    )

    date_field = "received_at"

    class Meta:
        verbose_name = _("投诉")
        verbose_name_plural = _("投诉")
        ordering = ["-received_at", "-id"]
        constraints = [
            *OperationsRecord.Meta.constraints,
            models.CheckConstraint(
                condition=Q(major=False) | Q(valid=True),
                name="operations_complaint_major_is_valid",
                violation_error_code="major_not_valid",
                violation_error_message=_("重大投诉必须同时认定为有效投诉。"),
            ),
            models.CheckConstraint(
                condition=Q(resolved_at__isnull=True) | Q(resolved_at__gte=F("received_at")),
                name="operations_complaint_resolved_after_received",
                violation_error_code="resolved_before_received",
                violation_error_message=_("处理完成时间不能早于受理时间。"),
            ),
            models.CheckConstraint(
                condition=Q(callback_at__isnull=True) | Q(callback_at__gte=F("received_at")),
                name="operations_complaint_callback_after_received",
                violation_error_code="callback_before_received",
                violation_error_message=_("回访时间不能早于受理时间。"),
            ),
            models.CheckConstraint(
                condition=Q(callback_satisfaction="") | Q(callback_at__isnull=False),
                name="operations_complaint_satisfaction_needs_callback",
                violation_error_code="satisfaction_without_callback",
                violation_error_message=_("填写回访满意度时须同时填写回访时间。"),
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "received_at"]),
            models.Index(fields=["employee", "received_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()}投诉 {self.received_at:%Y-%m-%d}"

    @property
    def handling_minutes(self) -> int | None:
        """Minutes from receipt to resolution (处理时长); None while unresolved."""
        return _minutes_between(self.received_at, self.resolved_at)


class Incident(OperationsRecord):
    """An incident (事故) in a unit, e.g. a theft (盗窃), which the `order` sections count."""

    class Kind(models.TextChoices):
        THEFT = "theft", _("盗窃")
        FIRE = "fire", _("火警/火灾")
        FLOODING = "flooding", _("水浸")
        INJURY = "injury", _("人身伤害")
        VEHICLE = "vehicle", _("车辆损坏")
        OTHER = "other", _("其他")

    kind = models.CharField(_("事故类型"), max_length=20, choices=Kind.choices)
    occurred_at = models.DateTimeField(_("发生时间"))
    place = models.CharField(_("地点"), max_length=200, blank=True)
    description = models.TextField(_("经过"))

    date_field = "occurred_at"

    class Meta:
        verbose_name = _("事故")
        verbose_name_plural = _("事故")
        ordering = ["-occurred_at", "-id"]
        constraints = [*OperationsRecord.Meta.constraints]
        indexes = [models.Index(fields=["unit", "occurred_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_at:%Y-%m-%d}"


class CallStatistic(OperationsRecord):
    """A unit's calls of one day (电话统计): offered (呼入) and answered (接听)."""

    date = models.DateField(_("日期"))
    offered = models.PositiveIntegerField(_("呼入量"))
    answered = models.PositiveIntegerField(_("接听量"))

    date_field = "date"

    class Meta:
        verbose_name = _("电话统计")
        verbose_name_plural = _("电话统计")
        ordering = ["-date", "-id"]
        constraints = [
            *OperationsRecord.Meta.constraints,
            models.CheckConstraint(
                condition=Q(answered__lte=F("offered")),
                name="operations_call_answered_le_offered",
                violation_error_code="answered_over_offered",
                violation_error_message=_("接听量不能大于呼入量。"),
            ),
            models.UniqueConstraint(
                fields=["unit", "date"],
                name="operations_call_one_per_unit_day",
                violation_error_code="call_day_taken",
                violation_error_message=_("该单位当天的电话统计已存在,请修改原记录。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.answered}/{self.offered}"

    @property
    def answer_rate(self) -> Decimal | None:
        """Answered ÷ offered (接通率); None when no call was offered."""
        return quotient(self.answered, self.offered)


class WorkOrder(OperationsRecord):
    """A work order (工单): a repair request, a complaint follow-up, a service request …"""

    class Kind(models.TextChoices):
        REPAIR = "repair", _("报修")
        COMPLAINT = "complaint", _("投诉处理")
        SERVICE = "service", _("服务请求")
        INQUIRY = "inquiry", _("咨询")
        OTHER = "other", _("其他")

    employee = models.ForeignKey(
        Employee,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("处理人"),
    )
    kind = models.CharField(_("工单类型"), max_length=20, choices=Kind.choices)
    opened_at = models.DateTimeField(_("派单时间"))
    completed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    description = models.TextField(_("内容"), blank=True)

    date_field = "opened_at"

    class Meta:
        verbose_name = _("工单")
        verbose_name_plural = _("工单")
        ordering = ["-opened_at", "-id"]
        constraints = [
            *OperationsRecord.Meta.constraints,
            models.CheckConstraint(
                condition=Q(completed_at__isnull=True) | Q(completed_at__gte=F("opened_at")),
                name="operations_work_order_completed_after_opened",
                violation_error_code="completed_before_opened",
                violation_error_message=_("完成时间不能早于派单时间。"),
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "opened_at"]),
            models.Index(fields=["employee", "opened_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}工单 {self.opened_at:%Y-%m-%d}"

    @property
    def handling_minutes(self) -> int | None:
        """Minutes from opening to completion; None while open."""
        return _minutes_between(self.opened_at, self.completed_at)


class FeeCollection(OperationsRecord):
    """Property-fee collection (物业费收缴) of a unit or one of its buildings in one month.

    Seed 001 defines the collection rate (收缴率) by households; the task completion is the
    amount collected against the month's collection task (收费任务).
    """

    employee = models.ForeignKey(
        Employee,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("责任人(管家)"),
        help_text=_("负责该楼栋收费的员工;其“所辖楼栋收缴率”由此计算。"),
    )
    building = models.CharField(
        _("楼栋"), max_length=100, blank=True, help_text=_("留空表示整个单位。")
    )
    month = models.DateField(_("月份"), help_text=_("该月的第一天。"))
    households_due = models.PositiveIntegerField(_("应缴户数"))
    households_paid = models.PositiveIntegerField(_("已缴户数"))
    amount_due = models.DecimalField(
        _("应收金额"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )
    amount_paid = models.DecimalField(
        _("实收金额"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )
    task_amount = models.DecimalField(
        _("当月收费任务"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )

    date_field = "month"

    class Meta:
        verbose_name = _("物业费收缴")
        verbose_name_plural = _("物业费收缴")
        ordering = ["-month", "building", "-id"]
        constraints = [
            *OperationsRecord.Meta.constraints,
            models.CheckConstraint(
                condition=Q(households_paid__lte=F("households_due")),
                name="operations_fee_paid_le_due",
                violation_error_code="paid_over_due",
                violation_error_message=_("已缴户数不能大于应缴户数。"),
            ),
            models.UniqueConstraint(
                fields=["unit", "building", "month"],
                name="operations_fee_one_per_building_month",
                violation_error_code="fee_month_taken",
                violation_error_message=_("该单位(楼栋)当月的收缴记录已存在,请修改原记录。"),
            ),
        ]
        indexes = [models.Index(fields=["unit", "month"])]

    def __str__(self) -> str:
        return f"{self.building or '全部'} {self.month:%Y-%m}"

    def clean(self) -> None:
        super().clean()
        if self.month is not None and self.month.day != 1:
            raise ValidationError({"month": _("月份须填写该月的第一天(如 2026-10-01)。")})
        if self.unit_id is None or self.month is None:
            return
        # A month is recorded for the whole unit or building by building, never both: the
        # metrics add the rows up and would count the households twice.
        same_month = FeeCollection.objects.filter(unit_id=self.unit_id, month=self.month)
        if self.pk is not None:
            same_month = same_month.exclude(pk=self.pk)
        if not self.building and same_month.exclude(building="").exists():
            raise ValidationError(
                {"building": _("该单位当月已按楼栋录入,不能再录入整个单位的数据(会重复计算)。")}
            )
        if self.building and same_month.filter(building="").exists():
            raise ValidationError(
                {"building": _("该单位当月已录入整个单位的数据,不能再按楼栋录入(会重复计算)。")}
            )

    @property
    def fee_collection_rate(self) -> Decimal | None:
        """Households paid ÷ households due (收缴率, metric `fee_collection_rate`)."""
        return quotient(self.households_paid, self.households_due)

    @property
    def fee_task_completion(self) -> Decimal | None:
        """Amount paid ÷ the month's task (任务完成率, metric `fee_task_completion`)."""
        return quotient(self.amount_paid, self.task_amount)


class OwnerVisit(OperationsRecord):
    """A visit to an owner's household (业主走访) by an employee, with its record."""

    employee = models.ForeignKey(
        Employee, on_delete=models.PROTECT, related_name="+", verbose_name=_("走访人")
    )
    household = models.CharField(_("住户/房号"), max_length=100)
    visited_on = models.DateField(_("走访日期"))
    record = models.TextField(_("走访记录"))
    callback = models.BooleanField(_("回访"), default=False)

    date_field = "visited_on"

    class Meta:
        verbose_name = _("业主走访")
        verbose_name_plural = _("业主走访")
        ordering = ["-visited_on", "-id"]
        constraints = [*OperationsRecord.Meta.constraints]
        indexes = [
            models.Index(fields=["unit", "visited_on"]),
            models.Index(fields=["employee", "visited_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.household} {self.visited_on}"


class SurveyResponse(OperationsRecord):
    """One answered satisfaction survey (满意度调查) about a unit or one of its staff."""

    employee = models.ForeignKey(
        Employee,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("被评价员工"),
    )
    level = models.CharField(_("满意度"), max_length=20, choices=SurveyLevel.choices)
    answered_on = models.DateField(_("调查日期"))
    respondent = models.CharField(_("受访人/房号"), max_length=100, blank=True)
    comment = models.TextField(_("意见"), blank=True)

    date_field = "answered_on"

    class Meta:
        verbose_name = _("满意度调查")
        verbose_name_plural = _("满意度调查")
        ordering = ["-answered_on", "-id"]
        constraints = [*OperationsRecord.Meta.constraints]
        indexes = [
            models.Index(fields=["unit", "answered_on"]),
            models.Index(fields=["employee", "answered_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()} {self.answered_on}"


class WorkPointEntry(OperationsRecord):
    """A work-point entry (工作积分, seed 003) of a team member: points earned, or a penalty.

    A penalty (扣分处罚) is one of the five events of seed 003 二 1–5; its points are negative.
    """

    class Kind(models.TextChoices):
        WORK = "work", _("工作积分")
        ATTITUDE_COMPLAINT = "attitude_complaint", _("态度生硬被投诉")
        SLACK_SERVICE = "slack_service", _("工作散漫、服务不及时")
        CUSTOMER_QUARREL = "customer_quarrel", _("与客户发生争吵")
        TRAINING_UNPREPARED = "training_unprepared", _("培训课程准备不充分")
        TRAINEE_COMPLAINT = "trainee_complaint", _("培训中态度生硬被投诉")

    # The seed's deduction per penalty (二 1–5), used when an entry does not state its points.
    PENALTY_POINTS: ClassVar[dict[str, Decimal]] = {
        Kind.ATTITUDE_COMPLAINT: Decimal(-50),
        Kind.SLACK_SERVICE: Decimal(-20),
        Kind.CUSTOMER_QUARREL: Decimal(-50),
        Kind.TRAINING_UNPREPARED: Decimal(-20),
        Kind.TRAINEE_COMPLAINT: Decimal(-50),
    }

    employee = models.ForeignKey(
        Employee, on_delete=models.PROTECT, related_name="+", verbose_name=_("员工")
    )
    date = models.DateField(_("日期"))
    kind = models.CharField(_("类型"), max_length=30, choices=Kind.choices, default=Kind.WORK)
    points = models.DecimalField(_("积分"), max_digits=10, decimal_places=2)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    date_field = "date"

    class Meta:
        verbose_name = _("工作积分")
        verbose_name_plural = _("工作积分")
        ordering = ["-date", "-id"]
        constraints = [
            *OperationsRecord.Meta.constraints,
            models.CheckConstraint(
                condition=Q(kind="work") | Q(points__lt=0),
                name="operations_work_point_penalty_negative",
                violation_error_code="penalty_not_negative",
                violation_error_message=_("扣分处罚的积分必须为负数。"),
            ),
            models.CheckConstraint(
                condition=~Q(kind="work") | ~Q(points=0),
                name="operations_work_point_not_zero",
                violation_error_code="work_points_zero",
                violation_error_message=_("工作积分不能为 0。"),
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "date"]),
            models.Index(fields=["employee", "date"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.points} {self.date}"

    @property
    def is_penalty(self) -> bool:
        return self.kind != self.Kind.WORK
