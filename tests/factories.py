"""A factory for every model, with plausible Chinese data."""

from __future__ import annotations

import datetime

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from experts.models import Scientist, TalentCategory
from liaison.models import Department, Position, Staff
from orgs.models import Officer, Organization, OrgKind


def today() -> datetime.date:
    """The app's today, read when used: a constant taken when pytest collected a module went stale when the
    suite ran across midnight in the app's time zone (16:00 UTC)."""
    return timezone.localdate()


PASSWORD = "test-pass-123"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"部室{n}")


class StaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Staff

    user = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"干部{n}")
    department = factory.SubFactory(DepartmentFactory)
    position = Position.STAFF


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"第{n}学会")
    kind = OrgKind.SOCIETY


class OfficerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Officer

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"负责人{n}")
    post = "chair"


class ScientistFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Scientist

    name = factory.Sequence(lambda n: f"专家{n}")
    employer = "沈北理工大学"
    category = TalentCategory.RENOWNED
