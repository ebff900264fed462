from django.db import migrations


def create_gin(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return  # SQLite falls back to a plain LIKE search; nothing to index.
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS proposal_search_gin "
        "ON projects_proposal USING gin (search_vector)"
    )


def drop_gin(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS proposal_search_gin")


class Migration(migrations.Migration):
    dependencies = [("projects", "0003_proposals")]
    operations = [migrations.RunPython(create_gin, drop_gin)]
