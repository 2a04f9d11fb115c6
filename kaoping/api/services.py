"""Writes of the API app: tokens (接口令牌) and external ids, each with its audit event."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kaoping.audit.services import audit_record, snapshot
from kaoping.org.access import scope_of
from kaoping.org.services import NO_PERMISSION, Actor

from .models import ApiToken, ExternalRecord

# The secret: 40 random bytes, URL-safe; "kp_" makes a leaked token recognisable in a scan.
SECRET_BYTES = 40
SECRET_MARK = "kp_"
PREFIX_LENGTH = len(SECRET_MARK) + 8
# Fields of a token the audit log may show (never the hash).
_AUDITED = ("id", "user", "name", "prefix", "created_at", "revoked_at")

USER_INACTIVE = _("用户“{user}”已停用,不能为其创建令牌。")
EXTERNAL_ID_TAKEN = _("外部编号(external_id)“{external_id}”在本公司已使用。")


def secret_hash(secret: str) -> str:
    """The stored form of a secret: its sha256, hex."""
    return hashlib.sha256(secret.encode()).hexdigest()


def _company_of(user: User) -> int | None:
    companies = scope_of(user).company_ids
    return next(iter(companies)) if len(companies) == 1 else None


def _require_self_or_system(actor: Actor, user: User) -> None:
    # A person manages their own tokens; the command line (actor None) and superusers any.
    if actor is None or actor.is_superuser or actor.pk == user.pk:
        return
    raise PermissionDenied(NO_PERMISSION)


@transaction.atomic
def token_create(*, actor: Actor, user: User, name: str = "") -> tuple[ApiToken, str]:
    """Create an API token (接口令牌) for `user`; return it with its secret, shown only now."""
    _require_self_or_system(actor, user)
    if not user.is_active:
        raise ValidationError({"user": USER_INACTIVE.format(user=user.get_username())})
    secret = SECRET_MARK + secrets.token_urlsafe(SECRET_BYTES)
    token = ApiToken(
        user=user, name=name.strip(), prefix=secret[:PREFIX_LENGTH], key_hash=secret_hash(secret)
    )
    token.full_clean()
    token.save()
    audit_record(
        actor=actor,
        action="api_token.create",
        obj=token,
        company_id=_company_of(user),
        after=snapshot(token, _AUDITED),
    )
    return token, secret


@transaction.atomic
def token_revoke(*, actor: Actor, token: ApiToken) -> ApiToken:
    """Revoke a token: it authenticates nobody from now on. Revoking twice changes nothing."""
    token = ApiToken.objects.select_for_update().select_related("user").get(pk=token.pk)
    _require_self_or_system(actor, token.user)
    if token.revoked_at is not None:
        return token
    before = snapshot(token, _AUDITED)
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(
        actor=actor,
        action="api_token.revoke",
        obj=token,
        company_id=_company_of(token.user),
        before=before,
        after=snapshot(token, _AUDITED),
    )
    return token


@transaction.atomic
def external_record_link(
    *, actor: Actor, company_id: int, kind: str, external_id: str, object_id: int, digest: str
) -> ExternalRecord:
    """Remember that an integration sent record `object_id` of `kind` as `external_id`.

    Called in the transaction that created the record, so both stand or fall together.
    """
    if ExternalRecord.objects.filter(
        company_id=company_id, kind=kind, external_id=external_id
    ).exists():
        raise ValidationError({"external_id": EXTERNAL_ID_TAKEN.format(external_id=external_id)})
    link = ExternalRecord(
        company_id=company_id,
        kind=kind,
        external_id=external_id,
        object_id=object_id,
        digest=digest,
    )
    link.full_clean()
    try:
        with transaction.atomic():
            link.save()
    except IntegrityError:  # the same id linked by a concurrent request meanwhile
        raise ValidationError(
            {"external_id": EXTERNAL_ID_TAKEN.format(external_id=external_id)}
        ) from None
    audit_record(actor=actor, action="external_record.link", obj=link, after=snapshot(link))
    return link
