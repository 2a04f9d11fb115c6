"""Appending to the audit log, and verifying its chain."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import models, transaction
from django.utils import timezone

from .context import current_origin
from .models import AuditEvent, AuditHead

GENESIS = "0" * 64


def snapshot(instance: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """A JSON-safe copy of a model's concrete field values (foreign keys by id)."""
    names = set(fields) if fields is not None else None
    data: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        if names is not None and field.name not in names:
            continue
        data[field.attname] = json_safe(getattr(instance, field.attname))
    return data


def json_safe(value: object) -> Any:
    """Values as JSON keeps them exactly: decimals and dates as text, files by name."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime):
        return (
            value.astimezone(dt.UTC).isoformat() if timezone.is_aware(value) else value.isoformat()
        )
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, Mapping):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    name = getattr(value, "name", None)  # FieldFile
    if isinstance(name, str):
        return name
    return str(value)


def event_hash(prev_hash: str, payload: Mapping[str, Any]) -> str:
    """sha256 over the previous hash and the event's canonical JSON."""
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(f"{prev_hash}\n{text}".encode()).hexdigest()


def _payload(event: AuditEvent) -> dict[str, Any]:
    return {
        "at": event.at.astimezone(dt.UTC).isoformat(),
        "actor": event.actor_id,
        "actor_name": event.actor_name,
        "company": event.company_id,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "before": event.before,
        "after": event.after,
        "reason": event.reason,
        "request_id": event.request_id,
        "address": event.address,
    }


def audit_record(
    *,
    actor: AbstractBaseUser | None,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    company_id: int | None = None,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    reason: str = "",
) -> AuditEvent:
    """Append one event; must run inside the transaction of the write it records."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record must run inside the write's transaction")
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        if company_id is None:
            is_company = obj._meta.label_lower == "org.company"
            company_id = obj.pk if is_company else getattr(obj, "company_id", None)
    origin = current_origin()
    head = _locked_head()
    event = AuditEvent(
        at=timezone.now(),
        actor_id=actor.pk if actor is not None else None,
        actor_name=actor.get_username() if actor is not None else "system",
        company_id=company_id,
        action=action,
        object_type=object_type,
        object_id=object_id,
        before=json_safe(before) if before is not None else None,
        after=json_safe(after) if after is not None else None,
        reason=reason,
        request_id=origin.request_id,
        address=origin.address,
        prev_hash=head.last_hash,
    )
    event.hash = event_hash(event.prev_hash, _payload(event))
    event.save(force_insert=True)
    head.last_hash = event.hash
    head.count += 1
    head.save(update_fields=["last_hash", "count"])
    return event


def _locked_head() -> AuditHead:
    # One head row serialises appends, so the chain stays a single line even when two
    # requests write at the same moment (SELECT … FOR UPDATE on PostgreSQL).
    head = AuditHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        AuditHead.objects.get_or_create(pk=1, defaults={"last_hash": GENESIS, "count": 0})
        head = AuditHead.objects.select_for_update().get(pk=1)
    return head


@dataclass(frozen=True, slots=True)
class ChainReport:
    """What `audit verify` found: how many events it checked and the first broken one."""

    checked: int
    broken_id: int | None = None
    problem: str = ""

    @property
    def ok(self) -> bool:
        return not self.problem


def audit_verify(*, progress: Callable[[int], None] | None = None) -> ChainReport:
    """Walk the whole chain in order and report the first event that does not link or hash."""
    prev = GENESIS
    checked = 0
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=5000):
        if event.prev_hash != prev:
            return ChainReport(checked, event.id, "前一条哈希不符(有事件被删除或插入)")
        if event_hash(prev, _payload(event)) != event.hash:
            return ChainReport(checked, event.id, "内容与哈希不符(事件被修改)")
        prev = event.hash
        checked += 1
        if progress is not None and checked % 50_000 == 0:
            progress(checked)
    head = AuditHead.objects.filter(pk=1).first()
    if head is not None and (head.last_hash != prev or head.count != checked):
        return ChainReport(checked, None, "链头与最后一条事件不符(末尾的事件被删除)")
    return ChainReport(checked)
