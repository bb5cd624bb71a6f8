"""A bulk load (the demo content, an import) leaves search built whatever the task
backend: under production settings index tasks wait for a worker, and a fresh demo site
queued 933 of them and answered no search until one ran."""

from django_tasks import task_backends

from home.views import run_search
from portal.bulk import bulk_load
from tests.factories.notices import NoticeIndexPageFactory, NoticePageFactory

QUEUED = {"TASKS": {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}}


def _index_tasks(name="insert_or_update_object_task") -> list:
    return [r for r in task_backends["default"].results if r.task.name == name]


def test_bulk_load_indexes_in_process_and_queues_no_index_task(home_page, settings):
    settings.TASKS = QUEUED["TASKS"]  # tasks are kept for a worker that never comes
    index = NoticeIndexPageFactory(parent=home_page)
    task_backends["default"].clear()
    with bulk_load():
        NoticePageFactory(parent=index, title="关于红色驿站夏季延时开放的通知")
    assert _index_tasks() == []
    found = run_search(query="驿站延时开放")  # what /search/ runs
    assert [hit.page.title for hit in found["results"].object_list] == ["关于红色驿站夏季延时开放的通知"]


def test_saves_after_a_bulk_load_queue_index_tasks_again(home_page, settings):
    settings.TASKS = QUEUED["TASKS"]
    index = NoticeIndexPageFactory(parent=home_page)
    with bulk_load():
        pass
    task_backends["default"].clear()
    NoticePageFactory(parent=index, title="关于社区食堂试运营的通知")
    assert len(_index_tasks()) >= 1


def test_bulk_load_queues_no_reference_index_task_and_leaves_usage_built(home_page, settings):
    """The demo load queued 564 reference index tasks under production settings; the
    admin's usage counts stayed empty until a worker ran."""
    from wagtail.models import ReferenceIndex

    settings.TASKS = QUEUED["TASKS"]
    index = NoticeIndexPageFactory(parent=home_page)
    task_backends["default"].clear()
    with bulk_load():
        replaced = NoticePageFactory(parent=index, title="旧的通知")
        notice = NoticePageFactory(parent=index, title="新的通知", supersedes=replaced)
    assert _index_tasks("update_reference_index_task") == []
    usage = ReferenceIndex.get_references_to(replaced)
    assert notice.pk in {int(r.object_id) for r in usage}
    NoticePageFactory(parent=index, title="之后保存的通知")  # outside: queued as usual again
    assert _index_tasks("update_reference_index_task")
