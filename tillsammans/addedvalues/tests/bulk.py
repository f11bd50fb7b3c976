"""The bulk form as a user drives it: paste names, look at the preview, confirm it."""

from typing import Any

from django.urls import reverse
from django.utils import timezone


def url(service: Any) -> str:
    return reverse("delivery_bulk", args=[service.public_id])


def preview(client: Any, service: Any, names: str, **extra: Any) -> Any:
    data = {"action": "preview", "q": names, "on": timezone.localdate().isoformat()}
    return client.post(url(service), data | extra)


def outcomes(page: Any) -> list[tuple[int, str]]:
    """(line number, outcome) of each line of the preview."""
    return [(line.number, str(line.outcome)) for line, *_rest in page.context["lines"]]


def candidates(page: Any, number: int) -> list[str]:
    """The names offered on a line of the preview, in their order."""
    line = next(line for line, *_rest in page.context["lines"] if line.number == number)
    return [row.name for row in line.candidates]


def confirmation(page: Any, chosen: dict[int, Any] | None = None, **extra: Any) -> dict[str, Any]:
    """What pressing "Record" on the preview posts: the choices as shown (a matched line's
    person, nobody on the others), changed by ``chosen`` (line number: person or None)."""
    form = page.context["form"]
    data = {
        "action": "record",
        "q": form["q"].value(),
        "on": form["on"].value() or timezone.localdate().isoformat(),
        "note": form["note"].value() or "",
        "preview": page.context["token"],
    }
    for _line, name, value, _errors in page.context["lines"]:
        if name:
            data[name] = value
    for number, person in (chosen or {}).items():
        data[f"line-{number}"] = str(person.public_id) if person is not None else ""
    return data | extra
