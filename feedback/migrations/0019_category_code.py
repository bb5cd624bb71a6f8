"""Each complaint category gets a stable ``code`` (Open311's ``service_code``): existing
rows get the toneless pinyin of their name (停车管理 → ``ting-che-guan-li``), unique."""

import re

from django.db import migrations, models

import feedback.complaints.models


def _slug(name: str) -> str:
    try:
        from pypinyin import Style, lazy_pinyin

        words = lazy_pinyin(name, style=Style.NORMAL, errors="ignore")
    except ImportError:  # pragma: no cover - pypinyin is a requirement
        words = []
    text = "-".join(w.lower() for w in words) or name.lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:34]


def fill_codes(apps, schema_editor):
    Category = apps.get_model("feedback", "ComplaintCategory")
    taken = set()
    for category in Category.objects.order_by("pk"):
        base = _slug(category.name) or f"c-{category.pk}"
        code, n = base, 2
        while code in taken:
            code, n = f"{base}-{n}", n + 1
        taken.add(code)
        category.code = code
        category.save(update_fields=["code"])


class Migration(migrations.Migration):
    dependencies = [("feedback", "0018_response_templates_and_repeat_index")]

    operations = [
        migrations.AddField(
            model_name="complaintcategory",
            name="code",
            field=models.SlugField(max_length=40, null=True, db_index=False, verbose_name="接口代码"),
        ),
        migrations.RunPython(fill_codes, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="complaintcategory",
            name="code",
            field=models.SlugField(
                default=feedback.complaints.models.new_category_code,
                help_text="对接系统（Open311 接口）使用的分类代码，只含小写字母、数字和连字符；改动会影响已对接的系统。",
                max_length=40,
                unique=True,
                verbose_name="接口代码",
            ),
        ),
    ]
