"""Demo content for the ground layer: regions, site settings, home page, staff roles.

Names are invented; practices and numbers come from the seed reports in
``shared/seeds`` (网格化治理, 红色驿站, 向居民报告…). Every function is idempotent.
"""

from django.conf import settings as project_settings
from django.contrib.auth.models import Group
from wagtail.models import GroupApprovalTask, Page, Site, Workflow, WorkflowPage, WorkflowState, WorkflowTask

from . import roles
from .models import Community, Grid, HomePage, PortalSettings, SearchSynonym, Street

DISTRICT = "同心区"
ROOT_TITLE = "全部站点"

# The demo groups are the staff roles; other apps' loaders take the names from here.
EDITORS, MODERATORS = roles.EDITORS, roles.MODERATORS

# Every review workflow has this one approval step, taken by the moderators' group.
REVIEW_TASK = "审核员审批"
# What the demo no longer uses: Wagtail's stock English workflow (its migration attaches it
# to the root, so every page without its own workflow went to "Moderators approval") and
# the single workflow earlier versions of the demo shared between notices and reports.
RETIRED_WORKFLOWS = ("Moderators approval", "审核发布")
RETIRED_TASKS = ("Moderators approval", "审核/工作人员审批")
# Pages that belong to no content kind with its own workflow (the home page).
PORTAL_WORKFLOW = "门户页面审核"

REGIONS = {
    "复兴街道": {
        "address": "同心区复兴路88号",
        "phone": "0871-6411 2001",
        "communities": [
            ("复兴社区", "fuxing", 3120, ["第一网格", "第二网格", "第三网格"]),
            ("春雨社区", "chunyu", 2480, ["第一网格", "第二网格"]),
            ("金鼎社区", "jinding", 2950, ["第一网格", "第二网格", "第三网格"]),
        ],
    },
    "天长街道": {
        "address": "同心区天长东路16号",
        "phone": "0871-6411 2002",
        "communities": [
            ("广陵社区", "guangling", 2210, ["第一网格", "第二网格"]),
            ("千秋社区", "qianqiu", 1980, ["第一网格", "第二网格"]),
            ("石梁社区", "shiliang", 2630, ["第一网格", "第二网格", "第三网格"]),
        ],
    },
    "友谊街道": {
        "address": "同心区友谊大街203号",
        "phone": "0871-6411 2003",
        "communities": [
            ("昆仑社区", "kunlun", 3380, ["第一网格", "第二网格", "第三网格"]),
            ("准噶尔社区", "zhungeer", 2760, ["第一网格", "第二网格"]),
        ],
    },
}

GRID_WORKERS = ["王丽", "李建国", "张秀英", "刘洋", "陈静", "杨帆", "赵敏", "黄磊", "周婷", "吴强"]

QUICK_ENTRIES = [
    ("办事指南", "查材料、问流程", "guide", "/services/"),
    ("红色驿站", "附近歇脚充电", "station", "/stations/"),
    ("通知公告", "政策文件", "notice", "/notices/"),
    ("向居民报告", "社区实事进展", "report", "/reports/"),
    ("我要反映", "问题随手拍", "feedback", "/feedback/report/"),
    ("我要评议", "服务打分", "rate", "/feedback/evaluate/"),
    ("进度查询", "查看办理结果", "track", "/feedback/track/"),
    ("网格员", "找我的网格员", "link", "/communities/"),
]


def _period(days: int) -> str:
    return f"{days // 365} 年" if days % 365 == 0 else f"{days} 天"


