"""这个页面有用吗？ on service and notice pages: answer, comment, throttle, staff report."""

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache

from home.models import PageFeedback
from home.page_feedback.selectors import worst_pages
from tests.factories.servicecatalog import ServiceIndexPageFactory, ServiceItemPageFactory

pytestmark = pytest.mark.django_db
ANSWER = "/page-feedback/"


@pytest.fixture(autouse=True)
def _fresh_rate_counters():
    cache.clear()


@pytest.fixture
def service(home_page):
    index = ServiceIndexPageFactory(parent=home_page)
    return ServiceItemPageFactory(parent=index, title="最低生活保障申请", slug="dibao")


@pytest.fixture
def other_service(service):
    return ServiceItemPageFactory(parent=service.get_parent(), title="高龄津贴申领", slug="gaoling")


def test_service_page_asks_without_a_csrf_token_so_it_stays_cacheable(client, service):
    html = client.get(service.url).content.decode()
    widget = html.split("data-page-feedback")[1].split("</section>")[0]
    assert "这个页面有用吗？" in widget
    assert 'method="get" action="/page-feedback/"' in widget
    assert f'name="page" value="{service.pk}"' in widget
    assert "csrfmiddlewaretoken" not in html
    assert "/static/js/page-feedback.js" in html


def test_without_script_a_click_opens_a_protected_form_and_the_post_records_a_masked_comment(client, service):
    response = client.get(ANSWER, {"page": service.pk, "useful": "no"})
    html = response.content.decode()
    assert response.status_code == 200 and "csrfmiddlewaretoken" in html
    assert 'value="no"' in html.split('id="id_useful_1"')[0].rsplit("<input", 1)[1] and "checked" in html
    assert not PageFeedback.objects.exists()  # a GET writes nothing

    response = client.post(
        ANSWER, {"page": service.pk, "useful": "no", "comment": "材料写得不清楚，我是张三丰，电话13812345678"}
    )
    assert response.status_code == 200 and "谢谢您的反馈" in response.content.decode()
    answer = PageFeedback.objects.get()
    assert answer.useful is False and answer.page_id == service.pk
    assert "13812345678" not in answer.comment and "材料写得不清楚" in answer.comment


def test_the_post_needs_a_csrf_token(service):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(ANSWER, {"page": service.pk, "useful": "yes"})
    assert response.status_code == 403
    assert not PageFeedback.objects.exists()


def test_missing_answer_is_an_error_next_to_the_field_and_keeps_the_comment(client, service):
    response = client.post(ANSWER, {"page": service.pk, "comment": "还想知道办理进度"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "请选择是否有帮助。" in html and "还想知道办理进度" in html
    assert not PageFeedback.objects.exists()


def test_script_posts_the_click_then_attaches_the_comment_to_the_same_answer(client, service):
    headers = {"HTTP_X_REQUESTED_WITH": "fetch"}
    assert "token" in client.get("/page-feedback/token/").json()
    first = client.post(ANSWER, {"page": service.pk, "useful": "yes"}, **headers).json()
    client.post(
        ANSWER,
        {"page": service.pk, "useful": "yes", "comment": "很清楚", "answer": first["answer"]},
        **headers,
    )
    assert list(PageFeedback.objects.values_list("useful", "comment")) == [(True, "很清楚")]
    # A forged or reused token records a new answer instead of changing one.
    client.post(
        ANSWER, {"page": service.pk, "useful": "no", "comment": "x", "answer": first["answer"]}, **headers
    )
    assert PageFeedback.objects.count() == 2


def test_answers_are_throttled_per_network(client, service, settings):
    settings.PAGE_FEEDBACK_RATE_PER_IP = "3/h"
    for _ in range(3):
        assert client.post(ANSWER, {"page": service.pk, "useful": "yes"}).status_code == 200
    assert client.post(ANSWER, {"page": service.pk, "useful": "yes"}).status_code == 429
    assert PageFeedback.objects.count() == 3


def test_an_unpublished_or_unknown_page_is_404(client, service):
    service.unpublish()
    assert client.get(ANSWER, {"page": service.pk, "useful": "yes"}).status_code == 404
    assert client.get(ANSWER, {"page": "nope"}).status_code == 404


def test_notice_page_asks_too(client, home_page):
    from tests.factories.notices import NoticeIndexPageFactory, NoticePageFactory

    notice = NoticePageFactory(parent=NoticeIndexPageFactory(parent=home_page))
    html = client.get(notice.url).content.decode()
    assert "这个页面有用吗？" in html and f'name="page" value="{notice.pk}"' in html


def test_staff_report_lists_the_least_useful_pages_first_with_counts(
    client, service, other_service, django_user_model
):
    for useful in [False, False, False, True]:
        PageFeedback.objects.create(page=service, useful=useful, comment="" if useful else "没写要带户口本")
    for useful in [True, True, False]:
        PageFeedback.objects.create(page=other_service, useful=useful)
    PageFeedback.objects.create(page=service.get_parent(), useful=False)  # 1 answer: not listed

    admin = django_user_model.objects.create_superuser("boss", "b@example.cn", "pw")
    rows = worst_pages(user=admin)
    assert [(r.page.pk, r.answers, r.not_useful, str(r.not_useful_percent)) for r in rows] == [
        (service.pk, 4, 3, "75.0"),
        (other_service.pk, 3, 1, "33.3"),
    ]
    assert rows[0].comments == ["没写要带户口本"] * 3


def test_an_editor_reads_the_report_in_the_admin(client, service, django_user_model):
    from home.roles import EDITORS, apply_roles

    apply_roles()
    editor = django_user_model.objects.create_user("bianji", password="pw")
    editor.groups.add(Group.objects.get(name=EDITORS))
    for useful in [False, False, True]:
        PageFeedback.objects.create(page=service, useful=useful, comment="" if useful else "电话打不通")
    client.force_login(editor)
    html = client.get("/admin/page-feedback/").content.decode()
    assert "居民认为帮助最少的页面" in html
    assert "最低生活保障申请" in html and "66.7%" in html and "电话打不通" in html


def test_staff_without_the_permission_get_403_and_see_no_pages(client, service, django_user_model):
    user = django_user_model.objects.create_user("plain", password="pw", is_staff=True)
    from django.contrib.auth.models import Permission

    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    PageFeedback.objects.create(page=service, useful=False)
    assert worst_pages(user=user, min_answers=1) == []  # may edit no page
    client.force_login(user)
    response = client.get("/admin/page-feedback/")
    # Wagtail turns the refusal into a redirect to the dashboard with a message.
    assert (response.status_code, response["Location"]) == (302, "/admin/")
