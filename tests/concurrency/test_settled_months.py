"""A month settled while its beds or rents change (PostgreSQL, ADR 32).

A report's submission and a change of beds backdated into its month, or a month's rent marked
paid and a new rent from inside it, run at the same moment. Whichever comes first, what was
settled must be what the data says once both are done: the change is either counted in the
settled month or refused as reaching it, never lost between the two.
"""

import datetime as dt
from typing import Any

from tillsammans.core.models import User
from tillsammans.finance import selectors, services
from tillsammans.finance.models import MonthlyReport, RateKind
from tillsammans.housing.models import Unit
from tillsammans.housing.services import unit_update

from . import test_placement_race as race
from .test_finance import iop_paying
from .test_placement_race import run_together

pytestmark = race.pytestmark

MONTHS = range(4, 10)  # April to September 2022: one race a month
RENT_MONTHS = [(2022, 9), (2022, 10), (2022, 11), (2022, 12), (2023, 1), (2023, 2)]


def _outcome_kinds(outcomes: list[Any]) -> list[str]:
    return ["ok" if o.error is None else getattr(o.error, "code", repr(o.error)) for o in outcomes]


def test_a_report_submitted_while_beds_change_in_its_month_holds_the_beds_as_they_are(cast):
    # given partner B's site with 4 beds, and a report for each month April–September
    iop_paying(cast, RateKind.PLACE_DAY, 100)
    for month in MONTHS:
        report = services.report_start(actor=cast.b_staff, year=2022, month=month)

        def prepare(index: int, report: MonthlyReport = report) -> tuple[Any, ...]:
            staff = User.objects.select_related("membership__organisation").get(pk=cast.b_staff.pk)
            return (
                index,
                staff,
                MonthlyReport.objects.get(pk=report.pk),
                Unit.objects.get(pk=cast.unit_b.pk),
            )

        def act(index: int, staff: Any, report: MonthlyReport, unit: Unit, m: int = month) -> Any:
            if index == 0:
                return services.report_submit(actor=staff, report=report)
            beds = 5 + m % 2  # a different count each month, from its 10th
            return unit_update(actor=cast.coordinator, unit=unit, beds=beds,
                               beds_from=dt.date(2022, m, 10))  # fmt: skip

        # when the partner submits as the coordinator changes the unit's beds
        outcomes = run_together(2, prepare, act)
        # then the submission went through, and the change either went in or was refused
        kinds = _outcome_kinds(outcomes)
        assert kinds[0] == "ok", outcomes[0].error
        assert kinds[1] in ("ok", "settled_month"), outcomes[1].error
        # and the report holds the place-days the month has now
        stored = MonthlyReport.objects.get(pk=report.pk)
        assert stored.figures == selectors.report_figures(
            cast.org_b.pk, 2022, month, stored.agreement_id
        ), (month, kinds)


def test_a_rent_changed_while_its_month_is_marked_paid_is_paid_as_stored(cast):
    # given a host home with a guest since September 2022, its rent paid month by month
    from tillsammans.core.factories import AllocationFactory, HouseholdFactory, PersonFactory
    from tillsammans.hosting.models import Host, RentPayment
    from tillsammans.hosting.selectors import rent_lines
    from tillsammans.hosting.services import host_update, programme_create, rent_month_mark_paid
    from tillsammans.hosting.tests.conftest import agree, register, vet
    from tillsammans.reception.services import allocation_place

    programme = programme_create(actor=cast.coordinator, organisation=cast.org_a, name="Hjärterum")
    host = vet(cast, register(cast, programme, monthly_rent=4500))
    household = HouseholdFactory(reference="H-GUEST")
    PersonFactory.create_batch(2, household=household)
    agree(cast, host, household, dt.date(2022, 9, 1))
    allocation_place(
        actor=cast.coordinator, allocation=AllocationFactory(household=household),
        unit=host.unit, on=dt.date(2022, 9, 1),
    )  # fmt: skip
    for year, m in RENT_MONTHS:

        def prepare(index: int) -> tuple[Any, ...]:
            admin = User.objects.select_related("membership__organisation").get(pk=cast.a_admin.pk)
            return index, admin, Host.objects.select_related("unit").get(pk=host.pk)

        def act(index: int, admin: Any, host: Host, y: int = year, m: int = m) -> Any:
            if index == 0:
                return rent_month_mark_paid(actor=admin, programme=host.programme, year=y, month=m)
            return host_update(
                actor=admin, host=host, beds=host.unit.beds.count(),
                changes_from=dt.date(y, m, 10), monthly_rent=4500 + 100 * m,
            )  # fmt: skip

        # when the month is marked paid as a new rent from its 10th is entered
        outcomes = run_together(2, prepare, act)
        # then the month is paid, and the new rent either went in or was refused
        kinds = _outcome_kinds(outcomes)
        assert kinds[0] == "ok", outcomes[0].error
        assert kinds[1] in ("ok", "month_paid"), outcomes[1].error
        # and what was paid is what the month's nights and rents give now
        paid = sorted(
            (p.period_start, p.monthly_rent, p.amount)
            for p in RentPayment.objects.filter(rent_month__year=year, rent_month__month=m)
        )
        now = sorted(
            (line.period_start, line.monthly_rent, line.amount)
            for line in rent_lines(programme, year, m)
        )
        assert paid == now, (year, m, kinds)
