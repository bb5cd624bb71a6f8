"""Complaints, evaluations, blocked phones and audit entries left Wagtail's reference
index (``wagtail_reference_index_ignore``): drop the rows it kept for them."""

from django.db import migrations

MODELS = ("complaint", "evaluation", "blockedphone", "auditentry")


def drop_rows(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ReferenceIndex = apps.get_model("wagtailcore", "ReferenceIndex")
    types = ContentType.objects.filter(app_label="feedback", model__in=MODELS)
    ReferenceIndex.objects.filter(base_content_type__in=types).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0004_evaluation_anonymised_at"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0078_referenceindex"),
    ]

    operations = [migrations.RunPython(drop_rows, migrations.RunPython.noop)]
