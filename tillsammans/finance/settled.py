"""The months of a site that finance has settled (``housing.settled``): those its
organisation has reported (submitted, approved or corrected) under an agreement that counts
the site's places, and those of the state's payments frozen under such an agreement."""

import datetime as dt

from django.db.models import Max, Q

from tillsammans.housing.models import Site
from tillsammans.partnership.models import Party

from .models import MonthlyReport, Reconciliation, ReportStatus

REPORTED = (ReportStatus.SUBMITTED, ReportStatus.APPROVED, ReportStatus.SUPERSEDED)


def reported_or_frozen(site: Site, since: dt.date, until: dt.date | None) -> dt.date | None:
    """The last month from ``since``'s on (and before ``until``) that the site's organisation
    reported or whose state payments are frozen."""
    months = Q(month__gte=since.replace(day=1))
    if until is not None:
        months &= Q(month__lt=until)
    agreements = (
        Q(agreement_id=site.agreement_id)
        if site.agreement_id is not None
        else Q(
            agreement_id__in=Party.objects.filter(organisation_id=site.organisation_id).values(
                "agreement_id"
            )
        )
    )
    reported = MonthlyReport.objects.filter(
        months, agreements, organisation_id=site.organisation_id, status__in=REPORTED
    ).aggregate(last=Max("month"))["last"]
    frozen = (
        Reconciliation.objects.filter(months, agreements, frozen_at__isnull=False)
        .aggregate(last=Max("month"))["last"]
    )  # fmt: skip
    return max((month for month in (reported, frozen) if month is not None), default=None)
