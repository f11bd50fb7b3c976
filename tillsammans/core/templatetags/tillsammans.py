from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from tillsammans.core.lib.amounts import format_amount
from tillsammans.core.lib.bidi import visible_controls
from tillsammans.core.lib.languages import in_running_text
from tillsammans.core.lib.languages import language_names as _language_names
from tillsammans.core.lib.names import name_with_spelling

register = template.Library()


@register.filter
def sek(value: Decimal | int | None, decimal_places: int = 2) -> str:
    """An amount of money the Swedish way, as the money fields read it: 312 000,50 kr;
    ``|sek:0`` for what is kept in whole kronor (a host's rent, a coupon): 5 000 kr."""
    if value is None or value == "":
        return "–"
    return format_amount(value, int(decimal_places)) + "\u00a0kr"


@register.filter
def amount(value: Decimal | int | None, decimal_places: int = 2) -> str:
    """A number the Swedish way with ``decimal_places`` decimals: 1 250,5."""
    if value is None or value == "":
        return "–"
    return format_amount(value, int(decimal_places))


@register.filter
def language_names(codes: list[str] | None) -> str:
    """Language codes as the languages' names in the reader's language: "ukrainska, ryska"."""
    return _language_names(codes or [])


@register.filter
def language_in_text(label: Any) -> str:
    """A language's label (a choice such as "Ukrainian") as it reads within a sentence:
    lower case in Swedish and Ukrainian, as written in English."""
    return in_running_text(str(label))


@register.filter
def grouped(value: Any) -> Any:
    """A count with its thousands grouped the reader's way: 36 431 in Swedish, 36,431 in
    English (a year or an id is never passed through this). Below a thousand there is
    nothing to group, and the value stays as it is."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 1000:
        return number_format(value, force_grouping=True)
    return value


@register.filter
def indicator_value(value: Decimal | int | None, unit: str) -> str:
    """An indicator's baseline, target or outcome: "87,5 %" for a share, "1 000" for a count
    (whole numbers without decimals)."""
    if value is None:
        return "–"
    number = Decimal(value)
    places = 0 if number == number.to_integral_value() else 1
    text = format_amount(number, places)
    return f"{text}\u00a0%" if unit == "percent" else text


@register.filter
def quote_text(quote: Any, language: str) -> str:
    """A report quote's words in the edition's language (Swedish when not translated)."""
    return str(quote.in_language("text", language))


@register.filter
def quote_by(quote: Any, language: str) -> str:
    return str(quote.in_language("said_by", language))


@register.filter
def photo_caption(photo: Any, language: str) -> str:
    return str(photo.in_language("caption", language))


@register.filter
def goal_title(goal: Any, language: str) -> str:
    """A goal's words in the edition's language (Swedish when not translated)."""
    return str(goal.title_in(language))


@register.filter
def goal_description(goal: Any, language: str) -> str:
    return str(goal.description_in(language))


@register.filter
def indicator_name(indicator: Any, language: str) -> str:
    return str(indicator.name_in(language))


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    return mapping.get(key, 0) if mapping else 0


@register.filter
def published(value: Any) -> Any:
    """A count as the partnership publishes it: 1 to 4 is "fewer than 5".

    Small counts are never printed, so no one can be picked out of a published figure; zero
    picks out no one and is shown as it is; a figure the application does not hold (None)
    says so.
    """
    if value is None:
        return gettext("not recorded")
    if isinstance(value, int) and 0 < value < 5:
        return gettext("fewer than 5")
    return grouped(value)


def _bdi(text: str) -> SafeString:
    return format_html("<bdi>{}</bdi>", text) if text else SafeString("")


@register.filter
def isolate(value: Any) -> SafeString:
    """What someone wrote (a note, a reason, a host's or an employer's name), escaped and
    inside <bdi>: a right-to-left letter or an override in it cannot reorder the text around
    it, in the page or in the PDF made from it."""
    if value is None:
        return SafeString("")
    return _bdi(str(value))


def _name_parts(person: Any) -> tuple[str, str]:
    if isinstance(person, Mapping):
        written, latin = person.get("name", ""), person.get("latin_name", "")
    else:
        written = getattr(person, "written_name", None)
        if written is None:
            written = getattr(person, "name", "")
        latin = getattr(person, "latin_name", "")
    return visible_controls(written or ""), visible_controls(latin or "")


@register.filter
def person_name(person: Any, part: str = "") -> SafeString:
    """A person's name as pages show it, each part inside <bdi>: as written with the passport
    spelling in parentheses when there is one that differs, as ``Person.display_name`` in
    plain text. ``"written"`` or ``"passport"`` give one part alone (a table with a column
    each); ``"latin"`` the passport spelling, or the name as written without one (a CV for a
    Swedish employer).

    Takes a person, a search row or the copy a referral keeps (``name`` and ``latin_name``).
    A direction control in a name written before names were checked is shown as �.
    """
    if person is None:
        return SafeString("")
    written, latin = _name_parts(person)
    if part == "written":
        return _bdi(written)
    if part == "passport":
        return _bdi(latin)
    if part == "latin":
        return _bdi(latin or written)
    # Both parts are escaped by _bdi; only the parentheses and the space are added.
    return mark_safe(name_with_spelling(_bdi(written), _bdi(latin)))


@register.filter
def staff_name(user: Any) -> str:
    """Who did something, as a colleague reads it: the staff member's name, or their login
    address when no name was given; "–" for nobody."""
    if user is None:
        return "–"
    return user.get_full_name().strip() or user.email


@register.simple_tag
def figure(value: Any, url: str | None, test_id: str) -> SafeString:
    """A figure on a card: a link to the rows behind it when the reader may open them."""
    if url:
        return format_html('<a href="{}" data-testid="{}">{}</a>', url, test_id, value)
    return format_html('<span data-testid="{}">{}</span>', test_id, value)
