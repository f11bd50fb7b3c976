"""What the no-server-errors test needs to find its inputs: the forms and links of a page, the
query and form parameters a view reads by hand, and the hostile values to put in them."""

import ast
import inspect
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cache
from html.parser import HTMLParser
from types import ModuleType
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from django import forms

# The values every field and parameter gets, one at a time; named so that a failure says which.
HOSTILE: dict[str, str] = {
    "empty": "",
    "letters": "abc",
    "a number": "12345",
    "a negative number": "-1",
    "year 1": "0001-01-01",
    "year 9999": "9999-12-31",
    "year 10000": "10000-01-01",
    "month 0000-01": "0000-01",
    "month 0001-01": "0001-01",
    "month 9999-12": "9999-12",
    "30 February": "2023-02-30",
    "superscript two": "²",
    "Arabic-Indic three": "٣",
    "full-width twelve": "１２",
    "Arabic-Indic date": "٢٠٢٢-١٠-٠١",
    "12 digits": "999999999999",  # beyond a 32-bit integer column on PostgreSQL
    "20 digits": "99999999999999999999",  # beyond any integer a database holds
    "100 000 characters": "x" * 100_000,
    "NUL": "a\x00b",
    "line break": "a\r\nb",
    "bidi override": "\u202egnp.exe",
}

_DATES = ("year 1", "year 9999", "year 10000", "30 February", "Arabic-Indic date")
_MONTHS = ("month 0000-01", "month 0001-01", "month 9999-12")
_DIGITS = ("superscript two", "Arabic-Indic three", "full-width twelve", "20 digits")
_TEXT = ("100 000 characters", "NUL", "line break", "bidi override")

# The values each kind of field gets. Values that mean the same to a kind are sent once:
# to a date field "²" and "٣" are both not a date, to free text every shape of a number is
# text; a field whose kind is not known gets every value.
VALUES_FOR_KIND: dict[str, tuple[str, ...]] = {
    "date": (
        "empty", "letters", "NUL", *_DATES, "month 0000-01", "superscript two", "20 digits",
    ),
    "month": ("empty", "letters", "NUL", *_MONTHS, "year 1", "superscript two", "20 digits"),
    "number": (
        "empty", "letters", "a negative number", "NUL", "superscript two",
        "Arabic-Indic three", "full-width twelve", "12 digits", "20 digits",
    ),
    "time": ("empty", "letters", "NUL", "month 9999-12", "superscript two", "20 digits"),
    # A choice among fixed words: anything else is just not one of them.
    "choice": ("empty", "letters", "a number", "NUL", "100 000 characters"),
    # An id of a row of a table (a number or a UUID), or a select whose values are not known.
    "select": (
        "empty", "letters", "a number", "a negative number", "NUL", "superscript two",
        "Arabic-Indic three", "full-width twelve", "20 digits",
    ),
    "checkbox": ("empty", "letters", "NUL"),
    # Text that the form keeps as text (a view may still read a number in it: "²" passes
    # str.isdigit() but not int(), int() reads "٣").
    "text": ("empty", "superscript two", "Arabic-Indic three", "20 digits", *_TEXT),
    "file": (),
    "unknown": tuple(HOSTILE),
}  # fmt: skip
# All fields at once: one value of each kind of trouble.
ALL_AT_ONCE = (
    "empty", "letters", "year 1", "superscript two", "20 digits", *_TEXT,
)  # fmt: skip


def values_for(kind: str) -> tuple[str, ...]:
    return VALUES_FOR_KIND[kind]


# -- forms and links on a page --------------------------------------------------------------


@dataclass
class Field:
    name: str
    kind: str  # "text", "date", "select", "checkbox", "file", ... (the input's type)
    values: list[str] = field(default_factory=list)  # as the page would submit them

    @property
    def signature(self) -> tuple[str, str]:
        return self.name, self.kind


@dataclass
class Form:
    action: str
    method: str
    fields: list[Field] = field(default_factory=list)
    buttons: list[tuple[str, str]] = field(default_factory=list)  # named submit buttons
    multipart: bool = False

    def field(self, name: str) -> Field | None:
        return next((f for f in self.fields if f.name == name), None)

    def rendered_first(self) -> dict[str, str]:
        return {name: values[0] for name, values in self.rendered().items() if values}

    def rendered(self) -> dict[str, list[str]]:
        """What a browser submits when nothing is changed (files aside)."""
        data: dict[str, list[str]] = {}
        for f in self.fields:
            if f.kind != "file":
                data.setdefault(f.name, []).extend(f.values)
        return data