def privacy_notice() -> str:
    """The notice residents agree to, with the retention periods the purge applies
    (``FEEDBACK_RETENTION_*``; ``feedback/trust/retention.py``)."""
    finished = _period(project_settings.FEEDBACK_RETENTION_DAYS)
    unfinished = _period(project_settings.FEEDBACK_RETENTION_UNFINISHED_DAYS)
    held = _period(project_settings.FEEDBACK_RETENTION_HELD_DAYS)
    return (
        "同心区人民政府办公室（个人信息处理者）依据《中华人民共和国个人信息保护法》处理您提交的信息。\n"
        "目的：受理、转办、答复您反映的问题，并回访办理效果；您勾选同意后，以短信（填写邮箱的也以邮件）告知办理进展。\n"
        "范围：姓名（可不填）、手机号、电子邮箱（可不填）、问题描述、位置和照片。姓名、手机号、邮箱和照片仅工作人员可见，公开展示时一律隐去。"
        "进展短信经委托的短信服务商发送，只含反映编号和进度链接。\n"
        f"保存期限：事项办结或不予受理后保存 {finished}；未办结的事项自最后一次处理起保存 {unfinished}；"
        f"因号码被屏蔽而暂缓处理的事项保存 {held}；评议自提交起保存 {finished}。"
        "期满自动匿名化处理，统计数据不含个人信息。\n"
        "您的权利：可拨打 12345 或到社区党群服务中心申请查阅、更正或删除您的个人信息，我们将在 15 个工作日内答复。"
    )


PRIVACY_NOTICE_VERSION = "2026-12-2"  # progress SMS/e-mail and the e-mail address were added


def evaluation_privacy_notice() -> str:
    """What the evaluation form asks residents to agree to: less than a report needs."""
    finished = _period(project_settings.FEEDBACK_RETENTION_DAYS)
    return (
        "同心区人民政府办公室（个人信息处理者）依据《中华人民共和国个人信息保护法》处理您提交的评议。\n"
        "目的：统计居民对办事服务、红色驿站、物业服务和社区的满意度，必要时回访核实评议情况。\n"
        "范围：评分和意见，以及您自愿填写的称呼和手机号。称呼和手机号仅工作人员可见；"
        "意见经审核后公开展示，展示时隐去称呼和其中的个人信息。\n"
        f"保存期限：评议自提交起保存 {finished}，期满自动匿名化处理，统计数据不含个人信息。\n"
        "您的权利：可拨打 12345 或到社区党群服务中心申请查阅、更正或删除您的个人信息，我们将在 15 个工作日内答复。"
    )


EVALUATION_PRIVACY_NOTICE_VERSION = "2026-12"


def load_regions(stdout=None) -> int:
    worker = 0
    for street_name, data in REGIONS.items():
        street, _ = Street.objects.update_or_create(
            name=street_name,
            defaults={"district": DISTRICT, "address": data["address"], "phone": data["phone"]},
        )
        for name, slug, households, grids in data["communities"]:
            community, _ = Community.objects.update_or_create(
                slug=slug,
                defaults={
                    "street": street,
                    "name": name,
                    "households": households,
                    "address": f"{data['address'].split('路')[0]}·{name}党群服务中心",
                    "phone": f"0871-6412 {3000 + len(slug) * 7 + households % 97:04d}",
                },
            )
            for number, grid_name in enumerate(grids, start=1):
                Grid.objects.update_or_create(
                    community=community,
                    name=grid_name,
                    defaults={
                        "number": number,
                        "worker_name": GRID_WORKERS[worker % len(GRID_WORKERS)],
                        "worker_phone": f"0871-6413 {1000 + worker:04d}",
                        "households": 300,
                    },
                )
                worker += 1
    return Community.objects.count()


def load_home_page() -> HomePage:
    # Wagtail's migration names the tree's root "Root"; staff see it first in every breadcrumb.
    Page.objects.filter(depth=1).update(title=ROOT_TITLE, draft_title=ROOT_TITLE)
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        # Wagtail's initial migration leaves a "Welcome" page at the root slug "home".
        for welcome in root.get_children().exact_type(Page):
            welcome.delete()
        home = root.add_child(instance=HomePage(title="首页", slug="home"))
    home.intro = "街道社区一站式服务：查办事、找驿站、看通知、反映问题、评议服务。"
    home.quick_entries = [
        ("entry", {"label": label, "hint": hint, "icon": icon, "url": url})
        for label, hint, icon, url in QUICK_ENTRIES
    ]
    home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first() or Site(is_default_site=True)
    site.hostname, site.port = "localhost", 80
    site.root_page = home
    site.site_name = "同心门户"
    site.save()
    return home


