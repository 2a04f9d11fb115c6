"""On PostgreSQL, refuse UPDATE and DELETE on the audit log at the database itself.

TRUNCATE (a whole-table reset, as test databases do between tests) is left to the database's
own privileges: the application's role should not hold it in production.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION kaoping_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_auditevent is append-only: % refused', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_auditevent_append_only
    BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION kaoping_audit_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS audit_auditevent_append_only ON audit_auditevent;
DROP FUNCTION IF EXISTS kaoping_audit_append_only();
"""


def _run(schema_editor, sql):
    # Executed without parameters, so the '%' of RAISE's format stays literal.
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(sql)


def create(apps, schema_editor):
    _run(schema_editor, CREATE)


def drop(apps, schema_editor):
    _run(schema_editor, DROP)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
