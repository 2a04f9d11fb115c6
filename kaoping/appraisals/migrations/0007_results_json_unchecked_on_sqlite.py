"""SQLite: rebuild the results table without the CHECK (JSON_VALID(data)) of JSONField.

PlainJSONField no longer asks for that check on SQLite (see kaoping/db/fields.py). A database
created from scratch already lost it in 0005 (which rebuilt the table from the current field);
one migrated through 0005 before the change still has it, and SQLite can only drop a CHECK by
rebuilding the table, which is what Django's SQLite schema editor does for any altered column.
"""

from django.db import migrations


def _rebuild(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "sqlite":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'appraisals_result'"
        )
        (sql,) = cursor.fetchone()
    if "JSON_VALID" in sql:
        schema_editor._remake_table(apps.get_model("appraisals", "Result"))


class Migration(migrations.Migration):
    dependencies = [
        ("appraisals", "0006_score_entry_rejection"),
    ]

    operations = [
        migrations.RunPython(_rebuild, migrations.RunPython.noop),
    ]
