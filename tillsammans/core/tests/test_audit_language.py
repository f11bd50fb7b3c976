"""The audit log reads in the reader's language, whatever the writer's was."""

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_noop

from tillsammans.core.audit import audit_record
from tillsammans.core.models import AuditAction, AuditEvent


def test_it_keeps_the_english_text_and_its_values_and_reads_them_in_swedish(cast):
    # given: a summary written while the writer's page was in Ukrainian
    with translation.override("uk"):
        event = audit_record(
            actor=cast.coordinator,
            action=AuditAction.UPDATE,
            obj=cast.household_a,
            summary=gettext_noop("Allocation %(ref)s"),
            params={"ref": "A-17"},
        )
    # when
    stored = AuditEvent.objects.get(pk=event.pk)
    with translation.override("sv"):
        read = stored.described()
    # then
    assert stored.summary == "Allocation A-17"
    assert read == "Anvisning A-17"


def test_it_translates_a_fixed_text_and_leaves_data_as_written(cast):
    # given
    fixed = audit_record(
        actor=cast.coordinator, action=AuditAction.VIEW, obj=cast.site_a, summary="Audit log"
    )
    data = audit_record(
        actor=cast.coordinator, action=AuditAction.UPDATE, obj=cast.site_a, summary="Site A"
    )
    # when
    with translation.override("sv"):
        # then
        assert fixed.described() == "Granskningslogg"
        assert data.described() == "Site A"


def test_it_names_the_kind_of_object_in_the_readers_language(cast):
    # given
    event = audit_record(actor=cast.coordinator, action=AuditAction.VIEW, obj=cast.household_a)
    # when
    with translation.override("sv"):
        kind = event.object_kind()
    # then
    assert kind == "hushåll"


def test_it_shows_the_log_to_a_swedish_coordinator_in_swedish(cast, client):
    # given
    audit_record(
        actor=cast.coordinator,
        action=AuditAction.UPDATE,
        obj=cast.household_a,
        summary=gettext_noop("Allocation %(ref)s"),
        params={"ref": "A-17"},
    )
    client.force_login(cast.coordinator)
    # when
    page = client.get(reverse("audit_list")).content.decode()
    # then
    assert "Anvisning A-17" in page
    assert "people.household" not in page


def test_it_reads_a_choice_and_field_names_as_words_of_the_readers_language(cast):
    # given: a move-out's reason (a choice) and a household's changed fields, written while
    # the writer's page was in Ukrainian
    from tillsammans.core.audit import field_names
    from tillsammans.people.models import Household
    from tillsammans.reception.models import ExitReason

    with translation.override("uk"):
        event = audit_record(
            actor=cast.coordinator,
            action=AuditAction.UPDATE,
            obj=cast.household_a,
            summary=gettext_noop("moved out %(household)s on %(on)s (%(reason)s)"),
            params={"household": "H-A", "on": "2022-10-01", "reason": ExitReason.OWN_HOUSING},
        )
        changed = audit_record(
            actor=cast.coordinator,
            action=AuditAction.UPDATE,
            obj=cast.household_a,
            summary=gettext_noop("changed %(fields)s"),
            params={"fields": field_names(Household, ["medical_priority", "no_such_field"])},
        )
    # when
    stored = AuditEvent.objects.get(pk=event.pk)
    with translation.override("sv"):
        swedish = stored.described(), AuditEvent.objects.get(pk=changed.pk).described()
    with translation.override("uk"):
        ukrainian = stored.described()
    # then: the English text keeps the English label; each reader reads their own words
    assert stored.summary == "moved out H-A on 2022-10-01 (Own housing)"
    assert swedish[0] == "flyttade ut H-A den 2022-10-01 (Eget boende)"
    assert swedish[1].startswith("ändrade ") and "medical_priority" not in swedish[1]
    assert swedish[1].endswith(", no_such_field")
    assert "own_housing" not in ukrainian and "Own housing" not in ukrainian


def test_it_sets_labels_that_hold_commas_apart_and_reads_them_in_swedish(cast):
    # given: a consent's two scopes, each a label with a comma of its own
    from tillsammans.core.audit import choice_labels
    from tillsammans.referrals.models import ConsentScope

    event = audit_record(
        actor=cast.coordinator,
        action=AuditAction.CREATE,
        obj=cast.household_a,
        summary=gettext_noop("consent of household %(household)s: %(scopes)s; any partner"),
        params={
            "household": "H-A",
            "scopes": choice_labels(ConsentScope, ["name_contact", "languages"]),
        },
    )
    # when
    with translation.override("sv"):
        read = AuditEvent.objects.get(pk=event.pk).described()
    # then
    assert read == (
        "samtycke för hushåll H-A: Namn, födelsedatum och hur personen nås · Språk som talas; "
        "alla parter"
    )


def test_it_reads_a_word_with_a_context_in_the_readers_language(cast):
    # given a move-out for a reason whose label has a context ("Other" as a reason for leaving)
    from tillsammans.reception.models import ExitReason

    event = audit_record(
        actor=cast.coordinator,
        action=AuditAction.UPDATE,
        obj=cast.household_a,
        summary=gettext_noop("moved out %(household)s on %(on)s (%(reason)s)"),
        params={"household": "H-A", "on": "2022-10-01", "reason": ExitReason.OTHER},
    )
    stored = AuditEvent.objects.get(pk=event.pk)
    # then the English text keeps the word, and a Swedish reader reads it in Swedish
    assert stored.summary == "moved out H-A on 2022-10-01 (Other)"
    with translation.override("sv"):
        assert stored.described() == "flyttade ut H-A den 2022-10-01 (Annat)"
