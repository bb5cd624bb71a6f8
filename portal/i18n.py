"""The project's translation catalogue and what Wagtail's zh_Hans catalogue lacks.

Wagtail 8's zh_Hans catalogue leaves about a third of its strings untranslated, so staff
met English all over the admin ("Schedule to publish", "Reading time", "By 状态"…). The
missing strings are translated in ``portal/locale`` (``LOCALE_PATHS``, which takes
precedence over every app's catalogue). ``catalogue_gaps()`` compares each installed
Wagtail package's English catalogue (all its msgids) with its zh_Hans catalogue and ours,
so a Wagtail upgrade that adds strings fails a test and ``manage.py locale_gaps`` prints
them ready to translate.

The compiled ``.mo`` files are committed (a fresh machine may lack GNU gettext);
``read_po`` lets a test check that they hold exactly what the ``.po`` files say.
"""

import ast
import importlib.util
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

# Packages whose screens staff use; each ships locale/en (every msgid) and locale/zh_Hans.
PACKAGES = ("wagtail", "wagtail_modeladmin")
LANGUAGE = "zh_Hans"
DOMAINS = ("django", "djangojs")


@dataclass
class Entry:
    msgid: str
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    references: list[str] = field(default_factory=list)

    @property
    def key(self) -> tuple[str | None, str]:
        return self.msgctxt, self.msgid

    @property
    def translated(self) -> bool:
        return "fuzzy" not in self.flags and bool(self.msgstr) and all(self.msgstr.values())


_KEYWORD = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(\".*\")$")


def read_po(path: Path) -> list[Entry]:
    """The entries of a ``.po`` file, header (empty msgid) and obsolete ones left out."""
    entries: list[Entry] = []
    current, target = None, None
    pending_flags: set[str] = set()
    pending_refs: list[str] = []

    def finish():
        nonlocal current
        if current is not None and current.msgid:
            entries.append(current)
        current = None

    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#~"):
            continue
        if line.startswith("#"):
            if current is not None and current.msgstr:
                finish()
            if line.startswith("#,"):
                pending_flags.update(flag.strip() for flag in line[2:].split(","))
            elif line.startswith("#:"):
                pending_refs.extend(line[2:].split())
            continue
        if line.startswith('"'):
            text = ast.literal_eval(line)
            if isinstance(target, int):
                current.msgstr[target] += text
            else:
                setattr(current, target, getattr(current, target) + text)
            continue
        match = _KEYWORD.match(line)
        if match is None:
            raise ValueError(f"{path}: cannot read {line!r}")
        keyword, index, quoted = match.groups()
        text = ast.literal_eval(quoted)
        if keyword in ("msgctxt", "msgid") and (current is None or current.msgstr or keyword == "msgctxt"):
            finish()
            current = Entry(msgid="", flags=pending_flags, references=pending_refs)
            pending_flags, pending_refs = set(), []
        if keyword.startswith("msgstr"):
            target = int(index or 0)
            current.msgstr[target] = text
        else:
            target = keyword
            setattr(current, keyword, text)
    finish()
    return entries


def _locale_dirs() -> list[tuple[str, Path]]:
    """(app label such as ``wagtail/admin``, its ``locale`` folder) for each packaged app."""
    dirs = []
    for package in PACKAGES:
        root = Path(importlib.util.find_spec(package).origin).parent
        for english in sorted(root.glob("**/locale/en")):
            dirs.append((english.parent.parent.relative_to(root.parent).as_posix(), english.parent))
    return dirs


def project_catalogue(domain: str) -> Path:
    return Path(settings.LOCALE_PATHS[0]) / LANGUAGE / "LC_MESSAGES" / f"{domain}.po"


def catalogue_gaps(domain: str) -> list[tuple[str, Entry]]:
    """English entries of the Wagtail packages that neither their zh_Hans nor ours translate."""
    ours_path = project_catalogue(domain)
    ours = {e.key for e in read_po(ours_path) if e.translated} if ours_path.exists() else set()
    gaps, seen = [], set(ours)
    for app, locale_dir in _locale_dirs():
        english = locale_dir / "en" / "LC_MESSAGES" / f"{domain}.po"
        if not english.exists():
            continue
        chinese = locale_dir / LANGUAGE / "LC_MESSAGES" / f"{domain}.po"
        theirs = {e.key for e in read_po(chinese) if e.translated} if chinese.exists() else set()
        for entry in read_po(english):
            if entry.key not in theirs and entry.key not in seen:
                seen.add(entry.key)
                gaps.append((app, entry))
    return gaps
