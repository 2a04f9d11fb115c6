"""Where a write comes from: the request id and address, set by middleware for each request."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse


@dataclass(frozen=True, slots=True)
class Origin:
    request_id: str = ""
    address: str | None = None


_origin: ContextVar[Origin | None] = ContextVar("kaoping_audit_origin", default=None)
_NO_ORIGIN = Origin()


def current_origin() -> Origin:
    return _origin.get() or _NO_ORIGIN


@contextmanager
def origin(request_id: str = "", address: str | None = None) -> Iterator[None]:
    """Run a block (a command, an import) with a given origin for its audit events."""
    token = _origin.set(Origin(request_id or uuid.uuid4().hex, address))
    try:
        yield
    finally:
        _origin.reset(token)


class AuditOriginMiddleware:
    """Give every request an id (kept from X-Request-ID when sane) and record its address."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.headers.get("X-Request-ID", "")
        request_id = given if given.isascii() and 0 < len(given) <= 64 else uuid.uuid4().hex
        address = request.META.get("REMOTE_ADDR") or None
        with origin(request_id, address):
            response = self.get_response(request)
        response["X-Request-ID"] = request_id
        return response
