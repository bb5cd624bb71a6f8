import datetime

import factory
import wagtail_factories
from django.utils import timezone

from notices.models import (
    NoticeAttachment,
    NoticeCategory,
    NoticeIndexPage,
    NoticePage,
    ReportFigure,
    ReportPromise,
    ResidentReportIndexPage,
    ResidentReportPage,
)

from .home import CommunityFactory


class NoticeCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NoticeCategory
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"测试分类{n}")
    slug = factory.Sequence(lambda n: f"category-{n}")


class _PublishedPageFactory(wagtail_factories.PageFactory):
    """A page as it is after being published once (live, with publication times)."""

    live = True
    first_published_at = factory.LazyFunction(timezone.now)
    last_published_at = factory.LazyFunction(timezone.now)


class NoticeIndexPageFactory(_PublishedPageFactory):
    class Meta:
        model = NoticeIndexPage

    title = "通知公告"
    slug = "notices"


class NoticePageFactory(_PublishedPageFactory):
    class Meta:
        model = NoticePage
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"关于测试事项的通知（第{n}号）")
    slug = factory.Sequence(lambda n: f"notice-{n}")
    issuing_body = "同心区人民政府办公室"
    document_number = factory.Sequence(lambda n: f"同政办发〔2026〕{n}号")
    written_on = datetime.date(2026, 3, 1)
    published_on = datetime.date(2026, 3, 5)
    effective_on = datetime.date(2026, 4, 1)
    category = factory.SubFactory(NoticeCategoryFactory)
    summary = "测试通知的摘要。"
    body = factory.LazyFunction(lambda: [{"type": "paragraph", "value": "<p>正文第一段。</p>"}])

    @factory.post_generation
    def communities(self, create, extracted, **kwargs):
        if create and extracted:
            self.communities.set(extracted)
            self.save()


class NoticeAttachmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NoticeAttachment

    page = factory.SubFactory(NoticePageFactory)
    document = factory.SubFactory(wagtail_factories.DocumentFactory, title="申请表")


class ResidentReportIndexPageFactory(_PublishedPageFactory):
    class Meta:
        model = ResidentReportIndexPage

    title = "向居民报告"
    slug = "reports"


class ResidentReportPageFactory(_PublishedPageFactory):
    class Meta:
        model = ResidentReportPage

    title = factory.Sequence(lambda n: f"测试社区2026年第{n}期向居民报告")
    slug = factory.Sequence(lambda n: f"report-{n}")
    community = factory.SubFactory(CommunityFactory)
    period_label = "2026年第三季度"
    period_start = datetime.date(2026, 7, 1)
    period_end = datetime.date(2026, 9, 30)
    summary = "本季度推进实事三件。"


class ReportPromiseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportPromise

    page = factory.SubFactory(ResidentReportPageFactory)
    title = factory.Sequence(lambda n: f"实事{n}")
    status = "in_progress"
    progress = 50
    expected_on = datetime.date(2026, 12, 31)


class ReportFigureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportFigure

    page = factory.SubFactory(ResidentReportPageFactory)
    label = "新增停车位"
    value = 120
    unit = "个"
