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


def test_a_sqlite_file_database_is_opened_in_write_ahead_log_mode(
    tmp_path, django_db_blocker
) -> None:  # type: ignore[no-untyped-def]
    from kaoping.db.sqlite3.base import DatabaseWrapper

    wrapper = DatabaseWrapper(
        {
            "NAME": str(tmp_path / "k.sqlite3"),
            "ENGINE": "kaoping.db.sqlite3",
            "OPTIONS": {},
            "TIME_ZONE": None,
            "CONN_MAX_AGE": 0,
            "CONN_HEALTH_CHECKS": False,
            "AUTOCOMMIT": True,
            "ATOMIC_REQUESTS": False,
            "TEST": {},
            "USER": "",
            "PASSWORD": "",
            "HOST": "",
            "PORT": "",
        }
    )
    with django_db_blocker.unblock():
        try:
            with wrapper.cursor() as cursor:
                cursor.execute("PRAGMA journal_mode")
                assert cursor.fetchone() == ("wal",)
                cursor.execute("PRAGMA synchronous")
                assert cursor.fetchone() == (1,)  # NORMAL
        finally:
            wrapper.close()


@pytest.mark.django_db
def test_results_are_stored_as_plain_json_text() -> None:
    """PlainJSONField: PostgreSQL `json` (not `jsonb`) compressed with lz4 (the servers we run
    on have it), SQLite text without a JSON_VALID check."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT data_type FROM information_schema.columns "
                "WHERE table_name = 'appraisals_result' AND column_name = 'data'"
            )
            assert cursor.fetchone() == ("json",)
            # compressed with lz4 where the server has it (faster than pglz to write)
            cursor.execute(
                "SELECT attcompression FROM pg_attribute "
                "WHERE attrelid = 'appraisals_result'::regclass AND attname = 'data'"
            )
            assert cursor.fetchone() == ("l",)
        else:
            cursor.execute("SELECT sql FROM sqlite_master WHERE name = 'appraisals_result'")
            (sql,) = cursor.fetchone()
            assert '"data" text NOT NULL' in sql
            assert "JSON_VALID" not in sql


@pytest.mark.postgres
@pytest.mark.django_db
def test_appraisals_keep_room_to_be_closed_in_place() -> None:
    """PostgreSQL: appraisal pages are half filled, so that the close's update of every row is
    written in place (no index touched); SQLite has no such setting."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = 'appraisals_appraisal'")
        assert cursor.fetchone() == (["fillfactor=50"],)
