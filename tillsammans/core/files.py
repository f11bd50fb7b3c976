"""Uploaded documents and pictures: what kind a file really is, and keeping it (ADR 23).

The kind is read from the file's first bytes, never from its name or the browser's word for
it: a program renamed ``avtal.pdf`` is refused.
"""

from typing import Any

from django.core.files.uploadedfile import UploadedFile

from .models import StoredFile

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
IMAGES = (PNG, JPEG)
DOCUMENTS = (PDF, PNG, JPEG)

_SIGNATURES = ((PDF, b"%PDF-"), (PNG, b"\x89PNG\r\n\x1a\n"), (JPEG, b"\xff\xd8\xff"))
EXTENSIONS = {PDF: "pdf", PNG: "png", JPEG: "jpg"}


def sniff(upload: UploadedFile) -> str | None:
    """The content type the file's first bytes show, or None for anything else."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for content_type, signature in _SIGNATURES:
        if head.startswith(signature):
            return content_type
    return None


def store(upload: UploadedFile, *, actor: Any) -> StoredFile:
    """Keep an upload that its form field has checked; inside the caller's transaction."""
    content_type = sniff(upload)
    if content_type is None:  # the form field refuses these; a service called directly too
        raise ValueError("not an accepted kind of file")
    upload.seek(0)
    content = upload.read()
    name = (upload.name or "").rsplit("/", 1)[-1][:150] or f"file.{EXTENSIONS[content_type]}"
    return StoredFile.objects.create(
        name=name,
        content_type=content_type,
        size=len(content),
        content=content,
        uploaded_by=actor if getattr(actor, "pk", None) else None,
    )
