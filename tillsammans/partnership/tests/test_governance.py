"""Groups, meetings and decisions followed up until done; goals with their indicators; an
organisation's website and logo."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from tests import agreements
from tillsammans.partnership.models import Decision, GroupKind, IndicatorValue, Meeting


def test_the_coordinator_records_a_meeting_with_a_decision_that_the_owner_follows_up(cast, client):
    # given a steering group of an agreement with partner A
    objects = agreements.make(cast, "IOP", [cast.org_a])
    agreement, group = objects.agreement, objects.group
    client.force_login(cast.coordinator)
    # when a meeting is recorded with a decision for partner A
    client.post(
        reverse("meeting_create", args=[agreement.public_id, group.pk]),
        {"held_on": "2022-11-10", "agenda": "1. Vinterkläder", "minutes": "Beslutades att…"},
    )
    meeting = Meeting.objects.get(group=group, held_on="2022-11-10")
    client.post(
        reverse("decision_create", args=[agreement.public_id, meeting.pk]),
        {"text": "Samla in vinterkläder", "owner": cast.org_a.pk, "due_on": "2022-12-01"},
    )
    decision = Decision.objects.get(meeting=meeting)
    # and partner A's admin reports it done
    client.force_login(cast.a_admin)
    client.post(
        reverse("decision_edit", args=[agreement.public_id, decision.pk]),
        {"follow_up": "Insamlat och utdelat.", "done_on": "2022-11-28"},
    )
    # then
    decision.refresh_from_db()
    assert str(decision.done_on) == "2022-11-28"
    page = client.get(reverse("governance", args=[agreement.public_id])).text
    assert "Samla in vinterkläder" in page and "klart 2022-11-28" in page


def test_an_overdue_decision_says_so(cast, client):
    # given the fixture's decision, due 1 November 2022 and not done
    objects = agreements.make(cast, "IOP", [cast.org_a])
    client.force_login(cast.a_staff)
    # when
    page = client.get(reverse("governance", args=[objects.agreement.public_id])).text
    # then
    assert "försenat" in page


def test_a_decision_due_before_its_meeting_is_refused(cast, client):
    # given
    objects = agreements.make(cast, "IOP", [cast.org_a])
    client.force_login(cast.coordinator)
    # when
    response = client.post(
        reverse("decision_create", args=[objects.agreement.public_id, objects.meeting.pk]),
        {"text": "Bakåt", "owner": cast.org_a.pk, "due_on": "2022-01-01"},
        follow=True,
    )
    # then
    assert "Sista dagen kan inte ligga före mötet." in response.text
    assert not Decision.objects.filter(text="Bakåt").exists()


def test_a_group_of_another_kind_needs_a_name_and_a_kind_is_had_once(cast, client):
    # given
    objects = agreements.make(cast, "IOP", [cast.org_a])
    client.force_login(cast.coordinator)
    url = reverse("group_create", args=[objects.agreement.public_id])
    # when
    unnamed = client.post(url, {"kind": GroupKind.OTHER})
    twice = client.post(url, {"kind": GroupKind.STEERING})
    named = client.post(url, {"kind": GroupKind.OTHER, "name": "Sommarjobbsgruppen"})
    # then
    assert "Ge gruppen ett namn." in unnamed.text
    assert "Avtalet har redan den gruppen" in twice.text
    assert named.status_code == 302
    assert objects.agreement.groups.filter(name="Sommarjobbsgruppen").exists()


def test_the_decisions_download_holds_every_decision_with_formulas_defused(cast, client):
    # given a decision whose text starts like a formula
    objects = agreements.make(cast, "IOP", [cast.org_a])
    Decision.objects.filter(pk=objects.decision.pk).update(text="=HYPERLINK(1)")
    client.force_login(cast.a_viewer)
    # when
    answer = client.get(reverse("decisions_download", args=[objects.agreement.public_id]))
    # then
    sheet = load_workbook(io.BytesIO(answer.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][2] == "'=HYPERLINK(1)"
    assert rows[1][3] == cast.org_a.name


def test_an_indicator_entered_by_hand_shows_its_outcome_beside_its_target(cast, client):
    # given the fixture's survey indicator (target 80 %)
    objects = agreements.make(cast, "IOP", [cast.org_a])
    client.force_login(cast.coordinator)
    # when the outcome of 2022 is entered
    client.post(
        reverse("indicator_value", args=[objects.agreement.public_id, objects.indicator.pk]),
        {"year": "2022", "value": "82,5", "note": "Enkät november"},
    )
    # then
    value = IndicatorValue.objects.get(indicator=objects.indicator, year=2022)
    assert str(value.value) == "82.5"
    page = client.get(reverse("goal_list", args=[objects.agreement.public_id]) + "?year=2022").text
    assert "82,5\u00a0%" in page and "80\u00a0%" in page and "uppnått" in page


def test_a_share_above_a_hundred_per_cent_is_refused(cast, client):
    # given
    objects = agreements.make(cast, "IOP", [cast.org_a])
    client.force_login(cast.coordinator)
    # when
    response = client.post(
        reverse("indicator_value", args=[objects.agreement.public_id, objects.indicator.pk]),
        {"year": "2022", "value": "120"},
        follow=True,
    )
    # then
    assert "En andel ligger mellan 0 och 100 procent." in response.text
    assert not IndicatorValue.objects.exists()


def test_a_computed_indicator_counts_from_the_data(cast, client):
    # given an indicator of persons received, and the cast's household of two placed in 2022
    from tillsammans.partnership import governance_services

    objects = agreements.make(cast, "IOP", [cast.org_a])
    governance_services.indicator_save(
        actor=cast.coordinator, goal=objects.goal, name="Mottagna", measure="received",
        unit="persons", baseline=None, baseline_year=None, target=None,
    )  # fmt: skip
    client.force_login(cast.a_viewer)
    # when
    page = client.get(reverse("goal_list", args=[objects.agreement.public_id]) + "?year=2022").text
    # then
    assert "<strong>2</strong>" in page


def test_a_partner_admin_gives_its_organisation_a_logo_and_a_picture_only(cast, client):
    # given
    client.force_login(cast.a_admin)
    url = reverse("organisation_profile", args=[cast.org_a.slug])
    # when
    refused = client.post(url, {"website": "", "logo": SimpleUploadedFile("x.png", b"GIF89a")})
    client.post(url, {"website": "www.partner-a.se", "logo": agreements.logo_png()})
    # then
    assert "Filen är inte en PNG- eller JPEG-bild." in refused.text
    cast.org_a.refresh_from_db()
    assert cast.org_a.website == "https://www.partner-a.se"
    logo = client.get(reverse("organisation_logo", args=[cast.org_a.slug]))
    assert logo["Content-Type"] == "image/png"
