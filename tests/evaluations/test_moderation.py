"""Moderators approve, hide or mark evaluations as abuse, only in their own communities."""

from django.urls import reverse

from feedback.models import Evaluation, ModerationState, TargetType
from tests.factories.feedback import EvaluationFactory

INDEX = "/admin/feedback/evaluation/"
BULK = "/admin/feedback/evaluation/bulk/"


def pending(community, comment="楼道灯坏了一个月"):
    return EvaluationFactory(
        target_type=TargetType.COMMUNITY,
        company=None,
        community=community,
        comment=comment,
        state=ModerationState.PENDING,
    )


def test_queue_lists_only_the_moderators_communities(client, make_moderator, community, other_community):
    mine = pending(community, "复兴社区的意见")
    pending(other_community, "昆仑社区的意见")
    client.force_login(make_moderator(communities=[community]))

    html = client.get(INDEX).content.decode()
    assert "复兴社区的意见" in html and "昆仑社区的意见" not in html
    assert f'name="ids" value="{mine.pk}" form="evaluation-bulk"' in html
    assert client.get(INDEX + "?state__exact=pending&stars=4").status_code == 200


def test_inspect_outside_the_scope_is_404(client, make_moderator, community, other_community):
    theirs = pending(other_community)
    client.force_login(make_moderator(communities=[community]))
    url = reverse("feedback_evaluation_modeladmin_inspect", args=[theirs.pk])
    assert client.get(url).status_code == 404


def test_bulk_approve_makes_comments_public(client, make_moderator, community):
    first, second = pending(community, "第一条"), pending(community, "第二条")
    user = make_moderator(communities=[community])
    client.force_login(user)

    response = client.post(BULK, {"ids": [first.pk, second.pk], "action": "approve"})
    assert response.status_code == 302
    assert set(Evaluation.objects.values_list("state", flat=True)) == {ModerationState.APPROVED}
    assert Evaluation.objects.filter(moderated_by=user).count() == 2
    html = client.get(f"/feedback/communities/{community.slug}/").content.decode()
    assert "第一条" in html and "第二条" in html


def test_bulk_hide_needs_a_reason_and_records_it(client, make_moderator, community):
    evaluation = pending(community)
    client.force_login(make_moderator(communities=[community]))

    client.post(BULK, {"ids": [evaluation.pk], "action": "hide"})
    evaluation.refresh_from_db()
    assert evaluation.state == ModerationState.PENDING

    client.post(BULK, {"ids": [evaluation.pk], "action": "hide", "reason": "含邻居姓名和门牌号"})
    evaluation.refresh_from_db()
    assert (evaluation.state, evaluation.hide_reason) == (ModerationState.HIDDEN, "含邻居姓名和门牌号")


def test_bulk_action_naming_anything_outside_the_scope_changes_nothing(
    client, make_moderator, community, other_community
):
    mine, theirs = pending(community), pending(other_community)
    client.force_login(make_moderator(communities=[community]))

    response = client.post(BULK, {"ids": [mine.pk, theirs.pk], "action": "abuse", "reason": "刷分"})
    assert response.status_code == 404
    assert set(Evaluation.objects.values_list("state", flat=True)) == {ModerationState.PENDING}


def test_single_action_inside_and_outside_the_scope(client, make_moderator, community, other_community):
    mine, theirs = pending(community), pending(other_community)
    client.force_login(make_moderator(communities=[community]))

    url = reverse("feedback_evaluation_moderate", args=[theirs.pk])
    assert client.post(url, {"action": "approve"}).status_code == 404
    response = client.post(reverse("feedback_evaluation_moderate", args=[mine.pk]), {"action": "approve"})
    assert response.status_code == 302
    assert Evaluation.objects.get(pk=mine.pk).state == ModerationState.APPROVED
    assert Evaluation.objects.get(pk=theirs.pk).state == ModerationState.PENDING


def test_staff_without_moderation_permission_get_403(client, make_moderator, community):
    from django.contrib.auth.models import Permission

    evaluation = pending(community)
    viewer = make_moderator("viewer", communities=[community], group=False)
    viewer.user_permissions.add(
        Permission.objects.get(codename="access_admin", content_type__app_label="wagtailadmin"),
        Permission.objects.get(codename="view_evaluation", content_type__app_label="feedback"),
    )
    client.force_login(viewer)
    url = reverse("feedback_evaluation_moderate", args=[evaluation.pk])
    assert client.post(url, {"action": "approve"}).status_code == 403
    assert client.post(BULK, {"ids": [evaluation.pk], "action": "approve"}).status_code == 403
    assert Evaluation.objects.get().state == ModerationState.PENDING


def test_inspect_masks_personal_data_without_permission(client, make_moderator, community):
    evaluation = EvaluationFactory(
        target_type=TargetType.COMMUNITY,
        company=None,
        community=community,
        name="王建国",
        phone="13812345678",
    )
    client.force_login(make_moderator(communities=[community]))
    html = client.get(
        reverse("feedback_evaluation_modeladmin_inspect", args=[evaluation.pk])
    ).content.decode()
    assert "138****5678" in html and "13812345678" not in html and "王**" in html


def _with_contact(community, **kwargs):
    return EvaluationFactory(target_type=TargetType.COMMUNITY, company=None, community=community, **kwargs)


def test_opening_an_evaluation_with_contact_details_is_audited(client, make_moderator, community):
    from django.contrib.auth.models import Permission

    from feedback.models import AuditEntry

    evaluation = _with_contact(community, name="王建国", phone="13812345678")
    anonymous = _with_contact(community, name="", phone="")
    moderator = make_moderator(communities=[community])
    moderator.user_permissions.add(
        Permission.objects.get(codename="view_personal_data", content_type__app_label="feedback")
    )
    client.force_login(moderator)
    html = client.get(
        reverse("feedback_evaluation_modeladmin_inspect", args=[evaluation.pk])
    ).content.decode()
    assert "13812345678" in html and "王建国" in html
    entry = AuditEntry.objects.get(action="view_contact")
    assert entry.actor == moderator and entry.detail == f"评议 {evaluation.pk}"
    assert "13812345678" not in entry.detail and "王建国" not in entry.detail
    # Nothing to see, nothing logged; and a masked view is no view of contact details.
    client.get(reverse("feedback_evaluation_modeladmin_inspect", args=[anonymous.pk]))
    client.force_login(make_moderator("masked", communities=[community]))
    client.get(reverse("feedback_evaluation_modeladmin_inspect", args=[evaluation.pk]))
    assert AuditEntry.objects.filter(action="view_contact").count() == 1
