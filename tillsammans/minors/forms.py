from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from tillsammans.addedvalues.models import Service
from tillsammans.core.forms import BirthDateField, DateField, LanguageCodesField, form_field
from tillsammans.housing.models import Site, Unit
from tillsammans.minors.services import LEAVING_REASONS
from tillsammans.partnership.models import Organisation
from tillsammans.people.models import Sex

from .models import (
    AfterEighteen,
    AsylumStatusKind,
    BirthDateBasis,
    ChildVolunteer,
    GuardianKind,
    PlanArea,
    Relation,
    ReunificationRelative,
    ReunificationStep,
    SummerPlace,
    VolunteerKind,
)

FIRST_BASES = [
    (BirthDateBasis.STATED, BirthDateBasis.STATED.label),
    (BirthDateBasis.ASSESSED, BirthDateBasis.ASSESSED.label),
]


class ChildRegisterForm(forms.Form):
    first_name = forms.CharField(
        label=_("First name as written"), max_length=100,
        help_text=_("In the child's own script: Arabic script, Ge'ez or Latin."),
    )  # fmt: skip
    last_name = forms.CharField(label=_("Last name as written"), max_length=100)
    first_name_latin = forms.CharField(
        label=_("First name in Latin letters"), max_length=100, required=False
    )
    last_name_latin = forms.CharField(
        label=_("Last name in Latin letters"), max_length=100, required=False
    )
    birth_date = BirthDateField(label=_("Date of birth"))
    basis = forms.ChoiceField(label=_("The date of birth is"), choices=FIRST_BASES)
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, initial=Sex.UNKNOWN)
    languages = LanguageCodesField(
        label=_("Languages"),
        help_text=_("Language codes separated by commas, for example prs, ps, ar, so, ti."),
    )
    migration_case_number = forms.CharField(
        label=_("Migrationsverket case number"), max_length=40, required=False
    )
    allocated_on = DateField(label=_("Allocated to the city on"))


class BirthDateForm(forms.Form):
    birth_date = BirthDateField(label=_("Date of birth"))
    basis = forms.ChoiceField(label=_("The date of birth is"), choices=BirthDateBasis.choices)
    decided_on = DateField(label=_("Stated or decided on"))


class AsylumStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=AsylumStatusKind.choices)
    valid_from = DateField(label=_("From"))
    permit_valid_to = DateField(
        label=_("Permit valid to"), required=False,
        help_text=_("Only for a residence permit with an end date."),
    )  # fmt: skip


class GuardianForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=GuardianKind.choices)
    name = forms.CharField(label=_("Name"), max_length=200)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    appointed_on = DateField(label=_("Appointed on"))
    ended_on = DateField(label=_("Appointment ended on"), required=False)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        start, end = data.get("appointed_on"), data.get("ended_on")
        if start and end and end < start:
            self.add_error("ended_on", _("An appointment cannot end before it starts."))
        return data


class GuardianEndForm(forms.Form):
    ended_on = DateField(label=_("Appointment ended on"))


class HomeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.organisation.short_name}, {obj.get_kind_display()})"


class UnitOfHomeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        free = getattr(obj, "beds_free", None)
        if free is None:
            return f"{obj.site.name} — {obj.name}"
        beds = ngettext("%(n)d free bed", "%(n)d free beds", free) % {"n": free}
        return f"{obj.site.name} — {obj.name} ({beds})"


class DecisionForm(forms.Form):
    site = HomeChoiceField(queryset=Site.objects.none(), label=_("Home"), to_field_name="public_id")
    reference = forms.CharField(label=_("Decision reference"), max_length=60, required=False)
    decided_on = DateField(label=_("Decided on"))
    valid_from = DateField(label=_("From"))
    valid_to = DateField(
        label=_("To"), required=False, help_text=_("The last day. Empty until further notice.")
    )
    continued_after_18 = forms.BooleanField(
        label=_("The placement continues after 18"), required=False
    )

    def __init__(self, *args: Any, homes: QuerySet[Site], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "site", forms.ModelChoiceField).queryset = homes

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        start, end = data.get("valid_from"), data.get("valid_to")
        if start and end and end < start:
            self.add_error("valid_to", _("A decision cannot end before it starts."))
        return data


