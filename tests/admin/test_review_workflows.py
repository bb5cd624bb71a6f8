"""Each kind of content goes through its own review workflow, named in Chinese; Wagtail's
stock English "Moderators approval" is gone from the demo site."""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import GroupApprovalTask, Page, Task, Workflow, WorkflowPage, WorkflowState

from home import demo as home_demo
from notices import demo as notices_demo
from notices.models import NoticeIndexPage, NoticePage, ResidentReportIndexPage
from servicecatalog import demo as catalogue_demo
from servicecatalog.models import ServiceIndexPage, StationIndexPage, StationPage

STOCK = "Moderators approval"


def _attachments():
    return sorted(WorkflowPage.objects.values_list("page__title", "workflow__name"))


def test_each_content_index_has_its_chinese_workflow(demo_site):
    expected = {
        NoticeIndexPage: "通知公告审核",
        ResidentReportIndexPage: "向居民报告审核",
        ServiceIndexPage: "办事指南审核",
        StationIndexPage: "红色驿站审核",
    }
    moderators = Group.objects.get(name=home_demo.MODERATORS)
    for model, name in expected.items():
        index = model.objects.get()
        workflow = index.get_workflow()
        assert workflow.name == name and workflow.active
        tasks = [task.specific for task in workflow.tasks]
        assert len(tasks) == 1 and isinstance(tasks[0], GroupApprovalTask)
        assert list(tasks[0].groups.all()) == [moderators]
    # A page below an index goes to its kind's review, not to the root's.
    assert NoticePage.objects.first().get_workflow().name == "通知公告审核"
    assert StationPage.objects.first().get_workflow().name == "红色驿站审核"
    assert demo_site.root_page.get_workflow().name == home_demo.PORTAL_WORKFLOW


def test_no_page_goes_to_the_stock_english_workflow(demo_site):
    assert not Workflow.objects.filter(name__in=home_demo.RETIRED_WORKFLOWS).exists()
    assert not Task.objects.filter(name__in=home_demo.RETIRED_TASKS).exists()
    assert not WorkflowPage.objects.filter(page__depth=1).exists()  # nothing on the root
    names = set(Workflow.objects.values_list("name", flat=True))
    assert names == {"通知公告审核", "向居民报告审核", "办事指南审核", "红色驿站审核", "门户页面审核"}


def test_loading_the_demo_twice_leaves_the_same_workflows(demo_site):
    before = (_attachments(), Workflow.objects.count(), Task.objects.count())
    home_demo.load()
    notices_demo.load()
    catalogue_demo.load()
    assert (_attachments(), Workflow.objects.count(), Task.objects.count()) == before


@pytest.mark.django_db
def test_loader_removes_the_stock_workflow_wagtail_attaches_to_the_root():
    # Wagtail's migrations leave "Moderators approval" on the root page.
    root = Page.get_first_root_node()
    assert WorkflowPage.objects.get(page=root).workflow.name == STOCK
    home_demo.load()
    assert not Workflow.objects.filter(name=STOCK).exists()
    assert not WorkflowPage.objects.filter(page=root).exists()


@pytest.mark.django_db
def test_stock_workflow_in_use_is_detached_and_disabled_not_deleted(django_user_model):
    stock = Workflow.objects.get(name=STOCK)
    welcome = Page.get_first_root_node().get_children().first()  # from Wagtail's migrations
    welcome.save_revision()
    state = stock.start(welcome, django_user_model.objects.create_user("editor0"))
    home_demo.remove_retired_workflows()
    stock.refresh_from_db()
    assert not stock.active and not WorkflowPage.objects.filter(workflow=stock).exists()
    assert WorkflowState.objects.filter(pk=state.pk).exists()  # its history is kept
