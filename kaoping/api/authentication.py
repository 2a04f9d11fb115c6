"""`Authorization: Token <secret>`: a personal API token authenticates its user."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import User
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request

from .models import ApiToken
from .selectors import token_for_secret

KEYWORD = "Token"
# last_used_at is written at most this often per token, not on every request.
TOUCH_INTERVAL = dt.timedelta(minutes=1)


class TokenAuthentication(BaseAuthentication):
    """Authenticate `Authorization: Token <secret>` against the stored hashes of live tokens."""

    keyword = KEYWORD

    def authenticate(self, request: Request) -> tuple[User, ApiToken] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.lower().encode():
            return None
        if len(parts) != 2:
            raise AuthenticationFailed(_("令牌格式错误:应为 “Authorization: Token <令牌>”。"))
        try:
            secret = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise AuthenticationFailed(_("令牌无效或已撤销。")) from None
        token = token_for_secret(secret)
        if token is None or not token.user.is_active:
            raise AuthenticationFailed(_("令牌无效或已撤销。"))
        _touch(token)
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        # Makes an unauthenticated request answer 401 (with WWW-Authenticate), not 403.
        return self.keyword


def _touch(token: ApiToken) -> None:
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= TOUCH_INTERVAL:
        # Bookkeeping of the token itself, not a record of the business: no audit event.
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


def token_of(request: Any) -> ApiToken | None:
    """The token a request authenticated with, if any."""
    auth = getattr(request, "auth", None)
    return auth if isinstance(auth, ApiToken) else None
