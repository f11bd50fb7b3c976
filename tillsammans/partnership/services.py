"""Writes for organisations and their users: the first municipality and coordinator from the
command line, then partner admins manage their own users and the coordinator all."""

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from tillsammans.core import access
from tillsammans.core.audit import audit_record
from tillsammans.core.errors import PermissionDenied, ServiceError
from tillsammans.core.lib import orgnumber
from tillsammans.core.models import AuditAction

from .models import Membership, Organisation, OrganisationKind, Role


def _check_admin(actor: Any, organisation: Organisation, role: str | None = None) -> None:
    membership = access.membership_of(actor)
    if membership is None:
        raise PermissionDenied(_("You cannot manage users."))
    if membership.role == Role.COORDINATOR:
        return
    if membership.role != Role.PARTNER_ADMIN or membership.organisation_id != organisation.pk:
        raise PermissionDenied(_("You can only manage your own organisation's users."))
    if role == Role.COORDINATOR:
        raise PermissionDenied(_("Only a coordinator can make another coordinator."))


def member_create(
    *, actor: Any, organisation: Organisation, email: str, first_name: str, last_name: str,
    role: str, password: str,
) -> Membership:  # fmt: skip
    _check_admin(actor, organisation, role)
    with transaction.atomic():
        return _new_member(
            actor=actor, organisation=organisation, email=email, first_name=first_name,
            last_name=last_name, role=role, password=password,
        )  # fmt: skip


def _new_member(
    *, actor: Any, organisation: Organisation, email: str, first_name: str, last_name: str,
    role: str, password: str | None,
) -> Membership:  # fmt: skip
    """A user of ``organisation``, audited; ``password`` None for one who chooses it from a
    link. Inside the caller's transaction."""
    if role == Role.COORDINATOR and not organisation.is_municipality:
        raise ServiceError("role", _("Coordinators work for the municipality."))
    user_model = get_user_model()
    if user_model.objects.filter(email__iexact=email).exists():
        raise ServiceError("email_taken", _("A user with that email address already exists."))
    user = user_model.objects.create_user(
        email=email, password=password, first_name=first_name, last_name=last_name
    )
    membership = Membership.objects.create(user=user, organisation=organisation, role=role)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=user,
        summary=gettext_noop("user %(email)s as %(role)s"),
        params={"email": email, "role": Role(role)},
    )
    return membership


def member_set_active(*, actor: Any, membership: Membership, active: bool) -> Membership:
    _check_admin(actor, membership.organisation)
    if membership.user_id == actor.pk:
        raise ServiceError("self", _("You cannot deactivate yourself."))
    with transaction.atomic():
        membership.user.is_active = active
        membership.user.save(update_fields=["is_active"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=membership.user,
            summary=gettext_noop("user activated") if active else gettext_noop("user deactivated"),
        )
    return membership


def _organisation_number(text: str) -> str:
    try:
        return orgnumber.normalise(text)
    except ValidationError as error:
        raise ServiceError("organisation_number", error.messages[0]) from error


def municipality_start(
    *, name: str, short_name: str, organisation_number: str, email: str, first_name: str,
    last_name: str,
) -> Membership:  # fmt: skip
    """The first step on an empty database: the municipality and its first coordinator, who
    has no password yet (they choose one from a link, then set up two-factor login).
    Everything after this is done in the product. Refused once any organisation exists."""
    name, short_name, email = name.strip(), short_name.strip() or name.strip(), email.strip()
    if not name:
        raise ServiceError("name", _("Give the municipality's name."))
    number = _organisation_number(organisation_number)
    try:
        validate_email(email)
    except ValidationError as error:
        raise ServiceError("email", _("Give the coordinator's e-mail address.")) from error
    if not (first_name.strip() and last_name.strip()):
        raise ServiceError("name", _("Give the coordinator's first and last name."))
    with transaction.atomic():
        if Organisation.objects.exists():
            raise ServiceError(
                "not_empty",
                _("This database already has organisations: the first step is done already."),
            )
        organisation = _new_organisation(
            name=name, short_name=short_name, kind=OrganisationKind.MUNICIPALITY, number=number
        )
        audit_record(
            actor=None,
            action=AuditAction.CREATE,
            obj=organisation,
            summary=gettext_noop("municipality %(name)s started, organisation number %(number)s"),
            params={"name": name, "number": number},
        )
        return _new_member(
            actor=None, organisation=organisation, email=email, first_name=first_name.strip(),
            last_name=last_name.strip(), role=Role.COORDINATOR, password=None,
        )  # fmt: skip


def organisation_create(
    *, actor: Any, name: str, short_name: str, kind: str, organisation_number: str,
    website: str = "",
) -> Organisation:  # fmt: skip
    """The coordinator registers an organisation of the partnership (a non-profit, or another
    municipality), its organisation number checked and unique."""
    if not access.is_coordinator(actor):
        raise PermissionDenied(_("Only the coordinator registers organisations."))
    if kind not in OrganisationKind.values:
        raise ServiceError("kind", _("Choose the kind of organisation."))
    name, short_name = name.strip(), short_name.strip()
    if not name or not short_name:
        raise ServiceError("name", _("Give the organisation's name and short name."))
    number = _organisation_number(organisation_number)
    with transaction.atomic():
        organisation = _new_organisation(
            name=name, short_name=short_name, kind=kind, number=number, website=website.strip()
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=organisation,
            summary=gettext_noop(
                "organisation %(name)s registered, organisation number %(number)s"
            ),
            params={"name": name, "number": number},
        )
    return organisation


def _new_organisation(
    *, name: str, short_name: str, kind: str, number: str, website: str = ""
) -> Organisation:
    """An organisation with a name and a number no other has and a slug of its own. Inside
    the caller's transaction, which audits it."""
    if Organisation.objects.filter(name__iexact=name).exists():
        raise ServiceError("name_taken", _("An organisation with that name is registered."))
    if Organisation.objects.filter(organisation_number=number).exists():
        raise ServiceError("number_taken", _("An organisation with that number is registered."))
    base = slugify(short_name)[:50] or "organisation"
    slug, suffix = base, 2
    while Organisation.objects.filter(slug=slug).exists():
        slug, suffix = f"{base}-{suffix}", suffix + 1
    try:
        with transaction.atomic():  # two coordinators registering the same at once: one wins
            organisation = Organisation.objects.create(
                name=name, short_name=short_name[:60], slug=slug, kind=kind,
                organisation_number=number, website=website,
            )  # fmt: skip
    except IntegrityError as error:
        raise ServiceError(
            "name_taken", _("An organisation with that name or number is registered.")
        ) from error
    return organisation
