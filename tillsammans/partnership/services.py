"""Writes for organisations and their users: the first municipality and coordinator from the
command line, then partner admins manage their own users and the coordinator all."""

import datetime as dt
import hashlib
import logging
import secrets
import smtplib
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import MailerDoesNotExist
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from tillsammans.core import access, files
from tillsammans.core.audit import audit_record, field_names
from tillsammans.core.errors import PermissionDenied, ServiceError
from tillsammans.core.lib import orgnumber
from tillsammans.core.lib.mail import send_in_swedish_and_english
from tillsammans.core.models import AuditAction

from .models import MUNICIPAL_ROLES, Invitation, Membership, Organisation, OrganisationKind, Role

logger = logging.getLogger(__name__)


def _check_admin(
    actor: Any, organisation: Organisation, role: str | None = None,
    target: Membership | None = None,
) -> None:  # fmt: skip
    """The coordinator manages everyone; a partner's admin the users of its own organisation,
    never a coordinator (neither making one nor changing or deactivating one)."""
    membership = access.membership_of(actor)
    if membership is None:
        raise PermissionDenied(_("You cannot manage users."))
    if membership.role == Role.COORDINATOR:
        return
    if membership.role != Role.PARTNER_ADMIN or membership.organisation_id != organisation.pk:
        raise PermissionDenied(_("You can only manage your own organisation's users."))
    if role in MUNICIPAL_ROLES or (target is not None and target.role in MUNICIPAL_ROLES):
        raise PermissionDenied(
            _("Only a coordinator can make or change a coordinator or a case worker.")
        )


def _new_member(
    *, actor: Any, organisation: Organisation, email: str, first_name: str, last_name: str,
    role: str, password: str | None,
) -> Membership:  # fmt: skip
    """A user of ``organisation``, audited; ``password`` None for one who chooses it from a
    link. Inside the caller's transaction."""
    if role in MUNICIPAL_ROLES and not organisation.is_municipality:
        raise ServiceError("role", _("Coordinators and case workers work for the municipality."))
    user_model = get_user_model()
    if user_model.objects.filter(email__iexact=email).exists():
        raise ServiceError("email_taken", _("A user with that email address already exists."))
    user = user_model.objects.create_user(
        email=email, password=password, first_name=first_name, last_name=last_name
    )
    # No one signs themselves up: a coordinator or an admin gives a known work address, and the
    # person proves it by opening the link sent there. allauth refuses two-factor set-up to an
    # account without a verified address, so the address is recorded as verified.
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
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
    _check_admin(actor, membership.organisation, target=membership)
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


def organisation_profile_update(
    *, actor: Any, organisation: Organisation, website: str, logo: UploadedFile | None = None,
    remove_logo: bool = False,
) -> Organisation:  # fmt: skip
    """An organisation's web address and logo, as the annual report shows them: by its own
    admin or the coordinator."""
    _check_admin(actor, organisation)
    if logo is not None and files.sniff(logo) not in files.IMAGES:
        raise ServiceError("logo", _("The file is not a PNG or JPEG picture."))
    with transaction.atomic():
        locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
        changed = []
        if locked.website != website.strip():
            changed.append("website")
            locked.website = website.strip()
        if logo is not None:
            locked.logo = files.store(logo, actor=actor)
            changed.append("logo")
        elif remove_logo and locked.logo_id is not None:
            locked.logo = None
            changed.append("logo")
        # The old logo's file stays: a published report edition may show it.
        locked.save()
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=locked,
            summary=gettext_noop("organisation %(name)s changed: %(fields)s"),
            params={"name": locked.name, "fields": field_names(Organisation, changed)},
        )
    return locked


