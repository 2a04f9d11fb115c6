"""Appraisal periods (考评期间): a month, quarter, half-year or year of a company.

A period is open, then closing (results being frozen), then closed. Once closed, nothing dated
inside it may be created, changed or deleted; `guard.ensure_open` is what every service asks.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from kaoping.org.models import Company


class Period(models.Model):
    class Kind(models.TextChoices):
        MONTH = "month", _("月度")
        QUARTER = "quarter", _("季度")
        HALF = "half", _("半年度")
        YEAR = "year", _("年度")

    class Status(models.TextChoices):
        OPEN = "open", _("进行中")
        CLOSING = "closing", _("关账中")
        CLOSED = "closed", _("已关账")

    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="periods")
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    key = models.CharField(_("期间"), max_length=10)
    start = models.DateField(_("开始日期"))
    end = models.DateField(_("结束日期"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN)
    self_deadline = models.DateField(_("自评截止日期"), null=True, blank=True)
    rating_deadline = models.DateField(_("上级评截止日期"), null=True, blank=True)
    opened_at = models.DateTimeField(_("开始时间"), auto_now_add=True)
    closed_at = models.DateTimeField(_("关账时间"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("考评期间")
        verbose_name_plural = _("考评期间")
        ordering = ["company_id", "start", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["company", "kind", "key"], name="period_key_unique"),
            models.CheckConstraint(condition=Q(end__gte=F("start")), name="period_end_after_start"),
        ]
        indexes = [models.Index(fields=["company", "status", "start", "end"])]

    def __str__(self) -> str:
        return f"{self.key} {self.get_kind_display()}"

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED


class PeriodClosure(models.Model):
    """A close of a period for a unit's subtree (the company root closes the whole period)."""

    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="closures")
    unit = models.ForeignKey("org.OrgUnit", on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField(_("关账时间"), auto_now_add=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("关账记录")
        verbose_name_plural = _("关账记录")
        constraints = [
            models.UniqueConstraint(fields=["period", "unit"], name="period_closure_unique"),
        ]
