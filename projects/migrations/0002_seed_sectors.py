from django.db import migrations

SLUGS = [
    "energy",
    "water",
    "mobility",
    "housing",
    "buildings",
    "waste",
    "health",
    "digital",
    "finance",
    "public_space",
    "food",
    "education",
    "safety",
]


def seed(apps, schema_editor):
    Sector = apps.get_model("projects", "Sector")
    for position, slug in enumerate(SLUGS):
        Sector.objects.update_or_create(slug=slug, defaults={"position": position})


class Migration(migrations.Migration):
    dependencies = [("projects", "0001_sectors")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
