"""The public board of residents' reports and the per-community figures."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from feedback.complaints import services
from feedback.complaints.selectors import complaint_figures
from feedback.models import Complaint, Rating, RejectReason, State
from tests.factories.feedback import ComplaintFactory

from .conftest import advance, publish

pytestmark = pytest.mark.django_db
PUBLIC = "/feedback/public/"


def test_public_board_shows_only_allowed_accepted_visible_reports_without_personal_data(
    client, site, category, community
):
    shown = publish(
        advance(
            ComplaintFactory(
                category=category, community=community, description="路灯坏了，联系我13700001111"
            ),
            to="resolved",
        )
    )
    private = advance(
        ComplaintFactory(
            category=category, community=community, allow_public=False, description="不愿公开的反映内容"
        ),
        to="dispatched",
    )
    waiting = ComplaintFactory(category=category, community=community, description="尚未受理的反映内容")
    hidden = publish(
        advance(
            ComplaintFactory(category=category, community=community, description="被隐藏的反映内容"),
            to="dispatched",
        )
    )
    services.set_public_text(complaint=hidden, hidden=True, actor=None)
    html = client.get(PUBLIC).content.decode()
    assert "路灯坏了" in html and "已安排保洁人员清运" in html
    assert "137****1111" in html and "13700001111" not in html  # numbers typed into the text are masked
    for other in (private, waiting, hidden):
        assert other.description not in html
    assert "13812345678" not in html and "张三丰" not in html and "张**" not in html
    assert shown.reference not in html  # references are the resident's key, not public


def test_public_board_filters_by_community(client, site, category, community):
    from tests.factories.home import CommunityFactory

    other = CommunityFactory(name="千秋社区", slug="qianqiu-test")
    for where, text in ((other, "千秋社区的路面坑洼问题"), (community, "复兴社区的垃圾清运问题")):
        publish(
            advance(ComplaintFactory(category=category, community=where, description=text), to="dispatched")
        )
    html = client.get(PUBLIC, {"community": "fuxing"}).content.decode()
    assert "复兴社区的垃圾清运问题" in html and "千秋社区的路面坑洼问题" not in html


def _build(n, category, communities):
    for i in range(n):
        complaint = ComplaintFactory(category=category, community=communities[i % len(communities)])
        publish(advance(complaint, to="resolved"))


def test_public_board_query_count_does_not_grow_with_reports(client, site, category):
    from home.models import Community

    communities = list(Community.objects.all())
    _build(5, category, communities)
    client.get(PUBLIC)  # a running process has the site settings cached already
    with CaptureQueriesContext(connection) as few:
        assert client.get(PUBLIC).status_code == 200
    _build(15, category, communities)
    with CaptureQueriesContext(connection) as many:
        assert client.get(PUBLIC).status_code == 200
    assert len(few) == len(many)
    assert len(many) <= 12


def test_figures_count_received_resolved_on_time_and_satisfaction(category, community, unit):
    today = timezone.localdate()
    on_time = advance(ComplaintFactory(category=category, community=community), to="resolved")
    services.rate_complaint(complaint=on_time, rating=Rating.SATISFIED)
    late = advance(ComplaintFactory(category=category, community=community), to="resolved")
    Complaint.objects.filter(pk=late.pk).update(resolved_on_time=False)
    services.rate_complaint(complaint=late, rating=Rating.DISSATISFIED)  # reopened, not rated yet
    basic = advance(ComplaintFactory(category=category, community=community), to="resolved")
    services.rate_complaint(complaint=basic, rating=Rating.BASICALLY)
    unhappy = advance(ComplaintFactory(category=category, community=community), to="resolved")
    unhappy = services.rate_complaint(complaint=unhappy, rating=Rating.DISSATISFIED)
    unhappy = services.resolve_complaint(
        complaint=services.dispatch_complaint(complaint=unhappy, unit=unit, actor=None),
        reply="再次处理完毕。",
        actor=None,
    )
    services.rate_complaint(complaint=unhappy, rating=Rating.DISSATISFIED)
    ComplaintFactory(category=category, community=community)  # still waiting
    spam = ComplaintFactory(category=category, community=community)
    services.reject_complaint(complaint=spam, reason=RejectReason.SPAM, actor=None)
    old = ComplaintFactory(category=category, community=community)
    Complaint.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=400))

    figures = complaint_figures(communities=[community], start=today.replace(day=1), end=today)
    assert figures.received == 5  # spam and last year's report are not counted
    assert figures.resolved == 3  # the reopened one is not resolved until it is again
    assert figures.resolved_on_time == 3
    assert str(figures.on_time_rate) == "100.0"
    assert (figures.rated, figures.satisfied) == (3, 2)
    assert str(figures.satisfaction_rate) == "66.7"


def test_figures_without_reports_have_no_rates(community):
    figures = complaint_figures(communities=[community], start=date(2020, 1, 1), end=date(2020, 1, 31))
    assert figures.received == 0
    assert figures.on_time_rate is None and figures.satisfaction_rate is None


def test_public_board_period_filter(client, site, category):
    html = client.get(PUBLIC, {"period": "year"}).content.decode()
    assert f"{timezone.localdate().year}年1月1日" in html


def test_an_unknown_community_is_ignored_with_a_note_as_on_the_other_lists(client, site, category):
    response = client.get(PUBLIC, {"community": "no-such-place"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "没有找到这个社区，已显示全部社区" in html
    assert '<option value="">全部社区</option>' in html
    assert "没有找到这个社区" not in client.get(PUBLIC).content.decode()


def test_masking_helpers():
    from portal.personal_data import mask_name, mask_phone

    assert mask_phone("13812345678") == "138****5678"
    assert mask_name("张三丰") == "张**"
    assert mask_name("李") == "李*"
    assert State.RESOLVED.label == "已办结"


def test_board_figures_are_cached_for_a_minute_while_the_list_stays_live(client, site, category, community):
    publish(
        advance(
            ComplaintFactory(category=category, community=community, description="第一条公开的反映"),
            to="resolved",
        )
    )
    with CaptureQueriesContext(connection) as filling:
        client.get(PUBLIC)
    assert any("resolved_on_time" in q["sql"] for q in filling.captured_queries)  # the figures
    with CaptureQueriesContext(connection) as first:
        client.get(PUBLIC)
    publish(
        advance(
            ComplaintFactory(category=category, community=community, description="第二条公开的反映"),
            to="resolved",
        )
    )
    with CaptureQueriesContext(connection) as second:
        html = client.get(PUBLIC).content.decode()
    assert "第一条公开的反映" in html and "第二条公开的反映" in html  # the rows are read every time
    # The figures come from the cache, and one more row costs no query (no N+1).
    assert not any("resolved_on_time" in q["sql"] for q in second.captured_queries)
    assert len(second.captured_queries) == len(first.captured_queries)
    from feedback.complaints.selectors import FIGURES_SECONDS

    assert FIGURES_SECONDS <= 60


def test_board_rows_follow_a_hidden_report_and_a_new_reply_at_once(
    client, site, category, community, admin_user
):
    kept, hidden = (
        publish(
            advance(ComplaintFactory(category=category, community=community, description=text), to="resolved")
        )
        for text in ("留在公开栏的反映", "将被隐藏的反映")
    )
    html = client.get(PUBLIC).content.decode()
    assert "留在公开栏的反映" in html and "将被隐藏的反映" in html
    services.set_public_text(complaint=hidden, hidden=True, actor=admin_user)
    Complaint.objects.filter(pk=kept.pk).update(reply="路灯已于周三修复。")
    html = client.get(PUBLIC).content.decode()
    assert "将被隐藏的反映" not in html
    assert "路灯已于周三修复。" in html


def test_public_board_defaults_to_the_last_30_days(client, site, category, community):
    # Twenty days ago is last month on the 2nd of a month: the default still counts it.
    old = ComplaintFactory(category=category, community=community)
    Complaint.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=20))
    response = client.get(PUBLIC)
    assert response.context["period"] == "30d"
    today = timezone.localdate()
    assert response.context["start"] == today - timedelta(days=29)
    row = next(f for c, f, e in response.context["figure_rows"] if c.pk == community.pk)
    assert row.received == 1
    assert '<option value="30d" selected>最近 30 天</option>' in response.content.decode()


def test_public_board_table_labels_every_figure_for_the_phone_layout(client, site, community):
    html = client.get(PUBLIC).content.decode()
    assert 'class="data figures stack-narrow"' in html
    for label in ("受理", "办结", "按时办结率", "满意率", "居民评议", "评议满意率"):
        assert f'data-label="{label}"' in html
