"""Reads of the API app: tokens and external ids."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from kaoping.org.access import SystemViewer

from .models import ApiToken, ExternalRecord
from .services import secret_hash

Viewer = AbstractBaseUser | AnonymousUser | SystemViewer | None


def token_list(*, viewer: Viewer, username: str | None = None) -> QuerySet[ApiToken]:
    """Tokens the viewer may see: their own; the system (command line) and superusers all."""
    tokens = ApiToken.objects.select_related("user").order_by("user__username", "created_at", "id")
    if username is not None:
        tokens = tokens.filter(user__username=username)
    if isinstance(viewer, SystemViewer) or getattr(viewer, "is_superuser", False):
        return tokens
    if viewer is None or not viewer.is_authenticated:
        return tokens.none()
    return tokens.filter(user_id=viewer.pk)


def token_for_secret(secret: str) -> ApiToken | None:
    """The live token with this secret, with its user; None when unknown or revoked."""
    return (
        ApiToken.objects.select_related("user")
        .filter(key_hash=secret_hash(secret), revoked_at__isnull=True)
        .first()
    )


def external_records(
    *, kind: str, company_ids: Iterable[int], external_ids: Iterable[str]
) -> dict[tuple[int, str], ExternalRecord]:
    """The external ids already linked for `kind` in these companies, by (company, external id).

    Callers check the linked record's visibility through its own selector.
    """
    found = ExternalRecord.objects.filter(
        kind=kind, company_id__in=set(company_ids), external_id__in=set(external_ids)
    )
    return {(link.company_id, link.external_id): link for link in found}
