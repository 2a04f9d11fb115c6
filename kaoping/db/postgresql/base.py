"""Django's PostgreSQL backend, reading `json` columns as text like it reads `jsonb`.

Django registers a text loader for `jsonb` so that JSONField parses values itself; a column of
type `json` (kaoping.db.fields.PlainJSONField) would otherwise arrive already parsed by psycopg,
and a key read out of it (`data__total`) would be parsed twice. With this loader both types
behave alike.
"""

from __future__ import annotations

from django.db.backends.postgresql import base
from psycopg.types.string import TextLoader


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params):  # type: ignore[no-untyped-def]
        conn = super().get_new_connection(conn_params)
        conn.adapters.register_loader("json", TextLoader)
        return conn
