"""Django's own texts that its catalogues lack are translated by the product's."""

from django.utils import translation

from tillsammans.people.forms import HouseholdNeedsForm


def test_it_offers_the_blank_choice_of_a_select_in_swedish():
    # given: a choice that may be left empty (where the household should live near)
    with translation.override("sv"):
        # when
        html = str(HouseholdNeedsForm()["anchor_kind"])
    # then
    assert "Välj ett alternativ" in html
    assert "Select an option" not in html


def test_it_offers_the_blank_choice_of_a_select_in_ukrainian():
    # given
    with translation.override("uk"):
        # when
        html = str(HouseholdNeedsForm()["anchor_kind"])
    # then
    assert "Виберіть варіант" in html


def test_it_labels_the_medical_priority_flag_in_swedish():
    # given: an encrypted flag, whose form field is made by hand
    with translation.override("sv"):
        # when
        label = str(HouseholdNeedsForm()["medical_priority"].label)
    # then
    assert label == "Medicinsk förtur"
