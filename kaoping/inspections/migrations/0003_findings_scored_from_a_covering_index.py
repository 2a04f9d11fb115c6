"""Findings: the index by employee covers what scoring reads, and the plain one goes.

A month's findings are recorded day by day, so one employee's lie scattered over the whole
table: scoring a range of 12,500 employees read 43,000 of its pages (a third of a gigabyte for
2,000,000 findings). The (employee, occurred_at, id) index now includes the columns scoring
reads, so that PostgreSQL answers from the index alone (0.63 s → 0.19 s for such a range),
already in each employee's order. The index on employee alone was a prefix of it.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("inspections", "0002_corrective_action_cancelled"),
        ("org", "0001_initial"),
        ("policies", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="finding",
            name="inspections_employe_cadf8d_idx",
        ),
        migrations.AlterField(
            model_name="finding",
            name="employee",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="findings",
                to="org.employee",
                verbose_name="员工",
            ),
        ),
        migrations.AddIndex(
            model_name="finding",
            index=models.Index(
                fields=["employee", "occurred_at", "id"],
                include=(
                    "company",
                    "status",
                    "section",
                    "severity",
                    "points",
                    "item",
                    "mandatory_penalty",
                    "supervisor_liable",
                    "subject_unit",
                ),
                name="finding_employee_scoring",
            ),
        ),
    ]
