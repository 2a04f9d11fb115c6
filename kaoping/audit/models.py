"""The audit log (审计日志): append-only, every event chained to its predecessor by a hash.

Every write of the records goes through a service that appends an event here in the same
transaction. Each event stores the hash of the one before it in its chain, so editing or
deleting any row breaks the chain where it happened (`kaoping audit verify`); on PostgreSQL a
trigger also refuses UPDATE and DELETE on the table.

Each company has its own chain ("company:<id>"; events of no company: "system"), so that
writes of different companies never wait for one another on the chain's head, and a company's
log can be verified, exported or moved (sharding by company) on its own. Events written before
chains were per company form the one chain "" and verify as they always did.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """One write: who, when (UTC), what, before and after, why, from where."""

    at = models.DateTimeField(_("时间"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_name = models.CharField(_("操作人"), max_length=150, blank=True)
    company_id = models.BigIntegerField(_("公司"), null=True, blank=True, db_index=True)
    action = models.CharField(_("操作"), max_length=80)
    object_type = models.CharField(_("对象类型"), max_length=80)
    object_id = models.CharField(_("对象"), max_length=64, blank=True)
    before = models.JSONField(_("修改前"), null=True, blank=True)
    after = models.JSONField(_("修改后"), null=True, blank=True)
    reason = models.TextField(_("原因"), blank=True)
    request_id = models.CharField(_("请求编号"), max_length=64, blank=True)
    address = models.GenericIPAddressField(_("地址"), null=True, blank=True)
    chain = models.CharField(_("审计链"), max_length=40, blank=True, default="")
    prev_hash = models.CharField(_("前一条哈希"), max_length=64)
    hash = models.CharField(_("哈希"), max_length=64, unique=True)

    class Meta:
        verbose_name = _("审计事件")
        verbose_name_plural = _("审计事件")
        ordering = ["id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_name} {self.action} {self.object_type}:{self.object_id}"


class AuditHead(models.Model):
    """A chain's head (one row per chain): its last hash, locked by each append to keep the
    chain linear."""

    chain = models.CharField(max_length=40, unique=True, default="")
    last_hash = models.CharField(max_length=64)
    count = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("审计链头")
