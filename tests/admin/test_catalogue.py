"""The project's catalogue fills every gap in Wagtail's zh_Hans one, and the committed
compiled files say exactly what the ``.po`` files say."""

import gettext
import re

import pytest

from portal.i18n import DOMAINS, catalogue_gaps, project_catalogue, read_po

PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w*\}|%[sd]")


@pytest.mark.parametrize("domain", DOMAINS)
def test_no_wagtail_string_is_left_in_english(domain):
    gaps = [f"{app}: {entry.msgid}" for app, entry in catalogue_gaps(domain)]
    assert gaps == [], "run `manage.py locale_gaps` and translate these"


@pytest.mark.parametrize("domain", DOMAINS)
def test_committed_mo_matches_po(domain):
    po = project_catalogue(domain)
    with open(po.with_suffix(".mo"), "rb") as file:
        compiled = gettext.GNUTranslations(file)._catalog
    expected = {}
    for entry in read_po(po):
        key = entry.msgid if entry.msgctxt is None else f"{entry.msgctxt}\x04{entry.msgid}"
        if entry.msgid_plural is None:
            expected[key] = entry.msgstr[0]
        else:
            expected.update({(key, n): text for n, text in entry.msgstr.items()})
    compiled = {k: v for k, v in compiled.items() if k != ""}  # the header
    assert compiled == expected, "recompile: manage.py compilemessages -l zh_Hans"


@pytest.mark.parametrize("domain", DOMAINS)
def test_translations_keep_every_placeholder(domain):
    wrong = []
    for entry in read_po(project_catalogue(domain)):
        source = entry.msgid_plural or entry.msgid
        for text in entry.msgstr.values():
            if sorted(PLACEHOLDER.findall(text)) != sorted(set(PLACEHOLDER.findall(source))):
                wrong.append((entry.msgid, text))
    assert wrong == []


def test_catalogue_reader_reads_plurals_contexts_and_continuations(tmp_path):
    po = tmp_path / "x.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: zh_Hans\\n"\n\n'
        '#: a.py:1\n#, python-format\nmsgctxt "menu"\nmsgid "Open"\nmsgstr "打开"\n\n'
        'msgid "%(n)s page"\nmsgid_plural "%(n)s pages"\nmsgstr[0] "%(n)s 个"\n"页面"\n\n'
        '#, fuzzy\nmsgid "Old"\nmsgstr "旧"\n\n#~ msgid "Gone"\n#~ msgstr "无"\n',
        encoding="utf-8",
    )
    entries = read_po(po)
    assert [(e.msgctxt, e.msgid, e.msgid_plural, e.msgstr, e.translated) for e in entries] == [
        ("menu", "Open", None, {0: "打开"}, True),
        (None, "%(n)s page", "%(n)s pages", {0: "%(n)s 个页面"}, True),
        (None, "Old", None, {0: "旧"}, False),
    ]
    assert entries[0].flags == {"python-format"} and entries[0].references == ["a.py:1"]
