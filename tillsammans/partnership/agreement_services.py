"""Writes for agreements: their texts and period, parties joining and leaving on dates, the
target number of places on dates, and the signed documents. Each checks, changes and audits
in one transaction; a refusal is a ServiceError in the user's language and changes nothing."""

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from tillsammans.core import access, files
from tillsammans.core.audit import audit_record, field_names
from tillsammans.core.errors import PermissionDenied, ServiceError
from tillsammans.core.models import AuditAction

from .models import (
    Agreement,
    AgreementDocument,
    AgreementTarget,
    DocumentKind,
    Organisation,
    Party,
)

TEXTS = ("description", "purpose", "common_goal", "legal_basis", "shared_values", "coordination")


def _day(day: dt.date) -> str:
    return str(formats.date_format(day, "SHORT_DATE_FORMAT"))


def _period(agreement: Agreement) -> str:
    if agreement.ends_on is None:
        return _("from %(start)s") % {"start": _day(agreement.starts_on)}
    return f"{_day(agreement.starts_on)} – {_day(agreement.ends_on)}"


def _check_manager(actor: Any, agreement: Agreement | None = None) -> None:
    """A new agreement is any coordinator's to make; an existing one its coordinator's."""
    allowed = (
        access.is_coordinator(actor)
        if agreement is None
        else access.can_manage_agreement(actor, agreement)
    )
    if not allowed:
        raise PermissionDenied(_("Only the coordinator changes the agreement."))


def _check_period(starts_on: dt.date, ends_on: dt.date | None) -> None:
    if ends_on is not None and ends_on < starts_on:
        raise ServiceError("ends_before_start", _("The agreement cannot end before it starts."))


def _check_within(agreement: Agreement, day: dt.date, code: str, what: str) -> None:
    if not agreement.covers(day):
        raise ServiceError(
            code,
            _("%(what)s lies outside the agreement's period (%(period)s).")
            % {"what": what, "period": _period(agreement)},
        )


def agreement_create(
    *, actor: Any, name: str, starts_on: dt.date, ends_on: dt.date | None, places: int | None,
    **texts: str,
) -> Agreement:  # fmt: skip
    """A new agreement, coordinated by the coordinator's own organisation, which is its first
    party from the first day; its first target of places if given."""
    _check_manager(actor)
    name = name.strip()
    if not name:
        raise ServiceError("name", _("Give the agreement a title."))
    _check_period(starts_on, ends_on)
    coordinator = access.membership_of(actor).organisation  # type: ignore[union-attr]
    with transaction.atomic():
        agreement = Agreement.objects.create(
            name=name, starts_on=starts_on, ends_on=ends_on, coordinator=coordinator,
            **{key: texts.get(key, "").strip() for key in TEXTS},
        )  # fmt: skip
        Party.objects.create(agreement=agreement, organisation=coordinator, joined_on=starts_on)
        if places:
            AgreementTarget.objects.create(agreement=agreement, valid_from=starts_on, places=places)
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=agreement,
            summary=gettext_noop("agreement %(name)s, %(start)s to %(end)s"),
            params={"name": name, "start": starts_on, "end": ends_on or "—"},
        )
    return agreement


def agreement_update(
    *, actor: Any, agreement: Agreement, name: str, starts_on: dt.date, ends_on: dt.date | None,
    **texts: str,
) -> Agreement:  # fmt: skip
    """New texts or a new period; a period that would leave a party's dates or a target
    outside it is refused with what to change first."""
    _check_manager(actor, agreement)
    name = name.strip()
    if not name:
        raise ServiceError("name", _("Give the agreement a title."))
    _check_period(starts_on, ends_on)
    with transaction.atomic():
        locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
        locked.starts_on, locked.ends_on = starts_on, ends_on
        for party in locked.party_set.select_related("organisation"):
            if not locked.covers(party.joined_on) or (
                party.left_on is not None and not locked.covers(party.left_on)
            ):
                raise ServiceError(
                    "party_outside",
                    _(
                        "%(organisation)s joined or left on a date outside the new period; "
                        "change its dates first."
                    )
                    % {"organisation": party.organisation.name},
                )
        if locked.targets.exclude(valid_from__gte=starts_on).exists() or (
            ends_on is not None and locked.targets.filter(valid_from__gt=ends_on).exists()
        ):
            raise ServiceError(
                "target_outside",
                _("A target of places lies outside the new period; remove it first."),
            )
        changed = [key for key in TEXTS if getattr(locked, key) != texts.get(key, "").strip()]
        if locked.name != name:
            changed.append("name")
        if (agreement.starts_on, agreement.ends_on) != (starts_on, ends_on):
            changed += ["starts_on", "ends_on"]
        locked.name = name
        for key in TEXTS:
            setattr(locked, key, texts.get(key, "").strip())
        locked.save()
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=locked,
            summary=gettext_noop("agreement %(name)s changed: %(fields)s"),
            params={"name": name, "fields": field_names(Agreement, changed)},
        )
    return locked


