"""RSS 2.0 feed of the notices in force and recently published: ``/notices/feed/``."""

import datetime

from django.contrib.syndication.views import Feed
from django.utils import timezone

FEED_SIZE = 30


class NoticeFeed(Feed):
    description_template = None

    def __init__(self, *, index):
        super().__init__()
        self.index = index

    def get_object(self, request, *args, **kwargs):
        self.request = request
        return self.index

    def title(self, index):
        return f"{index.title} - 同心门户"

    def link(self, index):
        return index.get_url(self.request)

    def description(self, index):
        return index.intro or "同心区街道社区通知公告、政策文件"

    def items(self, index):
        return index.listed_notices()[:FEED_SIZE]

    def item_title(self, item):
        prefix = "" if item.is_in_force else f"【{item.get_validity_display()}】"
        return f"{prefix}{item.title}"

    def item_description(self, item):
        number = f"（{item.document_number}）" if item.document_number else ""
        return f"{item.issuing_body}{number}：{item.summary}"

    def item_link(self, item):
        return item.get_url(self.request)

    def item_pubdate(self, item):
        tz = timezone.get_current_timezone()
        return datetime.datetime.combine(item.published_on, datetime.time(9), tzinfo=tz)

    def item_updateddate(self, item):
        return item.last_published_at

    def item_categories(self, item):
        return [item.category.name]

    def item_author_name(self, item):
        return item.issuing_body
