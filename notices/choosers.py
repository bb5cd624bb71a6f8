"""The chooser editors use to pick a notice (现行文件, 本文件替代): besides the title it
shows 发文字号, 效力 and the publication date, and searches titles and document numbers
by substring (Chinese has no spaces for a word search to split on)."""

from django import forms
from django.db.models import Q
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.chooser import ChooseResultsView, ChooseView
from wagtail.admin.viewsets.chooser import ChooserViewSet

from .models import NoticeIndexPage, NoticePage


class NoticeSearchForm(BaseFilterForm):
    q = forms.CharField(
        label="搜索",
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "标题或发文字号"}),
    )

    def filter(self, objects):
        query = (self.cleaned_data.get("q") or "").strip()
        if query:
            objects = objects.filter(Q(title__icontains=query) | Q(document_number__icontains=query))
            self.is_searching = True
            self.search_query = query
        return objects


class NoticeColumnsMixin:
    filter_form_class = NoticeSearchForm
    ordering = ("-published_on", "-pk")

    def get_object_list(self):
        notices = NoticePage.objects.only(
            "title", "document_number", "validity", "published_on", "live", "depth", "path", "url_path"
        )
        # Drafts are for who may write notices; anyone else who opens the chooser (a
        # community worker, say) sees published notices only.
        index = NoticeIndexPage.objects.first()
        if index is None or not index.permissions_for_user(self.request.user).can_add_subpage():
            notices = notices.filter(live=True)
        return notices

    @property
    def columns(self):
        return [
            self.title_column,
            Column("document_number", label="发文字号", accessor=lambda n: n.document_number or "—"),
            Column("validity", label="效力", accessor="get_validity_display"),
            Column("published_on", label="发布日期", accessor=lambda n: f"{n.published_on:%Y-%m-%d}"),
            Column("live", label="状态", accessor=lambda n: "已发布" if n.live else "草稿"),
        ]


class NoticeChooseView(NoticeColumnsMixin, ChooseView):
    pass


class NoticeChooseResultsView(NoticeColumnsMixin, ChooseResultsView):
    pass


class NoticeChooserViewSet(ChooserViewSet):
    model = NoticePage
    icon = "doc-full"
    choose_one_text = "选择通知公告"
    choose_another_text = "另选通知公告"
    edit_item_text = "编辑该通知"
    per_page = 20
    choose_view_class = NoticeChooseView
    choose_results_view_class = NoticeChooseResultsView


notice_chooser_viewset = NoticeChooserViewSet("notice_chooser", url_prefix="notices/chooser")
