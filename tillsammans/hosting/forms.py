import datetime as dt
from typing import Any

from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tillsammans.core import access
from tillsammans.core.forms import AmountField, DateField, LanguageCodesField, form_field
from tillsammans.core.versions import VersionField
from tillsammans.partnership.models import Organisation, OrganisationKind
from tillsammans.people.models import Household
from tillsammans.placement.models import ProposalItem
from tillsammans.reception.models import Stay

from .models import (
    Answer,
    EndReason,
    Host,
    HostAnswer,
    HostingAgreement,
    HostPreference,
    Programme,
    RentBasis,
    WithWhom,
)
from .rules import visible_programmes
from .selectors import latest_answers
from .services import MAX_BEDS


class ProgrammeForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Run by"),
        queryset=Organisation.objects.filter(kind=OrganisationKind.NONPROFIT, host_programme=None),
    )
    name = forms.CharField(label=_("Name of the programme"), max_length=100, initial="Hjärterum")


class HostForm(forms.Form):
    programme = forms.ModelChoiceField(label=_("Programme"), queryset=Programme.objects.none())
    name = forms.CharField(label=_("Host household (names)"), max_length=200)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    address = forms.CharField(label=_("Address of the home"), max_length=200)
    district = forms.CharField(
        label=_("District"), max_length=100, help_text=_("E.g. Majorna-Linné or Örgryte-Härlanda.")
    )
    rooms = forms.IntegerField(label=_("Rooms offered"), min_value=1, max_value=10, initial=1)
    beds = forms.IntegerField(label=_("Beds offered"), min_value=1, max_value=MAX_BEDS, initial=2)
    available_from = DateField(label=_("Offered from"))
    available_until = DateField(
        label=_("Offered until"),
        required=False,
        help_text=_("Leave empty if the host has not set an end."),
    )
    languages = LanguageCodesField(
        label=_("Languages spoken"), help_text=_("Language codes, e.g. sv, en, uk.")
    )
    pets_in_home = forms.BooleanField(label=_("Pets in the home"), required=False)
    guest_pets_welcome = forms.BooleanField(label=_("Guests' pets welcome"), required=False)
    smoking = forms.BooleanField(label=_("Smoking in the home"), required=False)
    children_welcome = forms.BooleanField(label=_("Children welcome"), required=False, initial=True)
    accessible = forms.BooleanField(label=_("Accessible home"), required=False)
    prefers = forms.ChoiceField(label=_("Would prefer to host"), choices=HostPreference.choices)
    preference_notes = forms.CharField(
        label=_("More about the preference"), max_length=300, required=False
    )
    rent_basis = forms.ChoiceField(label=_("Rent is paid"), choices=RentBasis.choices)
    monthly_rent = AmountField(
        label=_("Monthly rent (SEK)"),
        decimal_places=0,
        max_value=100_000,
        help_text=_("For the whole home, or for each bed; paid for the nights hosted."),
    )

    def __init__(self, *args: Any, programmes: QuerySet[Programme], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "programme", forms.ModelChoiceField).queryset = programmes
        if len(programmes) == 1:
            self.fields["programme"].initial = programmes[0].pk
            self.fields["programme"].widget = forms.HiddenInput()
        self.fields["available_from"].initial = timezone.localdate()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("available_from"), data.get("available_until")
        if start and end and end <= start:
            self.add_error(
                "available_until",
                _("The home must be offered until a date after it is first offered."),
            )
        return data


class HostEditForm(HostForm):
    """The registration form without the programme (a host stays in its programme), and the
    day a new number of beds or a new rent takes effect."""

    version = VersionField()  # no lost updates (core.versions)
    changes_from = DateField(
        label=_("New beds or rent from"),
        required=False,
        help_text=_("The day a new number of beds or a new rent takes effect; today if left "
                    "empty. A month already paid or reported keeps what it had."),
    )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["programme"]
        self.fields["changes_from"].initial = timezone.localdate()


class VettingForm(forms.Form):
    on = DateField(label=_("Date"))
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()


def nameable_households(user: Any, host: Host) -> QuerySet[Household]:
    """Households a host may be asked about: any for a coordinator, who sees every household
    waiting for a place; for the programme's staff those a coordinator asked this host about
    (or an engine proposal named for this home) and those who lived there."""
    if access.is_coordinator(user):
        return Household.objects.all()
    asked = HostAnswer.objects.filter(household=OuterRef("pk"), host=host)
    proposed = ProposalItem.objects.filter(household=OuterRef("pk"), unit_id=host.unit_id)
    lived = Stay.objects.filter(household=OuterRef("pk"), unit_id=host.unit_id)
    return Household.objects.filter(Q(Exists(asked)) | Q(Exists(proposed)) | Q(Exists(lived)))


class AnswerForm(forms.Form):
    household = forms.CharField(label=_("Household reference"), max_length=40)
    answer = forms.ChoiceField(label=_("The host's answer"), choices=Answer.choices)
    answered_on = DateField(label=_("Date"))
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args: Any, user: Any, host: Host, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user, self.host = user, host
        self.fields["answered_on"].initial = timezone.localdate()

    def clean_household(self) -> Household:
        reference = self.cleaned_data["household"].strip()
        found = nameable_households(self.user, self.host).filter(reference__iexact=reference)
        household = found.first()
        if household is None:
            raise forms.ValidationError(
                _(
                    "No household with this reference has been asked about for this home. "
                    "A coordinator names the household first."
                )
            )
        return household


class AgreementForm(forms.Form):
    household = forms.ModelChoiceField(
        label=_("Guest household"),
        queryset=Household.objects.none(),
        help_text=_("Households the host has said yes to."),
    )
    signed_on = DateField(label=_("Signed on"))
    starts_on = DateField(label=_("From"))
    ends_on = DateField(label=_("Until"))
    signed_by_host = forms.BooleanField(label=_("Signed by the host"))
    signed_by_organisation = forms.BooleanField(label=_("Signed by the organisation as tenant"))
    signed_by_guest = forms.BooleanField(label=_("Signed by the guest household as subtenant"))

    def __init__(self, *args: Any, host: Host, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        said_yes = [a.household_id for a in latest_answers(host).values() if a.answer == Answer.YES]
        agreed = HostingAgreement.objects.filter(host=host, ended_on__isnull=True).values(
            "household_id"
        )
        households = Household.objects.filter(pk__in=said_yes).exclude(pk__in=agreed)
        # A household is offered by its reference (its str).
        form_field(self, "household", forms.ModelChoiceField).queryset = households
        today = timezone.localdate()
        self.fields["signed_on"].initial = today
        self.fields["starts_on"].initial = today
        self.fields["ends_on"].initial = today + dt.timedelta(days=180)


class AgreementUpdateForm(forms.Form):
    ends_on = DateField(label=_("Until"))
    next_place = forms.CharField(
        label=_("Next place planned"),
        max_length=200,
        required=False,
        help_text=_("Where the guests go when the agreement ends, once it is known."),
    )


class AgreementEndForm(forms.Form):
    on = DateField(label=_("Ended on"))
    reason = forms.ChoiceField(label=_("Reason"), choices=EndReason.choices)
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()


class FollowUpForm(forms.Form):
    on = DateField(label=_("Date"))
    with_whom = forms.ChoiceField(label=_("With whom"), choices=WithWhom.choices)
    concerns = forms.CharField(
        label=_("Concerns"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()


def programme_choices(user: Any) -> QuerySet[Any]:
    return visible_programmes(user)
