"""The annual report as PDF: WeasyPrint on the report's own HTML, its pictures read from the
database, nothing fetched from anywhere else."""

import re

from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from tillsammans.core.models import StoredFile

IMAGE_PATH = re.compile(r"/reports/images/([0-9a-f-]{36})/")


class StoredImages(URLFetcher):
    """Resolves the report's picture addresses from the database: a PDF made on the server
    needs no login and no network, and a URL of anything else is refused."""

    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        match = IMAGE_PATH.search(url)
        if match is None:
            raise ValueError("The report fetches only its own pictures.")
        stored = StoredFile.objects.filter(public_id=match[1]).first()
        if stored is None:
            raise ValueError("The picture no longer exists.")
        return URLFetcherResponse(url, bytes(stored.content), {"Content-Type": stored.content_type})


def render(html: str, base_url: str) -> bytes:
    # Tagged: a screen reader reads the headings and tables of the PDF, as of the page.
    return HTML(string=html, base_url=base_url, url_fetcher=StoredImages()).write_pdf(pdf_tags=True)
