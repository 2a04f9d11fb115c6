"""Django's SQLite backend, told the real limit of query parameters of the linked SQLite.

Django assumes SQLite's old compile-time default of 999 parameters per statement, so a bulk
insert of 17-column rows is cut every 58 rows. The SQLite that Python links today allows 32,766
(or more); asking it lets a close write its results in batches of about two thousand rows, and
keeps the number of queries of a close independent of the head count for ordinary companies.
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
