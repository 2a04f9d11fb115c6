"""How the services' refusals answer over HTTP.

A service's ValidationError becomes 400 with its messages under the fields to correct (the
services key errors by field; NON_FIELD_ERRORS becomes `non_field_errors`); its PermissionDenied
becomes 403 with the service's own message. Selectors answer 404 for what the viewer may not see.
Messages are the Chinese msgids, translated into the request's language when a catalogue has them.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler


def translated(message: object) -> str:
    """A service message in the active language (the msgid itself when not catalogued)."""
    text = str(message)
    return gettext(text) if text else text


def field_errors(exc: DjangoValidationError) -> dict[str, list[str]]:
    """A Django ValidationError as {field: [messages]}, non-field errors as `non_field_errors`."""
    if hasattr(exc, "error_dict"):
        errors: dict[str, list[str]] = {}
        for field, messages in exc.message_dict.items():
            key = api_settings.NON_FIELD_ERRORS_KEY if field == NON_FIELD_ERRORS else field
            errors.setdefault(key, []).extend(translated(m) for m in messages)
        return errors
    return {api_settings.NON_FIELD_ERRORS_KEY: [translated(m) for m in exc.messages]}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, taught the Django exceptions the services raise."""
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(field_errors(exc))
    elif isinstance(exc, DjangoPermissionDenied):
        message = translated(exc) if str(exc) else None
        exc = exceptions.PermissionDenied(message)
    return drf_exception_handler(exc, context)
