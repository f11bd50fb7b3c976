"""Background work: a job's page, retry and file belong to the user who started it; anyone
else gets the same 404 as for a job that does not exist."""

from typing import Any

from tests.access import MEMBERS, REDIRECT, Row, closed


def _blank_pdf() -> bytes:
    import io

    from pypdf import PdfWriter

    writer, out = PdfWriter(), io.BytesIO()
    writer.add_blank_page(width=72, height=72)
    writer.write(out)
    return out.getvalue()


def _job(cast: Any, *, failed: bool = False, with_file: bool = False) -> Any:
    from tillsammans.core.fields import fernet
    from tillsammans.core.models import BackgroundJob, BackgroundJobStatus

    job = BackgroundJob.objects.create(
        kind="reporting.annual_pdf", title="Årsredovisning 2022 som PDF", language="sv",
        created_by=cast.a_staff,
        status=BackgroundJobStatus.FAILED if failed else BackgroundJobStatus.DONE,
        error="Något gick fel." if failed else "",
        output_name="utkast.pdf" if with_file else "",
        output_type="application/pdf" if with_file else "",
        output_data=fernet().encrypt(_blank_pdf()) if with_file else b"",
    )  # fmt: skip
    return {"public_id": job.public_id}


ROWS = [
    Row("job_detail", closed(a_staff=200), kwargs=lambda cast: _job(cast)),
    Row(
        "job_retry",
        closed(**{role: 405 for role in MEMBERS}),
        kwargs=lambda cast: _job(cast, failed=True),
    ),
    Row(
        "job_retry",
        closed(a_staff=REDIRECT),
        kwargs=lambda cast: _job(cast, failed=True),
        method="post",
    ),
    Row("job_file", closed(a_staff=200), kwargs=lambda cast: _job(cast, with_file=True)),
]
