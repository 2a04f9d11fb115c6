"""API tokens (接口令牌) and the external ids of records sent by integrations.

A token's secret is shown once, when it is created; only its sha256 is stored, with a short
prefix that identifies it in lists and logs. An `ExternalRecord` remembers which record an
integration sent under its own id, for record types without an `external_id` column (findings),
so that a retried batch never makes a duplicate.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kaoping.org.models import Company


class ApiToken(models.Model):
    """A user's personal API token: `Authorization: Token <secret>` acts as that user."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="api_tokens",
        verbose_name=_("用户"),
    )
    name = models.CharField(_("用途"), max_length=100, blank=True)
    prefix = models.CharField(_("前缀"), max_length=16, db_index=True)
    key_hash = models.CharField(_("密钥哈希"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("最近使用时间"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")
        ordering = ["user_id", "created_at", "id"]
        indexes = [
            models.Index(
                fields=["user"], condition=Q(revoked_at__isnull=True), name="api_token_live"
            )
        ]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user_id})"

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None


class ExternalRecord(models.Model):
    """A record an integration sent under its own id (外部编号), with a digest of what it sent."""

    company = models.ForeignKey(
        Company, on_delete=models.PROTECT, related_name="+", verbose_name=_("公司")
    )
    kind = models.CharField(_("记录类型"), max_length=40)
    external_id = models.CharField(_("外部编号"), max_length=100)
    object_id = models.BigIntegerField(_("记录"))
    digest = models.CharField(_("内容摘要"), max_length=64)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("外部编号")
        verbose_name_plural = _("外部编号")
        constraints = [
            models.UniqueConstraint(
                fields=["company", "kind", "external_id"], name="api_external_record_unique"
            ),
        ]
        indexes = [models.Index(fields=["kind", "object_id"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.external_id} → {self.object_id}"