def party_add(
    *, actor: Any, agreement: Agreement, organisation: Organisation, joined_on: dt.date,
    contribution: str = "",
) -> Party:  # fmt: skip
    """An organisation joins the agreement on a date within its period."""
    _check_manager(actor, agreement)
    _check_within(agreement, joined_on, "joined_outside", _("The day of joining"))
    already = ServiceError(
        "already_party",
        _("%(organisation)s is already party to the agreement; change its dates.")
        % {"organisation": organisation.name},
    )
    with transaction.atomic():
        if Party.objects.filter(agreement=agreement, organisation=organisation).exists():
            raise already
        try:
            with transaction.atomic():  # two coordinators adding the same party at once
                party = Party.objects.create(
                    agreement=agreement, organisation=organisation, joined_on=joined_on,
                    contribution=contribution.strip(),
                )  # fmt: skip
        except IntegrityError as error:
            raise already from error
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=agreement,
            summary=gettext_noop("%(organisation)s joins %(agreement)s on %(day)s"),
            params={
                "organisation": organisation.name,
                "agreement": agreement.name,
                "day": joined_on,
            },
        )
    return party


def party_update(
    *, actor: Any, party: Party, contribution: str, joined_on: dt.date | None = None,
    left_on: dt.date | None = None,
) -> Party:  # fmt: skip
    """The coordinator sets when a party joined and left and what it brings; the party's own
    admin writes only what it brings (``joined_on`` None leaves the dates as they are)."""
    if not access.can_write_for_party(actor, party):
        raise PermissionDenied(_("You can only write your own organisation's part."))
    agreement = party.agreement
    with transaction.atomic():
        locked = Party.objects.select_for_update().get(pk=party.pk)
        changed = []
        if joined_on is not None:
            _check_manager(actor, agreement)
            _check_within(agreement, joined_on, "joined_outside", _("The day of joining"))
            if left_on is not None:
                if left_on < joined_on:
                    raise ServiceError(
                        "left_before_joined", _("A party cannot leave before it joined.")
                    )
                _check_within(agreement, left_on, "left_outside", _("The day of leaving"))
            if (locked.joined_on, locked.left_on) != (joined_on, left_on):
                changed += ["joined_on", "left_on"]
            locked.joined_on, locked.left_on = joined_on, left_on
        if locked.contribution != contribution.strip():
            changed.append("contribution")
        locked.contribution = contribution.strip()
        locked.save()
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=agreement,
            summary=gettext_noop("%(organisation)s in %(agreement)s changed: %(fields)s"),
            params={
                "organisation": party.organisation.name,
                "agreement": agreement.name,
                "fields": field_names(Party, changed),
            },
        )
    return locked


def target_set(
    *, actor: Any, agreement: Agreement, valid_from: dt.date, places: int
) -> AgreementTarget:
    """The number of places agreed from a date (500 from 30 June, 1 000 from 1 October); a
    second target on the same date corrects the first."""
    _check_manager(actor, agreement)
    _check_within(agreement, valid_from, "target_outside", _("The target's date"))
    if places < 1:
        raise ServiceError("places", _("Give a number of places of at least 1."))
    with transaction.atomic():
        target, created = AgreementTarget.objects.update_or_create(
            agreement=agreement, valid_from=valid_from, defaults={"places": places}
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE if created else AuditAction.UPDATE,
            obj=agreement,
            summary=gettext_noop("target of %(agreement)s: %(places)s places from %(day)s"),
            params={"agreement": agreement.name, "places": places, "day": valid_from},
        )
    return target


def target_delete(*, actor: Any, target: AgreementTarget) -> None:
    agreement = target.agreement
    _check_manager(actor, agreement)
    with transaction.atomic():
        target.delete()
        audit_record(
            actor=actor,
            action=AuditAction.DELETE,
            obj=agreement,
            summary=gettext_noop("target of %(agreement)s removed: %(places)s places from %(day)s"),
            params={"agreement": agreement.name, "places": target.places, "day": target.valid_from},
        )


def document_add(
    *, actor: Any, agreement: Agreement, kind: str, title: str, upload: UploadedFile,
    organisation: Organisation | None = None,
) -> AgreementDocument:  # fmt: skip
    """The signed agreement or an annex (the coordinator), or a partner's own annex (its
    admin too)."""
    if kind not in DocumentKind.values:
        raise ServiceError("kind", _("Choose what kind of document it is."))
    if kind == DocumentKind.PARTNER_ANNEX:
        party = Party.objects.filter(agreement=agreement, organisation=organisation).first()
        if party is None:
            raise ServiceError("party", _("Choose the party whose annex it is."))
        if not access.can_write_for_party(actor, party):
            raise PermissionDenied(_("You can only write your own organisation's part."))
    else:
        _check_manager(actor, agreement)
        organisation = None
    if files.sniff(upload) not in files.DOCUMENTS:
        raise ServiceError("file_kind", _("The file is not a PDF, PNG or JPEG file."))
    title = title.strip() or str(DocumentKind(kind).label)
    with transaction.atomic():
        document = AgreementDocument.objects.create(
            agreement=agreement, kind=kind, title=title[:200], organisation=organisation,
            file=files.store(upload, actor=actor),
        )  # fmt: skip
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=agreement,
            summary=gettext_noop("document %(title)s added to %(agreement)s"),
            params={"title": title, "agreement": agreement.name},
        )
    return document


def document_delete(*, actor: Any, document: AgreementDocument) -> None:
    agreement = document.agreement
    party = Party.objects.filter(agreement=agreement, organisation=document.organisation).first()
    if party is None or not access.can_write_for_party(actor, party):
        _check_manager(actor, agreement)
    with transaction.atomic():
        stored = document.file
        document.delete()
        stored.delete()
        audit_record(
            actor=actor,
            action=AuditAction.DELETE,
            obj=agreement,
            summary=gettext_noop("document %(title)s removed from %(agreement)s"),
            params={"title": document.title, "agreement": agreement.name},
        )
