"""Each kind of input is read in one place: dates and months by the fields of core.forms,
query parameters by core.lib.params, file names of downloads by core.lib.downloads."""

import ast
import importlib
import pkgutil
from collections.abc import Iterator
from pathlib import Path

from django import forms

import tillsammans
from tillsammans.core.forms import DateField, MonthField

PACKAGE = Path(tillsammans.__file__).parent


def _modules() -> Iterator[Path]:
    for path in sorted(PACKAGE.rglob("*.py")):
        if "tests" not in path.parts and "migrations" not in path.parts:
            yield path


def _form_classes() -> list[type[forms.BaseForm]]:
    for module in pkgutil.walk_packages(tillsammans.__path__, "tillsammans."):
        if module.name.rsplit(".", 1)[-1] in ("forms", "views", "import_views", "annual_views"):
            importlib.import_module(module.name)
    found: list[type[forms.BaseForm]] = []
    todo: list[type] = [forms.BaseForm]
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__.startswith("tillsammans."):
            found.append(cls)
    return found


def _mentions(node: ast.AST, tainted: set[str]) -> bool:
    """Whether ``node`` reads request.GET or request.POST, directly or through a variable
    that was given such a value earlier in the function."""
    return any(
        (isinstance(sub, ast.Attribute) and sub.attr in ("GET", "POST"))
        or (isinstance(sub, ast.Name) and sub.id in tainted)
        for sub in ast.walk(node)
    )


def _tainted(function: ast.AST) -> set[str]:
    tainted: set[str] = set()
    for node in ast.walk(function):
        if isinstance(node, ast.Assign | ast.AnnAssign | ast.NamedExpr) and node.value:
            if _mentions(node.value, tainted):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                tainted |= {
                    t.id for target in targets for t in ast.walk(target) if isinstance(t, ast.Name)
                }
    return tainted


def test_it_takes_every_date_and_month_with_the_fields_that_know_their_range():
    # given
    wrong = []
    # when
    for form in _form_classes():
        for name, field in form.base_fields.items():
            if isinstance(field, forms.DateField) and not isinstance(field, DateField):
                wrong.append(f"{form.__module__}.{form.__name__}.{name}: a plain DateField")
            if name == "month" and not isinstance(field, MonthField):
                wrong.append(f"{form.__module__}.{form.__name__}.{name}: not a MonthField")
    # then
    assert not wrong, "\n".join(wrong)


def test_it_names_every_download_through_content_disposition():
    # given
    wrong = []
    # when: every assignment of the header is a call of core.lib.downloads.content_disposition
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Assign):
                continue
            for target in node.targets:
                key = target.slice if isinstance(target, ast.Subscript) else None
                if isinstance(key, ast.Constant) and key.value == "Content-Disposition":
                    value = node.value
                    called = isinstance(value, ast.Call) and getattr(value.func, "id", "")
                    if called != "content_disposition":
                        wrong.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    # then
    assert not wrong, "Content-Disposition built by hand at:\n" + "\n".join(wrong)


def test_it_reads_no_number_or_date_from_a_request_by_hand():
    # given: the conversions that fail or mislead on "²", "٣" or twenty digits
    converters = {"int", "float", "Decimal", "fromisoformat", "strptime", "isdigit", "isdecimal"}
    wrong = []
    # when
    for path in _modules():
        for function in ast.walk(ast.parse(path.read_text())):
            if not isinstance(function, ast.FunctionDef):
                continue
            tainted = _tainted(function)
            for node in ast.walk(function):
                if not isinstance(node, ast.Call):
                    continue
                func = node.func
                name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
                operands = [*node.args, *(k.value for k in node.keywords)]
                if isinstance(func, ast.Attribute):
                    operands.append(func.value)
                if name in converters and any(_mentions(arg, tainted) for arg in operands):
                    wrong.append(f"{path.relative_to(PACKAGE)}:{node.lineno} {name}()")
    # then
    assert not wrong, "Read with core.lib.params or a form instead:\n" + "\n".join(wrong)


def test_it_declares_every_api_parameter_in_the_schema():
    # given: schemathesis (tests/test_openapi.py) fuzzes what the OpenAPI schema declares
    source = (PACKAGE / "api" / "urls.py").read_text()
    # when
    by_hand = [
        node.lineno
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Attribute) and node.attr in ("GET", "POST", "body")
    ]
    # then: no endpoint reads a parameter the schema does not declare
    assert not by_hand, f"api/urls.py reads the request by hand at lines {by_hand}"


def test_it_fuzzes_every_api_endpoint_through_the_schema(client):
    # given: the routes django-ninja serves and the operations its schema declares
    from tillsammans.api.urls import api

    schema = client.get("/api/openapi.json").json()
    declared = {
        (method.upper(), path)
        for path, operations in schema["paths"].items()
        for method in operations
    }
    # when
    routed = {
        (method, f"/api{prefix.rstrip('/')}{route}".replace("//", "/"))
        for prefix, router in api._routers
        for route, operations in router.path_operations.items()
        for operation in operations.operations
        for method in operation.methods
    }
    # then: schemathesis (tests/test_openapi.py) generates calls for every declared one
    assert routed
    assert routed <= declared, f"API operations missing from the schema: {routed - declared}"
