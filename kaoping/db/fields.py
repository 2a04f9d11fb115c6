"""Model fields shared by the apps."""

from __future__ import annotations

from typing import Any

from django.db import models


class PlainJSONField(models.JSONField):  # type: ignore[type-arg]
    """JSON kept as written: PostgreSQL `json` (text whose syntax is checked) instead of `jsonb`.

    For documents written by the hundred thousand and read whole, never searched inside with an
    index: a close writes 100,000 results at once, and parsing them into `jsonb` was a sixth of
    a PostgreSQL close. Reading a key (`data__total`) works as with JSONField; `jsonb`-only
    lookups (contains, has_key) do not. SQLite stores JSON as text either way, and without the
    CHECK (JSON_VALID(...)) that Django adds to JSONField there: the field only ever holds what
    `json.dumps` wrote (the model field's own serialisation, or the close's), and validating it
    again was a third of the SQLite time spent inserting a close's results.
    """

    def db_type(self, connection: Any) -> str | None:
        if connection.vendor == "postgresql":
            return "json"
        return super().db_type(connection)

    def db_check(self, connection: Any) -> str | None:
        if connection.vendor == "sqlite":
            return None
        return super().db_check(connection)
