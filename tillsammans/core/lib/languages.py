"""Languages by name: codes ("uk", "ru") are what a form takes and the data keeps, never what a
page shows."""

from collections.abc import Iterable

from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext_lazy as _

# Languages the product's people speak that Django's table does not name (the unaccompanied
# children of 2015 spoke Dari, Pashto, Somali and Tigrinya, seed 003).
OTHER_LANGUAGES = {
    "prs": _("Dari"),
    "ps": _("Pashto"),
    "so": _("Somali"),
    "ti": _("Tigrinya"),
    "ku": _("Kurdish"),
    "am": _("Amharic"),
}


def language_name(code: str) -> str:
    """The language of ``code`` in words in the active language: "ukrainska" in Swedish,
    "Ukrainian" in English; a code Django does not know stays as it is.

    Swedish and Ukrainian write a language's name in lower case within a sentence or a list
    ("talar ukrainska, ryska"); Django's catalogues give it capitalised, as a title.
    """
    if code in OTHER_LANGUAGES:
        return in_running_text(str(OTHER_LANGUAGES[code]))
    try:
        name = str(get_language_info(code)["name_translated"])
    except KeyError:
        return code
    return in_running_text(name)


def in_running_text(name: str) -> str:
    """A language's name (or a choice's label such as "Other") as it reads within a sentence
    in the active language: "förklarat på ukrainska", "explained in Ukrainian"."""
    if (get_language() or "").split("-")[0] != "en":
        return name[:1].lower() + name[1:]
    return name


def language_names(codes: Iterable[str]) -> str:
    """Several languages in words, separated by commas, in the order given."""
    return listed(language_name(code) for code in codes or ())


def listed(parts: Iterable[str]) -> str:
    """Words in a list, separated by the active language's comma: Arabic writes "،"."""
    comma = "، " if (get_language() or "").startswith("ar") else ", "
    return comma.join(parts)
