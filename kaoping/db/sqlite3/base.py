"""Django's SQLite backend, told the real limit of query parameters of the linked SQLite.

Django assumes SQLite's old compile-time default of 999 parameters per statement, so a bulk
insert of 17-column rows is cut every 58 rows. The SQLite that Python links today allows 32,766
(or more); asking it lets a close write its results in batches of about two thousand rows, and
keeps the number of queries of a close independent of the head count for ordinary companies.

A file database is also put in write-ahead-log mode: readers (pages, the close's scoring
workers) and the one writer no longer block each other, and commits cost one fsync less
(`synchronous=NORMAL` is durable in WAL mode but for the last transactions on power loss).
"""

from __future__ import annotations

import sqlite3

from django.db.backends.sqlite3 import base, features
from django.utils.functional import cached_property

_FLOOR = 999


class DatabaseFeatures(features.DatabaseFeatures):
    @cached_property
    def max_query_params(self) -> int:  # type: ignore[override]
        self.connection.ensure_connection()
        raw = self.connection.connection
        try:
            return max(_FLOOR, int(raw.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)))
        except (AttributeError, sqlite3.Error):
            return _FLOOR


class DatabaseWrapper(base.DatabaseWrapper):
    features_class = DatabaseFeatures

    def get_new_connection(self, conn_params):  # type: ignore[no-untyped-def]
        conn = super().get_new_connection(conn_params)
        if not self.is_in_memory_db():
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
        return conn
