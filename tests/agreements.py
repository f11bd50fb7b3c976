"""Two agreements of the cast, with one of everything an agreement holds: "shared" has the city
and partners A and B as parties, "theirs" the city and partner B only. Partner A is party to
the first and must get the same 404 for every object of the second as for a missing one."""

import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile


def _blank_pdf() -> bytes:
    from pypdf import PdfWriter

    writer, buffer = PdfWriter(), io.BytesIO()
    writer.add_blank_page(width=595, height=842)
    writer.write(buffer)
    return buffer.getvalue()


PDF = _blank_pdf()  # a real one: the suites that read every download open it
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@dataclass(frozen=True)
class AgreementObjects:
    agreement: Any
    target: Any
    document: Any
    group: Any
    member: Any
    meeting: Any
    decision: Any
    goal: Any
    indicator: Any

    def kwargs(self) -> dict[str, dict[str, Any]]:
        """Each URL name of an agreement's objects, with the arguments that reach this one's."""
        a = {"agreement_id": self.agreement.public_id}
        return {
            "agreement_page": a,
            "agreement_edit": a,
            "party_add": a,
            "party_edit": a | {"slug": self.document.organisation.slug},
            "target_add": a,
            "target_delete": a | {"target_id": self.target.pk},
            "document_add": a,
            "document_file": a | {"document_id": self.document.public_id},
            "document_delete": a | {"document_id": self.document.public_id},
            "governance": a,
            "decisions_download": a,
            "group_create": a,
            "group_detail": a | {"group_id": self.group.pk},
            "group_member_remove": a | {"group_id": self.group.pk, "member_id": self.member.pk},
            "meeting_create": a | {"group_id": self.group.pk},
            "meeting_detail": a | {"meeting_id": self.meeting.pk},
            "decision_create": a | {"meeting_id": self.meeting.pk},
            "decision_edit": a | {"decision_id": self.decision.pk},
            "goal_list": a,
            "goal_create": a,
            "goal_edit": a | {"goal_id": self.goal.pk},
            "indicator_create": a | {"goal_id": self.goal.pk},
            "indicator_edit": a | {"indicator_id": self.indicator.pk},
            "indicator_value": a | {"indicator_id": self.indicator.pk},
        }


def make(cast: Any, name: str, partners: list[Any]) -> AgreementObjects:
    """An agreement of the cast's coordinator with ``partners``; the first partner owns the
    annex, the decision and the group member."""
    from tillsammans.partnership import agreement_services, governance_services
    from tillsammans.partnership.models import DocumentKind, GroupKind, IndicatorUnit

    coordinator = cast.coordinator
    agreement = agreement_services.agreement_create(
        actor=coordinator, name=name, starts_on=dt.date(2022, 3, 1), ends_on=None, places=500
    )
    for partner in partners:
        agreement_services.party_add(
            actor=coordinator, agreement=agreement, organisation=partner,
            joined_on=dt.date(2022, 3, 1),
        )  # fmt: skip
    owner = partners[0]
    target = agreement_services.target_set(
        actor=coordinator, agreement=agreement, valid_from=dt.date(2022, 10, 1), places=1000
    )
    document = agreement_services.document_add(
        actor=coordinator, agreement=agreement, kind=DocumentKind.PARTNER_ANNEX,
        title="Bilaga", organisation=owner,
        upload=SimpleUploadedFile("bilaga.pdf", PDF, content_type="application/pdf"),
    )  # fmt: skip
    group = governance_services.group_create(
        actor=coordinator, agreement=agreement, kind=GroupKind.STEERING
    )
    member = governance_services.member_add(
        actor=coordinator, group=group, organisation=owner, name="Alva Ek"
    )
    meeting = governance_services.meeting_save(
        actor=coordinator, group=group, held_on=dt.date(2022, 9, 1), agenda="1. Mål",
        minutes="Protokoll",
    )  # fmt: skip
    decision = governance_services.decision_add(
        actor=coordinator, meeting=meeting, text="Ta fram en enkät", owner=owner,
        due_on=dt.date(2022, 11, 1),
    )  # fmt: skip
    goal = governance_services.goal_save(actor=coordinator, agreement=agreement, title="Trygghet")
    indicator = governance_services.indicator_save(
        actor=coordinator, goal=goal, name="Upplevd trygghet", measure="",
        unit=IndicatorUnit.PERCENT, baseline=None, baseline_year=None, target=Decimal(80),
    )  # fmt: skip
    return AgreementObjects(
        agreement, target, document, group, member, meeting, decision, goal, indicator
    )


def shared(cast: Any) -> AgreementObjects:
    from tillsammans.partnership.models import Agreement

    existing = Agreement.objects.filter(name="Delat avtal").first()
    if existing is not None:
        return _objects(existing)
    return make(cast, "Delat avtal", [cast.org_a, cast.org_b])


def theirs(cast: Any) -> AgreementObjects:
    from tillsammans.partnership.models import Agreement

    existing = Agreement.objects.filter(name="B:s avtal").first()
    if existing is not None:
        return _objects(existing)
    return make(cast, "B:s avtal", [cast.org_b])


def _objects(agreement: Any) -> AgreementObjects:
    group = agreement.groups.get()
    meeting = group.meetings.get()
    goal = agreement.goals.get()
    return AgreementObjects(
        agreement, agreement.targets.order_by("valid_from").last(), agreement.documents.get(),
        group, group.members.get(), meeting, meeting.decisions.get(), goal,
        goal.indicators.get(),
    )  # fmt: skip


def logo_png() -> SimpleUploadedFile:
    return SimpleUploadedFile("logo.png", PNG, content_type="image/png")