class ChildLeaveForm(forms.Form):
    on = DateField(label=_("Moves out on"))
    reason = forms.ChoiceField(label=_("Why"), widget=forms.RadioSelect)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "reason", forms.ChoiceField).choices = [
            (reason.value, reason.label) for reason in LEAVING_REASONS
        ]


class CaseCloseForm(forms.Form):
    closed_on = DateField(label=_("Case closed on"))


class DecisionEndForm(forms.Form):
    valid_to = DateField(label=_("The last day"))


class DecisionWithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the decision withdrawn?"),
        max_length=500,
        help_text=_(
            "Withdraw only a decision recorded in error. It stays on the case, struck through, "
            "and no longer lets the child be placed."
        ),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ChildPlaceForm(forms.Form):
    unit = UnitOfHomeChoiceField(
        queryset=Unit.objects.none(), label=_("Unit"), to_field_name="public_id"
    )
    on = DateField(label=_("Move-in date"))

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "unit", forms.ModelChoiceField).queryset = units


class AfterEighteenForm(forms.Form):
    after_18 = forms.ChoiceField(
        label=_("At 18"), choices=AfterEighteen.choices, widget=forms.RadioSelect
    )
    decided_on = DateField(label=_("Decided on"))


class ChildVolunteerForm(forms.Form):
    kind = forms.ChoiceField(label=_("Works with children as"), choices=VolunteerKind.choices)
    record_issued_on = DateField(
        label=_("Criminal-record extract issued on"),
        help_text=_(
            "The extract for work with children that you have seen (from the Police). Only "
            "its date is kept, never its content; it is valid for linking for a year."
        ),
    )


class VolunteerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return (
            f"{obj.volunteer.alias} ({obj.volunteer.organisation.short_name}, "
            f"{obj.get_kind_display()})"
        )


class VolunteerLinkForm(forms.Form):
    volunteer = VolunteerChoiceField(
        queryset=ChildVolunteer.objects.none(), label=_("Volunteer"), to_field_name="public_id"
    )
    starts_on = DateField(label=_("From"))
    child_agreed_on = DateField(label=_("The child agreed on"))
    guardian_agreed_on = DateField(label=_("The guardian agreed on"))

    def __init__(self, *args: Any, volunteers: QuerySet[ChildVolunteer], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "volunteer", forms.ModelChoiceField).queryset = volunteers


class MeetingForm(forms.Form):
    service = forms.ModelChoiceField(
        queryset=Service.objects.none(), label=_("Service"), to_field_name="public_id"
    )
    on = DateField(label=_("Date"))
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args: Any, services: QuerySet[Service], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "service", forms.ModelChoiceField).queryset = services


