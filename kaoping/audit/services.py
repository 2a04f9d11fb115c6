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


def chain_of(company_id: int | None) -> str:
    """The chain an event of this company is appended to."""
    return f"company:{company_id}" if company_id is not None else "system"


def _payload(event: AuditEvent) -> dict[str, Any]:
    payload = {
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
    if event.chain:  # events of the first, single chain were hashed without it
        payload["chain"] = event.chain
    return payload


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
    chain = chain_of(company_id)
    head = _locked_head(chain)
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
        chain=chain,
        prev_hash=head.last_hash,
    )
    event.hash = event_hash(event.prev_hash, _payload(event))
    event.save(force_insert=True)
    head.last_hash = event.hash
    head.count += 1
    head.save(update_fields=["last_hash", "count"])
    return event


def _locked_head(chain: str) -> AuditHead:
    # A chain's head row serialises its appends, so the chain stays a single line even when
    # two requests write at the same moment (SELECT … FOR UPDATE on PostgreSQL); other chains
    # (other companies) are not held up. Two first appends to a new chain both create its head:
    # one waits on the unique chain, then finds the other's. A transaction that recorded
    # events of two chains would lock their heads in the order it wrote them; none does today
    # (a company's writes stay in its chain, a restore writes only to "system").
    head = AuditHead.objects.select_for_update().filter(chain=chain).first()
    if head is None:
        AuditHead.objects.get_or_create(chain=chain, defaults={"last_hash": GENESIS, "count": 0})
        head = AuditHead.objects.select_for_update().get(chain=chain)
    return head


@dataclass(frozen=True, slots=True)
class ChainReport:
    """What `audit verify` found: how many events (and chains) it checked and the first
    broken one."""

    checked: int
    broken_id: int | None = None
    problem: str = ""
    chains: int = 0
    chain: str = ""  # the broken chain

    @property
    def ok(self) -> bool:
        return not self.problem


def audit_verify(
    *, company_id: int | None = None, progress: Callable[[int], None] | None = None
) -> ChainReport:
    """Walk every chain (or one company's) in order and report the first event that does not
    link or hash, or a head that does not match its chain's last event."""
    events = AuditEvent.objects.order_by("id")
    heads = AuditHead.objects.all()
    if company_id is not None:
        events = events.filter(chain=chain_of(company_id))
        heads = heads.filter(chain=chain_of(company_id))
    last: dict[str, str] = {}
    counts: dict[str, int] = {}
    checked = 0
    for event in events.iterator(chunk_size=5000):
        prev = last.get(event.chain, GENESIS)
        if event.prev_hash != prev:
            problem = "前一条哈希不符(有事件被删除或插入)"
            return ChainReport(checked, event.id, problem, len(last), event.chain)
        if event_hash(prev, _payload(event)) != event.hash:
            return ChainReport(
                checked, event.id, "内容与哈希不符(事件被修改)", len(last), event.chain
            )
        last[event.chain] = event.hash
        counts[event.chain] = counts.get(event.chain, 0) + 1
        checked += 1
        if progress is not None and checked % 50_000 == 0:
            progress(checked)
    for head in heads:
        if head.last_hash != last.get(head.chain, GENESIS) or head.count != counts.get(
            head.chain, 0
        ):
            problem = "链头与最后一条事件不符(末尾的事件被删除)"
            return ChainReport(checked, None, problem, len(last), head.chain)
    headless = sorted(set(last) - {head.chain for head in heads})
    if headless:
        return ChainReport(checked, None, "链头缺失(链头被删除)", len(last), headless[0])
    return ChainReport(checked, chains=len(last))
