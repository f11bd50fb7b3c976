"""factory_boy factories for tests and benchmarks; every person is synthetic."""

import datetime as dt

import factory

from tillsammans.core.models import User
from tillsammans.housing.models import Bed, BedCount, Licence, Site, SiteKind, Unit
from tillsammans.partnership.models import Membership, Organisation, OrganisationKind
from tillsammans.people.models import Household, Person, Sex
from tillsammans.people.services import person_index, prepare_person
from tillsammans.reception.models import Allocation


class OrganisationFactory(factory.django.DjangoModelFactory[Organisation]):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    short_name = factory.LazyAttribute(lambda o: o.name[:30])
    slug = factory.Sequence(lambda n: f"org-{n}")
    kind = OrganisationKind.NONPROFIT


def _save_user(user: User, create: bool, extracted: object, **kwargs: object) -> None:
    if create:
        user.save()


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"User{n}")
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery")

    saved = factory.PostGeneration(_save_user)


def member(organisation: Organisation, role: str, email: str | None = None) -> User:
    user = UserFactory.create(**({"email": email} if email else {}))
    Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


class SiteFactory(factory.django.DjangoModelFactory[Site]):
    class Meta:
        model = Site

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Site {n}")
    kind = SiteKind.COLLECTIVE_SELF
    district = "Centrum"
    opens_on = dt.date(2022, 3, 15)


class HomeForChildrenFactory(SiteFactory):
    """An HVB home, open since the 2015 agreement began (seed 003)."""

    name = factory.Sequence(lambda n: f"HVB {n}")
    kind = SiteKind.HVB
    opens_on = dt.date(2015, 3, 1)


class LicenceFactory(factory.django.DjangoModelFactory[Licence]):
    """A licence held by the home's own organisation, for ages 13 to 20 ("Placerade
    ungdomar är 13-20 år", seed 003), girls and boys, from the home's first day."""

    class Meta:
        model = Licence

    site = factory.SubFactory(HomeForChildrenFactory)
    number = factory.Sequence(lambda n: f"IVO 8.5-{n}/2015")
    holder = factory.LazyAttribute(lambda licence: licence.site.organisation)
    min_age = 13
    max_age = 20
    places = 6
    valid_from = factory.LazyAttribute(lambda licence: licence.site.opens_on)


def _add_beds(unit: Unit, create: bool, extracted: int | None, **kwargs: object) -> None:
    count = 4 if extracted is None else extracted
    if create:
        Bed.objects.bulk_create(Bed(unit=unit, number=i + 1) for i in range(count))
        # Counted for the money from the day the site opens, as a unit made with it.
        BedCount.objects.create(unit=unit, valid_from=unit.site.opens_on, beds=count, usable=count)


class UnitFactory(factory.django.DjangoModelFactory[Unit]):
    class Meta:
        model = Unit
        skip_postgeneration_save = True

    site = factory.SubFactory(SiteFactory)
    name = factory.Sequence(lambda n: f"Unit {n}")

    beds = factory.PostGeneration(_add_beds)


class HouseholdFactory(factory.django.DjangoModelFactory[Household]):
    class Meta:
        model = Household

    reference = factory.Sequence(lambda n: f"H-{n:05d}")


def _index_person(person: Person, create: bool, extracted: object, **kwargs: object) -> None:
    if create:
        prepare_person(person)
        person.save()
        person_index([person])


class PersonFactory(factory.django.DjangoModelFactory[Person]):
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

    indexed = factory.PostGeneration(_index_person)


class AllocationFactory(factory.django.DjangoModelFactory[Allocation]):
    class Meta:
        model = Allocation

    household = factory.SubFactory(HouseholdFactory)
    reference = factory.Sequence(lambda n: f"A-{n:06d}")
    allocated_on = dt.date(2022, 7, 1)
