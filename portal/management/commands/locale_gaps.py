"""``manage.py locale_gaps``: the Wagtail strings still in English for staff, as .po entries.

Run it after upgrading Wagtail; paste what it prints into
``portal/locale/zh_Hans/LC_MESSAGES/<domain>.po``, translate, then
``manage.py compilemessages`` and commit both files (see ``portal/i18n.py``).
"""

from django.core.management.base import BaseCommand

from portal.i18n import DOMAINS, catalogue_gaps


def _quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    return f'"{escaped}"'


def po_block(app: str, entry, msgstr: str = "") -> str:
    lines = [f"#: {app}/{ref}" for ref in entry.references[:3]]
    flags = sorted(entry.flags - {"fuzzy"})
    if flags:
        lines.append("#, " + ", ".join(flags))
    if entry.msgctxt is not None:
        lines.append(f"msgctxt {_quote(entry.msgctxt)}")
    lines.append(f"msgid {_quote(entry.msgid)}")
    if entry.msgid_plural is not None:
        lines.append(f"msgid_plural {_quote(entry.msgid_plural)}")
        lines.append(f"msgstr[0] {_quote(msgstr)}")
    else:
        lines.append(f"msgstr {_quote(msgstr)}")
    return "\n".join(lines)


class Command(BaseCommand):
    help = "列出 Wagtail 中文目录和本项目目录都未翻译的后台文字（.po 格式）"

    def handle(self, *args, **options):
        total = 0
        for domain in DOMAINS:
            gaps = catalogue_gaps(domain)
            total += len(gaps)
            if gaps:
                self.stdout.write(f"# ---- {domain}.po ----\n")
            for app, entry in gaps:
                self.stdout.write(po_block(app, entry) + "\n\n")
        self.stderr.write(f"未翻译 {total} 条")
