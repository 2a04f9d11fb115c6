"""Policies in the database (考评办法): documents, their versions, and where they apply.

A version is a YAML document that the engine loads. A draft can be edited; publishing makes it
effective from a period and freezes it: a published version is never edited, a change is a new
version. Results keep the version they were scored under.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kaoping.org.models import Company, OrgUnit, Position


class PolicyDocument(models.Model):
    """A policy of a company, by its public id (e.g. `cs-group-inspection`)."""

    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="policies")
    code = models.SlugField(_("编号"), max_length=60)
    title = models.CharField(_("名称"), max_length=200)
    subject = models.CharField(_("考评对象"), max_length=20)
    period = models.CharField(_("周期"), max_length=20)

    class Meta:
        verbose_name = _("考评办法")
        verbose_name_plural = _("考评办法")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["company", "code"], name="policy_code_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.title}({self.code})"


class PolicyVersion(models.Model):
    """One version of a policy: draft → published (effective from a period's first day)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("已发布")

    document = models.ForeignKey(PolicyDocument, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("版本"))
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    source = models.TextField(_("YAML 文本"))
    effective_from = models.DateField(_("生效日期"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("办法版本")
        verbose_name_plural = _("办法版本")
        ordering = ["document_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="policy_version_unique"),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(effective_from__isnull=False),
                name="policy_published_has_effective_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document.code} v{self.number}"


class PolicyAssignment(models.Model):
    """Where a policy applies: to a position and/or a unit subtree (of a kind), with dates.

    For an employee, an assignment matches when the employee's placement has its position (if
    set) and lies in its unit's subtree (if set); for a unit or team subject, when the subject
    is in the unit's subtree and of `unit_kind` (if set). The most specific match wins.
    """

    document = models.ForeignKey(
        PolicyDocument, on_delete=models.PROTECT, related_name="assignments"
    )
    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    position = models.ForeignKey(
        Position, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    unit_kind = models.CharField(
        _("单元类型"), max_length=20, choices=OrgUnit.Kind.choices, blank=True
    )
    consequences = models.ForeignKey(
        PolicyDocument,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("附加违规处罚"),
    )
    start = models.DateField(_("开始日期"))
    end = models.DateField(_("结束日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("办法适用范围")
        verbose_name_plural = _("办法适用范围")
        constraints = [
            models.CheckConstraint(
                condition=Q(unit__isnull=False) | Q(position__isnull=False),
                name="policy_assignment_has_target",
            ),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="policy_assignment_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document.code} → {self.position or ''} {self.unit or ''}".strip()
