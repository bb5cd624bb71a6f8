"""Factories for the service catalogue and stations: build a page in one line."""

from datetime import time

import factory
import wagtail_factories
from wagtail.models import Page

from servicecatalog.models import (
    ServiceAudience,
    ServiceCategory,
    ServiceIndexPage,
    ServiceItemPage,
    ServiceMaterial,
    StationIndexPage,
    StationOpeningHours,
    StationPage,
)
from servicecatalog.vocab import StationType
from tests.factories.home import CommunityFactory


class ServiceCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceCategory
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"分类{n}")
    slug = factory.Sequence(lambda n: f"category-{n}")


class ServiceAudienceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceAudience
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"对象{n}")
    slug = factory.Sequence(lambda n: f"audience-{n}")


class ServiceIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = ServiceIndexPage

    title = "办事指南"
    slug = "services"


class ServiceItemPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = ServiceItemPage
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"测试事项{n}")
    slug = factory.Sequence(lambda n: f"service-{n}")
    category = factory.SubFactory(ServiceCategoryFactory)
    department = "同心区民政局"
    conditions = "<p>本区户籍居民。</p>"

    @factory.post_generation
    def audiences(self, create, extracted, **kwargs):
        if create and extracted:
            self.audiences.set(extracted)
            self.save_revision().publish()


class ServiceMaterialFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceMaterial

    service = factory.SubFactory(ServiceItemPageFactory)
    name = factory.Sequence(lambda n: f"材料{n}")


class StationIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = StationIndexPage

    title = "红色驿站"
    slug = "stations"


class StationPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = StationPage

    title = factory.Sequence(lambda n: f"测试驿站{n}")
    slug = factory.Sequence(lambda n: f"station-{n}")
    station_type = StationType.RED_STATION
    community = factory.SubFactory(CommunityFactory)
    address = "同心区测试路1号"
    amenities = factory.LazyFunction(lambda: ["rest", "water"])


class StationOpeningHoursFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StationOpeningHours

    station = factory.SubFactory(StationPageFactory)
    weekday = 0
    opens = time(9)
    closes = time(17)


def under(parent: Page, factory_class, **kwargs):
    """Create a page of ``factory_class`` as a child of ``parent``."""
    return factory_class(parent=parent, **kwargs)