class PlanGoalForm(forms.Form):
    area = forms.ChoiceField(label=_("Area"), choices=PlanArea.choices)
    goal = forms.CharField(
        label=_("Goal"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    follow_up_on = DateField(label=_("To be followed up on"))


class PlanFollowUpForm(forms.Form):
    followed_up_on = DateField(label=_("Followed up on"))
    outcome = forms.CharField(
        label=_("How it went"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class LinkEndForm(forms.Form):
    ends_on = DateField(label=_("The last day"))


class ChildServiceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name()} ({obj.organisation.short_name})"


class SummerPlaceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        free = max(obj.places - getattr(obj, "taken", 0), 0)
        return _("%(employer)s, %(start)s – %(end)s, from %(age)d years (%(free)d free)") % {
            "employer": obj.employer,
            "start": obj.starts_on.isoformat(),
            "end": obj.ends_on.isoformat(),
            "age": obj.min_age,
            "free": free,
        }


class EnrolmentForm(forms.Form):
    service = ChildServiceChoiceField(
        queryset=Service.objects.none(),
        label=_("Service"),
        to_field_name="public_id",
        required=False,
        help_text=_("Homework help, work training, psychologist support and the like."),
    )
    summer_place = SummerPlaceChoiceField(
        queryset=SummerPlace.objects.none(),
        label=_("Or a summer internship place"),
        to_field_name="public_id",
        required=False,
        help_text=_("The internship's service and dates are the workplace's."),
    )
    starts_on = DateField(label=_("From"), required=False)
    ends_on = DateField(label=_("To"), required=False, help_text=_("Empty until further notice."))
    guardian_agreed_on = DateField(label=_("The guardian agreed on"))

    def __init__(
        self, *args: Any, services: QuerySet[Service], places: QuerySet[SummerPlace], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "service", forms.ModelChoiceField).queryset = services
        form_field(self, "summer_place", forms.ModelChoiceField).queryset = places

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        place = data.get("summer_place")
        if isinstance(place, SummerPlace):
            data["service"] = place.service
        elif not data.get("service"):
            self.add_error("service", _("Choose a service or a summer internship place."))
        elif not data.get("starts_on"):
            self.add_error("starts_on", _("Give the first day."))
        start, end = data.get("starts_on"), data.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", _("The place cannot end before it starts."))
        return data


class SessionForm(forms.Form):
    on = DateField(label=_("Date"))
    note = forms.CharField(
        label=_("Note"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class EnrolmentEndForm(forms.Form):
    ends_on = DateField(label=_("The last day"))


class SummerPlaceForm(forms.Form):
    service = forms.ModelChoiceField(
        queryset=Service.objects.none(), label=_("Service"), to_field_name="public_id"
    )
    employer = forms.CharField(label=_("Workplace"), max_length=200)
    tasks = forms.CharField(label=_("Tasks"), max_length=300, required=False)
    area = forms.CharField(label=_("District"), max_length=100, required=False)
    starts_on = DateField(label=_("From"))
    ends_on = DateField(label=_("To"))
    places = forms.IntegerField(label=_("Places"), min_value=1, max_value=50, initial=1)
    min_age = forms.IntegerField(label=_("From the age of"), min_value=13, max_value=20, initial=15)
    contact = forms.CharField(label=_("Contact at the workplace"), max_length=200, required=False)

    def __init__(self, *args: Any, services: QuerySet[Service], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = form_field(self, "service", forms.ModelChoiceField)
        field.queryset = services
        if services.count() == 1:
            field.initial = services.get().public_id

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        start, end = data.get("starts_on"), data.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", _("The internship cannot end before it starts."))
        return data


class OrganisationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class ReunificationOpenForm(forms.Form):
    helped_by = OrganisationChoiceField(
        queryset=Organisation.objects.none(),
        label=_("Helped by"),
        help_text=_("The partner organisation that helps the child trace and apply."),
    )
    opened_on = DateField(label=_("Opened on"))

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "helped_by", forms.ModelChoiceField).queryset = organisations


class RelativeForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    relation = forms.ChoiceField(label=_("Relation"), choices=Relation.choices)
    last_known_place = forms.CharField(label=_("Last known place"), max_length=200, required=False)


class RelativeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.get_relation_display()})"


class ReunificationStepForm(forms.Form):
    step = forms.ChoiceField(label=_("Step"), choices=ReunificationStep.choices)
    on = DateField(label=_("Date"))
    relative = RelativeChoiceField(
        queryset=ReunificationRelative.objects.none(),
        label=_("Relative"),
        to_field_name="public_id",
        required=False,
        help_text=_("For “Relative found”."),
    )
    reference = forms.CharField(
        label=_("Reference"),
        max_length=100,
        required=False,
        help_text=_("The tracing service's number, or the Migration Agency's case number."),
    )
    note = forms.CharField(
        label=_("Note"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(
        self, *args: Any, relatives: QuerySet[ReunificationRelative], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "relative", forms.ModelChoiceField).queryset = relatives
