"""Reading a PDF back in tests: its text, and whether anything lies beyond its pages' edges."""

import io
from html.parser import HTMLParser
from typing import Any

import pytest
from pypdf import PdfReader


def capture_pdf_html(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The HTML of every PDF that WeasyPrint is asked to make from now on, in order."""
    import weasyprint

    seen: list[str] = []
    real = weasyprint.HTML

    def html(*args: Any, string: str | None = None, **kwargs: Any) -> Any:
        seen.append(string or "")
        return real(*args, string=string, **kwargs)

    monkeypatch.setattr(weasyprint, "HTML", html)
    return seen


class _Headers(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[str]] = []
        self.in_head = False
        self.cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag == "table":
            self.tables.append([])
        elif tag == "thead":
            self.in_head = True
        elif tag == "th" and self.in_head:
            self.cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "thead":
            self.in_head = False
        elif tag == "th" and self.cell is not None:
            self.tables[-1].append("".join(self.cell))
            self.cell = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)


def column_headers(html: str) -> list[list[str]]:
    """The column headers (``thead th``) of each table of an HTML document."""
    parser = _Headers()
    parser.feed(html)
    return parser.tables


def pdf_text(pdf: bytes) -> str:
    """The text of every page, with all white space removed (a header may wrap anywhere)."""
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return "".join(text.split())


def _text_starts(page: Any) -> list[tuple[float, float]]:
    """Where each piece of text on a page starts, in PDF points."""
    starts = []

    def visit(operator: bytes, operands: Any, cm: Any, tm: Any) -> None:
        if operator in (b"Tj", b"TJ", b"'", b'"'):
            starts.append(
                (
                    tm[4] * cm[0] + tm[5] * cm[2] + cm[4],
                    tm[4] * cm[1] + tm[5] * cm[3] + cm[5],
                )
            )

    page.extract_text(visitor_operand_before=visit)
    return starts


def text_outside_pages(pdf: bytes) -> list[str]:
    """Each piece of text that a PDF page draws starting beyond the page's edges."""
    outside = []
    for number, page in enumerate(PdfReader(io.BytesIO(pdf)).pages, 1):
        box = page.mediabox
        left, bottom, right, top = (float(v) for v in (box.left, box.bottom, box.right, box.top))
        outside += [
            f"page {number} at ({x:.0f}, {y:.0f})"
            for x, y in _text_starts(page)
            if not (left <= x <= right and bottom <= y <= top)
        ]
    return outside


def boxes_beyond_pages(html: str) -> list[str]:
    """Each box of the laid-out document that reaches beyond its page's right or left edge.

    WeasyPrint lays a table that is wider than the page out in full and the PDF cuts it at
    the page's edge; the boxes say so before anything is drawn.
    """
    from weasyprint import HTML

    beyond = []
    for number, page in enumerate(HTML(string=html).render().pages, 1):
        for box in page._page_box.descendants():
            right = box.position_x + box.margin_width()
            if box.position_x < -0.5 or right > page.width + 0.5:
                text = getattr(box, "text", "") or type(box).__name__
                beyond.append(
                    f"page {number}: {text[:40]!r} ends at {right:.0f} of {page.width:.0f}"
                )
    return beyond


def tagged_language(pdf: bytes) -> str | None:
    """The language of a tagged PDF (a screen reader reads its headings and tables in it), or
    None when it is not tagged."""
    root: Any = PdfReader(io.BytesIO(pdf)).trailer["/Root"]
    marked = root.get("/MarkInfo", {}).get("/Marked", False)
    if not marked or "/StructTreeRoot" not in root:
        return None
    return str(root.get("/Lang", ""))
