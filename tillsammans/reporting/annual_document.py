"""The annual report as a document: its HTML in one language, its title, and the PDF made
from them (for the page, the worker and the published editions alike)."""

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from tillsammans.core.models import StoredFile

from .annual import AnnualFigures
from .charts import occupancy_bars, stacked_services
from .models import Edition

# WeasyPrint resolves the report's own pictures from the database (``pdf.StoredImages``):
# the address only has to be absolute, and nothing is fetched from it.
BASE_URL = "https://tillsammans.invalid/"


def body(figures: AnnualFigures, language: str, *, preview: bool) -> str:
    """The report's HTML in one language: cover, contents, texts, figures, sections."""
    texts = figures.texts
    words = {}
    for section in figures.partners:
        if section.narrative is not None:
            words[section.organisation.id] = {
                part: section.narrative.in_language(part, language) for part in ("headline", "text")
            }
    common_goal = texts.in_language("common_goal", language) if texts else ""
    context = {
        "report": figures,
        "texts": {
            field: texts.in_language(field, language)
            for field in ("tagline", "intro", "background", "collaborators", "funding")
        }
        if texts
        else {},
        "common_goal": common_goal or figures.agreement.common_goal,
        "partners": [
            (section, words.get(section.organisation.id, {})) for section in figures.partners
        ],
        "edition": language,
        "preview": preview,
        "occupancy": occupancy_bars(figures.months),
        "services": stacked_services(figures.services_by_partner),
    }
    with translation.override(language):
        return render_to_string("reporting/_annual_body.html", context)


def title(figures: AnnualFigures | Edition, language: str) -> str:
    with translation.override(language):
        return _("Annual report of added values %(year)s") % {"year": figures.year}


def pdf_page(body: str, title: str, language: str) -> str:
    return render_to_string(
        "reporting/annual_pdf.html", {"body": body, "title": title, "edition": language}
    )


def render_pdf(html: str) -> bytes:
    from .pdf import render  # WeasyPrint takes a moment to import

    return render(html, BASE_URL)


def pictures_of(figures: AnnualFigures) -> list[StoredFile]:
    """The pictures the report shows: its photos and the partners' logos."""
    pictures = [photo.file for photo in figures.photos]
    for section in figures.partners:
        pictures += [photo.file for photo in section.photos]
        if section.organisation.logo_id:
            pictures.append(section.organisation.logo)  # type: ignore[arg-type]
    return pictures
