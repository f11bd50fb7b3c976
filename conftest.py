"""The fixed cast every test uses.

- the city (municipality) with a coordinator;
- partner A with an admin, staff and a read-only viewer, running site A;
- partner B with staff, running site B: the outsider for partner A's people;
- a social services case worker of the city, who sees only the children of their cases.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone

from tillsammans.core.factories import (
    AllocationFactory,
    HouseholdFactory,
    OrganisationFactory,
    PersonFactory,
    SiteFactory,
    UnitFactory,
    member,
)
from tillsammans.partnership.models import OrganisationKind, Role
from tillsammans.reception.services import allocation_place

# Tests that share an expensive fixture of a wider scope than a module run on one worker, so
# that it is built once per run: the demo takes minutes to load. xdist's own `xdist_group`
# mark does nothing under pytest 9 (it renames a node id attribute pytest no longer has).
TOGETHER = {"tillsammans/reporting/tests/demo/": "the demo"}
# Single tests that take minutes start first, longest first, so that none of them finishes
# alone at the end.
FIRST = (
    "tests/test_no_server_errors.py::test_it_answers_no_input_with_a_server_error",
    "the demo",  # the other worker's first unit, not queued behind the longest test
    "tillsammans/reception/tests/test_eligibility.py::test_it_answers_the_same_in_the_unit_list",
    "tillsammans/core/tests/test_production_server.py::test_gunicorn_serves_pages",
)


@pytest.hookimpl(optionalhook=True)  # xdist's hook: absent under -p no:xdist
def pytest_xdist_make_scheduler(config: Any, log: Any) -> Any:
    """Under `-n`, xdist's load scheduling, except that the tests in `TOGETHER` go to one
    worker as one unit and the tests in `FIRST` are handed out before anything else."""
    if config.getvalue("dist") != "load":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class Scheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return next((g for p, g in TOGETHER.items() if nodeid.startswith(p)), nodeid)

        def _assign_work_unit(self, node: Any) -> None:
            if not getattr(self, "_first_moved", False):
                self._first_moved = True
                rank = {
                    scope: next(i for i, start in enumerate(FIRST) if scope.startswith(start))
                    for scope in self.workqueue
                    if scope.startswith(FIRST)
                }
                for scope in sorted(rank, key=rank.__getitem__, reverse=True):
                    self.workqueue.move_to_end(scope, last=False)
            super()._assign_work_unit(node)

        def remove_node(self, node: Any) -> str | None:
            # A test that crashed its worker is reported as crashed, not run again on the
            # next worker (as xdist's load scheduling does; its scope scheduling would).
            workload = self.assigned_work.get(node, {})
            crashed = next(
                (test for unit in workload.values() for test, done in unit.items() if not done),
                None,
            )
            for scope, unit in list(workload.items()):
                if crashed in unit:
                    unit[crashed] = True
                if all(unit.values()):
                    del workload[scope]
            requeued = super().remove_node(node)
            return crashed if crashed is not None else requeued

    return Scheduling(config, log)


@pytest.fixture(autouse=True)
def _test_settings(settings: Any) -> None:
    # Tests of the MFA rule switch it back on; everything else tests one thing at a time.
    settings.MFA_REQUIRED_FOR_COORDINATORS = False
    # The production hasher is slow by design; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # A test's rolled-back transaction never commits, so cached figures must not outlive it.
    cache.clear()


# The city's date when the run began (this file is imported before any test module).
_RUN_BEGAN_ON = timezone.localdate()


@pytest.fixture(autouse=True)
def _today_is_today(request: Any) -> None:
    """A test module's ``TODAY`` read from the clock (``timezone.localdate()`` at import) is the
    city's date when each test starts, not when the module was imported: a run that passes
    midnight in Stockholm (23:00 UTC in winter) would otherwise compare yesterday's date with
    the services' today. A ``TODAY`` fixed to another date is left as it is."""
    module = request.module
    if getattr(module, "TODAY", None) == _RUN_BEGAN_ON:
        module.TODAY = timezone.localdate()


@dataclass
class Cast:
    city: Any
    org_a: Any
    org_b: Any
    coordinator: Any
    a_admin: Any
    a_staff: Any
    a_viewer: Any
    b_staff: Any
    case_worker: Any
    site_a: Any
    unit_a: Any
    site_b: Any
    unit_b: Any
    household_a: Any
    stay_a: Any
    allocation_pending: Any


@pytest.fixture
def cast(db: Any) -> Cast:
    city = OrganisationFactory(
        name="Göteborgs Stad", short_name="Staden", slug="goteborgs-stad",
        kind=OrganisationKind.MUNICIPALITY,
    )  # fmt: skip
    org_a = OrganisationFactory(name="Partner A", short_name="A", slug="partner-a")
    org_b = OrganisationFactory(name="Partner B", short_name="B", slug="partner-b")
    coordinator = member(city, Role.COORDINATOR, "coordinator@example.org")
    site_a = SiteFactory(organisation=org_a, name="Site A")
    unit_a = UnitFactory(site=site_a, name="A1", beds=4)
    site_b = SiteFactory(organisation=org_b, name="Site B")
    unit_b = UnitFactory(site=site_b, name="B1", beds=4)
    household_a = HouseholdFactory(reference="H-A")
    PersonFactory(household=household_a, first_name="Олена", last_name="Шевченко",
                  first_name_latin="Olena", last_name_latin="Shevchenko")  # fmt: skip
    PersonFactory(household=household_a, first_name="Марія", last_name="Шевченко",
                  first_name_latin="Mariia", last_name_latin="Shevchenko",
                  birth_date=dt.date(2012, 3, 4))  # fmt: skip
    placed = AllocationFactory(household=household_a, reference="A-PLACED")
    stay_a = allocation_place(
        actor=coordinator, allocation=placed, unit=unit_a, on=dt.date(2022, 7, 10)
    )
    pending_household = HouseholdFactory(reference="H-PENDING")
    PersonFactory(household=pending_household, first_name="Олег", last_name="Бондар",
                  first_name_latin="Oleh", last_name_latin="Bondar",
                  birth_date=dt.date(1950, 1, 2))  # fmt: skip
    allocation_pending = AllocationFactory(household=pending_household, reference="A-PENDING")
    return Cast(
        city=city, org_a=org_a, org_b=org_b, coordinator=coordinator,
        a_admin=member(org_a, Role.PARTNER_ADMIN, "a-admin@example.org"),
        a_staff=member(org_a, Role.PARTNER_STAFF, "a-staff@example.org"),
        a_viewer=member(org_a, Role.VIEWER, "a-viewer@example.org"),
        b_staff=member(org_b, Role.PARTNER_STAFF, "b-staff@example.org"),
        case_worker=member(city, Role.CASE_WORKER, "case-worker@example.org"),
        site_a=site_a, unit_a=unit_a, site_b=site_b, unit_b=unit_b,
        household_a=household_a, stay_a=stay_a, allocation_pending=allocation_pending,
    )  # fmt: skip
