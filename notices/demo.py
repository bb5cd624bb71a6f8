"""Demo notices, reports to residents and the review workflow, idempotently.

Pages are matched by slug, snippets by slug, documents by title, so running the
loader twice leaves the same content. Practices and numbers (网格每300户, "三民"
活动, 双报到 12/6 小时, 红色物业"三个百分百", 积分兑换…) come from the seed reports
in ``shared/seeds``; the wording, bodies and document numbers are ours.
"""

import datetime

from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import GroupApprovalTask, Page, Workflow, WorkflowPage, WorkflowTask

from home.models import Community, HomePage

from .demo_content import CATEGORIES, NOTICES, REPORTS
from .models import (
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
from .services import notice_supersede

WORKFLOW_NAME = "审核发布"
MODERATORS = "审核/工作人员"
EDITORS = "编辑"


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


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


def load_indexes(home: HomePage) -> tuple[NoticeIndexPage, ResidentReportIndexPage]:
    notices = _child(
        home,
        NoticeIndexPage,
        "notices",
        title="通知公告",
        intro="区、街道、社区发布的通知、公告和政策文件。已修订或废止的文件保留备查，并指向现行文件。",
    )
    notices.save_revision().publish()
    reports = _child(
        home,
        ResidentReportIndexPage,
        "reports",
        title="向居民报告",
        intro="各社区定期向居民报告为民实事的进展和工作情况，请居民监督评议。",
    )
    reports.save_revision().publish()
    return notices, reports


def load_categories() -> dict[str, NoticeCategory]:
    categories = {}
    for order, (slug, name) in enumerate(CATEGORIES):
        categories[slug], _ = NoticeCategory.objects.update_or_create(
            slug=slug, defaults={"name": name, "sort_order": order}
        )
    return categories


def _body(items: list[tuple]) -> list[dict]:
    blocks = []
    for kind, *rest in items:
        if kind == "h":
            blocks.append({"type": "heading", "value": rest[0]})
        elif kind == "p":
            blocks.append({"type": "paragraph", "value": f"<p>{rest[0]}</p>"})
        elif kind == "ul":
            items_html = "".join(f"<li>{li}</li>" for li in rest[0])
            blocks.append({"type": "paragraph", "value": f"<ul>{items_html}</ul>"})
        elif kind == "quote":
            blocks.append({"type": "quote", "value": {"text": rest[0], "source": rest[1]}})
        elif kind == "table":
            caption, rows = rest
            blocks.append(
                {
                    "type": "table",
                    "value": {
                        "data": rows,
                        "first_row_is_table_header": True,
                        "first_col_is_header": False,
                        "table_caption": caption,
                    },
                }
            )
    return blocks


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


def load_notices(index: NoticeIndexPage, categories: dict[str, NoticeCategory]) -> list[NoticePage]:
    communities = {c.slug: c for c in Community.objects.all()}
    pages = {}
    for spec in NOTICES:
        page = _child(
            index,
            NoticePage,
            spec["slug"],
            title=spec["title"],
            issuing_body=spec["issuing_body"],
            document_number=spec.get("number", ""),
            written_on=_date(spec.get("written")),
            published_on=_date(spec["published"]),
            effective_on=_date(spec.get("effective")),
            category=categories[spec["category"]],
            summary=spec["summary"],
            body=_body(spec["body"]),
            is_pinned=spec.get("pinned", False),
            is_urgent=spec.get("urgent", False),
            # Validity is set below through the service, once successors exist.
            validity=Validity.CURRENT,
            replaced_by=None,
            go_live_at=_scheduled(spec.get("scheduled_days")),
        )
        page.communities.set([communities[s] for s in spec.get("communities", [])])
        page.tags.set(spec.get("tags", []), clear=True)
        page.attachments.clear()
        for title, filename, text in spec.get("attachments", []):
            page.attachments.add(NoticeAttachment(document=_document(title, filename, text)))
        # A scheduled notice stays unpublished until `manage.py publish_scheduled`
        # runs after go_live_at.
        page.save_revision().publish()
        pages[spec["slug"]] = page
    for spec in NOTICES:
        if "superseded" in spec:
            successor, validity = spec["superseded"]
            notice_supersede(
                old=NoticePage.objects.get(pk=pages[spec["slug"]].pk),
                new=pages[successor] if successor else None,
                validity=validity,
            )
    return list(pages.values())


def load_reports(index: ResidentReportIndexPage) -> list[ResidentReportPage]:
    pages = []
    for spec in REPORTS:
        community = Community.objects.get(slug=spec["community"])
        page = _child(
            index,
            ResidentReportPage,
            spec["slug"],
            title=spec["title"],
            community=community,
            period_label=spec["period_label"],
            period_start=_date(spec["start"]),
            period_end=_date(spec["end"]),
            summary=spec["summary"],
            body="".join(f"<p>{p}</p>" for p in spec.get("body", [])),
        )
        page.promises.clear()
        for title, status, progress, expected, note in spec["promises"]:
            page.promises.add(
                ReportPromise(
                    title=title, status=status, progress=progress, expected_on=_date(expected), note=note
                )
            )
        page.figures.clear()
        for label, value, unit in spec["figures"]:
            page.figures.add(ReportFigure(label=label, value=value, unit=unit))
        page.save_revision().publish()
        pages.append(page)
    return pages


def load_workflow(*indexes: Page) -> Workflow:
    """审核发布: editors submit, the 审核/工作人员 group approves and publishes."""
    moderators = Group.objects.get(name=MODERATORS)
    editors = Group.objects.get(name=EDITORS)
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    task = GroupApprovalTask.objects.filter(name="审核/工作人员审批").first()
    if task is None:
        task = GroupApprovalTask.objects.create(name="审核/工作人员审批")
    task.groups.set([moderators])
    WorkflowTask.objects.filter(workflow=workflow).exclude(task=task).delete()
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    for page in indexes:
        WorkflowPage.objects.update_or_create(page=page, defaults={"workflow": workflow})
    # Editors may maintain categories and attachments, but never publish pages.
    for codename in ("add_noticecategory", "change_noticecategory", "view_noticecategory"):
        permission = Permission.objects.get(codename=codename, content_type__app_label="notices")
        editors.permissions.add(permission)
        moderators.permissions.add(permission)
    return workflow


def load(stdout=None) -> None:
    home = HomePage.objects.get()
    notice_index, report_index = load_indexes(home)
    notices = load_notices(notice_index, load_categories())
    reports = load_reports(report_index)
    load_workflow(notice_index, report_index)
    if stdout:
        stdout.write(f"  通知公告 {len(notices)} 条，向居民报告 {len(reports)} 份，工作流「{WORKFLOW_NAME}」")
