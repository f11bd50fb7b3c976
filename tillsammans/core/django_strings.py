"""Texts of Django's own that its catalogues lack in Swedish or Ukrainian.

Django 6.1's blank choice of a select ("- Select an option -") is new and not yet in its
Swedish catalogue, and several of its validation messages are missing in Ukrainian. They are
listed here so that ``make messages`` puts them in the product's catalogues, which Django reads
before its own (``LOCALE_PATHS``): a Swedish page never shows them in English.
"""

from django.utils.translation import gettext_noop

DJANGO_TEXTS = (
    gettext_noop("- Select an option -"),
    gettext_noop("“%(pk)s” is not a valid value."),
    gettext_noop("%(model)s instance with %(field)s %(value)r is not a valid choice."),
)
