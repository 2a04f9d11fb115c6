"""One audit chain per company (and one for events of no company), each with its own head.

Writes of different companies no longer wait for one another on a single head row. Existing
events and the existing head keep the chain "" (hashed without a chain, as they were), and
verify as before; new events go to their company's chain.
"""

from django.db import migrations, models


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
    ]
