"""Every upload of the product is limited in size and refused with its real size."""

from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from tests.product_forms import product_forms
from tillsammans.core.forms import LimitedFileField


class _UploadForm(forms.Form):
    file = LimitedFileField(max_bytes=lambda: 1024)


def _posted(size: int) -> _UploadForm:
    upload = SimpleUploadedFile("list.csv", b"x" * size, content_type="text/csv")
    return _UploadForm(data={}, files={"file": upload})


def test_it_tells_the_real_size_of_a_file_over_the_limit():
    # given a limit of 1 KB and a file of 50 KB
    form = _posted(50 * 1024)
    # when
    with translation.override("sv"):
        valid, errors = form.is_valid(), list(form.errors["file"])
    # then the message gives the file's size, not the limit's
    assert not valid
    assert errors == ["Filen är 50,0\u00a0kB; gränsen är 1,0\u00a0kB."]


def test_it_takes_a_file_at_the_limit():
    # when / then
    assert _posted(1024).is_valid()


def test_it_limits_every_upload_of_the_product():
    # given every form of the product
    # when its file fields are read
    uploads = {
        f"{form.__module__}.{form.__name__}.{name}": field
        for form in product_forms()
        for name, field in form.base_fields.items()
        if isinstance(field, forms.FileField)
    }
    # then each one is limited and says the real size of a file over its limit
    assert "tillsammans.reception.import_views.AllocationFileForm.file" in uploads
    assert [
        name for name, field in uploads.items() if not isinstance(field, LimitedFileField)
    ] == []
