"""Request rates per user and per address (settings REST_FRAMEWORK DEFAULT_THROTTLE_RATES).

DRF's throttles read the rates once, when their module is imported; these read them on every
request, so a changed setting (a test, a reload) takes effect at once.
"""

from __future__ import annotations

from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


class AnonThrottle(AnonRateThrottle):
    """Unauthenticated requests, counted per client address."""

    def get_rate(self) -> str | None:
        rates: dict[str, str | None] = api_settings.DEFAULT_THROTTLE_RATES  # type: ignore[assignment]
        return rates.get(self.scope or "")


class UserThrottle(UserRateThrottle):
    """Authenticated requests, counted per user (all of a user's tokens together)."""

    def get_rate(self) -> str | None:
        rates: dict[str, str | None] = api_settings.DEFAULT_THROTTLE_RATES  # type: ignore[assignment]
        return rates.get(self.scope or "")
