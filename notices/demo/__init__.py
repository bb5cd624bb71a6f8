"""Demo notices, reports to residents and their review workflows, idempotently.

The notices and reports are in ``notices.toml`` and ``reports.toml`` beside this module
(attachments in ``attachments/``); their header comments say what each key means. Pages
are matched by slug, categories by slug, documents by title, so running the loader twice
leaves the same content.
"""

import datetime
import tomllib
from pathlib import Path

from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import Page

from home.demo import load_review_workflow
from home.models import Community, HomePage
from home.roles import EDITORS as EDITORS  # re-exported: older code imports both from here
from home.roles import MODERATORS as MODERATORS

from ..models import (
    NoticeAttachment,
    NoticeCategory,
    NoticeIndexPage,
    NoticePage,
    ReportFigure,
    ReportPromise,
    ResidentReportIndexPage,
    ResidentReportPage,
    Validity,
)
from ..services import notice_supersede

DATA = Path(__file__).parent

NOTICE_WORKFLOW = "通知公告审核"
REPORT_WORKFLOW = "向居民报告审核"


def _read(name: str) -> dict:
    with open(DATA / name, "rb") as file:
        return tomllib.load(file)


def _scheduled(days: int | None) -> datetime.datetime | None:
    if not days:
        return None
    start = timezone.localtime() + datetime.timedelta(days=days)
    return start.replace(hour=8, minute=0, second=0, microsecond=0)


def _child(parent: Page, model, slug: str, **fields):
    page = model.objects.child_of(parent).filter(slug=slug).first()
    if page is None:
        # Not live until its first revision is published (or its go_live_at comes).
        page = model(slug=slug, live=False, **fields)
        parent.add_child(instance=page)
        return page
    for name, value in fields.items():
        setattr(page, name, value)
    return page


def _index(home: HomePage, model, *, slug: str, **fields):
    page = _child(home, model, slug, **fields)
    page.save_revision().publish()
    return page


def load_categories(rows: list[dict]) -> dict[str, NoticeCategory]:
    categories = {}
    for order, row in enumerate(rows):
        categories[row["slug"]], _ = NoticeCategory.objects.update_or_create(
            slug=row["slug"], defaults={"name": row["name"], "sort_order": order}
        )
    return categories


def _block(item: dict) -> dict:
    """A body block from its data: a heading, paragraph, list, quote or table."""
    match item:
        case {"heading": text}:
            return {"type": "heading", "value": text}
        case {"paragraph": html}:
            return {"type": "paragraph", "value": f"<p>{html}</p>"}
        case {"list": items}:
            return {
                "type": "paragraph",
                "value": "<ul>" + "".join(f"<li>{li}</li>" for li in items) + "</ul>",
            }
        case {"quote": text, "source": source}:
            return {"type": "quote", "value": {"text": text, "source": source}}
        case {"table": caption, "rows": rows}:
            table = {"data": rows, "first_row_is_table_header": True, "first_col_is_header": False}
            return {"type": "table", "value": {**table, "table_caption": caption}}
    raise ValueError(f"unknown body block: {item!r}")


def _document(title: str, filename: str, text: str):
    Document = get_document_model()
    document = Document.objects.filter(title=title).first()
    # A BOM so browsers read the plain-text attachment as UTF-8 without a charset header.
    content = ("\ufeff" + text).encode("utf-8")
    if document is None or document.file_size != len(content):
        if document is None:
            document = Document(title=title)
        document.file.save(filename, ContentFile(content), save=False)
        document.file_size = len(content)
        document.save()
    return document


# What a notice that leaves a field out gets, so that removing it from the file clears it.
NOTICE_DEFAULTS = {
    "document_number": "",
    "written_on": None,
    "effective_on": None,
    "is_pinned": False,
    "is_urgent": False,
}


def load_notices(
    index: NoticeIndexPage, categories: dict[str, NoticeCategory], specs: list[dict]
) -> list[NoticePage]:
    communities = {c.slug: c for c in Community.objects.all()}
    pages = {}
    for spec in specs:
        fields = {**NOTICE_DEFAULTS, **spec}
        slug = fields.pop("slug")
        community_slugs = fields.pop("communities", [])
        tags = fields.pop("tags", [])
        attachments = fields.pop("attachments", [])
        fields.update(
            category=categories[fields["category"]],
            body=[_block(item) for item in fields["body"]],
            go_live_at=_scheduled(fields.pop("go_live_in_days", None)),
            # Validity is set below through the service, once successors exist.
            validity=Validity.CURRENT,
            replaced_by=None,
        )
        page = _child(index, NoticePage, slug, **fields)
        page.communities.set([communities[s] for s in community_slugs])
        page.tags.set(tags, clear=True)
        page.attachments.clear()
        for attachment in attachments:
            text = (DATA / "attachments" / attachment["file"]).read_text(encoding="utf-8")
            page.attachments.add(
                NoticeAttachment(document=_document(attachment["title"], attachment["file"], text))
            )
        # A scheduled notice stays unpublished until `manage.py publish_scheduled`
        # runs after go_live_at.
        page.save_revision().publish()
        pages[slug] = page
    for spec in specs:
        if "validity" in spec:
            notice_supersede(
                old=NoticePage.objects.get(pk=pages[spec["slug"]].pk),
                new=pages[spec["replaced_by"]] if "replaced_by" in spec else None,
                validity=spec["validity"],
            )
    return list(pages.values())


def load_reports(index: ResidentReportIndexPage, specs: list[dict]) -> list[ResidentReportPage]:
    communities = {c.slug: c for c in Community.objects.all()}
    pages = []
    for spec in specs:
        fields = dict(spec)
        slug, promises, figures = fields.pop("slug"), fields.pop("promises"), fields.pop("figures")
        fields.update(
            community=communities[fields["community"]],
            body="".join(f"<p>{p}</p>" for p in fields.get("body", [])),
        )
        page = _child(index, ResidentReportPage, slug, **fields)
        page.promises.clear()
        for promise in promises:
            page.promises.add(ReportPromise(**{"note": "", **promise}))
        page.figures.clear()
        for figure in figures:
            page.figures.add(ReportFigure(**figure))
        page.save_revision().publish()
        pages.append(page)
    return pages


def load_workflows(notice_index: NoticeIndexPage, report_index: ResidentReportIndexPage) -> None:
    """Notices and reports each go through their own review (the roles give editors the
    notice categories)."""
    load_review_workflow(NOTICE_WORKFLOW, notice_index)
    load_review_workflow(REPORT_WORKFLOW, report_index)


def load(stdout=None) -> None:
    home = HomePage.objects.get()
    notice_data, report_data = _read("notices.toml"), _read("reports.toml")
    notice_index = _index(home, NoticeIndexPage, **notice_data["index"])
    report_index = _index(home, ResidentReportIndexPage, **report_data["index"])
    notices = load_notices(notice_index, load_categories(notice_data["categories"]), notice_data["notices"])
    reports = load_reports(report_index, report_data["reports"])
    load_workflows(notice_index, report_index)
    if stdout:
        stdout.write(
            f"  通知公告 {len(notices)} 条，向居民报告 {len(reports)} 份，"
            f"工作流「{NOTICE_WORKFLOW}」「{REPORT_WORKFLOW}」"
        )
