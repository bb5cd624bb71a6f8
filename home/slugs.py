"""Pages get ASCII addresses: a Chinese slug becomes pinyin before the page is first published.

Wagtail fills the slug from the title as the editor types, keeping Chinese
(``WAGTAIL_ALLOW_UNICODE_SLUGS``), so a notice titled 测试通知：12月10日复兴路停水 was served at
a ~150-character percent-encoded address, in the sitemap and in every WeChat share. The demo
content already uses pinyin slugs (``wangge-banfa-2026``); this does the same for what
editors create. A page that has been published keeps its address.
"""

from portal.chinese import pinyin_slug


class PinyinSlugMixin:
    """Mix into a page type editors create; the slug is converted in ``full_clean``, before
    Wagtail checks that it is unique among the page's siblings."""

    def full_clean(self, *args, **kwargs):
        if self.slug and not self.slug.isascii() and self.first_published_at is None:
            self.slug = pinyin_slug(self.slug) or self.slug
        super().full_clean(*args, **kwargs)
