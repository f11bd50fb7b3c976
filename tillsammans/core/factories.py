"""factory_boy factories for tests and benchmarks; every person is synthetic."""

import datetime as dt

import factory

from tillsammans.core.models import User
from tillsammans.housing.models import Bed, Site, SiteKind, Unit
from tillsammans.partnership.models import Membership, Organisation, OrganisationKind
from tillsammans.people.models import Household, Person, Sex
from tillsammans.people.services import person_index, prepare_person
from tillsammans.reception.models import Allocation


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    short_name = factory.LazyAttribute(lambda o: o.name[:30])
    slug = factory.Sequence(lambda n: f"org-{n}")
    kind = OrganisationKind.NONPROFIT


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"User{n}")
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery")

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):  # type: ignore[no-untyped-def]
        if create:
            obj.save()


def member(organisation: Organisation, role: str, email: str | None = None) -> User:
    user: User = UserFactory(**({"email": email} if email else {}))
    Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


class SiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Site

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Site {n}")
    kind = SiteKind.COLLECTIVE_SELF
    district = "Centrum"
    opens_on = dt.date(2022, 3, 15)


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit
        skip_postgeneration_save = True

    site = factory.SubFactory(SiteFactory)
    name = factory.Sequence(lambda n: f"Unit {n}")

    @factory.post_generation
    def beds(obj, create, extracted, **kwargs):  # type: ignore[no-untyped-def]
        count = 4 if extracted is None else extracted
        if create:
            Bed.objects.bulk_create(Bed(unit=obj, number=i + 1) for i in range(count))


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    reference = factory.Sequence(lambda n: f"H-{n:05d}")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person
        skip_postgeneration_save = True

    household = factory.SubFactory(HouseholdFactory)
    first_name = "Олена"
    last_name = factory.Sequence(lambda n: f"Коваленко{n}")
    first_name_latin = "Olena"
    last_name_latin = factory.Sequence(lambda n: f"Kovalenko{n}")
    birth_date = dt.date(1985, 5, 17)
    sex = Sex.FEMALE
    languages = factory.LazyFunction(lambda: ["uk", "ru"])

    @factory.post_generation
    def indexed(obj, create, extracted, **kwargs):  # type: ignore[no-untyped-def]
        if create:
            prepare_person(obj)
            obj.save()
            person_index([obj])


class AllocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Allocation

    household = factory.SubFactory(HouseholdFactory)
    reference = factory.Sequence(lambda n: f"A-{n:06d}")
    allocated_on = dt.date(2022, 7, 1)
