"""The SQLite backend knows the linked SQLite's real limit of query parameters."""

import sqlite3

import pytest
from django.db import connection


@pytest.mark.django_db
def test_sqlite_batches_use_the_real_parameter_limit() -> None:
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only: PostgreSQL has no such limit")
    raw = sqlite3.connect(":memory:")
    real = raw.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)

    assert connection.features.max_query_params == max(999, real)
    # 17 columns per row: batches of hundreds of rows, not Django's 58
    assert connection.ops.bulk_batch_size(list(range(17)), []) == max(999, real) // 17
