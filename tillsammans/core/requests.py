"""Request ids and structured logs (issue 15): each request carries an id, taken from the
proxy's ``X-Request-ID`` when it is a plain token and made up otherwise, returned in the
response's ``X-Request-ID`` and written on every log line of the request, so that an operator
can follow one request from the proxy's log through the application's. Log lines are JSON
objects, one a line, with no personal data beyond what a message itself holds.
"""

import json
import logging
import re
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.http import HttpRequest, HttpResponse

HEADER = "X-Request-ID"
_TOKEN = re.compile(r"[A-Za-z0-9._-]{8,64}")
_current: ContextVar[str] = ContextVar("request_id", default="-")


def current_request_id() -> str:
    return _current.get()


class RequestIdMiddleware:
    """First in the chain: every later log line of the request carries its id."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.headers.get(HEADER, "")
        request_id = given if _TOKEN.fullmatch(given) else uuid.uuid4().hex
        token = _current.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        response[HEADER] = request_id
        return response


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, request id, message (and the exception's
    traceback when there is one)."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", "-"),
            "message": record.getMessage(),
        }
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


def scrub_error_report(event: Any, hint: Any) -> Any:  # sentry_sdk.types.Event, a TypedDict
    """What an error report may carry: the error's type, its stack (file, function, line) and
    the request's method, path and id. Everything that can name a person goes: the query
    string (a search), the body, cookies and headers, the user, the values frames held, the
    error's message (a database error quotes the row, a number among it), log messages and
    extra data."""
    request = event.get("request")
    if isinstance(request, dict):
        event["request"] = {
            "method": request.get("method", ""),
            "url": str(request.get("url", "")).split("?", 1)[0],
        }
    event.setdefault("tags", {})["request_id"] = current_request_id()
    for key in ("user", "breadcrumbs", "extra", "logentry", "contexts", "message"):
        event.pop(key, None)
    for exception in (event.get("exception") or {}).get("values", []):
        exception["value"] = ""
        for frame in (exception.get("stacktrace") or {}).get("frames", []):
            frame.pop("vars", None)
    return event
