from django.http import HttpRequest, HttpResponse

from tillsammans.core.decorators import coordinator_required


@coordinator_required
def import_upload(request: HttpRequest) -> HttpResponse:
    return HttpResponse("")


@coordinator_required
def import_commit(request: HttpRequest, token: str) -> HttpResponse:
    return HttpResponse("")
