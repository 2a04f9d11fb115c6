"""Model fields shared by the apps."""

from __future__ import annotations

from typing import Any

from django.db import models


class PlainJSONField(models.JSONField):  # type: ignore[type-arg]
    """JSON kept as written: PostgreSQL `json` (text whose syntax is checked) instead of `jsonb`.

    For documents written by the hundred thousand and read whole, never searched inside with an
    index: a close writes 100,000 results at once, and parsing them into `jsonb` was a sixth of
    a PostgreSQL close. Reading a key (`data__total`) works as with JSONField; `jsonb`-only
    lookups (contains, has_key) do not. SQLite stores JSON as text either way.
    """

    def db_type(self, connection: Any) -> str | None:
        if connection.vendor == "postgresql":
            return "json"
        return super().db_type(connection)
