"""PostgreSQL: compress results' JSON with lz4 instead of pglz.

Most results are just over the 2 kB at which PostgreSQL compresses a row's large values, and
pglz is slow: with lz4 the COPY of a 100,000-employee close's results takes a quarter less time
for about the same size. A server built without lz4 (PostgreSQL before 14, or built without
it) keeps pglz: the migration then changes nothing.
"""

from django.db import DatabaseError, migrations, transaction


def _compression(method: str):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor):  # type: ignore[no-untyped-def]
        if schema_editor.connection.vendor != "postgresql":
            return
        try:
            with transaction.atomic(using=schema_editor.connection.alias):
                schema_editor.execute(
                    f"ALTER TABLE appraisals_result ALTER COLUMN data SET COMPRESSION {method}"
                )
        except DatabaseError:
            pass  # no lz4 in this server: pglz it stays

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("appraisals", "0007_results_json_unchecked_on_sqlite"),
    ]

    operations = [
        migrations.RunPython(_compression("lz4"), _compression("pglz")),
    ]