def load_settings(site: Site) -> None:
    settings = PortalSettings.for_site(site)
    settings.portal_name = "同心门户"
    settings.slogan = "同心区街道社区公共服务平台"
    settings.hotline = "12345"
    settings.address = "同心区人民政府 同心区复兴路88号"
    settings.icp_number = "滇ICP备20260001号-1"
    settings.psb_number = "滇公网安备53011202000001号"
    settings.privacy_notice = privacy_notice()
    settings.privacy_notice_version = PRIVACY_NOTICE_VERSION
    settings.evaluation_privacy_notice = evaluation_privacy_notice()
    settings.evaluation_privacy_notice_version = EVALUATION_PRIVACY_NOTICE_VERSION
    settings.save()


def load_groups(stdout=None) -> dict[str, Group]:
    """The staff roles (``home.roles``); page permissions on community indexes follow once
    those pages exist (``feedback.demo`` applies the roles again at the end)."""
    return roles.apply_roles(stdout)


# Words residents type for what editors write out in full (site search expands them).
SEARCH_SYNONYMS = [
    ("低保，最低生活保障", "民政救助"),
    ("特困，特困供养，特困人员救助供养", "民政救助"),
    ("医保，医疗保险，基本医疗保险", ""),
    ("社保，社会保险，养老保险", ""),
    ("居住证，暂住证", "暂住证为旧称"),
    ("红色驿站，户外劳动者之家，爱心驿站", "站点统称"),
    ("网格员，网格长", ""),
    ("12345，市民热线，政务服务热线", ""),
    ("加装电梯，电梯加装", ""),
]


def load_synonyms() -> int:
    for words, note in SEARCH_SYNONYMS:
        SearchSynonym.objects.update_or_create(words=words, defaults={"note": note})
    return SearchSynonym.objects.count()


def load_review_workflow(name: str, *pages: Page) -> Workflow:
    """The workflow ``name``: editors submit, the moderators' group approves and publishes.

    Attached to ``pages`` (so to their subtrees). Every content kind calls this with its own
    Chinese name for its index page; idempotent.
    """
    task = GroupApprovalTask.objects.filter(name=REVIEW_TASK).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=REVIEW_TASK)
    task.groups.set([Group.objects.get(name=MODERATORS)])
    workflow, _ = Workflow.objects.update_or_create(name=name, defaults={"active": True})
    WorkflowTask.objects.filter(workflow=workflow).exclude(task=task).delete()
    WorkflowTask.objects.update_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    for page in pages:
        WorkflowPage.objects.update_or_create(page=page, defaults={"workflow": workflow})
    return workflow


def remove_retired_workflows() -> None:
    """Detach and delete the stock English workflow (and our old one) with their tasks.

    A workflow some page is still going through is only detached and disabled: deleting
    it would delete that page's moderation history.
    """
    for workflow in Workflow.objects.filter(name__in=RETIRED_WORKFLOWS):
        WorkflowPage.objects.filter(workflow=workflow).delete()
        if WorkflowState.objects.filter(workflow=workflow).exists():
            workflow.active = False
            workflow.save(update_fields=["active"])
        else:
            workflow.delete()
    for task in GroupApprovalTask.objects.filter(name__in=RETIRED_TASKS):
        if task.task_states.exists() or task.workflow_tasks.exists():
            task.active = False
            task.save(update_fields=["active"])
        else:
            task.delete()


def load(stdout=None) -> None:
    load_regions()
    home = load_home_page()
    load_settings(Site.objects.get(root_page=home))
    load_groups(stdout)
    load_synonyms()
    remove_retired_workflows()
    load_review_workflow(PORTAL_WORKFLOW, home)
