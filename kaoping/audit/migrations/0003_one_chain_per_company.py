"""One audit chain per company (and one for events of no company), each with its own head.

Writes of different companies no longer wait for one another on a single head row. Existing
events and the existing head keep the chain "" (hashed without a chain, as they were), and
verify as before; new events go to their company's chain.

The single head was written with an explicit id (1), so PostgreSQL's sequence for head ids was
never advanced: the first new chain's head would take id 1 again. The sequence is set past the
existing heads.
"""

from django.core.management.color import no_style
from django.db import migrations, models


def reset_head_ids(apps, schema_editor):  # type: ignore[no-untyped-def]
    """Set the head table's id sequence past its rows (PostgreSQL; SQLite needs nothing)."""
    connection = schema_editor.connection
    head = apps.get_model("audit", "AuditHead")
    for sql in connection.ops.sequence_reset_sql(no_style(), [head]):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_append_only_trigger"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="chain",
            field=models.CharField(blank=True, default="", max_length=40, verbose_name="审计链"),
        ),
        migrations.AddField(
            model_name="audithead",
            name="chain",
            field=models.CharField(default="", max_length=40, unique=True),
        ),
        migrations.RunPython(reset_head_ids, migrations.RunPython.noop),
    ]