# -- invitations ---------------------------------------------------------------------------


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_create(
    *, actor: Any, organisation: Organisation, email: str, first_name: str, last_name: str,
    role: str, site_url: str,
) -> Invitation:  # fmt: skip
    """Invite a person by e-mail to work for ``organisation`` in ``role``: the coordinator for
    any organisation, a partner's admin for its own. An earlier invitation of the same address
    still open is withdrawn. The mail goes out after the invitation is saved; if it cannot be
    sent, the invitation is withdrawn again and the sender told."""
    _check_admin(actor, organisation, role)
    email = email.strip().lower()
    if role in MUNICIPAL_ROLES and not organisation.is_municipality:
        raise ServiceError("role", _("Coordinators and case workers work for the municipality."))
    if role not in Role.values:
        raise ServiceError("role", _("Choose a role."))
    if get_user_model().objects.filter(email__iexact=email).exists():
        raise ServiceError("email_taken", _("A user with that email address already exists."))
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    with transaction.atomic():
        open_elsewhere = Invitation.objects.filter(
            email=email, accepted_at__isnull=True, withdrawn_at__isnull=True, expires_at__gt=now
        ).exclude(organisation=organisation)
        if open_elsewhere.exists():
            raise ServiceError(
                "invited_elsewhere",
                _("Another organisation has invited that address already; it must be "
                  "withdrawn there first."),
            )  # fmt: skip
        # A second invitation of the same organisation replaces the first.
        for earlier in Invitation.objects.filter(
            email=email, organisation=organisation, accepted_at__isnull=True,
            withdrawn_at__isnull=True,
        ):  # fmt: skip
            earlier.withdrawn_at = now
            earlier.save(update_fields=["withdrawn_at"])
            audit_record(
                actor=actor,
                action=AuditAction.UPDATE,
                obj=earlier,
                summary=gettext_noop("invitation of %(email)s withdrawn"),
                params={"email": email},
            )
        invitation = Invitation.objects.create(
            organisation=organisation, email=email, first_name=first_name.strip(),
            last_name=last_name.strip(), role=role, token_hash=_token_hash(token),
            invited_by=actor, expires_at=now + dt.timedelta(days=settings.INVITATION_DAYS),
        )  # fmt: skip
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=invitation,
            summary=gettext_noop("invitation of %(email)s to %(organisation)s as %(role)s"),
            params={"email": email, "organisation": organisation.name, "role": Role(role)},
        )
    link = site_url.rstrip("/") + reverse("invitation_accept", args=[token])
    try:
        _send_invitation(invitation, link, actor)
    except (smtplib.SMTPException, OSError, MailerDoesNotExist) as exc:
        logger.error("Invitation mail could not be sent: %r", exc)
        with transaction.atomic():
            Invitation.objects.filter(pk=invitation.pk).update(withdrawn_at=timezone.now())
            audit_record(
                actor=actor,
                action=AuditAction.UPDATE,
                obj=invitation,
                summary=gettext_noop("invitation of %(email)s withdrawn: the mail failed"),
                params={"email": email},
            )
        raise ServiceError(
            "mail", _("The invitation could not be e-mailed just now; nothing was sent. Try again.")
        ) from exc
    return invitation


def _send_invitation(invitation: Invitation, link: str, actor: Any) -> None:
    context = {
        "invitation": invitation,
        "link": link,
        "inviter": actor.get_full_name() or actor.email,
        "days": settings.INVITATION_DAYS,
    }
    # The invited person's language is not known yet: Swedish first, then English.
    send_in_swedish_and_english(
        "partnership/email/invitation.txt", context,
        lambda: _("Invitation to Tillsammans from %(organisation)s")
        % {"organisation": invitation.organisation.name},
        [invitation.email],
    )  # fmt: skip


def invitation_withdraw(*, actor: Any, invitation: Invitation) -> Invitation:
    _check_admin(actor, invitation.organisation)
    with transaction.atomic():
        updated = Invitation.objects.filter(
            pk=invitation.pk, accepted_at__isnull=True, withdrawn_at__isnull=True
        ).update(withdrawn_at=timezone.now())
        if not updated:
            raise ServiceError("not_open", _("The invitation was already used or withdrawn."))
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=invitation,
            summary=gettext_noop("invitation of %(email)s withdrawn"),
            params={"email": invitation.email},
        )
    return invitation


def invitation_for_token(token: str) -> Invitation | None:
    return (
        Invitation.objects.select_related("organisation", "invited_by")
        .filter(token_hash=_token_hash(token))
        .first()
    )


def invitation_accept(*, token: str, password: str) -> Membership:
    """The invited person chooses a password: they become a user of the organisation in the
    role they were invited to. Once only, and only before the invitation expires."""
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update()
            .select_related("organisation")
            .filter(token_hash=_token_hash(token))
            .first()
        )
        now = timezone.now()
        if invitation is None or not invitation.pending_at(now):
            raise ServiceError("invitation", _("This invitation can no longer be used."))
        validate_password(password)
        membership = _new_member(
            actor=None, organisation=invitation.organisation, email=invitation.email,
            first_name=invitation.first_name, last_name=invitation.last_name,
            role=invitation.role, password=password,
        )  # fmt: skip
        invitation.accepted_at = now
        invitation.save(update_fields=["accepted_at"])
        audit_record(
            actor=membership.user,
            action=AuditAction.UPDATE,
            obj=invitation,
            summary=gettext_noop("invitation of %(email)s accepted"),
            params={"email": invitation.email},
        )
    return membership


def member_role_set(*, actor: Any, membership: Membership, role: str) -> Membership:
    """A new role for a user: by the coordinator, or an admin for their own organisation
    (never coordinator). No one changes their own role, so no one locks themselves out."""
    _check_admin(actor, membership.organisation, role, target=membership)
    if role not in Role.values:
        raise ServiceError("role", _("Choose a role."))
    if membership.user_id == actor.pk:
        raise ServiceError("self", _("You cannot change your own role."))
    if role in MUNICIPAL_ROLES and not membership.organisation.is_municipality:
        raise ServiceError("role", _("Coordinators and case workers work for the municipality."))
    with transaction.atomic():
        old = Role(membership.role)
        membership.role = role
        membership.save(update_fields=["role", "updated_at"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=membership.user,
            summary=gettext_noop("role of %(email)s changed from %(old)s to %(new)s"),
            params={"email": membership.user.email, "old": old, "new": Role(role)},
        )
    return membership
