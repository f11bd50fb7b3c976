"""Two coordinators deciding on one monthly report at once (PostgreSQL).

Each decision runs in its own thread with its own connection; the report's row lock decides.
One decision is recorded, the report's status is that decision's, and the other coordinator
is told the report was already decided.
"""

import datetime as dt
from decimal import Decimal
from typing import Any

from tillsammans.core.factories import member
from tillsammans.core.models import User
from tillsammans.finance import services
from tillsammans.finance.models import (
    CompensationRate,
    MonthlyReport,
    RateKind,
    ReportEvent,
    ReportEventKind,
    ReportStatus,
    Scheme,
)
from tillsammans.partnership.models import Agreement, Role

from . import test_placement_race as race
from .test_placement_race import run_together

pytestmark = race.pytestmark

COORDINATORS = 10


def iop_paying(cast: Any, kind: str, amount: int) -> Agreement:
    """The city's agreement with partners A and B since March 2022, paying partners ``amount``
    of ``kind``."""
    agreement = Agreement.objects.create(name="IOP", starts_on=dt.date(2022, 3, 1))
    agreement.parties.add(
        cast.city, cast.org_a, cast.org_b, through_defaults={"joined_on": agreement.starts_on}
    )
    CompensationRate.objects.create(
        agreement=agreement, scheme=Scheme.PARTNER, kind=kind, amount=Decimal(amount),
        valid_from=agreement.starts_on,
    )  # fmt: skip
    return agreement


def _submitted_report(cast: Any) -> MonthlyReport:
    iop_paying(cast, RateKind.ADULT_NIGHT, 300)
    report = services.report_start(actor=cast.a_staff, year=2022, month=9)
    return services.report_submit(actor=cast.a_staff, report=report)


def test_it_leaves_one_consistent_decision_when_coordinators_approve_and_return_at_once(cast):
    # given a submitted report and ten coordinators, half approving and half sending back
    report = _submitted_report(cast)
    coordinators = [cast.coordinator] + [
        member(cast.city, Role.COORDINATOR, f"coordinator{n}@example.org")
        for n in range(1, COORDINATORS)
    ]

    def prepare(index: int) -> tuple[Any, ...]:
        actor = User.objects.select_related("membership__organisation").get(
            pk=coordinators[index].pk
        )
        return actor, MonthlyReport.objects.get(pk=report.pk), index % 2 == 0

    def decide(actor: Any, report: MonthlyReport, approve: bool) -> str:
        if approve:
            services.report_approve(actor=actor, report=report)
            return ReportStatus.APPROVED
        services.report_return(actor=actor, report=report, comment="Komplettera kostnaderna")
        return ReportStatus.RETURNED

    # when
    outcomes = run_together(COORDINATORS, prepare, decide)
    # then exactly one decision won and the report says that decision
    winners = [o.value for o in outcomes if o.error is None]
    codes = sorted(getattr(o.error, "code", repr(o.error)) for o in outcomes if o.error)
    assert len(winners) == 1
    assert codes == ["already_decided"] * (COORDINATORS - 1)
    stored = MonthlyReport.objects.get(pk=report.pk)
    assert stored.status == winners[0]
    decisions = ReportEvent.objects.filter(
        report=stored, kind__in=(ReportEventKind.APPROVED, ReportEventKind.RETURNED)
    )
    assert decisions.count() == 1
