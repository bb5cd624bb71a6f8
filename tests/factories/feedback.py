from datetime import timedelta

import factory
from django.utils import timezone

from feedback.complaints.references import new_reference, new_tracking_token
from feedback.evaluations.models import quarter_of
from feedback.models import (
    Complaint,
    ComplaintCategory,
    Evaluation,
    HandlingUnit,
    Kind,
    ModerationState,
    PropertyCompany,
    StaffScope,
    State,
    TargetType,
)

from .home import CommunityFactory


class HandlingUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HandlingUnit
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"测试承办单位{n}")


class ComplaintCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ComplaintCategory
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"测试分类{n}")
    default_unit = factory.SubFactory(HandlingUnitFactory)
    default_days = 7


class ComplaintFactory(factory.django.DjangoModelFactory):
    """A report as stored by ``submit_complaint``; move it on with the services."""

    class Meta:
        model = Complaint

    reference = factory.LazyFunction(lambda: new_reference(on=timezone.localdate()))
    tracking_token = factory.LazyFunction(new_tracking_token)
    kind = Kind.COMPLAINT
    category = factory.SubFactory(ComplaintCategoryFactory)
    community = factory.SubFactory(CommunityFactory)
    place = "复兴路88号小区3栋"
    description = "楼下垃圾桶三天没有清运，气味很大，影响居民出行。"
    name = "张三丰"
    phone = "13812345678"
    allow_public = True
    privacy_notice_version = "2026-11"
    consented_at = factory.LazyFunction(timezone.now)
    state = State.SUBMITTED


class StaffScopeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffScope
        skip_postgeneration_save = True

    @factory.post_generation
    def communities(self, create, extracted, **kwargs):
        if extracted:
            self.communities.set(extracted)

    @factory.post_generation
    def streets(self, create, extracted, **kwargs):
        if extracted:
            self.streets.set(extracted)


# --- Evaluations ---------------------------------------------------------------------


class PropertyCompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PropertyCompany
        django_get_or_create = ("name",)
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"测试{n}物业服务有限公司")
    contact = "0871-6411 3100"

    @factory.post_generation
    def communities(self, create, extracted, **kwargs):
        if extracted:
            self.communities.set(extracted)


def _target_pk(o) -> int:
    return getattr(o, str(o.target_type)).pk


class EvaluationFactory(factory.django.DjangoModelFactory):
    """A stored evaluation (as ``submit_evaluation`` leaves it); by default of a company.

    For another target pass ``target_type`` with that target and ``company=None``.
    """

    class Meta:
        model = Evaluation

    target_type = TargetType.COMPANY
    service = None
    station = None
    company = factory.SubFactory(PropertyCompanyFactory)
    community = factory.SubFactory(CommunityFactory)
    target_key = factory.LazyAttribute(lambda o: f"{o.target_type}:{_target_pk(o)}")
    submitted_at = factory.LazyFunction(timezone.now)
    created_at = factory.LazyAttribute(lambda o: o.submitted_at)
    quarter = factory.LazyAttribute(lambda o: quarter_of(o.submitted_at))
    stars = 4
    voter_key = factory.Sequence(lambda n: f"p:test-voter-{n}")
    privacy_notice_version = "2026-11"
    consented_at = factory.LazyAttribute(lambda o: o.submitted_at)
    state = ModerationState.APPROVED


def dispatch_date() -> str:
    """A deadline any dispatch today may promise, as a form posts it: tomorrow (every
    category's limit is at least one working day, so it is never past the limit)."""
    return (timezone.localdate() + timedelta(days=1)).isoformat()