class PageParser(HTMLParser):
    """Every <form> (with its inputs, selects, textareas and named buttons) and every link."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.links: list[str] = []
        self._form: Form | None = None
        self._select: Field | None = None
        self._select_first: str | None = None
        self._option: dict[str, str | None] | None = None
        self._option_text = ""
        self._textarea: Field | None = None
        self._hx_get: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v if v is not None else "") for k, v in attrs}
        for key in ("href", "hx-get"):
            if key in a and tag != "form":
                self.links.append(a[key])
        if tag == "form":
            self._form = Form(
                action=a.get("action", ""),
                method=a.get("method", "get").lower(),
                multipart="multipart" in a.get("enctype", ""),
            )
            self.forms.append(self._form)
            # htmx sends the same fields to another URL as the user types.
            self._hx_get = a.get("hx-get")
            return
        form = self._form
        if form is None or ("name" not in a and tag != "option"):
            return
        name = a.get("name", "")
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind in ("submit", "image", "button", "reset"):
                if name:
                    form.buttons.append((name, a.get("value", "")))
                return
            if kind in ("checkbox", "radio"):
                f = form.field(name) or self._add(form, name, kind)
                if "checked" in a:
                    f.values.append(a.get("value", "on"))
                return
            self._add(form, name, kind).values.append(a.get("value", ""))
        elif tag == "button":
            if a.get("type", "submit").lower() == "submit" and name:
                form.buttons.append((name, a.get("value", "")))
        elif tag == "select":
            self._select = form.field(name) or self._add(form, name, "select")
            self._select_first = None
        elif tag == "option" and self._select is not None:
            self._option = a
            self._option_text = ""
        elif tag == "textarea":
            self._textarea = self._add(form, name, "textarea")
            self._textarea.values.append("")

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea.values[-1] += data
        if self._option is not None:
            self._option_text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            if self._form is not None and self._hx_get:
                self.forms.append(replace(self._form, action=self._hx_get, method="get"))
            self._form = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "option" and self._option is not None:
            self._end_option()
        elif tag == "select" and self._select is not None:
            if self._option is not None:
                self._end_option()
            if not self._select.values and self._select_first is not None:
                self._select.values.append(self._select_first)
            self._select = None

    def _end_option(self) -> None:
        assert self._option is not None and self._select is not None
        value = self._option.get("value")
        value = self._option_text.strip() if value is None else value
        if self._select_first is None:
            self._select_first = value
        if "selected" in self._option:
            self._select.values.append(value)
        self._option = None

    @staticmethod
    def _add(form: Form, name: str, kind: str) -> Field:
        f = Field(name, kind)
        form.fields.append(f)
        return f


def parse_page(html: str) -> tuple[list[Form], list[str]]:
    parser = PageParser()
    parser.feed(html)
    parser.close()
    return parser.forms, parser.links


def query_names(url: str) -> tuple[str, dict[str, str]]:
    """The path of a link and its query parameters."""
    parts = urlsplit(url)
    return parts.path, dict(parse_qsl(parts.query, keep_blank_values=True))


# -- parameters a view reads by hand --------------------------------------------------------


@dataclass
class ReadByHand:
    get: set[str] = field(default_factory=set)
    post: set[str] = field(default_factory=set)
    # The form fields behind those names, where a form class reads them.
    fields: dict[str, forms.Field] = field(default_factory=dict)
    # What the shared readers (core.lib.params) make of the names they read.
    kinds: dict[str, str] = field(default_factory=dict)


def _request_dict(node: ast.AST) -> str | None:
    """ "GET" or "POST" when ``node`` is ``<something>.GET`` / ``.POST``."""
    if isinstance(node, ast.Attribute) and node.attr in ("GET", "POST"):
        return node.attr
    return None


def _mentions(node: ast.AST) -> set[str]:
    """Which of request.GET / request.POST an expression passes on (``request.GET or None``)."""
    return {kind for sub in ast.walk(node) if (kind := _request_dict(sub))}


def _constant(node: ast.AST) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


@cache
def _module_tree(module: ModuleType) -> dict[str, ast.FunctionDef]:
    tree = ast.parse(inspect.getsource(module))
    return {
        node.name: node
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef) and node.col_offset == 0
    }


@cache
def read_by_hand(view: Callable[..., Any]) -> ReadByHand:
    """The GET and POST names a view reads: ``request.GET.get("x")``, ``request.GET["x"]``,
    ``getlist``, ``"x" in request.GET``, and the fields of a form bound to request.GET or
    request.POST; followed into the functions of its own module that it calls."""
    view = inspect.unwrap(view)
    module = inspect.getmodule(view)
    found = ReadByHand()
    if module is None or not module.__name__.startswith("tillsammans."):
        # Another package's views (allauth, django-ninja) are fuzzed through their pages.
        return found
    functions = _module_tree(module)
    seen: set[str] = set()
    todo = [view.__name__]
    while todo:
        name = todo.pop()
        if name in seen or name not in functions:
            continue
        seen.add(name)
        for node in ast.walk(functions[name]):
            _read_node(node, module, found, todo)
    return found


def _read_node(node: ast.AST, module: ModuleType, found: ReadByHand, todo: list[str]) -> None:
    def add(kind: str, name: str | None) -> None:
        if name is not None:
            (found.get if kind == "GET" else found.post).add(name)

    if isinstance(node, ast.Call):
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in ("get", "getlist") and node.args:
            # request.GET.get("x")
            kind = _request_dict(func.value)
            if kind:
                add(kind, _constant(node.args[0]))
        target = _callee(func, module)
        if isinstance(func, ast.Name):
            todo.append(func.id)
        if isinstance(target, type) and issubclass(target, forms.BaseForm):
            # SomeForm(request.GET or None): the data is the first argument or data=.
            data = [*node.args[:1], *(k.value for k in node.keywords if k.arg == "data")]
            for kind in set().union(*(_mentions(arg) for arg in data)):
                for name, form_field in target.base_fields.items():
                    add(kind, name)
                    found.fields.setdefault(name, form_field)
        elif callable(target):
            # A reader such as params.get_id(request.GET, "programme"), or get_page(request.GET).
            for kind in set().union(*(_mentions(arg) for arg in node.args[:1])):
                names = [_constant(arg) for arg in node.args[1:2]]
                name = names[0] if names and names[0] else _default_name(target)
                add(kind, name)
                reader = READERS.get(getattr(target, "__name__", ""))
                if name and reader:
                    found.kinds.setdefault(name, reader)
    elif isinstance(node, ast.Subscript):
        kind = _request_dict(node.value)
        if kind:
            add(kind, _constant(node.slice))
    elif isinstance(node, ast.Compare) and len(node.comparators) == 1:
        kind = _request_dict(node.comparators[0])
        if kind and isinstance(node.ops[0], ast.In):
            add(kind, _constant(node.left))


# The kind of value each reader of core.lib.params reads.
READERS = {
    "get_int": "number",
    "get_id": "number",
    "get_page": "number",
    "get_uuid": "select",
    "get_choice": "choice",
    "get_text": "text",
}


def _callee(func: ast.expr, module: ModuleType) -> Any:
    if isinstance(func, ast.Name):
        return getattr(module, func.id, None)
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
        return getattr(getattr(module, func.value.id, None), func.attr, None)
    return None


def _default_name(function: Callable[..., Any]) -> str | None:
    try:
        parameter = inspect.signature(function).parameters.get("name")
    except (TypeError, ValueError):
        return None
    default = parameter.default if parameter is not None else None
    return default if isinstance(default, str) else None


def kind_of(f: Field, server: forms.Field | None) -> str:
    """What a field holds, from the form field that reads it where the view's form is known,
    else from its input type and for a text input from what its rendered value looks like."""
    name = type(server).__name__.lower()
    if f.kind == "file":
        return "file"
    if isinstance(server, forms.DateField) or "date" in name or f.kind == "date":
        return "date"
    if "month" in name or f.kind == "month":
        return "month"
    if isinstance(server, forms.IntegerField | forms.DecimalField | forms.FloatField):
        return "number"
    if isinstance(server, forms.BooleanField) or f.kind == "checkbox":
        return "checkbox"
    if isinstance(server, forms.ModelChoiceField | forms.ModelMultipleChoiceField):
        return "select"
    if isinstance(server, forms.ChoiceField) and not callable(server.choices):
        return "choice"
    if type(server) is forms.CharField:
        return "text"
    if f.kind in ("number", "time", "select"):
        return f.kind
    if f.kind == "radio":
        return "choice"
    if f.kind == "textarea":
        return "text"
    value = f.values[0] if f.values else ""
    if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        return "date"
    if re.fullmatch(r"[0-9]{4}-[0-9]{2}", value):
        return "month"
    return "unknown"
