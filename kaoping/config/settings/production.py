"""Settings for production: refuses to start unless the environment is safe.

Required: SECRET_KEY (50+ characters, random), ALLOWED_HOSTS, and DEBUG unset or off.
Optional: SECURE_SSL_REDIRECT (default on), SECURE_HSTS_SECONDS (default one year),
SECURE_PROXY_SSL_HEADER (on when a load balancer terminates TLS and sets X-Forwarded-Proto).
"""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *
from .base import env_bool

SECRET_KEY_MIN_LENGTH = 50
SECRET_KEY_MIN_UNIQUE_CHARACTERS = 5

ERROR_SECRET_KEY_MISSING = (
    "SECRET_KEY is not set. Set the SECRET_KEY environment variable to a random string of at "
    "least 50 characters, e.g. the output of: python -c 'from django.core.management.utils "
    "import get_random_secret_key; print(get_random_secret_key())'"
)
ERROR_SECRET_KEY_INSECURE = (
    "SECRET_KEY is insecure: {reason}. Use a random string of at least 50 characters with at "
    "least 5 different characters that does not start with 'django-insecure'."
)
ERROR_DEBUG_ON = "DEBUG must be off in production: unset the DEBUG environment variable."
ERROR_ALLOWED_HOSTS_MISSING = (
    "ALLOWED_HOSTS is not set. Set it to the comma-separated host names this site answers to."
)


def _secret_key_problem(key: str) -> str | None:
    """Say what is wrong with a secret key, or None if it is acceptable (Django's W009 rules)."""
    if key.startswith("django-insecure"):
        return "it starts with 'django-insecure'"
    if len(key) < SECRET_KEY_MIN_LENGTH:
        return f"it has {len(key)} characters, fewer than {SECRET_KEY_MIN_LENGTH}"
    if len(set(key)) < SECRET_KEY_MIN_UNIQUE_CHARACTERS:
        return (
            f"it has {len(set(key))} different characters, "
            f"fewer than {SECRET_KEY_MIN_UNIQUE_CHARACTERS}"
        )
    return None


if env_bool("DEBUG", False):
    raise ImproperlyConfigured(ERROR_DEBUG_ON)
DEBUG = False

if not SECRET_KEY:
    raise ImproperlyConfigured(ERROR_SECRET_KEY_MISSING)
_problem = _secret_key_problem(SECRET_KEY)
if _problem is not None:
    raise ImproperlyConfigured(ERROR_SECRET_KEY_INSECURE.format(reason=_problem))

if not ALLOWED_HOSTS:
    raise ImproperlyConfigured(ERROR_ALLOWED_HOSTS_MISSING)

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
# A load balancer's health check speaks plain HTTP; don't redirect it.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# Static files: hashed names (cached for a year by browsers) and gzip/brotli variants, made by
# `kaoping collectstatic`; WhiteNoise serves only what was collected.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
