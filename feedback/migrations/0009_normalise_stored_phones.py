"""Stored phones become ASCII digits (``portal.personal_data.normalise_phone``).

Before, a number typed with full-width digits (``138９９９９００００``) or spaces was
stored as typed, so staff could neither dial nor find it and the blocklist missed it.
Only rows whose normalised form differs are written. Existing reports get no public
text here: they stay off the public board until a moderator approves one (0007).
"""

import unicodedata

from django.db import migrations

# A frozen copy of the rule (a migration must not change when the module does).
NOISE = set(" \t\n\r\u3000-‐‑‒–—―−.·()（）")


def normalise(raw: str) -> str:
    text = "".join(c for c in unicodedata.normalize("NFKC", raw or "") if c not in NOISE and not c.isspace())
    for prefix in ("+86", "0086", "86"):
        rest = text[len(prefix) :]
        if text.startswith(prefix) and len(rest) == 11 and rest.isascii() and rest.isdigit():
            return rest
    return text


def forwards(apps, schema_editor):
    for model_name in ("Complaint", "Evaluation"):
        model = apps.get_model("feedback", model_name)
        changed = []
        for row in model.objects.exclude(phone="").only("pk", "phone").iterator(2000):
            phone = normalise(row.phone)[: model._meta.get_field("phone").max_length]
            if phone != row.phone:
                row.phone = phone
                changed.append(row)
        model.objects.bulk_update(changed, ["phone"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("feedback", "0008_complaint_public_text_and_public_photos")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
