"""Residents' community pages: who their grid worker is and how to reach the community.

``/communities/`` is the 我的网格员 lookup (choose a community, then a grid) and
``/communities/<slug>/`` a community's page: its grids with each grid worker's public
work number, the community's phone, and what the apps above ``home`` add through the
``community_page_sections`` hook (the 党群服务中心 from the station catalogue, the
figures and ratings from feedback)::

    @hooks.register(COMMUNITY_SECTIONS_HOOK)
    def party_centre(request, community):
        return HomeSection(order=10, html=render_to_string(...))

Only what the street office publishes is shown: a grid worker's name as the office gives
it and the work number on ``Grid.worker_phone``, never anyone's private phone.
"""

from django import forms
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET
from wagtail import hooks

from .models import Community, Grid, Street
from .sections import HomeSection

COMMUNITY_SECTIONS_HOOK = "community_page_sections"


def community_sections(request, community: Community) -> list[HomeSection]:
    sections = [fn(request, community) for fn in hooks.get_hooks(COMMUNITY_SECTIONS_HOOK)]
    return sorted((s for s in sections if s and s.html.strip()), key=lambda s: s.order)


class GridWorkerLookupForm(forms.Form):
    """GET form: a community, then (once chosen) one of its grids. Works without JavaScript:
    the grid list appears after the community is sent."""

    community = forms.ModelChoiceField(
        label="所在社区",
        queryset=Community.objects.select_related("street"),
        to_field_name="slug",
        empty_label="请选择社区",
        error_messages={"invalid_choice": "没有这个社区，请从列表中选择。"},
    )
    grid = forms.ModelChoiceField(
        label="所在网格（可不选）",
        queryset=Grid.objects.none(),
        required=False,
        empty_label="全部网格",
        error_messages={"invalid_choice": "这个网格不属于所选社区，请重新选择。"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].label_from_instance = lambda c: f"{c.street.name} · {c.name}"
        slug = self.data.get("community")
        if slug:
            self.fields["grid"].queryset = Grid.objects.filter(community__slug=slug).order_by("pk")
            self.fields["grid"].label_from_instance = lambda g: g.name


def _grids(community: Community):
    # Creation order is the office's order (第一, 第二, 第三); names do not sort that way.
    return list(Grid.objects.filter(community=community).order_by("pk"))


@require_GET
def community_lookup(request):
    form = GridWorkerLookupForm(request.GET or None)
    context = {"form": form, "community": None, "grids": [], "chosen_grid": None}
    if form.is_bound and form.is_valid():
        community = form.cleaned_data["community"]
        chosen = form.cleaned_data["grid"]
        context.update(
            community=community, chosen_grid=chosen, grids=[chosen] if chosen else _grids(community)
        )
    if context["community"] is None:
        context["streets"] = Street.objects.prefetch_related("communities")
    return TemplateResponse(request, "home/community_lookup.html", context)


@require_GET
def community_page(request, slug: str):
    community = get_object_or_404(Community.objects.select_related("street"), slug=slug)
    return TemplateResponse(
        request,
        "home/community_page.html",
        {
            "community": community,
            "grids": _grids(community),
            "sections": community_sections(request, community),
        },
    )
